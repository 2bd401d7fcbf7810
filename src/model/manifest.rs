//! The manifest format, version 1: every mapping and enum of a manifest file.
//!
//! The doc comments here are the descriptions of the JSON Schema that editors
//! show, and the same types are what `check` decodes, so the two cannot drift.

use super::decode::{Spanned, manifest_struct, string_enum};
use super::values::{
    ApiFields, Date, Id, Location, Name, Named, Quota, Timezone, Version, VideoCode,
};
use crate::api::fields;

manifest_struct! {
    /// A sparkplan manifest file. Files of a workspace merge into one namespace:
    /// each name is defined once across all files.
    #[schemars(title = "sparkplan manifest", extend("required" = ["sparkplan"]))]
    pub struct ManifestFile ("manifest") {
        /// The manifest format version. Always `1`.
        pub sparkplan: Option<Spanned<Version>>,
        /// Ad accounts (TikTok Ads Manager advertiser accounts), by name.
        pub advertisers: Option<Named<Advertiser>>,
        /// TikTok identities an ad can be presented as, by name.
        pub identities: Option<Named<Identity>>,
        /// Organic TikTok posts used as Spark Ads ("pull"), by name.
        pub posts: Option<Named<Post>>,
        /// Creatives pushed from Ads Manager ("push") or used as non-Spark ads, by name.
        pub media: Option<Named<Media>>,
        /// Smart+ campaigns, by name.
        pub campaigns: Option<Named<Campaign>>,
    }
}

manifest_struct! {
    /// A TikTok Ads Manager account.
    pub struct Advertiser ("advertiser") {
        /// The advertiser (ad account) ID, digits, quoted.
        #[schemars(example = "7000000000000000001")]
        pub advertiser_id: Spanned<Id>,
        /// The Business Center that owns the account, if any.
        pub business_center_id: Option<Spanned<Id>>,
        /// The account's time zone, one fixed UTC offset all year (default `UTC`): `UTC±HH:MM` as Ads Manager shows it, or an IANA name meaning its standard offset (`America/New_York` is UTC-05:00 all year). Dates are whole days at this offset; the plan sends schedule times in UTC+0.
        pub timezone: Option<Spanned<Timezone>>,
        /// Active Smart+ campaign quota by spend tier: `50`, `200` or `1000`. When set, sparkplan counts the account's Smart+ campaigns against it (SP405).
        pub smart_plus_campaign_quota: Option<Spanned<Quota>>,
        /// Extra TikTok API fields for this account (not sent by the plan; kept for completeness).
        pub api: Option<Spanned<ApiFields>>,
    }
}

string_enum! {
    /// Whether a campaign, ad group or ad delivers: `enabled` or `paused`.
    pub enum Status ("status") {
        /// Delivers (TikTok `ENABLE`, the default).
        Enabled = "enabled",
        /// Paused (TikTok `DISABLE`): kept, not delivering.
        Paused = "paused",
    }
}

impl Status {
    /// The `operation_status` value of the create endpoints
    /// (schema_smart_plus_{campaign,adgroup,ad}_create.txt: ENABLE, DISABLE).
    pub fn api_value(self) -> &'static str {
        match self {
            Status::Enabled => fields::STATUS_ENABLE,
            Status::Paused => fields::STATUS_DISABLE,
        }
    }
}

string_enum! {
    /// How an identity is connected to the ad account.
    pub enum IdentityType ("identity type") {
        /// Identity Type 1: your own TikTok account linked to the ad account (API `TT_USER`). Can pull its posts and receive pushed creatives.
        LinkedAccount = "linked_account",
        /// Identity Type 2: a TikTok account authorized through Business Center (API `BC_AUTH_TT`). Needs `business_center_id`.
        BusinessCenter = "business_center",
        /// A custom identity (display name and avatar), not a TikTok account (API `CUSTOMIZED_USER`). Non-Spark creatives only.
        Custom = "custom",
    }
}

manifest_struct! {
    /// A TikTok identity an ad can be presented as.
    // `business_center` needs `business_center_id` (SP005, checked in
    // `workspace::resolve`), said without `if`/`then` for draft-07 editors:
    // either the ID is there or the type is another one. A pattern rather
    // than `not`/`enum`, so that editors say what is missing and do not list
    // a partial set of types as the allowed values.
    #[schemars(extend("anyOf" = [
        { "required": ["business_center_id"] },
        { "properties": { "type": {
            "pattern": "^(?!business_center$)",
            "patternErrorMessage": "An identity of type `business_center` needs `business_center_id`."
        } } }
    ]))]
    pub struct Identity ("identity") {
        /// `linked_account` (TT_USER), `business_center` (BC_AUTH_TT) or `custom` (CUSTOMIZED_USER).
        #[schemars(rename = "type")]
        pub r#type: Spanned<IdentityType>,
        /// The advertiser (by name) this identity is used from.
        pub advertiser: Spanned<Name>,
        /// The identity ID, digits, quoted.
        pub identity_id: Spanned<Id>,
        /// The Business Center the account was authorized through; required for `business_center`.
        pub business_center_id: Option<Spanned<Id>>,
        /// The TikTok handle, for display only (e.g. `@acme`).
        #[schemars(extend("examples" = ["@acme"]))]
        pub handle: Option<Spanned<String>>,
        /// The display name of a custom identity.
        pub display_name: Option<Spanned<String>>,
        /// Extra TikTok API fields for this identity.
        pub api: Option<Spanned<ApiFields>>,
    }
}

