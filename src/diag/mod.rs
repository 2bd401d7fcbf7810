//! Diagnostics as data: a code, a severity, a message, labels with byte spans,
//! notes and help. Line and column are computed only when rendering
//! (see [`SourceMap::location`]).

mod fix;
pub(crate) mod rule;
mod source;

pub use fix::{Applicability, Edit, Fix};
pub use rule::RuleMeta;
pub use source::{FileId, FileIds, Location, SourceFile, SourceMap, Span};

use serde::Serialize;

/// How serious a diagnostic is. `Off` only appears in configuration; a
/// diagnostic whose rule is switched off is never emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `check` (exit 1).
    Error,
    /// Reported, but `check` passes unless `--deny-warnings`.
    Warning,
}

impl Severity {
    /// The lower-case word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One place in a source file that a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// The file and byte range.
    pub span: Span,
    /// Text written next to the underlined source.
    pub message: Option<String>,
    /// The primary label is where the user must edit; secondary labels show causes.
    pub primary: bool,
}

impl Label {
    /// A primary label: where the user must edit.
    pub fn primary(span: Span, message: impl Into<Option<String>>) -> Self {
        Label {
            span,
            message: message.into(),
            primary: true,
        }
    }
    /// A secondary label: a related place, possibly in another file.
    pub fn secondary(span: Span, message: impl Into<Option<String>>) -> Self {
        Label {
            span,
            message: message.into(),
            primary: false,
        }
    }
}

fn serialize_rule<S: serde::Serializer>(rule: &&'static RuleMeta, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.code)
}

/// A problem found in the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule that reports it (its code, e.g. `SP203`, is [`Diagnostic::code`]).
    #[serde(rename = "code", serialize_with = "serialize_rule")]
    pub rule: &'static RuleMeta,
    /// Error or warning, after configuration overrides were applied.
    pub severity: Severity,
    /// One line, lower case, identifiers in backticks.
    pub message: String,
    /// The first primary label is the location of the diagnostic.
    pub labels: Vec<Label>,
    /// Extra context, rendered as `= note:`.
    pub notes: Vec<String>,
    /// A suggestion, rendered as `= help:`.
    pub help: Option<String>,
    /// Mechanical fixes, as edits (`check --fix`, SARIF, code actions).
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// A new diagnostic of `rule`, with the rule's default severity.
    pub fn new(rule: &'static RuleMeta, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.default_severity,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            fixes: Vec::new(),
        }
    }

    /// Adds the primary label.
    pub fn primary(mut self, span: Span, message: impl Into<String>) -> Self {
        let m: String = message.into();
        self.labels
            .push(Label::primary(span, (!m.is_empty()).then_some(m)));
        self
    }

    /// Adds a secondary label.
    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        let m: String = message.into();
        self.labels
            .push(Label::secondary(span, (!m.is_empty()).then_some(m)));
        self
    }

    /// Adds a note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a fix.
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    /// Sets the help line when `help` is `Some`.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// The span of the first primary label, if the diagnostic is located.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or_else(|| self.labels.first())
            .map(|l| l.span)
    }

    /// The rule's code, e.g. `SP203`.
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// Whether `rule` reported this diagnostic.
    pub fn is(&self, rule: &RuleMeta) -> bool {
        self.rule == rule
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A diagnostic silenced by a `# sparkplan-allow: CODE reason` comment: not
/// counted and not shown, except in `--format json` (with its reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    /// The diagnostic as it would have been reported.
    pub diagnostic: Diagnostic,
    /// The reason written in the comment.
    pub reason: String,
}

/// Sorts diagnostics by (file path, start, code, message) so output is stable
/// whatever the parallelism. Sorting by byte offset within one file is the
/// same as sorting by line then column.
pub fn sort(diags: &mut [Diagnostic], sources: &SourceMap) {
    diags.sort_by(|a, b| sort_key(a, sources).cmp(&sort_key(b, sources)));
}

fn sort_key<'a>(
    d: &'a Diagnostic,
    sources: &'a SourceMap,
) -> (&'a str, u32, u32, &'a str, &'a str) {
    match d.primary_span() {
        Some(s) => (
            sources.path(s.file),
            s.start,
            s.end,
            d.code(),
            d.message.as_str(),
        ),
        None => ("", 0, 0, d.code(), d.message.as_str()),
    }
}

/// "Did you mean" suggestion: the closest candidate by Jaro-Winkler similarity,
/// when it is close enough to be useful.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(name, candidates).map(|(c, _)| c)
}

/// [`did_you_mean`], and whether that candidate is the only one close
/// enough (a fix replaces a name only when it is).
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<(&'a str, bool)>
where
    I: IntoIterator<Item = &'a str>,
{
    // Lower-case `name` once, and a candidate only when it has upper-case
    // letters (names rarely do): no allocation per candidate, which matters
    // when there are thousands of them.
    let name = name.to_ascii_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    let mut close = 0usize;
    for c in candidates {
        let lower: std::borrow::Cow<'_, str> = if c.bytes().any(|b| b.is_ascii_uppercase()) {
            c.to_ascii_lowercase().into()
        } else {
            c.into()
        };
        let score = strsim::jaro_winkler(&name, &lower);
        if score >= 0.8 && best.is_none_or(|(_, b)| b != c) {
            close += 1;
        }
        if score >= 0.8 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| (c, close == 1))
}

/// Formats a list as "`a`, `b` or `c`".
pub fn ticked_list<S: AsRef<str>>(items: &[S], conj: &str) -> String {
    let ticked: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match ticked.len() {
        0 => String::new(),
        1 => ticked[0].clone(),
        n => format!("{} {conj} {}", ticked[..n - 1].join(", "), ticked[n - 1]),
    }
}
