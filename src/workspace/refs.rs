//! The walkers of a workspace: every ad group and ad under its campaign, and
//! every reference from one resource to another by name. SP008, the rules,
//! the plan and editor navigation all enumerate them here rather than each
//! writing the campaigns → ad groups → ads → creatives traversal again.

use super::{Def, ResourceKind, Workspace};
use crate::model::{Ad, AdGroup, Campaign, Creative, Name, Spanned};

/// An ad group with the campaign it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct GroupRef<'a> {
    /// The campaign's name.
    pub campaign_name: &'a Spanned<String>,
    /// The campaign.
    pub campaign: &'a Campaign,
    /// The ad group's name.
    pub group_name: &'a Spanned<String>,
    /// The ad group.
    pub group: &'a AdGroup,
}

/// An ad with its ad group and campaign.
#[derive(Debug, Clone, Copy)]
pub struct AdRef<'a> {
    /// The ad group (and campaign) the ad belongs to.
    pub group: GroupRef<'a>,
    /// The ad's name.
    pub ad_name: &'a Spanned<String>,
    /// The ad.
    pub ad: &'a Ad,
}

/// Every ad group of the workspace, in campaign then source order.
pub fn groups(ws: &Workspace) -> impl Iterator<Item = GroupRef<'_>> {
    ws.campaigns.values().flat_map(campaign_groups)
}

/// Every ad of the workspace, in campaign then source order.
pub fn ads(ws: &Workspace) -> impl Iterator<Item = AdRef<'_>> {
    groups(ws).flat_map(group_ads)
}

/// The ad groups of one campaign, in source order.
fn campaign_groups(c: &Def<Campaign>) -> impl Iterator<Item = GroupRef<'_>> {
    c.value
        .ad_groups
        .iter()
        .flat_map(|g| g.iter())
        .map(move |(group_name, group)| GroupRef {
            campaign_name: &c.name,
            campaign: &c.value,
            group_name,
            group,
        })
}

/// The ads of one ad group, in source order.
fn group_ads(g: GroupRef<'_>) -> impl Iterator<Item = AdRef<'_>> {
    g.group
        .ads
        .iter()
        .flat_map(|a| a.iter())
        .map(move |(ad_name, ad)| AdRef {
            group: g,
            ad_name,
            ad,
        })
}

/// What holds a reference.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    /// A top-level resource (an identity, a post, a media item or a
    /// campaign), by kind and name.
    Resource(ResourceKind, &'a str),
    /// Creative number `index` (from 0) of an ad.
    Creative {
        /// The ad (with its ad group and campaign).
        ad: AdRef<'a>,
        /// The creative's position in the ad's `creatives` list.
        index: usize,
        /// The creative.
        creative: &'a Spanned<Creative>,
    },
}

/// A resource named by another: `advertiser:`, `identity:`, `post:` or
/// `media:`.
#[derive(Debug, Clone, Copy)]
pub struct Reference<'a> {
    /// The kind of resource the name refers to.
    pub kind: ResourceKind,
    /// The name, where it is written.
    pub name: &'a Spanned<Name>,
    /// What holds the reference.
    pub holder: Holder<'a>,
}

