//! What an update call does with a changed field of a request body: sent,
//! kept by TikTok (with a note), or a replacement. The one place that decides
//! "this change forces a replacement": the plan's diff (`plan::diff`) and the
//! pair rule SP503 (`rules::sp503_immutable_field_changed`) both read
//! [`effect`]. Fields are dotted paths of the create body ([`flatten`]).

use serde_json::{Map, Value};

use super::endpoints::Resource;

/// What the plan does with one changed field of a resource that stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Sent by the update call.
    Update,
    /// Not sent; the note says what TikTok does instead.
    Kept(String),
    /// The resource is deleted and created again; the reason says why.
    Replace(String),
}

/// Decides what a change of `field` (a dotted path of the create body) of
/// the resource `r` does: sent by the update call, kept by TikTok, or a replacement.
/// `removed_whole`: the field's top-level key is no longer in the body at
/// all. `under_cbo`: the ad group's campaign has a campaign budget.
///
/// Sources: the update trees (`src/api/endpoints.rs`); "`placement_type` /
/// `placements` cannot be updated after creation" (TFP `objects.json`
/// `smart_plus_adgroup_create`; GO `model/adgroup/smartplus/create.go`);
/// `budget_mode` "cannot be changed" and the objective is fixed (TFP
/// `campaigns.json`); an ad-group budget "is ignored when CBO is enabled"
/// (TFP `smart_plus_adgroup_create`); "Removing a field does not reset it
/// remotely" (TFP `README.md`).
pub fn effect(r: Resource, field: &str, removed_whole: bool, under_cbo: bool) -> Effect {
    let top = field.split('.').next().unwrap_or(field);
    let replace = |why: &str| Effect::Replace(why.to_owned());
    match (r, top) {
        (_, "advertiser_id") => {
            return replace(
                "the advertiser (ad account) cannot change: the resource is created in the new account",
            );
        }
        (Resource::Campaign, "objective_type") => {
            return replace("`objective_type` cannot change after the campaign is created");
        }
        (Resource::Campaign, "budget_optimize_on") => {
            return replace(
                "budget optimization (a campaign budget) cannot be switched on or off after the campaign is created",
            );
        }
        (Resource::AdGroup, "budget_mode" | "budget") if under_cbo => {
            return if top == "budget" && !removed_whole {
                Effect::Update
            } else {
                Effect::Kept(format!(
                    "`{field}` is not sent: TikTok ignores an ad group's budget under a campaign budget (CBO), so the change is never a replacement"
                ))
            };
        }
        (Resource::Campaign | Resource::AdGroup, "budget_mode") => {
            return replace("`budget_mode` cannot change after creation");
        }
        // `status:` is changed by the `*/status/update` calls (api-audit A5;
        // the update trees have no `operation_status`), never a replacement:
        // ops::status_op sends it, and removing `status:` means `ENABLE`.
        (Resource::Campaign | Resource::AdGroup | Resource::Ad, "operation_status") => {
            return Effect::Update;
        }
        (Resource::AdGroup, "placements" | "placement_type") => {
            return replace(
                "placements cannot change after the ad group is created (`smart_plus/adgroup/update` has no `placements` or `placement_type`)",
            );
        }
        _ => {}
    }
    if removed_whole && r.update_accepts(top) {
        return Effect::Kept(format!(
            "`{top}` is no longer declared, but `{}` cannot clear a field: TikTok keeps the old value",
            r.update_endpoint()
        ));
    }
    if !r.update_accepts(field) {
        return Effect::Replace(format!(
            "`{field}` cannot be changed by `{}` (the official update tree has no such field): it is set only at creation",
            r.update_endpoint()
        ));
    }
    Effect::Update
}

/// Flattens nested objects into dotted paths, in the objects' order; arrays,
/// empty objects and reference objects are leaves.
pub fn flatten(map: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    flatten_into("", map, &mut out);
    out
}

fn is_reference(m: &Map<String, Value>) -> bool {
    m.len() == 1 && m.keys().any(|k| k.starts_with('$'))
}

fn flatten_into(prefix: &str, map: &Map<String, Value>, out: &mut Vec<(String, Value)>) {
    for (k, v) in map {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Object(inner) if !is_reference(inner) && !inner.is_empty() => {
                flatten_into(&path, inner, out);
            }
            _ => out.push((path, v.clone())),
        }
    }
}
