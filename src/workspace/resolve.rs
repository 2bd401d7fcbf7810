//! Cross-file structure: references (SP008) and the field combinations the
//! schema cannot express (SP005, SP011, creative shape).

use std::collections::{BTreeMap, HashMap};

use super::{ResourceKind, Workspace};
use crate::diag::{Diagnostic, closest};
use crate::model::{Budget, IdentityType, Name, Spanned};

/// "Did you mean" for undefined references: the names of each kind listed
/// once, and a suggestion computed once per kind and missing name (a name
/// missing from many references is compared once), within
/// [`SUGGESTION_BUDGET`] comparisons in all. References are visited in a
/// fixed order, so the output stays deterministic. Without this, 7,600
/// misses against 5,000 posts took 15 s.
struct Suggestions<'w> {
    ws: &'w Workspace,
    names: BTreeMap<ResourceKind, Vec<&'w str>>,
    cache: HashMap<(ResourceKind, &'w str), Option<(&'w str, bool)>>,
    compared: usize,
}

impl<'w> Suggestions<'w> {
    fn new(ws: &'w Workspace) -> Self {
        Suggestions {
            ws,
            names: BTreeMap::new(),
            cache: HashMap::new(),
            compared: 0,
        }
    }

    /// The names of `kind` (sorted, broken ones last, as `Workspace::names`)
    /// and the closest one to `name`, if close enough and within budget.
    fn get(&mut self, kind: ResourceKind, name: &'w str) -> (&[&'w str], Option<(&'w str, bool)>) {
        let ws = self.ws;
        let names = self.names.entry(kind).or_insert_with(|| ws.names(kind));
        let best = match self.cache.get(&(kind, name)) {
            Some(&best) => best,
            None => {
                let best = if self.compared + names.len() <= SUGGESTION_BUDGET {
                    self.compared += names.len();
                    closest(name, names.iter().copied())
                } else {
                    None
                };
                self.cache.insert((kind, name), best);
                best
            }
        };
        (names, best)
    }
}

/// Checks every reference and cross-field structural rule, appending
/// diagnostics to the workspace.
pub fn resolve(ws: &mut Workspace) {
    let r = diagnostics(ws);
    apply(ws, r);
}

/// What resolving found: diagnostics, and per unreadable file how many
/// undefined references it could have defined (not reported).
#[derive(Debug, Default)]
pub(crate) struct Resolution {
    diagnostics: Vec<Diagnostic>,
    unchecked: BTreeMap<crate::diag::FileId, usize>,
}

/// Adds a [`Resolution`] to the workspace: its diagnostics, and on each
/// unreadable file's own diagnostic a note with the references not checked.
pub(crate) fn apply(ws: &mut Workspace, r: Resolution) {
    ws.diagnostics.extend(r.diagnostics);
    for (file, n) in r.unchecked {
        // The file's reading error (SP001, SP006, SP013) if it has one,
        // else its first error.
        let in_file =
            |d: &Diagnostic| d.is_error() && d.primary_span().is_some_and(|s| s.file == file);
        let at = ws
            .diagnostics
            .iter()
            .position(|d| in_file(d) && crate::syntax::codes::UNREADABLE.contains(&d.rule))
            .or_else(|| ws.diagnostics.iter().position(in_file));
        let Some(d) = at.and_then(|i| ws.diagnostics.get_mut(i)) else {
            continue;
        };
        d.notes.push(format!(
            "{n} reference{} to names this file may define {} not checked; fix this error first",
            if n == 1 { "" } else { "s" },
            if n == 1 { "was" } else { "were" }
        ));
    }
}

