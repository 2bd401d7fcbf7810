//! The JSON Schema of a manifest file, for editors (`sparkplan schema`).
//!
//! It is generated with schemars from the same types `check` decodes
//! ([`crate::model`]), so the doc comments there are the descriptions editors
//! show, and then tidied for editors:
//!
//! - JSON Schema draft-07 (`definitions`, `$schema`), the draft with the widest
//!   editor support; only keywords that yaml-language-server reads the same way
//!   across drafts (no `$defs`, `if`/`then`, `dependentRequired`,
//!   `unevaluatedProperties`).
//! - Optional fields are not nullable: `check` rejects `field: ~` (SP004), so
//!   the schema does too (schemars would allow `null` for every `Option`).
//! - A field that refers to a definition keeps its own annotations beside the
//!   `$ref` (description, default, examples): draft-07 validators ignore
//!   them, and yaml-language-server shows them instead of the definition's.
//!   A `$ref` with any other sibling is wrapped in `allOf` (draft-07 would
//!   ignore it).
//! - Object definitions get a title (`Post`, `Ad group`): editors head hovers
//!   and name types in messages with the closest title.
//! - Every `description` is copied to `markdownDescription` (editors render
//!   the backticks), with the line breaks of doc comments unwrapped.
//! - Rust-specific `format`s (`uint32`, `double`) are dropped.
//!
//! `schema/sparkplan.schema.json` is this output, committed; a test fails when
//! it is stale (regenerate with `cargo run -- schema -o schema/sparkplan.schema.json`).

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use crate::model::ManifestFile;

/// Where the schema is kept in the repository.
pub const SCHEMA_PATH: &str = "schema/sparkplan.schema.json";

/// The schema of a manifest file as a JSON value.
pub fn schema() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut root = generator.into_root_schema_for::<ManifestFile>().to_value();
    tidy_schema(&mut root);
    if let Some(Value::Object(defs)) = root.get_mut("definitions") {
        crate::model::defaults::complete_schema(defs);
    }
    if let Some(Value::Object(defs)) = root.get_mut("definitions") {
        for (name, def) in defs.iter_mut() {
            if def.get("type").is_some_and(|t| t == "object")
                && let Value::Object(m) = def
                && !m.contains_key("title")
            {
                m.insert("title".into(), Value::String(title_of(name)));
            }
            tidy_schema(def);
        }
    }
    order_root(root)
}

/// The schema as pretty-printed JSON with a trailing newline, exactly as
/// committed in `schema/sparkplan.schema.json`.
pub fn schema_json() -> String {
    // Serializing a `Value` cannot fail (all keys are strings).
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// Keywords that may stand beside `$ref`: annotations only, which change no
/// validation result whether a validator reads or ignores them.
pub const REF_SIBLINGS: &[&str] = &[
    "title",
    "description",
    "markdownDescription",
    "default",
    "examples",
];

/// Formats JSON Schema draft-07 defines; anything else (schemars' Rust
/// formats such as `uint32`) is dropped.
const STANDARD_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Tidies one schema and, recursively, its subschemas (not the `definitions`
/// map, which the caller walks).
fn tidy_schema(v: &mut Value) {
    let Value::Object(m) = v else { return };
    // Subschemas first.
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(props)) = m.get_mut(key) {
            for p in props.values_mut() {
                tidy_schema(p);
            }
        }
    }
    for key in [
        "additionalProperties",
        "propertyNames",
        "not",
        "contains",
        "additionalItems",
    ] {
        if let Some(s) = m.get_mut(key) {
            tidy_schema(s);
        }
    }
    match m.get_mut("items") {
        Some(Value::Array(items)) => items.iter_mut().for_each(tidy_schema),
        Some(s) => tidy_schema(s),
        None => {}
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(subs)) = m.get_mut(key) {
            subs.iter_mut().for_each(tidy_schema);
        }
    }

    drop_null(m);
    unwrap_ref(m);
    if let Some(Value::String(f)) = m.get("format")
        && !STANDARD_FORMATS.contains(&f.as_str())
    {
        m.remove("format");
    }
    if let Some(Value::String(d)) = m.get("description") {
        let d = unwrap_lines(d);
        m.insert("description".into(), Value::String(d.clone()));
        m.insert("markdownDescription".into(), Value::String(d));
    }
    if let Some(d) = m.get("enumDescriptions").cloned() {
        m.insert("markdownEnumDescriptions".into(), d);
    }
    order_keys(m);
}

