//! The declared state of a workspace, resolved: every reference followed and
//! every default applied, as the request bodies sparkplan would send.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::{Kind, address};
use crate::api::fields;
use crate::model::{
    AdGroup, ApiFields, BudgetMode, Campaign, Creative, Date, IdentityType, Objective, Placement,
    Placements, Post, PostFormat, Spanned,
};
use crate::workspace::Workspace;

/// One resource of the declared state.
#[derive(Debug, Clone)]
pub(crate) struct Res {
    /// Stable address (`campaign.holiday_2026.ad_group.us_broad`).
    pub address: String,
    pub kind: Kind,
    /// The name (last part of the address).
    pub name: String,
    /// Whether sparkplan calls the API for it (code posts, campaigns, ad
    /// groups, ads) or only reads it (advertisers, identities, account
    /// posts, media).
    pub managed: bool,
    /// The parent's address (ad group → campaign, ad → ad group).
    pub parent: Option<String>,
    /// The advertiser ID the resource belongs to (empty if unresolved).
    pub advertiser_id: String,
    /// What is compared between base and new ([`Res::attrs`]) when it is
    /// not the body: for posts the authorization body and the post's own
    /// attributes; for references their resolved fields. Empty for
    /// campaigns, ad groups and ads, whose attributes are their body.
    attrs: Arc<Map<String, Value>>,
    /// Whether the attributes are [`Res::body`] itself (campaigns, ad groups,
    /// ads): one copy of every request body instead of two (a plan of 10,000
    /// Spark Ads held both, about a third of its peak memory).
    attrs_are_body: bool,
    /// The create request body (without `request_id`), for managed
    /// resources: shared, not copied, by the resource's `attributes` in the
    /// plan and its create operation's body. Built with `Arc::make_mut`
    /// while the resource is resolved, when nothing else holds it (so
    /// nothing is copied).
    pub body: Arc<Map<String, Value>>,
    /// For ads: the code posts their creatives use, by name (sorted, unique).
    pub code_posts: Vec<String>,
    /// For code posts: the authorization window (first day if known, last day).
    pub window: Option<(Option<Date>, Date)>,
    /// For ad groups: the flight (start, end if any).
    pub flight: Option<(Date, Option<Date>)>,
    /// For campaigns, ad groups and ads whose key or an ancestor's key was
    /// renamed (`renamed_from:`): the address the resource had before.
    pub renamed_from: Option<String>,
}

impl Res {
    fn new(kind: Kind, address: String, name: &str, managed: bool) -> Self {
        Res {
            address,
            kind,
            name: name.to_owned(),
            managed,
            parent: None,
            advertiser_id: String::new(),
            attrs: Arc::default(),
            attrs_are_body: false,
            body: Arc::default(),
            code_posts: Vec::new(),
            window: None,
            flight: None,
            renamed_from: None,
        }
    }

    /// What is compared between base and new: for campaigns, ad groups and
    /// ads the create request body; for posts the authorization body and the
    /// post's own attributes; for references their resolved fields.
    pub fn attrs(&self) -> &Map<String, Value> {
        if self.attrs_are_body {
            &self.body
        } else {
            &self.attrs
        }
    }

    /// The resource with every object of its body and attributes rebuilt at
    /// its exact size. A `serde_json` map grows by doubling and keeps a
    /// hash index sized for more entries: the `{"$ref": …}` and
    /// `{"creative_info": …}` objects of a plan of 10,000 Spark Ads (about
    /// 60,000 objects) held a third of its memory in unused capacity.
    fn compacted(mut self) -> Self {
        let body = Arc::unwrap_or_clone(std::mem::take(&mut self.body));
        self.body = Arc::new(compact(body, 0));
        let attrs = Arc::unwrap_or_clone(std::mem::take(&mut self.attrs));
        self.attrs = Arc::new(compact(attrs, 0));
        self
    }

    /// The attributes, shared (the plan's `attributes`): for campaigns, ad
    /// groups and ads the body itself, shared with their create call too.
    pub fn shared_attrs(&self) -> Arc<Map<String, Value>> {
        if self.attrs_are_body {
            Arc::clone(&self.body)
        } else {
            Arc::clone(&self.attrs)
        }
    }
}

/// How deep [`compact`] rebuilds nested objects (`api:` values may nest
/// deeper; they are kept as they are below this depth).
const COMPACT_DEPTH: usize = 32;

