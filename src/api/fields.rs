//! Enum spellings and limits of the Smart+ request bodies that sparkplan
//! models (issue 11), with their sources.
//!
//! Sources, in order of authority (as in `../shared/reference/reviews/api-audit.md`):
//! - **SDK**: the official SDK `tiktok/tiktok-business-api-sdk`, `yml_files/smart_plus_*.yml`,
//!   flattened in `../shared/reference/tiktok-api/schema_smart_plus_*.txt` ("the official tree").
//!   Where the tree marks values `invalid:[…]`, only the valid ones are listed here.
//! - **TFP**: `kishansripada/terraform-provider-tiktok` `objects.json` @ `0fcdd15` and
//!   `campaigns.json` @ `854965a` (descriptions from TikTok's MCP tool metadata).
//! - **GO**: `bububa/tiktok-business` @ `051f6c0` (comments copy TikTok's docs).
//! - **HELP**: the ads.tiktok.com Help Center.
//!
//! A manifest spells an API enum value in lower case without the enum's
//! shared prefix (`BID_TYPE_NO_BID` → `no_bid`, `APP_ANDROID` → `app_android`);
//! [`api_spelling`] turns it back.

/// The API spelling of a manifest enum value: `prefix` + the value in upper
/// case, as listed in `values` (which keeps TikTok's own spelling, e.g.
/// `CLICK_SHOPWINDow`). `None` when `values` does not list it.
pub fn api_spelling(prefix: &str, manifest: &str, values: &[&'static str]) -> Option<&'static str> {
    values.iter().copied().find(|v| {
        v.len() == prefix.len() + manifest.len()
            && v.get(..prefix.len()) == Some(prefix)
            && v.get(prefix.len()..)
                .is_some_and(|rest| rest.eq_ignore_ascii_case(manifest))
    })
}

/// The manifest spelling of an API enum value: without `prefix`, lower case.
pub fn manifest_spelling(prefix: &str, api: &str) -> String {
    api.strip_prefix(prefix).unwrap_or(api).to_ascii_lowercase()
}

// ---------------------------------------------------------------------------
// smart_plus/campaign/create

/// `objective_type` values (SDK tree: the only valid ones).
pub const OBJECTIVE_APP_PROMOTION: &str = "APP_PROMOTION";
/// See [`OBJECTIVE_APP_PROMOTION`].
pub const OBJECTIVE_WEB_CONVERSIONS: &str = "WEB_CONVERSIONS";
/// See [`OBJECTIVE_APP_PROMOTION`].
pub const OBJECTIVE_LEAD_GENERATION: &str = "LEAD_GENERATION";

/// `sales_destination`: required when `objective_type` is `WEB_CONVERSIONS`
/// (TFP `campaigns.json` `smart_plus_campaign_create`; GO
/// `model/campaign/smartplus/create.go`). The SDK tree marks `APP` and
/// `TIKTOK_SHOP` invalid, so only `WEBSITE` remains (TFP and GO also list
/// `APP` and `WEB_AND_APP`; the SDK decides). Cannot be updated (TFP).
pub const SALES_DESTINATION: &[&str] = &["WEBSITE"];

/// `app_promotion_type`: required when `objective_type` is `APP_PROMOTION`
/// (TFP, GO). The SDK tree marks `APP_PREREGISTRATION`, `APP_RETARGETING`,
/// `PAID_CONTENT` and `UNSET` invalid (GO also lists `APP_RETARGETING` and
/// `MINIS`; the SDK decides).
pub const APP_PROMOTION_TYPE: &[&str] = &["APP_INSTALL"];

// ---------------------------------------------------------------------------
// smart_plus/adgroup/create

/// `promotion_type` (REQUIRED in the SDK tree): the values valid for the
/// three Smart+ objectives, the SDK tree's enum intersected with TFP's
/// "Supported values". `MINI_APP`, `MINI_GAME` and `NATIVE_SERIES` need
/// `app_promotion_type: MINIS`, which the SDK tree marks invalid.
pub const PROMOTION_TYPE: &[&str] = &[
    "APP_ANDROID",
    "APP_IOS",
    "WEBSITE",
    "LEAD_GENERATION",
    "LEAD_GEN_CLICK_TO_TT_DIRECT_MESSAGE",
    "LEAD_GEN_CLICK_TO_SOCIAL_MEDIA_APP_MESSAGE",
    "LEAD_GEN_CLICK_TO_CALL",
];

/// The `promotion_type` values an objective allows (TFP
/// `smart_plus_adgroup_create.promotion_type`): "When `objective_type` is
/// `APP_PROMOTION` and `app_promotion_type` is `APP_INSTALL` …, set this to
/// `APP_ANDROID` or `APP_IOS` … When `objective_type` is `WEB_CONVERSIONS`,
/// set this to `WEBSITE` if `sales_destination` is `WEBSITE` … When
/// `objective_type` is `LEAD_GENERATION`, set this to one of
/// `LEAD_GENERATION`, `LEAD_GEN_CLICK_TO_TT_DIRECT_MESSAGE`,
/// `LEAD_GEN_CLICK_TO_SOCIAL_MEDIA_APP_MESSAGE`, or `LEAD_GEN_CLICK_TO_CALL`."
pub fn promotion_types_for(objective_type: &str) -> &'static [&'static str] {
    match objective_type {
        OBJECTIVE_APP_PROMOTION => &PROMOTION_TYPE[0..2],
        OBJECTIVE_WEB_CONVERSIONS => &PROMOTION_TYPE[2..3],
        OBJECTIVE_LEAD_GENERATION => &PROMOTION_TYPE[3..],
        _ => &[],
    }
}

/// `optimization_goal` (REQUIRED in the SDK tree). The SDK tree lists 28
/// values shared with other campaign types and marks none invalid; TFP
/// (`smart_plus_adgroup_create`, `smart_plus_adgroup_get`): "Supported values
/// are `CLICK`, `INSTALL`, `IN_APP_EVENT`, `VALUE`, `CONVERT`,
/// `TRAFFIC_LANDING_PAGE_VIEW`, `CONVERSATION`, and `LEAD_GENERATION`". All
/// eight are in the SDK tree; sparkplan accepts those eight.
pub const OPTIMIZATION_GOAL: &[&str] = &[
    "CLICK",
    "INSTALL",
    "IN_APP_EVENT",
    "VALUE",
    "CONVERT",
    "TRAFFIC_LANDING_PAGE_VIEW",
    "CONVERSATION",
    "LEAD_GENERATION",
];

/// Goals with which `pixel_id` is required for `WEB_CONVERSIONS` and
/// `LEAD_GENERATION` (TFP `pixel_id`: "Required when campaign `objective_type`
/// is `WEB_CONVERSIONS` or `LEAD_GENERATION` and ad-group `optimization_goal`
/// is `CONVERT` or `VALUE`").
pub const PIXEL_GOALS: &[&str] = &["CONVERT", "VALUE"];

/// Goals with which `pixel_id` is not supported (TFP `pixel_id`: "Not
/// supported when `optimization_goal` is `CLICK`, `INSTALL`, `IN_APP_EVENT`,
/// or `TRAFFIC_LANDING_PAGE_VIEW`").
pub const NO_PIXEL_GOALS: &[&str] = &[
    "CLICK",
    "INSTALL",
    "IN_APP_EVENT",
    "TRAFFIC_LANDING_PAGE_VIEW",
];

/// Goals with which `optimization_event` is required even without a pixel
/// (TFP `optimization_event`: "Required when `pixel_id` is specified; or when
/// `pixel_id` is not specified and `optimization_goal` is `IN_APP_EVENT` or
/// `VALUE`").
pub const EVENT_GOALS: &[&str] = &["IN_APP_EVENT", "VALUE"];

/// `billing_event` (REQUIRED in the SDK tree, which lists `CPA`, `CPC`,
/// `CPM`, `CPV`, `GD`, `OCPM`). TFP: "Currently only `OCPM` and `CPC` are
/// supported. When `optimization_goal` is `CLICK`, set this to `CPC`. When
/// `optimization_goal` is not `CLICK`, set this to `OCPM`." The goal decides
/// it: see [`billing_event_for`].
pub const BILLING_EVENT: &[&str] = &["OCPM", "CPC"];

/// The `billing_event` the goal requires (TFP, quoted at [`BILLING_EVENT`]).
pub fn billing_event_for(optimization_goal: &str) -> &'static str {
    if optimization_goal == "CLICK" {
        "CPC"
    } else {
        "OCPM"
    }
}

