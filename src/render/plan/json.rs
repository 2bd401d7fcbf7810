//! The `json` plan format: the [`Plan`] serialized as one pretty-printed
//! document with a trailing newline. Field order is the order of the struct
//! fields; the shape is described by `schema/plan.schema.json` and
//! `docs/plan-format.md`.

use crate::plan::Plan;

/// Renders the document.
pub fn render(plan: &Plan) -> String {
    let mut out = serde_json::to_string_pretty(plan).unwrap_or_default();
    out.push('\n');
    out
}
