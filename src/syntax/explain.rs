//! Syntax errors that explain themselves: the common YAML mistakes of
//! people writing manifests by hand get a primary label on the line where
//! the mistake is, and a help that says how to fix it (issue 12, item 3).
//!
//! The parser reports where it noticed the problem, which is often not where
//! the mistake is (a tab is noticed on the line before it; `a: b: c` at the
//! second colon). These functions only read the text around the parser's
//! position; they never change whether a file is accepted, except
//! [`quoted_continuations`], which reports what YAML forbids and the parser
//! accepts.

use super::node::{Kind, Node, Style};
use crate::diag::{Diagnostic, FileId, Span};

/// The line of `text` that holds byte `off`: (start, end without newline).
fn line_at(text: &str, off: usize) -> (usize, usize) {
    let off = off.min(text.len());
    let start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    let end = text[off..].find('\n').map_or(text.len(), |i| off + i);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    (start, end)
}

/// The value part of a `key: value` or `- value` line starting at
/// `line_start`: (start, end) with a trailing comment and spaces removed.
fn value_of_line(text: &str, line_start: usize, line_end: usize) -> Option<(usize, usize)> {
    let line = &text[line_start..line_end];
    let body = line.trim_start();
    let indent = line.len() - body.len();
    let mut from = indent;
    let mut rest = body;
    while let Some(r) = rest.strip_prefix("- ") {
        from += 2 + (r.len() - r.trim_start().len());
        rest = r.trim_start();
    }
    // The key separator: the first `: ` (or a final `:`).
    let sep = rest.find(": ").map(|i| i + 2)?;
    let vstart = from + sep + (rest[sep..].len() - rest[sep..].trim_start().len());
    let mut vend = line.len();
    if let Some(i) = line[vstart..].find(" #") {
        vend = vstart + i;
    }
    let vend = vstart + line[vstart..vend].trim_end().len();
    (vend > vstart).then_some((line_start + vstart, line_start + vend))
}

