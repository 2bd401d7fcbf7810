//! Lowering: the one place where the defaults of the manifest format are
//! applied and derived values are computed.
//!
//! Decoding yields the surface model ([`super::manifest`]): what a file says,
//! with `Option` wherever a key may be left out and a span on every value.
//! The rules, the plan and the authorizations report read a field that has a
//! default, or a value derived from other fields, only through the methods
//! below, never with their own `map_or(default, …)`. The lowered model is a
//! thin typed view: methods on the surface types rather than a second tree,
//! so every caller keeps the spans it reports at, nothing is copied, and a
//! future format version lowers to the same methods.
//!
//! | value | default or derivation | method |
//! |---|---|---|
//! | advertiser `timezone` | `UTC` | [`Advertiser::timezone_name`], [`Advertiser::utc_offset`] |
//! | `status` (campaign, ad group, ad) | `enabled` | [`Campaign::status`], [`AdGroup::status`], [`Ad::status`] |
//! | post `format` | `video` | [`Post::format`] |
//! | post `visibility` | `public` | [`Post::visibility`] |
//! | post `ads_only` | `false` | [`Post::ads_only`] |
//! | post `authorization_days` | 30 | [`Post::authorization_days`] |
//! | a code post's authorization window | `authorized_on` + days, or `authorized_until` | [`auth_window`] |
//! | creative `ads_only` (Spark push) | `true` | [`Creative::ads_only`] |
//! | ad group `placements` | `automatic` (TikTok included) | [`AdGroup::includes_tiktok`] |
//! | ad group `promotion_type` | the objective's only value (`WEBSITE` for web conversions) | [`AdGroup::promotion_type_api`] |
//! | ad group `billing_event` | `CPC` for the goal `click`, `OCPM` otherwise | [`AdGroup::billing_event_api`] |
//!
//! What needs the whole workspace (an account post's advertiser, inferred
//! from its identity) is resolved beside the names, in `rules::common`.

use super::manifest::{
    Ad, AdGroup, Advertiser, Campaign, Creative, Objective, Post, PostFormat, Status, Visibility,
};
use super::values::{Date, UtcOffset};
use crate::api::fields;
use crate::diag::Span;

pub use crate::api::fields::{AUTHORIZATION_DAYS, DEFAULT_AUTHORIZATION_DAYS};

impl Advertiser {
    /// The account's fixed UTC offset (UTC without a `timezone`).
    pub fn utc_offset(&self) -> UtcOffset {
        self.timezone
            .as_ref()
            .map_or(UtcOffset::UTC, |t| t.value.offset)
    }

    /// The account's time zone as written, `UTC` when left out.
    pub fn timezone_name(&self) -> &str {
        self.timezone
            .as_ref()
            .map_or("UTC", |t| t.value.name.as_str())
    }
}

impl Campaign {
    /// `status`, `enabled` when left out.
    pub fn status(&self) -> Status {
        self.status.as_ref().map_or(Status::Enabled, |s| s.value)
    }
}

impl AdGroup {
    /// `status`, `enabled` when left out.
    pub fn status(&self) -> Status {
        self.status.as_ref().map_or(Status::Enabled, |s| s.value)
    }

    /// Whether the ad group delivers on TikTok (placements left out are
    /// `automatic`, which includes TikTok).
    pub fn includes_tiktok(&self) -> bool {
        self.placements
            .as_ref()
            .is_none_or(|p| p.value.includes_tiktok())
    }

    /// The API `promotion_type` sent for this ad group of a campaign with
    /// `objective`: the one written, or the objective's only allowed value
    /// when left out (`WEBSITE` for web conversions: TikTok API docs,
    /// `smart_plus/adgroup/create.promotion_type`); `None` when it is left out
    /// and the objective allows several (SP407 reports it).
    pub fn promotion_type_api(&self, objective: Objective) -> Option<&'static str> {
        if let Some(p) = &self.promotion_type {
            return Some(p.value.api_value());
        }
        match objective
            .smart_plus_api()
            .map_or(&[][..], fields::promotion_types_for)
        {
            [only] => Some(only),
            _ => None,
        }
    }

    /// The API `billing_event` sent: the one written, or the one TikTok
    /// documents for the goal (`CPC` for `CLICK`, otherwise `OCPM`;
    /// `smart_plus/adgroup/create.billing_event`); `None` without either.
    pub fn billing_event_api(&self) -> Option<&'static str> {
        match (&self.billing_event, &self.optimization_goal) {
            (Some(e), _) => Some(e.value.api_value()),
            (None, Some(goal)) => Some(fields::billing_event_for(goal.value.api_value())),
            (None, None) => None,
        }
    }
}

impl Ad {
    /// `status`, `enabled` when left out.
    pub fn status(&self) -> Status {
        self.status.as_ref().map_or(Status::Enabled, |s| s.value)
    }
}

impl Creative {
    /// For Spark push: whether the creative shows through ads only, `true`
    /// when left out (API `dark_post_status: ON`).
    pub fn ads_only(&self) -> bool {
        self.ads_only.as_ref().is_none_or(|b| b.value)
    }
}

impl Post {
    /// `format`, `video` when left out.
    pub fn format(&self) -> PostFormat {
        self.format.as_ref().map_or(PostFormat::Video, |f| f.value)
    }

    /// `visibility`, `public` when left out.
    pub fn visibility(&self) -> Visibility {
        self.visibility
            .as_ref()
            .map_or(Visibility::Public, |v| v.value)
    }