string_enum! {
    /// Who can see the organic post on TikTok.
    pub enum Visibility ("visibility") {
        /// Everyone.
        Public = "public",
        /// Friends only. Becomes public once used in a campaign unless the post is in Ads Only Mode.
        Friends = "friends",
        /// Only the creator. Becomes public once used in a campaign unless the post is in Ads Only Mode.
        Private = "private",
    }
}

string_enum! {
    /// The kind of organic post.
    pub enum PostFormat ("post format") {
        /// A video post (ad format `SINGLE_VIDEO`).
        Video = "video",
        /// A photo-mode (carousel) post (ad format `CAROUSEL_ADS`); needs `music_id`.
        Photo = "photo",
        /// A duet of another creator's post; needs `original_video_code`.
        Duet = "duet",
        /// A stitch of another creator's post; needs `original_video_code`.
        Stitch = "stitch",
    }
}

manifest_struct! {
    /// An organic TikTok post used as a Spark Ad ("pull"): authorized by a video
    /// code (`advertiser` + `video_code`), or a post of a linked or Business
    /// Center account (`identity` + `item_id`).
    pub struct Post ("post") {
        /// The advertiser (by name) the video code is authorized to. Required with `video_code`.
        pub advertiser: Option<Spanned<Name>>,
        /// The video code the creator generated in the TikTok app. Always quote it.
        pub video_code: Option<Spanned<VideoCode>>,
        /// For duets and stitches: the video code of the original post (both creators must authorize).
        pub original_video_code: Option<Spanned<VideoCode>>,
        /// The identity (by name) that owns the post, for posts of linked or Business Center accounts.
        pub identity: Option<Spanned<Name>>,
        /// The creator's TikTok handle, for display only (e.g. `@jane.creates`): `sparkplan authorizations` lists it, so the renewal meeting knows whom to ask.
        #[schemars(extend("examples" = ["@jane.creates"]))]
        pub creator: Option<Spanned<String>>,
        /// The TikTok item (post) ID, with `identity`.
        pub item_id: Option<Spanned<Id>>,
        /// The day the creator generated the code (`YYYY-MM-DD`).
        pub authorized_on: Option<Spanned<Date>>,
        /// How long the code authorizes the post: 7, 30, 60 or 365 days (default 30).
        // Per-value documentation as `enumDescriptions` (read by
        // yaml-language-server and VS Code for completion and hover) rather
        // than `oneOf`, so that hovering the key shows this field's description.
        #[schemars(extend(
            "enum" = fields::AUTHORIZATION_DAYS,
            "enumDescriptions" = [
                "7 days: the authorization ends on `authorized_on` + 6.",
                "30 days (the default): ends on `authorized_on` + 29.",
                "60 days: ends on `authorized_on` + 59.",
                "365 days: ends on `authorized_on` + 364."
            ],
            "default" = fields::DEFAULT_AUTHORIZATION_DAYS
        ))]
        pub authorization_days: Option<Spanned<u32>>,
        /// The last day of the authorization, as shown in Ads Manager; instead of `authorized_on` + `authorization_days`.
        pub authorized_until: Option<Spanned<Date>>,
        /// The post's final caption. It is the ad text of a Spark pull ad and cannot be edited after authorization.
        #[schemars(extend("examples" = ["Unboxing the new Acme kettle"]))]
        pub caption: Option<Spanned<String>>,
        /// Who can see the post: `public`, `friends` or `private` (default `public`).
        #[schemars(extend("default" = "public"))]
        pub visibility: Option<Spanned<Visibility>>,
        /// TikTok Ads Only Mode: the post is shown through ads only (default `false`).
        #[schemars(extend("default" = false))]
        pub ads_only: Option<Spanned<bool>>,
        /// `video`, `photo`, `duet` or `stitch` (default `video`).
        #[schemars(extend("default" = "video"))]
        pub format: Option<Spanned<PostFormat>>,
        /// The music of a photo post (required for `photo`).
        pub music_id: Option<Spanned<Id>>,
        /// Extra TikTok API fields for the authorization call.
        pub api: Option<Spanned<ApiFields>>,
    }
}

