//! SP601: a name that does not follow the team's naming convention
//! (`[policy.names]` in `sparkplan.toml`): the keys, and for campaigns, ad
//! groups and ads also their display `name:` (what TikTok shows).

use super::RuleCtx;
use super::common::{ads, groups};
use crate::diag::Diagnostic;
use crate::model::Spanned;

crate::declare_rule!(pub static RULE = "SP601", "name-pattern", Error, "policy: a name does not match the naming pattern set for its kind in `[policy.names]`");

/// Reports every name of a kind that has a pattern and does not match it whole.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let ws = ctx.ws;
    for &(kind, ref pattern) in &ctx.policy.names {
        // Validated when the configuration was read.
        let Ok(re) = super::policy::compile(pattern) else {
            continue;
        };
        let names: Vec<&Spanned<String>> = match kind {
            "advertiser" => ws.advertisers.values().map(|d| &d.name).collect(),
            "identity" => ws.identities.values().map(|d| &d.name).collect(),
            "post" => ws.posts.values().map(|d| &d.name).collect(),
            "media" => ws.media.values().map(|d| &d.name).collect(),
            "campaign" => ws
                .campaigns
                .values()
                .flat_map(|d| std::iter::once(&d.name).chain(d.value.name.as_ref()))
                .collect(),
            "ad_group" => groups(ws)
                .flat_map(|g| std::iter::once(g.group_name).chain(g.group.name.as_ref()))
                .collect(),
            "ad" => ads(ws)
                .flat_map(|a| std::iter::once(a.ad_name).chain(a.ad.name.as_ref()))
                .collect(),
            _ => Vec::new(),
        };
        let what = kind.replace('_', " ");
        for name in names {
            if re.is_match(&name.value) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "{what} name `{}` does not follow the naming convention",
                        name.value
                    ),
                )
                .primary(name.span, format!("does not match `{pattern}`"))
                .note(format!(
                    "`[policy.names] {kind}` in `sparkplan.toml` requires every {what} name to match `{pattern}` (the whole name)"
                ))
                .help(format!("rename the {what} to follow the convention")),
            );
        }
    }
}