    /// `ads_only` (TikTok Ads Only Mode), `false` when left out.
    pub fn ads_only(&self) -> bool {
        self.ads_only.as_ref().is_some_and(|b| b.value)
    }

    /// `authorization_days`, [`DEFAULT_AUTHORIZATION_DAYS`] when left out.
    pub fn authorization_days(&self) -> u32 {
        self.authorization_days
            .as_ref()
            .map_or(DEFAULT_AUTHORIZATION_DAYS, |d| d.value)
    }

    /// Whether the post is authorized by a video code (and so has an
    /// authorization window).
    pub fn is_code_post(&self) -> bool {
        self.video_code.is_some()
    }
}

/// The authorization window of a code post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthWindow {
    /// `authorized_on`, when the window is given that way.
    pub from: Option<Date>,
    /// The number of days, when the window is given as `authorized_on` + `authorization_days`.
    pub days: Option<u32>,
    /// Whether `authorization_days` was left to its default (30).
    pub default_days: bool,
    /// The last authorized day (inclusive).
    pub end: Date,
    /// Where the window is written (`authorized_on` or `authorized_until`).
    pub span: Span,
}

impl AuthWindow {
    /// A label for the place the window is written, e.g.
    /// "authorized 2026-11-20 for 30 days: through 2026-12-19".
    pub fn label(&self) -> String {
        match (self.from, self.days) {
            (Some(from), Some(days)) => format!(
                "authorized {from} for {days} days{}: through {}",
                if self.default_days {
                    " (the default)"
                } else {
                    ""
                },
                self.end
            ),
            _ => format!("authorized through {}", self.end),
        }
    }
}

/// The authorization window of a code post: `authorized_on` up to and
/// including `authorized_on + days - 1` (days default 30), or through
/// `authorized_until`. `None` for account posts (they do not expire) and when
/// the window is ill-defined (SP104, SP201 report that). The rules, the plan
/// and the authorizations report all read this one function.
pub fn auth_window(post: &Post) -> Option<AuthWindow> {
    if !post.is_code_post() {
        return None;
    }
    match (
        &post.authorized_on,
        &post.authorization_days,
        &post.authorized_until,
    ) {
        (None, None, Some(until)) => Some(AuthWindow {
            from: None,
            days: None,
            default_days: false,
            end: until.value,
            span: until.span,
        }),
        (Some(on), days, None) => {
            let default_days = days.is_none();
            let days = post.authorization_days();
            if !AUTHORIZATION_DAYS.contains(&days) {
                return None;
            }
            Some(AuthWindow {
                from: Some(on.value),
                days: Some(days),
                default_days,
                end: on.value.add_days(i64::from(days) - 1),
                span: on.span,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;
    use crate::model::decode::{Cx, Decode};
    use crate::model::manifest::ManifestFile;

    /// The post `p` of a file, decoded by this layer (no workspace).
    fn post(body: &str) -> Post {
        let text = format!(
            "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"1\"\nposts:\n  p:\n    advertiser: acme\n    video_code: \"#AbCdEf0123456789\"\n{body}"
        );
        let parsed = crate::syntax::parse(FileId(0), &text, &crate::syntax::Limits::default());
        let root = parsed.root.unwrap();
        let mut cx = Cx::new(&text, &parsed.comments, root.span);
        let file = ManifestFile::decode(&root, &mut cx).unwrap();
        assert!(cx.diags.is_empty(), "{:?}", cx.diags);
        let posts = file.posts.unwrap();
        let (_, p) = posts.iter().find(|(n, _)| n.value == "p").unwrap();
        p.clone()
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn defaults_are_applied_once_here() {
        let p = post("    authorized_on: \"2026-11-20\"\n");
        assert_eq!(p.format(), PostFormat::Video);
        assert_eq!(p.visibility(), Visibility::Public);
        assert!(!p.ads_only());
        assert_eq!(p.authorization_days(), DEFAULT_AUTHORIZATION_DAYS);
        let w = auth_window(&p).unwrap();
        assert_eq!(
            (w.from, w.days, w.default_days),
            (Some(date("2026-11-20")), Some(30), true)
        );
        assert_eq!(w.end, date("2026-12-19"));
        assert_eq!(
            w.label(),
            "authorized 2026-11-20 for 30 days (the default): through 2026-12-19"
        );
    }

    /// The one window function: the rules, the plan and the report all see
    /// `None` where SP104 or SP201 report the window, so turning those rules
    /// off cannot make the plan and the expiry rules disagree.
    #[test]
    fn one_window_for_rules_and_plan() {
        let until = post("    authorized_until: \"2026-12-31\"\n");
        let w = auth_window(&until).unwrap();
        assert_eq!((w.from, w.end), (None, date("2026-12-31")));
        let seven = post("    authorized_on: \"2026-11-20\"\n    authorization_days: 7\n");
        assert_eq!(auth_window(&seven).unwrap().end, date("2026-11-26"));
        // Both forms (SP104) and a duration TikTok does not offer (SP201).
        let both =
            post("    authorized_on: \"2026-11-20\"\n    authorized_until: \"2026-12-31\"\n");
        assert_eq!(auth_window(&both), None);
        let odd = post("    authorized_on: \"2026-11-20\"\n    authorization_days: 45\n");
        assert_eq!(auth_window(&odd), None);
        // Neither form: no window.
        assert_eq!(auth_window(&post("")), None);
    }
}
