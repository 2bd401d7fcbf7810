//! The `human` format: rustc-style diagnostics drawn with `annotate-snippets`,
//! then one summary line.
//!
//! ```text
//! error[SP203]: ad group `us_broad` runs past the authorization of post `jane_unboxing`
//!   --> campaigns/holiday.yaml:12:9
//!    |
//! 12 |         schedule: { start: "2026-12-01", end: "2026-12-31" }
//!    |         ^^^^^^^^ the flight ends 2026-12-31
//!    |
//!   ::: posts.yaml:4:5
//!    |
//!  4 |     authorized_on: "2026-11-20"
//!    |     --------------------------- authorization ends 2026-12-19
//!    |
//!    = help: ...
//! ```
//!
//! Labels are grouped by file: the file of the first primary label comes
//! first (`-->`), the other files follow in the order their labels appear
//! (`:::`). Only the lines the labels cover are handed to `annotate-snippets`
//! (an excerpt), with a UTF-8 BOM and the `\r` of CRLF line endings removed
//! and the byte offsets translated, so spans into such files stay exact.
//! A zero-width label points at one column.

use std::borrow::Cow;

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Renderer, Snippet};

use super::RenderInput;
use crate::diag::{Diagnostic, FileId, Label, Severity, SourceFile, SourceMap};

/// Renders every diagnostic followed by a blank line, then the summary line
/// of [`summary`] (for clean runs too). Ends with a newline.
///
/// With `color`, ANSI styles are used (the caller decides from
/// `--color`, `NO_COLOR` and whether the output is a terminal).
pub fn render(input: &RenderInput<'_>, color: bool) -> String {
    let mut out = String::new();
    for d in input.diagnostics {
        out.push_str(&render_diagnostic(d, input.sources, color));
        out.push_str("\n\n");
    }
    out.push_str(&render_summary(
        input.errors(),
        input.warnings(),
        input.files_checked,
        color,
    ));
    out.push('\n');
    out
}

/// Renders one diagnostic, without a trailing newline.
pub fn render_diagnostic(diagnostic: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let level = level(diagnostic.severity);
    let mut group = Group::with_title(
        level
            .primary_title(&diagnostic.message)
            .id(diagnostic.code()),
    );
    for (file_id, labels) in labels_by_file(diagnostic) {
        let Some(file) = sources.get(file_id) else {
            continue;
        };
        group = group.element(snippet(file, &labels));
    }
    for note in &diagnostic.notes {
        group = group.element(Level::NOTE.message(note));
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help));
    }
    renderer(color).render(&[group])
}

/// The summary line, without styling and without a trailing newline:
/// `error: 3 errors and 1 warning found in 6 files`,
/// `warning: 1 warning found in 6 files` or
/// `checked 6 files: no problems found`. `files` is the number of files
/// checked.
pub fn summary(errors: usize, warnings: usize, files: usize) -> String {
    match summary_parts(errors, warnings, files) {
        (Some(level), text) => format!("{}: {text}", level.as_str()),
        (None, text) => text,
    }
}

/// [`summary`], styled like a diagnostic title when `color` is set.
pub fn render_summary(errors: usize, warnings: usize, files: usize, color: bool) -> String {
    match summary_parts(errors, warnings, files) {
        (Some(severity), text) => {
            renderer(color).render(&[Group::with_title(level(severity).primary_title(text))])
        }
        (None, text) => text,
    }
}