/// The shared prefix of `bid_type` values.
pub const BID_TYPE_PREFIX: &str = "BID_TYPE_";

/// `bid_type`: the SDK tree lists these three as valid; TFP lists `NO_BID`
/// ("Maximum Delivery") and `CUSTOM` ("Cost Cap / Target CPA") and makes the
/// field required, the SDK does not. sparkplan requires it (the stricter
/// source) and accepts the SDK's three values.
pub const BID_TYPE: &[&str] = &[
    "BID_TYPE_NO_BID",
    "BID_TYPE_CUSTOM",
    "BID_TYPE_MAX_CONVERSION",
];

/// The custom bid type (TFP: "can only be used when campaign-level or
/// ad-group-level `budget_mode` is `BUDGET_MODE_DYNAMIC_DAILY_BUDGET`").
pub const BID_TYPE_CUSTOM: &str = "BID_TYPE_CUSTOM";

/// Goals whose custom bid is `conversion_bid_price` (TFP: "Required when
/// `optimization_goal` is `CONVERT`, `TRAFFIC_LANDING_PAGE_VIEW`, `INSTALL`,
/// or `IN_APP_EVENT`, and `bid_type` is `BID_TYPE_CUSTOM`").
pub const CONVERSION_BID_GOALS: &[&str] = &[
    "CONVERT",
    "TRAFFIC_LANDING_PAGE_VIEW",
    "INSTALL",
    "IN_APP_EVENT",
];

