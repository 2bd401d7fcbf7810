//! Ordering the API calls.
//!
//! 1. for every code post created or authorized again (a new code or ad
//!    account), in batches of 20 sorted by post name: `tt_video/authorize`,
//!    then `GET tt_video/info`, which yields the post's `item_id` and
//!    `identity_id` (the authorize response carries no data);
//! 2. deletions, deepest first: ads, then ad groups, then campaigns (the old
//!    half of a replacement included);
//! 3. creations and updates, top down: each campaign, then its ad groups,
//!    then their ads;
//! 4. `tt_video/unbind` of code posts removed from the manifests: last, once
//!    no ad uses them (every ad that used one was deleted or updated before).
//!    A post that stays is never unbound, even when its code changes: unbind
//!    is keyed by the post's `item_id`, and a renewed code may grant the same
//!    post (api-audit A6; GO `api/ttvideo/unbind.go`).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::diff::Change;
use super::state::Res;
use super::{AUTHORIZATION_BATCH_SIZE, Action, Batch, Body, Kind, Operation};
use crate::api::endpoints::{Resource, TT_VIDEO_AUTHORIZE, TT_VIDEO_INFO, TT_VIDEO_UNBIND};

fn op(address: &str, action: Action, endpoint: &'static str, body: impl Into<Body>) -> Operation {
    Operation {
        step: 0,
        address: address.to_owned(),
        action,
        method: if action == Action::Read {
            "GET"
        } else {
            "POST"
        },
        endpoint,
        batch: None,
        body: body.into(),
        outputs: Vec::new(),
    }
}

/// A value of an existing resource.
fn state_ref(target: &str) -> Value {
    json!({ "$state": target })
}

/// A deterministic `request_id` (TikTok's idempotency key): FNV-1a of the
/// address and the body, as a positive 63-bit decimal. The same declaration
/// gives the same id; a replacement (another body) gets a new one.
fn request_id(address: &str, body: &Map<String, Value>, replaces: Option<&Res>) -> String {
    let text = serde_json::to_string(body).unwrap_or_default();
    // A replacement also hashes what it replaces, so that a child replaced
    // with an unchanged body does not reuse its first creation's key.
    let old = replaces
        .map(|o| serde_json::to_string(o.attrs()).unwrap_or_default())
        .unwrap_or_default();
    let h = crate::hash::fnv1a64(&[
        b"sparkplan",
        address.as_bytes(),
        text.as_bytes(),
        old.as_bytes(),
    ]);
    (h & (u64::MAX >> 1)).to_string()
}

fn create_op(c: &Change<'_>, r: &Res, replaces: Option<&Res>) -> Option<Operation> {
    let res = r.kind.resource()?;
    // The resource's body itself (its plan `attributes`), not a copy.
    let mut body = Body::shared(Arc::clone(&r.body));
    if matches!(r.kind, Kind::Campaign | Kind::AdGroup) {
        body.insert(
            "request_id".into(),
            json!(request_id(&r.address, &r.body, replaces)),
        );
    }
    if c.start_now {
        // TikTok refuses a start more than 12 hours in the past (SDK@d0fb2f8
        // `AdgroupCreateBody.md`; TFP `smart_plus_adgroup_create`).
        body.insert("schedule_start_time".into(), json!({ "$now": "UTC" }));
    }
    let mut o = op(&r.address, Action::Create, res.create_endpoint(), body);
    o.outputs = vec![format!("{}.{}", r.address, res.id_field())];
    Some(o)
}

fn delete_op(r: &Res) -> Option<Operation> {
    let res = r.kind.resource()?;
    let mut body = Map::new();
    body.insert("advertiser_id".into(), json!(r.advertiser_id));
    body.insert(
        res.status_ids_field().into(),
        json!([state_ref(&format!("{}.{}", r.address, res.id_field()))]),
    );
    body.insert("operation_status".into(), json!("DELETE"));
    Some(op(&r.address, Action::Delete, res.status_endpoint(), body))
}

/// `*/status/update` with `ENABLE` or `DISABLE` when `status:` changed
/// (api-audit A5: these endpoints accept DELETE, DISABLE and ENABLE; the
/// update endpoints' trees have no `operation_status`). No `status:` is
/// `enabled`, TikTok's default.
fn status_op(c: &Change<'_>, r: &Res) -> Option<Operation> {
    if !c.fields.iter().any(|f| f.field == "operation_status") {
        return None;
    }
    // A carried-over resource (`renamed_from:`) is named by its old address.
    let mut o = delete_op(c.old.unwrap_or(r))?;
    o.address.clone_from(&r.address);
    let status = r
        .body
        .get("operation_status")
        .cloned()
        .unwrap_or_else(|| json!(crate::api::fields::STATUS_ENABLE));
    o.body.insert("operation_status".into(), status);
    o.action = Action::Update;
    Some(o)
}

