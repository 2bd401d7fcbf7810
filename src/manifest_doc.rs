//! `docs/manifest.md`: the reference of the manifest format, generated from
//! the JSON Schema ([`crate::schema`]), which is generated from the types
//! `check` decodes ([`crate::model`]). Every section and field, its type,
//! whether it is required, its default, the TikTok API field it becomes and
//! an example come from there; the API field of each manifest field is the
//! table [`API_FIELDS`] (a test fails when a field has no row, or a row no
//! field). The guided tour is [`TOUR`].
//!
//! The committed file is this output; `tests/manifest_doc.rs` fails when it
//! is stale and rewrites it with `SPARKPLAN_BLESS=1 cargo test --test
//! manifest_doc`.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// Where the reference is kept in the repository.
pub const MANIFEST_DOC_PATH: &str = "docs/manifest.md";

/// The mappings documented, in reading order: (schema definition, heading).
/// `""` is the file itself (the schema's root).
pub const SECTIONS: &[(&str, &str)] = &[
    ("", "The file"),
    ("Advertiser", "advertisers"),
    ("Identity", "identities"),
    ("Post", "posts"),
    ("Media", "media"),
    ("Campaign", "campaigns"),
    ("Budget", "budget (of a campaign or an ad group)"),
    ("AdGroup", "ad_groups (of a campaign)"),
    ("Schedule", "schedule (of an ad group)"),
    ("Ad", "ads (of an ad group)"),
    ("Creative", "creatives (of an ad)"),
];

