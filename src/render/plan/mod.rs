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

use serde_json::Value;

use crate::plan::{Action, Kind, Plan, ResourceChange};

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

/// Renders `plan` in `format`.
pub fn render(plan: &Plan, format: PlanFormat) -> String {
    match format {
        PlanFormat::Text => text::render(plan),
        PlanFormat::Json => json::render(plan),
        PlanFormat::Markdown => markdown::render(plan),
    }
}

/// Whether a resource gets its own block: managed resources that change,
/// and, when there is a base, read-only resources that change.
pub(crate) fn shown(plan: &Plan, r: &ResourceChange) -> bool {
    r.action != Action::NoOp && (r.managed || plan.base.is_some())
}

/// One line saying what happens to `r`, e.g. `will be created`.
pub(crate) fn verb(plan: &Plan, r: &ResourceChange) -> String {
    let code_post = r.kind == Kind::Post && r.managed;
    let base = match (r.action, code_post) {
        (Action::Create, true) => {
            let batch = plan
                .authorization_batches
                .iter()
                .find(|b| b.posts.contains(&r.address))
                .map(|b| format!(" (batch {})", b.batch))
                .unwrap_or_default();
            format!("will be authorized{batch}")
        }
        (Action::Update, true)
            if plan
                .authorization_batches
                .iter()
                .any(|b| b.posts.contains(&r.address)) =>
        {
            "will be authorized again".to_owned()
        }
        (Action::Create, false) => "will be created".to_owned(),
        (Action::Update, _) => "will be updated in place".to_owned(),
        (Action::Replace, _) => "must be replaced".to_owned(),
        (Action::Delete, true) => "will be unbound".to_owned(),
        (Action::Delete, false) => "will be deleted".to_owned(),
        (Action::NoOp | Action::Read, _) => "is unchanged".to_owned(),
    };
    if r.action == Action::NoOp {
        base
    } else if !r.managed {
        format!("{base} (read only: no API call)")
    } else if !plan.operations.iter().any(|o| o.address == r.address) {
        format!("{base} (no API call)")
    } else {
        base
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
