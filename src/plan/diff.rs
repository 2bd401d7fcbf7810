//! Pairing the base and the new state: each resource's action and changed
//! fields, and the checks that only make sense on the pair (SP501–SP503).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::state::Res;
use super::{Action, FieldChange, Kind};
use crate::diag::{Diagnostic, FileId, Span};
use crate::model::{BudgetMode, Post, Visibility};
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
    /// The new state (absent for a deletion).
    pub new: Option<&'a Res>,
    /// The base state (absent for a creation).
    pub old: Option<&'a Res>,
}

/// The fields whose change forces a replacement, by kind, with the reason.
fn immutable(kind: Kind, field: &str) -> Option<&'static str> {
    match (kind, field) {
        (Kind::Campaign | Kind::AdGroup | Kind::Ad | Kind::Post, "advertiser_id") => Some(
            "the advertiser (ad account) cannot change: the resource is created in the new account",
        ),
        (Kind::Campaign, "objective_type") => {
            Some("`objective_type` cannot change after the campaign is created")
        }
        (Kind::Campaign | Kind::AdGroup, "budget_mode") => {
            Some("`budget_mode` cannot change after creation")
        }
        (Kind::Campaign, "budget_optimize_on") => Some(
            "budget optimization (a campaign budget) cannot be switched on or off after the campaign is created",
        ),
        (Kind::Post, "auth_code" | "original_post_auth_code") => {
            Some("a new video code is a new authorization: the old code is unbound")
        }
        _ => None,
    }
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
/// empty objects and `$ref` objects are leaves.
pub fn flatten(map: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    flatten_into("", map, &mut out);
    out
}

fn flatten_into(prefix: &str, map: &Map<String, Value>, out: &mut Vec<(String, Value)>) {
    for (k, v) in map {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Object(inner) if !inner.contains_key("$ref") && !inner.is_empty() => {
                flatten_into(&path, inner, out);
            }
            _ => out.push((path, v.clone())),
        }
    }
}

/// The fields that differ between `old` and `new`, sorted by path.
pub(crate) fn field_changes(kind: Kind, old: &Res, new: &Res) -> Vec<FieldChange> {
    // Most resources of a pull request are unchanged: equal attributes have
    // equal flattened fields, so nothing is flattened (cloned) for them.
    if old.attrs == new.attrs {
        return Vec::new();
    }
    let a: BTreeMap<String, Value> = flatten(&old.attrs).into_iter().collect();
    let b: BTreeMap<String, Value> = flatten(&new.attrs).into_iter().collect();
    let paths: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    paths
        .into_iter()
        .filter_map(|p| {
            let (o, n) = (a.get(p), b.get(p));
            (o != n).then(|| FieldChange {
                field: p.clone(),
                old: o.cloned(),
                new: n.cloned(),
                forces_replacement: immutable(kind, p).is_some(),
            })
        })
        .collect()
}

/// Pairs the new resources with the base ones (none: everything is created).
pub(crate) fn pair<'a>(new: &'a [Res], base: Option<&'a [Res]>) -> Vec<Change<'a>> {
    let base_by: BTreeMap<&str, &Res> = base
        .unwrap_or_default()
        .iter()
        .map(|r| (r.address.as_str(), r))
        .collect();
    let new_by: BTreeMap<&str, &Res> = new.iter().map(|r| (r.address.as_str(), r)).collect();
    let mut changes: Vec<Change<'a>> = Vec::new();
    for r in new {
        let Some(old) = base_by.get(r.address.as_str()).copied() else {
            changes.push(Change {
                address: r.address.clone(),
                kind: r.kind,
                name: r.name.clone(),
                managed: r.managed,
                action: Action::Create,
                reason: None,
                fields: Vec::new(),
                new: Some(r),
                old: None,
            });
            continue;
        };
        let fields = field_changes(r.kind, old, r);
        let (action, reason) = if old.managed != r.managed {
            (
                Action::Replace,
                Some(if r.managed {
                    "the post is now authorized by video code".to_owned()
                } else {
                    "the post is now a post of an account: its video code is unbound".to_owned()
                }),
            )
        } else if let Some(f) = fields.iter().find(|f| f.forces_replacement) {
            (
                Action::Replace,
                immutable(r.kind, &f.field).map(str::to_owned),
            )
        } else if fields.is_empty() {
            (Action::NoOp, None)
        } else {
            (Action::Update, None)
        };
        changes.push(Change {
            address: r.address.clone(),
            kind: r.kind,
            name: r.name.clone(),
            managed: r.managed || old.managed,
            action,
            reason,
            fields,
            new: Some(r),
            old: Some(old),
        });
    }
    for old in base.unwrap_or_default() {
        if !new_by.contains_key(old.address.as_str()) {
            changes.push(Change {
                address: old.address.clone(),
                kind: old.kind,
                name: old.name.clone(),
                managed: old.managed,
                action: Action::Delete,
                reason: None,
                fields: Vec::new(),
                new: None,
                old: Some(old),
            });
        }
    }
    changes.sort_by(|a, b| sort_key(a.kind, &a.address).cmp(&sort_key(b.kind, &b.address)));
    cascade(&mut changes);
    changes
}