manifest_struct! {
    /// A creative uploaded to Ads Manager: pushed to a TikTok account as a
    /// Spark Ad, or run as a non-Spark ad under a custom identity.
    pub struct Media ("media") {
        /// The advertiser (by name) whose library holds the video.
        pub advertiser: Spanned<Name>,
        /// The video ID in the ad account's library (e.g. `v10033g5…`).
        #[schemars(extend("examples" = ["v10033g50000abcdefghijklmnopqrst"]))]
        pub video_id: Spanned<String>,
        /// The cover image `web_uri` (required for video media).
        #[schemars(extend("examples" = ["tos-alisg-p-0051/abcdef"]))]
        pub cover_image: Spanned<String>,
        /// Extra TikTok API fields for the creative.
        pub api: Option<Spanned<ApiFields>>,
    }
}

string_enum! {
    /// The campaign type.
    pub enum CampaignType ("campaign type") {
        /// An (Upgraded) Smart+ campaign: the only type sparkplan plans.
        SmartPlus = "smart_plus",
        /// A manual campaign (not planned by sparkplan; SP406).
        Manual = "manual" [unsupported],
        /// A search campaign (not planned by sparkplan; SP406).
        Search = "search" [unsupported],
    }
}

string_enum! {
    /// The advertising objective of a Smart+ campaign.
    pub enum Objective ("objective") {
        /// App promotion (API `APP_PROMOTION`).
        AppPromotion = "app_promotion",
        /// Website conversions, "Sales" in Ads Manager (API `WEB_CONVERSIONS`).
        WebConversions = "web_conversions",
        /// Lead generation (API `LEAD_GENERATION`).
        LeadGeneration = "lead_generation",
        /// Reach: exists in TikTok but not for Smart+ (SP406).
        Reach = "reach" [unsupported],
        /// Traffic: exists in TikTok but not for Smart+ (SP406).
        Traffic = "traffic" [unsupported],
        /// Video views: exists in TikTok but not for Smart+ (SP406).
        VideoViews = "video_views" [unsupported],
        /// Community interaction: exists in TikTok but not for Smart+ (SP406).
        Engagement = "engagement" [unsupported],
        /// Product sales: exists in TikTok but not for Smart+ (SP406).
        ProductSales = "product_sales" [unsupported],
    }
}

string_enum! {
    /// Where a web-conversions campaign sells (API `sales_destination`).
    pub enum SalesDestination ("sales destination") {
        /// Your website (API `WEBSITE`).
        Website = "website",
    }
}

string_enum! {
    /// What an app-promotion campaign promotes (API `app_promotion_type`).
    pub enum AppPromotionType ("app promotion type") {
        /// App installs (API `APP_INSTALL`).
        AppInstall = "app_install",
    }
}

string_enum! {
    /// Where an ad group promotes (API `promotion_type`, "optimization location").
    pub enum PromotionType ("promotion type") {
        /// An Android app (API `APP_ANDROID`): `app_promotion`.
        AppAndroid = "app_android",
        /// An iOS app (API `APP_IOS`): `app_promotion`.
        AppIos = "app_ios",
        /// A website (API `WEBSITE`): `web_conversions`.
        Website = "website",
        /// Leads through an instant form or website (API `LEAD_GENERATION`): `lead_generation`.
        LeadGeneration = "lead_generation",
        /// Leads through TikTok direct messages (API `LEAD_GEN_CLICK_TO_TT_DIRECT_MESSAGE`): `lead_generation`.
        LeadGenClickToTtDirectMessage = "lead_gen_click_to_tt_direct_message",
        /// Leads through a messaging app (API `LEAD_GEN_CLICK_TO_SOCIAL_MEDIA_APP_MESSAGE`): `lead_generation`.
        LeadGenClickToSocialMediaAppMessage = "lead_gen_click_to_social_media_app_message",
        /// Leads through phone calls (API `LEAD_GEN_CLICK_TO_CALL`): `lead_generation`.
        LeadGenClickToCall = "lead_gen_click_to_call",
    }
}

string_enum! {
    /// Where a lead-generation ad group collects leads (API `promotion_target_type`).
    pub enum PromotionTargetType ("promotion target type") {
        /// An instant form inside TikTok (API `INSTANT_PAGE`).
        InstantPage = "instant_page",
        /// Your website (API `EXTERNAL_WEBSITE`).
        ExternalWebsite = "external_website",
    }
}

