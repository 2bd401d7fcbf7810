//! The `markdown` plan format, for a pull-request comment:
//!
//! 1. a heading with the summary line and the base;
//! 2. a table with one row per change (action, resource, what happens);
//! 3. one collapsible `<details>` section per change, with the changed
//!    fields as a `diff` block and the request body of each API call;
//! 4. the authorization batches (20 video codes per batch);
//! 5. a Mermaid `gantt` chart of each code post's authorization window
//!    against the flights of the ad groups that use it (a flight that runs
//!    past the authorization is marked `crit`);
//! 6. the warnings, if any.
//!
//! GitHub and GitLab render Mermaid blocks in comments.

use std::fmt::Write;

use serde_json::Value;

use super::{array_diff, compact, shown, verb};
use crate::model::Date;
use crate::plan::diff::flatten;
use crate::plan::{Action, Plan, ResourceChange};

/// Renders the comment.
pub fn render(plan: &Plan) -> String {
    let mut s = String::new();
    s.push_str("## sparkplan plan\n\n");
    let _ = writeln!(s, "**{}**\n", plan.summary.line());
    match &plan.base {
        Some(b) => {
            let _ = writeln!(s, "Compared with `{b}`; today is {}.\n", plan.today);
        }
        None => {
            let _ = writeln!(
                s,
                "From an empty account (no base); today is {}.\n",
                plan.today
            );
        }
    }
    let changes: Vec<&ResourceChange> = plan.resources.iter().filter(|r| shown(plan, r)).collect();
    if changes.is_empty() {
        s.push_str("No changes: the account already matches the manifests.\n");
    } else {
        s.push_str("| action | resource | what happens |\n|:---:|---|---|\n");
        for r in &changes {
            let mut what = verb(plan, r);
            if let Some(reason) = &r.reason {
                let _ = write!(what, ": {reason}");
            }
            let _ = writeln!(
                s,
                "| `{}` | `{}` | {} |",
                r.action.marker(),
                r.address,
                escape_cell(&what)
            );
        }
        s.push_str("\n### Changes\n");
        for r in &changes {
            details(&mut s, plan, r);
        }
    }
    batches(&mut s, plan);
    gantt(&mut s, plan);
    if !plan.diagnostics.is_empty() {
        s.push_str("\n### Warnings\n\n");
        for d in &plan.diagnostics {
            let at = match (&d.file, d.line) {
                (Some(f), Some(l)) => format!(" (`{f}:{l}`)"),
                _ => String::new(),
            };
            let _ = writeln!(s, "- **{}** {}{at}", d.code, escape_inline(&d.message));
        }
    }
    s
}

fn escape_cell(t: &str) -> String {
    escape_inline(t).replace('|', "\\|")
}

/// Keeps user text from becoming HTML in the comment.
fn escape_inline(t: &str) -> String {
    t.replace('<', "&lt;").replace('>', "&gt;")
}

fn details(s: &mut String, plan: &Plan, r: &ResourceChange) {
    let _ = writeln!(
        s,
        "\n<details>\n<summary><code>{}</code> <code>{}</code> {}</summary>\n",
        html(r.action.marker()),
        html(&r.address),
        html(&verb(plan, r))
    );
    if let Some(reason) = &r.reason {
        let _ = writeln!(s, "Reason: {}\n", escape_inline(reason));
    }
    for note in &r.notes {
        let _ = writeln!(s, "Note: {}\n", escape_inline(note));
    }
    let mut block = String::new();
    let b = &mut block;
    match r.action {
        Action::Create => {
            for (k, v) in flatten(&r.attributes) {
                let _ = writeln!(b, "+ {k} = {}", compact(&v));
            }
        }
        Action::Update | Action::Replace => {
            for c in &r.changes {
                let forces = if c.forces_replacement {
                    "  # forces replacement"
                } else {
                    ""
                };
                match (&c.old, &c.new) {
                    (Some(Value::Array(o)), Some(Value::Array(n))) => {
                        let (removed, added, kept) = array_diff(o, n);
                        let _ = writeln!(b, "  {}: {kept} unchanged{forces}", c.field);
                        for v in removed {
                            let _ = writeln!(b, "- {}[] = {}", c.field, compact(v));
                        }
                        for v in added {
                            let _ = writeln!(b, "+ {}[] = {}", c.field, compact(v));
                        }
                    }
                    (o, n) => {
                        if let Some(o) = o {
                            let _ = writeln!(b, "- {} = {}{forces}", c.field, compact(o));
                        }
                        if let Some(n) = n {
                            let _ = writeln!(b, "+ {} = {}{forces}", c.field, compact(n));
                        }
                    }
                }
            }
        }
        Action::Delete | Action::NoOp | Action::Read => {}
    }
    if !block.is_empty() {
        fenced(s, "diff", &block);
    }
    for o in plan.operations.iter().filter(|o| o.address == r.address) {
        let batch = o.batch.map(|b| format!(" (batch {b})")).unwrap_or_default();
        let _ = writeln!(
            s,
            "\nStep {}: `{} {}`{batch}\n",
            o.step, o.method, o.endpoint
        );
        let mut body = serde_json::to_string_pretty(&o.body).unwrap_or_default();
        body.push('\n');
        fenced(s, "json", &body);
    }
    s.push_str("\n</details>\n");
}

/// A fenced code block whose fence is longer than any run of backticks in
/// `content` (captions are user text).
fn fenced(s: &mut String, lang: &str, content: &str) {
    let mut longest = 0;
    let mut run = 0;
    for c in content.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = write!(s, "{fence}{lang}\n{content}{fence}\n");
}

