//! Building the edits of mechanical fixes ([`crate::diag::Fix`]) from the
//! source text: quoting, and replacing a scalar while keeping how it was
//! quoted. Only the bytes of the scalar change; the rest of the line (a
//! comment, the indentation, a `\r`) stays as it is.

use crate::diag::{Applicability, Edit, Fix, Span};
use crate::syntax::{Comment, Node, Resolved, Scalar, Style};

/// `s` as a YAML double-quoted scalar (`\` and `"` escaped; control
/// characters as `\u` escapes).
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The source bytes of `span` in `text`, if it is a valid range.
pub fn source(text: &str, span: Span) -> Option<&str> {
    text.get(span.range())
}

/// Whether `s` written unquoted is read back as the string `s` (YAML 1.2
/// core schema): a plain word of letters, digits, `_`, `-`, `.`, `/`, `+`
/// that is not a number, a boolean or null, and does not start with `-`.
pub fn plain_safe(s: &str) -> bool {
    let word = !s.is_empty()
        && !s.starts_with(['-', '.'])
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b'+'));
    let scalar = Scalar {
        text: s.to_owned(),
        style: Style::Plain,
        tag: None,
    };
    word && matches!(scalar.resolve(), Resolved::Str(t) if t == s)
}

/// An edit that replaces the scalar `node` (a string) by the string `new`,
/// written as the original was: in the same quotes when it was quoted, plain
/// when it was plain and `new` is safe unquoted, else double-quoted. `None`
/// when the node is not a one-line scalar of `text` without a tag.
pub fn replace_string(text: &str, node: &Node, new: &str) -> Option<Edit> {
    let s = node.as_scalar()?;
    if s.tag.is_some() || s.style == Style::Block {
        return None;
    }
    let src = source(text, node.span)?;
    if src.contains(['\n', '\r']) {
        return None;
    }
    let quote = src.chars().next().filter(|c| matches!(c, '"' | '\''));
    let written = match quote {
        Some('\'') if !new.contains('\'') => format!("'{new}'"),
        Some(_) => double_quoted(new),
        None if plain_safe(new) => new.to_owned(),
        None => double_quoted(new),
    };
    Some(Edit::replace(node.span, written))
}

/// Whether `suggested` is certainly what `written` meant: the same word in
/// other letter case or with other separators (`adGroups`, `ad-groups` for
/// `ad_groups`).
pub fn certain(written: &str, suggested: &str) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect()
    };
    fold(written) == fold(suggested)
}

/// The fix that replaces a misspelt string `node` by `suggested`: safe when
/// [`certain`], a guess otherwise.
pub fn rename(text: &str, node: &Node, written: &str, suggested: &str) -> Option<Fix> {
    let edit = replace_string(text, node, suggested)?;
    let message = format!("replace `{written}` with `{suggested}`");
    Some(Fix {
        message,
        edits: vec![edit],
        applicability: if certain(written, suggested) {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
    })
}

/// SP009: the fix of an unquoted video code that YAML read as the comment
/// `c`: the code (the comment's first word, `#` included) in double quotes.
/// What follows the code on the line stays as it was, so it must be nothing
/// or a comment of its own (`#AbC123xyz  # from Jane`); otherwise no fix.
pub fn quote_comment_code(text: &str, c: &Comment) -> Option<Fix> {
    let src = source(text, c.span)?;
    let word_len = src.find(char::is_whitespace).unwrap_or(src.len());
    let (code, rest) = src.split_at(word_len);
    let rest = rest.trim_start();
    if !code.starts_with('#') || code.len() < 2 || !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let span = Span {
        end: c.span.start + u32::try_from(word_len).ok()?,
        ..c.span
    };
    Some(Fix::safe(
        "quote the video code",
        vec![Edit::replace(span, double_quoted(code))],
    ))
}

/// SP012: the fix of an ID written as a number: its digits as written in
/// the source, in double quotes. Never from the number's value (a 19-digit
/// ID read as a float loses digits); no fix unless the source is digits
/// only (`0x1F` or `+30` quoted would not be the same ID).
pub fn quote_digits(text: &str, node: &Node, message: &str) -> Option<Fix> {
    let src = source(text, node.span)?;
    if src.is_empty() || !src.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Fix::safe(
        message,
        vec![Edit::replace(node.span, format!("\"{src}\""))],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(double_quoted("#AbC"), "\"#AbC\"");
        assert_eq!(double_quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(double_quoted("a\u{7}"), "\"a\\u0007\"");
    }

    #[test]
    fn plain_words() {
        assert!(plain_safe("web_conversions"));
        assert!(plain_safe("GB"));
        assert!(plain_safe("NO"));
        assert!(!plain_safe("true"));
        assert!(!plain_safe("null"));
        assert!(!plain_safe("12"));
        assert!(!plain_safe("1.5"));
        assert!(!plain_safe("-x"));
        assert!(!plain_safe("a b"));
        assert!(!plain_safe(""));
    }

    #[test]
    fn certainty() {
        assert!(certain("adGroups", "ad_groups"));
        assert!(certain("Web-Conversions", "web_conversions"));
        assert!(!certain("objetive", "objective"));
    }
}
