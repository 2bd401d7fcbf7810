//! The registry of every rule: code, name, default severity, one-line summary
//! and the documentation printed by `sparkplan explain`.

pub use crate::diag::RuleMeta;

/// Every rule, sorted by code.
pub fn all() -> impl ExactSizeIterator<Item = &'static RuleMeta> + Clone {
    crate::rules::REGISTRY.iter().map(|r| r.meta)
}

/// The rule with `code` (case-insensitive) or with that kebab-case name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    all().find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_sorted() {
        let rules: Vec<_> = all().collect();
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
