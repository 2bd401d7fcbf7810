//! Structural rules SP001–SP014. They are reported while files are read and
//! decoded (see `syntax` and `model::decode`), so they have metadata here but
//! no check function of their own.

crate::declare_rule!(pub static SP001 = "SP001", "yaml-syntax", Error, "YAML syntax error");
crate::declare_rule!(pub static SP002 = "SP002", "duplicate-key", Error, "duplicate key in one mapping");
crate::declare_rule!(pub static SP003 = "SP003", "unknown-field", Error, "unknown field");
crate::declare_rule!(pub static SP004 = "SP004", "invalid-value", Error, "wrong type or value not in the allowed set");
crate::declare_rule!(pub static SP005 = "SP005", "missing-field", Error, "required field missing");
crate::declare_rule!(pub static SP006 = "SP006", "format-version", Error, "missing or unsupported `sparkplan:` version, or more than one YAML document");
crate::declare_rule!(pub static SP007 = "SP007", "duplicate-name", Error, "a name defined twice in the workspace");
crate::declare_rule!(pub static SP008 = "SP008", "undefined-reference", Error, "reference to an undefined advertiser, identity, post or media");
crate::declare_rule!(pub static SP009 = "SP009", "video-code-read-as-comment", Error, "a video code written unquoted, so YAML read it as a comment");
crate::declare_rule!(pub static SP010 = "SP010", "malformed-video-code", Error, "malformed video code");
crate::declare_rule!(pub static SP011 = "SP011", "invalid-date", Error, "malformed date, or dates out of order");
crate::declare_rule!(pub static SP012 = "SP012", "invalid-id", Error, "unquoted numeric ID, or an ID that is not all digits");
crate::declare_rule!(pub static SP013 = "SP013", "input-refused", Error, "input refused for safety: too large, too deep, too many nodes or bytes, or not UTF-8");
crate::declare_rule!(pub static SP014 = "SP014", "suppression", Warning, "a `sparkplan-allow` comment without a reason, that suppresses nothing, or that names a code that cannot be suppressed");
