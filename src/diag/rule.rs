//! Rule identity: the metadata every diagnostic carries. A rule is declared
//! once, with [`declare_rule!`](crate::declare_rule), in the layer that
//! reports it (structural codes in `syntax`, `model` and `workspace`, domain
//! rules in `rules`, pair rules in `rules::sp50N_*`); `rules::registry` is
//! the one table of all of them.

use super::Severity;

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

impl RuleMeta {
    /// Whether the rule compares a resource with its base, so only `plan`
    /// (not `check`) can report it: the SP5xx series, and the policy rules
    /// on the base diff, SP65x.
    pub fn is_plan_rule(&self) -> bool {
        self.code.starts_with("SP5") || self.code.starts_with("SP65")
    }
}

/// Two rules are the same rule when their codes are (codes are unique; a
/// test of the registry holds that).
impl PartialEq for RuleMeta {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for RuleMeta {}

/// Declares a rule's metadata; its documentation lives in `docs/rules/<CODE>.md`.
#[macro_export]
macro_rules! declare_rule {
    ($vis:vis static $ident:ident = $code:literal, $name:literal, $sev:ident, $summary:literal) => {
        #[doc = concat!("`", $code, "` (`", $name, "`): ", $summary, ".")]
        $vis static $ident: $crate::diag::RuleMeta = $crate::diag::RuleMeta {
            code: $code,
            name: $name,
            default_severity: $crate::diag::Severity::$sev,
            summary: $summary,
            doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules/", $code, ".md")),
        };
    };
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A rule missing from the registry, for renderers' tests.
    pub(crate) static UNREGISTERED: RuleMeta = RuleMeta {
        code: "SP999",
        name: "unregistered",
        default_severity: Severity::Error,
        summary: "a code missing from the registry",
        doc: "",
    };
}