/// Goals whose custom bid is `bid_price` (TFP: "Required when
/// `optimization_goal` is `CLICK` and `bid_type` is `BID_TYPE_CUSTOM`").
pub const BID_PRICE_GOALS: &[&str] = &["CLICK"];

/// The range of `roas_bid` (TFP `smart_plus_adgroup_create.roas_bid`:
/// "Range: 0.01 to 1,000").
pub const ROAS_BID_MIN: f64 = 0.01;
/// See [`ROAS_BID_MIN`].
pub const ROAS_BID_MAX: f64 = 1000.0;

/// `promotion_target_type`: "Required when `objective_type` is
/// `LEAD_GENERATION`" (TFP); the SDK tree marks `UNSET` invalid.
pub const PROMOTION_TARGET_TYPE: &[&str] = &["INSTANT_PAGE", "EXTERNAL_WEBSITE"];

/// `optimization_event`: the SDK tree's enum, verbatim (TikTok spells one
/// value `CLICK_SHOPWINDow`); it marks none invalid.
pub const OPTIMIZATION_EVENT: &[&str] = &[
    "ACTIVE",
    "ACTIVE_PAY",
    "ACTIVE_REGISTER",
    "ADD_BILLING",
    "ADD_BOOKSHELF",
    "ADD_PAYMENT_INFO",
    "ADD_TO_WISHLIST",
    "ANCHOR_CLICK",
    "APPLET_DEAL",
    "APPLICATION_APPROVAL",
    "APPOINTMENT_DOWNLOAD_BUTTON",
    "ASCRIPTION_PHONE",
    "AUTHORIZATION",
    "BANKCARD_INFORMATION",
    "BOOST",
    "BUTTON",
    "CERTIFICATION_INFORMATION",
    "CLICK_CALL_DY",
    "CLICK_DOWNLOAD",
    "CLICK_LANDING_PAGE",
    "CLICK_SHOPWINDow",
    "CLICK_WEBSITE",
    "CLUE_CONFIRM",
    "CLUE_HIGH_INTENTION",
    "CLUE_INTERFLOW",
    "CLUE_PAY_SUCCEED",
    "COMMENT_ACTION",
    "COMMODITY_CLICK",
    "COMPLETE_TUTORIAL",
    "CONSULT",
    "CONSULT_CLUE",
    "CONSULT_EFFECTIVE",
    "CONVERSION_LEADS",
    "COUPON",
    "CREATE_GAMEROLE",
    "CUSTOMER_EFFECTIVE",
    "CUSTOMIZE_PRODUCT",
    "DEEP_PURCHASE",
    "DESTINATION_VISIT",
    "DIALBACK",
    "DIALBACK_CONFIRM",
    "DIALBACK_CONNECT",
    "DOWNLOAD_BUTTON",
    "DOWNLOAD_DETAIL",
    "DOWNLOAD_FINISH",
    "DOWNLOAD_START",
    "EC_CLICK_BUY",
    "EC_CLICK_PRODUCT",
    "EC_CONFRIM_DEAL",
    "EC_LIVE_CART",
    "EC_LIVE_CLICK_PRODUCT_ACTION",
    "EC_LIVE_COMMENT_ACTION",
    "EC_LIVE_ENTER_ACTION",
    "EC_LIVE_FOLLOW_ACTION",
    "EC_LIVE_GIFT_ACTION",
    "EC_LIVE_NATIVE_ACTION",
    "EC_LIVE_ORDER",
    "EC_LIVE_REDIRECT_TO_STORE_ACTION",
    "EC_LIVE_SLIDECART_CLICK_ACTION",
    "EC_SUBMIT_ORDER",
    "EFFECTIVE_COPY",
    "ENGAGED_SESSION",
    "ENGAGED_VIEW",
    "ENGAGED_VIEW_FIFTEEN",
    "ENTER_HOMEPAGE",
    "FEED_LIVE_HOMEPAGE",
    "FIND_LOCATION",
    "FOLLOW_ACTION",
    "FOLLOW_LIVE_ENTER",
    "FOLLOW_VIDEO_PLAY_FINISH",
    "FORM",
    "FORM_ANSWER",
    "FORM_BUTTON",
    "FORM_CONNECT",
    "FORM_DEEP",
    "FORM_DETAIL",
    "GAME_ADDICTION",
    "HIGHVALUE_CLUE",
    "IDCARD_INFORMATION",
    "IMPRESSION_LEVEL_AD_REVENUE",
    "INITIATE_ORDER",
    "INSTALL_FINISH",
    "INTENTION_CLUE",
    "INVALID_CLUE",
    "IN_APP_AD_CLICK",
    "IN_APP_AD_IMPR",
    "IN_APP_CART",
    "IN_APP_DETAIL_UV",
    "IN_APP_ORDER",
    "IN_APP_PAY",
    "IN_APP_UV",
    "LANDING_PAGE_VIEW",
    "LAUNCH_APP",
    "LIKE_ACTION",
    "LINK_ACTION",
    "LIVE_APPOINTMENT",
    "LIVE_CARD_CLICK",
    "LIVE_CLICK_PRODUCT_ACTION",
    "LIVE_COMMENT_ACTION",
    "LIVE_ENTER_ACTION",
    "LIVE_FOLLOW_ACTION",
    "LIVE_GIFT_ACTION",
    "LIVE_HOMEPAGE",
    "LIVE_JOIN_GROUP",
    "LIVE_NATIVE_ACTION",
    "LIVE_REDIRECT_TO_STORE_ACTION",
    "LIVE_ROOM_ACTION",
    "LIVE_SLIDECART_CLICK_ACTION",
    "LIVE_STAY_TIME",
    "LIVE_SUCCESSORDER_ACTION",
    "LIVE_SUCESSORDER_PAY",
    "LOAN",
    "LOAN_APPLY",
    "LOAN_COMPLETION",
    "LOAN_CREDIT",
    "LOCATION_ACTION",
    "LOGIN",
    "LOGIN_ACTION",
    "LONGTERM_CUSTOMER",
    "LOTTERY",
    "LT_ROI",
    "MAP_SEARCH",
    "MESSAGE",
    "MESSAGE_ACTION",
    "MESSAGE_CLICK",
    "MESSAGE_CLUE",
    "MESSAGE_JOIN_GROUP",
    "MESSAGE_SELF_SERVICE",
    "MESSAGE_SEND",
    "MULTIPLE",
    "MULTI_NATIVE_ACTION",
    "NATIVE_ACTION",
    "NAV_BAR",
    "NEW_FOLLOW_ACTION",
    "NEXT_DAY_OPEN",
    "NOVEL_CHAPTER",
    "ON_WEB_ADD_TO_WISHLIST",
    "ON_WEB_CART",
    "ON_WEB_DETAIL",
    "ON_WEB_ORDER",
    "ON_WEB_REGISTER",
    "ON_WEB_SEARCH",
    "ON_WEB_SUBSCRIBE",
    "OTHER",
    "OTO_PAY",
    "OTO_STAY_TIME",
    "PAGE_VIEW",
    "PAGE_VISIT",
    "PAID_CLUE",
    "PAY_ACTION",
    "PERSONAL_INFORMATION",
    "PHONE",
    "PHONE_BUTTON",
    "PHONE_CONFIRM",
    "PHONE_CONNECT",
    "PHONE_DETAIL",
    "PHONE_EFFECTIVE",
    "PREFERRED_LEAD",
    "PREMIUM_PAYMENT",
    "PRE_LOAN_CREDIT",
    "PURCHASE_OF_GOODS",
    "PURCHASE_ROI",
    "QQ",
    "RATE",
    "READING_TIME",
    "REDIRECT",
    "REDIRECT_TO_SHOP",
    "REDIRECT_TO_STORE",
    "REGISTER_ACTION",
    "RESERVATION",
    "RSS",
    "SALES_LEAD",
    "SCHEDULE",
    "SEARCH",
    "SEVEN_DAY_OPEN",
    "SHARE_ACTION",
    "SHOPPING",
    "SHOPPING_ACTION",
    "SHOPPING_CART",
    "START_TRIAL",
    "STAY_TIME",
    "SUBMIT_APPLICATION",
    "SUBSCRIBE",
    "SUCCESSORDER_ACTION",
    "SUCCESSORDER_PAY",
    "UG_EFFECTIVE_ACTION",
    "UG_EFFECTIVE_DEAL",
    "UG_EFFECTIVE_SHARE",
    "UG_EFFECTIVE_SPEECH",
    "UG_ROI",
    "UNLOCK_ACHIEVEMENT",
    "UPDATE_LEVEL",
    "VIEW",
    "VOTE",
    "XPATH",
];

