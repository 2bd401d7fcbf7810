//! The plan compiler: resolves a workspace into the TikTok API calls that
//! would create it from nothing or, given a base workspace, bring the account
//! from the base state to the declared one.
//!
//! The [`Plan`] is data (serde); renderers live in `render::plan` (a higher layer).
//! Every collection is ordered deterministically: resources in address
//! order, operations in dependency order.
//!
//! - `state` resolves a workspace into request bodies,
//! - [`diff`] pairs base and new resources (actions, changed fields); the
//!   pair rules SP501–SP504 are rules (`rules::sp50N_*`), run by the driver,
//! - `ops` orders the operations,
//! - [`base`] reads the base workspace from a folder or a git commit.

pub mod base;
mod body;
pub mod diff;
mod ops;
mod rename;
mod state;

use std::collections::HashMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::diag::{Diagnostic, SourceMap};
use crate::model::Date;
use crate::workspace::{LoadError, Workspace};

pub use base::BaseSpec;
pub use body::Body;

/// The version of the JSON plan's shape. Adding fields keeps it; removing or
/// changing one bumps it.
pub const FORMAT_VERSION: &str = "1";

pub use crate::api::fields::AUTHORIZATION_BATCH_SIZE;

/// The kind of a resource: one enum for the workspace, the rules and the
/// plan (`model::ResourceKind`), named `Kind` here as the plan always did.
pub use crate::model::ResourceKind as Kind;

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
    // For a campaign, ad group or ad, its create request body, shared (not
    // copied) with its create operation's `body`.
    pub attributes: Arc<Map<String, Value>>,
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
    pub method: &'static str,
    /// The endpoint under `/open_api/v1.3/`, without slashes, e.g. `smart_plus/ad/create`.
    pub endpoint: &'static str,
    /// For `tt_video/authorize`: the 1-based authorization batch.
    pub batch: Option<usize>,
    /// The request body (for `GET`, the query parameters).
    /// `{"$ref": "ADDRESS.FIELD"}` is an output of an earlier operation of
    /// this plan; `{"$state": "ADDRESS.FIELD"}` is a value of a resource that
    /// already exists (it is in the base); `{"$now": "UTC"}` is the time the
    /// call runs, in UTC+0, as `YYYY-MM-DD HH:MM:SS`.
    pub body: Body,
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

/// Resolves the new workspace, then the base, taking from the new one the
/// resources that resolve the same way ([`state::resolve_reusing`]).
pub(crate) fn resolve_both(
    new: &Workspace,
    base: Option<&Workspace>,
) -> (Vec<state::Res>, Option<Vec<state::Res>>) {
    let new_res = state::resolve(new);
    let base_res = base.map(|b| {
        state::resolve_reusing(
            b,
            state::Known {
                ws: new,
                res: &new_res,
            },
        )
    });
    (new_res, base_res)
}

/// [`compile`] from the resolved states, which it consumes (so the
/// workspaces can be freed before the plan is built).
pub(crate) fn compile_resolved(
    mut new_res: Vec<state::Res>,
    base_res: Option<Vec<state::Res>>,
    opts: &CompileOptions,
) -> Plan {
    // An expired code that no ad uses is not authorized (TikTok would
    // refuse it; SP202 does not report unused posts): it is left out of the
    // plan unless the base has it (newuser.md §2.4).
    let used: std::collections::HashSet<&str> = new_res
        .iter()
        .filter(|r| r.kind == Kind::Ad)
        .flat_map(|r| r.code_posts.iter().map(String::as_str))
        .collect();
    let in_base: std::collections::HashSet<&str> = base_res
        .iter()
        .flatten()
        .filter(|r| r.kind == Kind::Post)
        .map(|r| r.address.as_str())
        .collect();
    let unused_expired: Vec<bool> = new_res
        .iter()
        .map(|r| {
            r.kind == Kind::Post
                && r.managed
                && r.window
                    .is_some_and(|(_, end)| end < opts.today_of(&r.advertiser_id))
                && !used.contains(r.name.as_str())
                && !in_base.contains(r.address.as_str())
        })
        .collect();
    let mut left_out = unused_expired.into_iter();
    new_res.retain(|_| !left_out.next().unwrap_or(false));
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
    // The pairs are taken apart (their parts moved, not cloned); each
    // resource's attributes are shared with the resolved state (new, or base
    // for a deletion), not copied.
    let resources = changes
        .into_iter()
        .map(|c| {
            let renamed_from = c
                .old
                .filter(|o| c.new.is_some() && o.address != c.address)
                .map(|o| o.address.clone());
            let attributes = c
                .new
                .or(c.old)
                .map(state::Res::shared_attrs)
                .unwrap_or_default();
            ResourceChange {
                address: c.address,
                kind: c.kind,
                name: c.name,
                managed: c.managed,
                action: c.action,
                renamed_from,
                reason: c.reason,
                changes: c.fields,
                notes: c.notes,
                attributes,
            }
        })
        .collect();
    // The resolved states are freed on the pool (every base body and the
    // resolved resources' other fields), not on the way to the output.
    rayon::spawn(move || drop((new_res, base_res)));
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
    // Lookups only: hashed (the output follows `res`, in address order).
    let groups: HashMap<&str, &state::Res> = res
        .iter()
        .filter(|r| r.kind == Kind::AdGroup)
        .map(|r| (r.address.as_str(), r))
        .collect();
    // Post name → the ad groups (in address order, once each) whose ads use it.
    let mut users: HashMap<&str, Vec<&state::Res>> = HashMap::new();
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
// Why a plan cannot be made (returned by `driver::plan::run`)

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
