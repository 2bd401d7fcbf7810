//! The reading loop of [`parse`](super::parse): the parser's events in, a
//! spanned [`Node`] tree out, with every bound of [`Limits`] checked before
//! anything is copied.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

use crate::diag::{Diagnostic, FileId, Span};

use super::indent::{block_start, under_indented, under_indented_diag};
use super::limits::{too_deep, too_many_bytes, too_many_nodes};
use super::{Comment, Entry, Kind, Limits, Node, Parsed, Scalar, Style, explain, next_char_end};

pub(super) enum Frame {
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

/// Reading stopped at a problem: [`Reader::out`] holds what was found and is
/// returned as it is.
pub(super) struct Stop;

/// A completed node, its anchor (0 for none) and what aliases inside it
/// added (see [`Anchored::bytes`]).
type Completed = (Node, usize, u64);

/// The state of reading one file, event by event.
pub(super) struct Reader<'t> {
    file: FileId,
    text: &'t str,
    limits: &'t Limits,
    pub(super) out: Parsed,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    nodes: usize,
    // Bytes held beyond the file's own so far: each alias adds its anchor's
    // expanded size in place of its `*name` (`aliased` counts these alone),
    // and each anchor keeps a copy of its node (see [`Anchored`]).
    aliased: u64,
    added: u64,
    bound: u64,
    documents: usize,
}

