//! `ad_group_defaults`: fields every ad group of a campaign starts from.
//!
//! The defaults are applied to the YAML tree, before decoding: each ad group
//! of the campaign is replaced by the defaults overlaid with the ad group
//! ([`crate::syntax::merge::overlay`]): mappings merge key by key, at every
//! depth (so `budget: {amount: 150}` keeps the default `mode`, and `ads:`
//! adds to the default ads); lists and scalars written in the ad group
//! replace the default whole. The decoder, the rules and the plan then see
//! ordinary ad groups, and every value copied from the defaults keeps its
//! span, so a diagnostic about it points into `ad_group_defaults`, where it
//! is written (and is reported once, however many ad groups it reaches).
//!
//! The defaults are decoded on their own too, as an ad group whose fields
//! are all optional, so a mistake in them is reported even when no ad group
//! uses it. Copies count against the safety limits (SP013).

use super::decode::{Cx, Decode};
use super::manifest::AdGroup;
use crate::diag::{Diagnostic, Span};
use crate::syntax::merge::{Budget, overlay};
use crate::syntax::{Entry, Kind, Node};

/// `ad_group_defaults`: any ad-group field, all optional. Only checked here;
/// the values reach the model through the ad groups they are applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdGroupDefaults;

impl Decode for AdGroupDefaults {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let before = cx.diags.len();
        let _ = AdGroup::decode(node, cx);
        // A field the defaults leave out is the ad groups' to set: missing
        // fields are reported on the ad groups, after the merge.
        let mut i = before;
        while i < cx.diags.len() {
            if cx.diags[i].is(&super::codes::SP005) {
                cx.diags.remove(i);
            } else {
                i += 1;
            }
        }
        (cx.diags.len() == before).then_some(AdGroupDefaults)
    }
}

impl schemars::JsonSchema for AdGroupDefaults {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AdGroupDefaults".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut s = AdGroup::json_schema(generator);
        if let Some(o) = s.as_object_mut() {
            o.remove("required");
            o.insert(
                "description".into(),
                "Defaults for every ad group of the campaign: any ad-group field, all optional. Each ad group overrides them field by field: mappings merge key by key, lists and single values are replaced (docs/reuse.md).".into(),
            );
        }
        s
    }
}

/// The tree with each campaign's `ad_group_defaults` applied to its ad
/// groups; `Ok(None)` when no campaign has defaults (nothing is copied).
/// `budget` bounds what the copies may add; past it, SP013.
pub fn apply(root: &Node, mut budget: Budget) -> Result<Option<Node>, Diagnostic> {
    let Some(campaigns) = root.get("campaigns").and_then(Node::as_map) else {
        return Ok(None);
    };
    let has_defaults = |c: &Entry| {
        c.value
            .get("ad_group_defaults")
            .is_some_and(|d| d.as_map().is_some())
    };
    if !campaigns.iter().any(has_defaults) {
        return Ok(None);
    }
    let mut campaigns = campaigns.to_vec();
    for c in &mut campaigns {
        if !has_defaults(c) {
            continue;
        }
        let Kind::Map(fields) = &mut c.value.kind else {
            continue;
        };
        let Some(defaults) = fields
            .iter()
            .find(|f| is_key(f, "ad_group_defaults"))
            .cloned()
        else {
            continue;
        };
        let Some(groups) = fields.iter_mut().find(|f| is_key(f, "ad_groups")) else {
            continue;
        };
        let Kind::Map(groups) = &mut groups.value.kind else {
            continue;
        };
        for g in groups.iter_mut() {
            // `de:` alone (null) is an ad group made of the defaults.
            let over = if g.value.is_null() {
                Node {
                    kind: Kind::Map(Vec::new()),
                    span: g.value.span,
                }
            } else {
                g.value.clone()
            };
            match overlay(&defaults.value, &over, &mut budget) {
                Some(merged) => g.value = merged,
                None => return Err(too_large(defaults.key.span)),
            }
        }
    }
    let Kind::Map(top) = &root.kind else {
        return Ok(None);
    };
    let entries = top
        .iter()
        .map(|e| {
            if is_key(e, "campaigns") {
                Entry {
                    key: e.key.clone(),
                    value: Node {
                        kind: Kind::Map(std::mem::take(&mut campaigns)),
                        span: e.value.span,
                    },
                }
            } else {
                e.clone()
            }
        })
        .collect();
    Ok(Some(Node {
        kind: Kind::Map(entries),
        span: root.span,
    }))
}

fn is_key(e: &Entry, name: &str) -> bool {
    e.key.as_scalar().is_some_and(|s| s.text == name)
}

fn too_large(at: Span) -> Diagnostic {
    Diagnostic::new(
        &crate::syntax::codes::SP013,
        "`ad_group_defaults` copied into every ad group make this file too large",
    )
    .primary(at, "copied into each ad group")
    .note("each ad group gets a copy of the defaults it does not override; the copies count against `limits.max_nodes` and `limits.max_expanded_bytes`")
    .help("raise `limits.max_nodes` or `limits.max_expanded_bytes` in `sparkplan.toml` if this file is genuine")
}