/// The TikTok API field each manifest field becomes, by (definition, field):
/// a path in the request body of the call named, or `—` with what happens
/// instead. Sources: `src/plan/state.rs` (which builds the bodies) and the
/// official SDK trees (`tests/data/tiktok-api/schema_smart_plus_*.txt`).
pub const API_FIELDS: &[(&str, &str, &str)] = &[
    ("", "sparkplan", "— (the format version)"),
    ("", "advertisers", "— (read, not created)"),
    ("", "identities", "— (read, not created)"),
    ("", "posts", "`tt_video/authorize` for code posts"),
    ("", "media", "— (read, not created)"),
    ("", "campaigns", "`smart_plus/campaign/create`"),
    (
        "Advertiser",
        "advertiser_id",
        "`advertiser_id` of every call",
    ),
    ("Advertiser", "business_center_id", "— (recorded)"),
    (
        "Advertiser",
        "timezone",
        "— (dates become `schedule_start_time`/`schedule_end_time` in UTC+0)",
    ),
    (
        "Advertiser",
        "smart_plus_campaign_quota",
        "— (checked: SP405)",
    ),
    ("Advertiser", "api", "— (not sent)"),
    ("Identity", "type", "`creative_info.identity_type`"),
    ("Identity", "advertiser", "— (checked: SP102)"),
    ("Identity", "identity_id", "`creative_info.identity_id`"),
    (
        "Identity",
        "business_center_id",
        "`creative_info.identity_authorized_bc_id`",
    ),
    ("Identity", "handle", "— (shown)"),
    ("Identity", "display_name", "— (recorded)"),
    ("Identity", "api", "— (not sent)"),
    (
        "Post",
        "advertiser",
        "`advertiser_id` of `tt_video/authorize`",
    ),
    ("Post", "video_code", "`auth_code` of `tt_video/authorize`"),
    (
        "Post",
        "original_video_code",
        "`original_post_auth_code` of `tt_video/authorize`",
    ),
    (
        "Post",
        "identity",
        "`creative_info.identity_type`, `identity_id`",
    ),
    ("Post", "creator", "— (shown by `sparkplan authorizations`)"),
    ("Post", "item_id", "`creative_info.tiktok_item_id`"),
    ("Post", "authorized_on", "— (checked: SP2xx)"),
    ("Post", "authorization_days", "— (checked: SP2xx)"),
    ("Post", "authorized_until", "— (checked: SP2xx)"),
    (
        "Post",
        "caption",
        "— (the ad text of a pull ad; checked: SP501)",
    ),
    ("Post", "visibility", "— (checked: SP302, SP502)"),
    ("Post", "ads_only", "— (checked: SP302)"),
    ("Post", "format", "`creative_info.ad_format`"),
    ("Post", "music_id", "`creative_info.music_info.music_id`"),
    ("Post", "api", "merged into the `tt_video/authorize` body"),
    ("Media", "advertiser", "— (checked: SP102)"),
    ("Media", "video_id", "`creative_info.video_info.video_id`"),
    (
        "Media",
        "cover_image",
        "`creative_info.image_info[].web_uri`",
    ),
    ("Media", "api", "merged into `creative_info`"),
    ("Campaign", "advertiser", "`advertiser_id`"),
    (
        "Campaign",
        "type",
        "— (always `smart_plus/campaign/create`)",
    ),
    ("Campaign", "objective", "`objective_type`"),
    ("Campaign", "status", "`operation_status`"),
    ("Campaign", "sales_destination", "`sales_destination`"),
    ("Campaign", "app_promotion_type", "`app_promotion_type`"),
    (
        "Campaign",
        "budget",
        "`budget_optimize_on`, `budget_mode`, `budget`",
    ),
    ("Campaign", "ad_groups", "`smart_plus/adgroup/create`"),
    ("Campaign", "name", "`campaign_name`"),
    (
        "Campaign",
        "ad_group_defaults",
        "— (copied into each of its ad groups before decoding: docs/reuse.md)",
    ),
    (
        "Campaign",
        "renamed_from",
        "— (the plan carries the campaign over)",
    ),
    (
        "Campaign",
        "api",
        "merged into the `smart_plus/campaign/create` body",
    ),
    ("Budget", "mode", "`budget_mode`"),
    ("Budget", "amount", "`budget`"),
    (
        "AdGroup",
        "schedule",
        "`schedule_type`, `schedule_start_time`, `schedule_end_time`",
    ),
    ("AdGroup", "placements", "`placement_type`, `placements`"),
    ("AdGroup", "locations", "`targeting_spec.location_ids`"),
    (
        "AdGroup",
        "budget",
        "`budget_mode`, `budget` (without a campaign budget)",
    ),
    ("AdGroup", "promotion_type", "`promotion_type`"),
    (
        "AdGroup",
        "promotion_target_type",
        "`promotion_target_type`",
    ),
    ("AdGroup", "optimization_goal", "`optimization_goal`"),
    ("AdGroup", "optimization_event", "`optimization_event`"),
    ("AdGroup", "pixel_id", "`pixel_id`"),
    ("AdGroup", "app_id", "`app_id`"),
    ("AdGroup", "billing_event", "`billing_event`"),
    ("AdGroup", "bid_type", "`bid_type`"),
    ("AdGroup", "bid_price", "`bid_price`"),
    ("AdGroup", "conversion_bid_price", "`conversion_bid_price`"),
    ("AdGroup", "roas_bid", "`roas_bid`"),
    ("AdGroup", "ads", "`smart_plus/ad/create`"),
    ("AdGroup", "status", "`operation_status`"),
    ("AdGroup", "name", "`adgroup_name`"),
    (
        "AdGroup",
        "renamed_from",
        "— (the plan carries the ad group over)",
    ),
    (
        "AdGroup",
        "api",
        "merged into the `smart_plus/adgroup/create` body",
    ),
    (
        "Schedule",
        "start",
        "`schedule_start_time` (00:00:00 in the account's zone, in UTC+0)",
    ),
    (
        "Schedule",
        "end",
        "`schedule_end_time` (23:59:59 in the account's zone, in UTC+0)",
    ),
    ("Ad", "creatives", "`creative_list[].creative_info`"),
    ("Ad", "ad_texts", "`ad_text_list[].ad_text`"),
    (
        "Ad",
        "call_to_action_portfolio",
        "`ad_configuration.call_to_action_id`",
    ),
    (
        "Ad",
        "call_to_actions",
        "`call_to_action_list[].call_to_action`",
    ),
    (
        "Ad",
        "landing_page_url",
        "`landing_page_url_list[].landing_page_url`",
    ),
    ("Ad", "status", "`operation_status`"),
    ("Ad", "name", "`ad_name`"),
    ("Ad", "renamed_from", "— (the plan carries the ad over)"),
    ("Ad", "api", "merged into the `smart_plus/ad/create` body"),
    (
        "Creative",
        "post",
        "`creative_info.tiktok_item_id`, `identity_type`, `identity_id`",
    ),
    (
        "Creative",
        "media",
        "`creative_info.video_info`, `image_info`",
    ),
    (
        "Creative",
        "identity",
        "`creative_info.identity_type`, `identity_id`",
    ),
    (
        "Creative",
        "ads_only",
        "`ad_configuration.dark_post_status`",
    ),
    ("Creative", "api", "merged into `creative_info`"),
];

