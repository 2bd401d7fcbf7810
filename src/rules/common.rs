//! Helpers shared by the domain rules: walking the ads of a workspace with
//! their campaign and ad group, classifying creatives (Spark pull, Spark push,
//! non-Spark), a post's authorization window, and counting for the quota rules.

use std::collections::BTreeMap;

use crate::diag::{FileId, Span};
use crate::model::{
    Ad, AdGroup, Campaign, Creative, Date, Identity, IdentityType, Media, Name, Post, Spanned,
    Today, UtcOffset,
};
use crate::workspace::{Def, Workspace};

pub use crate::api::fields::{AUTHORIZATION_DAYS, DEFAULT_AUTHORIZATION_DAYS};

/// An ad group with the campaign it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct GroupRef<'a> {
    /// The campaign's name.
    pub campaign_name: &'a Spanned<String>,
    /// The campaign.
    pub campaign: &'a Campaign,
    /// The ad group's name.
    pub group_name: &'a Spanned<String>,
    /// The ad group.
    pub group: &'a AdGroup,
}

impl GroupRef<'_> {
    /// Whether the ad group can still deliver on `today`: neither it nor its
    /// campaign is `status: paused`, and its flight has not ended. The expiry
    /// rules (SP202–SP204) judge only ads of such groups, so a finished or
    /// paused campaign does not turn a daily scheduled `check` red.
    pub fn is_live(&self, ws: &Workspace, today: Today) -> bool {
        let today = today.at(advertiser_offset(ws, &self.campaign.advertiser.value.0));
        let paused = |s: &Option<Spanned<crate::model::Status>>| {
            s.as_ref()
                .is_some_and(|s| s.value == crate::model::Status::Paused)
        };
        !paused(&self.campaign.status)
            && !paused(&self.group.status)
            && self
                .group
                .schedule
                .value
                .end
                .as_ref()
                .is_none_or(|e| e.value >= today)
    }

    /// Whether the ad group delivers on TikTok (absent placements are automatic).
    pub fn includes_tiktok(&self) -> bool {
        self.group
            .placements
            .as_ref()
            .is_none_or(|p| p.value.includes_tiktok())
    }

    /// Where the placements are written, or the ad group's name when they are
    /// left to the default (`automatic`).
    pub fn placements_span(&self) -> Span {
        self.group
            .placements
            .as_ref()
            .map_or(self.group_name.span, |p| p.span)
    }

    /// How the placements read in a message.
    pub fn placements_label(&self) -> &'static str {
        match &self.group.placements {
            None => "placements default to `automatic`, which includes TikTok",
            Some(p) if matches!(p.value, crate::model::Placements::Automatic(_)) => {
                "`automatic` placement includes TikTok"
            }
            Some(_) => "TikTok placement",
        }
    }
}

/// An ad with its ad group and campaign.
#[derive(Debug, Clone, Copy)]
pub struct AdRef<'a> {
    /// The ad group (and campaign) the ad belongs to.
    pub group: GroupRef<'a>,
    /// The ad's name.
    pub ad_name: &'a Spanned<String>,
    /// The ad.
    pub ad: &'a Ad,
}

/// Every ad group of the workspace, in campaign then source order.
pub fn groups(ws: &Workspace) -> impl Iterator<Item = GroupRef<'_>> {
    ws.campaigns.values().flat_map(|c| {
        c.value
            .ad_groups
            .iter()
            .flat_map(|g| g.iter())
            .map(move |(group_name, group)| GroupRef {
                campaign_name: &c.name,
                campaign: &c.value,
                group_name,
                group,
            })
    })
}

/// Every ad of the workspace, in campaign then source order.
pub fn ads(ws: &Workspace) -> impl Iterator<Item = AdRef<'_>> {
    groups(ws).flat_map(|g| {
        g.group
            .ads
            .iter()
            .flat_map(|a| a.iter())
            .map(move |(ad_name, ad)| AdRef {
                group: g,
                ad_name,
                ad,
            })
    })
}

