//! The YAML layer: the only module that touches the YAML crate (granit-parser).
//!
//! It turns a file's text into a spanned [`Node`] tree, with exact byte spans
//! for every key and value, the comments of the file, and diagnostics for
//! syntax errors (SP001), duplicate keys (SP002), extra documents (SP006) and
//! input refused for safety (SP013). Aliases are expanded with a bound on the
//! total number of nodes and on the bytes held (the file, a copy of every
//! anchored node, every alias written out), both checked before anything is
//! copied; nesting depth is bounded, so no input can make it hang, exhaust
//! memory or overflow the stack.

pub mod codes;
mod explain;
mod node;

pub use node::{Comment, Entry, Kind, Node, Resolved, Scalar, Style};

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

use crate::diag::{Diagnostic, FileId, Span};

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

/// The result of reading one file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The root node of the first document, if it could be read.
    pub root: Option<Node>,
    /// Every comment, in source order.
    pub comments: Vec<Comment>,
    /// Problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
}

enum Frame {
    Seq {
        start: usize,
        /// `aliased` when the collection started (see [`Anchored::bytes`]).
        aliased: u64,
        anchor: usize,
        block: bool,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        aliased: u64,
        anchor: usize,
        block: bool,
        entries: Vec<Entry>,
        key: Option<Node>,
        /// Index of the scalar keys of a large mapping, for SP002. Small
        /// mappings (most of them) are searched linearly instead: no
        /// allocation and no hashing per key (see [`find_duplicate`]).
        index: Option<HashMap<String, Span>>,
    },
}

struct Anchored {
    node: Node,
    count: usize,
    /// The node's size in bytes with every alias inside it written out: its
    /// span, plus what the aliases inside it added. Scalar text is never
    /// longer than its source (escapes and folding only shrink it), so this
    /// bounds the text an alias to it copies.
    bytes: u64,
}

