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
mod indent;
mod limits;
pub mod merge;
mod node;
mod read;

pub use limits::Limits;
pub use merge::MergeSite;
pub use node::{Comment, Entry, Kind, Node, Resolved, Scalar, Style};

use crate::diag::{Diagnostic, FileId};

/// The result of reading one file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The root node of the first document, if it could be read.
    pub root: Option<Node>,
    /// Every comment, in source order.
    pub comments: Vec<Comment>,
    /// Problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
    /// Where merge keys (`<<`) brought entries in (see [`merge`]).
    pub merges: Vec<MergeSite>,
}

/// Parses `text` (the whole file, BOM included) as one YAML document.
pub fn parse(file: FileId, text: &str, limits: &Limits) -> Parsed {
    let mut reader = read::Reader::new(file, text, limits);
    if reader.run().is_err() {
        return reader.out;
    }
    let mut out = reader.out;
    // In source order, so lookups can binary-search (`Cx::comment_after_on_line`).
    out.comments.sort_by_key(|c| c.span.start);
    if let Some(root) = &out.root {
        explain::quoted_continuations(file, text, root, &mut out.diagnostics);
    }
    out
}

fn next_char_end(text: &str, off: usize) -> usize {
    text[off..]
        .chars()
        .next()
        .map_or(off, |c| off + c.len_utf8())
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
