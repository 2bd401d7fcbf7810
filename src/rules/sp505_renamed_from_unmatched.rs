//! SP505: a `renamed_from:` that matches nothing in the base of
//! `plan --base` (checked on the pair of workspaces).

use crate::diag::Diagnostic;
use crate::model::{Ad, AdGroup, Name, Named, Spanned};

crate::declare_rule!(pub static RULE = "SP505", "renamed-from-unmatched", Warning, "plan diff: a `renamed_from` matches nothing in the base");

/// Reports every `renamed_from` the plan cannot carry over: its old key is
/// not in the base (at its parent's old key), or the base already has the
/// new key (the rename is applied). Labels point into `new`.
pub fn check(ctx: &super::pair::PairCtx<'_>, out: &mut Vec<Diagnostic>) {
    let (new, base) = (ctx.new, ctx.base);
    for (cname, def) in &new.campaigns {
        let c = &def.value;
        let old_ckey = c
            .renamed_from
            .as_ref()
            .map_or(cname.as_str(), |o| &o.value.0);
        let base_campaign = base.campaigns.get(old_ckey).map(|d| &d.value);
        if let Some(o) = &c.renamed_from {
            one(
                out,
                "campaign",
                cname,
                o,
                base_campaign.is_some(),
                base.campaigns.contains_key(cname),
            );
        }
        let Some(groups) = &c.ad_groups else { continue };
        let base_groups = base_campaign.and_then(|b| b.ad_groups.as_ref());
        for (gname, g) in groups.iter() {
            let old_gkey = g
                .renamed_from
                .as_ref()
                .map_or(gname.value.as_str(), |o| &o.value.0);
            let base_group = find(base_groups, old_gkey);
            if let Some(o) = &g.renamed_from {
                let new_in_base = find(base_groups, &gname.value).is_some();
                one(
                    out,
                    "ad group",
                    &gname.value,
                    o,
                    base_group.is_some(),
                    new_in_base,
                );
            }
            let Some(ads) = &g.ads else { continue };
            let base_ads = base_group.and_then(|b: &AdGroup| b.ads.as_ref());
            for (aname, a) in ads.iter() {
                let Some(o) = &a.renamed_from else { continue };
                let matched = find::<Ad>(base_ads, &o.value.0).is_some();
                let new_in_base = find::<Ad>(base_ads, &aname.value).is_some();
                one(out, "ad", &aname.value, o, matched, new_in_base);
            }
        }
    }
}

fn find<'a, T>(named: Option<&'a Named<T>>, key: &str) -> Option<&'a T> {
    named?.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
}

fn one(
    out: &mut Vec<Diagnostic>,
    what: &str,
    key: &str,
    old: &Spanned<Name>,
    matched: bool,
    new_in_base: bool,
) {
    let old_key = &old.value.0;
    if new_in_base {
        out.push(
            Diagnostic::new(
                &RULE,
                format!("{what} `{key}` is already in the base: `renamed_from: {old_key}` has nothing left to rename"),
            )
            .primary(old.span, "the rename is already applied")
            .help("remove `renamed_from` now that the base has the new key"),
        );
    } else if !matched {
        out.push(
            Diagnostic::new(
                &RULE,
                format!("`renamed_from: {old_key}` of {what} `{key}` matches nothing in the base"),
            )
            .primary(old.span, format!("no {what} `{old_key}` in the base"))
            .note(format!("the {what} is created as a new one"))
            .help("check the old key's spelling (ad groups and ads are looked up under their parent's old key); remove `renamed_from` if the rename is already applied"),
        );
    }
}
