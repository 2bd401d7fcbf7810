//! Decoding the spanned YAML tree into the typed model.
//!
//! Decoding never stops at the first problem: every field of every resource
//! is visited and each problem becomes a diagnostic (SP003, SP004, SP005 and
//! the value-specific SP009–SP012). A resource with a problem decodes to
//! `None` and its name is remembered as *broken*, so references to it do not
//! produce a second, misleading diagnostic.

use crate::diag::{Diagnostic, Edit, Fix, Span, closest, ticked_list};
use crate::syntax::{Comment, Entry, Kind, Node, Resolved};

/// A value with the span of the YAML node it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// The decoding context of one file: its comments and the diagnostics found.
pub struct Cx<'a> {
    /// Diagnostics found so far.
    pub diags: Vec<Diagnostic>,
    /// The file's comments (for SP009).
    pub comments: &'a [Comment],
    /// The file's text.
    pub text: &'a str,
    /// The key that owns the value being decoded (labelled by SP005).
    pub owner: Span,
}

impl<'a> Cx<'a> {
    /// A context for a file with `text` and `comments`.
    pub fn new(text: &'a str, comments: &'a [Comment], root: Span) -> Self {
        Cx {
            diags: Vec::new(),
            comments,
            text,
            owner: root,
        }
    }

    /// Records a diagnostic.
    pub fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Reports SP004 "expected X, found Y" at `node`.
    pub fn wrong_type(&mut self, node: &Node, expected: &str) {
        let mut d = Diagnostic::new(
            &crate::model::codes::SP004,
            format!("expected {expected}, found {}", describe(node)),
        )
        .primary(node.span, format!("expected {expected}"));
        if let Some(s) = node.as_scalar()
            && matches!(s.resolve(), Resolved::Str(_))
            && expected.contains("boolean")
            && matches!(
                s.text.as_str(),
                "yes"
                    | "no"
                    | "on"
                    | "off"
                    | "y"
                    | "n"
                    | "Yes"
                    | "No"
                    | "On"
                    | "Off"
                    | "YES"
                    | "NO"
                    | "ON"
                    | "OFF"
            )
        {
            let b = matches!(s.text.to_ascii_lowercase().as_str(), "yes" | "on" | "y");
            d = d
                .note("YAML 1.2 reads `yes`, `no`, `on` and `off` as strings, not booleans")
                .help(format!("use `{b}`"));
            if s.tag.is_none()
                && super::fixes::source(self.text, node.span).is_some_and(|src| !src.contains('\n'))
            {
                d = d.fix(Fix::safe(
                    format!("replace `{}` with `{b}`", s.text),
                    vec![Edit::replace(node.span, b.to_string())],
                ));
            }
        }
        self.report(d);
    }

    /// The mapping entries of `node`, or SP004.
    pub fn expect_map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Entry]> {
        match &node.kind {
            Kind::Map(m) => Some(m),
            _ => {
                self.wrong_type(node, &format!("a mapping ({what})"));
                None
            }
        }
    }

    /// Reports SP003 for every key of `map` that is not in `fields`, and SP004
    /// for keys that are not strings. Returns false if any was found.
    pub fn check_keys(&mut self, map: &[Entry], fields: &[&str], what: &str) -> bool {
        let mut ok = true;
        for e in map {
            let Some(k) = e
                .key
                .as_scalar()
                .filter(|s| matches!(s.resolve(), Resolved::Str(_)))
            else {
                ok = false;
                self.wrong_type(&e.key, "a string key");
                continue;
            };
            if !fields.contains(&k.text.as_str()) {
                ok = false;
                let mut d = Diagnostic::new(
                    &crate::model::codes::SP003,
                    format!("unknown field `{}` in {what}", k.text),
                )
                .primary(e.key.span, "unknown field")
                .note(format!("expected one of {}", ticked_list(fields, "or")));
                if let Some((m, only)) = closest(&k.text, fields.iter().copied()) {
                    d = d.help(format!("did you mean `{m}`?"));
                    // Not when the mapping has that key already (it would
                    // then be there twice).
                    let taken = map
                        .iter()
                        .any(|o| o.key.as_scalar().is_some_and(|s| s.text == m));
                    if only
                        && !taken
                        && let Some(fix) = super::fixes::rename(self.text, &e.key, &k.text, m)
                    {
                        d = d.fix(fix);
                    }
                }
                self.report(d);
            }
        }
        ok
    }

    /// Whether a comment starts on the same line as `span`, after it; used to
    /// detect an unquoted `#code` that YAML read as a comment (SP009).
    pub fn comment_after_on_line(&self, span: Span) -> Option<&'a Comment> {
        let start = span.start as usize;
        let line_end = self
            .text
            .get(start..)
            .and_then(|t| t.find('\n'))
            .map_or(self.text.len(), |i| start + i);
        // Comments are in source order (see `syntax::parse`): a binary search,
        // not a scan, so a file with many comments stays linear.
        let first = self
            .comments
            .partition_point(|c| (c.span.start as usize) < start);
        self.comments[first..]
            .iter()
            .take_while(|c| (c.span.start as usize) <= line_end)
            .find(|c| c.span.file == span.file)
    }
}