/// `m` with the same entries (moved, not copied) in a map of exactly their
/// number, and likewise every object and array inside it, down to
/// [`COMPACT_DEPTH`].
fn compact(m: Map<String, Value>, depth: usize) -> Map<String, Value> {
    if depth >= COMPACT_DEPTH {
        return m;
    }
    let mut out = Map::with_capacity(m.len());
    for (k, v) in m {
        let v = match v {
            Value::Object(inner) => Value::Object(compact(inner, depth + 1)),
            Value::Array(items) if items.iter().any(|x| x.is_object() || x.is_array()) => {
                let mut a = Vec::with_capacity(items.len());
                for x in items {
                    a.push(match x {
                        Value::Object(inner) => Value::Object(compact(inner, depth + 2)),
                        other => other,
                    });
                }
                Value::Array(a)
            }
            other => other,
        };
        out.insert(k, v);
    }
    out
}

/// A `$ref` to an output of an earlier operation (or, once the plan is
/// ordered, a `$state` value of an existing resource).
pub(crate) fn reference(target: &str) -> Value {
    one("$ref", target)
}

/// `{key: value}`, the value moved in, in a map of exactly one entry: the
/// `json!` macro copies its values through the serializer and leaves room
/// for four entries, and the plan of 10,000 Spark Ads has 60,000 such
/// objects (`{"$ref": …}`, `{"creative_info": …}`).
fn one(key: &str, value: impl Into<Value>) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(key.to_owned(), value.into());
    Value::Object(m)
}

/// The API `identity_type` of an identity type.
pub(crate) fn identity_type_api(t: IdentityType) -> &'static str {
    match t {
        IdentityType::LinkedAccount => fields::IDENTITY_TT_USER,
        IdentityType::BusinessCenter => fields::IDENTITY_BC_AUTH_TT,
        IdentityType::Custom => fields::IDENTITY_CUSTOMIZED_USER,
    }
}

/// The API `objective_type` (objectives Smart+ does not offer are refused by SP406).
pub(crate) fn objective_api(o: Objective) -> &'static str {
    match o {
        Objective::AppPromotion => fields::OBJECTIVE_APP_PROMOTION,
        Objective::WebConversions => fields::OBJECTIVE_WEB_CONVERSIONS,
        Objective::LeadGeneration => fields::OBJECTIVE_LEAD_GENERATION,
        // Refused by check (SP406); written as the TikTok name if ever reached.
        Objective::Reach => "REACH",
        Objective::Traffic => "TRAFFIC",
        Objective::VideoViews => "VIDEO_VIEWS",
        Objective::Engagement => "ENGAGEMENT",
        Objective::ProductSales => "PRODUCT_SALES",
    }
}

/// The API `budget_mode`.
pub(crate) fn budget_mode_api(m: BudgetMode) -> &'static str {
    match m {
        BudgetMode::Daily => "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
        BudgetMode::Lifetime => "BUDGET_MODE_TOTAL",
    }
}

fn placement_api(p: Placement) -> &'static str {
    match p {
        Placement::Tiktok => "PLACEMENT_TIKTOK",
        Placement::Pangle => "PLACEMENT_PANGLE",
        Placement::GlobalAppBundle => "PLACEMENT_GLOBAL_APP_BUNDLE",
    }
}

/// A budget amount as a JSON number (integers stay integers).
fn amount(a: f64) -> Value {
    if a.fract() == 0.0 && a.abs() < 9.0e15 {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "guarded: a whole number below 9e15 fits in an i64"
        )]
        let i = a as i64;
        Value::from(i)
    } else {
        serde_json::Number::from_f64(a).map_or(Value::Null, Value::Number)
    }
}

/// Merges `api:` pass-through fields into `into`: objects are merged key by
/// key (so `targeting_spec: {age_groups: …}` adds to the modelled
/// `location_ids`), anything else is set verbatim.
pub(crate) fn merge_api(into: &mut Map<String, Value>, api: Option<&Spanned<ApiFields>>) {
    let Some(api) = api else { return };
    for (k, v) in &api.value.0 {
        merge_value(into, &k.value, v);
    }
}

fn merge_value(into: &mut Map<String, Value>, key: &str, v: &Value) {
    match (into.get_mut(key), v) {
        (Some(Value::Object(existing)), Value::Object(add)) => {
            for (k2, v2) in add {
                merge_value(existing, k2, v2);
            }
        }
        _ => {
            into.insert(key.to_owned(), v.clone());
        }
    }
}

/// Resolves every resource of `ws`, in address order: advertisers,
/// identities, media, posts, then each campaign followed by its ad groups and
/// their ads.
pub(crate) fn resolve(ws: &Workspace) -> Vec<Res> {
    let mut out = resolve_references(ws);
    out.extend(resolve_campaigns(ws, None));
    out
}