/// What a creative is, once its references are resolved.
#[derive(Debug, Clone, Copy)]
pub enum CreativeKind<'a> {
    /// `post:` — Spark pull. `post` is `None` when the name is undefined or broken.
    Pull {
        /// The reference.
        post_ref: &'a Spanned<Name>,
        /// The post, if defined.
        post: Option<&'a Def<Post>>,
    },
    /// `media:` + a `linked_account` or `business_center` identity — Spark push.
    Push {
        /// The media reference.
        media_ref: &'a Spanned<Name>,
        /// The media, if defined.
        media: Option<&'a Def<Media>>,
        /// The identity reference.
        identity_ref: &'a Spanned<Name>,
        /// The identity.
        identity: &'a Def<Identity>,
    },
    /// `media:` + a `custom` identity — a non-Spark creative.
    NonSpark {
        /// The media reference.
        media_ref: &'a Spanned<Name>,
        /// The media, if defined.
        media: Option<&'a Def<Media>>,
        /// The identity reference.
        identity_ref: &'a Spanned<Name>,
        /// The identity.
        identity: &'a Def<Identity>,
    },
    /// `media:` without `identity:` (SP101).
    MediaWithoutIdentity {
        /// The media reference.
        media_ref: &'a Spanned<Name>,
    },
    /// A creative whose shape or references are broken (already reported).
    Unknown,
}

impl CreativeKind<'_> {
    /// Whether it is a Spark creative (pull or push).
    pub fn is_spark(&self) -> bool {
        matches!(self, CreativeKind::Pull { .. } | CreativeKind::Push { .. })
    }
    /// Whether it needs ad texts (push, non-Spark, or media whose identity is missing).
    pub fn is_media(&self) -> bool {
        matches!(
            self,
            CreativeKind::Push { .. }
                | CreativeKind::NonSpark { .. }
                | CreativeKind::MediaWithoutIdentity { .. }
        )
    }
}

/// Classifies a creative: `post:` is Spark pull; `media:` with a linked or
/// Business Center identity is Spark push; with a custom identity, non-Spark.
pub fn classify<'a>(ws: &'a Workspace, c: &'a Creative) -> CreativeKind<'a> {
    match (&c.post, &c.media) {
        (Some(post_ref), None) => CreativeKind::Pull {
            post_ref,
            post: ws.posts.get(&post_ref.value.0),
        },
        (None, Some(media_ref)) => {
            let media = ws.media.get(&media_ref.value.0);
            let Some(identity_ref) = &c.identity else {
                return CreativeKind::MediaWithoutIdentity { media_ref };
            };
            let Some(identity) = ws.identities.get(&identity_ref.value.0) else {
                return CreativeKind::Unknown;
            };
            if identity.value.r#type.value == IdentityType::Custom {
                CreativeKind::NonSpark {
                    media_ref,
                    media,
                    identity_ref,
                    identity,
                }
            } else {
                CreativeKind::Push {
                    media_ref,
                    media,
                    identity_ref,
                    identity,
                }
            }
        }
        _ => CreativeKind::Unknown,
    }
}

/// Whether a creative is a Spark creative, as `classify(ws, c).is_spark()`,
/// without looking up the post of a `post:` creative (it is Spark pull
/// whether or not the post is defined): counting rules run over every
/// creative of the workspace, and the lookups were most of their cost.
pub fn is_spark(ws: &Workspace, c: &Creative) -> bool {
    match (&c.post, &c.media) {
        (Some(_), None) => true,
        _ => classify(ws, c).is_spark(),
    }
}

/// The creatives of an ad with their classification.
pub fn creatives<'a>(
    ws: &'a Workspace,
    ad: &'a Ad,
) -> impl Iterator<Item = (&'a Spanned<Creative>, CreativeKind<'a>)> {
    ad.creatives.value.iter().map(move |c| (c, classify(ws, c)))
}

/// Where a creative names what it uses: its `post:` or `media:` value (the
/// creative's own span covers every line of its mapping).
pub fn creative_span(c: &Spanned<Creative>) -> Span {
    c.value
        .post
        .as_ref()
        .or(c.value.media.as_ref())
        .map_or(c.span, |r| r.span)
}

/// The identity that owns an account post (`identity` + `item_id`), if defined.
pub fn post_identity<'a>(ws: &'a Workspace, post: &Post) -> Option<&'a Def<Identity>> {
    post.identity
        .as_ref()
        .and_then(|i| ws.identities.get(&i.value.0))
}

/// The advertiser a post belongs to: its `advertiser`, or its identity's
/// advertiser. Returns the advertiser's name and where it is written.
pub fn post_advertiser<'a>(ws: &'a Workspace, post: &'a Post) -> Option<&'a Spanned<Name>> {
    if let Some(a) = &post.advertiser {
        return Some(a);
    }
    post_identity(ws, post).map(|i| &i.value.advertiser)
}