/// Describes a node's type for messages: "integer `45`", "a sequence".
pub fn describe(node: &Node) -> String {
    match &node.kind {
        Kind::Scalar(s) => match s.resolve() {
            Resolved::Null => "nothing (null)".to_owned(),
            r => {
                let mut t: String = s.text.chars().take(40).collect();
                if s.text.chars().count() > 40 {
                    t.push('…');
                }
                format!("{} `{t}`", r.type_name())
            }
        },
        Kind::Seq(_) => "a sequence".to_owned(),
        Kind::Map(_) => "a mapping".to_owned(),
    }
}

/// A type that can be decoded from a YAML node.
pub trait Decode: Sized {
    /// Decodes `node`, reporting every problem; `None` when unusable.
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self>;
}

/// How a struct field is read: required (`Spanned<T>`) or optional (`Option<T>`).
pub trait Field: Sized {
    /// Decodes the field `key` of a mapping; `None` means a problem was reported.
    fn field(value: Option<&Entry>, key: &str, what: &str, cx: &mut Cx<'_>) -> Option<Self>;
}

fn with_owner<T>(cx: &mut Cx<'_>, owner: Span, f: impl FnOnce(&mut Cx<'_>) -> T) -> T {
    let saved = std::mem::replace(&mut cx.owner, owner);
    let r = f(cx);
    cx.owner = saved;
    r
}

impl<T: Decode> Field for Spanned<T> {
    fn field(value: Option<&Entry>, key: &str, what: &str, cx: &mut Cx<'_>) -> Option<Self> {
        match value {
            Some(e) => with_owner(cx, e.key.span, |cx| Spanned::<T>::decode(&e.value, cx)),
            None => {
                let owner = cx.owner;
                cx.report(
                    Diagnostic::new(
                        &crate::model::codes::SP005,
                        format!("missing required field `{key}` in {what}"),
                    )
                    .primary(owner, format!("`{key}` is required here"))
                    .help(format!("add `{key}:`")),
                );
                None
            }
        }
    }
}

impl<T: Decode> Field for Option<T> {
    fn field(value: Option<&Entry>, _key: &str, _what: &str, cx: &mut Cx<'_>) -> Option<Self> {
        match value {
            Some(e) => with_owner(cx, e.key.span, |cx| T::decode(&e.value, cx)).map(Some),
            None => Some(None),
        }
    }
}

impl<T: Decode> Decode for Spanned<T> {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        T::decode(node, cx).map(|v| Spanned::new(v, node.span))
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let Some(items) = node.as_seq() else {
            cx.wrong_type(node, "a sequence");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match with_owner(cx, item.span, |cx| T::decode(item, cx)) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

impl Decode for String {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.as_scalar().map(|s| s.resolve()) {
            Some(Resolved::Str(s)) => Some(s.to_owned()),
            _ => {
                cx.wrong_type(node, "a string");
                None
            }
        }
    }
}

impl Decode for bool {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.as_scalar().map(|s| s.resolve()) {
            Some(Resolved::Bool(b)) => Some(b),
            _ => {
                cx.wrong_type(node, "a boolean (`true` or `false`)");
                None
            }
        }
    }
}

impl Decode for u32 {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        // Any whole number the editor sees as one (`30`, `0x1E`, `30.0`).
        match node.as_scalar().map(|s| s.resolve()) {
            Some(r) if r.whole_number().is_some_and(|n| n >= 0) => {
                match r.whole_number().and_then(|n| u32::try_from(n).ok()) {
                    Some(v) => Some(v),
                    None => {
                        cx.report(
                            Diagnostic::new(
                                &crate::model::codes::SP004,
                                format!("{} is too large", describe(node)),
                            )
                            .primary(node.span, "too large"),
                        );
                        None
                    }
                }
            }
            _ => {
                cx.wrong_type(node, "a whole number");
                None
            }
        }
    }
}

impl Decode for f64 {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let v = match node.as_scalar().map(|s| s.resolve()) {
            #[expect(
                clippy::cast_precision_loss,
                reason = "JSON numbers are f64: an integer beyond 2^53 is rounded, as every JSON reader does"
            )]
            Some(r @ Resolved::Int(t)) => r
                .whole_number()
                .map(|n| n as f64)
                .or_else(|| t.strip_prefix('+').unwrap_or(t).parse::<f64>().ok()),
            Some(Resolved::Float(f)) => Some(f),
            _ => None,
        };
        match v {
            Some(f) if f.is_finite() => Some(f),
            _ => {
                cx.wrong_type(node, "a number");
                None
            }
        }
    }
}

