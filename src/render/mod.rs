//! Renderers: every output format reads the same [`crate::diag::Diagnostic`] data.
//!
//! One file per format. Each takes a [`RenderInput`] and returns the whole
//! output as a `String`; the library never prints. Diagnostics are rendered
//! in the order given: sort them first with [`crate::diag::sort`].
//!
//! | format | module | shape |
//! |---|---|---|
//! | `human` | [`human`] | rustc-style snippets, then a summary line |
//! | `json` | [`json`] | one versioned document (`"format_version": "1"`) |
//! | `github` | [`github`] | GitHub Actions workflow commands, one per line |
//! | `sarif` | [`sarif`] | SARIF 2.1.0, one run |
//! | `gitlab` | [`gitlab`] | GitLab Code Quality report (JSON array) |
//!
//! Line and column numbers are 1-based everywhere; columns count Unicode
//! characters (code points), not bytes, and a UTF-8 BOM is not a column.

pub mod authz;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod plan;
pub mod sarif;

use std::borrow::Cow;

use crate::diag::{Diagnostic, Location, Severity, SourceMap, Span, Suppressed};
pub use crate::hash::fnv1a64;

/// A file name as shown on a terminal or in a CI log: control characters
/// (ESC, CR, LF, DEL, the C1 controls) and the bidirectional text controls
/// are written as `\u{1b}` escapes, so a file name cannot move the cursor,
/// recolour the output or reorder what is shown. Everything else, `\`
/// included, stays as it is.
pub fn shown_name(name: &str) -> Cow<'_, str> {
    shown_except(name, &[])
}

/// [`shown_name`] for a text whose line breaks (`keep`) are meaningful to
/// the caller and escaped by it.
pub fn shown_except<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    let unsafe_char = |c: char| {
        !keep.contains(&c)
            && (c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    };
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// What every renderer reads.
#[derive(Debug, Clone, Copy)]
pub struct RenderInput<'a> {
    /// The diagnostics, already sorted.
    pub diagnostics: &'a [Diagnostic],
    /// The files the spans point into.
    pub sources: &'a SourceMap,
    /// How many files were checked (for summaries).
    pub files_checked: usize,
    /// Diagnostics silenced by `sparkplan-allow` comments (only `json`
    /// shows them).
    pub suppressed: &'a [Suppressed],
}

impl<'a> RenderInput<'a> {
    /// Bundles the inputs of a renderer.
    pub fn new(
        diagnostics: &'a [Diagnostic],
        sources: &'a SourceMap,
        files_checked: usize,
    ) -> Self {
        RenderInput {
            diagnostics,
            sources,
            files_checked,
            suppressed: &[],
        }
    }

    /// The same input, with the suppressed diagnostics.
    pub fn with_suppressed(mut self, suppressed: &'a [Suppressed]) -> Self {
        self.suppressed = suppressed;
        self
    }

    /// Number of diagnostics with severity error.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of diagnostics with severity warning.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// An output format of `sparkplan check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// rustc-style text.
    Human,
    /// The versioned JSON document.
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// SARIF 2.1.0.
    Sarif,
    /// GitLab Code Quality.
    Gitlab,
}

impl Format {
    /// Every format, in the order shown in help texts.
    pub const ALL: [Format; 5] = [
        Format::Human,
        Format::Json,
        Format::Github,
        Format::Sarif,
        Format::Gitlab,
    ];

    /// The name used on the command line and in `SPARKPLAN_FORMAT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::Gitlab => "gitlab",
        }
    }

    /// The format named `name` (as printed by [`Format::as_str`]).
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// Renders `input` in `format`. `color` only affects [`Format::Human`].
pub fn render(format: Format, input: &RenderInput<'_>, color: bool) -> String {
    match format {
        Format::Human => human::render(input, color),
        Format::Json => json::render(input),
        Format::Github => github::render(input),
        Format::Sarif => sarif::render(input),
        Format::Gitlab => gitlab::render(input),
    }
}

/// The start and end of `span` for line-oriented formats (GitHub, SARIF):
/// the end is exclusive, and a span that ends just after a line break ends at
/// the end of the previous line instead of column 1 of the next one.
pub fn region(sources: &SourceMap, span: Span) -> (Location, Location) {
    let start = sources.location(span);
    let mut end = sources.end_location(span);
    if end.line > start.line
        && end.column == 1
        && let Some(file) = sources.get(span.file)
    {
        let line = end.line - 1;
        let text = file.line_text(line);
        let bom = usize::from(line == 1 && text.starts_with('\u{feff}'));
        end = Location {
            line,
            column: text.chars().count() - bom + 1,
        };
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;

    #[test]
    fn names_are_shown_with_controls_escaped_and_backslashes_kept() {
        assert_eq!(shown_name("a/b\\c.yaml"), "a/b\\c.yaml");
        assert!(matches!(shown_name("plain.yaml"), Cow::Borrowed(_)));
        assert_eq!(
            shown_name("x\u{1b}[2Jy\nz\u{7f}\u{9b}\u{202e}.yaml"),
            "x\\u{1b}[2Jy\\u{a}z\\u{7f}\\u{9b}\\u{202e}.yaml"
        );
        assert_eq!(shown_name("é ü 😀"), "é ü 😀");
    }

    #[test]
    fn region_ending_after_newline_stays_on_its_line() {
        let mut sources = SourceMap::new();
        let f = sources.add("a.yaml".into(), "ab: 1\r\ncd: 2\n".into());
        // "ab: 1\r\n" is 7 bytes: the span covers the line and its break.
        let (start, end) = region(&sources, Span::new(f, 0, 7));
        assert_eq!(start, Location { line: 1, column: 1 });
        assert_eq!(end, Location { line: 1, column: 6 });
        let (_, end) = region(&sources, Span::new(f, 7, 9));
        assert_eq!(end, Location { line: 2, column: 3 });
        let (s, e) = region(&sources, Span::new(FileId(9), 0, 0));
        assert_eq!((s.line, e.line), (1, 1));
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.as_str()), Some(f));
        }
        assert_eq!(Format::from_name("xml"), None);
    }
}