/// The diagnostics [`resolve`] adds, without changing the workspace.
pub(crate) fn diagnostics<'w>(ws: &'w Workspace) -> Resolution {
    let mut d = Vec::new();
    let mut unchecked: BTreeMap<crate::diag::FileId, usize> = BTreeMap::new();
    let mut suggestions = Suggestions::new(ws);
    let mut reference = |d: &mut Vec<Diagnostic>, kind: ResourceKind, r: &'w Spanned<Name>| {
        if ws.is_defined(kind, &r.value.0) {
            return;
        }
        // A file that could not be read may define it: not a second error
        // (the file's own diagnostic counts it instead).
        if let Some(u) = ws.unreadable.iter().find(|u| u.could_define(&r.value.0)) {
            *unchecked.entry(u.file).or_default() += 1;
            return;
        }
        let mut diag = Diagnostic::new(
            &crate::workspace::codes::SP008,
            format!("undefined {} `{}`", kind.as_str(), r.value.0),
        )
        .primary(
            r.span,
            format!(
                "no {} named `{}` in the workspace",
                kind.as_str(),
                r.value.0
            ),
        );
        let other = match kind {
            ResourceKind::Post => Some((ResourceKind::Media, "use `media:` with `identity:`")),
            ResourceKind::Media => Some((ResourceKind::Post, "use `post:` (without `identity:`)")),
            _ => None,
        };
        let (names, best) = suggestions.get(kind, &r.value.0);
        if let Some((o, fix)) = other
            && ws.is_defined(o, &r.value.0)
        {
            let what = if o == ResourceKind::Post {
                "a post"
            } else {
                "media"
            };
            diag = diag.help(format!("`{}` is {what}: {fix}", r.value.0));
        } else if let Some((m, only)) = best {
            diag = diag.help(format!("did you mean `{m}`?"));
            // Pointing a reference at another resource is never certain:
            // a guess, applied only with `--unsafe-fixes`.
            if only {
                diag = diag.fix(crate::diag::Fix::guess(
                    format!("refer to `{m}`"),
                    vec![crate::diag::Edit::replace(r.span, reference_text(ws, r, m))],
                ));
            }
        } else if names.is_empty() {
            diag = diag.note(format!("the workspace defines no {} at all", kind.plural()));
        } else {
            let shown = &names[..names.len().min(8)];
            diag = diag.note(format!(
                "defined {}: {}",
                kind.plural(),
                crate::diag::ticked_list(shown, "and")
            ));
        }
        d.push(diag);
    };

    for def in ws.identities.values() {
        let i = &def.value;
        reference(&mut d, ResourceKind::Advertiser, &i.advertiser);
        if i.r#type.value == IdentityType::BusinessCenter && i.business_center_id.is_none() {
            d.push(
                Diagnostic::new(&crate::model::codes::SP005, format!("identity `{}` of type `business_center` needs `business_center_id`", def.name.value))
                    .primary(def.name.span, "`business_center_id` is required here")
                    .secondary(i.r#type.span, "because of this type")
                    .note("TikTok needs the Business Center the account was authorized through (API `identity_authorized_bc_id`)"),
            );
        }
    }
    for def in ws.posts.values() {
        let p = &def.value;
        if let Some(a) = &p.advertiser {
            reference(&mut d, ResourceKind::Advertiser, a);
        }
        if let Some(i) = &p.identity {
            reference(&mut d, ResourceKind::Identity, i);
        }
    }
    for def in ws.media.values() {
        reference(&mut d, ResourceKind::Advertiser, &def.value.advertiser);
    }
    for def in ws.campaigns.values() {
        let c = &def.value;
        reference(&mut d, ResourceKind::Advertiser, &c.advertiser);
        if let Some(b) = &c.budget {
            positive_budget(&mut d, b);
        }
        let Some(groups) = &c.ad_groups else { continue };
        for (_, g) in groups.iter() {
            if let Some(b) = &g.budget {
                positive_budget(&mut d, b);
            }
            if g.locations.value.is_empty() {
                d.push(
                    Diagnostic::new(&crate::model::codes::SP004, "an empty `locations` list")
                        .primary(g.locations.span, "list at least one location")
                        .help(
                            "write the ISO 3166-1 alpha-2 codes the ad group targets, e.g. `[US]`, or quoted TikTok location IDs",
                        ),
                );
            }
            duplicate_locations(&mut d, &g.locations.value);
            let sched = &g.schedule.value;
            if let Some(end) = &sched.end
                && end.value < sched.start.value
            {
                d.push(
                    Diagnostic::new(
                        &crate::model::codes::SP011,
                        format!(
                            "the schedule ends ({}) before it starts ({})",
                            end.value, sched.start.value
                        ),
                    )
                    .primary(end.span, "end is before start")
                    .secondary(sched.start.span, "start"),
                );
            }
            let Some(ads) = &g.ads else { continue };
            for (_, ad) in ads.iter() {
                for cr in &ad.creatives.value {
                    let c = &cr.value;
                    match (&c.post, &c.media) {
                        (Some(_), Some(m)) => d.push(
                            Diagnostic::new(
                                &crate::model::codes::SP004,
                                "a creative is either a `post` or a `media`, not both",
                            )
                            .primary(m.span, "remove `media` (or `post`)")
                            .help("write one creative per list item"),
                        ),
                        (None, None) => d.push(
                            Diagnostic::new(
                                &crate::model::codes::SP005,
                                "a creative needs `post` (Spark pull) or `media` with `identity`",
                            )
                            .primary(cr.span, "neither `post` nor `media`"),
                        ),
                        _ => {}
                    }
                    if let (Some(_), Some(i)) = (&c.post, &c.identity) {
                        d.push(
                            Diagnostic::new(&crate::model::codes::SP004, "`identity` belongs to `media` creatives; a post's identity comes from the post")
                                .primary(i.span, "not used with `post`")
                                .help("remove `identity` from this creative"),
                        );
                    }
                    if let Some(p) = &c.post {
                        reference(&mut d, ResourceKind::Post, p);
                    }
                    if let Some(m) = &c.media {
                        reference(&mut d, ResourceKind::Media, m);
                    }
                    if let Some(i) = &c.identity {
                        reference(&mut d, ResourceKind::Identity, i);
                    }
                }
            }
        }
    }
    Resolution {
        diagnostics: d,
        unchecked,
    }
}