// ---------------------------------------------------------------------------
// smart_plus/ad/create

/// Most creatives in one ad's `creative_list`. The SDK tree says
/// `minItems=1 maxItems=31`; TFP and GO say "Size range: 1-50". Issue 11
/// decides with the official SDK first: 31.
pub const MAX_CREATIVES: usize = 31;

/// Most ad texts in one ad's `ad_text_list` (SDK tree
/// `schema_smart_plus_ad_create.txt`: `ad_text_list: array maxItems=5`).
pub const MAX_AD_TEXTS: usize = 5;

/// Most calls to action in one ad's `call_to_action_list` (SDK tree
/// `schema_smart_plus_ad_create.txt`: `call_to_action_list: array maxItems=3`).
pub const MAX_CALLS_TO_ACTION: usize = 3;

/// `ad_configuration.identity_type` of a non-Spark ad: the SDK tree's only
/// valid value; TFP: "Required when creating non-Spark Ads on non-TikTok
/// placements … the only supported value is `CUSTOMIZED_USER`". The
/// creative's own `creative_info.identity_type: CUSTOMIZED_USER` stays: the
/// SDK tree lists it as valid there (TFP lists only the Spark types; the
/// SDK decides).
pub const NON_SPARK_IDENTITY_TYPE: &str = IDENTITY_CUSTOMIZED_USER;

