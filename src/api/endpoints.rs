//! What each Smart+ endpoint accepts on create and on update, and which
//! arrays TikTok treats as sets.
//!
//! Source: the official SDK `tiktok/tiktok-business-api-sdk` @ `f809c39`,
//! `yml_files/smart_plus_*.yml`, flattened into
//! `tests/data/tiktok-api/schema_smart_plus_*.txt` by
//! `tests/data/tiktok-api/flatten.py`. Each list below holds every field of
//! one request tree as a dotted path, objects and their fields included; the
//! fields of an array's elements are not listed (an array is one value).
//! `tests/contract.rs` checks that the lists equal the trees, so a new SDK
//! version that changes a tree fails the build until the list follows.
//!
//! The `tt_video/*` endpoints are not in the official SDK; their fields come
//! from the Go SDK `bububa/tiktok-business` (`api/ttvideo/*.go`), whose
//! comments copy TikTok's documentation.

/// The Smart+ resources sparkplan creates and updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    /// A Smart+ campaign.
    Campaign,
    /// A Smart+ ad group.
    AdGroup,
    /// A Smart+ ad.
    Ad,
}

impl Resource {
    /// The create endpoint, under `/open_api/v1.3/`.
    pub fn create_endpoint(self) -> &'static str {
        match self {
            Resource::Campaign => "smart_plus/campaign/create",
            Resource::AdGroup => "smart_plus/adgroup/create",
            Resource::Ad => "smart_plus/ad/create",
        }
    }
    /// The update endpoint, under `/open_api/v1.3/`.
    pub fn update_endpoint(self) -> &'static str {
        match self {
            Resource::Campaign => "smart_plus/campaign/update",
            Resource::AdGroup => "smart_plus/adgroup/update",
            Resource::Ad => "smart_plus/ad/update",
        }
    }
    /// The status-update endpoint (`operation_status: DELETE` deletes).
    pub fn status_endpoint(self) -> &'static str {
        match self {
            Resource::Campaign => "smart_plus/campaign/status/update",
            Resource::AdGroup => "smart_plus/adgroup/status/update",
            Resource::Ad => "smart_plus/ad/status/update",
        }
    }
    /// The field of the ID the create call returns and later calls name.
    pub fn id_field(self) -> &'static str {
        match self {
            Resource::Campaign => "campaign_id",
            Resource::AdGroup => "adgroup_id",
            Resource::Ad => "smart_plus_ad_id",
        }
    }
    /// The ID array of the status-update call (1 to 20 IDs).
    pub fn status_ids_field(self) -> &'static str {
        match self {
            Resource::Campaign => "campaign_ids",
            Resource::AdGroup => "adgroup_ids",
            Resource::Ad => "smart_plus_ad_ids",
        }
    }
    /// Every field the create call accepts (dotted paths).
    pub fn create_fields(self) -> &'static [&'static str] {
        match self {
            Resource::Campaign => CAMPAIGN_CREATE,
            Resource::AdGroup => ADGROUP_CREATE,
            Resource::Ad => AD_CREATE,
        }
    }
    /// Every field the update call accepts (dotted paths).
    pub fn update_fields(self) -> &'static [&'static str] {
        match self {
            Resource::Campaign => CAMPAIGN_UPDATE,
            Resource::AdGroup => ADGROUP_UPDATE,
            Resource::Ad => AD_UPDATE,
        }
    }
    /// Whether the update call accepts the field at `path` (dotted, as in
    /// the create body: `targeting_spec.location_ids`).
    pub fn update_accepts(self, path: &str) -> bool {
        self.update_fields().contains(&path)
    }
}

/// The `tt_video/authorize` call: `POST`, one video code per call, no data in
/// the response (GO `api/ttvideo/authorize.go`, `model/ttvideo/authorize.go`).
pub const TT_VIDEO_AUTHORIZE: &str = "tt_video/authorize";
/// The `tt_video/info` call: `GET` with `advertiser_id` and `auth_code`; the
/// response's `item_info.item_id` and `user_info.identity_id` are what an ad
/// needs (GO `api/ttvideo/info.go`, `model/ttvideo/info.go`).
pub const TT_VIDEO_INFO: &str = "tt_video/info";
/// The `tt_video/unbind` call: `POST` with `advertiser_id` and `item_id`; "if
/// the authorization of a Spark Ads post has expired or been cancelled, you
/// can unbind it" (GO `api/ttvideo/unbind.go`).
pub const TT_VIDEO_UNBIND: &str = "tt_video/unbind";

/// Arrays whose order TikTok ignores: they are compared as sets (a
/// reordering is no change). Every other array is compared in order.
///
/// - `creative_list`: Smart+ chooses among the creatives by performance; no
///   field orders them (`schema_smart_plus_ad_create.txt` has no position).
/// - `ad_text_list`, `call_to_action_list`: Smart+ combines texts and calls to
///   action with the creatives automatically (same trees).
/// - `placements` and the `targeting_spec` ID and enum lists are sets of
///   targets.
///
/// `landing_page_url_list` holds at most one element; `api:` arrays
/// sparkplan does not model keep their order.
pub const UNORDERED: &[&str] = &[
    "creative_list",
    "ad_text_list",
    "call_to_action_list",
    "placements",
    "targeting_spec.location_ids",
    "targeting_spec.age_groups",
    "targeting_spec.languages",
    "targeting_spec.audience_ids",
    "targeting_spec.excluded_audience_ids",
    "targeting_spec.interest_category_ids",
    "targeting_spec.interest_keyword_ids",
    "targeting_spec.operating_systems",
    "targeting_spec.network_types",
    "targeting_spec.household_income",
    "targeting_spec.zipcode_ids",
];

