//! The `markdown` plan format, for a pull-request comment that always fits
//! (GitHub refuses comments over 65,536 characters):
//!
//! 1. a heading with the summary line, the base, a warning naming the
//!    destructive actions when there are any, and the counts by kind;
//! 2. one table per group of changes, **destructive first** (deleted,
//!    replaced, unbound: marked `⚠️ DELETE`, `⚠️ REPLACE`, `⚠️ UNBIND`),
//!    then updates, then creates, then read-only references that differ;
//! 3. one collapsible `<details>` section per change, in the same order,
//!    with the changed fields as a `diff` block (list elements by name:
//!    `post: jane_unboxing`) and the request body of each API call;
//! 4. the authorization batches (20 video codes per batch);
//! 5. a Mermaid `gantt` chart of the authorization windows the change
//!    touches (the post, an ad using it or the flight of an ad group using
//!    it changes) or that end within the warning window, against the flights
//!    of the ad groups that use them (a flight past the authorization is
//!    marked `crit`);
//! 6. the warnings, if any.
//!
//! **The budget.** The whole comment stays within [`Options::max_bytes`]
//! (65,000 by default) and the Mermaid block within
//! [`MERMAID_MAX_CHARS`] (Mermaid's default `maxTextSize`). The batches, the
//! chart and the warnings each get a share of the budget (an eighth, a
//! quarter and an eighth) and say what they leave out; the tables and the
//! details get the rest, in the order above, and are cut at a resource
//! boundary with a line saying how many changes were left out and where the
//! full plan is ([`Options::full_plan`], else `sparkplan plan --format
//! json`).
//!
//! GitHub and GitLab render Mermaid blocks in comments.

use std::collections::HashSet;
use std::fmt::Write;

use serde_json::Value;

use super::{Index, MERMAID_MAX_CHARS, Options, array_diff, compact, op_action, shown};
use crate::model::Date;
use crate::plan::diff::flatten;
use crate::plan::{Action, Authorization, Kind, Plan, ResourceChange};

/// The most flights charted per post (those past the authorization first).
const FLIGHTS_PER_POST: usize = 10;

/// Renders the comment.
pub fn render(plan: &Plan, opts: &Options) -> String {
    let idx = Index::new(plan);
    let limit = opts.max_bytes.unwrap_or(usize::MAX);
    let changes: Vec<&ResourceChange> = plan.resources.iter().filter(|r| shown(plan, r)).collect();
    let groups = groups(&changes);
    let head = head(plan, &changes);
    let where_full = match &opts.full_plan {
        Some(f) => format!("the full plan is in `{}`", escape_inline(f)),
        None => "the full plan is in the JSON plan (`sparkplan plan --format json`, or `--json-output FILE` next to this comment)".to_owned(),
    };
    // Room for the three lines that say what was cut.
    let reserve = 3 * (300 + where_full.len());
    let avail = limit.saturating_sub(head.len() + reserve);
    let batches = batches(plan, avail / 8);
    let chart = gantt(plan, opts, avail / 4);
    let warnings = warnings(plan, avail / 8);
    let mut left = avail.saturating_sub(batches.len() + chart.len() + warnings.len());

    let total = changes.len();
    let mut tables = String::new();
    let mut listed = 0;
    'groups: for (g, members) in &groups {
        if members.is_empty() {
            continue;
        }
        let mut part = format!("\n### {} ({})\n\n", g.title(), members.len());
        if let Some(intro) = g.intro() {
            let _ = writeln!(part, "{intro}\n");
        }
        part.push_str("| action | resource | what happens |\n|:---|---|---|\n");
        for (rows, r) in members.iter().enumerate() {
            let row = row(&idx, *g, r);
            if part.len() + row.len() > left {
                if rows > 0 {
                    left -= part.len();
                    tables.push_str(&part);
                }
                break 'groups;
            }
            part.push_str(&row);
            listed += 1;
        }
        left -= part.len();
        tables.push_str(&part);
    }
    if listed < total {
        let _ = writeln!(
            tables,
            "\n**… {} more {} not listed**, to keep this comment under {limit} bytes: {where_full}.",
            total - listed,
            plural(total - listed, "change", "changes")
        );
    }
    let mut details = String::new();
    let mut detailed = 0;
    if listed > 0 {
        let mut part = String::from("\n### Details\n");
        for r in groups.iter().flat_map(|(_, m)| m).take(listed) {
            let block = details_block(&idx, r);
            if part.len() + block.len() > left {
                break;
            }
            part.push_str(&block);
            detailed += 1;
        }
        if detailed > 0 {
            details = part;
        }
        if detailed < total {
            let _ = writeln!(
                details,
                "\n**… {} more {} without details here**: {where_full}.",
                total - detailed,
                plural(total - detailed, "change", "changes")
            );
        }
    }

    let mut s = head;
    if detailed < total {
        let _ = writeln!(
            s,
            "> **This comment is cut to fit {limit} bytes:** {listed} of {total} changes are listed, {detailed} with details; {where_full}.\n"
        );
    }
    s.push_str(&tables);
    s.push_str(&details);
    s.push_str(&batches);
    s.push_str(&chart);
    s.push_str(&warnings);
    fit(s, limit)
}