string_enum! {
    /// What an ad group optimizes for (API `optimization_goal`).
    pub enum OptimizationGoal ("optimization goal") {
        /// Clicks (API `CLICK`); billed per click.
        Click = "click",
        /// App installs (API `INSTALL`).
        Install = "install",
        /// An in-app event (API `IN_APP_EVENT`); needs `optimization_event`.
        InAppEvent = "in_app_event",
        /// Value (API `VALUE`); needs `optimization_event` (and `pixel_id` for web and leads).
        Value = "value",
        /// Conversions (API `CONVERT`); needs `pixel_id` and `optimization_event` for web and leads.
        Convert = "convert",
        /// Landing page views (API `TRAFFIC_LANDING_PAGE_VIEW`).
        TrafficLandingPageView = "traffic_landing_page_view",
        /// Conversations (API `CONVERSATION`).
        Conversation = "conversation",
        /// Leads (API `LEAD_GENERATION`).
        LeadGeneration = "lead_generation",
    }
}

string_enum! {
    /// How TikTok bills an ad group (API `billing_event`).
    pub enum BillingEvent ("billing event") {
        /// Optimized cost per 1,000 impressions (API `OCPM`): every goal but `click`.
        Ocpm = "ocpm",
        /// Cost per click (API `CPC`): the goal `click`.
        Cpc = "cpc",
    }
}

string_enum! {
    /// The bid strategy of an ad group (API `bid_type`, without `BID_TYPE_`).
    pub enum BidType ("bid type") {
        /// Maximum Delivery (API `BID_TYPE_NO_BID`): no bid amount.
        NoBid = "no_bid",
        /// Cost Cap (API `BID_TYPE_CUSTOM`): needs `bid_price` or `conversion_bid_price`; daily budgets only.
        Custom = "custom",
        /// Max conversion (API `BID_TYPE_MAX_CONVERSION`).
        MaxConversion = "max_conversion",
    }
}

/// The API spelling of a manifest enum value, from the list in `api::fields`
/// (a test checks that every value is listed there).
fn api_of(prefix: &str, value: &str, list: &[&'static str]) -> &'static str {
    fields::api_spelling(prefix, value, list).unwrap_or("")
}

impl SalesDestination {
    /// The API value.
    pub fn api_value(self) -> &'static str {
        api_of("", self.as_str(), fields::SALES_DESTINATION)
    }
}
impl AppPromotionType {
    /// The API value.
    pub fn api_value(self) -> &'static str {
        api_of("", self.as_str(), fields::APP_PROMOTION_TYPE)
    }
}
impl PromotionType {
    /// The API value.
    pub fn api_value(self) -> &'static str {
        api_of("", self.as_str(), fields::PROMOTION_TYPE)
    }
}
impl PromotionTargetType {
    /// The API value.
    pub fn api_value(self) -> &'static str {
        api_of("", self.as_str(), fields::PROMOTION_TARGET_TYPE)
    }
}
impl OptimizationGoal {
    /// The API value.
    pub fn api_value(self) -> &'static str {
        api_of("", self.as_str(), fields::OPTIMIZATION_GOAL)
    }
}
impl BillingEvent {
    /// The API value.
    pub fn api_value(self) -> &'static str {
        api_of("", self.as_str(), fields::BILLING_EVENT)
    }
}
impl BidType {
    /// The API value.
    pub fn api_value(self) -> &'static str {
        api_of(fields::BID_TYPE_PREFIX, self.as_str(), fields::BID_TYPE)
    }
}

/// A bid amount in the account's currency: a positive number (SP004 otherwise).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BidAmount(pub f64);

impl super::decode::Decode for BidAmount {
    fn decode(node: &crate::syntax::Node, cx: &mut super::decode::Cx<'_>) -> Option<Self> {
        let v = f64::decode(node, cx)?;
        if v <= 0.0 {
            cx.report(
                crate::diag::Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("a bid amount must be positive, found {v}"),
                )
                .primary(node.span, "not a positive amount")
                .note("the amount is in the account's currency and must be lower than the budget"),
            );
            return None;
        }
        Some(BidAmount(v))
    }
}

impl schemars::JsonSchema for BidAmount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "BidAmount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // The maximum is f64::MAX: editors read `.inf` as a number, `check` refuses it.
        schemars::json_schema!({
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": f64::MAX,
            "description": "A bid amount in the account's currency."
        })
    }
}

/// A target ROAS, 0.01 to 1,000 (TFP `smart_plus_adgroup_create.roas_bid`:
/// "Range: 0.01 to 1,000"; SP004 otherwise).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoasBid(pub f64);

impl super::decode::Decode for RoasBid {
    fn decode(node: &crate::syntax::Node, cx: &mut super::decode::Cx<'_>) -> Option<Self> {
        let v = f64::decode(node, cx)?;
        if !(fields::ROAS_BID_MIN..=fields::ROAS_BID_MAX).contains(&v) {
            cx.report(
                crate::diag::Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("`roas_bid` must be between 0.01 and 1,000, found {v}"),
                )
                .primary(node.span, "out of range")
                .note(
                    "TikTok API (`smart_plus/adgroup/create.roas_bid`): \"Range: 0.01 to 1,000\"",
                ),
            );
            return None;
        }
        Some(RoasBid(v))
    }
}

