//! Rules: their registry and, one per file, the checks over the workspace.

pub mod common;
pub mod pair;
pub mod policy;
pub mod registry;

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
pub mod sp310_display_name;
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
// Policy rules (issue 21): off unless `[policy]` in `sparkplan.toml` sets them.
pub mod sp601_name_pattern;
pub mod sp602_landing_page_https;
pub mod sp603_landing_page_parameters;
pub mod sp604_tiktok_url_macro;
pub mod sp651_budget_increase;
pub mod sp652_too_many_deletes;

// Pair rules (`plan --base`), one per file.
pub mod sp501_caption_changed;
pub mod sp502_visibility_changed_in_use;
pub mod sp503_immutable_field_changed;
pub mod sp504_us_location_removed;
pub mod sp505_renamed_from_unmatched;
pub mod sp506_renamed_from_conflict;

use pair::{PairCtx, PairFn};
use registry::RuleMeta;

/// One rule: its metadata, and its check when it runs over the decoded
/// workspace (structural rules are reported while reading and decoding,
/// pair rules by `plan --base`).
#[derive(Debug)]
pub struct Rule {
    /// Code, name, severity, documentation.
    pub meta: &'static RuleMeta,
    /// The check over the workspace, if the rule has one.
    pub check: Option<CheckFn>,
    /// The check over the pair of workspaces of `plan --base`, if the rule
    /// is a pair rule.
    pub pair: Option<PairFn>,
}

impl Rule {
    const fn checked(meta: &'static RuleMeta, check: CheckFn) -> Self {
        Rule {
            meta,
            check: Some(check),
            pair: None,
        }
    }
    const fn reported(meta: &'static RuleMeta) -> Self {
        Rule {
            meta,
            check: None,
            pair: None,
        }
    }
    const fn paired(meta: &'static RuleMeta, pair: PairFn) -> Self {
        Rule {
            meta,
            check: None,
            pair: Some(pair),
        }
    }
}

