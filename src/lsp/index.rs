//! Where each name is defined and referenced in a checked workspace: the
//! lookup behind definition, references, rename, symbols and hover.
//!
//! A small walk of its own over the decoded model (the references a
//! manifest can write: `advertiser:`, `identity:`, `post:`, `media:`).

use crate::diag::{FileId, Span};
use crate::model::{Name, Spanned};
use crate::workspace::{ResourceKind, Workspace};

/// Where a reference is written, for hover ("used by").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The campaign, when the reference is in one.
    pub campaign: Option<String>,
    /// The ad group, when the reference is in an ad.
    pub ad_group: Option<String>,
    /// The ad.
    pub ad: Option<String>,
}

/// One reference to a name.
#[derive(Debug, Clone)]
pub struct Ref {
    /// The kind of resource named.
    pub kind: ResourceKind,
    /// The name.
    pub name: String,
    /// The scalar written (quotes included, if any).
    pub span: Span,
    /// Where it is written.
    pub place: Place,
}

/// One definition (a top-level name).
#[derive(Debug, Clone)]
pub struct Def {
    /// The kind.
    pub kind: ResourceKind,
    /// The name.
    pub name: String,
    /// The key the name is written as.
    pub span: Span,
}

/// The definitions and references of a workspace.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Every reference, in workspace order.
    pub refs: Vec<Ref>,
    /// Every definition.
    pub defs: Vec<Def>,
}

/// What a position names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The kind.
    pub kind: ResourceKind,
    /// The name.
    pub name: String,
    /// The span under the cursor.
    pub span: Span,
}

impl Index {
    /// The index of `ws`.
    pub fn new(ws: &Workspace) -> Self {
        let mut ix = Index::default();
        let none = Place {
            campaign: None,
            ad_group: None,
            ad: None,
        };
        fn defs<T>(
            out: &mut Vec<Def>,
            kind: ResourceKind,
            map: &std::collections::BTreeMap<String, crate::workspace::Def<T>>,
        ) {
            out.extend(map.values().map(|d| Def {
                kind,
                name: d.name.value.clone(),
                span: d.name.span,
            }));
        }
        defs(&mut ix.defs, ResourceKind::Advertiser, &ws.advertisers);
        defs(&mut ix.defs, ResourceKind::Identity, &ws.identities);
        defs(&mut ix.defs, ResourceKind::Post, &ws.posts);
        defs(&mut ix.defs, ResourceKind::Media, &ws.media);
        defs(&mut ix.defs, ResourceKind::Campaign, &ws.campaigns);
        let mut add = |kind, r: &Spanned<Name>, place: &Place| {
            ix.refs.push(Ref {
                kind,
                name: r.value.0.clone(),
                span: r.span,
                place: place.clone(),
            });
        };
        for d in ws.identities.values() {
            add(ResourceKind::Advertiser, &d.value.advertiser, &none);
        }
        for d in ws.posts.values() {
            if let Some(a) = &d.value.advertiser {
                add(ResourceKind::Advertiser, a, &none);
            }
            if let Some(i) = &d.value.identity {
                add(ResourceKind::Identity, i, &none);
            }
        }
        for d in ws.media.values() {
            add(ResourceKind::Advertiser, &d.value.advertiser, &none);
        }
        for (cname, d) in &ws.campaigns {
            let c = &d.value;
            let at_campaign = Place {
                campaign: Some(cname.clone()),
                ..none.clone()
            };
            add(ResourceKind::Advertiser, &c.advertiser, &at_campaign);
            let Some(groups) = &c.ad_groups else { continue };
            for (gname, g) in &groups.entries {
                let Some(ads) = &g.ads else { continue };
                for (aname, ad) in &ads.entries {
                    let place = Place {
                        campaign: Some(cname.clone()),
                        ad_group: Some(gname.value.clone()),
                        ad: Some(aname.value.clone()),
                    };
                    for cr in &ad.creatives.value {
                        let cr = &cr.value;
                        if let Some(p) = &cr.post {
                            add(ResourceKind::Post, p, &place);
                        }
                        if let Some(m) = &cr.media {
                            add(ResourceKind::Media, m, &place);
                        }
                        if let Some(i) = &cr.identity {
                            add(ResourceKind::Identity, i, &place);
                        }
                    }
                }
            }
        }
        ix
    }

    /// The name at byte `offset` of `file`: a reference or a definition.
    pub fn at(&self, file: FileId, offset: usize) -> Option<Target> {
        let hit =
            |s: &Span| s.file == file && (s.start as usize..=s.end as usize).contains(&offset);
        if let Some(r) = self.refs.iter().find(|r| hit(&r.span)) {
            return Some(Target {
                kind: r.kind,
                name: r.name.clone(),
                span: r.span,
            });
        }
        self.defs.iter().find(|d| hit(&d.span)).map(|d| Target {
            kind: d.kind,
            name: d.name.clone(),
            span: d.span,
        })
    }

    /// The definition of `name` of `kind`.
    pub fn def(&self, kind: ResourceKind, name: &str) -> Option<&Def> {
        self.defs.iter().find(|d| d.kind == kind && d.name == name)
    }

    /// The references to `name` of `kind`.
    pub fn refs_to<'a>(
        &'a self,
        kind: ResourceKind,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Ref> + 'a {
        self.refs
            .iter()
            .filter(move |r| r.kind == kind && r.name == name)
    }
}