/// Parses `text` (the whole file, BOM included) as one YAML document.
pub fn parse(file: FileId, text: &str, limits: &Limits) -> Parsed {
    let options = granit_parser::options! {
        flow_nesting_limit: limits.max_depth,
        block_nesting_limit: limits.max_depth,
    };
    let mut out = Parsed::default();
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Anchored> = HashMap::new();
    let mut nodes = 0usize;
    // Bytes held beyond the file's own so far: each alias adds its anchor's
    // expanded size in place of its `*name` (`aliased` counts these alone),
    // and each anchor keeps a copy of its node (see [`Anchored`]).
    let mut aliased = 0u64;
    let mut added = 0u64;
    let bound = limits.expansion_bound(text.len() as u64);
    let mut documents = 0usize;
    let span_of = |s: &granit_parser::Span| -> (usize, usize) {
        let r = s.byte_range().unwrap_or(0..0);
        (r.start.min(text.len()), r.end.min(text.len()))
    };

    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(e) => e,
            Err(err) => {
                let off = err
                    .marker()
                    .byte_offset()
                    .unwrap_or(text.len())
                    .min(text.len());
                let end = next_char_end(text, off);
                let sp = Span::new(file, off, end);
                let msg = err.kind().to_string();
                let d = if msg.contains("recursion limit") {
                    Diagnostic::new(
                        &crate::syntax::codes::SP013,
                        format!("nesting deeper than {} levels", limits.max_depth),
                    )
                    .primary(sp, "too deep")
                    .help("raise `limits.max_depth` in `sparkplan.toml` if this file is genuine")
                } else {
                    let d = Diagnostic::new(
                        &crate::syntax::codes::SP001,
                        format!("YAML syntax error: {msg}"),
                    )
                    .primary(sp, msg.clone());
                    explain::explain(file, text, off, &msg, d)
                };
                out.diagnostics.push(d);
                // A syntax error inside the document: keep nothing partial.
                out.root = None;
                return out;
            }
        };
        let (s, e) = span_of(&span);
        // Whether the completed node's continuation lines are checked
        // ([`under_indented`]): a scalar (plain, quoted or block) or a
        // `[...]`/`{...}` collection. Not an alias (its span is `*name`).
        let mut checked = false;
        // The completed node, its anchor, and what aliases inside it added.
        let completed: Option<(Node, usize, u64)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => None,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    let line_end = text[s..].find('\n').map_or(text.len(), |i| s + i);
                    let end = if line_end > s {
                        line_end
                    } else {
                        next_char_end(text, s)
                    };
                    out.diagnostics.push(
                        Diagnostic::new(
                            &crate::syntax::codes::SP006,
                            "a manifest file holds one YAML document; this file has more",
                        )
                        .primary(Span::new(file, s, end), "a second document starts here")
                        .help("move each document into a file of its own"),
                    );
                    return out;
                }
                None
            }
            Event::Comment(t, _) => {
                out.comments.push(Comment {
                    span: Span::new(file, s, e),
                    text: t.into_owned(),
                });
                None
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(a) => {
                    nodes = nodes.saturating_add(a.count);
                    if nodes > limits.max_nodes {
                        out.diagnostics.push(too_many_nodes(file, s, e, limits));
                        out.root = None;
                        return out;
                    }
                    // Checked before the copy is made: a 100 KB string
                    // aliased 100,000 times is refused, not allocated.
                    let copy = a.bytes.saturating_sub((e - s) as u64);
                    aliased = aliased.saturating_add(copy);
                    added = added.saturating_add(copy);
                    let total = (text.len() as u64).saturating_add(added);
                    if total > bound {
                        out.diagnostics
                            .push(too_many_bytes(file, s, e, total, bound, limits));
                        out.root = None;
                        return out;
                    }
                    let mut n = a.node.clone();
                    n.span = Span::new(file, s, e);
                    Some((n, 0, 0))
                }
                None => {
                    out.diagnostics.push(
                        Diagnostic::new(
                            &crate::syntax::codes::SP001,
                            "YAML syntax error: alias to an unknown anchor",
                        )
                        .primary(Span::new(file, s, e), "unknown anchor"),
                    );
                    return out;
                }
            },
            Event::Scalar(value, style, anchor, tag) => {
                nodes += 1;
                checked = true;
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    _ => Style::Block,
                };
                let tag = tag.and_then(|t| t.core_suffix().map(str::to_owned));
                let node = Node {
                    kind: Kind::Scalar(Scalar {
                        text: value.into_owned(),
                        style,
                        tag,
                    }),
                    span: Span::new(file, s, e),
                };
                Some((node, anchor, 0))
            }
            Event::SequenceStart(style, anchor, _) => {
                nodes += 1;
                if stack.len() >= limits.max_depth {
                    out.diagnostics.push(too_deep(file, s, text, limits));
                    return out;
                }
                stack.push(Frame::Seq {
                    start: s,
                    aliased,
                    anchor,
                    block: style == StructureStyle::Block,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(style, anchor, _) => {
                nodes += 1;
                if stack.len() >= limits.max_depth {
                    out.diagnostics.push(too_deep(file, s, text, limits));
                    return out;
                }
                stack.push(Frame::Map {
                    start: s,
                    aliased,
                    anchor,
                    block: style == StructureStyle::Block,
                    entries: Vec::new(),
                    key: None,
                    index: None,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    start,
                    aliased: before,
                    anchor,
                    block,
                    items,
                }) => {
                    checked = !block;
                    // A block collection's end event sits at the next token,
                    // possibly lines later: end the span at its last item.
                    let end = match items.last() {
                        Some(last) if block => last.span.end as usize,
                        _ => e.max(start),
                    };
                    Some((
                        Node {
                            kind: Kind::Seq(items),
                            span: Span::new(file, start, end),
                        },
                        anchor,
                        aliased - before,
                    ))
                }
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    start,
                    aliased: before,
                    anchor,
                    block,
                    entries,
                    ..
                }) => {
                    checked = !block;
                    let end = match entries.last() {
                        Some(last) if block => last.value.span.end.max(last.key.span.end) as usize,
                        _ => e.max(start),
                    };
                    Some((
                        Node {
                            kind: Kind::Map(entries),
                            span: Span::new(file, start, end),
                        },
                        anchor,
                        aliased - before,
                    ))
                }
                _ => None,
            },
            _ => None,
        };
        if nodes > limits.max_nodes {
            out.diagnostics.push(too_many_nodes(file, s, e, limits));
            out.root = None;
            return out;
        }
        let Some((node, anchor, inner)) = completed else {
            continue;
        };
        if checked
            && let Some(parent) = stack.last().and_then(|f| block_start(text, f))
            && let Some(off) = under_indented(text, parent, node.span.range(), &node.kind)
        {
            out.diagnostics
                .push(under_indented_diag(file, text, off, parent));
            out.root = None;
            return out;
        }
        if anchor != 0 {
            let count = node.count();
            let bytes =
                u64::from(node.span.end.saturating_sub(node.span.start)).saturating_add(inner);
            // The anchor keeps a copy of its node for later aliases: that
            // copy counts too (else anchors nested 128 deep around a 16 MiB
            // string would hold 2 GiB without a single alias).
            added = added.saturating_add(bytes);
            let total = (text.len() as u64).saturating_add(added);
            if total > bound {
                let at = node.span.start as usize;
                let end = next_char_end(text, at);
                out.diagnostics
                    .push(too_many_bytes(file, at, end, total, bound, limits));
                out.root = None;
                return out;
            }
            anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    count,
                    bytes,
                },
            );
        }
        match stack.last_mut() {
            None => {
                if out.root.is_none() {
                    out.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                index,
                ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    let dup = k.as_scalar().and_then(|sc| {
                        find_duplicate(entries, index, &sc.text, k.span)
                            .map(|first| (first, sc.text.clone()))
                    });
                    match dup {
                        Some((first, name)) => out.diagnostics.push(
                            Diagnostic::new(&crate::syntax::codes::SP002, format!("duplicate key `{name}`"))
                                .primary(k.span, "defined again here")
                                .secondary(first, "first defined here")
                                .note("YAML mappings cannot repeat a key; most tools silently keep only one of the values")
                                .help(format!("remove one of the `{name}` keys or merge their values")),
                        ),
                        None => entries.push(Entry { key: k, value: node }),
                    }
                }
            },
        }
    }
    // In source order, so lookups can binary-search (`Cx::comment_after_on_line`).
    out.comments.sort_by_key(|c| c.span.start);
    if let Some(root) = &out.root {
        explain::quoted_continuations(file, text, root, &mut out.diagnostics);
    }
    out
}

