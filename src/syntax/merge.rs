//! YAML merge keys (`<<`) and node overlays.
//!
//! **Merge keys.** `<<: *anchor` or `<<: [*a, *b]` in a mapping copies the
//! entries of the merged mappings into it, with the semantics of the YAML
//! merge key type (<https://yaml.org/type/merge.html>): a key written in the
//! mapping itself wins over a merged one, and of several merged mappings the
//! earlier one wins. A merge is one level deep, as in YAML: a merged value is
//! taken whole or not at all. Merges nest: an anchored mapping that merges
//! another one is resolved when it is read, so its aliases carry the result.
//!
//! Merged entries keep the spans of the nodes they were copied from, so a
//! diagnostic on a merged value points at the line where the value is
//! written; each merge is recorded as a [`MergeSite`], and [`annotate`] adds a
//! secondary label at the `<<` that brought the value in. The merged nodes are
//! the nodes of the aliases after `<<`, which the alias-expansion limits
//! (SP013) already counted; a merge only moves them.
//!
//! **Overlays.** [`overlay`] lays one mapping over another, key by key and
//! recursively (mappings merged, everything else replaced): the semantics of
//! `ad_group_defaults` (see `model::defaults`).

use std::collections::HashSet;

use super::node::{Entry, Kind, Node, Style};
use crate::diag::{Diagnostic, Span};

/// Where a merge key brought entries into a mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeSite {
    /// Where the merged entry is written: from its key to the end of its
    /// value (one site per entry merged, none for an entry overridden).
    pub from: Span,
    /// The merged mapping at the `<<` key: the alias (`*base`) or the mapping
    /// written there.
    pub at: Span,
}

/// Whether `key` is the merge key: a plain `<<`, or one tagged `!!merge`.
pub(super) fn is_merge_key(key: &Node) -> bool {
    match &key.kind {
        Kind::Scalar(s) => {
            (s.style == Style::Plain && s.text == "<<" && s.tag.is_none())
                || s.tag.as_deref() == Some("merge")
        }
        _ => false,
    }
}

/// Resolves the merge keys of a completed mapping: `entries` are the
/// mapping's own entries (duplicates already removed), `<<` ones included.
/// Merged entries take the place of the `<<` entry, in the order of their
/// mappings. Returns the entries unchanged when there is no merge key.
pub(super) fn resolve(
    entries: Vec<Entry>,
    sites: &mut Vec<MergeSite>,
) -> Result<Vec<Entry>, Box<Diagnostic>> {
    if !entries.iter().any(|e| is_merge_key(&e.key)) {
        return Ok(entries);
    }
    // Keys written in the mapping itself win over every merged one.
    let mut taken: HashSet<String> = entries
        .iter()
        .filter(|e| !is_merge_key(&e.key))
        .filter_map(|e| e.key.as_scalar().map(|s| s.text.clone()))
        .collect();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        if !is_merge_key(&e.key) {
            out.push(e);
            continue;
        }
        let sources: Vec<Node> = match e.value.kind {
            Kind::Map(_) => vec![e.value],
            Kind::Seq(items) if items.iter().all(|i| i.as_map().is_some()) => items,
            _ => return Err(Box::new(not_mergeable(e.key.span, e.value.span))),
        };
        // Earlier mappings win over later ones: the first to bring a key keeps it.
        for src in sources {
            let Kind::Map(merged) = src.kind else {
                continue;
            };
            for m in merged {
                let fresh = match m.key.as_scalar() {
                    Some(s) => taken.insert(s.text.clone()),
                    None => true,
                };
                if fresh {
                    let from = Span {
                        file: m.key.span.file,
                        start: m.key.span.start.min(m.value.span.start),
                        end: m.value.span.end.max(m.key.span.end),
                    };
                    sites.push(MergeSite { from, at: src.span });
                    out.push(m);
                }
            }
        }
    }
    Ok(out)
}

