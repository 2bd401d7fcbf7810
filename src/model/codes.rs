//! The structural rules decoding reports: unknown fields, wrong values,
//! missing fields, video codes, dates and IDs.

crate::declare_rule!(pub static SP003 = "SP003", "unknown-field", Error, "unknown field");
crate::declare_rule!(pub static SP004 = "SP004", "invalid-value", Error, "wrong type or value not in the allowed set");
crate::declare_rule!(pub static SP005 = "SP005", "missing-field", Error, "required field missing");
crate::declare_rule!(pub static SP009 = "SP009", "video-code-read-as-comment", Error, "a video code written unquoted, so YAML read it as a comment");
crate::declare_rule!(pub static SP010 = "SP010", "malformed-video-code", Error, "malformed video code");
crate::declare_rule!(pub static SP011 = "SP011", "invalid-date", Error, "malformed date, or dates out of order");
crate::declare_rule!(pub static SP012 = "SP012", "invalid-id", Error, "unquoted numeric ID, or an ID that is not all digits");
