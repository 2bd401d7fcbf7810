//! The plan compiler: resolves a workspace into the TikTok API calls that
//! would create it from nothing or, given a base workspace, bring the account
//! from the base state to the declared one.
//!
//! The [`Plan`] is data (serde); renderers live in [`crate::render::plan`].
//! Every collection is ordered deterministically: resources in address
//! order, operations in dependency order.
//!
//! - `state` resolves a workspace into request bodies,
//! - [`diff`] pairs base and new resources (actions, changed fields) and
//!   checks SP501–SP504 on the pair,
//! - `ops` orders the operations,
//! - [`base`] reads the base workspace from a folder or a git commit.

pub mod base;
pub mod diff;
mod ops;
mod rename;
mod state;

use std::collections::HashMap;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::check::{self, CheckOptions};
use crate::diag::{self, Diagnostic, Severity, SourceMap};
use crate::model::{ApiFields, Date, Spanned};
use crate::workspace::{LoadError, Workspace};

pub use base::BaseSpec;

/// The version of the JSON plan's shape. Adding fields keeps it; removing or
/// changing one bumps it.
pub const FORMAT_VERSION: &str = "1";

/// The number of video codes authorized per batch (Ads Manager's limit).
pub const AUTHORIZATION_BATCH_SIZE: usize = 20;

/// The kind of a resource; the first part of its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An ad account (read only).
    Advertiser,
    /// A TikTok identity (read only).
    Identity,
    /// A post: authorized by video code (managed), or a post of an account (read only).
    Post,
    /// A creative in the ad account's library (read only).
    Media,
    /// A Smart+ campaign.
    Campaign,
    /// A Smart+ ad group.
    AdGroup,
    /// A Smart+ ad.
    Ad,
}

impl Kind {
    /// The API resource (create, update and status endpoints) of a managed
    /// kind; `None` for kinds the plan only reads or authorizes.
    pub(crate) fn resource(self) -> Option<crate::api::endpoints::Resource> {
        use crate::api::endpoints::Resource;
        match self {
            Kind::Campaign => Some(Resource::Campaign),
            Kind::AdGroup => Some(Resource::AdGroup),
            Kind::Ad => Some(Resource::Ad),
            _ => None,
        }
    }

    /// The word used in addresses and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Advertiser => "advertiser",
            Kind::Identity => "identity",
            Kind::Post => "post",
            Kind::Media => "media",
            Kind::Campaign => "campaign",
            Kind::AdGroup => "ad_group",
            Kind::Ad => "ad",
        }
    }
}

/// The address of a top-level resource: `post.jane_unboxing`.
pub fn address(kind: Kind, name: &str) -> String {
    format!("{}.{name}", kind.as_str())
}

/// What the plan does to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
pub enum Action {
    /// Created (`+`).
    #[serde(rename = "create")]
    Create,
    /// Changed in place (`~`).
    #[serde(rename = "update")]
    Update,
    /// Deleted and created again (`-/+`): an immutable field changed.
    #[serde(rename = "replace")]
    Replace,
    /// Deleted (`-`).
    #[serde(rename = "delete")]
    Delete,
    /// Unchanged.
    #[serde(rename = "no-op")]
    NoOp,
    /// Read (a `GET` operation: `tt_video/info`); never a resource's action.
    #[serde(rename = "read")]
    Read,
}

impl Action {
    /// The word used in output (`no-op` for [`Action::NoOp`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Delete => "delete",
            Action::NoOp => "no-op",
            Action::Read => "read",
        }
    }
    /// The `terraform plan` marker: `+`, `~`, `-/+`, `-` or a blank
    /// (no-op, read).
    pub fn marker(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Replace => "-/+",
            Action::Delete => "-",
            Action::NoOp | Action::Read => " ",
        }
    }
}

