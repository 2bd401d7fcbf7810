//! The `api:` pass-through of extra TikTok API fields.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::diag::Diagnostic;
use crate::model::decode::{Cx, Decode, Spanned};
use crate::syntax::{Kind, Node, Resolved};

/// Extra TikTok API fields merged verbatim into the resource's request body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFields(pub Vec<(Spanned<String>, serde_json::Value)>);

impl ApiFields {
    /// Reports SP003 for keys that sparkplan already models for this resource.
    pub fn refuse_modelled(&self, modelled: &[(&str, &str)], cx_diags: &mut Vec<Diagnostic>) {
        for (k, _) in &self.0 {
            if let Some((_, instead)) = modelled.iter().find(|(api, _)| *api == k.value) {
                cx_diags.push(
                    Diagnostic::new(
                        &crate::model::codes::SP003,
                        format!(
                            "`{}` is modelled by sparkplan and cannot be set under `api:`",
                            k.value
                        ),
                    )
                    .primary(k.span, "modelled field")
                    .help(format!("set {instead} instead")),
                );
            }
        }
    }
}

fn to_json(node: &Node, cx: &mut Cx<'_>) -> Option<serde_json::Value> {
    use serde_json::Value;
    Some(match &node.kind {
        Kind::Scalar(s) => match s.resolve() {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => Value::Bool(b),
            // Numbers beyond ±(2^53 - 1) are rounded by JSON tools (and by
            // the editor, whose schema bounds them the same way).
            r @ Resolved::Int(t) => match r.whole_number().and_then(|n| i64::try_from(n).ok()) {
                Some(i) if i.unsigned_abs() < (1 << 53) => Value::from(i),
                _ => {
                    let mut d = Diagnostic::new(
                        &crate::model::codes::SP012,
                        format!("number `{t}` cannot be represented exactly in JSON"),
                    )
                    .primary(node.span, "quote it")
                    .help(format!("write \"{t}\""));
                    // The API then receives a string: right for an ID, a
                    // guess for anything else.
                    if let Some(mut fix) =
                        crate::model::fixes::quote_digits(cx.text, node, "quote the number")
                    {
                        fix.applicability = crate::diag::Applicability::Unsafe;
                        d = d.fix(fix);
                    }
                    cx.report(d);
                    return None;
                }
            },
            Resolved::Float(f) if f.abs() >= 9_007_199_254_740_992.0 => {
                cx.report(
                    Diagnostic::new(
                        &crate::model::codes::SP012,
                        format!("number `{}` cannot be represented exactly in JSON", s.text),
                    )
                    .primary(node.span, "quote it")
                    .help(format!("write \"{}\"", s.text)),
                );
                return None;
            }
            Resolved::Float(f) => match serde_json::Number::from_f64(f) {
                Some(n) => Value::Number(n),
                None => {
                    cx.wrong_type(node, "a finite number");
                    return None;
                }
            },
            Resolved::Str(t) => Value::String(t.to_owned()),
        },
        Kind::Seq(items) => {
            let mut v = Vec::with_capacity(items.len());
            for i in items {
                v.push(to_json(i, cx)?);
            }
            Value::Array(v)
        }
        Kind::Map(entries) => {
            let mut m = serde_json::Map::new();
            for e in entries {
                let Some(k) = e.key.as_scalar() else {
                    cx.wrong_type(&e.key, "a string key");
                    return None;
                };
                m.insert(k.text.clone(), to_json(&e.value, cx)?);
            }
            Value::Object(m)
        }
    })
}

impl Decode for ApiFields {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let Some(map) = node.as_map() else {
            cx.wrong_type(node, "a mapping of TikTok API fields");
            return None;
        };
        let mut out = Vec::with_capacity(map.len());
        let mut ok = true;
        for e in map {
            let Some(k) = e.key.as_scalar() else {
                cx.wrong_type(&e.key, "a string key");
                ok = false;
                continue;
            };
            match to_json(&e.value, cx) {
                Some(v) => out.push((Spanned::new(k.text.clone(), e.key.span), v)),
                None => ok = false,
            }
        }
        ok.then_some(ApiFields(out))
    }
}

impl JsonSchema for ApiFields {
    fn schema_name() -> Cow<'static, str> {
        "ApiFields".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<ApiValue>();
        json_schema!({
            "title": "API fields",
            "type": "object",
            "description": "Extra TikTok API for Business fields merged verbatim into this resource's request body in the plan, for fields sparkplan does not model yet. Fields sparkplan models are refused here.",
            "additionalProperties": value
        })
    }
}

/// The schema of a value under `api:`: any JSON value whose numbers JSON
/// tools keep exactly (what [`ApiFields`] decodes without SP012).
struct ApiValue;

impl JsonSchema for ApiValue {
    fn schema_name() -> Cow<'static, str> {
        "ApiValue".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<ApiValue>();
        json_schema!({
            "description": "A TikTok API field value, passed through verbatim. Numbers stay within ±(2^53 - 1): quote larger IDs.",
            "anyOf": [
                { "type": ["string", "boolean"] },
                { "enum": [null] },
                { "type": "number", "minimum": -9_007_199_254_740_991_i64, "maximum": 9_007_199_254_740_991_i64 },
                { "type": "array", "items": value },
                { "type": "object", "additionalProperties": value }
            ]
        })
    }
}
