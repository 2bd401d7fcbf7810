//! The `text` plan format, like `terraform plan`:
//!
//! ```text
//!   # campaign.holiday_2026 must be replaced
//!   # (`objective_type` cannot change after the campaign is created)
//! -/+ campaign.holiday_2026 {
//!       ~ objective_type = "WEB_CONVERSIONS" -> "LEAD_GENERATION" # forces replacement
//!     }
//!
//! Plan: 0 to add, 0 to change, 1 to replace, 0 to delete.
//! ```
//!
//! A created resource lists its resolved fields (`+`), an updated or
//! replaced one the fields that differ (`~` changed, `+` added, `-`
//! removed; list elements added and removed), a deleted one only its
//! address. List elements read as names where they stand for a resource
//! (`post: jane_unboxing`, `media: holiday_cut as jane`); the request bodies
//! are in the JSON format. Then the operations in order, each with what it
//! does (`authorize`, `create`, `update`, `delete`, `unbind`), then the
//! summary line.

use std::fmt::Write;

use serde_json::Value;

use super::{Index, Window, array_diff, compact, op_action, par_write, renamed_line, shown};
use crate::plan::diff::flatten;
use crate::plan::{Action, FieldChange, Plan, ResourceChange};

/// Renders the plan.
pub fn render(plan: &Plan) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(plan, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the plan to `w`, the blocks and the operations printed in
/// parallel ([`par_write`]) and written as they come: the same bytes as
/// [`render`], without holding the whole text (14 MiB for 10,000 Spark Ads).
pub fn write(plan: &Plan, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_in(plan, w, Window::DEFAULT)
}

fn write_in(plan: &Plan, w: &mut dyn std::io::Write, win: Window) -> std::io::Result<()> {
    let idx = Index::new(plan);
    let mut s = String::new();
    let blocks: Vec<&ResourceChange> = plan.resources.iter().filter(|r| shown(plan, r)).collect();
    match &plan.base {
        Some(b) => {
            let _ = writeln!(s, "sparkplan plan against `{b}` (today {})", plan.today);
        }
        None => {
            let _ = writeln!(
                s,
                "sparkplan plan from an empty account (today {})",
                plan.today
            );
        }
    }
    s.push('\n');
    if blocks.is_empty() {
        s.push_str("No changes: the account already matches the manifests.\n\n");
        s.push_str(&plan.summary.line());
        s.push('\n');
        return w.write_all(s.as_bytes());
    }
    s.push_str("Resource actions are indicated with the following symbols:\n");
    s.push_str(
        "  + create\n  ~ update in place\n-/+ delete and then create replacement\n  - delete\n",
    );
    if renamed_line(plan).is_some() {
        s.push_str("    renamed (carried over to a new key)\n");
    }
    s.push('\n');
    s.push_str("sparkplan will perform the following actions:\n");
    w.write_all(s.as_bytes())?;
    par_write(w, &blocks, win, &|buf, _, r| {
        let mut s = String::from("\n");
        block(&mut s, &idx, r);
        buf.extend_from_slice(s.as_bytes());
        Ok(())
    })?;
    let mut s = String::new();
    if !plan.operations.is_empty() {
        w.write_all(b"\nOperations, in order:\n")?;
        let nw = plan.operations.len().to_string().len();
        let ew = plan
            .operations
            .iter()
            .map(|o| o.endpoint.len())
            .max()
            .unwrap_or(0);
        let aw = plan
            .operations
            .iter()
            .map(|o| op_action(o).len())
            .max()
            .unwrap_or(0);
        par_write(w, &plan.operations, win, &|buf, _, o| {
            let batch = o
                .batch
                .map(|b| format!("  (batch {b})"))
                .unwrap_or_default();
            std::io::Write::write_fmt(
                buf,
                format_args!(
                    "  {:>nw$}. {:<aw$}  {:<4} {:<ew$}  {}{batch}\n",
                    o.step,
                    op_action(o),
                    o.method,
                    o.endpoint,
                    o.address
                ),
            )
        })?;
    }
    s.push('\n');
    if let Some(line) = renamed_line(plan) {
        s.push_str(&line);
        s.push('\n');
    }
    s.push_str(&plan.summary.line());
    s.push('\n');
    w.write_all(s.as_bytes())
}

fn block(s: &mut String, idx: &Index<'_>, r: &ResourceChange) {
    let adv = r
        .attributes
        .get("advertiser_id")
        .and_then(Value::as_str)
        .unwrap_or("");
    let _ = writeln!(s, "  # {} {}", r.address, idx.verb(r));
    if let Some(reason) = &r.reason {
        let _ = writeln!(s, "  # ({reason})");
    }
    for note in &r.notes {
        let _ = writeln!(s, "  # note: {note}");
    }
    let _ = write!(s, "{:>3} {}", r.action.marker(), r.address);
    match r.action {
        Action::Delete | Action::NoOp | Action::Read => {
            s.push('\n');
            return;
        }
        Action::Create => {
            s.push_str(" {\n");
            let fields = flatten(&r.attributes);
            let w = fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            for (k, v) in &fields {
                value_line(s, idx, adv, k, w, v);
            }
        }
        Action::Update | Action::Replace => {
            s.push_str(" {\n");
            let w = r.changes.iter().map(|c| c.field.len()).max().unwrap_or(0);
            for c in &r.changes {
                change_line(s, idx, adv, c, w);
            }
            if r.changes.is_empty() && r.action == Action::Replace {
                s.push_str("      # (created again with the same fields)\n");
            }
        }
    }
    s.push_str("    }\n");
}

fn value_line(s: &mut String, idx: &Index<'_>, adv: &str, k: &str, w: usize, v: &Value) {
    match v {
        Value::Array(items) if items.iter().any(|i| i.is_object()) => {
            let _ = writeln!(s, "      + {k:<w$} = [");
            for i in items {
                let _ = writeln!(s, "          + {},", idx.element(adv, i));
            }
            s.push_str("        ]\n");
        }
        _ => {
            let _ = writeln!(s, "      + {k:<w$} = {}", compact(v));
        }
    }
}

fn change_line(s: &mut String, idx: &Index<'_>, adv: &str, c: &FieldChange, w: usize) {
    let forces = if c.forces_replacement {
        " # forces replacement"
    } else {
        ""
    };
    let k = &c.field;
    match (&c.old, &c.new) {
        (Some(Value::Array(old)), Some(Value::Array(new)))
            if old.iter().chain(new).any(Value::is_object) =>
        {
            let (removed, added, kept) = array_diff(old, new);
            let _ = writeln!(s, "      ~ {k:<w$} = [{forces}");
            for v in removed {
                let _ = writeln!(s, "          - {},", idx.element(adv, v));
            }
            for v in added {
                let _ = writeln!(s, "          + {},", idx.element(adv, v));
            }
            if kept > 0 {
                let plural = if kept == 1 { "" } else { "s" };
                let _ = writeln!(s, "            # ({kept} unchanged element{plural} hidden)");
            }
            s.push_str("        ]\n");
        }
        (Some(old), Some(new)) => {
            let _ = writeln!(
                s,
                "      ~ {k:<w$} = {} -> {}{forces}",
                compact(old),
                compact(new)
            );
        }
        (None, Some(new)) => {
            let _ = writeln!(s, "      + {k:<w$} = {}{forces}", compact(new));
        }
        (Some(old), None) => {
            let _ = writeln!(s, "      - {k:<w$} = {} -> null{forces}", compact(old));
        }
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "in a test, a panic with the value is the failure report"
    )]
    use super::super::fixture::{self, plan};
    use super::*;

    fn written(p: &Plan, win: Window) -> String {
        fixture::written(write_in, p, win)
    }

    #[test]
    fn the_same_text_whatever_the_windows() {
        for n in [0, 1, 2, 7, 65] {
            let p = plan(n);
            let want = written(&p, Window { items: 1, chunk: 1 });
            assert!(n == 0 || want.contains("+ campaign.c0 {"), "{want}");
            assert_eq!(render(&p), want, "{n} resources");
            for (items, chunk) in [(3, 2), (4, 4), (5, 64)] {
                assert_eq!(
                    written(&p, Window { items, chunk }),
                    want,
                    "{n} resources, window {items}, chunk {chunk}"
                );
            }
        }
    }
}