impl schemars::JsonSchema for RoasBid {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RoasBid".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "minimum": fields::ROAS_BID_MIN,
            "maximum": fields::ROAS_BID_MAX,
            "description": "A target ROAS, 0.01 to 1,000."
        })
    }
}

/// A conversion event (API `optimization_event`), written in lower case;
/// holds TikTok's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptimizationEvent(pub &'static str);

impl super::decode::Decode for OptimizationEvent {
    fn decode(node: &crate::syntax::Node, cx: &mut super::decode::Cx<'_>) -> Option<Self> {
        let s = String::decode(node, cx)?;
        if s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && let Some(v) = fields::api_spelling("", &s, fields::OPTIMIZATION_EVENT)
        {
            return Some(OptimizationEvent(v));
        }
        let lower: Vec<String> = fields::OPTIMIZATION_EVENT
            .iter()
            .map(|v| fields::manifest_spelling("", v))
            .collect();
        let mut d = crate::diag::Diagnostic::new(
            &crate::model::codes::SP004,
            format!("`{s}` is not a TikTok optimization event"),
        )
        .primary(node.span, "not a valid optimization event")
        .note("events are TikTok's `optimization_event` values in lower case, e.g. `shopping`, `on_web_order`, `form`");
        if let Some(m) =
            crate::diag::did_you_mean(&s.to_ascii_lowercase(), lower.iter().map(String::as_str))
        {
            d = d.help(format!("did you mean `{m}`?"));
        }
        cx.report(d);
        None
    }
}

impl schemars::JsonSchema for OptimizationEvent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OptimizationEvent".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let values: Vec<String> = fields::OPTIMIZATION_EVENT
            .iter()
            .map(|v| fields::manifest_spelling("", v))
            .collect();
        schemars::json_schema!({
            "type": "string",
            "enum": values,
            "description": "A TikTok conversion event (API `optimization_event`) in lower case."
        })
    }
}

string_enum! {
    /// How a budget is spent.
    pub enum BudgetMode ("budget mode") {
        /// A daily budget (API `BUDGET_MODE_DYNAMIC_DAILY_BUDGET`).
        Daily = "daily",
        /// A lifetime budget (API `BUDGET_MODE_TOTAL`).
        Lifetime = "lifetime",
    }
}

manifest_struct! {
    /// A budget: mode and amount in the account's currency.
    pub struct Budget ("budget") {
        /// `daily` or `lifetime`. Cannot change after the campaign is created.
        pub mode: Spanned<BudgetMode>,
        /// The amount, in the account's currency.
        // The maximum is f64::MAX: editors read `.inf` as a number, `check`
        // refuses it (SP004).
        #[schemars(extend("exclusiveMinimum" = 0, "maximum" = f64::MAX))]
        pub amount: Spanned<f64>,
    }
}

manifest_struct! {
    /// A Smart+ campaign.
    pub struct Campaign ("campaign") {
        /// The advertiser (by name) that runs the campaign.
        pub advertiser: Spanned<Name>,
        /// Always `smart_plus`; manual and search campaigns are refused (SP406).
        #[schemars(rename = "type")]
        pub r#type: Spanned<CampaignType>,
        /// `app_promotion`, `web_conversions` or `lead_generation`. Cannot change after creation.
        pub objective: Spanned<Objective>,
        /// `enabled` (the default) or `paused`: sent as `operation_status`
        /// (`ENABLE`/`DISABLE`, smart_plus create trees); a change is an
        /// in-place status update. Expiry rules (SP202–SP204) skip paused ads.
        pub status: Option<Spanned<Status>>,
        /// Required with `web_conversions`, not allowed otherwise: where the sales happen (API `sales_destination`). Only `website`: the official SDK marks `APP` and `TIKTOK_SHOP` invalid for Smart+. Cannot change after creation.
        pub sales_destination: Option<Spanned<SalesDestination>>,
        /// Required with `app_promotion`, not allowed otherwise (API `app_promotion_type`). Only `app_install`: the official SDK marks the other types invalid for Smart+.
        pub app_promotion_type: Option<Spanned<AppPromotionType>>,
        /// Campaign budget (budget optimization on); optional if set on every ad group.
        pub budget: Option<Spanned<Budget>>,
        /// Defaults for every ad group of the campaign: any ad-group field, all optional. Each ad group overrides them field by field: mappings merge key by key, lists and single values are replaced (docs/reuse.md).
        pub ad_group_defaults: Option<Spanned<super::defaults::AdGroupDefaults>>,
        /// The ad groups, by name.
        pub ad_groups: Option<Named<AdGroup>>,
        /// Extra TikTok API fields for `smart_plus/campaign/create`.
        pub api: Option<Spanned<ApiFields>>,
    }
}

