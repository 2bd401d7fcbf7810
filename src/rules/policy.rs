//! The team policy the SP6xx rules read: set in `sparkplan.toml` `[policy]`
//! (read by `config::policy`), empty (every policy rule off) by default.

/// The resource kinds a naming pattern can be set for, as written in
/// `[policy.names]`.
pub const NAME_KINDS: [&str; 7] = [
    "advertiser",
    "identity",
    "post",
    "media",
    "campaign",
    "ad_group",
    "ad",
];

/// The team policy. Empty (every policy rule off) unless configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// SP601: a regex per resource kind (one of [`NAME_KINDS`]) that every
    /// name of that kind must match whole. Checked when the file is read.
    pub names: Vec<(&'static str, String)>,
    /// SP602: landing-page URLs must use `https`.
    pub https: bool,
    /// SP603: query parameters every landing-page URL must carry.
    pub utm: Vec<String>,
    /// SP604: TikTok URL macros must be spelled as TikTok defines them.
    pub tiktok_macros: bool,
    /// SP651: the largest budget increase `plan --base` accepts, in percent.
    pub max_budget_increase_percent: Option<u32>,
    /// SP652: the most deletions `plan --base` makes without `--allow-deletes`.
    pub max_deletes: Option<u32>,
    /// `plan --allow-deletes`: SP652 does not apply.
    pub allow_deletes: bool,
}

impl Policy {
    /// The pattern for names of `kind`, if one is set.
    pub fn name_pattern(&self, kind: &str) -> Option<&str> {
        self.names
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, p)| p.as_str())
    }
}

/// The most bytes of compiled regex one name pattern may take: a pattern is
/// a line of configuration, and a huge one is refused, not built.
pub const MAX_PATTERN_BYTES: usize = 1 << 20;

/// Compiles a name pattern so that it must match the whole name.
pub fn compile(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(MAX_PATTERN_BYTES)
        .build()
}