/// `name` written as the reference `r` was: in the same quotes when it was
/// quoted, plain when that reads back as the same string.
fn reference_text(ws: &Workspace, r: &Spanned<Name>, name: &str) -> String {
    let src = ws
        .sources
        .get(r.span.file)
        .and_then(|f| f.text.get(r.span.range()))
        .unwrap_or_default();
    match src.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{name}{q}"),
        _ if crate::model::fixes::plain_safe(name) => name.to_owned(),
        _ => crate::model::fixes::double_quoted(name),
    }
}

/// SP004 for a budget amount that is zero or negative (the schema says
/// `exclusiveMinimum: 0`).
fn positive_budget(d: &mut Vec<Diagnostic>, b: &Spanned<Budget>) {
    let amount = &b.value.amount;
    if amount.value <= 0.0 {
        d.push(
            Diagnostic::new(
                &crate::model::codes::SP004,
                format!("a budget amount must be positive, found {}", amount.value),
            )
            .primary(amount.span, "not a positive amount")
            .note("the amount is in the account's currency; TikTok also sets a minimum per budget mode"),
        );
    }
}

/// How many names "did you mean" may compare against in one run, all
/// undefined references together; past it, SP008 is reported without a
/// suggestion. Far above any real workspace (100 typos × 10,000 names).
const SUGGESTION_BUDGET: usize = 1_000_000;

/// A location listed twice (`US` and `"6252001"` are the same location).
fn duplicate_locations(d: &mut Vec<Diagnostic>, list: &[Spanned<crate::model::Location>]) {
    let mut seen: BTreeMap<&str, &Spanned<crate::model::Location>> = BTreeMap::new();
    for l in list {
        let id = l.value.location_id();
        let Some(first) = seen.get(id).copied() else {
            seen.insert(id, l);
            continue;
        };
        let same = if first.value.as_written() == l.value.as_written() {
            format!("`{}` is listed twice", l.value.as_written())
        } else {
            format!(
                "`{}` and `{}` are the same location (TikTok location ID {id})",
                first.value.as_written(),
                l.value.as_written()
            )
        };
        d.push(
            Diagnostic::new(
                &crate::model::codes::SP004,
                format!("{same} in `locations`"),
            )
            .primary(l.span, "listed again")
            .secondary(first.span, "first listed here")
            .help("list each location once"),
        );
    }
}