/// Keeps only the keys of `v` (at dotted `path`) that the update call accepts.
fn accepted(res: Resource, path: &str, v: &Value) -> Value {
    match v {
        Value::Object(m) if !(m.len() == 1 && m.keys().any(|k| k.starts_with('$'))) => {
            Value::Object(
                m.iter()
                    .filter_map(|(k, x)| {
                        let p = format!("{path}.{k}");
                        res.update_accepts(&p)
                            .then(|| (k.clone(), accepted(res, &p, x)))
                    })
                    .collect(),
            )
        }
        _ => v.clone(),
    }
}

/// The update call: `advertiser_id`, the ID and the fields the diff decided
/// to send ([`Change::send`]), each whole (objects are replaced whole) and
/// cut to what the update call accepts; none when nothing is to be sent.
fn update_op(c: &Change<'_>, r: &Res) -> Option<Operation> {
    let res = r.kind.resource()?;
    let id_field = res.id_field();
    let mut body = Map::new();
    body.insert("advertiser_id".into(), json!(r.advertiser_id));
    // A carried-over resource (`renamed_from:`) is named by its old address.
    let existing = c.old.map_or(&r.address, |o| &o.address);
    body.insert(
        id_field.into(),
        state_ref(&format!("{existing}.{id_field}")),
    );
    // In the order of the create body.
    for (k, v) in r.body.iter() {
        if c.send.contains(k) && k != "advertiser_id" && res.update_accepts(k) {
            body.insert(k.clone(), accepted(res, k, v));
        }
    }
    (body.len() > 2).then(|| op(&r.address, Action::Update, res.update_endpoint(), body))
}

/// Rewrites `{"$ref": T}` to `{"$state": T}` when no earlier operation
/// produces `T` (the value belongs to a resource that already exists); a
/// resource carried over from an old key (`renamed_from:`) is named by that
/// old address, where its ID is recorded.
fn settle_refs(
    v: &mut Value,
    produced: &dyn Fn(&str) -> bool,
    old_of: &std::collections::BTreeMap<&str, &str>,
) {
    match v {
        Value::Object(m) => {
            if let Some(t) = unproduced_ref(m, produced) {
                let t = match t.rsplit_once('.') {
                    Some((addr, field)) if old_of.contains_key(addr) => {
                        format!("{}.{field}", old_of.get(addr).copied().unwrap_or(addr))
                    }
                    _ => t.clone(),
                };
                m.clear();
                m.insert("$state".into(), Value::String(t));
                return;
            }
            for x in m.values_mut() {
                settle_refs(x, produced, old_of);
            }
        }
        Value::Array(a) => {
            for x in a {
                settle_refs(x, produced, old_of);
            }
        }
        _ => {}
    }
}

/// `T` when `m` is `{"$ref": T}` and no earlier operation produces `T`.
fn unproduced_ref<'m>(
    m: &'m Map<String, Value>,
    produced: &dyn Fn(&str) -> bool,
) -> Option<&'m String> {
    match m.get("$ref") {
        Some(Value::String(t)) if m.len() == 1 && !produced(t) => Some(t),
        _ => None,
    }
}

/// Whether `v` holds a `{"$ref": T}` that [`settle_refs`] would rewrite.
fn unsettled(v: &Value, produced: &dyn Fn(&str) -> bool) -> bool {
    match v {
        Value::Object(m) => {
            unproduced_ref(m, produced).is_some() || m.values().any(|x| unsettled(x, produced))
        }
        Value::Array(a) => a.iter().any(|x| unsettled(x, produced)),
        _ => false,
    }
}

/// [`settle_refs`] on every value of a body; a shared value is copied only
/// when it changes.
fn settle_body(
    body: &mut Body,
    produced: &dyn Fn(&str) -> bool,
    old_of: &std::collections::BTreeMap<&str, &str>,
) {
    let pending: Vec<String> = body
        .iter()
        .filter(|(_, v)| unsettled(v, produced))
        .map(|(k, _)| k.clone())
        .collect();
    for k in pending {
        if let Some(v) = body.get_mut(&k) {
            settle_refs(v, produced, old_of);
        }
    }
}

