//! Renames (`renamed_from:` on a campaign, ad group or ad): the existing
//! TikTok resource is carried over to its new key instead of being deleted
//! and created again, so it keeps its ID and delivery history.
//!
//! A resource whose own key or an ancestor's key was renamed has, in the
//! resolved state, the address it had before (`Res::renamed_from`). It is
//! paired with the base resource at that address when:
//! - the base has a resource there, of the same kind;
//! - the new workspace declares nothing there (else the old key is still in
//!   use: SP506 refuses that at `check`);
//! - the base has nothing at the new address (else the rename is already
//!   applied and `renamed_from` is stale: SP505 warns).
//!
//! The pair is then compared like any other: a changed display name (the
//! key, when there is no `name:`) is an update in place. The calls that
//! name the existing resource keep its old address in `$state` references
//! ([`Carried::old_address`]): that is where its ID is recorded.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::state::Res;

/// The resources carried over from an old address.
#[derive(Debug, Default)]
pub(crate) struct Carried<'a> {
    /// New address → the base resource it carries over.
    pub by_new: BTreeMap<&'a str, &'a Res>,
    /// Old address → new address.
    pub new_of_old: BTreeMap<&'a str, &'a str>,
}

/// Pairs renamed resources of `new` with the base resources they carry over.
pub(crate) fn carried<'a>(
    new: &'a [Res],
    base_by: &HashMap<&'a str, &'a Res>,
    new_by: &HashMap<&'a str, &'a Res>,
) -> Carried<'a> {
    let mut out = Carried::default();
    for r in new {
        let Some(old_address) = r.renamed_from.as_deref() else {
            continue;
        };
        if base_by.contains_key(r.address.as_str())
            || new_by.contains_key(old_address)
            || out.new_of_old.contains_key(old_address)
        {
            continue;
        }
        let Some(old) = base_by.get(old_address).copied() else {
            continue;
        };
        if old.kind != r.kind {
            continue;
        }
        out.by_new.insert(r.address.as_str(), old);
        out.new_of_old
            .insert(old.address.as_str(), r.address.as_str());
    }
    out
}

/// The address part of a reference target `ADDRESS.FIELD`.
fn split(target: &str) -> Option<(&str, &str)> {
    target.rsplit_once('.')
}

/// `attrs` with every `$ref`/`$state` to a carried-over resource written
/// with its new address (so an ad group under a renamed campaign compares
/// equal when nothing else changed).
pub(crate) fn renamed_refs(
    attrs: &Map<String, Value>,
    new_of_old: &BTreeMap<&str, &str>,
) -> Map<String, Value> {
    let mut out = attrs.clone();
    for v in out.values_mut() {
        rewrite(v, &|t| {
            let (addr, field) = split(t)?;
            new_of_old.get(addr).map(|n| format!("{n}.{field}"))
        });
    }
    out
}

/// Rewrites the targets of `$ref` and `$state` objects in `v` with `f`
/// (unchanged where `f` gives `None`).
pub(crate) fn rewrite(v: &mut Value, f: &dyn Fn(&str) -> Option<String>) {
    match v {
        Value::Object(m) => {
            if m.len() == 1
                && let Some((k, Value::String(t))) = m.iter_mut().next()
                && k.starts_with('$')
            {
                if let Some(n) = f(t) {
                    *t = n;
                }
                return;
            }
            for x in m.values_mut() {
                rewrite(x, f);
            }
        }
        Value::Array(a) => {
            for x in a {
                rewrite(x, f);
            }
        }
        _ => {}
    }
}

/// The old address of each carried-over resource, by new address, from the
/// plan's pairs: what `$state` references to an existing resource name.
pub(crate) fn old_addresses<'a>(
    changes: &'a [super::diff::Change<'_>],
) -> BTreeMap<&'a str, &'a str> {
    changes
        .iter()
        .filter_map(|c| {
            let old = c.old?;
            (c.new.is_some() && old.address != c.address)
                .then_some((c.address.as_str(), old.address.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_follow_the_rename_and_nothing_else() {
        let m: BTreeMap<&str, &str> = [("campaign.old", "campaign.new")].into();
        let attrs = json!({
            "campaign_id": {"$ref": "campaign.old.campaign_id"},
            "creative_list": [{"creative_info": {"tiktok_item_id": {"$ref": "post.p.item_id"}}}],
            "adgroup_name": "campaign.old.campaign_id",
        });
        let got = renamed_refs(attrs.as_object().unwrap(), &m);
        assert_eq!(
            got["campaign_id"],
            json!({"$ref": "campaign.new.campaign_id"})
        );
        assert_eq!(
            got["creative_list"][0]["creative_info"]["tiktok_item_id"],
            json!({"$ref": "post.p.item_id"})
        );
        assert_eq!(got["adgroup_name"], "campaign.old.campaign_id");
    }
}
