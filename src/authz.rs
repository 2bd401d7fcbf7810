//! The inventory of video-code authorizations (`sparkplan authorizations`):
//! one row per code post, its window in its ad account's dates, how many
//! days are left, and the enabled ads that use it. Data only: the formats
//! are in `render::authz` (a higher layer), and the library never prints.
//!
//! Windows and "today" come from the rules' own helpers
//! ([`common::auth_window`], [`Today::at`] at [`common::advertiser_offset`],
//! [`common::GroupRef::is_live`]), so the inventory and SP202–SP204 agree.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{PostFormat, Today};
use crate::rules::common;
use crate::workspace::Workspace;

/// The version of the JSON document's shape.
pub const FORMAT_VERSION: &str = "1";

/// Where the JSON Schema of the document is committed.
pub const SCHEMA_PATH: &str = "schema/authorizations.schema.json";

/// The inventory: every code post's authorization, sorted by end date, then
/// post name.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(
    title = "sparkplan authorizations",
    extend("$id" = "https://sparkplan.dev/schema/authorizations.schema.json")
)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// The version of this document's shape: always `"1"`.
    #[schemars(extend("const" = "1"))]
    pub format_version: String,
    /// The date the inventory was made for, `YYYY-MM-DD`: `--today`, else
    /// the date in UTC at the run's instant (each row has its account's own
    /// `today`).
    pub today: String,
    /// The warning window in days (`expiry_warning_days` in sparkplan.toml):
    /// a row whose `days_left` is below it is `ending`.
    pub expiry_warning_days: u32,
    /// `--within`: only rows ending within this many days are listed
    /// (`null`: every row).
    pub within: Option<u32>,
    /// The authorizations.
    pub authorizations: Vec<Authorization>,
}

/// Where an authorization stands on its account's today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Authorized, used by an enabled ad, and more than the warning window left.
    Active,
    /// Used by an enabled ad and ends within the warning window.
    Ending,
    /// The last authorized day has passed.
    Expired,
    /// Authorized from a day after today.
    NotStarted,
    /// Within its window, but no enabled ad of a live ad group uses it.
    Unused,
}

impl Status {
    /// The spelling in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Ending => "ending",
            Status::Expired => "expired",
            Status::NotStarted => "not_started",
            Status::Unused => "unused",
        }
    }
}

/// One code post's authorization.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    /// The ad account (advertiser name) the code is authorized to; `null`
    /// when the post names none (reported by `check`).
    pub advertiser: Option<String>,
    /// The post's name.
    pub post: String,
    /// The video code.
    pub video_code: String,
    /// The creator, when the manifests know it: the post's `creator` handle,
    /// else the handle (or display name, or name) of its `identity`.
    pub creator: Option<String>,
    /// `video`, `photo`, `duet` or `stitch`.
    pub format: String,
    /// For a duet or stitch: the video code of the original post.
    pub original_video_code: Option<String>,
    /// The first authorized day (`null` when only `authorized_until` is known).
    pub from: Option<String>,
    /// The last authorized day, in the account's zone.
    pub until: String,
    /// The account's fixed UTC offset, `UTC±HH:MM`.
    pub utc_offset: String,
    /// Today in the account's zone.
    pub today: String,
    /// Days from the account's today to the last day: 0 on the last day,
    /// negative once expired.
    pub days_left: i64,
    /// Where the authorization stands.
    pub status: Status,
    /// The enabled ads of live ad groups that use the post, in campaign and
    /// source order.
    pub used_by: Vec<Use>,
}

/// An enabled ad that uses a code post.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Use {
    /// The campaign's name.
    pub campaign: String,
    /// The ad group's name.
    pub ad_group: String,
    /// The ad's name.
    pub ad: String,
    /// The ad group's last day of delivery; `null` when it runs continuously.
    pub flight_end: Option<String>,
    /// Whether the flight goes on after the authorization's last day (or
    /// runs continuously): the ad stops delivering before its flight ends.
    pub outlives_code: bool,
}

/// What to list.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The run's today.
    pub today: Today,
    /// `expiry_warning_days`.
    pub expiry_warning_days: u32,
    /// `--within`.
    pub within: Option<u32>,
}

impl Authorization {
    /// Whether it ends within `days` days: `days_left < days`. An expired
    /// authorization counts only while an enabled ad still uses it (what
    /// still needs doing), so old codes do not fill every weekly list.
    pub fn ends_within(&self, days: u32) -> bool {
        self.days_left < i64::from(days) && (self.days_left >= 0 || !self.used_by.is_empty())
    }
}

