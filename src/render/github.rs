//! The `github` format: GitHub Actions workflow commands, which the runner
//! turns into annotations on the pull request.
//!
//! One line per diagnostic:
//!
//! ```text
//! ::error file=campaigns/holiday.yaml,line=12,col=9,endLine=12,endColumn=17,title=SP203::ad group …
//! ```
//!
//! - `::error` or `::warning` from the severity; `title` is the rule code.
//! - `file`, `line`, `endLine` from the primary label; `col` and `endColumn`
//!   only when the label starts and ends on one line (GitHub ignores columns
//!   otherwise). Lines and columns are 1-based, columns count characters and
//!   `endColumn` is exclusive, as in SARIF (so a zero-width label has
//!   `col == endColumn`). A diagnostic without a label has no location
//!   properties.
//! - The message (the command's data) is the diagnostic's message, then one
//!   line per label that says something the annotation alone does not (any
//!   secondary label, and the primary label's text): `path:line:col: text`;
//!   then `note: …` lines and a `help: …` line. Line breaks are escaped as
//!   `%0A`, so each command stays on one output line.
//! - Escaping follows the runner: in the data `%`, `\r`, `\n` become `%25`,
//!   `%0D`, `%0A`; in property values `:` and `,` also become `%3A`, `%2C`.

use std::fmt::Write as _;

use super::{RenderInput, region};
use crate::diag::{Diagnostic, Severity, SourceMap};

/// Renders one workflow command per diagnostic, each ending with a newline.
/// An empty input gives an empty string.
pub fn render(input: &RenderInput<'_>) -> String {
    let mut out = String::new();
    for d in input.diagnostics {
        out.push_str(&command(d, input.sources));
        out.push('\n');
    }
    out
}

/// The workflow command of one diagnostic, without a trailing newline.
pub fn command(d: &Diagnostic, sources: &SourceMap) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props: Vec<(&str, String)> = Vec::new();
    if let Some(span) = d.primary_span() {
        let (start, end) = region(sources, span);
        props.push((
            "file",
            super::shown_name(sources.path(span.file)).into_owned(),
        ));
        props.push(("line", start.line.to_string()));
        if start.line == end.line {
            props.push(("col", start.column.to_string()));
        }
        props.push(("endLine", end.line.to_string()));
        if start.line == end.line {
            props.push(("endColumn", end.column.max(start.column).to_string()));
        }
    }
    props.push(("title", d.code().to_owned()));
    let props: Vec<String> = props
        .into_iter()
        .map(|(k, v)| format!("{k}={}", escape_property(&v)))
        .collect();
    format!(
        "::{kind} {}::{}",
        props.join(","),
        escape_data(&shown_lines(&message(d, sources)))
    )
}

/// `text` with control characters escaped ([`super::shown_name`]) except
/// its line breaks, which the annotation keeps (`%0A`, `%0D`): a name or key
/// with an ESC in it cannot recolour the CI log.
fn shown_lines(text: &str) -> std::borrow::Cow<'_, str> {
    super::shown_except(text, &['\n', '\r'])
}

/// The annotation text, unescaped (see the module documentation).
fn message(d: &Diagnostic, sources: &SourceMap) -> String {
    let mut text = d.message.clone();
    let first_primary = d.labels.iter().position(|l| l.primary).unwrap_or(0);
    for (i, label) in d.labels.iter().enumerate() {
        if i == first_primary && label.message.is_none() {
            continue;
        }
        let loc = sources.location(label.span);
        let _ = write!(
            text,
            "\n{}:{}:{}",
            super::shown_name(sources.path(label.span.file)),
            loc.line,
            loc.column
        );
        if let Some(m) = &label.message {
            let _ = write!(text, ": {m}");
        }
    }
    for note in &d.notes {
        let _ = write!(text, "\nnote: {note}");
    }
    if let Some(help) = &d.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    text
}

/// Escapes the data (message) of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% a:b, c\r\nd"), "100%25 a:b, c%0D%0Ad");
        assert_eq!(
            escape_property("100% a:b, c\r\nd"),
            "100%25 a%3Ab%2C c%0D%0Ad"
        );
        // `%` first: an already escaped-looking text is not unescaped by the runner.
        assert_eq!(escape_data("%0A"), "%250A");
        // Control characters other than line breaks are shown, not sent.
        assert_eq!(
            shown_lines("key `\u{1b}[31mred`\nnote: \u{9b}x"),
            "key `\\u{1b}[31mred`\nnote: \\u{9b}x"
        );
    }

    #[test]
    fn commands() {
        let mut sources = SourceMap::new();
        let a = sources.add(
            "dir,with:odd%name/a.yaml".into(),
            "sparkplan: 1\r\nposts:\r\n  p:\r\n    authorization_days: 45\r\n".into(),
        );
        let b = sources.add("b.yaml".into(), "x: 1\ny: 2\n".into());
        assert_eq!(sources.get(a).unwrap().text.find("45"), Some(52));
        let diags = vec![
            Diagnostic::new(
                &crate::rules::sp201_authorization_days::RULE,
                "`authorization_days` is 45%: not one of 7, 30, 60, 365\r\nsecond line",
            )
            .primary(Span::new(a, 52, 54), "")
            .help("use 30, the nearest"),
            Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::new(
                    &crate::rules::sp204_authorization_ends_soon::RULE,
                    "authorization ends soon",
                )
                .primary(Span::new(b, 0, 9), "this post")
                .secondary(Span::new(a, 14, 19), "used here")
                .note("window is 7 days")
            },
            Diagnostic::new(&crate::model::codes::SP005, "zero width")
                .primary(Span::new(b, 4, 4), ""),
            Diagnostic::new(&crate::syntax::codes::SP006, "no manifest found"),
        ];
        let out = render(&RenderInput::new(&diags, &sources, 2));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert_eq!(
            lines[0],
            "::error file=dir%2Cwith%3Aodd%25name/a.yaml,line=4,col=25,endLine=4,endColumn=27,title=SP201::`authorization_days` is 45%25: not one of 7, 30, 60, 365%0D%0Asecond line%0Ahelp: use 30, the nearest"
        );
        // Multi-line span: no columns.
        assert_eq!(
            lines[1],
            "::warning file=b.yaml,line=1,endLine=2,title=SP204::authorization ends soon%0Ab.yaml:1:1: this post%0Adir,with:odd%25name/a.yaml:2:1: used here%0Anote: window is 7 days"
        );
        assert_eq!(
            lines[2],
            "::error file=b.yaml,line=1,col=5,endLine=1,endColumn=5,title=SP005::zero width"
        );
        assert_eq!(lines[3], "::error title=SP006::no manifest found");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn empty() {
        assert_eq!(render(&RenderInput::new(&[], &SourceMap::new(), 0)), "");
    }
}
