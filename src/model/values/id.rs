//! TikTok IDs (SP012).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::diag::Diagnostic;
use crate::model::decode::{Cx, Decode, describe};
use crate::syntax::{Node, Resolved};

/// A TikTok ID: a string of digits, always quoted (19-digit numbers exceed
/// 2^53 and JSON tools round them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(pub String);

impl Decode for Id {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.as_scalar().map(|s| (s, s.resolve())) {
            Some((_, Resolved::Str(t)))
                if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(Id(t.to_owned()))
            }
            Some((s, Resolved::Int(t))) => {
                let mut d = Diagnostic::new(
                    &crate::model::codes::SP012,
                    format!("ID `{t}` is written as a number"),
                )
                .primary(node.span, "unquoted ID")
                .help(format!("quote it: \"{}\"", s.text));
                if let Some(fix) = crate::model::fixes::quote_digits(cx.text, node, "quote the ID")
                {
                    d = d.fix(fix);
                }
                if t.len() > 15 {
                    d = d.note("numbers above 2^53 lose digits in JSON tools and editors, so IDs are strings");
                } else {
                    d = d.note("IDs are strings of digits; quote every ID so none is ever rounded");
                }
                cx.report(d);
                None
            }
            Some((_, Resolved::Str(t))) => {
                cx.report(
                    Diagnostic::new(&crate::model::codes::SP012, format!("ID `{t}` is not all digits"))
                        .primary(node.span, "expected a string of digits")
                        .note("TikTok IDs such as `advertiser_id` and `identity_id` contain only the digits 0-9"),
                );
                None
            }
            _ => {
                cx.report(
                    Diagnostic::new(
                        &crate::model::codes::SP012,
                        format!("expected a quoted ID, found {}", describe(node)),
                    )
                    .primary(node.span, "expected a string of digits"),
                );
                None
            }
        }
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]+$",
            "patternErrorMessage": "A TikTok ID is a quoted string of digits 0-9.",
            "description": "A TikTok ID: digits, always quoted.",
            "examples": ["7000000000000000001"]
        })
    }
}
