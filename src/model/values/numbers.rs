//! Small numbers with their own rules: the format version and the Smart+ quota.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::diag::Diagnostic;
use crate::model::decode::{Cx, Decode, describe};
use crate::syntax::Node;

/// The format version (`sparkplan: 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(pub u32);

impl Decode for Version {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.as_scalar().map(|s| s.resolve()) {
            // `1` as an editor reads it (`1`, `0x1`, `1.0` are all JSON 1).
            Some(r) if r.whole_number() == Some(1) => Some(Version(1)),
            _ => {
                cx.report(
                    Diagnostic::new(
                        &crate::syntax::codes::SP006,
                        format!("unsupported format version: {}", describe(node)),
                    )
                    .primary(
                        node.span,
                        "this version of sparkplan reads format version 1",
                    )
                    .help("write `sparkplan: 1`"),
                );
                None
            }
        }
    }
}

impl JsonSchema for Version {
    fn schema_name() -> Cow<'static, str> {
        "Version".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "const": 1,
            "description": "The manifest format version. Always `1`."
        })
    }
}

/// An active Smart+ campaign quota: 50, 200 or 1000 by spend tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota(pub u32);

impl Decode for Quota {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match node.as_scalar().map(|s| s.resolve()) {
            Some(r) if matches!(r.whole_number(), Some(50 | 200 | 1000)) => r
                .whole_number()
                .and_then(|n| u32::try_from(n).ok())
                .map(Quota),
            _ => {
                cx.report(
                    Diagnostic::new(&crate::model::codes::SP004, format!("`smart_plus_campaign_quota` must be 50, 200 or 1000, found {}", describe(node)))
                        .primary(node.span, "not a TikTok quota tier")
                        .note("TikTok's dynamic Smart+ quota is 50, 200 or 1,000 active campaigns, by the highest monthly spend of the past 12 months"),
                );
                None
            }
        }
    }
}

impl JsonSchema for Quota {
    fn schema_name() -> Cow<'static, str> {
        "SmartPlusCampaignQuota".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "integer",
            "enum": [50, 200, 1000],
            "enumDescriptions": [
                "Highest monthly spend in the past 12 months below $1.5k: 50 active Smart+ campaigns.",
                "Highest monthly spend from $1.5k to $150k: 200 active Smart+ campaigns.",
                "Highest monthly spend of $150k or more: 1,000 active Smart+ campaigns."
            ],
            "description": "Active Smart+ campaign quota by spend tier: 50 (<$1.5k), 200 ($1.5k–$150k), 1000 (≥$150k highest monthly spend in the past 12 months)."
        })
    }
}
