//! A workspace: every manifest file read, decoded and merged into one
//! namespace, with the structural diagnostics found on the way.

pub mod api_keys;
pub mod codes;
mod discover;
mod load;
mod refs;
pub(crate) mod resolve;
pub(crate) mod suppress;

pub(crate) use suppress::suppress_quietly;

pub use discover::{Candidate, discover, display_path, is_yaml};
pub use load::{
    LoadOptions, Loader, Parsed, Reread, load, load_bytes, load_files, load_overlaid, load_reusing,
};
pub(crate) use load::{load_paths_unresolved, load_paths_unresolved_keeping};
pub use refs::{AdRef, GroupRef, Holder, Reference, ads, groups};

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, SourceMap};
use crate::model::{Advertiser, Campaign, Identity, Media, Post, Spanned};

pub use crate::model::ResourceKind;

/// Why a workspace could not be read at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A path could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Walking a folder failed (permission denied, symlink loop…).
    #[error("cannot walk `{path}`: {message}")]
    Walk {
        /// The path.
        path: String,
        /// The cause.
        message: String,
    },
    /// No file under the paths is a manifest: a run that checked nothing
    /// must not say "no problems found".
    #[error(
        "no sparkplan manifest found in {searched} ({yaml} YAML file{s} read); a manifest is a YAML file whose top-level mapping has `sparkplan: 1`",
        s = if *yaml == 1 { "" } else { "s" }
    )]
    NoManifests {
        /// The paths searched, ticked and joined ("`ads` and `posts`").
        searched: String,
        /// How many YAML files were found and read.
        yaml: usize,
    },
}

/// A manifest file that could not be read (SP001, SP006 for extra
/// documents, SP013): what it defines is unknown, so references that it
/// could define are not reported as undefined (they are counted instead,
/// and the count is a note on the file's diagnostic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The file.
    pub file: crate::diag::FileId,
    /// Every word written as a mapping key in the file's text, or `None`
    /// when the text was not read (over the size limit): any name.
    pub names: Option<BTreeSet<String>>,
}

impl Unreadable {
    /// Whether the file could define `name`.
    pub fn could_define(&self, name: &str) -> bool {
        self.names.as_ref().is_none_or(|n| n.contains(name))
    }
}

/// A `# sparkplan-allow: SP204 <reason>` comment: on the line of a mapping
/// key (a resource's name), or on the line above it, it suppresses the codes
/// it lists for every diagnostic whose primary label lies in that entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    /// The comment.
    pub comment: crate::diag::Span,
    /// The codes listed (upper case), each with the span where it is written.
    pub codes: Vec<(String, crate::diag::Span)>,
    /// The reason written after the codes, if any.
    pub reason: Option<String>,
    /// The entry it applies to: from its key to the end of its value.
    pub scope: crate::diag::Span,
    /// The entry's key, for messages.
    pub key: String,
}

/// The fixed UTC offset of advertiser `name` (UTC when it is not defined):
/// the days of its dates, for the rules and the plan alike.
pub fn advertiser_offset(ws: &Workspace, name: &str) -> crate::model::UtcOffset {
    ws.advertisers
        .get(name)
        .map_or(crate::model::UtcOffset::UTC, |a| a.value.utc_offset())
}

/// A named resource and where its name is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Def<T> {
    /// The name, with the span of its key.
    pub name: Spanned<String>,
    /// The decoded resource.
    pub value: T,
}

/// Every resource of the workspace, by kind and name (sorted, so iteration
/// order is deterministic).
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// The files read.
    pub sources: SourceMap,
    /// How many files were manifests.
    pub manifest_count: usize,
    /// Advertisers by name.
    pub advertisers: BTreeMap<String, Def<Advertiser>>,
    /// Identities by name.
    pub identities: BTreeMap<String, Def<Identity>>,
    /// Posts by name.
    pub posts: BTreeMap<String, Def<Post>>,
    /// Media by name.
    pub media: BTreeMap<String, Def<Media>>,
    /// Campaigns by name.
    pub campaigns: BTreeMap<String, Def<Campaign>>,
    /// Names defined with a body that had problems (already reported):
    /// references to them are not reported again.
    pub broken: BTreeSet<(ResourceKind, String)>,
    /// Diagnostics found while reading, decoding and resolving.
    pub diagnostics: Vec<Diagnostic>,
    /// Manifest files that could not be read, in file order.
    pub unreadable: Vec<Unreadable>,
    /// `sparkplan-allow` comments, in file order.
    pub allows: Vec<Allow>,
    /// Where merge keys (`<<`) brought entries in, for the secondary labels
    /// of diagnostics on merged values ([`crate::syntax::merge::annotate`]).
    pub merges: Vec<crate::syntax::MergeSite>,
}

impl Workspace {
    /// Whether `name` of `kind` is defined (possibly with problems).
    pub fn is_defined(&self, kind: ResourceKind, name: &str) -> bool {
        let found = match kind {
            ResourceKind::Advertiser => self.advertisers.contains_key(name),
            ResourceKind::Identity => self.identities.contains_key(name),
            ResourceKind::Post => self.posts.contains_key(name),
            ResourceKind::Media => self.media.contains_key(name),
            ResourceKind::Campaign => self.campaigns.contains_key(name),
            // Named inside their campaign and ad group, not workspace-wide.
            ResourceKind::AdGroup | ResourceKind::Ad => false,
        };
        found || self.broken.contains(&(kind, name.to_owned()))
    }

    /// The names of `kind`, for "did you mean".
    pub fn names(&self, kind: ResourceKind) -> Vec<&str> {
        let mut v: Vec<&str> = match kind {
            ResourceKind::Advertiser => self.advertisers.keys().map(String::as_str).collect(),
            ResourceKind::Identity => self.identities.keys().map(String::as_str).collect(),
            ResourceKind::Post => self.posts.keys().map(String::as_str).collect(),
            ResourceKind::Media => self.media.keys().map(String::as_str).collect(),
            ResourceKind::Campaign => self.campaigns.keys().map(String::as_str).collect(),
            ResourceKind::AdGroup | ResourceKind::Ad => Vec::new(),
        };
        v.extend(
            self.broken
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, n)| n.as_str()),
        );
        v
    }
}