/// The guided tour: the first part of `docs/manifest.md`.
pub const TOUR: &str = include_str!("manifest_doc_tour.md");

/// The API field of `field` in `def`, if listed.
pub fn api_field(def: &str, field: &str) -> Option<&'static str> {
    API_FIELDS
        .iter()
        .find(|(d, f, _)| *d == def && *f == field)
        .map(|r| r.2)
}

/// The fields of `def` in the schema (`""`: the root), in declaration order.
pub fn schema_fields<'s>(schema: &'s Value, def: &str) -> Vec<&'s str> {
    object(schema, def)
        .and_then(|o| o.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn object<'s>(schema: &'s Value, def: &str) -> Option<&'s Map<String, Value>> {
    if def.is_empty() {
        schema.as_object()
    } else {
        schema.get("definitions")?.get(def)?.as_object()
    }
}

fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

/// The heading of a documented definition, or of an enum's value table.
fn link(schema: &Value, def: &str) -> String {
    if let Some((_, h)) = SECTIONS.iter().find(|(d, _)| *d == def) {
        return format!("[{def}](#{})", anchor(h));
    }
    if enum_values(schema, def).is_some() {
        return format!("[{def}](#{})", anchor(def));
    }
    let simple = match def {
        "Name" => "name",
        "Id" => "ID (quoted digits)",
        "Date" => "date `YYYY-MM-DD`",
        "VideoCode" => "video code (quoted)",
        "Timezone" => "time zone",
        "Version" => "`1`",
        "ApiFields" => "mapping of API fields",
        "Location" => "location",
        "Placements" => "`automatic`, or a list of [Placement](#placement)",
        "BidAmount" => "number > 0",
        "RoasBid" => "number, 0.01 to 1,000",
        "OptimizationEvent" => "optimization event (see below)",
        "SmartPlusCampaignQuota" => "`50`, `200` or `1000`",
        _ => def,
    };
    simple.to_owned()
}

fn ref_name(v: &Value) -> Option<&str> {
    v.get("$ref")
        .or_else(|| v.get("allOf")?.get(0)?.get("$ref"))?
        .as_str()?
        .strip_prefix("#/definitions/")
}

fn type_label(schema: &Value, v: &Value) -> String {
    if let Some(r) = ref_name(v) {
        return link(schema, r);
    }
    match v.get("type").and_then(Value::as_str) {
        Some("array") => format!(
            "list of {}",
            v.get("items")
                .map_or("values".to_owned(), |i| type_label(schema, i))
        ),
        Some("object") => match v.get("additionalProperties") {
            Some(a) if a.is_object() => format!("mapping: name → {}", type_label(schema, a)),
            _ => "mapping".to_owned(),
        },
        Some("integer") if v.get("enum").is_some() => {
            let vals: Vec<String> = v
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|x| format!("`{x}`"))
                .collect();
            vals.join(", ")
        }
        Some(t) => t.to_owned(),
        None => "value".to_owned(),
    }
}

/// `(value, description)` of a string enum definition (`oneOf` of consts).
fn enum_values(schema: &Value, def: &str) -> Option<Vec<(String, String)>> {
    let one_of = object(schema, def)?.get("oneOf")?.as_array()?;
    one_of
        .iter()
        .map(|v| {
            Some((
                v.get("const")?.as_str()?.to_owned(),
                text(v.get("description")).to_owned(),
            ))
        })
        .collect()
}

fn text(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str).unwrap_or("")
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        _ => serde_json::to_string(v).unwrap_or_default(),
    }
}