fn not_mergeable(key: Span, value: Span) -> Diagnostic {
    Diagnostic::new(
        &super::codes::SP001,
        "YAML syntax error: a merge key `<<` takes a mapping or a list of mappings",
    )
    .primary(value, "not a mapping or a list of mappings")
    .secondary(key, "merge key")
    .help("write `<<: *name` (an anchored mapping) or `<<: [*a, *b]`; quote the key (`\"<<\"`) if it is meant as a plain key")
}

/// The most merge sites labelled on one diagnostic.
const MAX_SITES: usize = 3;

/// Adds to every diagnostic whose primary label lies in merged content a
/// secondary label at each merge that brought it in ("merged here"): an
/// entry merged into a mapping that is itself merged elsewhere was copied
/// at both places, and both are labelled.
///
/// Content merged at several places is one mistake, reported once: the
/// first three places are labelled and a note says how many there are.
pub fn annotate(diags: &mut [Diagnostic], sites: &[MergeSite]) {
    if sites.is_empty() {
        return;
    }
    let inside = |outer: Span, inner: Span| {
        outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
    };
    // By the place merged from: an anchor merged into 10,000 mappings is a
    // handful of places, each with 10,000 merges.
    let mut by_from: std::collections::BTreeMap<Span, Vec<Span>> = Default::default();
    for s in sites {
        by_from.entry(s.from).or_default().push(s.at);
    }
    for d in diags.iter_mut() {
        let Some(p) = d.primary_span() else { continue };
        let mut at: Vec<Span> = by_from
            .iter()
            .filter(|(from, _)| inside(**from, p))
            .flat_map(|(_, at)| at.iter().copied())
            .collect();
        at.sort();
        at.dedup();
        for &span in at.iter().take(MAX_SITES) {
            if !d.labels.iter().any(|l| l.span == span) {
                d.labels.push(crate::diag::Label::secondary(
                    span,
                    Some("merged here".to_owned()),
                ));
            }
        }
        if at.len() > MAX_SITES {
            d.notes.push(format!(
                "this value is merged (`<<`) at {} places; the first {MAX_SITES} are shown",
                at.len()
            ));
        }
    }
}

/// Lays `over` on `base`: for two mappings, the entries of `base` whose key
/// `over` does not have, then `over`'s entries, each merged with `base`'s
/// value of the same key by the same rule; anything else (a scalar, a list,
/// a mapping over a non-mapping) is `over` itself. Every node keeps its span,
/// so a value that comes from `base` points where `base` wrote it.
///
/// `budget` is what may still be copied from `base`; `None` when this
/// overlay would exceed it.
pub fn overlay(base: &Node, over: &Node, budget: &mut Budget) -> Option<Node> {
    let (Kind::Map(b), Kind::Map(o)) = (&base.kind, &over.kind) else {
        return Some(over.clone());
    };
    fn key(e: &Entry) -> Option<&str> {
        e.key.as_scalar().map(|s| s.text.as_str())
    }
    let over_keys: HashSet<&str> = o.iter().filter_map(key).collect();
    let base_by_key: std::collections::HashMap<&str, &Entry> =
        b.iter().filter_map(|e| Some((key(e)?, e))).collect();
    let mut entries = Vec::with_capacity(b.len() + o.len());
    for be in b {
        if !key(be).is_some_and(|k| over_keys.contains(k)) {
            budget.spend(&be.key)?;
            budget.spend(&be.value)?;
            entries.push(be.clone());
        }
    }
    for oe in o {
        let from_base = key(oe).and_then(|k| base_by_key.get(k));
        let value = match from_base {
            Some(be) => overlay(&be.value, &oe.value, budget)?,
            None => oe.value.clone(),
        };
        entries.push(Entry {
            key: oe.key.clone(),
            value,
        });
    }
    Some(Node {
        kind: Kind::Map(entries),
        span: over.span,
    })
}

/// What copies may still add: nodes, and bytes of scalar text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Nodes.
    pub nodes: usize,
    /// Bytes of scalar text (keys and values).
    pub bytes: u64,
}