/// The last resort, should the heading alone outgrow the budget: cut at a
/// line and say so.
fn fit(mut s: String, limit: usize) -> String {
    if s.len() <= limit {
        return s;
    }
    let note = "\n\n**… cut: the comment outgrew its byte budget.**\n";
    let mut cut = limit.saturating_sub(note.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = s[..cut].rfind('\n').unwrap_or(0);
    s.truncate(cut);
    if s.len() + note.len() <= limit {
        s.push_str(note);
    }
    s
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// How the changes are grouped, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Destructive,
    Update,
    Renamed,
    Create,
    ReadOnly,
}

impl Group {
    fn of(r: &ResourceChange) -> Group {
        match (r.managed, r.action) {
            (false, _) => Group::ReadOnly,
            (true, Action::Delete | Action::Replace) => Group::Destructive,
            (true, Action::Update) => Group::Update,
            (true, Action::NoOp) => Group::Renamed,
            (true, _) => Group::Create,
        }
    }
    fn title(self) -> &'static str {
        match self {
            Group::Destructive => "⚠️ Destructive: deleted, replaced or unbound",
            Group::Update => "Updated in place",
            Group::Renamed => "Renamed: carried over to a new key",
            Group::Create => "Created",
            Group::ReadOnly => "Read-only references that differ (no API call)",
        }
    }
    fn intro(self) -> Option<&'static str> {
        match self {
            Group::Destructive => Some(
                "A deleted or replaced campaign, ad group or ad loses its delivery history; an unbound video code stops every ad that still uses it.",
            ),
            Group::Renamed => Some(
                "The same TikTok resources under new keys (`renamed_from:`): nothing is deleted or created, and they keep their delivery history.",
            ),
            _ => None,
        }
    }
}

fn groups<'a>(changes: &[&'a ResourceChange]) -> Vec<(Group, Vec<&'a ResourceChange>)> {
    let mut out: Vec<(Group, Vec<&ResourceChange>)> = [
        Group::Destructive,
        Group::Update,
        Group::Renamed,
        Group::Create,
        Group::ReadOnly,
    ]
    .into_iter()
    .map(|g| (g, Vec::new()))
    .collect();
    for r in changes {
        let g = Group::of(r);
        if let Some((_, v)) = out.iter_mut().find(|(k, _)| *k == g) {
            v.push(r);
        }
    }
    out
}

/// The action cell: destructive actions in bold capitals.
fn action_cell(g: Group, r: &ResourceChange) -> String {
    if g == Group::Destructive {
        let word = match (r.action, r.kind) {
            (Action::Delete, Kind::Post) => "UNBIND",
            (Action::Delete, _) => "DELETE",
            _ => "REPLACE",
        };
        format!("**⚠️ {word}** `{}`", r.action.marker())
    } else if g == Group::Renamed {
        "`→` rename".to_owned()
    } else {
        format!("`{}` {}", r.action.marker(), r.action.as_str())
    }
}