manifest_struct! {
    /// When an ad group delivers.
    pub struct Schedule ("schedule") {
        /// First day of delivery (`YYYY-MM-DD`).
        pub start: Spanned<Date>,
        /// Last day of delivery; omit to run continuously.
        pub end: Option<Spanned<Date>>,
    }
}

string_enum! {
    /// A placement.
    pub enum Placement ("placement") {
        /// TikTok (API `PLACEMENT_TIKTOK`).
        Tiktok = "tiktok",
        /// Pangle (API `PLACEMENT_PANGLE`).
        Pangle = "pangle",
        /// Global App Bundle (API `PLACEMENT_GLOBAL_APP_BUNDLE`).
        GlobalAppBundle = "global_app_bundle",
    }
}

string_enum! {
    /// Automatic placement.
    pub enum AutomaticPlacement ("placement") {
        /// Automatic placement (API `PLACEMENT_TYPE_AUTOMATIC`); includes TikTok.
        Automatic = "automatic",
    }
}

/// Where the ad group's ads run: `automatic`, or a list of placements.
#[derive(Debug, Clone, PartialEq, schemars::JsonSchema)]
#[schemars(untagged)]
pub enum Placements {
    /// `automatic`: TikTok decides, TikTok included.
    Automatic(AutomaticPlacement),
    /// A list of placements.
    Selected(#[schemars(length(min = 1))] Vec<Spanned<Placement>>),
}

impl Placements {
    /// Whether TikTok placement is included.
    pub fn includes_tiktok(&self) -> bool {
        match self {
            Placements::Automatic(_) => true,
            Placements::Selected(v) => v.iter().any(|p| p.value == Placement::Tiktok),
        }
    }
}

impl super::decode::Decode for Placements {
    fn decode(node: &crate::syntax::Node, cx: &mut super::decode::Cx<'_>) -> Option<Self> {
        if node.as_seq().is_some() {
            let v = Vec::<Spanned<Placement>>::decode(node, cx)?;
            if v.is_empty() {
                cx.report(
                    crate::diag::Diagnostic::new(
                        &crate::model::codes::SP004,
                        "an empty placement list",
                    )
                    .primary(
                        node.span,
                        "list at least one placement, or write `automatic`",
                    ),
                );
                return None;
            }
            Some(Placements::Selected(v))
        } else {
            AutomaticPlacement::decode(node, cx).map(Placements::Automatic)
        }
    }
}

manifest_struct! {
    /// A Smart+ ad group.
    pub struct AdGroup ("ad group") {
        /// The flight: `start` and optional `end` (runs continuously without one).
        pub schedule: Spanned<Schedule>,
        /// `automatic` (default), or a list of `tiktok`, `pangle`, `global_app_bundle`.
        #[schemars(extend("default" = "automatic"))]
        pub placements: Option<Spanned<Placements>>,
        /// Target locations: ISO 3166-1 alpha-2 country codes (`US`), sent as TikTok location IDs (`6252001`), or quoted TikTok location IDs for regions and cities (`"6254926"`), found with TikTok's `/tool/region/` endpoint or in Ads Manager.
        #[schemars(length(min = 1), extend("uniqueItems" = true))]
        pub locations: Spanned<Vec<Spanned<Location>>>,
        /// Ad group budget: required on every ad group when the campaign has no budget (SP411), ignored by TikTok when it has one (SP412).
        pub budget: Option<Spanned<Budget>>,
        /// Where to promote (API `promotion_type`, required): `app_android` or `app_ios` for `app_promotion`; `website` for `web_conversions` (the only value TikTok allows with `sales_destination: website`, so sparkplan sends it when omitted; TikTok API docs, `smart_plus/adgroup/create.promotion_type`); `lead_generation`, `lead_gen_click_to_tt_direct_message`, `lead_gen_click_to_social_media_app_message` or `lead_gen_click_to_call` for `lead_generation`.
        pub promotion_type: Option<Spanned<PromotionType>>,
        /// Lead generation only, and required there: `instant_page` (an instant form) or `external_website` (API `promotion_target_type`).
        pub promotion_target_type: Option<Spanned<PromotionTargetType>>,
        /// What to optimize for (API `optimization_goal`, required, no default): `click`, `install`, `in_app_event`, `value`, `convert`, `traffic_landing_page_view`, `conversation` or `lead_generation`.
        pub optimization_goal: Option<Spanned<OptimizationGoal>>,
        /// The conversion event (API `optimization_event`, lower case, e.g. `shopping`): required with `pixel_id`, and with the goals `in_app_event` and `value`.
        #[schemars(extend("examples" = ["shopping"]))]
        pub optimization_event: Option<Spanned<OptimizationEvent>>,
        /// The TikTok Pixel ID (API `pixel_id`), digits, quoted: required for `web_conversions` and `lead_generation` with the goals `convert` and `value`; not supported with `click`, `install`, `in_app_event`, `traffic_landing_page_view`.
        pub pixel_id: Option<Spanned<Id>>,
        /// The app to promote (API `app_id`), digits, quoted: required for `app_promotion`.
        pub app_id: Option<Spanned<Id>>,
        /// How TikTok bills (API `billing_event`): `cpc` when the goal is `click`, `ocpm` otherwise; sparkplan sends that when omitted, as TikTok's API docs for `smart_plus/adgroup/create` say ("When `optimization_goal` is `CLICK`, set this to `CPC`. When `optimization_goal` is not `CLICK`, set this to `OCPM`.").
        pub billing_event: Option<Spanned<BillingEvent>>,
        /// The bid strategy (API `bid_type`, required, no default): `no_bid` (Maximum Delivery), `custom` (Cost Cap, daily budgets only) or `max_conversion`.
        pub bid_type: Option<Spanned<BidType>>,
        /// With `bid_type: custom` and the goal `click`: the target cost per click (API `bid_price`), required there.
        pub bid_price: Option<Spanned<BidAmount>>,
        /// With `bid_type: custom` and the goals `convert`, `traffic_landing_page_view`, `install` or `in_app_event`: the target cost per result (API `conversion_bid_price`), required there.
        pub conversion_bid_price: Option<Spanned<BidAmount>>,
        /// Target ROAS for value-based optimization, 0.01 to 1,000 (API `roas_bid`; TikTok requires it with `api: {deep_bid_type: VO_MIN_ROAS}`).
        pub roas_bid: Option<Spanned<RoasBid>>,
        /// The ads, by name.
        pub ads: Option<Named<Ad>>,
        /// `enabled` (the default) or `paused`: sent as `operation_status`
        /// (`ENABLE`/`DISABLE`, smart_plus create trees); a change is an
        /// in-place status update. Expiry rules (SP202–SP204) skip paused ads.
        pub status: Option<Spanned<Status>>,
        /// Extra TikTok API fields for `smart_plus/adgroup/create`.
        pub api: Option<Spanned<ApiFields>>,
    }
}

string_enum! {
    /// A call to action (TikTok API enum, lower case).
    pub enum CallToAction ("call to action") {
        /// Apply now.
        ApplyNow = "apply_now",
        /// Book now.
        BookNow = "book_now",
        /// Call now.
        CallNow = "call_now",
        /// Check availability.
        CheckAvailability = "check_availability",
        /// Contact us.
        ContactUs = "contact_us",
        /// Download now.
        DownloadNow = "download_now",
        /// Experience now.
        ExperienceNow = "experience_now",
        /// Get quote.
        GetQuote = "get_quote",
        /// Get showtimes.
        GetShowtimes = "get_showtimes",
        /// Get tickets now.
        GetTicketsNow = "get_tickets_now",
        /// Install now.
        InstallNow = "install_now",
        /// Interested.
        Interested = "interested",
        /// Join this hashtag.
        JoinThisHashtag = "join_this_hashtag",
        /// Learn more.
        LearnMore = "learn_more",
        /// Listen now.
        ListenNow = "listen_now",
        /// Order now.
        OrderNow = "order_now",
        /// Play game.
        PlayGame = "play_game",
        /// Pre-order now.
        PreorderNow = "preorder_now",
        /// Read more.
        ReadMore = "read_more",
        /// Send message.
        SendMessage = "send_message",
        /// Shoot with this effect.
        ShootWithThisEffect = "shoot_with_this_effect",
        /// Shop now.
        ShopNow = "shop_now",
        /// Sign up.
        SignUp = "sign_up",
        /// Subscribe.
        Subscribe = "subscribe",
        /// View now.
        ViewNow = "view_now",
        /// View profile.
        ViewProfile = "view_profile",
        /// View video with this effect.
        ViewVideoWithThisEffect = "view_video_with_this_effect",
        /// Visit store.
        VisitStore = "visit_store",
        /// Watch LIVE.
        WatchLive = "watch_live",
        /// Watch now.
        WatchNow = "watch_now",
    }
}

impl CallToAction {
    /// The API enum value (upper case).
    pub fn api_value(self) -> String {
        self.as_str().to_ascii_uppercase()
    }
}

manifest_struct! {
    /// One creative of an ad: a post (`post:`, Spark pull), or a media item
    /// with an identity (`media:` + `identity:`): Spark push with a linked or
    /// Business Center identity, non-Spark with a custom identity.
    // Either `post` (Spark pull) without `media` and `identity`, or `media`
    // without `post` (SP005 when neither, SP004 when both or with `identity`
    // beside `post`; checked in `workspace::resolve`).
    #[schemars(extend("anyOf" = [
        { "required": ["post"], "properties": { "media": false, "identity": false } },
        { "required": ["media"], "properties": { "post": false } }
    ]))]
    pub struct Creative ("creative") {
        /// A post (by name): a Spark pull creative. The post's caption is the ad text.
        pub post: Option<Spanned<Name>>,
        /// A media item (by name): Spark push or non-Spark, with `identity`.
        pub media: Option<Spanned<Name>>,
        /// The identity (by name) a media creative is presented as.
        pub identity: Option<Spanned<Name>>,
        /// For Spark push: show through ads only, not on the profile (default `true`; API `dark_post_status: ON`).
        #[schemars(extend("default" = true))]
        pub ads_only: Option<Spanned<bool>>,
        /// Extra TikTok API fields for this creative's `creative_info`.
        pub api: Option<Spanned<ApiFields>>,
    }
}