/// The plan: what would change, and the API calls that do it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "sparkplan plan", extend("$id" = "https://sparkplan.dev/schema/plan.schema.json"))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The version of this document's shape: always `"1"`.
    #[schemars(extend("const" = "1"))]
    pub format_version: String,
    /// The date the plan was made for, `YYYY-MM-DD`: `--today`, else the
    /// date in UTC at the run's instant (rules read that instant at each
    /// advertiser's own UTC offset).
    pub today: String,
    /// The base the plan is computed from (a git ref or a folder); `null` when
    /// the plan creates everything from nothing.
    pub base: Option<String>,
    /// How many managed resources each action touches.
    pub summary: Summary,
    /// Every resource of the base and the new workspace, in address order.
    pub resources: Vec<ResourceChange>,
    /// The API calls, in the order they must run.
    pub operations: Vec<Operation>,
    /// The video-code authorizations, grouped by 20 (Ads Manager's limit).
    pub authorization_batches: Vec<Batch>,
    /// Each code post's authorization window and the flights of the ad groups that use it.
    pub authorizations: Vec<Authorization>,
    /// Warnings found while checking (errors stop the plan).
    pub diagnostics: Vec<PlanDiagnostic>,
}

/// Counts of managed resources (code posts, campaigns, ad groups, ads) by action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Resources to create.
    pub add: usize,
    /// Resources to update in place.
    pub change: usize,
    /// Resources to replace (delete, then create).
    pub replace: usize,
    /// Resources to delete.
    pub delete: usize,
    /// Resources left as they are.
    pub no_op: usize,
}

impl Summary {
    /// `Plan: N to add, N to change, N to replace, N to delete.`
    pub fn line(&self) -> String {
        format!(
            "Plan: {} to add, {} to change, {} to replace, {} to delete.",
            self.add, self.change, self.replace, self.delete
        )
    }
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.add + self.change + self.replace + self.delete == 0
    }
}

/// One resource and what happens to it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceChange {
    /// Stable address, e.g. `campaign.holiday_2026.ad_group.us_broad.ad.kettle`.
    pub address: String,
    /// The kind of resource.
    pub kind: Kind,
    /// Its name (the last part of the address).
    pub name: String,
    /// Whether sparkplan calls the API for it. Advertisers, identities, media
    /// and posts of linked or Business Center accounts are only read.
    pub managed: bool,
    /// What happens to it.
    pub action: Action,
    /// The address it had in the base, when it is carried over from there
    /// under a new key (`renamed_from:` on it or on a parent): the same
    /// TikTok resource, not deleted and created again. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Why it is replaced or updated without a field of its own changing.
    pub reason: Option<String>,
    /// The fields that differ between base and new (empty for create, delete and no-op).
    pub changes: Vec<FieldChange>,
    /// What TikTok does with a change the plan cannot send as written: a
    /// field no longer declared that the update call cannot clear (TikTok
    /// keeps the old value), a field TikTok ignores, a start time moved to
    /// the moment the call runs.
    pub notes: Vec<String>,
    /// The resolved state: the new one, or the base one for a deletion.
    pub attributes: Map<String, Value>,
}

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    /// The field, dotted for nested objects (`targeting_spec.location_ids`).
    pub field: String,
    /// The base value (`null` when the field is added).
    pub old: Option<Value>,
    /// The new value (`null` when the field is removed).
    pub new: Option<Value>,
    /// Whether this change forces the resource to be replaced.
    pub forces_replacement: bool,
}

