//! What one file may cost to read (SP013): the bounds and the diagnostics
//! for input that exceeds them.

use crate::diag::{Diagnostic, FileId, Span};

use super::next_char_end;

/// Bounds on what one file may cost to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most nodes in one file after alias expansion.
    pub max_nodes: usize,
    /// Anchors and aliases may make a file at most this many times its own
    /// size: the file, plus a copy of every anchored node (kept for its
    /// aliases), plus every alias written out (see [`parse`]).
    pub max_expansion: u64,
    /// ... and never more than this many bytes, whatever the file's size.
    pub max_expanded_bytes: u64,
}

impl Limits {
    /// The most bytes a file of `len` bytes may expand to through anchors
    /// and aliases: `max_expansion` times its size, at most
    /// `max_expanded_bytes`, and never less than the file itself (a file
    /// without anchors is never refused).
    pub fn expansion_bound(&self, len: u64) -> u64 {
        len.saturating_mul(self.max_expansion)
            .min(self.max_expanded_bytes)
            .max(len)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 16 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_expansion: 10,
            max_expanded_bytes: 64 * 1024 * 1024,
        }
    }
}

pub(super) fn too_many_nodes(file: FileId, s: usize, e: usize, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        &crate::syntax::codes::SP013,
        format!("more than {} nodes after alias expansion", limits.max_nodes),
    )
    .primary(Span::new(file, s, e), "expansion limit reached here")
    .note("aliases that repeat large anchors can make a small file expand enormously (\"billion laughs\")")
    .help("raise `limits.max_nodes` in `sparkplan.toml` if this file is genuine")
}

pub(super) fn too_many_bytes(
    file: FileId,
    s: usize,
    e: usize,
    total: u64,
    bound: u64,
    limits: &Limits,
) -> Diagnostic {
    Diagnostic::new(
        &crate::syntax::codes::SP013,
        format!("anchors and aliases expand this file to more than {bound} bytes"),
    )
    .primary(Span::new(file, s, e), format!("{total} bytes with the anchors and aliases up to here"))
    .note(format!(
        "every anchored value is kept once more and every alias is a copy of it; together with the file they may come to {} times its size, at most {} bytes: aliases that repeat large anchors can make a small file need gigabytes",
        limits.max_expansion, limits.max_expanded_bytes
    ))
    .help("raise `limits.max_expansion` or `limits.max_expanded_bytes` in `sparkplan.toml` if this file is genuine")
}

pub(super) fn too_deep(file: FileId, s: usize, text: &str, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        &crate::syntax::codes::SP013,
        format!("nesting deeper than {} levels", limits.max_depth),
    )
    .primary(Span::new(file, s, next_char_end(text, s)), "too deep")
    .help("raise `limits.max_depth` in `sparkplan.toml` if this file is genuine")
}
