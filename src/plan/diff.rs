//! Pairing the base and the new state: each resource's action and changed
//! fields, what each change does ([`effect`]: the one place that decides
//! update, kept or replacement), and the checks that only make sense on the
//! pair (SP501–SP504).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::state::Res;
use super::{Action, FieldChange, Kind};
use crate::api::endpoints::order_matters;
use crate::diag::{Diagnostic, FileId, Span};
use crate::model::{BudgetMode, Date, Post, Visibility};
use crate::workspace::Workspace;

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

/// What the plan does with one changed field of a resource that stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Sent by the update call.
    Update,
    /// Not sent; the note says what TikTok does instead.
    Kept(String),
    /// The resource is deleted and created again; the reason says why.
    Replace(String),
}

/// Decides what a change of `field` (a dotted path of the create body) of a
/// `kind` does: sent by the update call, kept by TikTok, or a replacement.
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
pub(crate) fn effect(kind: Kind, field: &str, removed_whole: bool, under_cbo: bool) -> Effect {
    let Some(r) = kind.resource() else {
        // Posts and read-only references: nothing to update through the API.
        return Effect::Update;
    };
    let top = field.split('.').next().unwrap_or(field);
    let replace = |why: &str| Effect::Replace(why.to_owned());
    match (kind, top) {
        (_, "advertiser_id") => {
            return replace(
                "the advertiser (ad account) cannot change: the resource is created in the new account",
            );
        }
        (Kind::Campaign, "objective_type") => {
            return replace("`objective_type` cannot change after the campaign is created");
        }
        (Kind::Campaign, "budget_optimize_on") => {
            return replace(
                "budget optimization (a campaign budget) cannot be switched on or off after the campaign is created",
            );
        }
        (Kind::AdGroup, "budget_mode" | "budget") if under_cbo => {
            return if top == "budget" && !removed_whole {
                Effect::Update
            } else {
                Effect::Kept(format!(
                    "`{field}` is not sent: TikTok ignores an ad group's budget under a campaign budget (CBO), so the change is never a replacement"
                ))
            };
        }
        (Kind::Campaign | Kind::AdGroup, "budget_mode") => {
            return replace("`budget_mode` cannot change after creation");
        }
        // `status:` is changed by the `*/status/update` calls (api-audit A5;
        // the update trees have no `operation_status`), never a replacement:
        // ops::status_op sends it, and removing `status:` means `ENABLE`.
        (Kind::Campaign | Kind::AdGroup | Kind::Ad, "operation_status") => {
            return Effect::Update;
        }
        (Kind::AdGroup, "placements" | "placement_type") => {
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

/// Why a change TikTok refuses is refused, if it is: removing the US from an
/// ad group's locations (SP504): "If you add the US as a target location, you
/// cannot remove the US after campaign creation" (TFP `objects.json`
/// `smart_plus_adgroup_create`, `_update`). `old`/`new`: TikTok location IDs
/// (the US is its GeoNames ID, from the same table as every country).
pub(crate) fn refused_location_change(old: &[&str], new: &[&str]) -> Option<&'static str> {
    let us_id = crate::model::geo::country("US").map(|(id, _)| id);
    let us = |l: &&str| Some(*l) == us_id;
    (old.iter().any(us) && !new.iter().any(us)).then_some(
        "TikTok does not allow removing the US from an ad group's locations once it targets it",
    )
}

/// Sort key: top-level kinds in a fixed order, then the names along the
/// address (so a campaign comes right before its ad groups and their ads).
fn sort_key(kind: Kind, address: &str) -> (u8, Vec<&str>) {
    let rank = match kind {
        Kind::Advertiser => 0,
        Kind::Identity => 1,
        Kind::Media => 2,
        Kind::Post => 3,
        Kind::Campaign | Kind::AdGroup | Kind::Ad => 4,
    };
    let names = address.split('.').skip(1).step_by(2).collect();
    (rank, names)
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
    field_changes_of(kind, &old.attrs, new, under_cbo)
}

/// [`field_changes`] with the base attributes given apart (a carried-over
/// resource's, with its references renamed).
fn field_changes_of(
    kind: Kind,
    old_attrs: &Map<String, Value>,
    new: &Res,
    under_cbo: bool,
) -> Vec<(FieldChange, Effect)> {
    // Most resources of a pull request are unchanged: equal attributes have
    // equal flattened fields, so nothing is flattened (cloned) for them.
    if *old_attrs == new.attrs {
        return Vec::new();
    }
    let a: BTreeMap<String, Value> = flatten(old_attrs).into_iter().collect();
    let b: BTreeMap<String, Value> = flatten(&new.attrs).into_iter().collect();
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
                let removed_whole = !new.attrs.contains_key(top);
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
    let base_by: BTreeMap<&str, &Res> = base
        .unwrap_or_default()
        .iter()
        .map(|r| (r.address.as_str(), r))
        .collect();
    let new_by: BTreeMap<&str, &Res> = new.iter().map(|r| (r.address.as_str(), r)).collect();
    let cbo = |r: &Res| {
        r.parent
            .as_deref()
            .and_then(|p| new_by.get(p))
            .is_some_and(|c| c.attrs.get("budget_optimize_on") == Some(&Value::Bool(true)))
    };
    let carried = super::rename::carried(new, &base_by, &new_by);
    let mut changes: Vec<Change<'a>> = Vec::new();
    for r in new {
        let old = base_by
            .get(r.address.as_str())
            .or_else(|| carried.by_new.get(r.address.as_str()))
            .copied();
        let Some(old) = old else {
            let mut c = Change::new(r, Action::Create, None, Some(r));
            c.authorize = r.kind == Kind::Post && r.managed;
            changes.push(c);
            continue;
        };
        let under_cbo = r.kind == Kind::AdGroup && cbo(r);
        let fields = if old.address == r.address {
            field_changes(r.kind, old, r, under_cbo)
        } else {
            // Carried over from its old key: its references to renamed
            // parents are compared under their new addresses.
            let attrs = super::rename::renamed_refs(&old.attrs, &carried.new_of_old);
            field_changes_of(r.kind, &attrs, r, under_cbo)
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
    changes.sort_by(|a, b| sort_key(a.kind, &a.address).cmp(&sort_key(b.kind, &b.address)));
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

// ---------------------------------------------------------------------------
// SP501–SP503

fn shift(span: Span, offset: u32) -> Span {
    Span {
        file: FileId(span.file.0.saturating_add(offset)),
        ..span
    }
}

fn visibility(p: &Post) -> Visibility {
    p.visibility
        .as_ref()
        .map_or(Visibility::Public, |v| v.value)
}

/// The names of posts used by an ad of `ws`.
fn used_posts(ws: &Workspace) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for c in ws.campaigns.values() {
        let Some(groups) = &c.value.ad_groups else {
            continue;
        };
        for (_, g) in groups.iter() {
            let Some(ads) = &g.ads else { continue };
            for (_, ad) in ads.iter() {
                for cr in &ad.creatives.value {
                    if let Some(p) = &cr.value.post {
                        out.insert(p.value.0.clone());
                    }
                }
            }
        }
    }
    out
}

fn advertiser_id(ws: &Workspace, name: &str) -> Option<String> {
    ws.advertisers
        .get(name)
        .map(|a| a.value.advertiser_id.value.0.clone())
}

/// Checks SP501–SP503 on the pair. Labels point into `new`; secondary
/// labels into `base`, whose files are numbered from `base_offset` on in the
/// combined source map.
pub fn check_pair(new: &Workspace, base: &Workspace, base_offset: u32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let used_in_base = used_posts(base);
    for (name, def) in &new.posts {
        let Some(old) = base.posts.get(name) else {
            continue;
        };
        let (p, o) = (&def.value, &old.value);
        // The same post: the same video code, or the same account item.
        let same_code = p.video_code.is_some()
            && p.video_code.as_ref().map(|c| &c.value) == o.video_code.as_ref().map(|c| &c.value);
        let same_item = p.item_id.is_some()
            && p.item_id.as_ref().map(|c| &c.value) == o.item_id.as_ref().map(|c| &c.value);
        if (same_code || same_item)
            && p.caption.as_ref().map(|c| &c.value) != o.caption.as_ref().map(|c| &c.value)
        {
            let what = if same_code { "video code" } else { "item ID" };
            let mut d = Diagnostic::new(
                &crate::rules::plan_diff::SP501,
                format!("the caption of post `{name}` changed while its {what} stayed the same"),
            )
            .primary(
                p.caption.as_ref().map_or(def.name.span, |c| c.span),
                "caption changed",
            );
            if let Some(c) = &o.caption {
                d = d.secondary(shift(c.span, base_offset), "the caption in the base");
            }
            // The base's caption is the start of the new one: most likely
            // the record is being corrected (an unquoted caption had lost
            // its hashtags to a comment), not the post changed.
            let correction = matches!(
                (&o.caption, &p.caption),
                (Some(oc), Some(nc)) if nc.value.starts_with(oc.value.trim_end())
            );
            let help = if correction {
                "if the post on TikTok did not change and only the manifest's record was wrong (here the base's caption is the start of the new one, as when an unquoted caption lost its hashtags), accept the correction with `# sparkplan-allow: SP501 <reason>` on the post; if the creator changed the post, have them publish a new post and send its video code"
            } else {
                "if only the manifest's record was wrong (the post on TikTok did not change), accept the correction with `# sparkplan-allow: SP501 <reason>` on the post; otherwise keep the caption as it was, or have the creator publish a new post and send its video code"
            };
            out.push(
                d.note("TikTok does not allow editing a post's caption once it is authorized for Spark Ads")
                    .help(help),
            );
        }
        let (vp, vo) = (visibility(p), visibility(o));
        if vp != vo && used_in_base.contains(name) {
            let mut d = Diagnostic::new(
                &crate::rules::plan_diff::SP502,
                format!(
                    "the visibility of post `{name}` changed from `{}` to `{}` while ads use it",
                    vo.as_str(),
                    vp.as_str()
                ),
            )
            .primary(
                p.visibility.as_ref().map_or(def.name.span, |v| v.span),
                "visibility changed",
            );
            if let Some(v) = &o.visibility {
                d = d.secondary(shift(v.span, base_offset), "the visibility in the base");
            }
            out.push(
                d.note("a post's privacy cannot change while it is promoted as a Spark Ad")
                    .help("keep the visibility, or first remove the post from every ad in a separate change"),
            );
        }
        if p.video_code.is_some() && o.video_code.is_some() {
            let (na, oa) = (
                p.advertiser
                    .as_ref()
                    .and_then(|a| advertiser_id(new, &a.value.0)),
                o.advertiser
                    .as_ref()
                    .and_then(|a| advertiser_id(base, &a.value.0)),
            );
            if na != oa {
                let mut d = Diagnostic::new(
                    &crate::rules::plan_diff::SP503,
                    format!(
                        "post `{name}` moves to another advertiser: it is authorized again there"
                    ),
                )
                .primary(
                    p.advertiser.as_ref().map_or(def.name.span, |a| a.span),
                    "advertiser changed",
                );
                if let Some(a) = &o.advertiser {
                    d = d.secondary(shift(a.span, base_offset), "the advertiser in the base");
                }
                out.push(
                    d.note("a video code is authorized to one ad account: the code is authorized to the new account (the old account's binding is left as it is: only a post removed from the manifests is unbound)"),
                );
            }
        }
    }
    for (cname, def) in &new.campaigns {
        // A renamed campaign is compared with the one it carries over.
        let renamed = || {
            let o = def.value.renamed_from.as_ref()?;
            base.campaigns.get(&o.value.0)
        };
        let Some(old) = base.campaigns.get(cname).or_else(renamed) else {
            continue;
        };
        let (c, o) = (&def.value, &old.value);
        let addr = format!("campaign.{cname}");
        if c.objective.value != o.objective.value {
            out.push(
                replace_warning(
                    &addr,
                    "objective",
                    o.objective.value.as_str(),
                    c.objective.value.as_str(),
                    c.objective.span,
                    Some(shift(o.objective.span, base_offset)),
                )
                .note("a campaign's objective cannot change after it is created"),
            );
        }
        let (na, oa) = (
            advertiser_id(new, &c.advertiser.value.0),
            advertiser_id(base, &o.advertiser.value.0),
        );
        if na != oa {
            out.push(
                replace_warning(
                    &addr,
                    "advertiser",
                    oa.as_deref().unwrap_or("?"),
                    na.as_deref().unwrap_or("?"),
                    c.advertiser.span,
                    Some(shift(o.advertiser.span, base_offset)),
                )
                .note("a campaign belongs to one ad account: it is created again in the new one, with its ad groups and ads"),
            );
        }
        let mode = |b: &Option<crate::model::Spanned<crate::model::Budget>>| {
            b.as_ref().map(|b| (b.value.mode.value, b.value.mode.span))
        };
        if let Some(d) = budget_mode_warning(
            &addr,
            mode(&c.budget),
            mode(&o.budget),
            def.name.span,
            old.name.span,
            base_offset,
        ) {
            out.push(d);
        }
        api_replacements(
            &mut out,
            Kind::Campaign,
            &addr,
            (c.api.as_ref(), def.name.span),
            o.api.as_ref(),
            false,
            base_offset,
        );
        let (Some(groups), Some(old_groups)) = (&c.ad_groups, &o.ad_groups) else {
            continue;
        };
        for (gname, g) in groups.iter() {
            let Some((oname, og)) = old_groups
                .iter()
                .find(|(n, _)| n.value == gname.value)
                .or_else(|| {
                    let o = g.renamed_from.as_ref()?;
                    old_groups.iter().find(|(n, _)| n.value == o.value.0)
                })
            else {
                continue;
            };
            let gaddr = format!("{addr}.ad_group.{}", gname.value);
            // Under a campaign budget TikTok ignores the ad group's budget:
            // changing its mode is never a replacement (see `effect`).
            if c.budget.is_none()
                && let Some(d) = budget_mode_warning(
                    &gaddr,
                    mode(&g.budget),
                    mode(&og.budget),
                    gname.span,
                    oname.span,
                    base_offset,
                )
            {
                out.push(d);
            }
            let words = |p: &Option<crate::model::Spanned<crate::model::Placements>>| {
                p.as_ref()
                    .map_or("automatic".to_owned(), |p| placements_word(&p.value))
            };
            let (np, op) = (words(&g.placements), words(&og.placements));
            if np != op {
                out.push(
                    replace_warning(
                        &gaddr,
                        "placements",
                        &op,
                        &np,
                        g.placements.as_ref().map_or(gname.span, |p| p.span),
                        Some(shift(
                            og.placements.as_ref().map_or(oname.span, |p| p.span),
                            base_offset,
                        )),
                    )
                    .note("`smart_plus/adgroup/update` has no `placements` or `placement_type`: placements cannot change after the ad group is created"),
                );
            }
            let loc = |g: &crate::model::AdGroup| -> Vec<String> {
                g.locations
                    .value
                    .iter()
                    .map(|l| l.value.location_id().to_owned())
                    .collect()
            };
            let (nl, ol) = (loc(g), loc(og));
            let (nl, ol): (Vec<&str>, Vec<&str>) = (
                nl.iter().map(String::as_str).collect(),
                ol.iter().map(String::as_str).collect(),
            );
            if let Some(why) = refused_location_change(&ol, &nl) {
                out.push(
                    Diagnostic::new(
                        &crate::rules::plan_diff::SP504,
                        format!("`{gaddr}` no longer targets the US, which it targeted before"),
                    )
                    .primary(g.locations.span, "the US is missing here")
                    .secondary(shift(og.locations.span, base_offset), "the locations in the base")
                    .note(why)
                    .help("keep `US` in `locations`, or create a new ad group (under a new name) for the other locations"),
                );
            }
            api_replacements(
                &mut out,
                Kind::AdGroup,
                &gaddr,
                (g.api.as_ref(), gname.span),
                og.api.as_ref(),
                c.budget.is_some(),
                base_offset,
            );
            let (Some(ads), Some(old_ads)) = (&g.ads, &og.ads) else {
                continue;
            };
            for (aname, ad) in ads.iter() {
                let Some((_, oad)) = old_ads
                    .iter()
                    .find(|(n, _)| n.value == aname.value)
                    .or_else(|| {
                        let o = ad.renamed_from.as_ref()?;
                        old_ads.iter().find(|(n, _)| n.value == o.value.0)
                    })
                else {
                    continue;
                };
                api_replacements(
                    &mut out,
                    Kind::Ad,
                    &format!("{gaddr}.ad.{}", aname.value),
                    (ad.api.as_ref(), aname.span),
                    oad.api.as_ref(),
                    false,
                    base_offset,
                );
            }
        }
    }
    out.extend(crate::rules::sp505_renamed_from_unmatched::check_pair(
        new, base,
    ));
    out
}

fn placements_word(p: &crate::model::Placements) -> String {
    match p {
        crate::model::Placements::Automatic(_) => "automatic".to_owned(),
        crate::model::Placements::Selected(list) => {
            let mut v: Vec<&str> = list.iter().map(|p| p.value.as_str()).collect();
            v.sort_unstable();
            v.join(", ")
        }
    }
}

type ApiRef<'x> = Option<&'x crate::model::Spanned<crate::model::ApiFields>>;

/// `api:` fields as dotted paths (objects flattened), with the span of their
/// top-level key.
fn api_paths(api: ApiRef<'_>) -> BTreeMap<String, (Value, Span)> {
    let mut out = BTreeMap::new();
    for (k, v) in api.map(|a| a.value.0.as_slice()).unwrap_or_default() {
        let mut m = Map::new();
        m.insert(k.value.clone(), v.clone());
        for (p, v) in flatten(&m) {
            out.insert(p, (v, k.span));
        }
    }
    out
}

/// SP503 for each `api:` field whose change replaces the resource (the same
/// decision as the plan's, [`effect`]).
fn api_replacements(
    out: &mut Vec<Diagnostic>,
    kind: Kind,
    address: &str,
    new: (ApiRef<'_>, Span),
    old: ApiRef<'_>,
    under_cbo: bool,
    base_offset: u32,
) {
    let (a, b) = (api_paths(new.0), api_paths(old));
    let paths: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for p in paths {
        let (n, o) = (a.get(p), b.get(p));
        if n.map(|x| &x.0) == o.map(|x| &x.0) {
            continue;
        }
        let top = p.split('.').next().unwrap_or(p);
        let removed_whole = !a.keys().any(|k| k.split('.').next() == Some(top));
        let Effect::Replace(why) = effect(kind, p, removed_whole, under_cbo) else {
            continue;
        };
        let word = |x: Option<&(Value, Span)>| {
            x.map_or("(none)".to_owned(), |x| {
                serde_json::to_string(&x.0).unwrap_or_default()
            })
        };
        let d = replace_warning(
            address,
            &format!("`api.{p}`"),
            &word(o),
            &word(n),
            n.map_or(new.1, |x| x.1),
            o.map(|x| shift(x.1, base_offset)),
        );
        out.push(d.note(why));
    }
}

fn replace_warning(
    address: &str,
    field: &str,
    old: &str,
    new: &str,
    span: Span,
    base_span: Option<Span>,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        &crate::rules::plan_diff::SP503,
        format!("`{address}` is replaced: its {field} changed from `{old}` to `{new}`"),
    )
    .primary(span, format!("{field} changed"));
    if let Some(b) = base_span {
        d = d.secondary(b, format!("the {field} in the base"));
    }
    d.help("the resource is deleted and created again, and loses its delivery history; keep the old value, or create a new resource under a new name")
}

fn budget_mode_warning(
    address: &str,
    new: Option<(BudgetMode, Span)>,
    old: Option<(BudgetMode, Span)>,
    new_owner: Span,
    old_owner: Span,
    base_offset: u32,
) -> Option<Diagnostic> {
    if new.map(|m| m.0) == old.map(|m| m.0) {
        return None;
    }
    let word = |m: Option<(BudgetMode, Span)>| m.map_or("none", |m| m.0.as_str());
    Some(
        replace_warning(
            address,
            "budget mode",
            word(old),
            word(new),
            new.map_or(new_owner, |m| m.1),
            Some(shift(old.map_or(old_owner, |m| m.1), base_offset)),
        )
        .note("TikTok does not allow changing a budget mode after creation"),
    )
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
    fn removing_the_us_is_refused_by_code_or_location_id() {
        // Location IDs: the US 6252001, Canada 6251999, the UK 2635167, Mexico 3996063.
        assert!(refused_location_change(&["6252001", "6251999"], &["6251999"]).is_some());
        assert!(refused_location_change(&["6252001"], &["2635167"]).is_some());
        assert!(refused_location_change(&["6252001"], &["6252001"]).is_none());
        assert!(refused_location_change(&["6251999"], &["3996063"]).is_none());
        assert!(refused_location_change(&["6252001", "6251999"], &["6252001"]).is_none());
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
