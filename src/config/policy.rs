//! Reading `[policy]` in `sparkplan.toml`: a team's own conventions (issue 21).
//! The settings themselves are [`Policy`] (in `rules`, which reads them).
//! Every policy rule (SP601–SP604, SP651, SP652) is off until its setting is
//! written here; docs/policy.md shows a typical agency's file.
//!
//! ```toml
//! [policy]
//! max_budget_increase_percent = 50   # SP651, plan --base
//! max_deletes = 3                    # SP652, plan --base (--allow-deletes)
//!
//! [policy.names]                     # SP601: whole-name regexes per kind
//! campaign = '^[a-z0-9]+(_[a-z0-9]+)*$'
//!
//! [policy.landing_pages]
//! https = true                       # SP602
//! utm = ["utm_source", "utm_campaign"]  # SP603
//! tiktok_macros = true               # SP604
//! ```

use crate::diag::{Diagnostic, FileId, Span};

pub use crate::rules::policy::{NAME_KINDS, Policy, compile};

/// `[policy]` as written, each value already of its type (the configuration
/// reader checks types and unknown keys, with their spans).
#[derive(Default)]
pub(super) struct RawPolicy {
    pub(super) max_budget_increase_percent: Option<u32>,
    pub(super) max_deletes: Option<u32>,
    pub(super) names:
        Option<std::collections::BTreeMap<toml::Spanned<String>, toml::Spanned<String>>>,
    pub(super) landing_pages: Option<RawLandingPages>,
}

/// `[policy.landing_pages]` as written.
#[derive(Default)]
pub(super) struct RawLandingPages {
    pub(super) https: Option<bool>,
    pub(super) utm: Option<Vec<String>>,
    pub(super) tiktok_macros: Option<bool>,
}

/// Reads `[policy]`, reporting located problems into `errors`.
pub(super) fn parse(raw: RawPolicy, file: FileId, errors: &mut Vec<Diagnostic>) -> Policy {
    let mut p = Policy {
        max_budget_increase_percent: raw.max_budget_increase_percent,
        max_deletes: raw.max_deletes,
        ..Policy::default()
    };
    if let Some(l) = raw.landing_pages {
        p.https = l.https.unwrap_or(false);
        p.utm = l.utm.unwrap_or_default();
        p.tiktok_macros = l.tiktok_macros.unwrap_or(false);
    }
    for (kind, pattern) in raw.names.unwrap_or_default() {
        let sp = |s: std::ops::Range<usize>| Span::new(file, s.start, s.end);
        let Some(k) = NAME_KINDS.iter().find(|k| **k == kind.get_ref().as_str()) else {
            let mut d = Diagnostic::new(
                &crate::model::codes::SP003,
                format!(
                    "unknown resource kind `{}` in `[policy.names]`",
                    kind.get_ref()
                ),
            )
            .primary(sp(kind.span()), "unknown kind")
            .note(format!(
                "expected one of {}",
                crate::diag::ticked_list(&NAME_KINDS, "or")
            ));
            if let Some(m) = crate::diag::did_you_mean(kind.get_ref(), NAME_KINDS) {
                d = d.help(format!("did you mean `{m}`?"));
            }
            errors.push(d);
            continue;
        };
        if let Err(e) = compile(pattern.get_ref()) {
            let why = e.to_string();
            errors.push(
                Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("the `{k}` name pattern is not a valid regular expression"),
                )
                .primary(sp(pattern.span()), "not a valid regex")
                .note(why.lines().last().unwrap_or_default().trim().to_owned())
                .help("patterns use the syntax of the Rust `regex` crate (https://docs.rs/regex/#syntax); write them in single quotes ('...') so backslashes stay as written"),
            );
            continue;
        }
        p.names.push((k, pattern.into_inner()));
    }
    p
}