impl<'t> Reader<'t> {
    pub(super) fn new(file: FileId, text: &'t str, limits: &'t Limits) -> Self {
        Reader {
            file,
            text,
            limits,
            out: Parsed::default(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            aliased: 0,
            added: 0,
            bound: limits.expansion_bound(text.len() as u64),
            documents: 0,
        }
    }

    /// Reads every event of the file into [`Reader::out`].
    pub(super) fn run(&mut self) -> Result<(), Stop> {
        let options = granit_parser::options! {
            flow_nesting_limit: self.limits.max_depth,
            block_nesting_limit: self.limits.max_depth,
        };
        let text = self.text;
        let mut parser = Parser::new_from_str_with_options(text, options);
        while let Some(next) = parser.next_event() {
            let (event, span) = match next {
                Ok(e) => e,
                Err(err) => {
                    let off = err
                        .marker()
                        .byte_offset()
                        .unwrap_or(text.len())
                        .min(text.len());
                    return Err(self.syntax_error(off, err.kind().to_string()));
                }
            };
            let (s, e) = self.span_of(&span);
            // Whether the completed node's continuation lines are checked
            // ([`under_indented`]): a scalar (plain, quoted or block) or a
            // `[...]`/`{...}` collection. Not an alias (its span is `*name`).
            let mut checked = false;
            let completed = self.event(event, s, e, &mut checked)?;
            if self.nodes > self.limits.max_nodes {
                return Err(self.fail(too_many_nodes(self.file, s, e, self.limits)));
            }
            let Some((node, anchor, inner)) = completed else {
                continue;
            };
            if checked
                && let Some(parent) = self.stack.last().and_then(|f| block_start(text, f))
                && let Some(off) = under_indented(text, parent, node.span.range(), &node.kind)
            {
                return Err(self.fail(under_indented_diag(self.file, text, off, parent)));
            }
            if anchor != 0 {
                self.keep_anchor(anchor, &node, inner)?;
            }
            self.attach(node);
        }
        Ok(())
    }

    /// Reports `d` and stops, keeping nothing partial.
    fn fail(&mut self, d: Diagnostic) -> Stop {
        self.out.diagnostics.push(d);
        self.out.root = None;
        Stop
    }

    /// Reports `d` and stops.
    fn stop(&mut self, d: Diagnostic) -> Stop {
        self.out.diagnostics.push(d);
        Stop
    }

    fn span_of(&self, s: &granit_parser::Span) -> (usize, usize) {
        let r = s.byte_range().unwrap_or(0..0);
        (r.start.min(self.text.len()), r.end.min(self.text.len()))
    }

    /// The parser's own error at byte `off`: SP013 when nesting is too deep,
    /// else SP001, explained where the error is a common one.
    fn syntax_error(&mut self, off: usize, msg: String) -> Stop {
        let (file, text, limits) = (self.file, self.text, self.limits);
        let end = next_char_end(text, off);
        let sp = Span::new(file, off, end);
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
        // A syntax error inside the document: keep nothing partial.
        self.fail(d)
    }

    /// One event: the node it completes, if any.
    fn event(
        &mut self,
        event: Event<'_>,
        s: usize,
        e: usize,
        checked: &mut bool,
    ) -> Result<Option<Completed>, Stop> {
        Ok(match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => None,
            Event::DocumentStart(..) => {
                self.document_start(s)?;
                None
            }
            Event::Comment(t, _) => {
                self.out.comments.push(Comment {
                    span: Span::new(self.file, s, e),
                    text: t.into_owned(),
                });
                None
            }
            Event::Alias(id) => Some(self.alias(id, s, e)?),
            Event::Scalar(value, style, anchor, tag) => {
                self.nodes += 1;
                *checked = true;
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
                    span: Span::new(self.file, s, e),
                };
                Some((node, anchor, 0))
            }
            Event::SequenceStart(style, anchor, _) => {
                self.open(s)?;
                self.stack.push(Frame::Seq {
                    start: s,
                    aliased: self.aliased,
                    anchor,
                    block: style == StructureStyle::Block,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(style, anchor, _) => {
                self.open(s)?;
                self.stack.push(Frame::Map {
                    start: s,
                    aliased: self.aliased,
                    anchor,
                    block: style == StructureStyle::Block,
                    entries: Vec::new(),
                    key: None,
                    index: None,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(e, checked)?,
            _ => None,
        })
    }

    /// A document starts at `s`: the first is the manifest, a second is SP006.
    fn document_start(&mut self, s: usize) -> Result<(), Stop> {
        let (file, text) = (self.file, self.text);
        self.documents += 1;
        if self.documents > 1 {
            let line_end = text[s..].find('\n').map_or(text.len(), |i| s + i);
            let end = if line_end > s {
                line_end
            } else {
                next_char_end(text, s)
            };
            return Err(self.stop(
                Diagnostic::new(
                    &crate::syntax::codes::SP006,
                    "a manifest file holds one YAML document; this file has more",
                )
                .primary(Span::new(file, s, end), "a second document starts here")
                .help("move each document into a file of its own"),
            ));
        }
        Ok(())
    }

    /// `*name` at `s..e`: a copy of its anchor's node, once the copy is known
    /// to fit the bounds.
    fn alias(&mut self, id: usize, s: usize, e: usize) -> Result<Completed, Stop> {
        let (file, text, limits) = (self.file, self.text, self.limits);
        match self.anchors.get(&id) {
            Some(a) => {
                self.nodes = self.nodes.saturating_add(a.count);
                if self.nodes > limits.max_nodes {
                    return Err(self.fail(too_many_nodes(file, s, e, limits)));
                }
                // Checked before the copy is made: a 100 KB string
                // aliased 100,000 times is refused, not allocated.
                let copy = a.bytes.saturating_sub((e - s) as u64);
                self.aliased = self.aliased.saturating_add(copy);
                self.added = self.added.saturating_add(copy);
                let total = (text.len() as u64).saturating_add(self.added);
                if total > self.bound {
                    let bound = self.bound;
                    return Err(self.fail(too_many_bytes(file, s, e, total, bound, limits)));
                }
                let mut n = a.node.clone();
                n.span = Span::new(file, s, e);
                Ok((n, 0, 0))
            }
            None => Err(self.stop(
                Diagnostic::new(
                    &crate::syntax::codes::SP001,
                    "YAML syntax error: alias to an unknown anchor",
                )
                .primary(Span::new(file, s, e), "unknown anchor"),
            )),
        }
    }

    /// A collection starts at `s`: one node more, one level deeper.
    fn open(&mut self, s: usize) -> Result<(), Stop> {
        self.nodes += 1;
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.stop(too_deep(self.file, s, self.text, self.limits)));
        }
        Ok(())
    }

    /// The innermost collection ends (its end event at `..e`): its node.
    fn close(&mut self, e: usize, checked: &mut bool) -> Result<Option<Completed>, Stop> {
        let file = self.file;
        Ok(match self.stack.pop() {
            Some(Frame::Seq {
                start,
                aliased: before,
                anchor,
                block,
                items,
            }) => {
                *checked = !block;
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
                    self.aliased - before,
                ))
            }
            Some(Frame::Map {
                start,
                aliased: before,
                anchor,
                block,
                entries,
                ..
            }) => {
                *checked = !block;
                let end = match entries.last() {
                    Some(last) if block => last.value.span.end.max(last.key.span.end) as usize,
                    _ => e.max(start),
                };
                let entries = match super::merge::resolve(entries, &mut self.out.merges) {
                    Ok(entries) => entries,
                    Err(d) => return Err(self.fail(*d)),
                };
                Some((
                    Node {
                        kind: Kind::Map(entries),
                        span: Span::new(file, start, end),
                    },
                    anchor,
                    self.aliased - before,
                ))
            }
            None => None,
        })
    }

    /// Keeps a copy of the anchored `node` for later aliases, if that copy
    /// fits the bounds.
    fn keep_anchor(&mut self, anchor: usize, node: &Node, inner: u64) -> Result<(), Stop> {
        let count = node.count();
        let bytes = u64::from(node.span.end.saturating_sub(node.span.start)).saturating_add(inner);
        // The anchor keeps a copy of its node for later aliases: that
        // copy counts too (else anchors nested 128 deep around a 16 MiB
        // string would hold 2 GiB without a single alias).
        self.added = self.added.saturating_add(bytes);
        let total = (self.text.len() as u64).saturating_add(self.added);
        if total > self.bound {
            let at = node.span.start as usize;
            let end = next_char_end(self.text, at);
            let bound = self.bound;
            return Err(self.fail(too_many_bytes(
                self.file,
                at,
                end,
                total,
                bound,
                self.limits,
            )));
        }
        self.anchors.insert(
            anchor,
            Anchored {
                node: node.clone(),
                count,
                bytes,
            },
        );
        Ok(())
    }

    /// Puts a completed node where it belongs: the document's root, the next
    /// item of a sequence, or a mapping's key or value (SP002 for a key seen
    /// before).
    fn attach(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.out.root.is_none() {
                    self.out.root = Some(node);
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
                        Some((first, name)) => self.out.diagnostics.push(
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
