//! The kinds of resources a workspace declares: the five named top-level
//! kinds (each its own namespace) and the ad groups and ads nested in
//! campaigns. One enum for the workspace's namespaces, the rules, the plan's
//! addresses and the renderers.

use schemars::JsonSchema;
use serde::Serialize;

// The doc comments are the plan schema's descriptions
// (`schema/plan.schema.json`, definition `Kind`).
/// The kind of a resource; the first part of its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Kind")]
pub enum ResourceKind {
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

impl ResourceKind {
    /// The word used in addresses and output (`post.jane_unboxing`,
    /// `campaign.x.ad_group.y`).
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Advertiser => "advertiser",
            ResourceKind::Identity => "identity",
            ResourceKind::Post => "post",
            ResourceKind::Media => "media",
            ResourceKind::Campaign => "campaign",
            ResourceKind::AdGroup => "ad_group",
            ResourceKind::Ad => "ad",
        }
    }

    /// The manifest key that holds resources of this kind (`advertisers:`,
    /// `ad_groups:`).
    pub fn plural(self) -> &'static str {
        match self {
            ResourceKind::Advertiser => "advertisers",
            ResourceKind::Identity => "identities",
            ResourceKind::Post => "posts",
            ResourceKind::Media => "media",
            ResourceKind::Campaign => "campaigns",
            ResourceKind::AdGroup => "ad_groups",
            ResourceKind::Ad => "ads",
        }
    }

    /// Whether names of this kind are one workspace-wide namespace (the
    /// top-level kinds); ad groups and ads are named inside their parent.
    pub fn is_top_level(self) -> bool {
        !matches!(self, ResourceKind::AdGroup | ResourceKind::Ad)
    }
}
