//! The indentation check the parser does not make: continuation lines of a
//! node inside a block collection (SP001).

use crate::diag::{Diagnostic, FileId, Span};

use super::read::Frame;
use super::{Kind, Style, next_char_end};

/// Where a block collection starts, if `frame` is one. A mapping: its start
/// event or its first key, whichever is further left (an anchor or tag before
/// it can move the event). A sequence: its `-` indicator (the parser puts the
/// start of a sequence at its first item); when that is not on the line of
/// the start event, `None`, and the check is skipped rather than guessed.
pub(super) fn block_start(text: &str, frame: &Frame) -> Option<usize> {
    match frame {
        Frame::Seq {
            start, block: true, ..
        } => dash_on_line(text, *start),
        Frame::Map {
            start,
            block: true,
            entries,
            key,
            ..
        } => {
            let first = entries
                .first()
                .map(|e| &e.key)
                .or(key.as_ref())
                .map(|k| k.span.start as usize);
            Some(match first {
                Some(f) if column(text, f) < column(text, *start) => f,
                _ => *start,
            })
        }
        _ => None,
    }
}

/// The last `-` indicator (a `-` followed by a space, a tab or the end of
/// the line) at or before `off`, on the same line.
pub(super) fn dash_on_line(text: &str, off: usize) -> Option<usize> {
    let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    let bytes = text.as_bytes();
    (line_start..=off.min(text.len().saturating_sub(1)))
        .rev()
        .find(|&i| {
            bytes.get(i) == Some(&b'-')
                && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
        })
}

/// The column (in characters) of byte `off`.
pub(super) fn column(text: &str, off: usize) -> usize {
    let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..off].chars().count()
}

/// A check the parser does not make (yaml-test-suite 9C9N, DK95/01, QB6E,
/// and Y79Y/000 below the top level; tests/data/yaml-test-suite/KNOWN.md):
/// a node inside a block collection that starts at column `c` must indent
/// every continuation line by at least `c + 1` spaces (YAML 1.2.2, 6.1, 7.3
/// and 8.1: `s-flow-line-prefix(n)`, `s-indent(n)` with `n = c + 1`); tabs do
/// not count as indentation. For a flow node (a plain or quoted scalar, a
/// flow collection) blank lines, and comment lines of flow collections, need
/// no indentation; in a block scalar (`|`, `>`) only lines of spaces do
/// (a tab there is content, or an error). The offset of the first offending
/// character, if any.
pub(super) fn under_indented(
    text: &str,
    parent: usize,
    range: std::ops::Range<usize>,
    kind: &Kind,
) -> Option<usize> {
    let need = column(text, parent) + 1;
    let collection = !matches!(kind, Kind::Scalar(_));
    let block_scalar = matches!(kind, Kind::Scalar(s) if s.style == Style::Block);
    // A block scalar's span starts on its first content line, after the
    // indentation; the parser stops there at a tab that follows too little
    // indentation (an empty line with a tab in it), so that line is checked
    // too.
    if block_scalar && text.as_bytes().get(range.start) == Some(&b'\t') {
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let spaces = text[line_start..range.start]
            .bytes()
            .take_while(|&b| b == b' ')
            .count();
        if spaces < need {
            return Some(line_start + spaces);
        }
    }
    let body = text.get(range.clone())?;
    if !body.contains('\n') {
        return None;
    }
    let mut off = range.start;
    for (i, line) in body.split('\n').enumerate() {
        let at = off;
        off += line.len() + 1;
        if i == 0 {
            continue;
        }
        let blank = if block_scalar {
            line.trim_start_matches([' ', '\r']).is_empty()
        } else {
            let content = line.trim_start_matches([' ', '\t', '\r']);
            content.is_empty() || (collection && content.starts_with('#'))
        };
        if blank {
            continue;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if spaces < need {
            return Some(at + spaces);
        }
    }
    None
}

pub(super) fn under_indented_diag(
    file: FileId,
    text: &str,
    off: usize,
    parent: usize,
) -> Diagnostic {
    let need = column(text, parent) + 1;
    let msg = format!(
        "YAML syntax error: this continuation line must be indented by at least {need} space{}",
        if need == 1 { "" } else { "s" }
    );
    Diagnostic::new(&crate::syntax::codes::SP001, msg)
        .primary(
            Span::new(file, off, next_char_end(text, off)),
            "not indented enough",
        )
        .note("a value continued on the next lines (quoted, plain or `|`/`>`, or a `[...]`/`{...}` list) must indent those lines further than the mapping or list that holds it; tabs do not count as indentation")
        .help("indent the continuation lines, or keep the value on one line")
}