/// The operations in order, and the authorization batches.
pub(crate) fn order(changes: &[Change<'_>]) -> (Vec<Operation>, Vec<Batch>) {
    let mut batches = Vec::new();

    // 1. Authorizations, sorted by post name (changes are in address order).
    let mut codes: Vec<&Res> = changes
        .iter()
        .filter(|c| c.kind == Kind::Post && c.authorize)
        .filter_map(|c| c.new.filter(|r| r.managed))
        .collect();
    codes.sort_by(|a, b| a.name.cmp(&b.name));
    // One call per change, and a second for each code post authorized (a
    // replacement or a status change adds one more): reserved once, as
    // growing a vector of 18,000 operations by doubling copied it 15 times
    // into fresh memory (a third of this function's time).
    let mut ops = Vec::with_capacity(changes.len() + codes.len());
    for (i, chunk) in codes.chunks(AUTHORIZATION_BATCH_SIZE).enumerate() {
        let mut batch = Batch {
            batch: i + 1,
            posts: Vec::new(),
            steps: Vec::new(),
        };
        for r in chunk {
            let mut o = op(
                &r.address,
                Action::Create,
                TT_VIDEO_AUTHORIZE,
                Body::shared(Arc::clone(&r.body)),
            );
            o.batch = Some(i + 1);
            batch.posts.push(r.address.clone());
            batch.steps.push(ops.len() + 1);
            ops.push(o);
            // The authorize response carries no data: the post's item and
            // identity are read with the code (GO `api/ttvideo/info.go`).
            let mut query = Map::new();
            for k in ["advertiser_id", "auth_code"] {
                if let Some(v) = r.body.get(k) {
                    query.insert(k.into(), v.clone());
                }
            }
            let mut info = op(&r.address, Action::Read, TT_VIDEO_INFO, query);
            info.batch = Some(i + 1);
            info.outputs = vec![
                format!("{}.item_id", r.address),
                format!("{}.identity_id", r.address),
            ];
            ops.push(info);
        }
        batches.push(batch);
    }

    // 2. Deletions, deepest first.
    for kind in [Kind::Ad, Kind::AdGroup, Kind::Campaign] {
        for c in changes.iter().filter(|c| c.kind == kind) {
            if matches!(c.action, Action::Delete | Action::Replace)
                && let Some(old) = c.old
                && let Some(o) = delete_op(old)
            {
                ops.push(o);
            }
        }
    }

    // 3. Creations and updates, top down (changes are in tree order).
    for c in changes
        .iter()
        .filter(|c| matches!(c.kind, Kind::Campaign | Kind::AdGroup | Kind::Ad))
    {
        let Some(r) = c.new else { continue };
        match c.action {
            Action::Create => ops.extend(create_op(c, r, None)),
            Action::Replace => ops.extend(create_op(c, r, c.old)),
            Action::Update => {
                ops.extend(update_op(c, r));
                ops.extend(status_op(c, r));
            }
            Action::Delete | Action::NoOp | Action::Read => {}
        }
    }

    // 4. Unbinds of code posts removed from the manifests, unless their code
    // is still declared (a renamed post: the same item stays in use).
    let declared: BTreeSet<(&str, &str)> = changes
        .iter()
        .filter_map(|c| c.new.filter(|r| r.managed))
        .filter_map(|r| Some((r.advertiser_id.as_str(), r.body.get("auth_code")?.as_str()?)))
        .collect();
    let mut unbind: Vec<&Res> = changes
        .iter()
        .filter(|c| c.kind == Kind::Post && c.action == Action::Delete)
        .filter_map(|c| c.old.filter(|r| r.managed))
        .filter(|r| {
            r.body
                .get("auth_code")
                .and_then(Value::as_str)
                .is_none_or(|code| !declared.contains(&(r.advertiser_id.as_str(), code)))
        })
        .collect();
    unbind.sort_by(|a, b| a.name.cmp(&b.name));
    for r in unbind {
        let mut body = Map::new();
        body.insert("advertiser_id".into(), json!(r.advertiser_id));
        body.insert(
            "item_id".into(),
            state_ref(&format!("{}.item_id", r.address)),
        );
        ops.push(op(&r.address, Action::Delete, TT_VIDEO_UNBIND, body));
    }

    let old_of = super::rename::old_addresses(changes);
    for (i, o) in ops.iter_mut().enumerate() {
        o.step = i + 1;
    }
    // The bodies are settled apart from the operations (and put back), so
    // the table of outputs can borrow the operations instead of copying
    // every output's name.
    let mut bodies: Vec<Body> = ops
        .iter_mut()
        .map(|o| std::mem::take(&mut o.body))
        .collect();
    {
        // The step that produces each value; a value is produced for a step
        // when an earlier step outputs it.
        let mut produced_at: HashMap<&str, usize> = HashMap::new();
        for o in &ops {
            for out in &o.outputs {
                produced_at.entry(out.as_str()).or_insert(o.step);
            }
        }
        bodies.par_iter_mut().enumerate().for_each(|(i, body)| {
            let step = i + 1;
            let produced = |t: &str| produced_at.get(t).is_some_and(|&s| s < step);
            settle_body(body, &produced, &old_of);
        });
    }
    for (o, body) in ops.iter_mut().zip(bodies) {
        o.body = body;
    }
    (ops, batches)
}