manifest_struct! {
    /// A Smart+ ad: up to 31 creatives sharing ad texts and calls to action.
    pub struct Ad ("ad") {
        /// 1 to 31 creatives (the official SDK's `maxItems`); Spark and non-Spark may be mixed, from several identities.
        #[schemars(extend("minItems" = 1, "maxItems" = fields::MAX_CREATIVES))]
        pub creatives: Spanned<Vec<Spanned<Creative>>>,
        /// 1 to 5 ad texts, each 1 to 100 characters without emoji. Required when any creative is push or non-Spark; ignored when all are Spark pull (the post caption is used).
        #[schemars(extend("maxItems" = fields::MAX_AD_TEXTS))]
        pub ad_texts: Option<Spanned<Vec<Spanned<String>>>>,
        /// Dynamic CTA portfolio ID (API `ad_configuration.call_to_action_id`). Required on TikTok placement for `lead_generation`, and for the other objectives when the ad has a Spark creative (SP308).
        pub call_to_action_portfolio: Option<Spanned<Id>>,
        /// Up to 3 calls to action (API `call_to_action_list`), only where TikTok allows them (SP305).
        #[schemars(extend("maxItems" = fields::MAX_CALLS_TO_ACTION))]
        pub call_to_actions: Option<Spanned<Vec<Spanned<CallToAction>>>>,
        /// The landing page URL.
        #[schemars(extend("examples" = ["https://acme.example/kettles"]))]
        pub landing_page_url: Option<Spanned<String>>,
        /// `enabled` (the default) or `paused`: sent as `operation_status`
        /// (`ENABLE`/`DISABLE`, smart_plus create trees); a change is an
        /// in-place status update. Expiry rules (SP202–SP204) skip paused ads.
        pub status: Option<Spanned<Status>>,
        /// Extra TikTok API fields for `smart_plus/ad/create`, e.g. a lead-generation ad's instant form, `page_list: [{ page_id: "…" }]` (not modelled: no TikTok source says it is required).
        pub api: Option<Spanned<ApiFields>>,
    }
}

