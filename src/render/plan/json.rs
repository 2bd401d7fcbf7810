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

/// Writes the same bytes as [`render`] to `w`, without building the
/// document in memory first (it is 20 MiB for 10,000 ads).
pub fn write(plan: &Plan, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, plan).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}
