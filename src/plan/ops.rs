//! Ordering the API calls.
//!
//! 1. `tt_video/authorize` for every code post created (or replaced), in
//!    batches of 20 sorted by post name;
//! 2. deletions, deepest first: ads, then ad groups, then campaigns (the old
//!    half of a replacement included);
//! 3. creations and updates, top down: each campaign, then its ad groups,
//!    then their ads;
//! 4. `tt_video/unbind` of codes no longer declared: last, once no ad uses
//!    them (every ad that used one was deleted or updated before).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::diff::Change;
use super::state::Res;
use super::{AUTHORIZATION_BATCH_SIZE, Action, Batch, Kind, Operation};

fn op(address: &str, action: Action, endpoint: &str, body: Map<String, Value>) -> Operation {
    Operation {
        step: 0,
        address: address.to_owned(),
        action,
        method: "POST".to_owned(),
        endpoint: endpoint.to_owned(),
        batch: None,
        body,
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
        .map(|o| serde_json::to_string(&o.attrs).unwrap_or_default())
        .unwrap_or_default();
    let h = crate::render::fnv1a64(&[
        b"sparkplan",
        address.as_bytes(),
        text.as_bytes(),
        old.as_bytes(),
    ]);
    (h & (u64::MAX >> 1)).to_string()
}

fn create_op(r: &Res, replaces: Option<&Res>) -> Operation {
    let mut body = r.body.clone();
    let (endpoint, output) = match r.kind {
        Kind::Campaign => ("smart_plus/campaign/create", "campaign_id"),
        Kind::AdGroup => ("smart_plus/adgroup/create", "adgroup_id"),
        _ => ("smart_plus/ad/create", "smart_plus_ad_id"),
    };
    if matches!(r.kind, Kind::Campaign | Kind::AdGroup) {
        body.insert(
            "request_id".into(),
            json!(request_id(&r.address, &r.body, replaces)),
        );
    }
    let mut o = op(&r.address, Action::Create, endpoint, body);
    o.outputs = vec![format!("{}.{output}", r.address)];
    o
}

fn delete_op(r: &Res) -> Option<Operation> {
    let (endpoint, ids, id) = match r.kind {
        Kind::Campaign => (
            "smart_plus/campaign/status/update",
            "campaign_ids",
            "campaign_id",
        ),
        Kind::AdGroup => (
            "smart_plus/adgroup/status/update",
            "adgroup_ids",
            "adgroup_id",
        ),
        Kind::Ad => (
            "smart_plus/ad/status/update",
            "smart_plus_ad_ids",
            "smart_plus_ad_id",
        ),
        _ => return None,
    };
    let mut body = Map::new();
    body.insert("advertiser_id".into(), json!(r.advertiser_id));
    body.insert(
        ids.into(),
        json!([state_ref(&format!("{}.{id}", r.address))]),
    );
    body.insert("operation_status".into(), json!("DELETE"));
    Some(op(&r.address, Action::Delete, endpoint, body))
}

/// `*/status/update` with `ENABLE` or `DISABLE` when `status:` changed
/// (api-audit A5: these endpoints accept DELETE, DISABLE and ENABLE; the
/// update endpoints' trees have no `operation_status`). No `status:` is
/// `enabled`, TikTok's default.
fn status_op(c: &Change<'_>, r: &Res) -> Option<Operation> {
    if !c.fields.iter().any(|f| f.field == "operation_status") {
        return None;
    }
    let mut o = delete_op(r)?;
    let status = r
        .body
        .get("operation_status")
        .cloned()
        .unwrap_or_else(|| json!("ENABLE"));
    o.body.insert("operation_status".into(), status);
    o.action = Action::Update;
    Some(o)
}

fn update_op(c: &Change<'_>, r: &Res) -> Option<Operation> {
    let (endpoint, id_field) = match r.kind {
        Kind::Campaign => ("smart_plus/campaign/update", "campaign_id"),
        Kind::AdGroup => ("smart_plus/adgroup/update", "adgroup_id"),
        Kind::Ad => ("smart_plus/ad/update", "smart_plus_ad_id"),
        // Posts: the authorization has nothing to update; references are read only.
        _ => return None,
    };
    let mut top: BTreeSet<&str> = c
        .fields
        .iter()
        .map(|f| f.field.split('.').next().unwrap_or(&f.field))
        .collect();
    // A status change is its own call (`status_op`), not an update field;
    // an update of nothing else is no update.
    if top.remove("operation_status") && top.is_empty() {
        return None;
    }
    if r.kind == Kind::AdGroup && top.iter().any(|k| k.starts_with("schedule_")) {
        top.extend(["schedule_type", "schedule_start_time", "schedule_end_time"]);
    }
    if r.kind == Kind::Ad {
        // The API replaces the creative list whole: it is always resubmitted.
        top.extend(["ad_name", "creative_list"]);
    }
    let mut body = Map::new();
    body.insert("advertiser_id".into(), json!(r.advertiser_id));
    body.insert(
        id_field.into(),
        state_ref(&format!("{}.{id_field}", r.address)),
    );
    // In the order of the create body, then removed fields (sent as null: cleared).
    for (k, v) in &r.body {
        if top.contains(k.as_str()) && k != "advertiser_id" {
            body.insert(k.clone(), v.clone());
        }
    }
    for k in top {
        if !body.contains_key(k) && k != "advertiser_id" {
            body.insert(k.to_owned(), Value::Null);
        }
    }
    Some(op(&r.address, Action::Update, endpoint, body))
}

/// Rewrites `{"$ref": T}` to `{"$state": T}` when no earlier operation
/// produces `T` (the value belongs to a resource that already exists).
fn settle_refs(v: &mut Value, produced: &BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if m.len() == 1
                && let Some(Value::String(t)) = m.get("$ref")
                && !produced.contains(t)
            {
                let t = t.clone();
                m.clear();
                m.insert("$state".into(), Value::String(t));
                return;
            }
            for x in m.values_mut() {
                settle_refs(x, produced);
            }
        }
        Value::Array(a) => {
            for x in a {
                settle_refs(x, produced);
            }
        }
        _ => {}
    }
}

