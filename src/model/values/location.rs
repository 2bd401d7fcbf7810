//! Target locations: country codes and TikTok location IDs.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::diag::Diagnostic;
use crate::model::decode::{Cx, Decode};
use crate::model::geo;
use crate::syntax::{Node, Resolved};

/// A target location: an ISO 3166-1 alpha-2 country code (the friendly
/// form), or a TikTok location ID written as a quoted string of digits
/// (regions, cities, or a country's own ID). The plan sends
/// [`Location::location_id`], always the numeric ID.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// A country by its ISO code, with the TikTok location ID it maps to.
    Country {
        /// The ISO 3166-1 alpha-2 code as written (`US`).
        code: String,
        /// Its TikTok location ID (the country's GeoNames ID, `6252001`).
        id: &'static str,
    },
    /// A TikTok location ID as written (`"6254926"`).
    Id(String),
}

impl Location {
    /// The TikTok location ID sent in `targeting_spec.location_ids`.
    pub fn location_id(&self) -> &str {
        match self {
            Location::Country { id, .. } => id,
            Location::Id(id) => id,
        }
    }

    /// How the location is written in the manifest.
    pub fn as_written(&self) -> &str {
        match self {
            Location::Country { code, .. } => code,
            Location::Id(id) => id,
        }
    }
}

/// The longest location ID accepted (TikTok's are GeoNames IDs, at most
/// 8 digits today; IDs are 64-bit, at most 20 digits).
const MAX_LOCATION_ID_DIGITS: usize = 20;

const LOCATION_NOTE: &str = "TikTok targets locations by numeric location ID; a country can be written as its ISO code, any location (a region, a city) as its ID in quotes, found with TikTok's `/tool/region/` endpoint or in Ads Manager";

impl Decode for Location {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let text = match node.as_scalar().map(|s| (s, s.resolve())) {
            Some((_, Resolved::Str(t))) => t,
            Some((s, Resolved::Int(t))) => {
                let mut d = Diagnostic::new(
                    &crate::model::codes::SP012,
                    format!("location ID `{t}` is written as a number"),
                )
                .primary(node.span, "unquoted ID")
                .note("location IDs are strings of digits, like every TikTok ID; quote them so none is ever rounded")
                .help(format!("quote it: \"{}\"", s.text));
                if let Some(fix) =
                    crate::model::fixes::quote_digits(cx.text, node, "quote the location ID")
                {
                    d = d.fix(fix);
                }
                cx.report(d);
                return None;
            }
            _ => {
                cx.wrong_type(node, "a country code or a quoted location ID");
                return None;
            }
        };
        if let Some((id, _)) = geo::country(text) {
            return Some(Location::Country {
                code: text.to_owned(),
                id,
            });
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            if text.len() <= MAX_LOCATION_ID_DIGITS {
                return Some(Location::Id(text.to_owned()));
            }
            cx.report(
                Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("`{text}` is too long for a TikTok location ID"),
                )
                .primary(
                    node.span,
                    format!("{} digits, at most {MAX_LOCATION_ID_DIGITS}", text.len()),
                )
                .note(LOCATION_NOTE),
            );
            return None;
        }
        let mut d = Diagnostic::new(
            &crate::model::codes::SP004,
            format!("`{text}` is neither an ISO 3166-1 alpha-2 country code nor a location ID"),
        )
        .primary(
            node.span,
            "expected a country code such as `US`, or a location ID such as \"6252001\"",
        )
        .note(LOCATION_NOTE);
        if let Some(h) = geo::suggest(text) {
            d = d.help(h);
        }
        if let Some((code, certain)) = geo::suggest_code(text)
            && let Some(edit) = crate::model::fixes::replace_string(cx.text, node, code)
        {
            let message = format!("replace `{text}` with `{code}`");
            d = d.fix(if certain {
                crate::diag::Fix::safe(message, vec![edit])
            } else {
                crate::diag::Fix::guess(message, vec![edit])
            });
        }
        cx.report(d);
        None
    }
}

impl JsonSchema for Location {
    fn schema_name() -> Cow<'static, str> {
        "Location".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = geo::country_codes().collect();
        json_schema!({
            "description": "A target location: an ISO 3166-1 alpha-2 country code (`US`), mapped to its TikTok location ID, or a TikTok location ID in quotes (`\"6252001\"`) for a country, region or city. Find IDs with TikTok's `/tool/region/` endpoint (`location_id`) or in Ads Manager.",
            "anyOf": [
                {
                    "type": "string",
                    "enum": codes,
                    "description": "ISO 3166-1 alpha-2 country code, e.g. `US` (sent as the country's location ID, its GeoNames ID: `US` → `6252001`)."
                },
                {
                    "type": "string",
                    "pattern": "^[0-9]{1,20}$",
                    "patternErrorMessage": "A location ID is a quoted string of digits, e.g. \"6252001\".",
                    "description": "A TikTok location ID, quoted (from `/tool/region/` or Ads Manager)."
                }
            ],
            "examples": ["US", "6252001"]
        })
    }
}