/// The resolution of another workspace, to take resources from.
#[derive(Clone, Copy)]
pub(crate) struct Known<'a> {
    pub ws: &'a Workspace,
    pub res: &'a [Res],
}

/// [`resolve`], taking from `known` (the new workspace, resolved) what
/// resolves the same way instead of resolving it again: a resource's
/// resolution reads its own declaration and the advertisers, identities,
/// media and posts it names, so when those four are equal (declarations and
/// spans: the base's unchanged files are the new workspace's, with the same
/// file ids), a campaign declared equally resolves to the same campaign, ad
/// groups and ads. Its bodies are then shared, and compared by address.
/// For `plan --base` on a pull request that changes a few files, this
/// replaces a second resolution of every resource.
pub(crate) fn resolve_reusing(ws: &Workspace, known: Known<'_>) -> Vec<Res> {
    let same_references = known.ws.advertisers == ws.advertisers
        && known.ws.identities == ws.identities
        && known.ws.media == ws.media
        && known.ws.posts == ws.posts;
    if !same_references {
        return resolve(ws);
    }
    let first_campaign = known
        .res
        .iter()
        .position(|r| r.kind == Kind::Campaign)
        .unwrap_or(known.res.len());
    let mut out = known.res.get(..first_campaign).unwrap_or_default().to_vec();
    out.extend(resolve_campaigns(ws, Some(known)));
    out
}

/// Each campaign's resources (itself, its ad groups and their ads) in a
/// resolution, by campaign name.
fn campaign_runs(res: &[Res]) -> HashMap<&str, &[Res]> {
    let starts: Vec<usize> = res
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == Kind::Campaign)
        .map(|(i, _)| i)
        .collect();
    starts
        .iter()
        .enumerate()
        .filter_map(|(k, &i)| {
            let end = starts.get(k + 1).copied().unwrap_or(res.len());
            Some((res.get(i)?.name.as_str(), res.get(i..end)?))
        })
        .collect()
}

/// The campaigns (each followed by its ad groups and ads), in parallel;
/// those `known` declares the same way are taken from it.
fn resolve_campaigns(ws: &Workspace, known: Option<Known<'_>>) -> Vec<Res> {
    let runs = known.map(|k| campaign_runs(k.res)).unwrap_or_default();
    let campaigns: Vec<Vec<Res>> = ws
        .campaigns
        .par_iter()
        .map(|(cname, def)| {
            if let Some(k) = known
                && k.ws.campaigns.get(cname) == Some(def)
                && let Some(run) = runs.get(cname.as_str())
            {
                return run.to_vec();
            }
            let mut v = Vec::new();
            resolve_campaign(ws, cname, &def.value, &mut v);
            v
        })
        .collect();
    campaigns.into_iter().flatten().collect()
}