impl Inventory {
    /// Whether an enabled ad uses an authorization that ends within `days`
    /// days (or has ended): `--fail-within`.
    pub fn fails_within(&self, days: u32) -> bool {
        self.authorizations
            .iter()
            .any(|a| !a.used_by.is_empty() && a.days_left < i64::from(days))
    }
}

/// The inventory of a workspace. Posts whose window is ill-defined (reported
/// by `check`) are left out.
pub fn inventory(ws: &Workspace, opts: &Options) -> Inventory {
    let users = users(ws, opts.today);
    let mut rows = Vec::new();
    for (name, def) in &ws.posts {
        let post = &def.value;
        let Some(window) = common::auth_window(post) else {
            continue;
        };
        let Some(code) = &post.video_code else {
            continue;
        };
        let advertiser = common::post_advertiser(ws, post).map(|a| a.value.0.clone());
        let offset = advertiser
            .as_deref()
            .map_or(crate::model::UtcOffset::UTC, |a| {
                common::advertiser_offset(ws, a)
            });
        let today = opts.today.at(offset);
        let days_left = window.end.days - today.days;
        let used_by: Vec<Use> = users
            .get(name.as_str())
            .into_iter()
            .flatten()
            .map(|a| {
                let end = a.group.group.schedule.value.end.as_ref().map(|e| e.value);
                Use {
                    campaign: a.group.campaign_name.value.clone(),
                    ad_group: a.group.group_name.value.clone(),
                    ad: a.ad_name.value.clone(),
                    flight_end: end.map(|e| e.to_string()),
                    outlives_code: end.is_none_or(|e| e > window.end),
                }
            })
            .collect();
        let status = if days_left < 0 {
            Status::Expired
        } else if window.from.is_some_and(|f| f > today) {
            Status::NotStarted
        } else if used_by.is_empty() {
            Status::Unused
        } else if days_left < i64::from(opts.expiry_warning_days) {
            Status::Ending
        } else {
            Status::Active
        };
        let creator = post.creator.as_ref().map(|c| c.value.clone()).or_else(|| {
            common::post_identity(ws, post).map(|i| {
                i.value
                    .handle
                    .as_ref()
                    .or(i.value.display_name.as_ref())
                    .map_or_else(|| i.name.value.clone(), |h| h.value.clone())
            })
        });
        let row = Authorization {
            advertiser,
            post: name.clone(),
            video_code: code.value.0.clone(),
            creator,
            format: post
                .format
                .as_ref()
                .map_or(PostFormat::Video, |f| f.value)
                .as_str()
                .to_owned(),
            original_video_code: post.original_video_code.as_ref().map(|c| c.value.0.clone()),
            from: window.from.map(|d| d.to_string()),
            until: window.end.to_string(),
            utc_offset: offset.to_string(),
            today: today.to_string(),
            days_left,
            status,
            used_by,
        };
        if opts.within.is_none_or(|n| row.ends_within(n)) {
            rows.push((window.end, row));
        }
    }
    // Post names are unique, so the order is total.
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.post.cmp(&b.1.post)));
    Inventory {
        format_version: FORMAT_VERSION.to_owned(),
        today: opts.today.utc().to_string(),
        expiry_warning_days: opts.expiry_warning_days,
        within: opts.within,
        authorizations: rows.into_iter().map(|(_, r)| r).collect(),
    }
}

/// Post name → the enabled ads of live ad groups (as SP202–SP204 count
/// them) that use it, each ad once, in campaign and source order.
fn users(ws: &Workspace, today: Today) -> BTreeMap<&str, Vec<common::AdRef<'_>>> {
    let mut map: BTreeMap<&str, Vec<common::AdRef<'_>>> = BTreeMap::new();
    for a in common::ads(ws) {
        if !(common::ad_enabled(a.ad) && a.group.is_live(ws, today)) {
            continue;
        }
        let mut seen: Vec<&str> = Vec::new();
        for c in &a.ad.creatives.value {
            if c.value.media.is_none()
                && let Some(p) = &c.value.post
                && !seen.contains(&p.value.0.as_str())
            {
                seen.push(p.value.0.as_str());
                map.entry(p.value.0.as_str()).or_default().push(a);
            }
        }
    }
    map
}

/// The JSON Schema (draft-07) of the JSON inventory, as committed in
/// [`SCHEMA_PATH`].
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Inventory>();
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