/// One API call.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// 1-based position in the plan.
    pub step: usize,
    /// The resource it acts on.
    pub address: String,
    /// What it does to the resource: `create`, `update`, `delete`, or `read`
    /// (`tt_video/info`).
    pub action: Action,
    /// `POST`, or `GET` for `tt_video/info`.
    #[schemars(extend("enum" = ["POST", "GET"]))]
    pub method: String,
    /// The endpoint under `/open_api/v1.3/`, without slashes, e.g. `smart_plus/ad/create`.
    pub endpoint: String,
    /// For `tt_video/authorize`: the 1-based authorization batch.
    pub batch: Option<usize>,
    /// The request body (for `GET`, the query parameters).
    /// `{"$ref": "ADDRESS.FIELD"}` is an output of an earlier operation of
    /// this plan; `{"$state": "ADDRESS.FIELD"}` is a value of a resource that
    /// already exists (it is in the base); `{"$now": "UTC"}` is the time the
    /// call runs, in UTC+0, as `YYYY-MM-DD HH:MM:SS`.
    pub body: Map<String, Value>,
    /// The values this call produces, as `ADDRESS.FIELD`.
    pub outputs: Vec<String>,
}

/// An authorization batch.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// 1-based batch number.
    pub batch: usize,
    /// The posts authorized in it, by address (sorted by post name).
    pub posts: Vec<String>,
    /// The steps of their `tt_video/authorize` operations.
    pub steps: Vec<usize>,
}

/// A code post's authorization window and the flights that use it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    /// The post's address.
    pub post: String,
    /// First day of the authorization (`null` when only `authorized_until` is known).
    pub from: Option<String>,
    /// Last day of the authorization.
    pub until: String,
    /// The ad groups whose ads use the post.
    pub used_by: Vec<Flight>,
}

/// The flight of an ad group.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flight {
    /// The ad group's address.
    pub ad_group: String,
    /// First day.
    pub start: String,
    /// Last day; `null` when it runs continuously.
    pub end: Option<String>,
}

/// A diagnostic reported along with the plan.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanDiagnostic {
    /// The rule code, e.g. `SP204`.
    pub code: String,
    /// `warning` (or `error` in a plan that was not made).
    pub severity: String,
    /// The message.
    pub message: String,
    /// The file of the primary label.
    pub file: Option<String>,
    /// 1-based line of the primary label.
    pub line: Option<usize>,
    /// 1-based column of the primary label.
    pub column: Option<usize>,
}

/// Converts diagnostics for the plan's `diagnostics` list.
pub fn plan_diagnostics(diags: &[Diagnostic], sources: &SourceMap) -> Vec<PlanDiagnostic> {
    diags
        .iter()
        .map(|d| {
            let span = d.primary_span();
            let loc = span.map(|s| sources.location(s));
            PlanDiagnostic {
                code: d.code().to_owned(),
                severity: d.severity.as_str().to_owned(),
                message: d.message.clone(),
                file: span.map(|s| sources.path(s.file).to_owned()),
                line: loc.map(|l| l.line),
                column: loc.map(|l| l.column),
            }
        })
        .collect()
}

/// Options of [`compile`].
#[derive(Debug, Clone)]
pub struct CompileOptions {
    /// "Today" in UTC, as the plan reports it.
    pub today: Date,
    /// "Today" in each ad account (by `advertiser_id`), at its fixed UTC
    /// offset: authorization windows and flights are the account's days.
    /// An account missing here uses [`CompileOptions::today`].
    pub account_today: HashMap<String, Date>,
    /// How the base is named in the output (`HEAD~1`, a folder), if any.
    pub base_label: Option<String>,
}

impl CompileOptions {
    /// Today in the ad account `advertiser_id`.
    pub fn today_of(&self, advertiser_id: &str) -> Date {
        self.account_today
            .get(advertiser_id)
            .copied()
            .unwrap_or(self.today)
    }
}

/// Compiles the plan from `new`, against `base` when given (otherwise from
/// nothing). Assumes `new` checked without errors; never fails.
pub fn compile(new: &Workspace, base: Option<&Workspace>, opts: &CompileOptions) -> Plan {
    let (new_res, base_res) = resolve_both(new, base);
    compile_resolved(new_res, base_res, opts)
}

/// Resolves the new and the base workspace, side by side.
fn resolve_both(
    new: &Workspace,
    base: Option<&Workspace>,
) -> (Vec<state::Res>, Option<Vec<state::Res>>) {
    rayon::join(|| state::resolve(new), || base.map(state::resolve))
}

