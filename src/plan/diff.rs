//! Pairing the base and the new state: each resource's action and changed
//! fields, and what each change does ([`effect`], which asks
//! [`crate::api::update::effect`], the one place that decides update, kept
//! or replacement). The checks that only make sense on the pair (SP501–SP504)
//! are rules (`rules::sp50N_*`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde_json::Value;

use super::state::Res;
use super::{Action, FieldChange, Kind};
use crate::api::endpoints::order_matters;
pub(crate) use crate::api::update::Effect;
use crate::model::Date;

/// A resource of the plan with its action.
#[derive(Debug, Clone)]
pub(crate) struct Change<'a> {
    pub address: String,
    pub kind: Kind,
    pub name: String,
    pub managed: bool,
    pub action: Action,
    pub reason: Option<String>,
    pub fields: Vec<FieldChange>,
    /// What TikTok does with changes that are not sent (see [`Effect::Kept`]),
    /// and a start moved to the moment the call runs.
    pub notes: Vec<String>,
    /// The top-level fields the update call sends (in-place changes only).
    pub send: BTreeSet<String>,
    /// A code post of the new workspace that is authorized again (new code,
    /// new advertiser, or newly by code): `tt_video/authorize` and
    /// `tt_video/info` run for it, and nothing is unbound.
    pub authorize: bool,
    /// An ad group created (or re-created) with a start at or before today:
    /// it starts when the call runs (TikTok refuses a start more than 12
    /// hours in the past).
    pub start_now: bool,
    /// The new state (absent for a deletion).
    pub new: Option<&'a Res>,
    /// The base state (absent for a creation).
    pub old: Option<&'a Res>,
}

impl<'a> Change<'a> {
    fn new(r: &'a Res, action: Action, old: Option<&'a Res>, new: Option<&'a Res>) -> Self {
        Change {
            address: r.address.clone(),
            kind: r.kind,
            name: r.name.clone(),
            managed: r.managed || old.is_some_and(|o| o.managed),
            action,
            reason: None,
            fields: Vec::new(),
            notes: Vec::new(),
            send: BTreeSet::new(),
            authorize: false,
            start_now: false,
            new,
            old,
        }
    }
}

// ---------------------------------------------------------------------------
// Update semantics: the one place that decides what a changed field does.

/// What the plan does with one changed field of a resource that stays
/// ([`crate::api::update::effect`], the one place that decides it; posts and
/// read-only references have no update call: always [`Effect::Update`]).
pub(crate) fn effect(kind: Kind, field: &str, removed_whole: bool, under_cbo: bool) -> Effect {
    match kind.resource() {
        Some(r) => crate::api::update::effect(r, field, removed_whole, under_cbo),
        None => Effect::Update,
    }
}

/// The order of changes: top-level kinds in a fixed order, then the names
/// along the address (so a campaign comes right before its ad groups and
/// their ads). Compared without building a key (a sort of 18,000 changes
/// makes about 250,000 comparisons).
fn tree_order(a: &Change<'_>, b: &Change<'_>) -> std::cmp::Ordering {
    let rank = |kind| match kind {
        Kind::Advertiser => 0,
        Kind::Identity => 1,
        Kind::Media => 2,
        Kind::Post => 3,
        Kind::Campaign | Kind::AdGroup | Kind::Ad => 4,
    };
    fn names(address: &str) -> impl Iterator<Item = &str> {
        address.split('.').skip(1).step_by(2)
    }
    rank(a.kind)
        .cmp(&rank(b.kind))
        .then_with(|| names(&a.address).cmp(names(&b.address)))
}

pub use crate::api::update::flatten;

/// Whether two values of `path` are the same to TikTok: arrays whose order
/// does not matter ([`order_matters`]) are compared as multisets.
fn same(path: &str, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if !order_matters(path) => {
            let key = |v: &Value| serde_json::to_string(v).unwrap_or_default();
            let mut x: Vec<String> = x.iter().map(key).collect();
            let mut y: Vec<String> = y.iter().map(key).collect();
            x.sort();
            y.sort();
            x == y
        }
        _ => a == b,
    }
}