/// A replaced campaign replaces its ad groups and ads; a replaced ad group
/// its ads; a replaced video-code post updates the ads that use it (their
/// creative list points at a new item).
fn cascade(changes: &mut [Change<'_>]) {
    let replaced: BTreeSet<String> = changes
        .iter()
        .filter(|c| c.action == Action::Replace)
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
            }
            replaced_parents.insert(c.address.clone());
            continue;
        }
        if c.kind == Kind::Ad
            && c.action == Action::NoOp
            && let Some(r) = c.new
            && let Some(post) = r
                .code_posts
                .iter()
                .find(|p| replaced.contains(&super::address(Kind::Post, p)))
        {
            c.action = Action::Update;
            c.reason = Some(format!(
                "`post.{post}` is replaced: the creative list is resubmitted with the new post"
            ));
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
                "SP501",
                format!("the caption of post `{name}` changed while its {what} stayed the same"),
            )
            .primary(
                p.caption.as_ref().map_or(def.name.span, |c| c.span),
                "caption changed",
            );
            if let Some(c) = &o.caption {
                d = d.secondary(shift(c.span, base_offset), "the caption in the base");
            }
            out.push(
                d.note("TikTok does not allow editing a post's caption once it is authorized for Spark Ads")
                    .help("keep the caption as it was, or have the creator publish a new post and send its video code"),
            );
        }
        let (vp, vo) = (visibility(p), visibility(o));
        if vp != vo && used_in_base.contains(name) {
            let mut d = Diagnostic::new(
                "SP502",
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
                    "SP503",
                    format!(
                        "post `{name}` moves to another advertiser: its authorization is replaced"
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
                    d.note("a video code is authorized to one ad account: the code is unbound from the old account and authorized to the new one"),
                );
            }
        }
    }
    for (cname, def) in &new.campaigns {
        let Some(old) = base.campaigns.get(cname) else {
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
                    shift(o.objective.span, base_offset),
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
                    shift(o.advertiser.span, base_offset),
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
        let (Some(groups), Some(old_groups)) = (&c.ad_groups, &o.ad_groups) else {
            continue;
        };
        for (gname, g) in groups.iter() {
            let Some((oname, og)) = old_groups.iter().find(|(n, _)| n.value == gname.value) else {
                continue;
            };
            if let Some(d) = budget_mode_warning(
                &format!("{addr}.ad_group.{}", gname.value),
                mode(&g.budget),
                mode(&og.budget),
                gname.span,
                oname.span,
                base_offset,
            ) {
                out.push(d);
            }
        }
    }
    out
}

fn replace_warning(
    address: &str,
    field: &str,
    old: &str,
    new: &str,
    span: Span,
    base_span: Span,
) -> Diagnostic {
    Diagnostic::new(
        "SP503",
        format!("`{address}` is replaced: its {field} changed from `{old}` to `{new}`"),
    )
    .primary(span, format!("{field} changed"))
    .secondary(base_span, format!("the {field} in the base"))
    .help("the resource is deleted and created again, and loses its delivery history; keep the old value, or create a new resource under a new name")
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
            shift(old.map_or(old_owner, |m| m.1), base_offset),
        )
        .note("TikTok does not allow changing a budget mode after creation"),
    )
}