/// [`compile`] from the resolved states, which it consumes (so the
/// workspaces can be freed before the plan is built).
fn compile_resolved(
    mut new_res: Vec<state::Res>,
    base_res: Option<Vec<state::Res>>,
    opts: &CompileOptions,
) -> Plan {
    // An expired code that no ad uses is not authorized (TikTok would
    // refuse it; SP202 does not report unused posts): it is left out of the
    // plan unless the base has it (newuser.md §2.4).
    let used: std::collections::BTreeSet<String> = new_res
        .iter()
        .filter(|r| r.kind == Kind::Ad)
        .flat_map(|r| r.code_posts.iter().cloned())
        .collect();
    let in_base: std::collections::HashSet<&str> = base_res
        .iter()
        .flatten()
        .filter(|r| r.kind == Kind::Post)
        .map(|r| r.address.as_str())
        .collect();
    new_res.retain(|r| {
        !(r.kind == Kind::Post
            && r.managed
            && r.window
                .is_some_and(|(_, end)| end < opts.today_of(&r.advertiser_id))
            && !used.contains(&r.name)
            && !in_base.contains(r.address.as_str()))
    });
    let changes = diff::pair(&new_res, base_res.as_deref(), &|id| opts.today_of(id));
    let (operations, authorization_batches) = ops::order(&changes);
    let mut summary = Summary::default();
    for c in changes.iter().filter(|c| c.managed) {
        match c.action {
            Action::Create => summary.add += 1,
            Action::Update => summary.change += 1,
            Action::Replace => summary.replace += 1,
            Action::Delete => summary.delete += 1,
            Action::NoOp | Action::Read => summary.no_op += 1,
        }
    }
    let authorizations = authorizations(&new_res);
    // The pairs are taken apart (their parts moved, not cloned), then each
    // resource's attributes are moved out of the resolved state: a plan of
    // 10,000 ads held every request body four times before.
    let mut resources: Vec<(ResourceChange, bool)> = changes
        .into_iter()
        .map(|c| {
            let from_new = c.new.is_some();
            let renamed_from = c
                .old
                .filter(|o| from_new && o.address != c.address)
                .map(|o| o.address.clone());
            let r = ResourceChange {
                address: c.address,
                kind: c.kind,
                name: c.name,
                managed: c.managed,
                action: c.action,
                renamed_from,
                reason: c.reason,
                changes: c.fields,
                notes: c.notes,
                attributes: Map::new(),
            };
            (r, from_new)
        })
        .collect();
    let take_attrs = |res: Vec<state::Res>| -> HashMap<String, Map<String, Value>> {
        res.into_iter().map(|r| (r.address, r.attrs)).collect()
    };
    let mut new_attrs = take_attrs(new_res);
    let mut base_attrs = base_res.map(take_attrs).unwrap_or_default();
    for (r, from_new) in &mut resources {
        let from = if *from_new {
            &mut new_attrs
        } else {
            &mut base_attrs
        };
        r.attributes = from.remove(&r.address).unwrap_or_default();
    }
    let resources = resources.into_iter().map(|(r, _)| r).collect();
    Plan {
        format_version: FORMAT_VERSION.to_owned(),
        today: opts.today.to_string(),
        base: opts.base_label.clone(),
        summary,
        resources,
        operations,
        authorization_batches,
        authorizations,
        diagnostics: Vec::new(),
    }
}