/// Every rule, sorted by code: the one table `sparkplan rules`, `explain`,
/// the configuration, SARIF and the checks read.
pub static REGISTRY: &[Rule] = &[
    Rule::reported(&crate::syntax::codes::SP001),
    Rule::reported(&crate::syntax::codes::SP002),
    Rule::reported(&crate::model::codes::SP003),
    Rule::reported(&crate::model::codes::SP004),
    Rule::reported(&crate::model::codes::SP005),
    Rule::reported(&crate::syntax::codes::SP006),
    Rule::reported(&crate::workspace::codes::SP007),
    Rule::reported(&crate::workspace::codes::SP008),
    Rule::reported(&crate::model::codes::SP009),
    Rule::reported(&crate::model::codes::SP010),
    Rule::reported(&crate::model::codes::SP011),
    Rule::reported(&crate::model::codes::SP012),
    Rule::reported(&crate::syntax::codes::SP013),
    Rule::reported(&crate::workspace::codes::SP014),
    Rule::checked(
        &sp101_spark_without_account_identity::RULE,
        sp101_spark_without_account_identity::check,
    ),
    Rule::checked(&sp102_cross_advertiser::RULE, sp102_cross_advertiser::check),
    Rule::checked(&sp103_post_source::RULE, sp103_post_source::check),
    Rule::checked(
        &sp104_authorization_window::RULE,
        sp104_authorization_window::check,
    ),
    Rule::checked(
        &sp201_authorization_days::RULE,
        sp201_authorization_days::check,
    ),
    Rule::checked(
        &sp202_authorization_expired::RULE,
        sp202_authorization_expired::check,
    ),
    Rule::checked(
        &sp203_schedule_past_authorization::RULE,
        sp203_schedule_past_authorization::check,
    ),
    Rule::checked(
        &sp204_authorization_ends_soon::RULE,
        sp204_authorization_ends_soon::check,
    ),
    Rule::checked(
        &sp205_dual_creator_original::RULE,
        sp205_dual_creator_original::check,
    ),
    Rule::checked(
        &sp206_duplicate_video_code::RULE,
        sp206_duplicate_video_code::check,
    ),
    Rule::checked(
        &sp207_authorized_in_future::RULE,
        sp207_authorized_in_future::check,
    ),
    Rule::checked(&sp301_ad_texts_ignored::RULE, sp301_ad_texts_ignored::check),
    Rule::checked(
        &sp302_private_post_goes_public::RULE,
        sp302_private_post_goes_public::check,
    ),
    Rule::checked(&sp303_ad_text::RULE, sp303_ad_text::check),
    Rule::checked(&sp304_missing_ad_texts::RULE, sp304_missing_ad_texts::check),
    Rule::checked(
        &sp305_call_to_action_portfolio_required::RULE,
        sp305_call_to_action_portfolio_required::check,
    ),
    Rule::checked(
        &sp306_non_spark_on_tiktok::RULE,
        sp306_non_spark_on_tiktok::check,
    ),
    Rule::checked(&sp307_photo_post_music::RULE, sp307_photo_post_music::check),
    Rule::checked(
        &sp308_call_to_action_portfolio_missing::RULE,
        sp308_call_to_action_portfolio_missing::check,
    ),
    Rule::checked(
        &sp309_custom_identities_in_one_ad::RULE,
        sp309_custom_identities_in_one_ad::check,
    ),
    Rule::checked(&sp310_display_name::RULE, sp310_display_name::check),
    Rule::checked(&sp401_spark_ads_limit::RULE, sp401_spark_ads_limit::check),
    Rule::checked(
        &sp402_spark_ads_near_limit::RULE,
        sp402_spark_ads_near_limit::check,
    ),
    Rule::checked(&sp403_ad_list_sizes::RULE, sp403_ad_list_sizes::check),
    Rule::checked(
        &sp404_identity_ads_limit::RULE,
        sp404_identity_ads_limit::check,
    ),
    Rule::checked(&sp405_smart_plus_quota::RULE, sp405_smart_plus_quota::check),
    Rule::checked(
        &sp406_unsupported_campaign::RULE,
        sp406_unsupported_campaign::check,
    ),
    Rule::checked(
        &sp407_objective_field_required::RULE,
        sp407_objective_field_required::check,
    ),
    Rule::checked(
        &sp408_objective_field_invalid::RULE,
        sp408_objective_field_invalid::check,
    ),
    Rule::checked(
        &sp409_conversion_source_required::RULE,
        sp409_conversion_source_required::check,
    ),
    Rule::checked(
        &sp410_lifetime_budget_needs_end::RULE,
        sp410_lifetime_budget_needs_end::check,
    ),
    Rule::checked(
        &sp411_ad_group_budget_required::RULE,
        sp411_ad_group_budget_required::check,
    ),
    Rule::checked(
        &sp412_ad_group_budget_ignored::RULE,
        sp412_ad_group_budget_ignored::check,
    ),
    Rule::paired(&sp501_caption_changed::RULE, sp501_caption_changed::check),
    Rule::paired(
        &sp502_visibility_changed_in_use::RULE,
        sp502_visibility_changed_in_use::check,
    ),
    Rule::paired(
        &sp503_immutable_field_changed::RULE,
        sp503_immutable_field_changed::check,
    ),
    Rule::paired(
        &sp504_us_location_removed::RULE,
        sp504_us_location_removed::check,
    ),
    Rule::paired(
        &sp505_renamed_from_unmatched::RULE,
        sp505_renamed_from_unmatched::check,
    ),
    Rule::checked(
        &sp506_renamed_from_conflict::RULE,
        sp506_renamed_from_conflict::check,
    ),
    Rule::checked(&sp601_name_pattern::RULE, sp601_name_pattern::check),
    Rule::checked(
        &sp602_landing_page_https::RULE,
        sp602_landing_page_https::check,
    ),
    Rule::checked(
        &sp603_landing_page_parameters::RULE,
        sp603_landing_page_parameters::check,
    ),
    Rule::checked(&sp604_tiktok_url_macro::RULE, sp604_tiktok_url_macro::check),
    Rule::paired(&sp651_budget_increase::RULE, sp651_budget_increase::check),
    Rule::paired(&sp652_too_many_deletes::RULE, sp652_too_many_deletes::check),
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
    /// `[policy]`: the team's own rules (SP6xx), off unless configured.
    pub policy: &'a policy::Policy,
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

/// Runs every check whose rule is not switched off. The checks only read the
/// workspace, so they run in parallel (on a 10,000-ad workspace they cost
/// about as much as parsing it); their results are concatenated in `REGISTRY`
/// order, so the output does not depend on scheduling.
pub fn run(ctx: &RuleCtx<'_>, is_off: impl Fn(&str) -> bool + Sync) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let per_check: Vec<Vec<Diagnostic>> = REGISTRY
        .par_iter()
        .map(|rule| {
            let mut out = Vec::new();
            if let Some(check) = rule.check
                && !is_off(rule.meta.code)
            {
                check(ctx, &mut out);
            }
            out
        })
        .collect();
    per_check.into_iter().flatten().collect()
}

/// Runs every pair rule that is not switched off over the two workspaces of
/// `plan --base`, in `REGISTRY` order.
pub fn run_pair(ctx: &PairCtx<'_>, is_off: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in REGISTRY {
        if let Some(pair) = rule.pair
            && !is_off(rule.meta.code)
        {
            pair(ctx, &mut out);
        }
    }
    out
}
