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
) -> Result<Vec<Entry>, Diagnostic> {
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
            _ => return Err(not_mergeable(e.key.span, e.value.span)),
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
/// The most merges followed outwards from one site.
const MAX_CHAIN: usize = 8;

/// Adds to every diagnostic whose primary label lies in merged content a
/// secondary label at the merge that brought it in ("merged here"), and,
/// when that merge is itself inside merged content, at the merge that
/// brought that in ("which is merged here"), and so on.
///
/// Content merged at several places is one mistake, reported once: the
/// first three places are labelled and the note says how many there are.
pub fn annotate(diags: &mut [Diagnostic], sites: &[MergeSite]) {
    if sites.is_empty() {
        return;
    }
    let inside = |outer: Span, inner: Span| {
        outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
    };
    for d in diags.iter_mut() {
        let Some(p) = d.primary_span() else { continue };
        let direct: Vec<&MergeSite> = sites.iter().filter(|s| inside(s.from, p)).collect();
        if direct.is_empty() {
            continue;
        }
        let mut labels: Vec<(Span, &str)> = Vec::new();
        for s in direct.iter().take(MAX_SITES) {
            labels.push((s.at, "merged here"));
            // Follow the merge outwards: the `<<` may itself sit in a
            // mapping that is merged elsewhere.
            let mut at = s.at;
            for _ in 0..MAX_CHAIN {
                let Some(outer) = sites.iter().find(|o| inside(o.from, at)) else {
                    break;
                };
                labels.push((outer.at, "which is merged here"));
                at = outer.at;
            }
        }
        let mut seen = HashSet::new();
        for (span, msg) in labels {
            if seen.insert(span) && !d.labels.iter().any(|l| l.span == span) {
                d.labels
                    .push(crate::diag::Label::secondary(span, Some(msg.to_owned())));
            }
        }
        if direct.len() > MAX_SITES {
            d.notes.push(format!(
                "this value is merged (`<<`) at {} places; the first {MAX_SITES} are shown",
                direct.len()
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