/// The fields that differ between `old` and `new`, sorted by path, each
/// with its [`Effect`].
pub(crate) fn field_changes(
    kind: Kind,
    old: &Res,
    new: &Res,
    under_cbo: bool,
) -> Vec<(FieldChange, Effect)> {
    field_changes_of(kind, old.attrs(), new, under_cbo)
}

/// [`field_changes`] with the base attributes given apart (a carried-over
/// resource's, with its references renamed).
fn field_changes_of(
    kind: Kind,
    old_attrs: &serde_json::Map<String, Value>,
    new: &Res,
    under_cbo: bool,
) -> Vec<(FieldChange, Effect)> {
    // Most resources of a pull request are unchanged: equal attributes have
    // equal flattened fields, so nothing is flattened (cloned) for them.
    // The same map (a base resource taken from the new resolution) first,
    // without comparing it entry by entry.
    if std::ptr::eq(old_attrs, new.attrs()) || old_attrs == new.attrs() {
        return Vec::new();
    }
    let a: BTreeMap<String, Value> = flatten(old_attrs).into_iter().collect();
    let b: BTreeMap<String, Value> = flatten(new.attrs()).into_iter().collect();
    let paths: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    paths
        .into_iter()
        .filter_map(|p| {
            let (o, n) = (a.get(p), b.get(p));
            let differs = match (o, n) {
                (Some(o), Some(n)) => !same(p, o, n),
                (None, None) => false,
                _ => true,
            };
            differs.then(|| {
                let top = p.split('.').next().unwrap_or(p);
                let removed_whole = !new.attrs().contains_key(top);
                let e = effect(kind, p, removed_whole, under_cbo);
                let fc = FieldChange {
                    field: p.clone(),
                    old: o.cloned(),
                    new: n.cloned(),
                    forces_replacement: matches!(e, Effect::Replace(_)),
                };
                (fc, e)
            })
        })
        .collect()
}

/// A resource's base, and the fields that differ from it.
type Compared<'a> = (&'a Res, Vec<(FieldChange, Effect)>);

/// Fields of a code post whose change means a new authorization.
const AUTHORIZATION_FIELDS: &[&str] = &["auth_code", "original_post_auth_code", "advertiser_id"];