/// The advertisers, identities, media and posts of `ws`, resolved.
fn resolve_references(ws: &Workspace) -> Vec<Res> {
    let mut out = Vec::new();
    let adv_id = |name: &str| -> String {
        ws.advertisers
            .get(name)
            .map(|a| a.value.advertiser_id.value.0.clone())
            .unwrap_or_default()
    };

    for (name, def) in &ws.advertisers {
        let a = &def.value;
        let mut r = Res::new(
            Kind::Advertiser,
            address(Kind::Advertiser, name),
            name,
            false,
        );
        r.advertiser_id = a.advertiser_id.value.0.clone();
        let at = Arc::make_mut(&mut r.attrs);
        at.insert("advertiser_id".into(), json!(a.advertiser_id.value.0));
        if let Some(bc) = &a.business_center_id {
            at.insert("business_center_id".into(), json!(bc.value.0));
        }
        at.insert("timezone".into(), json!(a.timezone_name()));
        let offset = a.utc_offset();
        at.insert("utc_offset".into(), json!(offset.to_string()));
        if let Some(q) = &a.smart_plus_campaign_quota {
            at.insert("smart_plus_campaign_quota".into(), json!(q.value.0));
        }
        out.push(r);
    }

    for (name, def) in &ws.identities {
        let i = &def.value;
        let mut r = Res::new(Kind::Identity, address(Kind::Identity, name), name, false);
        r.advertiser_id = adv_id(&i.advertiser.value.0);
        let at = Arc::make_mut(&mut r.attrs);
        at.insert("advertiser_id".into(), json!(r.advertiser_id));
        at.insert(
            "identity_type".into(),
            json!(identity_type_api(i.r#type.value)),
        );
        at.insert("identity_id".into(), json!(i.identity_id.value.0));
        if i.r#type.value == IdentityType::BusinessCenter
            && let Some(bc) = &i.business_center_id
        {
            at.insert("identity_authorized_bc_id".into(), json!(bc.value.0));
        }
        if let Some(h) = &i.handle {
            at.insert("handle".into(), json!(h.value));
        }
        if let Some(d) = &i.display_name {
            at.insert("display_name".into(), json!(d.value));
        }
        out.push(r);
    }

    for (name, def) in &ws.media {
        let m = &def.value;
        let mut r = Res::new(Kind::Media, address(Kind::Media, name), name, false);
        r.advertiser_id = adv_id(&m.advertiser.value.0);
        let at = Arc::make_mut(&mut r.attrs);
        at.insert("advertiser_id".into(), json!(r.advertiser_id));
        at.insert("video_id".into(), json!(m.video_id.value));
        at.insert("cover_image".into(), json!(m.cover_image.value));
        out.push(r);
    }

    // Posts are resolved in parallel, each on its own, and kept in address
    // order (as campaigns are, in `resolve_campaigns`).
    let posts: Vec<Res> = ws
        .posts
        .par_iter()
        .map(|(name, def)| resolve_post(ws, name, &def.value).compacted())
        .collect();
    out.extend(posts);
    out
}

fn resolve_post(ws: &Workspace, name: &str, p: &Post) -> Res {
    let code = p.video_code.as_ref();
    let mut r = Res::new(Kind::Post, address(Kind::Post, name), name, code.is_some());
    let format = p.format();
    if let Some(code) = code {
        r.advertiser_id = p
            .advertiser
            .as_ref()
            .and_then(|a| ws.advertisers.get(&a.value.0))
            .map(|a| a.value.advertiser_id.value.0.clone())
            .unwrap_or_default();
        let b = Arc::make_mut(&mut r.body);
        b.insert("advertiser_id".into(), json!(r.advertiser_id));
        b.insert("auth_code".into(), json!(code.value.0));
        if let Some(orig) = &p.original_video_code {
            b.insert("original_post_auth_code".into(), json!(orig.value.0));
        }
        merge_api(b, p.api.as_ref());
        // The attributes start as the authorization body (copied below, when
        // the post's own attributes are added).
        r.attrs = Arc::clone(&r.body);
        r.window = crate::model::auth_window(p).map(|w| (w.from, w.end));
    } else {
        let ident = p
            .identity
            .as_ref()
            .and_then(|i| ws.identities.get(&i.value.0));
        if let Some(i) = ident {
            r.advertiser_id = ws
                .advertisers
                .get(&i.value.advertiser.value.0)
                .map(|a| a.value.advertiser_id.value.0.clone())
                .unwrap_or_default();
            let at = Arc::make_mut(&mut r.attrs);
            at.insert("advertiser_id".into(), json!(r.advertiser_id));
            at.insert(
                "identity_type".into(),
                json!(identity_type_api(i.value.r#type.value)),
            );
            at.insert("identity_id".into(), json!(i.value.identity_id.value.0));
        }
        if let Some(item) = &p.item_id {
            Arc::make_mut(&mut r.attrs).insert("item_id".into(), json!(item.value.0));
        }
    }
    let at = Arc::make_mut(&mut r.attrs);
    at.insert("format".into(), json!(format.as_str()));
    if let Some(m) = &p.music_id {
        at.insert("music_id".into(), json!(m.value.0));
    }
    if let Some(c) = &p.caption {
        at.insert("caption".into(), json!(c.value));
    }
    at.insert("visibility".into(), json!(p.visibility().as_str()));
    at.insert("ads_only".into(), json!(p.ads_only()));
    if let Some((from, until)) = r.window {
        if let Some(from) = from {
            at.insert("authorized_from".into(), json!(from.to_string()));
        }
        at.insert("authorized_until".into(), json!(until.to_string()));
    }
    r
}

fn resolve_campaign(ws: &Workspace, cname: &str, c: &Campaign, out: &mut Vec<Res>) {
    let caddr = address(Kind::Campaign, cname);
    let advertiser_id = ws
        .advertisers
        .get(&c.advertiser.value.0)
        .map(|a| a.value.advertiser_id.value.0.clone())
        .unwrap_or_default();
    let mut r = Res::new(Kind::Campaign, caddr.clone(), cname, true);
    r.advertiser_id = advertiser_id.clone();
    // The address before a rename (`renamed_from:`), which the children's
    // old addresses start with.
    r.renamed_from = renamed(None, &caddr, "campaign", c.renamed_from.as_ref());
    let old_caddr = r.renamed_from.clone();
    let b = Arc::make_mut(&mut r.body);
    b.insert("advertiser_id".into(), json!(advertiser_id));
    // The display name (`name:`), or the key.
    b.insert(
        "campaign_name".into(),
        json!(c.name.as_ref().map_or(cname, |n| n.value.as_str())),
    );
    b.insert(
        "objective_type".into(),
        json!(objective_api(c.objective.value)),
    );
    if let Some(d) = &c.sales_destination {
        b.insert("sales_destination".into(), json!(d.value.api_value()));
    }
    if let Some(t) = &c.app_promotion_type {
        b.insert("app_promotion_type".into(), json!(t.value.api_value()));
    }
    match &c.budget {
        Some(budget) => {
            b.insert("budget_optimize_on".into(), json!(true));
            b.insert(
                "budget_mode".into(),
                json!(budget_mode_api(budget.value.mode.value)),
            );
            b.insert("budget".into(), amount(budget.value.amount.value));
        }
        // TikTok's default is `true`: without a campaign budget, budgets are
        // set per ad group, so budget optimization is switched off explicitly.
        None => {
            b.insert("budget_optimize_on".into(), json!(false));
        }
    }
    if let Some(st) = &c.status {
        b.insert("operation_status".into(), json!(st.value.api_value()));
    }
    merge_api(b, c.api.as_ref());
    r.attrs_are_body = true;
    out.push(r.compacted());

    let Some(groups) = &c.ad_groups else { return };
    let mut groups: Vec<_> = groups.iter().collect();
    groups.sort_by(|a, b| a.0.value.cmp(&b.0.value));
    for (gname, g) in groups {
        resolve_ad_group(
            ws,
            c,
            (&caddr, old_caddr.as_deref()),
            &advertiser_id,
            &gname.value,
            g,
            out,
        );
    }
}

/// The address a resource had before a rename (`renamed_from:` on it, or
/// on a parent), or `None` when it had its address already. `parent`: the
/// parent's old address and this resource's key, when the parent was
/// renamed; `address`: the resource's address; `kind`: its address word.
/// Nothing is allocated for a resource that is not renamed.
fn renamed(
    parent: Option<(&str, &str)>,
    address: &str,
    kind: &str,
    renamed_from: Option<&Spanned<crate::model::Name>>,
) -> Option<String> {
    let old = match (parent, renamed_from) {
        (None, None) => return None,
        (None, Some(o)) => match address.rsplit_once('.') {
            Some((prefix, _)) => format!("{prefix}.{}", o.value.0),
            None => return None,
        },
        (Some((p, key)), o) => {
            let k = o.map_or(key, |o| o.value.0.as_str());
            format!("{p}.{kind}.{k}")
        }
    };
    (old != address).then_some(old)
}

fn resolve_ad_group(
    ws: &Workspace,
    c: &Campaign,
    (caddr, old_caddr): (&str, Option<&str>),
    advertiser_id: &str,
    gname: &str,
    g: &AdGroup,
    out: &mut Vec<Res>,
) {
    // The account's fixed offset: flight dates are its days.
    let offset = crate::workspace::advertiser_offset(ws, &c.advertiser.value.0);
    let gaddr = format!("{caddr}.ad_group.{gname}");
    let mut r = Res::new(Kind::AdGroup, gaddr.clone(), gname, true);
    r.renamed_from = renamed(
        old_caddr.map(|p| (p, gname)),
        &gaddr,
        "ad_group",
        g.renamed_from.as_ref(),
    );
    let old_gaddr = r.renamed_from.clone();
    r.parent = Some(caddr.to_owned());
    r.advertiser_id = advertiser_id.to_owned();
    let sched = &g.schedule.value;
    r.flight = Some((sched.start.value, sched.end.as_ref().map(|e| e.value)));
    let b = Arc::make_mut(&mut r.body);
    b.insert("advertiser_id".into(), json!(advertiser_id));
    b.insert(
        "campaign_id".into(),
        reference(&format!("{caddr}.campaign_id")),
    );
    b.insert(
        "adgroup_name".into(),
        json!(g.name.as_ref().map_or(gname, |n| n.value.as_str())),
    );
    // The flight runs from the first day's 00:00:00 to the last day's
    // 23:59:59 in the account's time zone, sent in UTC+0 as the API takes it.
    let start_time = offset.to_utc(sched.start.value, 0);
    match &sched.end {
        Some(end) => {
            b.insert("schedule_type".into(), json!("SCHEDULE_START_END"));
            b.insert("schedule_start_time".into(), json!(start_time));
            b.insert(
                "schedule_end_time".into(),
                json!(offset.to_utc(end.value, 86_399)),
            );
        }
        None => {
            b.insert("schedule_type".into(), json!("SCHEDULE_FROM_NOW"));
            b.insert("schedule_start_time".into(), json!(start_time));
        }
    }
    match g.placements.as_ref().map(|p| &p.value) {
        Some(Placements::Selected(list)) => {
            b.insert("placement_type".into(), json!("PLACEMENT_TYPE_NORMAL"));
            let v: Vec<&str> = list.iter().map(|p| placement_api(p.value)).collect();
            b.insert("placements".into(), json!(v));
        }
        Some(Placements::Automatic(_)) | None => {
            b.insert("placement_type".into(), json!("PLACEMENT_TYPE_AUTOMATIC"));
        }
    }
    // TikTok location IDs: ISO codes mapped, IDs as written.
    let locations: Vec<&str> = g
        .locations
        .value
        .iter()
        .map(|l| l.value.location_id())
        .collect();
    b.insert("targeting_spec".into(), one("location_ids", locations));
    // Under campaign budget optimization TikTok ignores an ad-group budget
    // ("Required when campaign CBO is disabled and ignored when CBO is
    // enabled", TFP `smart_plus_adgroup_create.budget`): it is not sent, and
    // SP412 says so.
    if let Some(budget) = g.budget.as_ref().filter(|_| c.budget.is_none()) {
        b.insert(
            "budget_mode".into(),
            json!(budget_mode_api(budget.value.mode.value)),
        );
        b.insert("budget".into(), amount(budget.value.amount.value));
    }
    objective_fields(b, c, g);
    if let Some(st) = &g.status {
        b.insert("operation_status".into(), json!(st.value.api_value()));
    }
    merge_api(b, g.api.as_ref());
    r.attrs_are_body = true;
    out.push(r.compacted());

    let Some(ads) = &g.ads else { return };
    let mut ads: Vec<_> = ads.iter().collect();
    ads.sort_by(|a, b| a.0.value.cmp(&b.0.value));
    for (aname, ad) in ads {
        let aaddr = format!("{gaddr}.ad.{}", aname.value);
        let mut r = Res::new(Kind::Ad, aaddr, &aname.value, true);
        r.renamed_from = renamed(
            old_gaddr.as_deref().map(|p| (p, aname.value.as_str())),
            &r.address,
            "ad",
            ad.renamed_from.as_ref(),
        );
        r.parent = Some(gaddr.clone());
        r.advertiser_id = advertiser_id.to_owned();
        let mut creatives = Vec::with_capacity(ad.creatives.value.len());
        let mut any_push_ads_only = None::<bool>;
        for cr in &ad.creatives.value {
            let (info, push_ads_only, code_post) = creative_info(ws, &cr.value);
            if let Some(p) = code_post {
                r.code_posts.push(p);
            }
            if let Some(a) = push_ads_only {
                any_push_ads_only = Some(any_push_ads_only.unwrap_or(false) || a);
            }
            creatives.push(one("creative_info", info));
        }
        r.code_posts.sort();
        r.code_posts.dedup();
        let b = Arc::make_mut(&mut r.body);
        b.insert("advertiser_id".into(), json!(advertiser_id));
        b.insert(
            "adgroup_id".into(),
            reference(&format!("{gaddr}.adgroup_id")),
        );
        b.insert(
            "ad_name".into(),
            json!(ad.name.as_ref().map_or(&aname.value, |n| &n.value)),
        );
        b.insert("creative_list".into(), Value::Array(creatives));
        if let Some(texts) = &ad.ad_texts {
            let v: Vec<Value> = texts
                .value
                .iter()
                .map(|t| one("ad_text", t.value.as_str()))
                .collect();
            b.insert("ad_text_list".into(), Value::Array(v));
        }
        if let Some(ctas) = &ad.call_to_actions {
            let v: Vec<Value> = ctas
                .value
                .iter()
                .map(|c| one("call_to_action", c.value.api_value()))
                .collect();
            b.insert("call_to_action_list".into(), Value::Array(v));
        }
        if let Some(url) = &ad.landing_page_url {
            b.insert(
                "landing_page_url_list".into(),
                Value::Array(vec![one("landing_page_url", url.value.as_str())]),
            );
        }
        let mut conf = Map::new();
        // A non-Spark creative's custom identity goes in `ad_configuration`
        // (TFP `smart_plus_ad_create.ad_configuration.identity_type`:
        // "Required when creating non-Spark Ads …"; the official tree's only
        // valid value is CUSTOMIZED_USER). One per ad (SP309 refuses a second).
        if let Some(i) = ad
            .creatives
            .value
            .iter()
            .filter(|cr| cr.value.media.is_some())
            .filter_map(|cr| cr.value.identity.as_ref())
            .filter_map(|i| ws.identities.get(&i.value.0))
            .find(|i| i.value.r#type.value == IdentityType::Custom)
        {
            conf.insert(
                "identity_type".into(),
                json!(fields::NON_SPARK_IDENTITY_TYPE),
            );
            conf.insert("identity_id".into(), json!(i.value.identity_id.value.0));
        }
        if let Some(p) = &ad.call_to_action_portfolio {
            conf.insert("call_to_action_id".into(), json!(p.value.0));
        }
        if let Some(ads_only) = any_push_ads_only {
            conf.insert(
                "dark_post_status".into(),
                json!(if ads_only { "ON" } else { "OFF" }),
            );
        }
        if !conf.is_empty() {
            b.insert("ad_configuration".into(), Value::Object(conf));
        }
        if let Some(st) = &ad.status {
            b.insert("operation_status".into(), json!(st.value.api_value()));
        }
        merge_api(b, ad.api.as_ref());
        r.attrs_are_body = true;
        out.push(r.compacted());
    }
}

/// The objective-specific fields of an ad group's create body, in API form.
/// `promotion_type` is filled in where the objective allows one value only
/// (`WEBSITE` for web conversions), `billing_event` from the goal as TikTok
/// documents it (`CPC` for `CLICK`, otherwise `OCPM`); a missing required
/// field is an error of `check` (SP407, SP409), so the plan never lacks one.
fn objective_fields(b: &mut Map<String, Value>, c: &Campaign, g: &AdGroup) {
    if let Some(p) = g.promotion_type_api(c.objective.value) {
        b.insert("promotion_type".into(), json!(p));
    }
    if let Some(t) = &g.promotion_target_type {
        b.insert("promotion_target_type".into(), json!(t.value.api_value()));
    }
    if let Some(goal) = &g.optimization_goal {
        b.insert("optimization_goal".into(), json!(goal.value.api_value()));
    }
    if let Some(e) = &g.optimization_event {
        b.insert("optimization_event".into(), json!(e.value.0));
    }
    if let Some(p) = &g.pixel_id {
        b.insert("pixel_id".into(), json!(p.value.0));
    }
    if let Some(a) = &g.app_id {
        b.insert("app_id".into(), json!(a.value.0));
    }
    if let Some(e) = g.billing_event_api() {
        b.insert("billing_event".into(), json!(e));
    }
    if let Some(t) = &g.bid_type {
        b.insert("bid_type".into(), json!(t.value.api_value()));
    }
    for (key, v) in [
        ("bid_price", g.bid_price.map(|v| v.value.0)),
        (
            "conversion_bid_price",
            g.conversion_bid_price.map(|v| v.value.0),
        ),
        ("roas_bid", g.roas_bid.map(|v| v.value.0)),
    ] {
        if let Some(v) = v {
            b.insert(key.into(), amount(v));
        }
    }
}

/// The `creative_info` of one creative; whether it is a Spark push creative
/// (and then its `ads_only`); the code post it uses, if any.
fn creative_info(ws: &Workspace, c: &Creative) -> (Value, Option<bool>, Option<String>) {
    let mut info = Map::new();
    let mut push = None;
    let mut code_post = None;
    if let Some(pname) = &c.post {
        let Some(p) = ws.posts.get(&pname.value.0) else {
            return (Value::Object(info), None, None);
        };
        let p = &p.value;
        let format = p.format();
        let ad_format = if format == PostFormat::Photo {
            "CAROUSEL_ADS"
        } else {
            "SINGLE_VIDEO"
        };
        info.insert("ad_format".into(), json!(ad_format));
        let post_addr = address(Kind::Post, &pname.value.0);
        if p.video_code.is_some() {
            code_post = Some(pname.value.0.clone());
            info.insert("identity_type".into(), json!("AUTH_CODE"));
            info.insert(
                "identity_id".into(),
                reference(&format!("{post_addr}.identity_id")),
            );
            info.insert(
                "tiktok_item_id".into(),
                reference(&format!("{post_addr}.item_id")),
            );
        } else {
            if let Some(i) = p
                .identity
                .as_ref()
                .and_then(|i| ws.identities.get(&i.value.0))
            {
                identity_fields(&mut info, &i.value);
            }
            if let Some(item) = &p.item_id {
                info.insert("tiktok_item_id".into(), json!(item.value.0));
            }
        }
        if format == PostFormat::Photo
            && let Some(m) = &p.music_id
        {
            info.insert("music_info".into(), one("music_id", m.value.0.as_str()));
        }
    } else if let Some(mname) = &c.media {
        info.insert("ad_format".into(), json!("SINGLE_VIDEO"));
        let ident = c
            .identity
            .as_ref()
            .and_then(|i| ws.identities.get(&i.value.0));
        if let Some(i) = ident {
            identity_fields(&mut info, &i.value);
            if i.value.r#type.value != IdentityType::Custom {
                push = Some(c.ads_only());
            }
        }
        if let Some(m) = ws.media.get(&mname.value.0) {
            info.insert(
                "video_info".into(),
                one("video_id", m.value.video_id.value.as_str()),
            );
            info.insert(
                "image_info".into(),
                Value::Array(vec![one("web_uri", m.value.cover_image.value.as_str())]),
            );
            merge_api(&mut info, m.value.api.as_ref());
        }
    }
    merge_api(&mut info, c.api.as_ref());
    (Value::Object(info), push, code_post)
}

fn identity_fields(info: &mut Map<String, Value>, i: &crate::model::Identity) {
    info.insert(
        "identity_type".into(),
        json!(identity_type_api(i.r#type.value)),
    );
    info.insert("identity_id".into(), json!(i.identity_id.value.0));
    if i.r#type.value == IdentityType::BusinessCenter
        && let Some(bc) = &i.business_center_id
    {
        info.insert("identity_authorized_bc_id".into(), json!(bc.value.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{LoadOptions, load_bytes};

    const MANIFEST: &str = r##"sparkplan: 1
advertisers:
  acme: { advertiser_id: "1" }
posts:
  code: { advertiser: acme, video_code: "#AbCdEf0123456789", authorized_on: "2026-11-20" }
campaigns:
  first:
    advertiser: acme
    type: smart_plus
    objective: web_conversions
    sales_destination: website
    ad_groups:
      us:
        schedule: { start: "2026-12-01" }
        locations: [US]
        ads:
          one: { creatives: [{ post: code }] }
  second:
    advertiser: acme
    type: smart_plus
    objective: web_conversions
    sales_destination: website
    budget: { mode: daily, amount: 100 }
    ad_groups:
      us:
        schedule: { start: "2026-12-01" }
        locations: [US]
        ads:
          two: { creatives: [{ post: code }] }
"##;

    fn ws(text: &str) -> Workspace {
        let ws = load_bytes("m.yaml", text.as_bytes(), &LoadOptions::default());
        assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
        ws
    }

    /// Resolves `base` reusing `new`: the result must be exactly what
    /// resolving it alone gives; returns the addresses whose bodies are
    /// shared with `new`'s.
    fn reused(new: &str, base: &str) -> Vec<String> {
        let (new, base) = (ws(new), ws(base));
        let new_res = resolve(&new);
        let got = resolve_reusing(
            &base,
            Known {
                ws: &new,
                res: &new_res,
            },
        );
        let want = resolve(&base);
        let key = |r: &Res| (r.address.clone(), r.attrs().clone(), (*r.body).clone());
        assert_eq!(
            got.iter().map(key).collect::<Vec<_>>(),
            want.iter().map(key).collect::<Vec<_>>()
        );
        got.iter()
            .filter(|r| {
                new_res
                    .iter()
                    .any(|n| n.address == r.address && std::ptr::eq(n.attrs(), r.attrs()))
            })
            .map(|r| r.address.clone())
            .collect()
    }

    #[test]
    fn an_unchanged_base_is_taken_whole_from_the_new_resolution() {
        let shared = reused(MANIFEST, MANIFEST);
        assert!(shared.contains(&"post.code".to_owned()), "{shared:?}");
        assert!(
            shared.contains(&"campaign.second.ad_group.us.ad.two".to_owned()),
            "{shared:?}"
        );
        assert_eq!(shared.len(), resolve(&ws(MANIFEST)).len());
    }

    #[test]
    fn a_changed_campaign_is_resolved_again_and_the_others_are_taken() {
        let base = MANIFEST.replace("amount: 100", "amount: 90");
        let shared = reused(MANIFEST, &base);
        assert!(
            shared.contains(&"campaign.first.ad_group.us.ad.one".to_owned()),
            "{shared:?}"
        );
        assert!(
            !shared.iter().any(|a| a.starts_with("campaign.second")),
            "{shared:?}"
        );
    }

    #[test]
    fn a_changed_post_resolves_the_whole_base_again() {
        let base = MANIFEST.replace("#AbCdEf0123456789", "#ZyXwVu9876543210");
        assert_eq!(reused(MANIFEST, &base), Vec::<String>::new());
    }
}