impl Objective {
    /// The API `objective_type` of a Smart+ objective; `None` for objectives
    /// Smart+ does not offer (SP406).
    pub fn smart_plus_api(self) -> Option<&'static str> {
        match self {
            Objective::AppPromotion => Some(fields::OBJECTIVE_APP_PROMOTION),
            Objective::WebConversions => Some(fields::OBJECTIVE_WEB_CONVERSIONS),
            Objective::LeadGeneration => Some(fields::OBJECTIVE_LEAD_GENERATION),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every manifest value has its API spelling in `api::fields`, and every
    /// listed API value has its manifest value.
    #[test]
    fn enums_match_the_api_lists() {
        fn same<T: Copy>(
            values: &[(&str, T, bool)],
            api: impl Fn(T) -> &'static str,
            list: &[&str],
        ) {
            let mut got: Vec<&str> = values.iter().map(|v| api(v.1)).collect();
            got.sort_unstable();
            let mut want = list.to_vec();
            want.sort_unstable();
            assert_eq!(got, want);
        }
        same(
            SalesDestination::VALUES,
            SalesDestination::api_value,
            fields::SALES_DESTINATION,
        );
        same(
            AppPromotionType::VALUES,
            AppPromotionType::api_value,
            fields::APP_PROMOTION_TYPE,
        );
        same(
            PromotionType::VALUES,
            PromotionType::api_value,
            fields::PROMOTION_TYPE,
        );
        same(
            PromotionTargetType::VALUES,
            PromotionTargetType::api_value,
            fields::PROMOTION_TARGET_TYPE,
        );
        same(
            OptimizationGoal::VALUES,
            OptimizationGoal::api_value,
            fields::OPTIMIZATION_GOAL,
        );
        same(
            BillingEvent::VALUES,
            BillingEvent::api_value,
            fields::BILLING_EVENT,
        );
        same(BidType::VALUES, BidType::api_value, fields::BID_TYPE);
    }
}