/// Pairs the new resources with the base ones (none: everything is
/// created). `today_of` (today in an ad account, by `advertiser_id`) decides
/// which created ad groups start now.
pub(crate) fn pair<'a>(
    new: &'a [Res],
    base: Option<&'a [Res]>,
    today_of: &dyn Fn(&str) -> Date,
) -> Vec<Change<'a>> {
    // Lookups only (hashed: 18,000 addresses sharing long prefixes made a
    // sorted map's comparisons a tenth of the plan's time).
    let base_by: HashMap<&str, &Res> = base
        .unwrap_or_default()
        .iter()
        .map(|r| (r.address.as_str(), r))
        .collect();
    let new_by: HashMap<&str, &Res> = new.iter().map(|r| (r.address.as_str(), r)).collect();
    let cbo = |r: &Res| {
        r.parent
            .as_deref()
            .and_then(|p| new_by.get(p))
            .is_some_and(|c| c.attrs().get("budget_optimize_on") == Some(&Value::Bool(true)))
    };
    let carried = super::rename::carried(new, &base_by, &new_by);
    // Sized once: growing it by doubling copied it into fresh memory 15
    // times for the 18,000 resources of the 10,000-ad corpus.
    let mut changes: Vec<Change<'a>> = Vec::with_capacity(new.len() + base.map_or(0, <[Res]>::len));
    // Each resource is compared with its base on the thread pool (a deep
    // comparison of every request body: most of a `--base` plan's diff).
    let compared: Vec<Option<Compared<'_>>> = new
        .par_iter()
        .map(|r| {
            let old = base_by
                .get(r.address.as_str())
                .or_else(|| carried.by_new.get(r.address.as_str()))
                .copied()?;
            let under_cbo = r.kind == Kind::AdGroup && cbo(r);
            let fields = if old.address == r.address {
                field_changes(r.kind, old, r, under_cbo)
            } else {
                // Carried over from its old key: its references to renamed
                // parents are compared under their new addresses.
                let attrs = super::rename::renamed_refs(old.attrs(), &carried.new_of_old);
                field_changes_of(r.kind, &attrs, r, under_cbo)
            };
            Some((old, fields))
        })
        .collect();
    for (r, compared) in new.iter().zip(compared) {
        let Some((old, fields)) = compared else {
            let mut c = Change::new(r, Action::Create, None, Some(r));
            c.authorize = r.kind == Kind::Post && r.managed;
            changes.push(c);
            continue;
        };
        let mut c = Change::new(r, Action::NoOp, Some(old), Some(r));
        if r.kind == Kind::Post {
            let reauthorized = r.managed
                && (!old.managed
                    || fields
                        .iter()
                        .any(|(f, _)| AUTHORIZATION_FIELDS.contains(&f.field.as_str())));
            if reauthorized {
                c.authorize = true;
                c.reason = Some(if old.managed {
                    "a new video code (or ad account) is a new authorization: the code is authorized and read again; nothing is unbound, because the code may grant the same post the ads use".to_owned()
                } else {
                    "the post is now authorized by video code".to_owned()
                });
            } else if old.managed && !r.managed {
                c.reason = Some(
                    "the post is now a post of an account: its video code is no longer used (it is not unbound: only a post removed from the manifests is)".to_owned(),
                );
            }
        }
        if let Some((_, Effect::Replace(why))) =
            fields.iter().find(|(_, e)| matches!(e, Effect::Replace(_)))
        {
            c.action = Action::Replace;
            c.reason = Some(why.clone());
        } else if fields.is_empty() && old.managed == r.managed {
            c.action = Action::NoOp;
        } else {
            c.action = Action::Update;
            for (f, e) in &fields {
                match e {
                    Effect::Update => {
                        let top = f.field.split('.').next().unwrap_or(&f.field);
                        c.send.insert(top.to_owned());
                    }
                    Effect::Kept(note) => {
                        if !c.notes.contains(note) {
                            c.notes.push(note.clone());
                        }
                    }
                    Effect::Replace(_) => {}
                }
            }
        }
        c.fields = fields.into_iter().map(|(f, _)| f).collect();
        changes.push(c);
    }
    for old in base.unwrap_or_default() {
        if !new_by.contains_key(old.address.as_str())
            && !carried.new_of_old.contains_key(old.address.as_str())
        {
            changes.push(Change::new(old, Action::Delete, Some(old), None));
        }
    }
    changes.sort_by(tree_order);
    cascade(&mut changes);
    for c in &mut changes {
        if c.kind == Kind::AdGroup
            && matches!(c.action, Action::Create | Action::Replace)
            && let Some(r) = c.new
            && let Some((start, _)) = r.flight
            && let today = today_of(&r.advertiser_id)
            && start <= today
        {
            c.start_now = true;
            c.notes.push(format!(
                "starts now: the declared start {start} is not after today ({today}), and TikTok refuses a start more than 12 hours in the past, so `schedule_start_time` is the time the call runs"
            ));
        }
    }
    changes
}