/// Where a block collection starts, if `frame` is one. A mapping: its start
/// event or its first key, whichever is further left (an anchor or tag before
/// it can move the event). A sequence: its `-` indicator (the parser puts the
/// start of a sequence at its first item); when that is not on the line of
/// the start event, `None`, and the check is skipped rather than guessed.
fn block_start(text: &str, frame: &Frame) -> Option<usize> {
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
fn dash_on_line(text: &str, off: usize) -> Option<usize> {
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
fn column(text: &str, off: usize) -> usize {
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
fn under_indented(
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

fn under_indented_diag(file: FileId, text: &str, off: usize, parent: usize) -> Diagnostic {
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

/// Mappings with more entries than this get a hash index for SP002.
const LINEAR_KEY_SEARCH: usize = 16;

/// The span of an earlier key equal to `key` in a mapping being built, if
/// any; otherwise records `key` (at `span`) as seen. `entries` holds exactly
/// the first occurrence of every key (duplicates are never pushed), so a
/// linear search over it is exact; past [`LINEAR_KEY_SEARCH`] entries a hash
/// index is built once, keeping the whole pass linear in the number of keys.
fn find_duplicate(
    entries: &[Entry],
    index: &mut Option<HashMap<String, Span>>,
    key: &str,
    span: Span,
) -> Option<Span> {
    if index.is_none() && entries.len() >= LINEAR_KEY_SEARCH {
        *index = Some(
            entries
                .iter()
                .filter_map(|e| Some((e.key.as_scalar()?.text.clone(), e.key.span)))
                .collect(),
        );
    }
    match index {
        Some(ix) => match ix.get(key) {
            Some(&first) => Some(first),
            None => {
                ix.insert(key.to_owned(), span);
                None
            }
        },
        None => entries
            .iter()
            .find(|e| e.key.as_scalar().is_some_and(|s| s.text == key))
            .map(|e| e.key.span),
    }
}

fn next_char_end(text: &str, off: usize) -> usize {
    text[off..]
        .chars()
        .next()
        .map_or(off, |c| off + c.len_utf8())
}

fn too_many_nodes(file: FileId, s: usize, e: usize, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        &crate::syntax::codes::SP013,
        format!("more than {} nodes after alias expansion", limits.max_nodes),
    )
    .primary(Span::new(file, s, e), "expansion limit reached here")
    .note("aliases that repeat large anchors can make a small file expand enormously (\"billion laughs\")")
    .help("raise `limits.max_nodes` in `sparkplan.toml` if this file is genuine")
}

fn too_many_bytes(
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

fn too_deep(file: FileId, s: usize, text: &str, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        &crate::syntax::codes::SP013,
        format!("nesting deeper than {} levels", limits.max_depth),
    )
    .primary(Span::new(file, s, next_char_end(text, s)), "too deep")
    .help("raise `limits.max_depth` in `sparkplan.toml` if this file is genuine")
}

#[cfg(test)]
#[expect(
    clippy::cast_possible_truncation,
    reason = "offsets into the small test texts fit in a u32"
)]
mod tests {
    use super::*;

    fn p(text: &str) -> Parsed {
        parse(FileId(0), text, &Limits::default())
    }

    #[test]
    fn spans_are_exact_bytes() {
        let text = "a: 1\nbb:\n  - \"x y\"\n";
        let r = p(text);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let root = r.root.unwrap();
        let m = root.as_map().unwrap();
        assert_eq!(&text[m[1].key.span.range()], "bb");
        let item = &m[1].value.as_seq().unwrap()[0];
        assert_eq!(&text[item.span.range()], "\"x y\"");
    }

    #[test]
    fn block_collections_end_at_their_last_item() {
        let text = "a:\n  - x\n  - y\n\nb:\n  k: v\n\nc: 1\n";
        let root = p(text).root.unwrap();
        assert_eq!(&text[root.get("a").unwrap().span.range()], "- x\n  - y");
        assert_eq!(&text[root.get("b").unwrap().span.range()], "k: v");
    }

    #[test]
    fn bom_and_crlf_keep_exact_offsets() {
        let text = "\u{feff}a: 1\r\nbb: two\r\n";
        let r = p(text);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let root = r.root.unwrap();
        let v = root.get("bb").unwrap();
        assert_eq!(&text[v.span.range()], "two");
    }

    #[test]
    fn duplicate_keys_are_sp002_with_both_places() {
        let r = p("a: 1\nb: 2\na: 3\n");
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code(), crate::syntax::codes::SP002.code);
        assert_eq!(r.diagnostics[0].labels[0].span.start, 10);
        assert_eq!(r.diagnostics[0].labels[1].span.start, 0);
    }

    #[test]
    fn duplicate_keys_in_large_mappings_use_the_index() {
        // 40 keys (past LINEAR_KEY_SEARCH), then `k3` again and `k39` again:
        // both found, each pointing at its first occurrence.
        let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        let k3 = text.find("k3:").unwrap() as u32;
        let k39 = text.find("k39:").unwrap() as u32;
        let again3 = text.len() as u32;
        text.push_str("k3: x\nk39: y\nk40: z\n");
        let r = p(&text);
        let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code()).collect();
        assert_eq!(codes, ["SP002", "SP002"]);
        assert_eq!(r.diagnostics[0].labels[0].span.start, again3);
        assert_eq!(r.diagnostics[0].labels[1].span.start, k3);
        assert_eq!(r.diagnostics[1].labels[0].span.start, again3 + 6);
        assert_eq!(r.diagnostics[1].labels[1].span.start, k39);
        assert_eq!(r.root.unwrap().as_map().unwrap().len(), 41);
    }

    #[test]
    fn comments_are_visible() {
        let r = p("video_code: #Abc123\n");
        assert_eq!(r.comments.len(), 1);
        assert_eq!(r.comments[0].text, "Abc123");
        assert!(r.root.unwrap().get("video_code").unwrap().is_null());
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let r = p(&text);
        assert_eq!(r.diagnostics[0].code(), crate::syntax::codes::SP013.code);
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let text = "[".repeat(100_000);
        let r = p(&text);
        assert_eq!(r.diagnostics[0].code(), crate::syntax::codes::SP013.code);
        let text = (0..10_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
        let r = p(&text);
        assert_eq!(r.diagnostics[0].code(), crate::syntax::codes::SP013.code);
    }

    #[test]
    fn continuation_lines_must_be_indented_past_their_block_collection() {
        let codes = |t: &str| {
            p(t).diagnostics
                .iter()
                .map(|d| d.code())
                .collect::<Vec<_>>()
        };
        let ok: &[&str] = &[
            "a: \"x\n y\"\n",
            "a:\n  b: \"x\n   y\"\n",
            "a: [x,\n y]\n",
            "a: [x,\n# comment\n y]\n",
            "a: x\n y\n",
            "a: \"x\n\n y\"\n",
            "- \"x\n  y\"\n",
            "l:\n- \"x\n  y\"\n",
            "  l:\n  - \"x\n   y\"\n",
            "- a: \"x\n   y\"\n",
            "- &a \"x\n  y\"\n",
            "a: |\n \t\nb: 1\n",
            "a:\n  b: |\n   \t\n  c: 1\n",
            "a:\n  b: |\n\n    x\n  c: 1\n",
            "a:\n  b: >\n    x\n\n    y\n",
            "\"x\ny\"\n",
            "[x,\ny]\n",
        ];
        for t in ok {
            assert_eq!(codes(t), Vec::<&str>::new(), "{t:?}");
        }
        let bad: &[(&str, usize)] = &[
            ("a: \"x\ny\"\n", 6),
            ("a: \"x\n\ty\"\n", 6),
            ("a: [x,\ny]\n", 7),
            ("a:\n  b: \"x\n  y\"\n", 13),
            ("l:\n- \"x\ny\"\n", 8),
            ("- a: \"x\n  y\"\n", 10),
            ("a:\n  b: |\n  \t\n  c: 1\n", 12),
        ];
        for (t, at) in bad {
            let r = p(t);
            assert_eq!(r.diagnostics.len(), 1, "{t:?}");
            assert_eq!(
                r.diagnostics[0].code(),
                crate::syntax::codes::SP001.code,
                "{t:?}"
            );
            assert_eq!(r.diagnostics[0].labels[0].span.start as usize, *at, "{t:?}");
            assert!(r.root.is_none());
        }
    }

    #[test]
    fn aliases_are_bounded_by_bytes_before_they_are_copied() {
        // 60 aliases of a 1,000-byte string: 60 KB from a 1.3 KB file.
        let text = format!(
            "a: &s \"{}\"\nb: [{}]\n",
            "x".repeat(1000),
            vec!["*s"; 60].join(", ")
        );
        let r = p(&text);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code(), crate::syntax::codes::SP013.code);
        assert!(
            r.diagnostics[0]
                .message
                .starts_with("anchors and aliases expand this file")
        );
        // The 11th alias passes 10 times the file's size: the file (1,253
        // bytes), the anchor's copy (1,002) and 11 x 1,000 > 12,530.
        let eleventh = text.match_indices("*s").nth(10).unwrap().0 as u32;
        assert_eq!(r.diagnostics[0].labels[0].span.start, eleventh);
        let generous = Limits {
            max_expansion: 100,
            ..Limits::default()
        };
        assert!(parse(FileId(0), &text, &generous).diagnostics.is_empty());
        // A file without aliases is never refused, whatever the limits.
        let tight = Limits {
            max_expansion: 1,
            max_expanded_bytes: 64,
            ..Limits::default()
        };
        let plain: String = (0..100).map(|i| format!("k{i}: [v, w]\n")).collect();
        assert!(parse(FileId(0), &plain, &tight).diagnostics.is_empty());
    }

    #[test]
    fn nested_anchors_count_their_copies() {
        // 40 anchors around one 10,000-byte string, no alias: each anchor
        // keeps a copy, 400,000 bytes from a 10,300-byte file.
        let text = format!(
            "a: {}\"{}\"{}\n",
            (0..40).map(|i| format!("&a{i} [")).collect::<String>(),
            "x".repeat(10_000),
            "]".repeat(40)
        );
        let r = p(&text);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code(), crate::syntax::codes::SP013.code);
        // The 10th copy passes 10 times the file's size: the innermost
        // anchor's node, `[` of `&a30`, is reached 9 levels later.
        let tenth = text.find("&a30 [").unwrap() as u32 + 5;
        assert_eq!(r.diagnostics[0].labels[0].span.start, tenth);
    }

    #[test]
    fn second_document_is_sp006() {
        let r = p("a: 1\n---\nb: 2\n");
        assert_eq!(r.diagnostics[0].code(), crate::syntax::codes::SP006.code);
    }
}
