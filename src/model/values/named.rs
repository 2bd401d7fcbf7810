//! Resource names, references to them and name-keyed maps.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::diag::Diagnostic;
use crate::model::decode::{Cx, Decode, Spanned};
use crate::syntax::{Node, Resolved};

/// The name of a resource (`acme_us`, `jane_unboxing`): letters, digits, `_` and `-`.
pub fn is_valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

const NAME_PATTERN: &str = "^[A-Za-z0-9_-]{1,128}$";

/// A reference to a named resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(pub String);

impl Decode for Name {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let s = String::decode(node, cx)?;
        if is_valid_name(&s) {
            Some(Name(s))
        } else {
            cx.report(
                Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("`{s}` is not a valid name"),
                )
                .primary(node.span, "names use letters, digits, `_` and `-`"),
            );
            None
        }
    }
}

impl JsonSchema for Name {
    fn schema_name() -> Cow<'static, str> {
        "Name".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": NAME_PATTERN,
            "patternErrorMessage": "Names use letters, digits, `_` and `-` (at most 128).",
            "description": "The name of a resource defined in this workspace."
        })
    }
}

/// A mapping from names to resources, in source order. Entries whose body
/// could not be decoded are kept in `broken` so references to them do not
/// produce a second diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T> {
    /// Decoded entries.
    pub entries: Vec<(Spanned<String>, T)>,
    /// Names whose body had problems (already reported).
    pub broken: Vec<Spanned<String>>,
}

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named {
            entries: Vec::new(),
            broken: Vec::new(),
        }
    }
}

impl<T> Named<T> {
    /// Iterates over (name, value).
    pub fn iter(&self) -> impl Iterator<Item = (&Spanned<String>, &T)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<T: Decode> Decode for Named<T> {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let Some(map) = node.as_map() else {
            cx.wrong_type(node, "a mapping of names");
            return None;
        };
        let mut out = Named::default();
        for e in map {
            let Some(k) = e
                .key
                .as_scalar()
                // Any scalar but null: editors and JSON tools read the key
                // `true` or `1.5` as the name "true" or "1.5".
                .filter(|s| !matches!(s.resolve(), Resolved::Null))
            else {
                cx.wrong_type(&e.key, "a name");
                continue;
            };
            let name = Spanned::new(k.text.clone(), e.key.span);
            if !is_valid_name(&k.text) {
                cx.report(
                    Diagnostic::new(
                        &crate::model::codes::SP004,
                        format!("`{}` is not a valid name", k.text),
                    )
                    .primary(
                        e.key.span,
                        "names use letters, digits, `_` and `-` (at most 128)",
                    ),
                );
                out.broken.push(name);
                continue;
            }
            let saved = std::mem::replace(&mut cx.owner, e.key.span);
            let v = T::decode(&e.value, cx);
            cx.owner = saved;
            match v {
                Some(v) => out.entries.push((name, v)),
                None => out.broken.push(name),
            }
        }
        Some(out)
    }
}

impl<T: JsonSchema> JsonSchema for Named<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Named{}", T::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let item = generator.subschema_for::<T>();
        json_schema!({
            "type": "object",
            "propertyNames": {
                "pattern": NAME_PATTERN,
                "patternErrorMessage": "Names use letters, digits, `_` and `-` (at most 128)."
            },
            "additionalProperties": item
        })
    }
}