/// Keyword order in every schema object, for a file people read: what it is,
/// then its shape, then its constraints; other keywords keep their order.
const KEY_ORDER: &[&str] = &[
    "$ref",
    "title",
    "description",
    "markdownDescription",
    "type",
    "const",
    "enum",
    "enumDescriptions",
    "markdownEnumDescriptions",
    "pattern",
    "default",
    "examples",
];

fn order_keys(m: &mut Map<String, Value>) {
    let mut out = Map::new();
    for k in KEY_ORDER {
        if let Some(v) = m.remove(*k) {
            out.insert((*k).into(), v);
        }
    }
    out.append(m);
    *m = out;
}

/// `AdGroup` → `Ad group`.
fn title_of(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes `null` from a schema's accepted types: `type: [T, "null"]` becomes
/// `type: T`, and `anyOf: [X, {type: null}]` becomes `X` (as `allOf: [X]` when
/// X is a `$ref` and the schema has other keywords).
fn drop_null(m: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = m.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let t = types.remove(0);
            m.insert("type".into(), t);
        }
    }
    let Some(Value::Array(alts)) = m.get_mut("anyOf") else {
        return;
    };
    let before = alts.len();
    let null = serde_json::json!({ "type": "null" });
    alts.retain(|a| *a != null);
    if alts.len() == before || alts.len() != 1 {
        return;
    }
    let Some(Value::Object(only)) = m
        .remove("anyOf")
        .and_then(|mut a| a.as_array_mut().map(|a| a.remove(0)))
    else {
        return;
    };
    if only.contains_key("$ref") {
        m.insert("allOf".into(), Value::Array(vec![Value::Object(only)]));
    } else {
        for (k, val) in only {
            m.entry(k).or_insert(val);
        }
    }
}

/// `{description, allOf: [{$ref}]}` (schemars' draft-07 form of a field with
/// its own docs) becomes `{$ref, description}` when everything beside the
/// `$ref` is an annotation (see [`REF_SIBLINGS`]).
fn unwrap_ref(m: &mut Map<String, Value>) {
    let single_ref = match m.get("allOf") {
        Some(Value::Array(all)) if all.len() == 1 => all[0]
            .as_object()
            .is_some_and(|o| o.len() == 1 && o.contains_key("$ref")),
        _ => false,
    };
    if !single_ref
        || m.keys()
            .any(|k| k != "allOf" && !REF_SIBLINGS.contains(&k.as_str()))
    {
        return;
    }
    if let Some(Value::Array(mut all)) = m.remove("allOf")
        && let Some(Value::Object(r)) = all.pop()
    {
        m.extend(r);
    }
}

/// Joins the lines of each paragraph of a doc comment: editors wrap text
/// themselves, and a hard break mid-sentence reads badly in a tooltip.
fn unwrap_lines(s: &str) -> String {
    s.split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Puts the root's keywords in a readable order: `$schema`, title,
/// descriptions, the shape, then `definitions`.
fn order_root(root: Value) -> Value {
    let Value::Object(mut m) = root else {
        return root;
    };
    let mut out = Map::new();
    for key in [
        "$schema",
        "title",
        "description",
        "markdownDescription",
        "type",
        "required",
        "properties",
        "additionalProperties",
    ] {
        if let Some(v) = m.remove(key) {
            out.insert(key.into(), v);
        }
    }
    let defs = m.remove("definitions");
    out.extend(m);
    if let Some(d) = defs {
        out.insert("definitions".into(), d);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwraps_doc_comment_lines() {
        assert_eq!(unwrap_lines("a\nb\n\nc"), "a b\n\nc");
    }

    #[test]
    fn nullable_option_becomes_plain() {
        let mut v = serde_json::json!({
            "anyOf": [{"$ref": "#/definitions/Id"}, {"type": "null"}],
            "description": "x"
        });
        tidy_schema(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "$ref": "#/definitions/Id",
                "description": "x",
                "markdownDescription": "x"
            })
        );
        let mut v = serde_json::json!({"type": ["string", "null"], "format": "uint32"});
        tidy_schema(&mut v);
        assert_eq!(v, serde_json::json!({"type": "string"}));
    }
}