impl Workspace {
    /// Every reference of the workspace, in a fixed order: identities,
    /// posts, media, then each campaign with its creatives (in campaign, ad
    /// group, ad and list order). A creative's `post:`, `media:` and
    /// `identity:` are all listed, whatever its shape (a creative with both
    /// `post` and `media` is reported on its own, SP004).
    pub fn references(&self) -> impl Iterator<Item = Reference<'_>> {
        let identities = self.identities.iter().map(|(name, def)| Reference {
            kind: ResourceKind::Advertiser,
            name: &def.value.advertiser,
            holder: Holder::Resource(ResourceKind::Identity, name),
        });
        let posts = self.posts.iter().flat_map(|(name, def)| {
            let holder = Holder::Resource(ResourceKind::Post, name);
            let p = &def.value;
            let advertiser = p.advertiser.as_ref().map(|r| Reference {
                kind: ResourceKind::Advertiser,
                name: r,
                holder,
            });
            let identity = p.identity.as_ref().map(|r| Reference {
                kind: ResourceKind::Identity,
                name: r,
                holder,
            });
            advertiser.into_iter().chain(identity)
        });
        let media = self.media.iter().map(|(name, def)| Reference {
            kind: ResourceKind::Advertiser,
            name: &def.value.advertiser,
            holder: Holder::Resource(ResourceKind::Media, name),
        });
        let campaigns =
            self.campaigns.iter().flat_map(|(name, def)| {
                let own = Reference {
                    kind: ResourceKind::Advertiser,
                    name: &def.value.advertiser,
                    holder: Holder::Resource(ResourceKind::Campaign, name),
                };
                let creatives =
                    campaign_groups(def).flat_map(group_ads).flat_map(|ad| {
                        ad.ad.creatives.value.iter().enumerate().flat_map(
                            move |(index, creative)| {
                                let holder = Holder::Creative {
                                    ad,
                                    index,
                                    creative,
                                };
                                let c = &creative.value;
                                [
                                    (ResourceKind::Post, &c.post),
                                    (ResourceKind::Media, &c.media),
                                    (ResourceKind::Identity, &c.identity),
                                ]
                                .into_iter()
                                .filter_map(move |(kind, r)| {
                                    r.as_ref().map(|name| Reference { kind, name, holder })
                                })
                            },
                        )
                    });
                std::iter::once(own).chain(creatives)
            });
        identities.chain(posts).chain(media).chain(campaigns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{LoadOptions, load_bytes};

    const MANIFEST: &str = r##"sparkplan: 1
advertisers:
  acme: { advertiser_id: "1" }
identities:
  brand: { type: custom, advertiser: acme, identity_id: "2", display_name: Acme }
  jane: { type: linked_account, advertiser: acme, identity_id: "3" }
posts:
  code: { advertiser: acme, video_code: "#AbCdEf0123456789", authorized_on: "2026-11-20" }
  owned: { identity: jane, item_id: "4" }
media:
  clip: { advertiser: acme, video_id: v1, cover_image: c1 }
campaigns:
  sale:
    advertiser: acme
    type: smart_plus
    objective: web_conversions
    sales_destination: website
    ad_groups:
      us:
        schedule: { start: "2026-12-01" }
        locations: [US]
        ads:
          one:
            creatives:
              - post: code
              - media: clip
                identity: brand
"##;

    /// Each reference once, with what holds it, in the documented order.
    #[test]
    fn every_reference_is_walked_once() {
        let ws = load_bytes("m.yaml", MANIFEST.as_bytes(), &LoadOptions::default());
        let got: Vec<String> = ws
            .references()
            .map(|r| {
                let from = match r.holder {
                    Holder::Resource(k, n) => format!("{}.{n}", k.as_str()),
                    Holder::Creative { ad, index, .. } => format!(
                        "{}/{}/{}#{index}",
                        ad.group.campaign_name.value, ad.group.group_name.value, ad.ad_name.value
                    ),
                };
                format!("{from} -> {} {}", r.kind.as_str(), r.name.value.0)
            })
            .collect();
        assert_eq!(
            got,
            [
                "identity.brand -> advertiser acme",
                "identity.jane -> advertiser acme",
                "post.code -> advertiser acme",
                "post.owned -> identity jane",
                "media.clip -> advertiser acme",
                "campaign.sale -> advertiser acme",
                "sale/us/one#0 -> post code",
                "sale/us/one#1 -> media clip",
                "sale/us/one#1 -> identity brand",
            ]
        );
        assert_eq!(ads(&ws).count(), 1);
        assert_eq!(groups(&ws).count(), 1);
    }
}
