//! The spanned YAML tree the rest of sparkplan reads. Nothing outside `syntax`
//! sees the YAML crate's types.

use crate::diag::Span;

/// How a scalar was written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unquoted: its type follows the YAML 1.2 core schema.
    Plain,
    /// `'single'` or `"double"` quoted: always a string.
    Quoted,
    /// `|` or `>` block scalar: always a string.
    Block,
}

/// The type of a scalar under the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved<'a> {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false` (any of the three core-schema spellings).
    Bool(bool),
    /// An integer; the text is kept so that large IDs lose no digits.
    Int(&'a str),
    /// A float.
    Float(f64),
    /// Anything else, and every quoted or block scalar.
    Str(&'a str),
}

impl Resolved<'_> {
    /// The value of a number that is whole: an integer in any core-schema
    /// form (`30`, `+30`, `030`, `0x1E`, `0o36`) or a float with no fraction
    /// (`30.0`). This is the number a JSON tool or an editor sees, so fields
    /// holding whole numbers accept exactly what the JSON Schema accepts.
    pub fn whole_number(&self) -> Option<i128> {
        match self {
            Resolved::Int(t) => {
                if let Some(h) = t.strip_prefix("0x") {
                    i128::from_str_radix(h, 16).ok()
                } else if let Some(o) = t.strip_prefix("0o") {
                    i128::from_str_radix(o, 8).ok()
                } else {
                    t.strip_prefix('+').unwrap_or(t).parse().ok()
                }
            }
            #[expect(
                clippy::cast_possible_truncation,
                reason = "guarded: a whole number below 1e30 fits in an i128"
            )]
            Resolved::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e30 => {
                Some(*f as i128)
            }
            _ => None,
        }
    }

    /// The YAML type name used in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Resolved::Null => "null",
            Resolved::Bool(_) => "boolean",
            Resolved::Int(_) => "integer",
            Resolved::Float(_) => "number",
            Resolved::Str(_) => "string",
        }
    }
}

/// A scalar value.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The value after escape processing.
    pub text: String,
    /// How it was written.
    pub style: Style,
    /// An explicit core tag such as `!!str`, if any (its suffix).
    pub tag: Option<String>,
}

impl Scalar {
    /// Resolves the scalar under the YAML 1.2 core schema (`no` is a string).
    pub fn resolve(&self) -> Resolved<'_> {
        if let Some(tag) = &self.tag {
            return match tag.as_str() {
                "null" => Resolved::Null,
                "bool" => resolve_plain(&self.text),
                "int" | "float" => resolve_plain(&self.text),
                _ => Resolved::Str(&self.text),
            };
        }
        match self.style {
            Style::Plain => resolve_plain(&self.text),
            Style::Quoted | Style::Block => Resolved::Str(&self.text),
        }
    }
}

fn resolve_plain(t: &str) -> Resolved<'_> {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let b = t.as_bytes();
    let digits = |s: &[u8], f: fn(&u8) -> bool| !s.is_empty() && s.iter().all(f);
    let unsigned = b
        .strip_prefix(b"-")
        .or_else(|| b.strip_prefix(b"+"))
        .unwrap_or(b);
    if digits(unsigned, u8::is_ascii_digit)
        || b.strip_prefix(b"0o")
            .is_some_and(|r| digits(r, |c| (b'0'..=b'7').contains(c)))
        || b.strip_prefix(b"0x")
            .is_some_and(|r| digits(r, u8::is_ascii_hexdigit))
    {
        return Resolved::Int(t);
    }
    if is_core_float(unsigned)
        && let Ok(f) = t.parse::<f64>()
    {
        return Resolved::Float(f);
    }
    Resolved::Str(t)
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?` without sign.
fn is_core_float(b: &[u8]) -> bool {
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

/// One key/value pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key node (usually a scalar).
    pub key: Node,
    /// The value node.
    pub value: Node,
}

/// The shape of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A scalar.
    Scalar(Scalar),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, entries in source order, duplicate keys already removed.
    Map(Vec<Entry>),
}

/// A YAML node with its exact byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it is.
    pub kind: Kind,
    /// Where it is.
    pub span: Span,
}

impl Node {
    /// The scalar, if this is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The mapping entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            Kind::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` in a mapping (scalar keys only).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|e| e.key.as_scalar().is_some_and(|s| s.text == key))
            .map(|e| &e.value)
    }

    /// Whether this is a null scalar (`~`, `null` or nothing).
    pub fn is_null(&self) -> bool {
        self.as_scalar()
            .is_some_and(|s| s.resolve() == Resolved::Null)
    }

    /// The number of nodes in this tree, this one included. Iterative, so
    /// deep trees cannot overflow the stack.
    pub fn count(&self) -> usize {
        let mut count = 0;
        let mut todo = vec![self];
        while let Some(n) = todo.pop() {
            count += 1;
            match &n.kind {
                Kind::Scalar(_) => {}
                Kind::Seq(items) => todo.extend(items.iter()),
                Kind::Map(entries) => {
                    for en in entries {
                        todo.push(&en.key);
                        todo.push(&en.value);
                    }
                }
            }
        }
        count
    }

    /// The YAML type name used in messages.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar(s) => s.resolve().type_name(),
            Kind::Seq(_) => "sequence",
            Kind::Map(_) => "mapping",
        }
    }
}

/// A comment in the source (`#` to the end of the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The span from `#` to the end of the line.
    pub span: Span,
    /// The text after `#`.
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(t: &str) -> Scalar {
        Scalar {
            text: t.into(),
            style: Style::Plain,
            tag: None,
        }
    }

    #[test]
    fn whole_numbers_in_every_core_form() {
        for t in ["30", "+30", "030", "0x1E", "0o36"] {
            assert_eq!(Resolved::Int(t).whole_number(), Some(30), "{t}");
        }
        assert_eq!(Resolved::Int("-7").whole_number(), Some(-7));
        assert_eq!(Resolved::Float(30.0).whole_number(), Some(30));
        assert_eq!(Resolved::Float(30.5).whole_number(), None);
        assert_eq!(Resolved::Float(f64::INFINITY).whole_number(), None);
        assert_eq!(Resolved::Str("30").whole_number(), None);
    }

    #[test]
    fn yaml_1_2_core_schema() {
        assert_eq!(plain("no").resolve(), Resolved::Str("no"));
        assert_eq!(plain("yes").resolve(), Resolved::Str("yes"));
        assert_eq!(plain("off").resolve(), Resolved::Str("off"));
        assert_eq!(plain("true").resolve(), Resolved::Bool(true));
        assert_eq!(plain("~").resolve(), Resolved::Null);
        assert_eq!(
            plain("7000000000000000001").resolve(),
            Resolved::Int("7000000000000000001")
        );
        assert_eq!(plain("0x1F").resolve(), Resolved::Int("0x1F"));
        assert_eq!(plain("1.5").resolve(), Resolved::Float(1.5));
        assert_eq!(plain("2026-12-01").resolve(), Resolved::Str("2026-12-01"));
        assert_eq!(plain("1_000").resolve(), Resolved::Str("1_000"));
        let q = Scalar {
            text: "true".into(),
            style: Style::Quoted,
            tag: None,
        };
        assert_eq!(q.resolve(), Resolved::Str("true"));
    }
}
