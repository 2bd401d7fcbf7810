//! Renderers of a [`crate::plan::Plan`], one file per format:
//!
//! | format | module | shape |
//! |---|---|---|
//! | `text` | [`text`] | like `terraform plan`: one block per change, then the operations and a summary line |
//! | `json` | [`json`] | the plan as one versioned document (`"format_version": "1"`), see `schema/plan.schema.json` |
//! | `markdown` | [`markdown`] | a pull-request comment: summary table, a collapsible section per change, the authorization batches and a Mermaid gantt chart |
//!
//! Every renderer is a pure function of the plan: the same plan gives the
//! same bytes.

pub mod json;
pub mod markdown;
pub mod text;

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::plan::{Action, Kind, Operation, Plan, ResourceChange};

/// An output format of `sparkplan plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanFormat {
    /// Like `terraform plan`.
    Text,
    /// The versioned JSON document.
    Json,
    /// A Markdown pull-request comment.
    Markdown,
}

impl PlanFormat {
    /// Every format.
    pub const ALL: [PlanFormat; 3] = [PlanFormat::Text, PlanFormat::Json, PlanFormat::Markdown];

    /// The name used on the command line and in `SPARKPLAN_FORMAT`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanFormat::Text => "text",
            PlanFormat::Json => "json",
            PlanFormat::Markdown => "markdown",
        }
    }

    /// The format named `name`.
    pub fn from_name(name: &str) -> Option<PlanFormat> {
        PlanFormat::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// The default byte budget of the markdown comment: under GitHub's limit of
/// 65,536 characters per comment (`docs/ci.md`).
pub const DEFAULT_MAX_BYTES: usize = 65_000;

/// The most characters a Mermaid block may hold: Mermaid's default
/// `maxTextSize` is 50,000 and larger diagrams are refused.
pub const MERMAID_MAX_CHARS: usize = 50_000;

/// How a plan is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Markdown only: the most bytes the comment may take (`None`: no
    /// limit). Past it, resources are left out whole, with a line saying how
    /// many and where the full plan is.
    pub max_bytes: Option<usize>,
    /// Markdown only: authorizations ending within this many days of today
    /// are charted even when the change does not touch them
    /// (`expiry_warning_days`).
    pub expiry_warning_days: u32,
    /// Where the complete plan is written too (`--json-output`), named by a
    /// markdown comment that had to be cut.
    pub full_plan: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_bytes: Some(DEFAULT_MAX_BYTES),
            expiry_warning_days: 7,
            full_plan: None,
        }
    }
}

/// Renders `plan` in `format` with the default [`Options`].
pub fn render(plan: &Plan, format: PlanFormat) -> String {
    render_with(plan, format, &Options::default())
}

/// Renders `plan` in `format`.
pub fn render_with(plan: &Plan, format: PlanFormat, opts: &Options) -> String {
    match format {
        PlanFormat::Text => text::render(plan),
        PlanFormat::Json => json::render(plan),
        PlanFormat::Markdown => markdown::render(plan, opts),
    }
}

/// Writes `plan` in `format` to `w`: the same bytes as [`render_with`], with
/// the JSON document streamed instead of built in memory.
pub fn write_with(
    plan: &Plan,
    format: PlanFormat,
    opts: &Options,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        PlanFormat::Json => json::write(plan, w),
        PlanFormat::Text => text::write(plan, w),
        PlanFormat::Markdown => w.write_all(markdown::render(plan, opts).as_bytes()),
    }
}

/// How a long list is cut up to be printed in parallel ([`par_write`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    /// Elements printed before they are written: bounds the memory held by
    /// printed text.
    pub items: usize,
    /// Elements printed by one task.
    pub chunk: usize,
}

impl Window {
    /// 1,024 elements (about 1 MiB of text) in tasks of 16 (buffers of
    /// about 16 KiB: larger ones, freed by the writing thread, were held
    /// longer by the allocator, 2–4 MiB more at the peak).
    pub(crate) const DEFAULT: Window = Window {
        items: 1024,
        chunk: 16,
    };
}

/// Prints one element (given its index) into a buffer.
pub(crate) type Print<'a, T> = dyn Fn(&mut Vec<u8>, usize, &T) -> std::io::Result<()> + Sync + 'a;