/// `creative_info.identity_type` values (SDK tree
/// `schema_smart_plus_ad_create.txt`): a linked TikTok account.
pub const IDENTITY_TT_USER: &str = "TT_USER";
/// See [`IDENTITY_TT_USER`]: an account authorized to a Business Center.
pub const IDENTITY_BC_AUTH_TT: &str = "BC_AUTH_TT";
/// See [`IDENTITY_TT_USER`]: a custom (non-Spark) identity.
pub const IDENTITY_CUSTOMIZED_USER: &str = "CUSTOMIZED_USER";

/// `operation_status` of the create endpoints
/// (`schema_smart_plus_{campaign,adgroup,ad}_create.txt`: `ENABLE`, `DISABLE`);
/// a resource without `status:` is created enabled.
pub const STATUS_ENABLE: &str = "ENABLE";
/// See [`STATUS_ENABLE`].
pub const STATUS_DISABLE: &str = "DISABLE";

// ---------------------------------------------------------------------------
// Spark authorization (video codes)

/// The durations a creator can choose for a video code, in days: "7, 30, 60,
/// 365; default 30" (`../shared/reference/tiktok-api/RESEARCH-NOTES.md`,
/// `POST /business/post/authorize/` and GO `model/tcm/ttvideo/apply.go`; a
/// third-party tool's 180 is unconfirmed).
pub const AUTHORIZATION_DAYS: [u32; 4] = [7, 30, 60, 365];