fn row(idx: &Index<'_>, g: Group, r: &ResourceChange) -> String {
    let mut what = idx.verb(r);
    if let Some(reason) = &r.reason {
        let _ = write!(what, ": {reason}");
    }
    if r.action == Action::Update && !r.changes.is_empty() {
        let fields: Vec<String> = r
            .changes
            .iter()
            .take(5)
            .map(|c| format!("`{}`", c.field))
            .collect();
        let more = if r.changes.len() > 5 { ", …" } else { "" };
        let _ = write!(what, " ({}{more})", fields.join(", "));
    }
    format!(
        "| {} | `{}` | {} |\n",
        action_cell(g, r),
        r.address,
        escape_cell(&what)
    )
}

fn head(plan: &Plan, changes: &[&ResourceChange]) -> String {
    let mut s = String::new();
    s.push_str("## sparkplan plan\n\n");
    let _ = writeln!(s, "**{}**\n", plan.summary.line());
    if let Some(line) = super::renamed_line(plan) {
        let _ = writeln!(s, "{line}\n");
    }
    match &plan.base {
        Some(b) => {
            let _ = writeln!(
                s,
                "Compared with `{}`; today is {}.\n",
                escape_inline(b),
                plan.today
            );
        }
        None => {
            let _ = writeln!(
                s,
                "From an empty account (no base); today is {}.\n",
                plan.today
            );
        }
    }
    if changes.is_empty() {
        s.push_str("No changes: the account already matches the manifests.\n");
        return s;
    }
    let managed = || changes.iter().filter(|r| r.managed);
    let count = |f: &dyn Fn(&&&ResourceChange) -> bool| managed().filter(f).count();
    let deleted = count(&|r| r.action == Action::Delete && r.kind != Kind::Post);
    let replaced = count(&|r| r.action == Action::Replace);
    let unbound = count(&|r| r.action == Action::Delete && r.kind == Kind::Post);
    if deleted + replaced + unbound > 0 {
        let mut parts = Vec::new();
        if deleted > 0 {
            parts.push(format!("{deleted} to delete"));
        }
        if replaced > 0 {
            parts.push(format!("{replaced} to replace (delete, then create)"));
        }
        if unbound > 0 {
            parts.push(format!(
                "{unbound} video {} to unbind",
                plural(unbound, "code", "codes")
            ));
        }
        let _ = writeln!(
            s,
            "> [!CAUTION]\n> **⚠️ Destructive: {}.** Listed first below.\n",
            parts.join(", ")
        );
    }
    // Counts by kind.
    s.push_str("| | create | update | replace | delete |\n|---|---:|---:|---:|---:|\n");
    for (kind, label) in [
        (Kind::Post, "code posts"),
        (Kind::Campaign, "campaigns"),
        (Kind::AdGroup, "ad groups"),
        (Kind::Ad, "ads"),
    ] {
        let n = |a: Action| {
            managed()
                .filter(|r| r.kind == kind && r.action == a)
                .count()
        };
        let c = [
            n(Action::Create),
            n(Action::Update),
            n(Action::Replace),
            n(Action::Delete),
        ];
        if c.iter().any(|&x| x > 0) {
            let _ = writeln!(s, "| {label} | {} | {} | {} | {} |", c[0], c[1], c[2], c[3]);
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

fn details_block(idx: &Index<'_>, r: &ResourceChange) -> String {
    let mut s = String::new();
    let adv = r
        .attributes
        .get("advertiser_id")
        .and_then(Value::as_str)
        .unwrap_or("");
    let _ = writeln!(
        s,
        "\n<details>\n<summary><code>{}</code> <code>{}</code> {}</summary>\n",
        html(r.action.marker()),
        html(&r.address),
        html(&idx.verb(r))
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
                match &v {
                    Value::Array(items) if items.iter().any(Value::is_object) => {
                        let names: Vec<String> =
                            items.iter().map(|i| idx.element(adv, i)).collect();
                        let _ = writeln!(b, "+ {k} = [{}]", names.join(", "));
                    }
                    _ => {
                        let _ = writeln!(b, "+ {k} = {}", compact(&v));
                    }
                }
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
                            let _ = writeln!(b, "- {}[] = {}", c.field, idx.element(adv, v));
                        }
                        for v in added {
                            let _ = writeln!(b, "+ {}[] = {}", c.field, idx.element(adv, v));
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
            if r.changes.is_empty() && r.action == Action::Replace {
                b.push_str("  (created again with the same fields)\n");
            }
        }
        Action::Delete | Action::NoOp | Action::Read => {}
    }
    if !block.is_empty() {
        fenced(&mut s, "diff", &block);
    }
    if let Some(old) = r.renamed_from.as_ref().filter(|_| r.action == Action::NoOp) {
        let _ = writeln!(
            s,
            "Carried over from `{}` unchanged: no API call.",
            escape_inline(old)
        );
    }
    for o in idx.ops(&r.address) {
        let batch = o.batch.map(|b| format!(" (batch {b})")).unwrap_or_default();
        let _ = writeln!(
            s,
            "\nStep {}: **{}** `{} {}`{batch}\n",
            o.step,
            op_action(o),
            o.method,
            o.endpoint
        );
        let mut body = serde_json::to_string_pretty(&o.body).unwrap_or_default();
        body.push('\n');
        fenced(&mut s, "json", &body);
    }
    s.push_str("\n</details>\n");
    s
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

/// The batches table, within `cap` bytes.
fn batches(plan: &Plan, cap: usize) -> String {
    let mut s = String::new();
    if plan.authorization_batches.is_empty() {
        return s;
    }
    s.push_str("\n### Authorization batches\n\n");
    s.push_str(
        "Video codes are authorized 20 per batch (Ads Manager's limit), in post-name order.\n\n",
    );
    s.push_str("| batch | codes | steps | posts |\n|---:|---:|---|---|\n");
    let reserve = 120;
    let mut shown = 0;
    for b in &plan.authorization_batches {
        let steps = match (b.steps.first(), b.steps.last()) {
            (Some(a), Some(z)) if a != z => format!("{a}–{z}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        };
        let posts: Vec<String> = b.posts.iter().map(|p| format!("`{p}`")).collect();
        let row = format!(
            "| {} | {} | {steps} | {} |\n",
            b.batch,
            b.posts.len(),
            posts.join(", ")
        );
        if s.len() + row.len() + reserve > cap {
            break;
        }
        s.push_str(&row);
        shown += 1;
    }
    let n = plan.authorization_batches.len();
    if shown < n {
        let _ = writeln!(
            s,
            "\n… {} more {} (the JSON plan's `authorization_batches`).",
            n - shown,
            plural(n - shown, "batch", "batches")
        );
    }
    s
}

/// Mermaid task names may not contain `:`, `#` or `;`.
fn task_name(t: &str) -> String {
    t.replace([':', '#', ';'], " ")
}

/// The post names an ad's creatives use by `$ref`/`$state`.
fn posts_in(v: &Value, out: &mut HashSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if (k == "$ref" || k == "$state")
                    && let Some(name) = x
                        .as_str()
                        .and_then(|t| t.strip_prefix("post."))
                        .and_then(|t| t.strip_suffix(".item_id"))
                {
                    out.insert(format!("post.{name}"));
                } else {
                    posts_in(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| posts_in(x, out)),
        _ => {}
    }
}

/// The posts whose window the change touches: the post itself changes, an
/// ad using it changes, or the flight of an ad group using it changes.
fn touched(plan: &Plan) -> (HashSet<String>, HashSet<&str>) {
    let mut posts = HashSet::new();
    let mut groups = HashSet::new();
    for r in plan.resources.iter().filter(|r| r.action != Action::NoOp) {
        match r.kind {
            Kind::Post => {
                posts.insert(r.address.clone());
            }
            Kind::AdGroup => {
                groups.insert(r.address.as_str());
            }
            Kind::Ad => {
                if let Some(v) = r.attributes.get("creative_list") {
                    posts_in(v, &mut posts);
                }
                for c in &r.changes {
                    if let Some(old) = &c.old {
                        posts_in(old, &mut posts);
                    }
                }
            }
            _ => {}
        }
    }
    (posts, groups)
}

/// One post's section of the chart; whether a flight runs past the
/// authorization; how many flights were left out.
fn section(a: &Authorization, today: Option<Date>) -> Option<(String, bool, usize)> {
    let until = Date::parse(&a.until)?;
    let mut s = String::new();
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
    let mut flights: Vec<(bool, String)> = Vec::new();
    for f in &a.used_by {
        let Some(start) = Date::parse(&f.start) else {
            continue;
        };
        let end = f.end.as_deref().and_then(Date::parse);
        let crit = end.is_none_or(|e| e > until);
        let (shown_end, suffix) = match end {
            Some(e) => (e.add_days(1), ""),
            None => (
                until.add_days(31).max(start.add_days(31)),
                " (runs continuously)",
            ),
        };
        let c = if crit { "crit, " } else { "" };
        flights.push((
            crit,
            format!(
                "    {}{suffix} :{c}{start}, {shown_end}\n",
                task_name(&f.ad_group)
            ),
        ));
    }
    let any_crit = flights.iter().any(|(c, _)| *c);
    let hidden = flights.len().saturating_sub(FLIGHTS_PER_POST);
    if hidden > 0 {
        // Past the authorization first, then in address order (stable).
        flights.sort_by_key(|(c, _)| !*c);
        flights.truncate(FLIGHTS_PER_POST);
    }
    for (_, line) in flights {
        s.push_str(&line);
    }
    Some((s, any_crit, hidden))
}

/// The chart, within `cap` bytes of comment and [`MERMAID_MAX_CHARS`]
/// characters of Mermaid.
fn gantt(plan: &Plan, opts: &Options, cap: usize) -> String {
    let mut s = String::new();
    if plan.authorizations.is_empty() {
        return s;
    }
    let today = Date::parse(&plan.today);
    let (posts, groups) = touched(plan);
    let window = i64::from(opts.expiry_warning_days);
    let ends_soon = |a: &Authorization| match (today, Date::parse(&a.until)) {
        (Some(t), Some(u)) => u.days - t.days < window,
        _ => false,
    };
    let mut charted: Vec<(bool, &str, String, usize)> = Vec::new();
    for a in &plan.authorizations {
        let touches = posts.contains(&a.post)
            || a.used_by
                .iter()
                .any(|f| groups.contains(f.ad_group.as_str()))
            || ends_soon(a);
        if !touches {
            continue;
        }
        if let Some((sec, crit, hidden)) = section(a, today) {
            charted.push((crit, a.until.as_str(), sec, hidden));
        }
    }
    s.push_str("\n### Authorization windows\n\n");
    if charted.is_empty() {
        let _ = writeln!(
            s,
            "No authorization window is touched by this change, and none ends within {window} days."
        );
        return if s.len() <= cap { s } else { String::new() };
    }
    // Past the authorization first, then ending soonest, then by post.
    charted.sort_by(|a, b| (!a.0, a.1).cmp(&(!b.0, b.1)));
    s.push_str("The code posts this change touches, and those ending within the warning window: each authorization window against the flights of the ad groups that use it. A flight marked critical runs past the authorization.\n\n");
    let open = "```mermaid\ngantt\n    title Authorization windows and ad group flights\n    dateFormat YYYY-MM-DD\n    axisFormat %Y-%m-%d\n";
    let close = "```\n";
    let note_reserve = 400;
    let chart_cap = MERMAID_MAX_CHARS.min(cap.saturating_sub(s.len() + close.len() + note_reserve));
    let mut chart = String::from(open);
    let (mut shown, mut hidden_flights) = (0, 0);
    for (_, _, sec, hidden) in &charted {
        if chart.len() + sec.len() > chart_cap {
            break;
        }
        chart.push_str(sec);
        shown += 1;
        hidden_flights += hidden;
    }
    if shown == 0 {
        return String::new();
    }
    s.push_str(&chart);
    s.push_str(close);
    let n = charted.len();
    if shown < n {
        let _ = writeln!(
            s,
            "\nTrimmed to stay under {MERMAID_MAX_CHARS} characters and this comment's budget: {shown} of {n} posts are charted (flights past the authorization first, then the windows ending soonest). Every window is in the JSON plan's `authorizations`."
        );
    }
    if hidden_flights > 0 {
        let _ = writeln!(
            s,
            "\n{hidden_flights} more {} of posts used by more than {FLIGHTS_PER_POST} ad groups are not charted.",
            plural(hidden_flights, "flight", "flights")
        );
    }
    s
}

/// The warnings, within `cap` bytes.
fn warnings(plan: &Plan, cap: usize) -> String {
    let mut s = String::new();
    if plan.diagnostics.is_empty() {
        return s;
    }
    s.push_str("\n### Warnings\n\n");
    let reserve = 120;
    let mut shown = 0;
    for d in &plan.diagnostics {
        let at = match (&d.file, d.line) {
            (Some(f), Some(l)) => format!(" (`{f}:{l}`)"),
            _ => String::new(),
        };
        let line = format!("- **{}** {}{at}\n", d.code, escape_inline(&d.message));
        if s.len() + line.len() + reserve > cap {
            break;
        }
        s.push_str(&line);
        shown += 1;
    }
    let n = plan.diagnostics.len();
    if shown < n {
        let _ = writeln!(
            s,
            "- … {} more {} (the JSON plan's `diagnostics`, or the job log).",
            n - shown,
            plural(n - shown, "warning", "warnings")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Authorization, Flight, Summary};

    fn render(plan: &Plan) -> String {
        super::render(plan, &Options::default())
    }

    /// A code post created by the plan.
    fn post(address: &str) -> ResourceChange {
        ResourceChange {
            address: address.into(),
            kind: Kind::Post,
            name: address.trim_start_matches("post.").into(),
            managed: true,
            action: Action::Create,
            renamed_from: None,
            reason: None,
            changes: Vec::new(),
            notes: Vec::new(),
            attributes: std::sync::Arc::default(),
        }
    }

    fn plan_with(authorizations: Vec<Authorization>) -> Plan {
        Plan {
            format_version: "1".into(),
            today: "2026-11-29".into(),
            base: None,
            summary: Summary::default(),
            resources: authorizations.iter().map(|a| post(&a.post)).collect(),
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
    fn a_large_chart_is_trimmed_to_its_limit_and_says_so() {
        let auths: Vec<Authorization> = (0..3000)
            .map(|i| Authorization {
                post: format!("post.p{i:04}"),
                from: Some("2026-11-01".into()),
                // The last post ends first; post 7 has a flight past its window.
                until: format!("2027-{:02}-10", 12 - (i % 12)),
                used_by: (0..(if i == 5 { 14 } else { 2 }))
                    .map(|g| {
                        let end = if i == 7 { "2028-01-01" } else { "2026-12-31" };
                        flight(
                            &format!("campaign.c{i}.ad_group.g{g}"),
                            "2026-12-01",
                            Some(end),
                        )
                    })
                    .collect(),
            })
            .collect();
        let md = super::render(
            &plan_with(auths),
            &Options {
                max_bytes: None,
                ..Options::default()
            },
        );
        let chart = md.split("```mermaid\n").nth(1).unwrap();
        let chart = chart.split("```\n").next().unwrap();
        assert!(chart.len() <= MERMAID_MAX_CHARS, "{}", chart.len());
        // The flight past the authorization first, then the soonest ending.
        let sections: Vec<&str> = chart
            .lines()
            .filter_map(|l| l.strip_prefix("    section "))
            .collect();
        assert_eq!(sections[0], "post.p0007");
        assert_eq!(sections[1], "post.p0011");
        assert!(sections.len() < 3000);
        assert!(md.contains(&format!("{} of 3000 posts are charted", sections.len())));
        if sections.contains(&"post.p0005") {
            assert!(md.contains("4 more flights of posts used by more than 10 ad groups"));
        }
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