impl Budget {
    /// Takes the cost of copying `node` (iteratively: no deep recursion);
    /// `None` when that is more than is left.
    fn spend(&mut self, node: &Node) -> Option<()> {
        let mut todo = vec![node];
        while let Some(n) = todo.pop() {
            self.nodes = self.nodes.checked_sub(1)?;
            match &n.kind {
                Kind::Scalar(s) => {
                    self.bytes = self.bytes.checked_sub(s.text.len() as u64)?;
                }
                Kind::Seq(items) => todo.extend(items.iter()),
                Kind::Map(entries) => {
                    for e in entries {
                        todo.push(&e.key);
                        todo.push(&e.value);
                    }
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;
    use crate::syntax::{Limits, Parsed, parse};

    fn p(text: &str) -> Parsed {
        parse(FileId(0), text, &Limits::default())
    }

    /// `key: value` pairs of a mapping of plain scalars.
    fn pairs(n: &Node) -> Vec<(String, String)> {
        n.as_map()
            .unwrap()
            .iter()
            .map(|e| {
                let v = match &e.value.kind {
                    Kind::Scalar(s) => s.text.clone(),
                    Kind::Seq(items) => format!(
                        "[{}]",
                        items
                            .iter()
                            .map(|i| i.as_scalar().unwrap().text.clone())
                            .collect::<Vec<_>>()
                            .join(",")
                    ),
                    Kind::Map(_) => "{..}".into(),
                };
                (e.key.as_scalar().unwrap().text.clone(), v)
            })
            .collect()
    }

    fn kv(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn explicit_keys_win_and_earlier_mappings_win_over_later() {
        let text =
            "a: &a {x: 1, y: 1, z: 1}\nb: &b {x: 2, y: 2, w: 2}\nc:\n  x: 3\n  <<: [*a, *b]\n";
        let r = p(text);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let c = r.root.as_ref().unwrap().get("c").unwrap();
        assert_eq!(
            pairs(c),
            kv(&[("x", "3"), ("y", "1"), ("z", "1"), ("w", "2")])
        );
    }

    #[test]
    fn a_key_written_after_the_merge_is_not_a_duplicate() {
        let r = p("a: &a {x: 1}\nc:\n  <<: *a\n  x: 2\n");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let c = r.root.as_ref().unwrap().get("c").unwrap();
        assert_eq!(pairs(c), kv(&[("x", "2")]));
        // Written twice in the mapping itself: still SP002.
        let r = p("a: &a {x: 1}\nc:\n  <<: *a\n  x: 2\n  x: 3\n");
        let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code()).collect();
        assert_eq!(codes, ["SP002"]);
        // Two merge keys in one mapping are a duplicate key too.
        let r = p("a: &a {x: 1}\nc:\n  <<: *a\n  <<: *a\n");
        let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code()).collect();
        assert_eq!(codes, ["SP002"]);
    }

    #[test]
    fn merges_nest_and_work_at_any_depth() {
        let text =
            "a: &a {x: 1, y: 1}\nb: &b\n  <<: *a\n  y: 2\nd:\n  inner:\n    <<: *b\n    z: 3\n";
        let r = p(text);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let inner = r
            .root
            .as_ref()
            .unwrap()
            .get("d")
            .unwrap()
            .get("inner")
            .unwrap();
        assert_eq!(pairs(inner), kv(&[("x", "1"), ("y", "2"), ("z", "3")]));
        // One level deep, as YAML's merge: a mapping value is taken whole.
        let text = "a: &a {m: {p: 1, q: 1}}\nc:\n  <<: *a\n  m: {q: 2}\n";
        let r = p(text);
        let m = r.root.as_ref().unwrap().get("c").unwrap().get("m").unwrap();
        assert_eq!(pairs(m), kv(&[("q", "2")]));
    }

    #[test]
    fn lists_are_taken_whole() {
        let text = "a: &a {l: [1, 2], k: [9]}\nc:\n  <<: *a\n  l: [3]\n";
        let r = p(text);
        let c = r.root.as_ref().unwrap().get("c").unwrap();
        // Merged entries take the place of `<<`.
        assert_eq!(pairs(c), kv(&[("k", "[9]"), ("l", "[3]")]));
    }

    #[test]
    fn only_mappings_merge() {
        for (text, at) in [
            ("l: &l [1, 2]\nc:\n  <<: *l\n", "*l"),
            ("c:\n  <<: 5\n", "5"),
            ("a: &a {x: 1}\nc:\n  <<: [*a, 5]\n", "[*a, 5]"),
        ] {
            let r = p(text);
            assert_eq!(r.diagnostics.len(), 1, "{text}");
            assert_eq!(r.diagnostics[0].code(), "SP001", "{text}");
            assert_eq!(&text[r.diagnostics[0].labels[0].span.range()], at);
            assert!(r.root.is_none());
        }
        // A quoted `"<<"` is an ordinary key.
        let r = p("c:\n  \"<<\": 5\n");
        assert!(r.diagnostics.is_empty());
        assert!(r.root.unwrap().get("c").unwrap().get("<<").is_some());
    }

    #[test]
    fn merged_values_keep_where_they_were_written() {
        let text = "a: &a {x: 1, y: 1}\nc:\n  <<: *a\n  y: 2\n";
        let r = p(text);
        let c = r.root.as_ref().unwrap().get("c").unwrap();
        assert_eq!(c.get("x").unwrap().span.start, 10);
        // One site per entry merged; `y` is overridden, so has none.
        assert_eq!(r.merges.len(), 1);
        assert_eq!(&text[r.merges[0].from.range()], "x: 1");
        assert_eq!(&text[r.merges[0].at.range()], "*a");
    }

    #[test]
    fn merged_content_counts_against_the_expansion_limits() {
        // 60 merges of a 1,000-byte value: past 10 times the file's size.
        let mut text = format!("a: &a {{k: \"{}\"}}\n", "x".repeat(1000));
        for i in 0..60 {
            text.push_str(&format!("m{i}: {{<<: *a}}\n"));
        }
        let r = p(&text);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code(), "SP013");
    }

    #[test]
    fn annotate_labels_every_merge_that_copied_the_value() {
        let text = "a: &a {x: 1}\nb: &b\n  <<: *a\nc:\n  <<: *b\n";
        let r = p(text);
        let root = r.root.as_ref().unwrap();
        let x = root.get("c").unwrap().get("x").unwrap().span;
        let mut d = vec![Diagnostic::new(&crate::syntax::codes::SP002, "test").primary(x, "here")];
        annotate(&mut d, &r.merges);
        let labels: Vec<(&str, Option<&str>)> = d[0]
            .labels
            .iter()
            .map(|l| (&text[l.span.range()], l.message.as_deref()))
            .collect();
        assert_eq!(
            labels,
            [
                ("1", Some("here")),
                ("*a", Some("merged here")),
                ("*b", Some("merged here")),
            ]
        );
    }

    #[test]
    fn overlay_merges_mappings_at_every_depth_and_replaces_the_rest() {
        let r = p("d: {m: {p: 1, q: 1}, l: [1, 2], s: a}\ng: {m: {q: 2}, l: [3]}\n");
        let root = r.root.unwrap();
        let mut budget = Budget {
            nodes: 100,
            bytes: 100,
        };
        let o = overlay(root.get("d").unwrap(), root.get("g").unwrap(), &mut budget).unwrap();
        assert_eq!(pairs(&o), kv(&[("s", "a"), ("m", "{..}"), ("l", "[3]")]));
        assert_eq!(pairs(o.get("m").unwrap()), kv(&[("p", "1"), ("q", "2")]));
        // Past the budget: nothing.
        let mut tight = Budget {
            nodes: 1,
            bytes: 100,
        };
        assert!(overlay(root.get("d").unwrap(), root.get("g").unwrap(), &mut tight).is_none());
    }
}
