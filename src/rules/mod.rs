//! Rules: their registry and, one per file, the checks over the workspace.

pub mod common;
pub mod plan_diff;
pub mod registry;
pub mod structural;

// Domain rules, one per file.
pub mod sp101_spark_without_account_identity;
pub mod sp102_cross_advertiser;
pub mod sp103_post_source;
pub mod sp104_authorization_window;
pub mod sp201_authorization_days;
pub mod sp202_authorization_expired;
pub mod sp203_schedule_past_authorization;
pub mod sp204_authorization_ends_soon;
pub mod sp205_dual_creator_original;
pub mod sp206_duplicate_video_code;
pub mod sp207_authorized_in_future;
pub mod sp301_ad_texts_ignored;
pub mod sp302_private_post_goes_public;
pub mod sp303_ad_text;
pub mod sp304_missing_ad_texts;
pub mod sp305_call_to_action_portfolio_required;
pub mod sp306_non_spark_on_tiktok;
pub mod sp307_photo_post_music;
pub mod sp308_call_to_action_portfolio_missing;
pub mod sp309_custom_identities_in_one_ad;
pub mod sp401_spark_ads_limit;
pub mod sp402_spark_ads_near_limit;
pub mod sp403_ad_list_sizes;
pub mod sp404_identity_ads_limit;
pub mod sp405_smart_plus_quota;
pub mod sp406_unsupported_campaign;
pub mod sp407_objective_field_required;
pub mod sp408_objective_field_invalid;
pub mod sp409_conversion_source_required;
pub mod sp410_lifetime_budget_needs_end;
pub mod sp411_ad_group_budget_required;
pub mod sp412_ad_group_budget_ignored;

use registry::RuleMeta;

/// Every rule, sorted by code.
pub static ALL_RULES: &[&RuleMeta] = &[
    &structural::SP001,
    &structural::SP002,
    &structural::SP003,
    &structural::SP004,
    &structural::SP005,
    &structural::SP006,
    &structural::SP007,
    &structural::SP008,
    &structural::SP009,
    &structural::SP010,
    &structural::SP011,
    &structural::SP012,
    &structural::SP013,
    &structural::SP014,
    &sp101_spark_without_account_identity::RULE,
    &sp102_cross_advertiser::RULE,
    &sp103_post_source::RULE,
    &sp104_authorization_window::RULE,
    &sp201_authorization_days::RULE,
    &sp202_authorization_expired::RULE,
    &sp203_schedule_past_authorization::RULE,
    &sp204_authorization_ends_soon::RULE,
    &sp205_dual_creator_original::RULE,
    &sp206_duplicate_video_code::RULE,
    &sp207_authorized_in_future::RULE,
    &sp301_ad_texts_ignored::RULE,
    &sp302_private_post_goes_public::RULE,
    &sp303_ad_text::RULE,
    &sp304_missing_ad_texts::RULE,
    &sp305_call_to_action_portfolio_required::RULE,
    &sp306_non_spark_on_tiktok::RULE,
    &sp307_photo_post_music::RULE,
    &sp308_call_to_action_portfolio_missing::RULE,
    &sp309_custom_identities_in_one_ad::RULE,
    &sp401_spark_ads_limit::RULE,
    &sp402_spark_ads_near_limit::RULE,
    &sp403_ad_list_sizes::RULE,
    &sp404_identity_ads_limit::RULE,
    &sp405_smart_plus_quota::RULE,
    &sp406_unsupported_campaign::RULE,
    &sp407_objective_field_required::RULE,
    &sp408_objective_field_invalid::RULE,
    &sp409_conversion_source_required::RULE,
    &sp410_lifetime_budget_needs_end::RULE,
    &sp411_ad_group_budget_required::RULE,
    &sp412_ad_group_budget_ignored::RULE,
    &plan_diff::SP501,
    &plan_diff::SP502,
    &plan_diff::SP503,
    &plan_diff::SP504,
];

use crate::diag::Diagnostic;
use crate::model::{Date, Post, Today, UtcOffset};
use crate::workspace::Workspace;

/// What a rule sees: the resolved workspace and the run's settings. Rules
/// never read the CLI or the configuration file directly.
#[derive(Debug, Clone, Copy)]
pub struct RuleCtx<'a> {
    /// The workspace, with every resource by name.
    pub ws: &'a Workspace,
    /// "Today": the `--today` (`SPARKPLAN_TODAY`) date for every advertiser,
    /// or the current instant, a date at each advertiser's offset. Rules read
    /// it through [`RuleCtx::today_in`] and [`RuleCtx::today_of_post`].
    pub today: Today,
    /// SP204's window in days.
    pub expiry_warning_days: u32,
}