/// Whether the order of the array at `path` matters to TikTok.
pub fn order_matters(path: &str) -> bool {
    !UNORDERED.contains(&path)
}

/// `smart_plus/campaign/create` (`schema_smart_plus_campaign_create.txt`).
pub const CAMPAIGN_CREATE: &[&str] = &[
    "advertiser_id",
    "app_id",
    "app_promotion_type",
    "bid_align_type",
    "budget",
    "budget_mode",
    "budget_optimize_on",
    "campaign_app_profile_page_state",
    "campaign_name",
    "campaign_type",
    "catalog_enabled",
    "catalog_type",
    "disable_skan_campaign",
    "is_advanced_dedicated_campaign",
    "is_promotional_campaign",
    "objective_type",
    "open_api_partner",
    "operation_status",
    "po_number",
    "postback_window_mode",
    "request_id",
    "sales_destination",
    "special_industries",
];

/// `smart_plus/campaign/update` (`schema_smart_plus_campaign_update.txt`).
pub const CAMPAIGN_UPDATE: &[&str] = &[
    "advertiser_id",
    "budget",
    "campaign_id",
    "campaign_name",
    "po_number",
];

/// `smart_plus/adgroup/create` (`schema_smart_plus_adgroup_create.txt`).
pub const ADGROUP_CREATE: &[&str] = &[
    "adgroup_name",
    "advertiser_id",
    "app_id",
    "attribution_event_count",
    "bid_price",
    "bid_type",
    "billing_event",
    "budget",
    "budget_mode",
    "campaign_id",
    "catalog_authorized_bc_id",
    "catalog_id",
    "click_attribution_window",
    "comment_disabled",
    "conversion_bid_price",
    "custom_conversion_id",
    "dayparting",
    "deep_bid_type",
    "deep_cpabid",
    "deep_funnel_event_source",
    "deep_funnel_event_source_id",
    "deep_funnel_optimization_event",
    "deep_funnel_optimization_status",
    "engaged_view_attribution_window",
    "identity_authorized_bc_id",
    "identity_id",
    "identity_type",
    "message_event_set_id",
    "messaging_app_account_id",
    "messaging_app_type",
    "min_budget",
    "movie_premiere_date",
    "open_api_partner",
    "operation_status",
    "optimization_event",
    "optimization_goal",
    "phone_info",
    "phone_info.phone_number",
    "phone_info.phone_region_calling_code",
    "phone_info.phone_region_code",
    "pixel_id",
    "placement_type",
    "placements",
    "product_source",
    "promotion_target_type",
    "promotion_type",
    "promotion_website_type",
    "request_id",
    "roas_bid",
    "schedule_end_time",
    "schedule_start_time",
    "schedule_type",
    "share_disabled",
    "suggestion_audience_enabled",
    "targeting_optimization_mode",
    "targeting_spec",
    "targeting_spec.actions",
    "targeting_spec.age_groups",
    "targeting_spec.app_targeting_type",
    "targeting_spec.audience_ids",
    "targeting_spec.blocked_pangle_app_ids",
    "targeting_spec.carrier_ids",
    "targeting_spec.device_model_ids",
    "targeting_spec.device_price_ranges",
    "targeting_spec.excluded_audience_ids",
    "targeting_spec.excluded_pangle_audience_package_ids",
    "targeting_spec.gender",
    "targeting_spec.household_income",
    "targeting_spec.included_pangle_audience_package_ids",
    "targeting_spec.interest_category_ids",
    "targeting_spec.interest_keyword_ids",
    "targeting_spec.isp_ids",
    "targeting_spec.languages",
    "targeting_spec.location_ids",
    "targeting_spec.min_android_version",
    "targeting_spec.min_ios_version",
    "targeting_spec.network_types",
    "targeting_spec.operating_systems",
    "targeting_spec.purchase_intention_keyword_ids",
    "targeting_spec.saved_audience_id",
    "targeting_spec.smart_audience_enabled",
    "targeting_spec.smart_interest_behavior_enabled",
    "targeting_spec.spc_audience_age",
    "targeting_spec.spending_power",
    "targeting_spec.zipcode_ids",
    "vbo_window",
    "video_download_disabled",
    "view_attribution_window",
    "zalo_id_type",
];