/// The default `authorization_days` (same source as [`AUTHORIZATION_DAYS`]).
pub const DEFAULT_AUTHORIZATION_DAYS: u32 = 30;

/// Video codes authorized per batch: Ads Manager's "20 codes max per batch"
/// (Tools → Creative library → Spark ads posts; RESEARCH-NOTES.md
/// "Constraints asked about": not in a primary source, a UI-parity grouping;
/// `tt_video/authorize` itself takes one code per call).
pub const AUTHORIZATION_BATCH_SIZE: usize = 20;

// ---------------------------------------------------------------------------
// Account limits

/// Most ads whose creatives use one TikTok account's posts. HELP "About
/// Identity" (https://ads.tiktok.com/help/article/identity): "Each TikTok
/// account can only have its posts used in 2,000 ads. This limit applies to
/// … Use account owned by you, Use other authorized account or post". GO
/// (`model/ad/creative.go`, a copy of the API docs) says 10,000 per
/// AUTH_CODE, TT_USER or BC_AUTH_TT identity; the official SDK says nothing.
/// The Help Center is TikTok's own and the stricter: 2,000.
pub const IDENTITY_ADS_LIMIT: usize = 2_000;

/// Most Spark Ads one ad account can hold (SP401): "Max 10,000 Spark Ads per
/// ad account", OFFICIAL in RESEARCH-NOTES.md (Help Center `spark-ads`,
/// `spark-ads-creation-guide`, Spark FAQ aid=10007047).
pub const SPARK_ADS_LIMIT: usize = 10_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        assert_eq!(
            api_spelling(BID_TYPE_PREFIX, "no_bid", BID_TYPE),
            Some("BID_TYPE_NO_BID")
        );
        assert_eq!(
            api_spelling("", "click_shopwindow", OPTIMIZATION_EVENT),
            Some("CLICK_SHOPWINDow")
        );
        assert_eq!(api_spelling("", "nope", OPTIMIZATION_EVENT), None);
        assert_eq!(
            manifest_spelling(BID_TYPE_PREFIX, "BID_TYPE_CUSTOM"),
            "custom"
        );
    }

    #[test]
    fn objectives_partition_the_promotion_types() {
        let mut all: Vec<&str> = [
            OBJECTIVE_APP_PROMOTION,
            OBJECTIVE_WEB_CONVERSIONS,
            OBJECTIVE_LEAD_GENERATION,
        ]
        .iter()
        .flat_map(|o| promotion_types_for(o).iter().copied())
        .collect();
        all.sort_unstable();
        let mut listed = PROMOTION_TYPE.to_vec();
        listed.sort_unstable();
        assert_eq!(all, listed);
        assert_eq!(promotion_types_for(OBJECTIVE_WEB_CONVERSIONS), &["WEBSITE"]);
    }
}