impl RuleCtx<'_> {
    /// Today's date in the ad account named `advertiser`, at its fixed UTC
    /// offset (UTC for an unknown advertiser, already reported by SP005).
    pub fn today_in(&self, advertiser: &str) -> Date {
        self.today
            .at(common::advertiser_offset(self.ws, advertiser))
    }

    /// Today's date in the ad account of a post (its `advertiser`, or its
    /// identity's): authorization windows are the account's dates.
    pub fn today_of_post(&self, post: &Post) -> Date {
        match common::post_advertiser(self.ws, post) {
            Some(a) => self.today_in(&a.value.0),
            None => self.today.utc(),
        }
    }

    /// A note saying which day "today" is in the ad account of a post, when
    /// it is read from the clock and the account is not on UTC (so its date
    /// can differ from UTC's).
    pub fn today_note_of_post(&self, post: &Post) -> Option<String> {
        let Today::At(_) = self.today else {
            return None;
        };
        let name = &common::post_advertiser(self.ws, post)?.value.0;
        let offset = self.ws.advertisers.get(name)?.value.utc_offset();
        (offset != UtcOffset::UTC).then(|| {
            format!(
                "today is {} in ad account `{name}` ({offset}): authorization dates are the account's",
                self.today.at(offset)
            )
        })
    }
}

/// A rule's check: reports into `out`, never fails.
pub type CheckFn = fn(&RuleCtx<'_>, &mut Vec<Diagnostic>);

/// The checks run over a decoded workspace, with the rule each one reports.
pub static CHECKS: &[(&RuleMeta, CheckFn)] = &[
    (
        &sp101_spark_without_account_identity::RULE,
        sp101_spark_without_account_identity::check,
    ),
    (&sp102_cross_advertiser::RULE, sp102_cross_advertiser::check),
    (&sp103_post_source::RULE, sp103_post_source::check),
    (
        &sp104_authorization_window::RULE,
        sp104_authorization_window::check,
    ),
    (
        &sp201_authorization_days::RULE,
        sp201_authorization_days::check,
    ),
    (
        &sp202_authorization_expired::RULE,
        sp202_authorization_expired::check,
    ),
    (
        &sp203_schedule_past_authorization::RULE,
        sp203_schedule_past_authorization::check,
    ),
    (
        &sp204_authorization_ends_soon::RULE,
        sp204_authorization_ends_soon::check,
    ),
    (
        &sp205_dual_creator_original::RULE,
        sp205_dual_creator_original::check,
    ),
    (
        &sp206_duplicate_video_code::RULE,
        sp206_duplicate_video_code::check,
    ),
    (
        &sp207_authorized_in_future::RULE,
        sp207_authorized_in_future::check,
    ),
    (&sp301_ad_texts_ignored::RULE, sp301_ad_texts_ignored::check),
    (
        &sp302_private_post_goes_public::RULE,
        sp302_private_post_goes_public::check,
    ),
    (&sp303_ad_text::RULE, sp303_ad_text::check),
    (&sp304_missing_ad_texts::RULE, sp304_missing_ad_texts::check),
    (
        &sp305_call_to_action_portfolio_required::RULE,
        sp305_call_to_action_portfolio_required::check,
    ),
    (
        &sp306_non_spark_on_tiktok::RULE,
        sp306_non_spark_on_tiktok::check,
    ),
    (&sp307_photo_post_music::RULE, sp307_photo_post_music::check),
    (
        &sp308_call_to_action_portfolio_missing::RULE,
        sp308_call_to_action_portfolio_missing::check,
    ),
    (
        &sp309_custom_identities_in_one_ad::RULE,
        sp309_custom_identities_in_one_ad::check,
    ),
    (&sp401_spark_ads_limit::RULE, sp401_spark_ads_limit::check),
    (
        &sp402_spark_ads_near_limit::RULE,
        sp402_spark_ads_near_limit::check,
    ),
    (&sp403_ad_list_sizes::RULE, sp403_ad_list_sizes::check),
    (
        &sp404_identity_ads_limit::RULE,
        sp404_identity_ads_limit::check,
    ),
    (&sp405_smart_plus_quota::RULE, sp405_smart_plus_quota::check),
    (
        &sp406_unsupported_campaign::RULE,
        sp406_unsupported_campaign::check,
    ),
    (
        &sp407_objective_field_required::RULE,
        sp407_objective_field_required::check,
    ),
    (
        &sp408_objective_field_invalid::RULE,
        sp408_objective_field_invalid::check,
    ),
    (
        &sp409_conversion_source_required::RULE,
        sp409_conversion_source_required::check,
    ),
    (
        &sp410_lifetime_budget_needs_end::RULE,
        sp410_lifetime_budget_needs_end::check,
    ),
    (
        &sp411_ad_group_budget_required::RULE,
        sp411_ad_group_budget_required::check,
    ),
    (
        &sp412_ad_group_budget_ignored::RULE,
        sp412_ad_group_budget_ignored::check,
    ),
];

/// Runs every check whose rule is not switched off. The checks only read the
/// workspace, so they run in parallel (on a 10,000-ad workspace they cost
/// about as much as parsing it); their results are concatenated in `CHECKS`
/// order, so the output does not depend on scheduling.
pub fn run(ctx: &RuleCtx<'_>, is_off: impl Fn(&str) -> bool + Sync) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let per_check: Vec<Vec<Diagnostic>> = CHECKS
        .par_iter()
        .map(|(meta, check)| {
            let mut out = Vec::new();
            if !is_off(meta.code) {
                check(ctx, &mut out);
            }
            out
        })
        .collect();
    per_check.into_iter().flatten().collect()
}