/// A YAML-ish example of a field's value.
fn example(schema: &Value, v: &Value) -> String {
    let own = v
        .get("examples")
        .and_then(|e| e.get(0))
        .or_else(|| v.get("default"));
    let from_def = || {
        let d = object(schema, ref_name(v)?)?;
        d.get("examples")
            .and_then(|e| e.get(0))
            .or_else(|| d.get("default"))
            .or_else(|| d.get("const"))
            .or_else(|| d.get("oneOf")?.get(0)?.get("const"))
    };
    let item = || {
        let items = v.get("items")?;
        Some(Value::String(format!("[{}]", example(schema, items))))
    };
    match own.or_else(from_def) {
        Some(Value::String(s)) if ref_name(v) == Some("Id") || s.starts_with('#') => {
            format!("`\"{s}\"`")
        }
        Some(x) => format!("`{}`", compact(x)),
        None => match item() {
            Some(Value::String(s)) if s != "[—]" => s.replace('`', ""),
            _ => "—".to_owned(),
        }
        .replace('[', "`[")
        .replace(']', "]`"),
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The whole `docs/manifest.md`.
pub fn manifest_doc() -> String {
    let schema = crate::schema::schema();
    let mut s = String::new();
    s.push_str("<!-- Generated from the manifest model (src/model/manifest.rs, via src/manifest_doc.rs): do not edit.\n     Regenerate with `SPARKPLAN_BLESS=1 cargo test --test manifest_doc`. -->\n\n");
    s.push_str(TOUR);
    s.push_str("\n## Reference\n\nEvery mapping of a manifest file and every field, generated from the same types as the JSON\nSchema (`schema/sparkplan.schema.json`) and `check`. *Required*: `yes` when the field must always\nbe there (SP005 otherwise), `when stated` when the description says when, `no` otherwise.\n*TikTok API field*: where the value goes in the request bodies of the plan (`docs/plan-format.md`).\n");
    for (def, heading) in SECTIONS {
        let Some(o) = object(&schema, def) else {
            continue;
        };
        let _ = writeln!(s, "\n### {heading}\n");
        let _ = writeln!(s, "{}\n", text(o.get("description")));
        let required: Vec<&str> = o
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        s.push_str("| field | type | required | default | TikTok API field | example | description |\n|---|---|---|---|---|---|---|\n");
        let props = o.get("properties").and_then(Value::as_object);
        for (field, v) in props.into_iter().flatten() {
            let desc = text(v.get("description"));
            let req = if required.contains(&field.as_str()) {
                "yes"
            } else if desc.contains("equired") {
                "when stated"
            } else {
                "no"
            };
            let default = v
                .get("default")
                .map_or("—".to_owned(), |d| format!("`{}`", compact(d)));
            let _ = writeln!(
                s,
                "| `{field}` | {} | {req} | {} | {} | {} | {} |",
                cell(&type_label(&schema, v)),
                cell(&default),
                cell(api_field(def, field).unwrap_or("—")),
                cell(&example(&schema, v)),
                cell(desc)
            );
        }
    }
    s.push_str("\n## Values\n\nThe values of each enumeration, as written in a manifest, and what TikTok calls them.\n");
    let mut enums: Vec<(&String, Vec<(String, String)>)> = schema
        .get("definitions")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, _)| Some((k, enum_values(&schema, k)?)))
        .collect();
    enums.sort_by(|a, b| a.0.cmp(b.0));
    for (name, values) in enums {
        let _ = writeln!(s, "\n### {name}\n");
        let d = object(&schema, name)
            .map(|o| text(o.get("description")))
            .unwrap_or("");
        let _ = writeln!(s, "{d}\n");
        s.push_str("| value | meaning |\n|---|---|\n");
        for (v, desc) in values {
            let _ = writeln!(s, "| `{v}` | {} |", cell(&desc));
        }
    }
    if let Some(ev) = object(&schema, "OptimizationEvent") {
        let vals: Vec<String> = ev
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|v| format!("`{}`", compact(v)))
            .collect();
        let _ = writeln!(
            s,
            "\n### OptimizationEvent\n\n{}\n\n{}",
            text(ev.get("description")),
            vals.join(", ")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of every documented mapping has its API row, and every
    /// row its field: a new field cannot be left out of the reference.
    #[test]
    fn every_field_has_its_api_field_and_every_row_a_field() {
        let schema = crate::schema::schema();
        for (def, _) in SECTIONS {
            for f in schema_fields(&schema, def) {
                assert!(
                    api_field(def, f).is_some(),
                    "no API_FIELDS row for {def}.{f}"
                );
            }
        }
        for (def, field, _) in API_FIELDS {
            assert!(
                schema_fields(&schema, def).contains(field),
                "API_FIELDS row {def}.{field} has no field"
            );
        }
    }
}
