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
/// `budget` bounds the tree's nodes (the file's own included) and the bytes
/// the copies add; past it, SP013.
pub fn apply(root: &Node, mut budget: Budget) -> Result<Option<Node>, Box<Diagnostic>> {
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
    // `max_nodes` bounds the whole tree: the file's own nodes, then the copies.
    budget.nodes = budget.nodes.saturating_sub(root.count());
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
            // An ad group that is not a mapping is left as written (SP004).
            if g.value.as_map().is_none() {
                continue;
            }
            match overlay(&defaults.value, &g.value, &mut budget) {
                Some(merged) => g.value = merged,
                None => return Err(Box::new(too_large(defaults.key.span))),
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

/// The mappings an ad group may leave partial under `ad_group_defaults`
/// (the defaults fill them in, key by key): their schema copies without
/// `required`, named `Partial…`. Lists are replaced whole, so what is inside
/// one (a creative) stays complete.
const PARTIAL: [&str; 3] = ["Budget", "Schedule", "Ad"];

/// Completes the JSON Schema for `ad_group_defaults` (`schema::schema`
/// calls it on the `definitions`): `AdGroupDefaults` and, in a campaign that
/// has defaults, every ad group, is an ad group whose fields, and the fields
/// of its `budget`, `schedule` and ads, are all optional, as `check` reads
/// them. Editors cannot see what the defaults hold, so the fields a merged ad
/// group still misses are `check`'s to report (SP005).
pub fn complete_schema(defs: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::{Value, json};
    fn partial_refs(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get_mut("$ref")
                    && let Some(name) = r.strip_prefix("#/definitions/")
                    && PARTIAL.contains(&name)
                {
                    *r = format!("#/definitions/Partial{name}");
                }
                for (k, sub) in m.iter_mut() {
                    // Inside a list, items are complete.
                    if k != "items" {
                        partial_refs(sub);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(partial_refs),
            _ => {}
        }
    }
    for name in PARTIAL {
        let Some(Value::Object(full)) = defs.get(name) else {
            continue;
        };
        let mut p = full.clone();
        p.remove("required");
        p.remove("anyOf");
        if let Some(Value::String(t)) = p.get("title").cloned() {
            p.insert(
                "title".into(),
                Value::String(format!("{t} (over defaults)")),
            );
        }
        let mut p = Value::Object(p);
        partial_refs(&mut p);
        defs.insert(format!("Partial{name}"), p);
    }
    if let Some(d) = defs.get_mut("AdGroupDefaults") {
        partial_refs(d);
    }
    if let Some(Value::Object(c)) = defs.get_mut("Campaign") {
        // The ad groups of a campaign with defaults are partial; of one
        // without, complete (`anyOf`: editors read it alike, `if` they do not).
        if let Some(Value::Object(g)) = c.get_mut("properties").and_then(|p| p.get_mut("ad_groups"))
        {
            g.insert(
                "additionalProperties".into(),
                json!({ "$ref": "#/definitions/AdGroupDefaults" }),
            );
        }
        c.insert(
            "anyOf".into(),
            json!([
                { "required": ["ad_group_defaults"] },
                { "properties": { "ad_groups": {
                    "additionalProperties": { "$ref": "#/definitions/AdGroup" }
                } } }
            ]),
        );
    }
}
