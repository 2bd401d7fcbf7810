//! SP652: `plan --base` deletes more resources than `[policy] max_deletes`
//! without `--allow-deletes`.

use std::collections::BTreeSet;

use super::pair::PairCtx;
use crate::diag::{Diagnostic, Span};
use crate::workspace::Workspace;

crate::declare_rule!(pub static RULE = "SP652", "too-many-deletes", Error, "policy, plan diff: more deletions than `[policy] max_deletes` without `plan --allow-deletes`");

/// The most deletions labelled on the diagnostic.
const MAX_LABELS: usize = 10;

/// What the plan deletes: the campaigns, ad groups and ads of the base that
/// the new workspace no longer has, and the authorized (code) posts it no
/// longer has (the plan unbinds them), with where the base names them.
pub fn deletions(new: &Workspace, base: &Workspace) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut kept: BTreeSet<String> = BTreeSet::new();
    for (name, c) in &new.campaigns {
        kept.insert(format!("campaign.{name}"));
        for (g, group) in c.value.ad_groups.iter().flat_map(|g| g.iter()) {
            let ga = format!("campaign.{name}.ad_group.{}", g.value);
            for (a, _) in group.ads.iter().flat_map(|a| a.iter()) {
                kept.insert(format!("{ga}.ad.{}", a.value));
            }
            kept.insert(ga);
        }
    }
    for (name, c) in &base.campaigns {
        let ca = format!("campaign.{name}");
        if !kept.contains(&ca) {
            out.push((ca.clone(), c.name.span));
        }
        for (g, group) in c.value.ad_groups.iter().flat_map(|g| g.iter()) {
            let ga = format!("{ca}.ad_group.{}", g.value);
            if !kept.contains(&ga) {
                out.push((ga.clone(), g.span));
            }
            for (a, _) in group.ads.iter().flat_map(|a| a.iter()) {
                let aa = format!("{ga}.ad.{}", a.value);
                if !kept.contains(&aa) {
                    out.push((aa, a.span));
                }
            }
        }
    }
    for (name, p) in &base.posts {
        if p.value.is_code_post() && !new.posts.contains_key(name) {
            out.push((format!("post.{name}"), p.name.span));
        }
    }
    out
}

/// Reports when the plan would delete more than `[policy] max_deletes`
/// resources, unless `plan --allow-deletes`.
pub fn check(ctx: &PairCtx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(max) = ctx.policy.max_deletes.filter(|_| !ctx.policy.allow_deletes) else {
        return;
    };
    let shift = |s| ctx.shift(s);
    let gone = deletions(ctx.new, ctx.base);
    if gone.len() <= max as usize {
        return;
    }
    let Some((first, at)) = gone.first() else {
        return;
    };
    let mut d = Diagnostic::new(
        &RULE,
        format!(
            "the plan deletes {} resources, more than `max_deletes` ({max})",
            gone.len()
        ),
    )
    .primary(shift(*at), format!("`{first}` is deleted"));
    for (address, span) in gone.iter().skip(1).take(MAX_LABELS - 1) {
        d = d.secondary(shift(*span), format!("`{address}` is deleted"));
    }
    if gone.len() > MAX_LABELS {
        d = d.note(format!("and {} more deletions", gone.len() - MAX_LABELS));
    }
    out.push(
        d.note(format!(
            "`[policy] max_deletes = {max}` in `sparkplan.toml`: deleting an ad loses its history, and a large deletion is more often a mistake (a file left out, a renamed campaign) than a plan"
        ))
        .help("check that the deletions are meant, then run `sparkplan plan --allow-deletes`"),
    );
}
