//! SP506: two campaigns, ad groups or ads claim the same old key with
//! `renamed_from:`, or the old key is still declared beside them.

use std::collections::BTreeMap;

use super::RuleCtx;
use crate::diag::{Diagnostic, Span};
use crate::model::{Name, Spanned};

crate::declare_rule!(pub static RULE = "SP506", "renamed-from-conflict", Error, "two resources claim the same old key with `renamed_from`, or the old key is still declared");

/// One resource of a scope: its key and its `renamed_from`.
struct Entry<'a> {
    key: &'a Spanned<String>,
    renamed_from: Option<&'a Spanned<Name>>,
}

/// Reports conflicting `renamed_from` claims: campaigns among the
/// workspace's campaigns, ad groups within their campaign, ads within their
/// ad group (a resource cannot move to another parent: TikTok's update
/// calls take no `campaign_id` or `adgroup_id`).
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let campaigns: Vec<Entry<'_>> = ctx
        .ws
        .campaigns
        .values()
        .map(|d| Entry {
            key: &d.name,
            renamed_from: d.value.renamed_from.as_ref(),
        })
        .collect();
    scope(out, "campaign", "the workspace", &campaigns);
    for (cname, def) in &ctx.ws.campaigns {
        let Some(groups) = &def.value.ad_groups else {
            continue;
        };
        let entries: Vec<Entry<'_>> = groups
            .iter()
            .map(|(k, g)| Entry {
                key: k,
                renamed_from: g.renamed_from.as_ref(),
            })
            .collect();
        scope(out, "ad group", &format!("campaign `{cname}`"), &entries);
        for (gname, g) in groups.iter() {
            let Some(ads) = &g.ads else { continue };
            let entries: Vec<Entry<'_>> = ads
                .iter()
                .map(|(k, a)| Entry {
                    key: k,
                    renamed_from: a.renamed_from.as_ref(),
                })
                .collect();
            scope(
                out,
                "ad",
                &format!("ad group `{}` of campaign `{cname}`", gname.value),
                &entries,
            );
        }
    }
}

fn scope(out: &mut Vec<Diagnostic>, what: &str, within: &str, entries: &[Entry<'_>]) {
    // In source order: the first claim is the one written first.
    let mut entries: Vec<&Entry<'_>> = entries.iter().collect();
    entries.sort_by_key(|e| (e.key.span.file, e.key.span.start));
    let declared: BTreeMap<&str, Span> = entries
        .iter()
        .map(|e| (e.key.value.as_str(), e.key.span))
        .collect();
    let mut first_claim: BTreeMap<&str, (&str, Span)> = BTreeMap::new();
    for e in &entries {
        let Some(old) = e.renamed_from else { continue };
        let old_key = old.value.0.as_str();
        if let Some(at) = declared.get(old_key) {
            let d = if old_key == e.key.value {
                Diagnostic::new(
                    &RULE,
                    format!("{what} `{old_key}` is `renamed_from` its own key"),
                )
                .primary(old.span, "the same key")
                .help("remove `renamed_from`, or write the key it had before")
            } else {
                Diagnostic::new(
                    &RULE,
                    format!(
                        "{what} `{}` is `renamed_from: {old_key}`, but `{old_key}` is still declared in {within}",
                        e.key.value
                    ),
                )
                .primary(old.span, "claims a key still in use")
                .secondary(*at, format!("`{old_key}` is declared here"))
                .note("a rename carries the existing TikTok resource over to the new key; the old key cannot keep it too")
                .help(format!("remove `{old_key}` to rename it, or remove `renamed_from` to create a new {what}"))
            };
            out.push(d);
            continue;
        }
        match first_claim.get(old_key) {
            Some((first, span)) => out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "{what}s `{first}` and `{}` are both `renamed_from: {old_key}` in {within}",
                        e.key.value
                    ),
                )
                .primary(old.span, "the second claim")
                .secondary(*span, "the first claim")
                .note("one TikTok resource can be carried over to one new key only")
                .help(format!(
                    "keep `renamed_from: {old_key}` on one {what}; the other is created as a new {what}"
                )),
            ),
            None => {
                first_claim.insert(old_key, (e.key.value.as_str(), old.span));
            }
        }
    }
}