fn html(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn batches(s: &mut String, plan: &Plan) {
    if plan.authorization_batches.is_empty() {
        return;
    }
    s.push_str("\n### Authorization batches\n\n");
    s.push_str(
        "Video codes are authorized 20 per batch (Ads Manager's limit), in post-name order.\n\n",
    );
    s.push_str("| batch | codes | steps | posts |\n|---:|---:|---|---|\n");
    for b in &plan.authorization_batches {
        let steps = match (b.steps.first(), b.steps.last()) {
            (Some(a), Some(z)) if a != z => format!("{a}–{z}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        };
        let posts: Vec<String> = b.posts.iter().map(|p| format!("`{p}`")).collect();
        let _ = writeln!(
            s,
            "| {} | {} | {steps} | {} |",
            b.batch,
            b.posts.len(),
            posts.join(", ")
        );
    }
}

/// Mermaid task names may not contain `:`, `#` or `;`.
fn task_name(t: &str) -> String {
    t.replace([':', '#', ';'], " ")
}

fn gantt(s: &mut String, plan: &Plan) {
    if plan.authorizations.is_empty() {
        return;
    }
    let today = Date::parse(&plan.today);
    s.push_str("\n### Authorization windows\n\n");
    s.push_str("Each code post's authorization window against the flights of the ad groups that use it. A flight marked critical runs past the authorization.\n\n");
    s.push_str("```mermaid\ngantt\n    title Authorization windows and ad group flights\n    dateFormat YYYY-MM-DD\n    axisFormat %Y-%m-%d\n");
    for a in &plan.authorizations {
        let Some(until) = Date::parse(&a.until) else {
            continue;
        };
        let starts = a.used_by.iter().filter_map(|f| Date::parse(&f.start));
        let (from, label) = match a.from.as_deref().and_then(Date::parse) {
            Some(d) => (d, "authorized"),
            None => (
                starts.chain(today).min().unwrap_or(until).min(until),
                "authorized (start unknown)",
            ),
        };
        let _ = writeln!(s, "    section {}", task_name(&a.post));
        let _ = writeln!(s, "    {label} :{from}, {}", until.add_days(1));
        for f in &a.used_by {
            let Some(start) = Date::parse(&f.start) else {
                continue;
            };
            let end = f.end.as_deref().and_then(Date::parse);
            let crit = if end.is_none_or(|e| e > until) {
                "crit, "
            } else {
                ""
            };
            let (shown_end, suffix) = match end {
                Some(e) => (e.add_days(1), ""),
                None => (
                    until.add_days(31).max(start.add_days(31)),
                    " (runs continuously)",
                ),
            };
            let _ = writeln!(
                s,
                "    {}{suffix} :{crit}{start}, {shown_end}",
                task_name(&f.ad_group)
            );
        }
    }
    s.push_str("```\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::plan::{Authorization, Flight, Summary};

    fn plan_with(authorizations: Vec<Authorization>) -> Plan {
        Plan {
            format_version: "1".into(),
            today: "2026-11-29".into(),
            base: None,
            summary: Summary::default(),
            resources: Vec::new(),
            operations: Vec::new(),
            authorization_batches: Vec::new(),
            authorizations,
            diagnostics: Vec::new(),
        }
    }

    fn flight(g: &str, start: &str, end: Option<&str>) -> Flight {
        Flight {
            ad_group: g.into(),
            start: start.into(),
            end: end.map(Into::into),
        }
    }

    #[test]
    fn gantt_marks_flights_past_the_authorization() {
        let md = render(&plan_with(vec![
            Authorization {
                post: "post.a".into(),
                from: Some("2026-11-20".into()),
                until: "2026-12-19".into(),
                used_by: vec![
                    flight(
                        "campaign.c.ad_group.inside",
                        "2026-12-01",
                        Some("2026-12-19"),
                    ),
                    flight("campaign.c.ad_group.past", "2026-12-01", Some("2026-12-31")),
                    flight("campaign.c.ad_group.open", "2026-12-10", None),
                ],
            },
            Authorization {
                post: "post.b".into(),
                from: None,
                until: "2027-01-31".into(),
                used_by: vec![flight(
                    "campaign.c.ad_group.g",
                    "2026-12-05",
                    Some("2027-01-10"),
                )],
            },
        ]));
        let chart = md.split("```mermaid\n").nth(1).unwrap();
        assert_eq!(
            chart,
            "gantt\n    title Authorization windows and ad group flights\n    dateFormat YYYY-MM-DD\n    axisFormat %Y-%m-%d\n\
             \x20   section post.a\n\
             \x20   authorized :2026-11-20, 2026-12-20\n\
             \x20   campaign.c.ad_group.inside :2026-12-01, 2026-12-20\n\
             \x20   campaign.c.ad_group.past :crit, 2026-12-01, 2027-01-01\n\
             \x20   campaign.c.ad_group.open (runs continuously) :crit, 2026-12-10, 2027-01-19\n\
             \x20   section post.b\n\
             \x20   authorized (start unknown) :2026-11-29, 2027-02-01\n\
             \x20   campaign.c.ad_group.g :2026-12-05, 2027-01-11\n\
             ```\n"
        );
    }

    #[test]
    fn no_changes_and_no_codes() {
        let md = render(&plan_with(Vec::new()));
        assert!(md.contains("No changes"));
        assert!(!md.contains("mermaid"));
        assert!(!md.contains("Authorization batches"));
    }

    #[test]
    fn fences_outgrow_backticks_in_captions() {
        let mut s = String::new();
        fenced(&mut s, "diff", "+ caption = \"```rm -rf```\"\n");
        assert_eq!(s, "````diff\n+ caption = \"```rm -rf```\"\n````\n");
        s.clear();
        fenced(&mut s, "json", "{}\n");
        assert_eq!(s, "```json\n{}\n```\n");
    }
}