fn summary_parts(errors: usize, warnings: usize, files: usize) -> (Option<Severity>, String) {
    let files = plural(files, "file");
    match (errors, warnings) {
        (0, 0) => (None, format!("checked {files}: no problems found")),
        (0, w) => (
            Some(Severity::Warning),
            format!("{} found in {files}", plural(w, "warning")),
        ),
        (e, 0) => (
            Some(Severity::Error),
            format!("{} found in {files}", plural(e, "error")),
        ),
        (e, w) => (
            Some(Severity::Error),
            format!(
                "{} and {} found in {files}",
                plural(e, "error"),
                plural(w, "warning")
            ),
        ),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

fn renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// The labels grouped by file: the file of the first primary label first,
/// then the other files in the order their first label appears.
fn labels_by_file(d: &Diagnostic) -> Vec<(FileId, Vec<&Label>)> {
    let mut groups: Vec<(FileId, Vec<&Label>)> = Vec::new();
    let first_file = d.primary_span().map(|s| s.file);
    let ordered = first_file
        .into_iter()
        .chain(d.labels.iter().map(|l| l.span.file))
        .collect::<Vec<_>>();
    for file in ordered {
        if groups.iter().any(|(f, _)| *f == file) {
            continue;
        }
        groups.push((
            file,
            d.labels.iter().filter(|l| l.span.file == file).collect(),
        ));
    }
    groups
}

/// One snippet of `file` showing the lines `labels` cover.
fn snippet<'a>(file: &'a SourceFile, labels: &[&'a Label]) -> Snippet<'a, Annotation<'a>> {
    // Byte positions (original file) of each label, end adjusted so that a
    // span ending just after a line break stays on its last line.
    let points: Vec<(usize, usize)> = labels
        .iter()
        .map(|l| {
            let start = l.span.start as usize;
            let mut end = (l.span.end as usize).max(start);
            if end > start && file.text.as_bytes().get(end - 1) == Some(&b'\n') {
                end -= 1;
            }
            (start, end)
        })
        .collect();
    let first_line = points
        .iter()
        .map(|&(s, _)| file.location(s).line)
        .min()
        .unwrap_or(1);
    let last_line = points
        .iter()
        .map(|&(_, e)| file.location(e).line)
        .max()
        .unwrap_or(1);

    let mut excerpt = String::new();
    let mut line_offsets = Vec::with_capacity(last_line - first_line + 1);
    for line in first_line..=last_line {
        if line > first_line {
            excerpt.push('\n');
        }
        line_offsets.push(excerpt.len());
        excerpt.push_str(shown_line(file, line));
    }

    let annotations: Vec<Annotation<'a>> = labels
        .iter()
        .zip(&points)
        .map(|(label, &(start, end))| {
            let s = excerpt_offset(file, start, first_line, &line_offsets, &excerpt);
            let mut e = excerpt_offset(file, end, first_line, &line_offsets, &excerpt).max(s);
            if e == s {
                // Zero width: point at the character there (or one past the end of the line).
                e = s + excerpt[s..]
                    .chars()
                    .next()
                    .filter(|&c| c != '\n')
                    .map_or(1, char::len_utf8);
            }
            let kind = if label.primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            kind.span(s..e)
                .label(label.message.as_deref().map(Cow::Borrowed))
        })
        .collect();

    Snippet::source(excerpt)
        .line_start(first_line)
        .path(super::shown_name(&file.path))
        .fold(true)
        .annotations(annotations)
}

/// Line `line` as shown: without its line break, a trailing `\r` or a BOM.
fn shown_line(file: &SourceFile, line: usize) -> &str {
    let text = file.line_text(line);
    if line == 1 {
        text.strip_prefix('\u{feff}').unwrap_or(text)
    } else {
        text
    }
}

/// Translates a byte offset of the file into the excerpt.
fn excerpt_offset(
    file: &SourceFile,
    offset: usize,
    first_line: usize,
    line_offsets: &[usize],
    excerpt: &str,
) -> usize {
    let mut offset = offset.min(file.text.len());
    while !file.text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = file.location(offset).line;
    let line_start = file.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let bom = if line_start == 0 && file.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let shown = shown_line(file, line);
    let column_bytes = offset.saturating_sub(line_start + bom).min(shown.len());
    let base = line_offsets
        .get(line.saturating_sub(first_line))
        .copied()
        .unwrap_or(excerpt.len());
    (base + column_bytes).min(excerpt.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    fn find(sources: &SourceMap, file: FileId, needle: &str) -> Span {
        let text = &sources.get(file).unwrap().text;
        let start = text.find(needle).unwrap();
        Span::new(file, start, start + needle.len())
    }

    fn workspace() -> (SourceMap, FileId, FileId) {
        let mut sources = SourceMap::new();
        let campaign = sources.add(
            "campaigns/holiday.yaml".into(),
            "sparkplan: 1\ncampaigns:\n  holiday_2026:\n    advertiser: acme_us\n    type: smart_plus\n    objective: web_conversions\n    ad_groups:\n      us_broad:\n        locations: [US]\n        placements: automatic\n        budget: { mode: daily, amount: 100 }\n        schedule: { start: \"2026-12-01\", end: \"2026-12-31\" }\n".into(),
        );
        let posts = sources.add(
            "posts.yaml".into(),
            "sparkplan: 1\nposts:\n  jane_unboxing:\n    authorized_on: \"2026-11-20\"\n    authorization_days: 30\n".into(),
        );
        (sources, campaign, posts)
    }

    fn warning(mut d: Diagnostic) -> Diagnostic {
        d.severity = Severity::Warning;
        d
    }

    fn plain(d: &Diagnostic, sources: &SourceMap) -> String {
        render_diagnostic(d, sources, false)
    }

    #[test]
    fn multi_file_labels_notes_and_help() {
        let (sources, campaign, posts) = workspace();
        let d = Diagnostic::new(
            &crate::rules::sp203_schedule_past_authorization::RULE,
            "ad group `us_broad` runs past the authorization of post `jane_unboxing`",
        )
        .primary(
            find(&sources, campaign, "schedule"),
            "the flight ends 2026-12-31",
        )
        .secondary(
            find(&sources, posts, "authorized_on: \"2026-11-20\""),
            "authorization ends 2026-12-19",
        )
        .note("a post's authorization covers `authorized_on` + `authorization_days` - 1")
        .help("end the flight by 2026-12-19, or authorize the post for 60 days");
        let out = plain(&d, &sources);
        assert!(out.contains("--> campaigns/holiday.yaml:12:9"), "{out}");
        assert!(out.contains("::: posts.yaml:4:5"), "{out}");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn two_labels_in_one_file_far_apart() {
        let (sources, campaign, _) = workspace();
        let d = Diagnostic::new(
            &crate::workspace::codes::SP007,
            "campaign `holiday_2026` is defined twice",
        )
        .primary(find(&sources, campaign, "schedule"), "second definition")
        .secondary(find(&sources, campaign, "holiday_2026"), "first definition");
        let out = plain(&d, &sources);
        assert!(out.contains("--> campaigns/holiday.yaml:12:9"), "{out}");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn no_label_renders_header_and_notes() {
        let sources = SourceMap::new();
        let d = Diagnostic::new(&crate::syntax::codes::SP006, "no manifest found")
            .note("a manifest is a YAML file whose top level has the key `sparkplan`")
            .help("add `sparkplan: 1` at the top of the file");
        let out = plain(&d, &sources);
        assert_eq!(
            out,
            "error[SP006]: no manifest found\n |\n = note: a manifest is a YAML file whose top level has the key `sparkplan`\n = help: add `sparkplan: 1` at the top of the file"
        );
    }

    #[test]
    fn no_label_no_notes() {
        let d = Diagnostic::new(&crate::syntax::codes::SP013, "input refused");
        assert_eq!(plain(&d, &SourceMap::new()), "error[SP013]: input refused");
    }

    #[test]
    fn crlf_and_bom() {
        let mut sources = SourceMap::new();
        let text = "\u{feff}sparkplan: 1\r\nposts:\r\n  p:\r\n    authorization_days: 45\r\n";
        let f = sources.add("crlf.yaml".into(), text.into());
        let d = Diagnostic::new(
            &crate::rules::sp201_authorization_days::RULE,
            "`authorization_days` must be 7, 30, 60 or 365",
        )
        .primary(find(&sources, f, "45"), "not an allowed value")
        .help("the nearest allowed value is 30");
        let out = plain(&d, &sources);
        assert!(out.contains("--> crlf.yaml:4:25"), "{out}");
        assert!(out.contains("4 |     authorization_days: 45\n"), "{out}");
        assert!(!out.contains('\r'), "{out:?}");
        insta::assert_snapshot!(out);

        // A label on the first line, right after the BOM.
        let d = Diagnostic::new(&crate::syntax::codes::SP006, "unsupported version")
            .primary(find(&sources, f, "sparkplan"), "here");
        let out = plain(&d, &sources);
        assert!(out.contains("--> crlf.yaml:1:1"), "{out}");
        assert!(
            out.contains("1 | sparkplan: 1\n  | ^^^^^^^^^ here"),
            "{out}"
        );
        assert!(!out.contains('\u{feff}'), "{out:?}");
    }

    #[test]
    fn zero_width_spans() {
        let mut sources = SourceMap::new();
        let f = sources.add("z.yaml".into(), "sparkplan: 1\nposts:\n".into());
        // At the end of line 2 (just before its line break) and at the very end of the file.
        let d = Diagnostic::new(&crate::model::codes::SP005, "post list is empty")
            .primary(Span::new(f, 19, 19), "expected a mapping here")
            .secondary(Span::new(f, 11, 11), "");
        let out = plain(&d, &sources);
        assert!(out.contains("--> z.yaml:2:7"), "{out}");
        insta::assert_snapshot!(out);

        let d = Diagnostic::new(&crate::syntax::codes::SP001, "unexpected end of file")
            .primary(Span::new(f, 20, 20), "file ends here");
        let out = plain(&d, &sources);
        assert!(out.contains("--> z.yaml:3:1"), "{out}");
        insta::assert_snapshot!("zero_width_at_eof", out);
    }

    #[test]
    fn header_column_matches_source_map_with_tabs_and_multibyte() {
        let mut sources = SourceMap::new();
        let f = sources.add("t.yaml".into(), "a:\n\té: { b: 1 }\n".into());
        let span = find(&sources, f, "b: 1");
        let loc = sources.location(span);
        let d =
            Diagnostic::new(&crate::model::codes::SP003, "unknown field `b`").primary(span, "here");
        let out = plain(&d, &sources);
        assert!(
            out.contains(&format!("--> t.yaml:{}:{}", loc.line, loc.column)),
            "{loc:?}\n{out}"
        );
    }

    #[test]
    fn span_including_the_line_break_stays_on_its_line() {
        let mut sources = SourceMap::new();
        let f = sources.add("a.yaml".into(), "a: 1\r\nb: 2\r\n".into());
        let d = Diagnostic::new(&crate::model::codes::SP003, "unknown field `a`")
            .primary(Span::new(f, 0, 6), "");
        let out = plain(&d, &sources);
        assert!(out.contains("1 | a: 1\n  | ^^^^"), "{out}");
        assert!(!out.contains("2 |"), "{out}");
    }

    #[test]
    fn multi_line_span() {
        let mut sources = SourceMap::new();
        let f = sources.add(
            "m.yaml".into(),
            "ads:\n  kettle:\n    creatives: []\n    ad_texts: [x]\n".into(),
        );
        let start = 7;
        let end = sources.get(f).unwrap().text.len() - 1;
        let d = Diagnostic::new(
            &crate::rules::sp403_ad_list_sizes::RULE,
            "ad `kettle` has no creatives",
        )
        .primary(Span::new(f, start, end), "this ad");
        let out = plain(&d, &sources);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn warning_and_full_render_with_summary() {
        let (sources, campaign, posts) = workspace();
        let diags = vec![
            Diagnostic::new(
                &crate::rules::sp203_schedule_past_authorization::RULE,
                "ad group `us_broad` runs past an authorization",
            )
            .primary(
                find(&sources, campaign, "schedule"),
                "the flight ends 2026-12-31",
            ),
            warning(
                Diagnostic::new(
                    &crate::rules::sp204_authorization_ends_soon::RULE,
                    "the authorization of post `jane_unboxing` ends in 3 days",
                )
                .primary(
                    find(&sources, posts, "authorized_on"),
                    "authorized on 2026-11-20",
                ),
            ),
        ];
        assert_eq!(diags[1].severity, Severity::Warning);
        let out = render(&RenderInput::new(&diags, &sources, 2), false);
        assert!(out.contains("warning[SP204]: the authorization"), "{out}");
        assert!(
            out.ends_with("\nerror: 1 error and 1 warning found in 2 files\n"),
            "{out}"
        );
        insta::assert_snapshot!(out);
    }

    #[test]
    fn clean_run() {
        let sources = SourceMap::new();
        let out = render(&RenderInput::new(&[], &sources, 6), true);
        assert_eq!(out, "checked 6 files: no problems found\n");
    }

    #[test]
    fn summaries() {
        assert_eq!(
            summary(3, 1, 2),
            "error: 3 errors and 1 warning found in 2 files"
        );
        assert_eq!(summary(1, 0, 1), "error: 1 error found in 1 file");
        assert_eq!(summary(0, 2, 1), "warning: 2 warnings found in 1 file");
        assert_eq!(summary(0, 0, 6), "checked 6 files: no problems found");
        assert_eq!(render_summary(3, 1, 2, false), summary(3, 1, 2));
    }

    #[test]
    fn color_adds_ansi_and_plain_has_none() {
        let (sources, campaign, _) = workspace();
        let d = Diagnostic::new(
            &crate::rules::sp203_schedule_past_authorization::RULE,
            "runs past",
        )
        .primary(find(&sources, campaign, "schedule"), "here");
        assert!(render_diagnostic(&d, &sources, true).contains("\u{1b}["));
        assert!(!render_diagnostic(&d, &sources, false).contains('\u{1b}'));
        assert!(render_summary(1, 0, 1, true).contains("\u{1b}["));
    }

    #[test]
    fn label_in_unknown_file_is_skipped() {
        let d = Diagnostic::new(&crate::workspace::codes::SP008, "undefined")
            .primary(Span::new(FileId(7), 0, 1), "x");
        assert_eq!(plain(&d, &SourceMap::new()), "error[SP008]: undefined");
    }
}
