//! Fixes as data: the edits that resolve a diagnostic, which `check --fix`
//! applies, SARIF and JSON carry, the human format shows and the language
//! server offers as code actions.

use serde::Serialize;

use super::Span;

/// Whether a fix may be applied without a person reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The edit keeps what the author meant: `check --fix` applies it.
    Safe,
    /// A guess (e.g. the closest of several names): applied only with
    /// `--unsafe-fixes`, offered in editors.
    Unsafe,
}

/// One replacement of a byte range of one file. An insertion is an empty
/// range.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Edit {
    /// The bytes replaced.
    pub span: Span,
    /// What replaces them.
    pub replacement: String,
}

impl Edit {
    /// Replaces the bytes of `span` with `replacement`.
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }

    /// Inserts `text` at the start of `span`.
    pub fn insert_before(span: Span, text: impl Into<String>) -> Self {
        Edit::replace(
            Span {
                end: span.start,
                ..span
            },
            text,
        )
    }
}

/// A mechanical fix of a diagnostic: edits that apply together.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// What the fix does, e.g. "quote the video code".
    pub message: String,
    /// The edits, in no particular order; they never overlap.
    pub edits: Vec<Edit>,
    /// Whether `--fix` applies it without `--unsafe-fixes`.
    pub applicability: Applicability,
}

impl Fix {
    /// A fix that keeps what the author meant.
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            message: message.into(),
            edits,
            applicability: Applicability::Safe,
        }
    }

    /// A fix that is a guess.
    pub fn guess(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            message: message.into(),
            edits,
            applicability: Applicability::Unsafe,
        }
    }
}