/// The YAML key of a struct field: its name without a raw-identifier `r#`.
pub const fn key_name(field: &'static str) -> &'static str {
    let b = field.as_bytes();
    if b.len() > 2 && b[0] == b'r' && b[1] == b'#' {
        let (_, rest) = b.split_at(2);
        if let Ok(r) = core::str::from_utf8(rest) {
            return r;
        }
    }
    field
}

/// Defines a manifest mapping: the struct (with its JSON Schema from the doc
/// comments) and its decoder, from one field list.
macro_rules! manifest_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($what:literal) {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty
            ),* $(,)?
        }
    ) => {
        #[derive(Debug, Clone, PartialEq, schemars::JsonSchema)]
        #[schemars(deny_unknown_fields)]
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $name {
            /// The keys this mapping accepts, in declaration order.
            pub const FIELDS: &'static [&'static str] = &[$($crate::model::decode::key_name(stringify!($field))),*];
            /// What this mapping is called in messages.
            pub const WHAT: &'static str = $what;
        }

        impl $crate::model::decode::Decode for $name {
            fn decode(node: &$crate::syntax::Node, cx: &mut $crate::model::decode::Cx<'_>) -> Option<Self> {
                use $crate::model::decode::Field;
                let map = cx.expect_map(node, $what)?;
                let keys_ok = cx.check_keys(map, Self::FIELDS, $what);
                let find = |k: &str| map.iter().find(|e| e.key.as_scalar().is_some_and(|s| s.text == k));
                $(
                    let $field = { let key = $crate::model::decode::key_name(stringify!($field)); <$ty as Field>::field(find(key), key, $what, cx) };
                )*
                if !keys_ok {
                    return None;
                }
                Some($name { $( $field: $field?, )* })
            }
        }
    };
}
pub(crate) use manifest_struct;

/// Defines a string enum: the variants with their YAML spelling and docs, the
/// JSON Schema (one documented entry per value) and the decoder (SP004 with
/// the allowed values and a "did you mean").
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $s:literal $([$unlisted:ident])?
            ),* $(,)?
        }
    ) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, schemars::JsonSchema)]
        $(#[$meta])*
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[schemars(rename = $s)]
                $( #[schemars(skip)] #[doc = stringify!($unlisted)] )?
                $variant,
            )*
        }

        impl $name {
            /// Every value with its YAML spelling and whether the schema offers it.
            pub const VALUES: &'static [(&'static str, $name, bool)] = &[
                $( ($s, $name::$variant, true $( && { stringify!($unlisted); false } )?), )*
            ];

            /// The YAML spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $s, )*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::model::decode::Decode for $name {
            fn decode(node: &$crate::syntax::Node, cx: &mut $crate::model::decode::Cx<'_>) -> Option<Self> {
                $crate::model::decode::decode_enum(node, cx, $what, Self::VALUES)
            }
        }
    };
}
pub(crate) use string_enum;

/// Shared decoder of [`string_enum!`] types.
pub fn decode_enum<T: Copy>(
    node: &Node,
    cx: &mut Cx<'_>,
    what: &str,
    values: &[(&'static str, T, bool)],
) -> Option<T> {
    let listed: Vec<&str> = values.iter().filter(|v| v.2).map(|v| v.0).collect();
    let text = match node.as_scalar().map(|s| s.resolve()) {
        Some(Resolved::Str(t)) => t,
        _ => {
            cx.report(
                Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("expected {what}, found {}", describe(node)),
                )
                .primary(node.span, format!("expected {what}"))
                .note(format!("allowed values: {}", ticked_list(&listed, "or"))),
            );
            return None;
        }
    };
    if let Some(v) = values.iter().find(|v| v.0 == text) {
        return Some(v.1);
    }
    let mut d = Diagnostic::new(
        &crate::model::codes::SP004,
        format!("`{text}` is not a valid {what}"),
    )
    .primary(node.span, format!("not a valid {what}"))
    .note(format!("allowed values: {}", ticked_list(&listed, "or")));
    if what == "objective" && text.eq_ignore_ascii_case("sales") {
        // Ads Manager's name for the Smart+ objective (manifest.rs, Objective).
        d = d.help("Ads Manager's \"Sales\" objective (website conversions) is `web_conversions`");
    } else if let Some((m, only)) = closest(text, listed.iter().copied()) {
        d = d.help(format!("did you mean `{m}`?"));
        if only && let Some(fix) = super::fixes::rename(cx.text, node, text, m) {
            d = d.fix(fix);
        }
    } else if let Some(v) = values.iter().find(|v| v.0.eq_ignore_ascii_case(text)) {
        d = d.help(format!("values are lower case: `{}`", v.0));
        if let Some(fix) = super::fixes::rename(cx.text, node, text, v.0) {
            d = d.fix(fix);
        }
    }
    cx.report(d);
    None
}