/// Prints `items` with `print` (given each element's index in `items`) on
/// the thread pool, a window at a time, and writes the text to `w` in order:
/// the same bytes as printing them one after the other, in about half the
/// time on two cores, without holding the whole text.
pub(crate) fn par_write<T: Sync>(
    w: &mut dyn std::io::Write,
    items: &[T],
    win: Window,
    print: &Print<'_, T>,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let (per_window, per_task) = (win.items.max(1), win.chunk.max(1));
    for (i, window) in items.chunks(per_window).enumerate() {
        let printed: Vec<std::io::Result<Vec<u8>>> = window
            .par_chunks(per_task)
            .enumerate()
            .map(|(k, chunk)| {
                let mut buf = Vec::new();
                let first = i * per_window + k * per_task;
                for (j, item) in chunk.iter().enumerate() {
                    print(&mut buf, first + j, item)?;
                }
                Ok(buf)
            })
            .collect();
        for chunk in printed {
            w.write_all(&chunk?)?;
        }
    }
    Ok(())
}

/// Lookups the renderers need per resource, built once per plan (a search
/// of the operations per resource made rendering quadratic).
pub(crate) struct Index<'a> {
    /// The operations acting on each address, in step order.
    ops: HashMap<&'a str, Vec<&'a Operation>>,
    /// The authorization batch of each code post.
    batch: HashMap<&'a str, usize>,
    /// `(advertiser_id, identity_id)` → identity name.
    identities: HashMap<(&'a str, &'a str), &'a str>,
    /// `(advertiser_id, video_id)` → media name.
    media: HashMap<(&'a str, &'a str), &'a str>,
    /// `(advertiser_id, item_id)` → name of a post of an account.
    items: HashMap<(&'a str, &'a str), &'a str>,
}

fn attr<'a>(r: &'a ResourceChange, key: &str) -> &'a str {
    r.attributes.get(key).and_then(Value::as_str).unwrap_or("")
}

impl<'a> Index<'a> {
    pub(crate) fn new(plan: &'a Plan) -> Self {
        let mut ops: HashMap<&str, Vec<&Operation>> = HashMap::new();
        for o in &plan.operations {
            ops.entry(o.address.as_str()).or_default().push(o);
        }
        let mut batch = HashMap::new();
        for b in &plan.authorization_batches {
            for p in &b.posts {
                batch.insert(p.as_str(), b.batch);
            }
        }
        let (mut identities, mut media, mut items) =
            (HashMap::new(), HashMap::new(), HashMap::new());
        // New state first: a deleted reference keeps its base name only
        // where nothing new has its ID.
        for r in plan.resources.iter().filter(|r| !r.managed) {
            let adv = attr(r, "advertiser_id");
            let map = match r.kind {
                Kind::Identity => (&mut identities, "identity_id"),
                Kind::Media => (&mut media, "video_id"),
                Kind::Post => (&mut items, "item_id"),
                _ => continue,
            };
            let id = attr(r, map.1);
            if !id.is_empty() && (r.action != Action::Delete || !map.0.contains_key(&(adv, id))) {
                map.0.insert((adv, id), r.name.as_str());
            }
        }
        Index {
            ops,
            batch,
            identities,
            media,
            items,
        }
    }

    /// The operations acting on `address`, in step order.
    pub(crate) fn ops(&self, address: &str) -> &[&'a Operation] {
        self.ops.get(address).map_or(&[], Vec::as_slice)
    }

