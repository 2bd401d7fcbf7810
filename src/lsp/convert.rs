//! sparkplan diagnostics and fixes as LSP diagnostics and edits.

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    TextEdit, Uri,
};

use super::text::{Encoding, Lines, path_to_uri};
use crate::check::Report;
use crate::diag::{Diagnostic, FileId, Severity, SourceMap, Span};

/// Line tables of the files of a workspace, built when first needed.
pub struct LineCache<'s> {
    sources: &'s SourceMap,
    enc: Encoding,
    lines: HashMap<FileId, Lines<'s>>,
}

impl<'s> LineCache<'s> {
    /// An empty cache over `sources`.
    pub fn new(sources: &'s SourceMap, enc: Encoding) -> Self {
        LineCache {
            sources,
            enc,
            lines: HashMap::new(),
        }
    }

    /// The lines of `file`.
    pub fn of(&mut self, file: FileId) -> Option<&Lines<'s>> {
        let f = self.sources.get(file)?;
        let enc = self.enc;
        Some(
            self.lines
                .entry(file)
                .or_insert_with(|| Lines::new(&f.text, enc)),
        )
    }

    /// The range of `span`.
    pub fn range(&mut self, span: Span) -> Option<lsp_types::Range> {
        Some(
            self.of(span.file)?
                .range(span.start as usize, span.end as usize),
        )
    }

    /// The location of `span`.
    pub fn location(&mut self, span: Span) -> Option<Location> {
        let uri = path_to_uri(&PathBuf::from(self.sources.path(span.file)))?;
        Some(Location::new(uri, self.range(span)?))
    }

    /// A text edit replacing `span`.
    pub fn edit(&mut self, span: Span, new_text: String) -> Option<TextEdit> {
        Some(TextEdit::new(self.range(span)?, new_text))
    }

    /// The URI of `file`.
    pub fn uri(&self, file: FileId) -> Option<Uri> {
        path_to_uri(&PathBuf::from(self.sources.path(file)))
    }
}

/// Where a rule's documentation is: `docs/rules/SPnnn.md` in the repository.
pub fn rule_doc(code: &str) -> Option<Uri> {
    format!(
        "{}/blob/main/docs/rules/{code}.md",
        env!("CARGO_PKG_REPOSITORY")
    )
    .parse()
    .ok()
}

/// One diagnostic, located in the file of its primary label.
pub fn diagnostic(d: &Diagnostic, lines: &mut LineCache<'_>) -> Option<lsp_types::Diagnostic> {
    let span = d.primary_span()?;
    let range = lines.range(span)?;
    let mut message = d.message.clone();
    if let Some(m) = d
        .labels
        .iter()
        .find(|l| l.primary)
        .and_then(|l| l.message.as_ref())
    {
        message.push_str(&format!(": {m}"));
    }
    for n in &d.notes {
        message.push_str(&format!("\nnote: {n}"));
    }
    if let Some(h) = &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: lines.location(l.span)?,
                message: l.message.clone().unwrap_or_else(|| "here".to_owned()),
            })
        })
        .collect();
    Some(lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code().to_owned())),
        code_description: rule_doc(d.code()).map(|href| CodeDescription { href }),
        source: Some("sparkplan".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    })
}

/// Every manifest file of the last check with its diagnostics (an empty
/// list for a file without any), in file order.
pub fn diagnostics_by_file(
    report: &Report,
    enc: Encoding,
) -> Vec<(PathBuf, Vec<lsp_types::Diagnostic>)> {
    let sources = &report.workspace.sources;
    let mut lines = LineCache::new(sources, enc);
    let mut by_file: HashMap<FileId, Vec<lsp_types::Diagnostic>> = HashMap::new();
    for d in &report.diagnostics {
        let Some(span) = d.primary_span() else {
            continue;
        };
        if let Some(l) = diagnostic(d, &mut lines) {
            by_file.entry(span.file).or_default().push(l);
        }
    }
    let mut out = Vec::new();
    for (id, f) in sources.files() {
        match by_file.remove(&id) {
            Some(d) => out.push((PathBuf::from(&f.path), d)),
            None if !f.text.is_empty() => out.push((PathBuf::from(&f.path), Vec::new())),
            None => {}
        }
    }
    out
}
