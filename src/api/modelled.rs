//! The keys of a request body that sparkplan builds from the manifest's own
//! fields, per resource: an `api:` object may not set them (SP003), because
//! the plan writes them (`plan::state`). Each entry is (API key, what to set
//! instead). The keys are those of the official create trees
//! ([`super::endpoints`]: `CAMPAIGN_CREATE`, `ADGROUP_CREATE`, `AD_CREATE`;
//! `tt_video/info` and the identity fields of `creative_info`).

/// An advertiser (`advertiser:` files).
pub const ADVERTISER: &[(&str, &str)] = &[
    ("advertiser_id", "`advertiser_id`"),
    ("business_center_id", "`business_center_id`"),
    ("timezone", "`timezone`"),
];
/// An identity.
pub const IDENTITY: &[(&str, &str)] = &[
    ("identity_id", "`identity_id`"),
    ("identity_type", "`type`"),
    ("identity_authorized_bc_id", "`business_center_id`"),
    ("display_name", "`display_name`"),
];
/// A code post (`tt_video/authorize`).
pub const POST: &[(&str, &str)] = &[
    ("advertiser_id", "`advertiser`"),
    ("auth_code", "`video_code`"),
    ("original_post_auth_code", "`original_video_code`"),
];
/// Fields of `creative_info` (media and creative `api:`).
pub const CREATIVE: &[(&str, &str)] = &[
    ("ad_format", "the post's `format`"),
    ("identity_type", "the identity's `type`"),
    ("identity_id", "`identity`"),
    (
        "identity_authorized_bc_id",
        "the identity's `business_center_id`",
    ),
    ("tiktok_item_id", "`post`"),
    ("video_info", "the media's `video_id`"),
    ("image_info", "the media's `cover_image`"),
    ("music_info", "the post's `music_id`"),
];
/// `smart_plus/campaign/create`.
pub const CAMPAIGN: &[(&str, &str)] = &[
    ("advertiser_id", "`advertiser`"),
    ("campaign_name", "the campaign's name"),
    ("objective_type", "`objective`"),
    ("budget", "`budget.amount`"),
    ("budget_mode", "`budget.mode`"),
    (
        "budget_optimize_on",
        "`budget` (set on the campaign or on the ad groups)",
    ),
    ("request_id", "nothing (sparkplan derives it)"),
    ("sales_destination", "`sales_destination`"),
    ("app_promotion_type", "`app_promotion_type`"),
];
/// `smart_plus/adgroup/create`.
pub const AD_GROUP: &[(&str, &str)] = &[
    ("advertiser_id", "the campaign's `advertiser`"),
    ("campaign_id", "nothing (the ad group's campaign)"),
    ("adgroup_name", "the ad group's name"),
    ("request_id", "nothing (sparkplan derives it)"),
    ("schedule_type", "`schedule`"),
    ("schedule_start_time", "`schedule.start`"),
    ("schedule_end_time", "`schedule.end`"),
    ("placement_type", "`placements`"),
    ("placements", "`placements`"),
    ("budget", "`budget.amount`"),
    ("budget_mode", "`budget.mode`"),
    ("promotion_type", "`promotion_type`"),
    ("promotion_target_type", "`promotion_target_type`"),
    ("optimization_goal", "`optimization_goal`"),
    ("optimization_event", "`optimization_event`"),
    ("pixel_id", "`pixel_id`"),
    ("app_id", "`app_id`"),
    ("billing_event", "`billing_event`"),
    ("bid_type", "`bid_type`"),
    ("bid_price", "`bid_price`"),
    ("conversion_bid_price", "`conversion_bid_price`"),
    ("roas_bid", "`roas_bid`"),
];
/// Nested keys of the ad group's `targeting_spec`.
pub const TARGETING: &[(&str, &str)] = &[("location_ids", "`locations`")];
/// `smart_plus/ad/create`.
pub const AD: &[(&str, &str)] = &[
    ("advertiser_id", "the campaign's `advertiser`"),
    ("adgroup_id", "nothing (the ad's ad group)"),
    ("ad_name", "the ad's name"),
    ("creative_list", "`creatives`"),
    ("ad_text_list", "`ad_texts`"),
    ("call_to_action_list", "`call_to_actions`"),
    ("landing_page_url_list", "`landing_page_url`"),
];
/// Nested keys of the ad's `ad_configuration`.
pub const AD_CONFIGURATION: &[(&str, &str)] = &[
    ("call_to_action_id", "`call_to_action_portfolio`"),
    ("dark_post_status", "the creative's `ads_only`"),
    ("identity_type", "a creative's `identity` (a `custom` one)"),
    ("identity_id", "a creative's `identity` (a `custom` one)"),
];