    /// One line saying what happens to `r`, e.g. `will be created`.
    pub(crate) fn verb(&self, r: &ResourceChange) -> String {
        let code_post = r.kind == Kind::Post && r.managed;
        let base = match (r.action, code_post) {
            (Action::Create, true) => {
                let batch = self
                    .batch
                    .get(r.address.as_str())
                    .map(|b| format!(" (batch {b})"))
                    .unwrap_or_default();
                format!("will be authorized{batch}")
            }
            (Action::Update, true) if self.batch.contains_key(r.address.as_str()) => {
                "will be authorized again".to_owned()
            }
            (Action::Create, false) => "will be created".to_owned(),
            (Action::Update, _) => "will be updated in place".to_owned(),
            (Action::Replace, _) => "must be replaced".to_owned(),
            (Action::Delete, true) => "will be unbound".to_owned(),
            (Action::Delete, false) => "will be deleted".to_owned(),
            (Action::NoOp | Action::Read, _) => "is unchanged".to_owned(),
        };
        if let Some(old) = &r.renamed_from {
            return match r.action {
                Action::NoOp => format!(
                    "is renamed from {old}: the same TikTok resource, carried over (no delete, no create, no API call)"
                ),
                _ => format!("is renamed from {old} and {base}"),
            };
        }
        if r.action == Action::NoOp {
            base
        } else if !r.managed {
            format!("{base} (read only: no API call)")
        } else if self.ops(&r.address).is_empty() {
            format!("{base} (no API call)")
        } else {
            base
        }
    }

    /// An element of a list field as a reviewer reads it: a creative as
    /// `post: jane_unboxing` or `media: holiday_cut as jane`, an
    /// `{"ad_text": "…"}` as its text; anything else as compact JSON.
    pub(crate) fn element(&self, advertiser_id: &str, v: &Value) -> String {
        if let Some(info) = v.get("creative_info").and_then(Value::as_object)
            && let Some(label) = self.creative(advertiser_id, info)
        {
            return label;
        }
        if let Value::Object(m) = v
            && m.len() == 1
            && let Some((_, inner)) = m.iter().next()
            && !inner.is_object()
            && !inner.is_array()
        {
            return compact(inner);
        }
        compact(v)
    }

    fn creative(&self, adv: &str, info: &Map<String, Value>) -> Option<String> {
        const MODELLED: [&str; 8] = [
            "ad_format",
            "identity_type",
            "identity_id",
            "identity_authorized_bc_id",
            "tiktok_item_id",
            "video_info",
            "image_info",
            "music_info",
        ];
        let mut label = match info.get("tiktok_item_id") {
            Some(Value::Object(r)) => {
                let target = r.get("$ref").or_else(|| r.get("$state"))?.as_str()?;
                let name = target.strip_prefix("post.")?.strip_suffix(".item_id")?;
                format!("post: {name}")
            }
            Some(Value::String(item)) => {
                let name = self.items.get(&(adv, item.as_str()))?;
                format!("post: {name}")
            }
            Some(_) => return None,
            None => {
                let video = info.get("video_info")?.get("video_id")?.as_str()?;
                let media = self.media.get(&(adv, video))?;
                let who = info
                    .get("identity_id")
                    .and_then(Value::as_str)
                    .and_then(|i| self.identities.get(&(adv, i)));
                match who {
                    Some(who) => format!("media: {media} as {who}"),
                    None => format!("media: {media}"),
                }
            }
        };
        let extra: Map<String, Value> = info
            .iter()
            .filter(|(k, _)| !MODELLED.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !extra.is_empty() {
            label.push_str(" with ");
            label.push_str(&compact(&Value::Object(extra)));
        }
        Some(label)
    }
}

/// What an operation does, as a reviewer says it: `authorize`, `create`,
/// `update`, `delete` or `unbind`.
pub(crate) fn op_action(o: &Operation) -> &'static str {
    match (o.action, o.endpoint) {
        (_, "tt_video/authorize") => "authorize",
        (_, "tt_video/unbind") => "unbind",
        (a, _) => a.as_str(),
    }
}

/// Whether a resource gets its own block: managed resources that change,
/// and, when there is a base, read-only resources that change.
pub(crate) fn shown(plan: &Plan, r: &ResourceChange) -> bool {
    (r.action != Action::NoOp || r.renamed_from.is_some()) && (r.managed || plan.base.is_some())
}

/// How many resources are carried over to a new key (`renamed_from:`).
pub(crate) fn renamed(plan: &Plan) -> usize {
    plan.resources
        .iter()
        .filter(|r| r.renamed_from.is_some())
        .count()
}

/// The line after the summary when resources are renamed, else `None`.
pub(crate) fn renamed_line(plan: &Plan) -> Option<String> {
    match renamed(plan) {
        0 => None,
        1 => Some("1 resource renamed: carried over to its new key, with its TikTok ID and delivery history.".to_owned()),
        n => Some(format!("{n} resources renamed: carried over to their new keys, with their TikTok IDs and delivery history.")),
    }
}

