//! The registry of every rule: code, name, default severity, one-line summary
//! and the documentation printed by `sparkplan explain`.

use crate::diag::Severity;

/// The metadata of one rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `SP203`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `schedule-past-authorization`.
    pub name: &'static str,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Markdown documentation: what it checks, why (citing TikTok), an example and its fix.
    pub doc: &'static str,
}

/// Declares a rule's metadata; its documentation lives in `docs/rules/<CODE>.md`.
#[macro_export]
macro_rules! declare_rule {
    ($vis:vis static $ident:ident = $code:literal, $name:literal, $sev:ident, $summary:literal) => {
        #[doc = concat!("`", $code, "` (`", $name, "`): ", $summary, ".")]
        $vis static $ident: $crate::rules::registry::RuleMeta = $crate::rules::registry::RuleMeta {
            code: $code,
            name: $name,
            default_severity: $crate::diag::Severity::$sev,
            summary: $summary,
            doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules/", $code, ".md")),
        };
    };
}

/// Every rule, sorted by code.
pub fn all() -> &'static [&'static RuleMeta] {
    crate::rules::ALL_RULES
}

/// The rule with `code` (case-insensitive) or with that kebab-case name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    all()
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// The default severity of `code`; unknown codes are errors.
pub fn default_severity(code: &str) -> Severity {
    find(code).map_or(Severity::Error, |r| r.default_severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_sorted() {
        let rules = all();
        for w in rules.windows(2) {
            assert!(w[0].code < w[1].code, "{} before {}", w[0].code, w[1].code);
        }
        let mut names: Vec<_> = rules.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), rules.len());
    }

    #[test]
    fn every_rule_is_documented() {
        for r in all() {
            for section in ["## What it does", "## Why", "## Example", "## Fix"] {
                assert!(r.doc.contains(section), "{} lacks {section}", r.code);
            }
            assert!(r.doc.contains("```yaml"), "{} lacks a YAML example", r.code);
        }
    }
}