/// `"…"` with `\` and `"` escaped: the value as a double-quoted scalar.
fn quoted(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        if matches!(c, '"' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// Improves an SP001 diagnostic raised by the parser at byte `off`.
pub fn explain(file: FileId, text: &str, off: usize, msg: &str, d: Diagnostic) -> Diagnostic {
    let (ls, le) = line_at(text, off);
    // A tab in indentation, on the error's line or one of the next two (the
    // parser notices a tab while finishing the previous line).
    if msg.contains("tab") || msg.contains("cannot start any token") {
        let mut at = ls;
        for _ in 0..3 {
            let (s, e) = line_at(text, at);
            let line = &text[s..e];
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            if let Some(i) = line[..indent].find('\t') {
                return Diagnostic::new(
                    &crate::syntax::codes::SP001,
                    "YAML syntax error: a tab in indentation",
                )
                .primary(Span::new(file, s + i, s + i + 1), "tab")
                .note("YAML indents with spaces only; a tab cannot be indentation")
                .help("indent with spaces");
            }
            if e >= text.len() {
                break;
            }
            at = e + 1 + usize::from(text[e..].starts_with('\r'));
        }
        return d;
    }
    let value = value_of_line(text, ls, le);
    if msg.contains("mapping values are not allowed")
        && let Some((vs, ve)) = value
        && (vs..ve).contains(&off)
    {
        let v = &text[vs..ve];
        return Diagnostic::new(
            &crate::syntax::codes::SP001,
            "YAML syntax error: an unquoted value contains `: `",
        )
        .primary(
            Span::new(file, vs, ve),
            "YAML reads `: ` as the start of another key",
        )
        .note("a plain (unquoted) value cannot contain a colon followed by a space")
        .help(format!("quote the value: {}", quoted(v)));
    }
    if let Some((vs, ve)) = value
        && off == vs
        && let Some(c @ ('@' | '`' | '%' | '|')) = text[vs..].chars().next()
    {
        let v = &text[vs..ve];
        return Diagnostic::new(
            &crate::syntax::codes::SP001,
            format!("YAML syntax error: an unquoted value cannot start with `{c}`"),
        )
        .primary(
            Span::new(file, vs, ve),
            format!("`{c}` is reserved in YAML at the start of a value"),
        )
        .note("YAML reserves `@` and `` ` ``, starts a directive with `%` and a block of text with `|`")
        .help(format!("quote it: {}", quoted(v)));
    }
    if msg.contains("unclosed quote") {
        return d
            .note("a quoted value runs until the same quote closes it, across lines")
            .help("close the quote where the value ends");
    }
    if msg.contains("trailing content after")
        && let Some(open) = unclosed_quote_before(text, ls)
    {
        return Diagnostic::new(
            &crate::syntax::codes::SP001,
            "YAML syntax error: a quote is not closed",
        )
        .primary(
            Span::new(file, open, open + 1),
            "this quote is not closed on its line",
        )
        .secondary(Span::new(file, off, off.max(ls)), "the parser noticed here")
        .note("a quoted value runs until the same quote closes it, across lines")
        .help("close the quote where the value ends");
    }
    d
}

/// The opening quote of a quoted value, before byte `before`, that is not
/// closed on its own line (the value then ran on to a later quote).
fn unclosed_quote_before(text: &str, before: usize) -> Option<usize> {
    let mut found = None;
    let mut start = 0;
    for line in text[..before].split_inclusive('\n') {
        let end = start + line.len();
        if let Some((vs, _)) = value_of_line(text, start, end.min(text.len())) {
            let v = text[vs..end].trim_end();
            let q = v.chars().next();
            if let Some(q @ ('"' | '\'')) = q {
                let inner = &v[1..];
                let closed = if q == '"' {
                    let mut esc = false;
                    inner.chars().any(|c| {
                        let hit = c == '"' && !esc;
                        esc = c == '\\' && !esc;
                        hit
                    })
                } else {
                    inner.replace("''", "").contains('\'')
                };
                if !closed {
                    found = Some(vs);
                }
            }
        }
        start = end;
    }
    found
}

/// SP001 for quoted scalars that YAML forbids and the parser accepts: a
/// continuation line at column 0 (or indented by a tab) inside a block
/// collection (yaml-test-suite QB6E, 9C9N, DK95/01). The value would be read
/// as intended, but other YAML tools refuse the file.
pub fn quoted_continuations(file: FileId, text: &str, root: &Node, out: &mut Vec<Diagnostic>) {
    let mut stack: Vec<&Node> = match &root.kind {
        Kind::Map(m) => m.iter().map(|e| &e.value).collect(),
        Kind::Seq(s) => s.iter().collect(),
        Kind::Scalar(_) => return,
    };
    let mut seen = std::collections::BTreeSet::new();
    while let Some(n) = stack.pop() {
        match &n.kind {
            Kind::Map(m) => stack.extend(m.iter().map(|e| &e.value)),
            Kind::Seq(s) => stack.extend(s.iter()),
            Kind::Scalar(s) if s.style == Style::Quoted => {
                let (a, b) = (n.span.start as usize, n.span.end as usize);
                let Some(t) = text.get(a..b) else { continue };
                let mut pos = a;
                for (i, line) in t.split_inclusive('\n').enumerate() {
                    let here = pos;
                    pos += line.len();
                    if i == 0 {
                        continue;
                    }
                    let first = line.chars().next();
                    let bad = match first {
                        Some('\t') => true,
                        Some(c) => !matches!(c, ' ' | '\n' | '\r'),
                        None => false,
                    };
                    if bad && seen.insert(here) {
                        let off = here;
                        out.push(
                            Diagnostic::new(
                                &crate::syntax::codes::SP001,
                                "YAML syntax error: a quoted value continues at the start of a line",
                            )
                            .primary(
                                Span::new(file, off, off + first.map_or(0, char::len_utf8)),
                                "indent this line",
                            )
                            .note("inside a mapping or list, every line of a quoted value must be indented with spaces, more than its key; other YAML tools refuse this file")
                            .help("indent the line with spaces, or keep the value on one line"),
                        );
                        break;
                    }
                }
            }
            Kind::Scalar(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Limits, parse};

    fn first(text: &str) -> Diagnostic {
        let r = parse(FileId(0), text, &Limits::default());
        r.diagnostics.into_iter().next().expect("a diagnostic")
    }

    fn at(text: &str, d: &Diagnostic) -> (usize, String) {
        let s = d.primary_span().expect("located");
        let line = text[..s.start as usize].matches('\n').count() + 1;
        (line, text[s.range()].to_owned())
    }

    #[test]
    fn colon_in_a_value_is_explained_on_its_value() {
        let t = "posts:\n  p:\n    caption: Before and after: 4 weeks # c\n";
        let d = first(t);
        assert_eq!(
            d.message,
            "YAML syntax error: an unquoted value contains `: `"
        );
        assert_eq!(at(t, &d), (3, "Before and after: 4 weeks".to_owned()));
        assert_eq!(
            d.help.as_deref(),
            Some("quote the value: \"Before and after: 4 weeks\"")
        );
    }

    #[test]
    fn reserved_first_characters_are_explained() {
        for c in ['@', '`', '%', '|'] {
            let t = format!("posts:\n  p:\n    caption: {c}lumen and \"more\"\n");
            let d = first(&t);
            assert_eq!(
                d.message,
                format!("YAML syntax error: an unquoted value cannot start with `{c}`"),
                "{c}"
            );
            assert_eq!(at(&t, &d).0, 3, "{c}");
            assert_eq!(
                d.help,
                Some(format!("quote it: \"{c}lumen and \\\"more\\\"\"")),
                "{c}"
            );
        }
    }

    #[test]
    fn a_tab_is_reported_on_its_own_line() {
        let t = "media:\n  m:\n    advertiser: acme\n\tvideo_id: x\n";
        let d = first(t);
        assert_eq!(d.message, "YAML syntax error: a tab in indentation");
        assert_eq!(at(t, &d), (4, "\t".to_owned()));
        assert_eq!(d.help.as_deref(), Some("indent with spaces"));
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opened() {
        let t = "posts:\n  p:\n    caption: \"unclosed\n  q:\n    caption: \"x\"\n";
        let d = first(t);
        assert_eq!(d.message, "YAML syntax error: a quote is not closed");
        assert_eq!(at(t, &d), (3, "\"".to_owned()));
        let t = "posts:\n  p:\n    caption: 'unclosed\n";
        let d = first(t);
        assert_eq!(at(t, &d).0, 3);
        assert!(d.help.is_some());
    }

    #[test]
    fn quoted_continuation_at_column_zero_is_sp001() {
        let t = "posts:\n  p:\n    caption: \"Launch\nday\"\n";
        let r = parse(FileId(0), t, &Limits::default());
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        assert_eq!(r.diagnostics[0].code(), crate::syntax::codes::SP001.code);
        assert_eq!(at(t, &r.diagnostics[0]), (4, "d".to_owned()));
        // Indented continuation lines are valid YAML.
        let t = "posts:\n  p:\n    caption: \"Launch\n      day\"\n";
        assert!(
            parse(FileId(0), t, &Limits::default())
                .diagnostics
                .is_empty()
        );
        // A top-level quoted scalar may continue at column 0.
        assert!(
            parse(FileId(0), "\"a\nb\"\n", &Limits::default())
                .diagnostics
                .is_empty()
        );
    }
}
