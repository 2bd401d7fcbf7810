//! The structural rules the syntax layer reports while reading a file: YAML
//! syntax (SP001), duplicate keys (SP002), documents (SP006) and safety limits
//! (SP013).

crate::declare_rule!(pub static SP001 = "SP001", "yaml-syntax", Error, "YAML syntax error");
crate::declare_rule!(pub static SP002 = "SP002", "duplicate-key", Error, "duplicate key in one mapping");
crate::declare_rule!(pub static SP006 = "SP006", "format-version", Error, "missing or unsupported `sparkplan:` version, or more than one YAML document");
crate::declare_rule!(pub static SP013 = "SP013", "input-refused", Error, "input refused for safety: too large, too deep, too many nodes or bytes, or not UTF-8");

/// The rules that mean a file could not be read as a manifest at all: not
/// YAML (SP001), not one versioned document (SP006), or refused (SP013).
pub static UNREADABLE: [&crate::diag::RuleMeta; 3] = [&SP001, &SP006, &SP013];