/// A value on one line.
pub(crate) fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The elements of `new` not in `old`, of `old` not in `new`, and how many are in both.
pub(crate) fn array_diff<'a>(
    old: &'a [Value],
    new: &'a [Value],
) -> (Vec<&'a Value>, Vec<&'a Value>, usize) {
    let removed: Vec<&Value> = old.iter().filter(|v| !new.contains(v)).collect();
    let added: Vec<&Value> = new.iter().filter(|v| !old.contains(v)).collect();
    let kept = new.iter().filter(|v| old.contains(v)).count();
    (removed, added, kept)
}

#[cfg(test)]
pub(crate) mod fixture {
    #![allow(
        clippy::unwrap_used,
        reason = "in a test, a panic with the value is the failure report"
    )]
    use std::sync::Arc;

    use serde_json::json;

    use super::Window;
    use crate::plan::{
        Action, Authorization, Batch, Body, FieldChange, Flight, Kind, Operation, Plan,
        PlanDiagnostic, ResourceChange, Summary,
    };

    /// A printer of a plan, cut up by a [`Window`].
    pub(crate) type WriteIn = fn(&Plan, &mut dyn std::io::Write, Window) -> std::io::Result<()>;

    /// What `write_in` prints for `p` with `win`.
    pub(crate) fn written(write_in: WriteIn, p: &Plan, win: Window) -> String {
        let mut out = Vec::new();
        write_in(p, &mut out, win).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// A plan of `n` campaigns created and updated, with every list filled
    /// and strings that need escaping.
    pub(crate) fn plan(n: usize) -> Plan {
        let attrs = json!({
            "advertiser_id": "123",
            "text": "two\nlines \"quoted\"",
            "empty_list": [],
            "empty_object": {},
            "nested": {"list": [{"a": 1}, {"b": [1, 2.5, null, true]}]}
        });
        let attrs = Arc::new(attrs.as_object().unwrap().clone());
        let resources = (0..n)
            .map(|i| ResourceChange {
                address: format!("campaign.c{i}"),
                kind: Kind::Campaign,
                name: format!("c{i}"),
                managed: true,
                action: if i % 2 == 0 {
                    Action::Create
                } else {
                    Action::Update
                },
                renamed_from: (i == 1).then(|| "campaign.old".to_owned()),
                reason: (i == 2).then(|| "a reason".to_owned()),
                changes: vec![FieldChange {
                    field: "budget".into(),
                    old: Some(json!(1)),
                    new: None,
                    forces_replacement: false,
                }],
                notes: vec!["a note".into()],
                attributes: Arc::clone(&attrs),
            })
            .collect();
        let operations = (0..n)
            .map(|i| {
                let mut body = Body::shared(Arc::clone(&attrs));
                body.insert("request_id".into(), json!(i.to_string()));
                Operation {
                    step: i + 1,
                    address: format!("campaign.c{i}"),
                    action: Action::Create,
                    method: "POST",
                    endpoint: "smart_plus/campaign/create",
                    batch: None,
                    body,
                    outputs: vec![format!("campaign.c{i}.campaign_id")],
                }
            })
            .collect();
        Plan {
            format_version: "1".into(),
            today: "2026-12-02".into(),
            base: Some("HEAD".into()),
            summary: Summary {
                add: n,
                ..Summary::default()
            },
            resources,
            operations,
            authorization_batches: vec![Batch {
                batch: 1,
                posts: vec!["post.p".into()],
                steps: vec![1],
            }],
            authorizations: vec![Authorization {
                post: "post.p".into(),
                from: None,
                until: "2026-12-31".into(),
                used_by: vec![Flight {
                    ad_group: "campaign.c0.ad_group.g".into(),
                    start: "2026-12-01".into(),
                    end: None,
                }],
            }],
            diagnostics: vec![PlanDiagnostic {
                code: "SP204".into(),
                severity: "warning".into(),
                message: "m".into(),
                file: None,
                line: Some(1),
                column: None,
            }],
        }
    }
}