fn authorizations(res: &[state::Res]) -> Vec<Authorization> {
    use std::collections::BTreeMap;
    let groups: BTreeMap<&str, &state::Res> = res
        .iter()
        .filter(|r| r.kind == Kind::AdGroup)
        .map(|r| (r.address.as_str(), r))
        .collect();
    // Post name → the ad groups (in address order, once each) whose ads use it.
    let mut users: BTreeMap<&str, Vec<&state::Res>> = BTreeMap::new();
    for ad in res.iter().filter(|r| r.kind == Kind::Ad) {
        let Some(group) = ad.parent.as_deref().and_then(|p| groups.get(p)) else {
            continue;
        };
        for post in &ad.code_posts {
            let v = users.entry(post.as_str()).or_default();
            if !v.iter().any(|g| g.address == group.address) {
                v.push(group);
            }
        }
    }
    let mut out = Vec::new();
    for p in res.iter().filter(|r| r.kind == Kind::Post && r.managed) {
        let Some((from, until)) = p.window else {
            continue;
        };
        let used_by = users
            .get(p.name.as_str())
            .into_iter()
            .flatten()
            .filter_map(|g| {
                g.flight.map(|(start, end)| Flight {
                    ad_group: g.address.clone(),
                    start: start.to_string(),
                    end: end.map(|e| e.to_string()),
                })
            })
            .collect();
        out.push(Authorization {
            post: p.address.clone(),
            from: from.map(|d| d.to_string()),
            until: until.to_string(),
            used_by,
        });
    }
    out
}

/// The JSON Schema (draft-07) of the JSON plan, as committed in
/// `schema/plan.schema.json`.
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Plan>();
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

// ---------------------------------------------------------------------------
// `api:` keys that sparkplan models (SP003)