/// Whether a post is authorized by a video code (and so has an authorization window).
pub fn is_code_post(post: &Post) -> bool {
    post.video_code.is_some()
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
/// the window is ill-defined (SP104, SP201 report that).
pub fn auth_window(post: &Post) -> Option<AuthWindow> {
    if !is_code_post(post) {
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
            let days = days.map_or(DEFAULT_AUTHORIZATION_DAYS, |d| d.value);
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

/// Why TikTok requires a CTA portfolio (`ad_configuration.call_to_action_id`)
/// for ad `a`, if it does, and labels that show it: lead generation on TikTok
/// placement, or app promotion / web conversions on TikTok placement with a
/// Spark creative (TikTok API, `smart_plus/ad/create.ad_configuration.call_to_action_id`).
/// SP305 (no `call_to_actions` there) and SP308 (the portfolio is missing)
/// share it.
pub struct PortfolioRequired {
    /// "lead_generation on TikTok placement", "… with a Spark creative".
    pub why: String,
    /// The secondary labels: the objective, the placements, the Spark creative.
    pub labels: Vec<(Span, String)>,
}

/// See [`PortfolioRequired`]; `None` when TikTok does not require one.
pub fn portfolio_required(ws: &Workspace, a: &AdRef<'_>) -> Option<PortfolioRequired> {
    if !a.group.includes_tiktok() {
        return None;
    }
    let objective = &a.group.campaign.objective;
    let spark = match objective.value {
        crate::model::Objective::LeadGeneration => None,
        crate::model::Objective::AppPromotion | crate::model::Objective::WebConversions => Some(
            creative_span(creatives(ws, a.ad).find(|(_, k)| k.is_spark())?.0),
        ),
        _ => return None, // SP406
    };
    let mut labels = vec![
        (objective.span, "the campaign's objective".to_owned()),
        (
            a.group.placements_span(),
            a.group.placements_label().to_owned(),
        ),
    ];
    let why = match spark {
        Some(s) => {
            labels.push((s, "a Spark creative".to_owned()));
            format!(
                "{} on TikTok placement with a Spark creative",
                objective.value
            )
        }
        None => format!("{} on TikTok placement", objective.value),
    };
    Some(PortfolioRequired { why, labels })
}

/// Whether an ad is not `status: paused`.
pub fn ad_enabled(ad: &Ad) -> bool {
    ad.status
        .as_ref()
        .is_none_or(|s| s.value != crate::model::Status::Paused)
}

/// Where each post is used: post name → the spans of the `post:` references,
/// in campaign and source order.
pub fn post_uses(ws: &Workspace) -> BTreeMap<&str, Vec<Span>> {
    post_uses_live(ws, None)
}

/// [`post_uses`], counting only enabled ads of ad groups live on `today`
/// (see [`GroupRef::is_live`]) when `today` is given.
pub fn post_uses_live(ws: &Workspace, today: Option<Today>) -> BTreeMap<&str, Vec<Span>> {
    let mut uses: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    for a in ads(ws) {
        if let Some(t) = today
            && !(a.group.is_live(ws, t) && ad_enabled(a.ad))
        {
            continue;
        }
        for c in &a.ad.creatives.value {
            if c.value.media.is_none()
                && let Some(p) = &c.value.post
            {
                uses.entry(p.value.0.as_str()).or_default().push(p.span);
            }
        }
    }
    uses
}

/// [`post_uses`], computed the first time a rule needs it: most runs flag no
/// post, and then the map is never built.
pub struct LazyUses<'a> {
    ws: &'a Workspace,
    live_on: Option<Today>,
    map: Option<BTreeMap<&'a str, Vec<Span>>>,
}

impl<'a> LazyUses<'a> {
    /// Nothing computed yet.
    pub fn new(ws: &'a Workspace) -> Self {
        LazyUses {
            ws,
            live_on: None,
            map: None,
        }
    }

    /// Like [`LazyUses::new`], counting only the ads live on `today`.
    pub fn live(ws: &'a Workspace, today: Today) -> Self {
        LazyUses {
            ws,
            live_on: Some(today),
            map: None,
        }
    }

    /// Where post `name` is used; `None` if no ad uses it.
    pub fn of(&mut self, name: &str) -> Option<&[Span]> {
        let (ws, live_on) = (self.ws, self.live_on);
        self.map
            .get_or_insert_with(|| post_uses_live(ws, live_on))
            .get(name)
            .map(Vec::as_slice)
    }
}

/// The fixed UTC offset of advertiser `name` (UTC when it is not defined).
pub fn advertiser_offset(ws: &Workspace, name: &str) -> UtcOffset {
    ws.advertisers
        .get(name)
        .map_or(UtcOffset::UTC, |a| a.value.utc_offset())
}

/// "used by 1 ad" / "used by 3 ads" for notes.
pub fn uses_note(n: usize) -> String {
    if n == 1 {
        "used by 1 creative".to_owned()
    } else {
        format!("used by {} creatives", fmt_count(n))
    }
}

/// Formats a count with thousands separators: `10,001`.
pub fn fmt_count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Counts per file, for the notes of the quota rules.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// The total.
    pub total: usize,
    /// By file.
    pub by_file: BTreeMap<FileId, usize>,
}

impl Tally {
    /// Counts one item written in `file`.
    pub fn add(&mut self, file: FileId) {
        self.add_many(file, 1);
    }

    /// Counts `n` items written in `file`.
    pub fn add_many(&mut self, file: FileId, n: usize) {
        self.total += n;
        *self.by_file.entry(file).or_insert(0) += n;
    }

    /// The `n` files contributing most, as "`a.yaml` (3,000), `b.yaml` (2,000)".
    pub fn top_files(&self, ws: &Workspace, n: usize) -> String {
        let mut v: Vec<(&str, usize)> = self
            .by_file
            .iter()
            .map(|(f, c)| (ws.sources.path(*f), *c))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = v
            .iter()
            .take(n)
            .map(|(p, c)| format!("`{p}` ({})", fmt_count(*c)))
            .collect();
        let mut s = shown.join(", ");
        if v.len() > n {
            s.push_str(&format!(" and {} more files", v.len() - n));
        }
        s
    }
}

pub use crate::api::fields::SPARK_ADS_LIMIT;

/// Spark Ads per advertiser (the campaign's advertiser): one Spark creative
/// (pull or push) of one ad counts one. Advertisers that are not defined are
/// left out (SP008).
pub fn spark_ads_by_advertiser(ws: &Workspace) -> BTreeMap<&str, Tally> {
    let mut counts: BTreeMap<&str, Tally> = BTreeMap::new();
    for a in ads(ws) {
        let adv = a.group.campaign.advertiser.value.0.as_str();
        if !ws.advertisers.contains_key(adv) {
            continue;
        }
        // An ad is one mapping of one file: count its Spark creatives, then
        // add them at once.
        let n =
            a.ad.creatives
                .value
                .iter()
                .filter(|c| is_spark(ws, &c.value))
                .count();
        if n > 0 {
            counts
                .entry(adv)
                .or_default()
                .add_many(a.ad.creatives.span.file, n);
        }
    }
    counts
}

/// Whether `c` is an emoji or part of an emoji sequence: pictographs
/// (U+1F000–U+1FAFF, U+2600–U+27BF and the emoji of other blocks), the emoji
/// variation selector U+FE0F and the keycap mark U+20E3. Plain text symbols
/// such as `©`, `®` and `™` are not emoji unless followed by U+FE0F.
pub fn is_emoji(c: char) -> bool {
    matches!(
        u32::from(c),
        0x1F000..=0x1FAFF
            | 0x2600..=0x27BF
            | 0xFE0F
            | 0x20E3
            | 0x231A..=0x231B
            | 0x2328
            | 0x23CF
            | 0x23E9..=0x23F3
            | 0x23F8..=0x23FA
            | 0x24C2
            | 0x25AA..=0x25AB
            | 0x25B6
            | 0x25C0
            | 0x25FB..=0x25FE
            | 0x2934..=0x2935
            | 0x2B05..=0x2B07
            | 0x2B1B..=0x2B1C
            | 0x2B50
            | 0x2B55
            | 0x3030
            | 0x303D
            | 0x3297
            | 0x3299
    )
}

/// The first emoji in `s`, with its byte offset.
pub fn find_emoji(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|(_, c)| is_emoji(*c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped() {
        assert_eq!(fmt_count(7), "7");
        assert_eq!(fmt_count(9_000), "9,000");
        assert_eq!(fmt_count(10_001), "10,001");
        assert_eq!(fmt_count(1_234_567), "1,234,567");
    }

    #[test]
    fn emoji_are_found_and_text_is_not() {
        assert_eq!(find_emoji("Holiday deals 🎄"), Some((14, '🎄')));
        assert!(find_emoji("Sale ☀ today").is_some());
        assert!(find_emoji("Keycap 1\u{FE0F}\u{20E3}").is_some());
        assert!(find_emoji("Family 👨\u{200D}👩").is_some());
        assert!(find_emoji("Acme® kettles™ © 2026").is_none());
        assert!(find_emoji("Café, naïve, 日本語, नमस्ते").is_none());
        assert!(find_emoji("Flag 🇺🇸").is_some());
    }
}
