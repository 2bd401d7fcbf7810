//! What the pair rules (SP501–SP504) see: the new workspace and the base
//! `plan --base` compares it with, and the walks and wording they share.
//! Labels point into `new`; secondary labels into `base`, whose files are
//! numbered from `base_offset` on in the combined source map.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::api::update::flatten;
use crate::diag::{Diagnostic, FileId, Span};
use crate::model::{AdGroup, BudgetMode, Campaign, Post, Spanned};
use crate::workspace::{Def, Holder, ResourceKind, Workspace};

/// The two workspaces of `plan --base`.
#[derive(Debug, Clone, Copy)]
pub struct PairCtx<'a> {
    /// The workspace the plan is made for.
    pub new: &'a Workspace,
    /// The base it is compared with.
    pub base: &'a Workspace,
    /// The id of the base's first file in the combined source map.
    pub base_offset: u32,
    /// `[policy]`: SP651 and SP652 read their limits here (off unless set).
    pub policy: &'a super::policy::Policy,
}

/// A pair rule's check: reports into `out`, never fails.
pub type PairFn = fn(&PairCtx<'_>, &mut Vec<Diagnostic>);

/// A campaign of both workspaces (same name).
pub(crate) struct CampaignPair<'a> {
    pub name: &'a str,
    pub new: &'a Def<Campaign>,
    pub old: &'a Def<Campaign>,
    /// Its ad groups present in both, with their names in each.
    pub groups: Vec<GroupPair<'a>>,
}

/// An ad group of both workspaces (same campaign, same name).
pub(crate) struct GroupPair<'a> {
    pub name: &'a Spanned<String>,
    pub new: &'a AdGroup,
    pub old_name: &'a Spanned<String>,
    pub old: &'a AdGroup,
}

impl<'a> PairCtx<'a> {
    /// A span of the base, numbered in the combined source map.
    pub(crate) fn shift(&self, span: Span) -> Span {
        Span {
            file: FileId(span.file.0.saturating_add(self.base_offset)),
            ..span
        }
    }

    /// The posts of both workspaces: (name, new, old).
    pub(crate) fn posts(
        &self,
    ) -> impl Iterator<Item = (&'a str, &'a Def<Post>, &'a Def<Post>)> + use<'a> {
        let base = self.base;
        self.new
            .posts
            .iter()
            .filter_map(move |(name, def)| Some((name.as_str(), def, base.posts.get(name)?)))
    }

    /// The campaigns of both workspaces, with their common ad groups.
    pub(crate) fn campaigns(&self) -> Vec<CampaignPair<'a>> {
        let mut out = Vec::new();
        for (cname, def) in &self.new.campaigns {
            // A renamed campaign is compared with the one it carries over.
            let renamed = || {
                let o = def.value.renamed_from.as_ref()?;
                self.base.campaigns.get(&o.value.0)
            };
            let Some(old) = self.base.campaigns.get(cname).or_else(renamed) else {
                continue;
            };
            let mut groups = Vec::new();
            if let (Some(new_groups), Some(old_groups)) =
                (&def.value.ad_groups, &old.value.ad_groups)
            {
                for (gname, g) in new_groups.iter() {
                    if let Some((oname, og)) = old_groups
                        .iter()
                        .find(|(n, _)| n.value == gname.value)
                        .or_else(|| {
                            let o = g.renamed_from.as_ref()?;
                            old_groups.iter().find(|(n, _)| n.value == o.value.0)
                        })
                    {
                        groups.push(GroupPair {
                            name: gname,
                            new: g,
                            old_name: oname,
                            old: og,
                        });
                    }
                }
            }
            out.push(CampaignPair {
                name: cname,
                new: def,
                old,
                groups,
            });
        }
        out
    }
}

/// The names of posts used by an ad of `ws`.
pub(crate) fn used_posts(ws: &Workspace) -> BTreeSet<String> {
    ws.references()
        .filter(|r| r.kind == ResourceKind::Post && matches!(r.holder, Holder::Creative { .. }))
        .map(|r| r.name.value.0.clone())
        .collect()
}

pub(crate) fn advertiser_id(ws: &Workspace, name: &str) -> Option<String> {
    ws.advertisers
        .get(name)
        .map(|a| a.value.advertiser_id.value.0.clone())
}

pub(crate) fn budget_mode(b: &Option<Spanned<crate::model::Budget>>) -> Option<(BudgetMode, Span)> {
    b.as_ref().map(|b| (b.value.mode.value, b.value.mode.span))
}

pub(crate) type ApiRef<'x> = Option<&'x Spanned<crate::model::ApiFields>>;

/// `api:` fields as dotted paths (objects flattened), with the span of their
/// top-level key.
pub(crate) fn api_paths(api: ApiRef<'_>) -> BTreeMap<String, (Value, Span)> {
    let mut out = BTreeMap::new();
    for (k, v) in api.map(|a| a.value.0.as_slice()).unwrap_or_default() {
        let mut m = Map::new();
        m.insert(k.value.clone(), v.clone());
        for (p, v) in flatten(&m) {
            out.insert(p, (v, k.span));
        }
    }
    out
}