/// Keys of `api:` that sparkplan models, per resource: (API key, what to set instead).
mod modelled {
    pub const ADVERTISER: &[(&str, &str)] = &[
        ("advertiser_id", "`advertiser_id`"),
        ("business_center_id", "`business_center_id`"),
        ("timezone", "`timezone`"),
    ];
    pub const IDENTITY: &[(&str, &str)] = &[
        ("identity_id", "`identity_id`"),
        ("identity_type", "`type`"),
        ("identity_authorized_bc_id", "`business_center_id`"),
        ("display_name", "`display_name`"),
    ];
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
    pub const CAMPAIGN: &[(&str, &str)] = &[
        ("advertiser_id", "`advertiser`"),
        ("campaign_name", "`name`"),
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
    pub const AD_GROUP: &[(&str, &str)] = &[
        ("advertiser_id", "the campaign's `advertiser`"),
        ("campaign_id", "nothing (the ad group's campaign)"),
        ("adgroup_name", "`name`"),
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
    pub const AD: &[(&str, &str)] = &[
        ("advertiser_id", "the campaign's `advertiser`"),
        ("adgroup_id", "nothing (the ad's ad group)"),
        ("ad_name", "`name`"),
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
}

/// Reports SP003 for every `api:` key that sparkplan models (the request
/// body already has it). `check` runs this.
pub fn api_refusals(ws: &Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let refuse = |api: &Option<Spanned<ApiFields>>, list: &[(&str, &str)], out: &mut Vec<_>| {
        if let Some(api) = api {
            api.value.refuse_modelled(list, out);
        }
    };
    for a in ws.advertisers.values() {
        refuse(&a.value.api, modelled::ADVERTISER, &mut out);
    }
    for i in ws.identities.values() {
        refuse(&i.value.api, modelled::IDENTITY, &mut out);
    }
    for p in ws.posts.values() {
        refuse(&p.value.api, modelled::POST, &mut out);
    }
    for m in ws.media.values() {
        refuse(&m.value.api, modelled::CREATIVE, &mut out);
    }
    for c in ws.campaigns.values() {
        refuse(&c.value.api, modelled::CAMPAIGN, &mut out);
        let Some(groups) = &c.value.ad_groups else {
            continue;
        };
        for (_, g) in groups.iter() {
            refuse(&g.api, modelled::AD_GROUP, &mut out);
            refuse_nested(&g.api, "targeting_spec", modelled::TARGETING, &mut out);
            let Some(ads) = &g.ads else { continue };
            for (_, ad) in ads.iter() {
                refuse(&ad.api, modelled::AD, &mut out);
                refuse_nested(
                    &ad.api,
                    "ad_configuration",
                    modelled::AD_CONFIGURATION,
                    &mut out,
                );
                for cr in &ad.creatives.value {
                    refuse(&cr.value.api, modelled::CREATIVE, &mut out);
                }
            }
        }
    }
    out
}

/// SP003 for modelled keys inside an `api:` object that sparkplan merges
/// key by key (`targeting_spec`, `ad_configuration`).
fn refuse_nested(
    api: &Option<Spanned<ApiFields>>,
    key: &str,
    list: &[(&str, &str)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(api) = api else { return };
    for (k, v) in &api.value.0 {
        if k.value != key {
            continue;
        }
        let Value::Object(inner) = v else { continue };
        for (api_key, instead) in list {
            if inner.contains_key(*api_key) {
                out.push(
                    Diagnostic::new(
                        &crate::model::codes::SP003,
                        format!(
                            "`{key}.{api_key}` is modelled by sparkplan and cannot be set under `api:`"
                        ),
                    )
                    .primary(k.span, "contains a modelled field")
                    .note(format!(
                        "sparkplan merges `api.{key}` key by key into the `{key}` it builds"
                    ))
                    .help(format!("set {instead} instead")),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The whole command, as a library call

/// Why a plan could not be made at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The workspace could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The base could not be read.
    #[error("cannot read the base `{base}`: {message}")]
    Base {
        /// The `--base` argument.
        base: String,
        /// The cause.
        message: String,
    },
}

/// The outcome of [`run`].
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The files the diagnostics point into: the workspace's, then the base's.
    pub sources: SourceMap,
    /// How many manifest files of the workspace were read.
    pub files_checked: usize,
    /// Every diagnostic, severities applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The plan, when no diagnostic is an error.
    pub plan: Option<Plan>,
}

impl Outcome {
    /// Whether any diagnostic is an error (and so there is no plan).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The code posts this plan would authorize although their code has expired
/// (TikTok refuses to authorize an expired code, so the plan could not run):
/// `check` exempts them when only paused ads or ended flights use them
/// (issue 12), but a plan that creates those ads needs the code authorized.
/// A post the base already has with the same code is not authorized again,
/// and an unused one is left out of the plan ([`compile`]): neither is refused.
fn expired_authorizations(
    ws: &Workspace,
    base: Option<&Workspace>,
    today: crate::model::Today,
) -> Vec<Diagnostic> {
    use crate::rules::common::{
        advertiser_offset, auth_window, post_advertiser, post_uses, uses_note,
    };
    let uses = post_uses(ws);
    let mut out = Vec::new();
    for (name, def) in &ws.posts {
        let Some(w) = auth_window(&def.value) else {
            continue;
        };
        let Some(spans) = uses.get(name.as_str()) else {
            continue;
        };
        let offset = post_advertiser(ws, &def.value).map_or(crate::model::UtcOffset::UTC, |a| {
            advertiser_offset(ws, &a.value.0)
        });
        if w.end >= today.at(offset) {
            continue;
        }
        let authorized_in_base = base
            .and_then(|b| b.posts.get(name))
            .is_some_and(|o| o.value.video_code == def.value.video_code);
        if authorized_in_base {
            continue;
        }
        let mut d = Diagnostic::new(
            &crate::rules::sp202_authorization_expired::RULE,
            format!(
                "the plan would authorize the code of post `{name}`, which expired on {}",
                w.end
            ),
        )
        .primary(w.span, w.label())
        .note(uses_note(spans.len()))
        .note("TikTok refuses to authorize an expired video code, so the ads that use the post cannot be created")
        .help("ask the creator for a new code and update `video_code`, or remove the post from the ads (paused ads and ended flights that use it are created too)");
        if let Some(first) = spans.first() {
            d = d.secondary(*first, "used here");
        }
        out.push(d);
    }
    out
}

/// Checks `paths`, reads the base if any, checks the pair (SP501–SP504) and
/// compiles the plan when nothing is an error.
pub fn run(
    paths: &[PathBuf],
    base: Option<&BaseSpec>,
    opts: &CheckOptions,
) -> Result<Outcome, PlanError> {
    // The base is read while the workspace is checked: reading it from git
    // waits on another process, and its merge and resolution are sequential.
    let (report, base_ws) = rayon::join(
        || check::check(paths, opts),
        || base.map(|spec| base::load(spec, paths, opts.config.limits)),
    );
    let mut report = report?;
    let files_checked = report.workspace.manifest_count;
    let has_errors = report.has_errors();
    // Moved, not copied: the plan needs neither from the report again.
    let mut sources = std::mem::take(&mut report.workspace.sources);
    let mut diagnostics = std::mem::take(&mut report.diagnostics);
    if has_errors {
        return Ok(Outcome {
            sources,
            files_checked,
            diagnostics,
            plan: None,
        });
    }
    let base_ws = base_ws.transpose()?;
    if let (Some(spec), Some(b)) = (base, &base_ws) {
        // A resource of the base that could not be read would look deleted,
        // and one whose references are undefined would look changed: every
        // error is refused the same way, with the first one as the reason.
        if let Some(d) = b.diagnostics.iter().find(|d| d.is_error()) {
            let at = d
                .primary_span()
                .map(|s| {
                    let l = b.sources.location(s);
                    format!("{}:{}:{}: ", b.sources.path(s.file), l.line, l.column)
                })
                .unwrap_or_default();
            return Err(PlanError::Base {
                base: spec.label(),
                message: format!(
                    "it does not read cleanly, so it cannot be compared ({at}{} [{}])",
                    d.message,
                    d.code()
                ),
            });
        }
    }
    if let Some(b) = &base_ws {
        let offset = u32::try_from(sources.len()).unwrap_or(u32::MAX);
        for (_, f) in b.sources.files() {
            sources.add(f.path.clone(), f.text.clone());
        }
        let mut pair = diff::check_pair(&report.workspace, b, offset);
        pair.retain(|d| !opts.config.severities.is_off(d.code()));
        opts.config.severities.apply(&mut pair);
        // `sparkplan-allow` comments of the new workspace apply here too.
        crate::workspace::suppress_quietly(&mut pair, &report.workspace.allows);
        diagnostics.extend(pair);
        diag::sort(&mut diagnostics, &sources);
        diagnostics.dedup();
    }
    let mut refused = expired_authorizations(&report.workspace, base_ws.as_ref(), opts.today);
    if !refused.is_empty() {
        // Configured like every rule: a severity, `sparkplan-allow` comments.
        if opts
            .config
            .severities
            .is_off(crate::rules::sp202_authorization_expired::RULE.code)
        {
            refused.clear();
        }
        opts.config.severities.apply(&mut refused);
        crate::workspace::suppress_quietly(&mut refused, &report.workspace.allows);
        diagnostics.extend(refused);
        diag::sort(&mut diagnostics, &sources);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(Outcome {
            sources,
            files_checked,
            diagnostics,
            plan: None,
        });
    }
    // The workspaces are not needed once resolved: freeing them before the
    // plan is built lowers the peak memory by their size.
    let (new_res, base_res) = resolve_both(&report.workspace, base_ws.as_ref());
    let account_today = report
        .workspace
        .advertisers
        .values()
        .map(|a| {
            (
                a.value.advertiser_id.value.0.clone(),
                opts.today.at(a.value.utc_offset()),
            )
        })
        .collect();
    drop(report);
    drop(base_ws);
    let mut plan = compile_resolved(
        new_res,
        base_res,
        &CompileOptions {
            today: opts.today.utc(),
            account_today,
            base_label: base.map(BaseSpec::label),
        },
    );
    let warnings: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    plan.diagnostics = plan_diagnostics(&warnings, &sources);
    Ok(Outcome {
        sources,
        files_checked,
        diagnostics,
        plan: Some(plan),
    })
}