/// `smart_plus/adgroup/update` (`schema_smart_plus_adgroup_update.txt`).
pub const ADGROUP_UPDATE: &[&str] = &[
    "adgroup_id",
    "adgroup_name",
    "advertiser_id",
    "bid_price",
    "budget",
    "comment_disabled",
    "conversion_bid_price",
    "dayparting",
    "min_budget",
    "pacing",
    "roas_bid",
    "schedule_end_time",
    "schedule_start_time",
    "schedule_type",
    "share_disabled",
    "suggestion_audience_enabled",
    "targeting_optimization_mode",
    "targeting_spec",
    "targeting_spec.actions",
    "targeting_spec.age_groups",
    "targeting_spec.audience_ids",
    "targeting_spec.blocked_pangle_app_ids",
    "targeting_spec.carrier_ids",
    "targeting_spec.device_model_ids",
    "targeting_spec.device_price_ranges",
    "targeting_spec.excluded_audience_ids",
    "targeting_spec.excluded_pangle_audience_package_ids",
    "targeting_spec.gender",
    "targeting_spec.household_income",
    "targeting_spec.included_pangle_audience_package_ids",
    "targeting_spec.interest_category_ids",
    "targeting_spec.interest_keyword_ids",
    "targeting_spec.isp_ids",
    "targeting_spec.languages",
    "targeting_spec.location_ids",
    "targeting_spec.min_android_version",
    "targeting_spec.min_ios_version",
    "targeting_spec.network_types",
    "targeting_spec.operating_systems",
    "targeting_spec.purchase_intention_keyword_ids",
    "targeting_spec.saved_audience_id",
    "targeting_spec.smart_audience_enabled",
    "targeting_spec.smart_interest_behavior_enabled",
    "targeting_spec.spc_audience_age",
    "targeting_spec.spending_power",
    "targeting_spec.zipcode_ids",
];

/// `smart_plus/ad/create` (`schema_smart_plus_ad_create.txt`).
pub const AD_CREATE: &[&str] = &[
    "ad_configuration",
    "ad_configuration.auto_disclaimer_types",
    "ad_configuration.call_to_action_id",
    "ad_configuration.catalog_creative_toggle",
    "ad_configuration.dark_post_status",
    "ad_configuration.end_card_cta",
    "ad_configuration.fallback_type",
    "ad_configuration.identity_id",
    "ad_configuration.identity_type",
    "ad_configuration.phone_info",
    "ad_configuration.phone_info.phone_number",
    "ad_configuration.phone_info.phone_region_calling_code",
    "ad_configuration.phone_info.phone_region_code",
    "ad_configuration.product_display_field_list",
    "ad_configuration.product_ids",
    "ad_configuration.product_set_id",
    "ad_configuration.product_specific_type",
    "ad_configuration.tracking_info",
    "ad_configuration.tracking_info.click_tracking_url",
    "ad_configuration.tracking_info.impression_tracking_url",
    "ad_configuration.tracking_info.tracking_app_id",
    "ad_configuration.tracking_info.tracking_message_event_set_id",
    "ad_configuration.utm_params",
    "ad_name",
    "ad_text_list",
    "adgroup_id",
    "advertiser_id",
    "auto_message_list",
    "call_to_action_list",
    "creative_list",
    "deeplink_list",
    "interactive_add_on_list",
    "landing_page_url_list",
    "operation_status",
    "page_list",
];

/// `smart_plus/ad/update` (`schema_smart_plus_ad_update.txt`).
pub const AD_UPDATE: &[&str] = &[
    "ad_configuration",
    "ad_configuration.auto_disclaimer_types",
    "ad_configuration.call_to_action_id",
    "ad_configuration.catalog_creative_toggle",
    "ad_configuration.dark_post_status",
    "ad_configuration.end_card_cta",
    "ad_configuration.fallback_type",
    "ad_configuration.identity_id",
    "ad_configuration.identity_type",
    "ad_configuration.phone_info",
    "ad_configuration.phone_info.phone_number",
    "ad_configuration.phone_info.phone_region_calling_code",
    "ad_configuration.phone_info.phone_region_code",
    "ad_configuration.product_ids",
    "ad_configuration.product_set_id",
    "ad_configuration.product_specific_type",
    "ad_configuration.tracking_info",
    "ad_configuration.tracking_info.click_tracking_url",
    "ad_configuration.tracking_info.impression_tracking_url",
    "ad_configuration.tracking_info.tracking_app_id",
    "ad_configuration.utm_params",
    "ad_name",
    "ad_text_list",
    "advertiser_id",
    "call_to_action_list",
    "creative_list",
    "deeplink_list",
    "interactive_add_on_list",
    "landing_page_url_list",
    "page_list",
    "smart_plus_ad_id",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_trees_are_subsets_of_create_trees_but_for_the_ids_and_pacing() {
        for r in [Resource::Campaign, Resource::AdGroup, Resource::Ad] {
            for f in r.update_fields() {
                // `pacing` is only in the ad-group update tree.
                assert!(
                    r.create_fields().contains(f) || *f == r.id_field() || *f == "pacing",
                    "{r:?} {f}"
                );
            }
        }
        assert!(Resource::AdGroup.update_accepts("targeting_spec.location_ids"));
        assert!(!Resource::AdGroup.update_accepts("placements"));
        assert!(!Resource::Campaign.update_accepts("sales_destination"));
        assert!(!order_matters("creative_list"));
        assert!(order_matters("landing_page_url_list"));
    }
}