/// A replaced campaign replaces its ad groups and ads; a replaced ad group
/// its ads; an ad that uses a code post authorized again resubmits its
/// creative list (it points at the item the new code grants).
fn cascade(changes: &mut [Change<'_>]) {
    let replaced: BTreeSet<String> = changes
        .iter()
        .filter(|c| c.action == Action::Replace)
        .map(|c| c.address.clone())
        .collect();
    let reauthorized: BTreeSet<String> = changes
        .iter()
        .filter(|c| c.kind == Kind::Post && c.authorize && c.action != Action::Create)
        .map(|c| c.address.clone())
        .collect();
    let mut replaced_parents = replaced.clone();
    // Changes are in tree order: a parent is decided before its children.
    for c in changes.iter_mut() {
        if matches!(c.action, Action::Create | Action::Delete) {
            continue;
        }
        let parent = c.new.and_then(|r| r.parent.clone());
        if let Some(p) = parent
            && replaced_parents.contains(&p)
        {
            if c.action != Action::Replace {
                c.action = Action::Replace;
                c.reason = Some(format!("its parent `{p}` is replaced"));
                c.notes.clear();
                c.send.clear();
            }
            replaced_parents.insert(c.address.clone());
            continue;
        }
        if c.kind == Kind::Ad
            && matches!(c.action, Action::NoOp | Action::Update)
            && let Some(r) = c.new
            && let Some(post) = r
                .code_posts
                .iter()
                .find(|p| reauthorized.contains(&super::address(Kind::Post, p)))
        {
            if c.action == Action::NoOp {
                c.action = Action::Update;
                c.reason = Some(format!(
                    "`post.{post}` is authorized again: the creative list is resubmitted with the item its new code grants"
                ));
            }
            c.send.insert("creative_list".to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replaces(e: &Effect) -> bool {
        matches!(e, Effect::Replace(_))
    }

    #[test]
    fn effect_decides_update_kept_or_replace_from_the_update_trees() {
        let e = |k, f, removed, cbo| effect(k, f, removed, cbo);
        // Accepted by the update calls.
        assert_eq!(e(Kind::Campaign, "budget", false, false), Effect::Update);
        assert_eq!(
            e(Kind::Campaign, "campaign_name", false, false),
            Effect::Update
        );
        // Display names (`name:`): in place, never a replacement.
        assert_eq!(
            e(Kind::AdGroup, "adgroup_name", false, false),
            Effect::Update
        );
        assert_eq!(e(Kind::Ad, "ad_name", false, false), Effect::Update);
        assert_eq!(
            e(Kind::AdGroup, "targeting_spec.location_ids", false, false),
            Effect::Update
        );
        assert_eq!(
            e(Kind::AdGroup, "schedule_end_time", false, false),
            Effect::Update
        );
        assert_eq!(e(Kind::Ad, "creative_list", false, false), Effect::Update);
        assert_eq!(
            e(Kind::Ad, "ad_configuration.call_to_action_id", false, false),
            Effect::Update
        );
        // Not accepted: replaced.
        for (k, f) in [
            (Kind::Campaign, "objective_type"),
            (Kind::Campaign, "budget_mode"),
            (Kind::Campaign, "budget_optimize_on"),
            (Kind::Campaign, "sales_destination"),
            (Kind::Campaign, "app_promotion_type"),
            (Kind::AdGroup, "placements"),
            (Kind::AdGroup, "placement_type"),
            (Kind::AdGroup, "budget_mode"),
            (Kind::AdGroup, "optimization_goal"),
            (Kind::AdGroup, "promotion_type"),
            (Kind::AdGroup, "billing_event"),
            (Kind::AdGroup, "pixel_id"),
            (Kind::AdGroup, "targeting_spec.app_targeting_type"),
            (Kind::Ad, "advertiser_id"),
            (Kind::Ad, "ad_configuration.product_display_field_list"),
        ] {
            assert!(replaces(&e(k, f, false, false)), "{k:?} {f}");
        }
        // An ad group's budget under a campaign budget: never a replacement.
        assert!(matches!(
            e(Kind::AdGroup, "budget_mode", false, true),
            Effect::Kept(_)
        ));
        assert_eq!(e(Kind::AdGroup, "budget", false, true), Effect::Update);
        assert!(matches!(
            e(Kind::AdGroup, "budget", true, true),
            Effect::Kept(_)
        ));
        // A removed field the update accepts: kept by TikTok, never null.
        assert!(matches!(
            e(Kind::Ad, "landing_page_url_list", true, false),
            Effect::Kept(_)
        ));
        assert!(matches!(
            e(Kind::Campaign, "po_number", true, false),
            Effect::Kept(_)
        ));
        // Posts and references have no update call.
        assert_eq!(e(Kind::Post, "auth_code", false, false), Effect::Update);
    }

    #[test]
    fn unordered_arrays_compare_as_multisets() {
        let a = serde_json::json!([{"x": 1}, {"y": 2}]);
        let b = serde_json::json!([{"y": 2}, {"x": 1}]);
        assert!(same("creative_list", &a, &b));
        assert!(!same("api_list", &a, &b));
        let c = serde_json::json!([{"x": 1}, {"x": 1}]);
        assert!(!same("creative_list", &a, &c));
    }
}