/// The operations in order, and the authorization batches.
pub(crate) fn order(changes: &[Change<'_>]) -> (Vec<Operation>, Vec<Batch>) {
    let mut ops = Vec::new();
    let mut batches = Vec::new();

    // 1. Authorizations, sorted by post name (changes are in address order).
    let mut codes: Vec<&Res> = changes
        .iter()
        .filter(|c| c.kind == Kind::Post && matches!(c.action, Action::Create | Action::Replace))
        .filter_map(|c| c.new.filter(|r| r.managed))
        .collect();
    codes.sort_by(|a, b| a.name.cmp(&b.name));
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
                "tt_video/authorize",
                r.body.clone(),
            );
            o.batch = Some(i + 1);
            o.outputs = vec![
                format!("{}.item_id", r.address),
                format!("{}.identity_id", r.address),
            ];
            batch.posts.push(r.address.clone());
            batch.steps.push(ops.len() + 1);
            ops.push(o);
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
            Action::Create => ops.push(create_op(r, None)),
            Action::Replace => ops.push(create_op(r, c.old)),
            Action::Update => {
                ops.extend(update_op(c, r));
                ops.extend(status_op(c, r));
            }
            Action::Delete | Action::NoOp => {}
        }
    }

    // 4. Unbinds of codes no longer declared (or replaced by a new code).
    let mut unbind: Vec<&Res> = changes
        .iter()
        .filter(|c| c.kind == Kind::Post && matches!(c.action, Action::Delete | Action::Replace))
        .filter_map(|c| c.old.filter(|r| r.managed))
        .collect();
    unbind.sort_by(|a, b| a.name.cmp(&b.name));
    for r in unbind {
        let mut body = Map::new();
        body.insert("advertiser_id".into(), json!(r.advertiser_id));
        body.insert(
            "item_id".into(),
            state_ref(&format!("{}.item_id", r.address)),
        );
        ops.push(op(&r.address, Action::Delete, "tt_video/unbind", body));
    }

    let mut produced = BTreeSet::new();
    for (i, o) in ops.iter_mut().enumerate() {
        o.step = i + 1;
        for (_, v) in o.body.iter_mut() {
            settle_refs(v, &produced);
        }
        produced.extend(o.outputs.iter().cloned());
    }
    (ops, batches)
}
