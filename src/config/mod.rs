//! `sparkplan.toml`: rule severities, the expiry warning window, default
//! paths and safety limits. Problems in the file are located diagnostics.

pub mod policy;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, FileId, Severity, SourceMap, Span, did_you_mean};
use crate::rules::registry;
use crate::syntax::Limits;

/// The configuration file name.
pub const FILE_NAME: &str = "sparkplan.toml";

/// The largest `limits.max_depth` accepted (larger values are an error):
/// some passes over a file (the `api:` fields' conversion to JSON, drops) are
/// recursive, and this depth stays far inside the main thread's stack, even
/// in a debug build (tests/bad_input.rs).
pub const MAX_DEPTH_CAP: usize = 1_000;

/// The largest `limits.max_file_bytes` accepted: spans are `u32` byte
/// offsets, so larger files could not be located exactly.
pub const MAX_FILE_BYTES_CAP: u64 = u32::MAX as u64;

/// What a rule's severity is set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Error,
}

impl Level {
    /// Parses `off`/`allow`, `warn`/`warning`, `error`/`deny`.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" | "allow" => Some(Level::Off),
            "warn" | "warning" => Some(Level::Warn),
            "error" | "deny" => Some(Level::Error),
            _ => None,
        }
    }
}

/// Severity overrides by rule code, applied in one place ([`Severities::apply`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Severities(pub BTreeMap<&'static str, Level>);

impl Severities {
    /// Applies the overrides: drops diagnostics of rules switched off and sets
    /// the severity of the others.
    pub fn apply(&self, diags: &mut Vec<Diagnostic>) {
        diags.retain_mut(|d| match self.0.get(d.code()) {
            Some(Level::Off) => false,
            Some(Level::Warn) => {
                d.severity = Severity::Warning;
                true
            }
            Some(Level::Error) => {
                d.severity = Severity::Error;
                true
            }
            None => true,
        });
    }

    /// Sets `code` to `level`, checking that the code exists and may change.
    pub fn set(&mut self, code: &str, level: Level) -> Result<(), String> {
        let Some(rule) = registry::find(code) else {
            let codes = registry::all().map(|r| r.code);
            let hint = did_you_mean(&code.to_ascii_uppercase(), codes)
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(format!("unknown rule `{code}`{hint}"));
        };
        if [&crate::syntax::codes::SP001, &crate::syntax::codes::SP013].contains(&rule)
            && level != Level::Error
        {
            return Err(format!(
                "`{}` cannot be lowered: the file could not be read at all",
                rule.code
            ));
        }
        self.0.insert(rule.code, level);
        Ok(())
    }

    /// Whether `code` is switched off.
    pub fn is_off(&self, code: &str) -> bool {
        self.0.get(code) == Some(&Level::Off)
    }
}

/// The resolved configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from, if a file was found.
    pub path: Option<PathBuf>,
    /// Default paths to check (relative to the config file's folder).
    pub paths: Vec<PathBuf>,
    /// SP204 warns when an authorization ends within this many days.
    pub expiry_warning_days: u32,
    /// Severity overrides.
    pub severities: Severities,
    /// Safety limits.
    pub limits: Limits,
    /// `[policy]`: the team's own rules (SP6xx), off unless configured.
    pub policy: policy::Policy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            paths: Vec::new(),
            expiry_warning_days: 7,
            severities: Severities::default(),
            limits: Limits::default(),
            policy: policy::Policy::default(),
        }
    }
}

/// The smallest `limits.max_file_bytes` accepted: below it even the smallest
/// manifest that defines anything (`sparkplan: 1` and one advertiser) is
/// refused, so every file would be SP013.
pub const MIN_FILE_BYTES: u64 = 64;
/// The smallest `limits.max_depth` accepted: a resource's fields are at
/// depth 3 (the file, the kind, the name), so a lower limit refuses every
/// manifest that defines anything.
pub const MIN_DEPTH: u64 = 3;
/// The smallest `limits.max_nodes` accepted (`sparkplan: 1` and one
/// advertiser with its ID take 7 nodes).
pub const MIN_NODES: u64 = 16;

/// Looks for `sparkplan.toml` in `start` (a folder) and its parents.
///
/// The path is relative to the current folder when the file lies inside it,
/// so the `paths` it sets, and so every path in reports, stay relative:
/// GitHub annotations, SARIF (`%SRCROOT%`) and GitLab Code Quality need
/// repository-relative paths.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    // `a.yaml` has the parent `` (the current folder).
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let abs = std::fs::canonicalize(start).ok()?;
    // Anything of that name counts, not only regular files: a FIFO or a
    // folder named `sparkplan.toml` is an error when loaded (exit 2), not
    // silently no configuration.
    let found = abs
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| std::fs::symlink_metadata(p).is_ok())?;
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize).ok();
    match cwd.as_deref().map(|c| found.strip_prefix(c)) {
        Some(Ok(rel)) => Some(rel.to_path_buf()),
        _ => Some(found),
    }
}

/// One key of `sparkplan.toml`: its name and how its value is read into the
/// configuration. A new setting is one row in [`TOP`] or in its section's
/// list (a new section is a row in [`TOP`] whose reader calls
/// [`Reader::section`] with its own list).
struct Key {
    name: &'static str,
    read: fn(&mut Reader, &Spanned<DeValue<'_>>),
}

/// The top level of `sparkplan.toml`.
const TOP: &[Key] = &[
    Key {
        name: "paths",
        read: Reader::paths,
    },
    Key {
        name: "expiry_warning_days",
        read: Reader::expiry_warning_days,
    },
    Key {
        name: "rules",
        read: Reader::rules,
    },
    Key {
        name: "limits",
        read: |r, v| r.section(v, LIMITS),
    },
    Key {
        name: "policy",
        read: |r, v| {
            r.policy.get_or_insert_default();
            r.section(v, POLICY);
        },
    },
];

/// `[policy]` (issue 21): read into [`policy::RawPolicy`], whose meaning
/// (name kinds, regexes) `policy::parse` checks.
const POLICY: &[Key] = &[
    Key {
        name: "max_budget_increase_percent",
        read: |r, v| {
            let n = r.small(v);
            r.policy.get_or_insert_default().max_budget_increase_percent = n;
        },
    },
    Key {
        name: "max_deletes",
        read: |r, v| {
            let n = r.small(v);
            r.policy.get_or_insert_default().max_deletes = n;
        },
    },
    Key {
        name: "names",
        read: |r, v| {
            let DeValue::Table(t) = v.get_ref() else {
                return r.wrong(
                    v,
                    "a table of resource kinds and regexes (`[policy.names]`)",
                );
            };
            let mut names = BTreeMap::new();
            for (kind, pattern) in t.iter() {
                match pattern.get_ref() {
                    DeValue::String(s) => {
                        names.insert(
                            Spanned::new(kind.span(), kind.get_ref().to_string()),
                            Spanned::new(pattern.span(), s.to_string()),
                        );
                    }
                    _ => r.wrong(pattern, "a regular expression (a string)"),
                }
            }
            r.policy.get_or_insert_default().names = Some(names);
        },
    },
    Key {
        name: "landing_pages",
        read: |r, v| {
            r.policy
                .get_or_insert_default()
                .landing_pages
                .get_or_insert_default();
            r.section(v, LANDING_PAGES);
        },
    },
];

/// `[policy.landing_pages]`.
const LANDING_PAGES: &[Key] = &[
    Key {
        name: "https",
        read: |r, v| {
            let b = r.boolean(v);
            r.landing_pages().https = b;
        },
    },
    Key {
        name: "utm",
        read: |r, v| {
            let DeValue::Array(items) = v.get_ref() else {
                return r.wrong(v, "a list of parameter names (`utm = [\"utm_source\"]`)");
            };
            let mut utm = Vec::new();
            for item in items.iter() {
                match item.get_ref() {
                    DeValue::String(s) => utm.push(s.to_string()),
                    _ => r.wrong(item, "a list of parameter names (strings)"),
                }
            }
            r.landing_pages().utm = Some(utm);
        },
    },
    Key {
        name: "tiktok_macros",
        read: |r, v| {
            let b = r.boolean(v);
            r.landing_pages().tiktok_macros = b;
        },
    },
];

/// `[limits]`: each value is checked against its accepted range.
const LIMITS: &[Key] = &[
    Key {
        name: "max_file_bytes",
        read: |r, v| {
            let d = Limits::default().max_file_bytes;
            r.cfg.limits.max_file_bytes = r.limit(v, MIN_FILE_BYTES, MAX_FILE_BYTES_CAP, d);
        },
    },
    Key {
        name: "max_depth",
        read: |r, v| {
            let d = Limits::default().max_depth as u64;
            r.cfg.limits.max_depth = as_usize(r.limit(v, MIN_DEPTH, MAX_DEPTH_CAP as u64, d));
        },
    },
    Key {
        name: "max_nodes",
        read: |r, v| {
            let d = Limits::default().max_nodes as u64;
            let max = u64::try_from(usize::MAX).unwrap_or(u64::MAX);
            r.cfg.limits.max_nodes = as_usize(r.limit(v, MIN_NODES, max, d));
        },
    },
    Key {
        name: "max_expansion",
        read: |r, v| {
            let d = Limits::default().max_expansion;
            r.cfg.limits.max_expansion = r.limit(v, 1, u64::MAX, d);
        },
    },
    Key {
        name: "max_expanded_bytes",
        read: |r, v| {
            let d = Limits::default().max_expanded_bytes;
            r.cfg.limits.max_expanded_bytes = r.limit(v, MIN_FILE_BYTES, u64::MAX, d);
        },
    },
];

fn as_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Reads the parsed TOML document into a [`Config`], collecting every
/// problem and going on after each.
struct Reader {
    file: FileId,
    cfg: Config,
    errors: Vec<Diagnostic>,
    /// The dotted name of the key being read (`limits.max_depth`).
    key: String,
    /// `[policy]`, when the file has one.
    policy: Option<policy::RawPolicy>,
}

impl Reader {
    fn span(&self, s: std::ops::Range<usize>) -> Span {
        Span::new(self.file, s.start, s.end)
    }

    /// Reads every entry of `table` with the reader of its row in `keys`;
    /// an entry without a row is SP003.
    fn table(&mut self, table: &DeTable<'_>, keys: &[Key]) {
        let prefix = std::mem::take(&mut self.key);
        for (k, v) in table.iter() {
            let name = k.get_ref().as_ref();
            self.key = if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}.{name}")
            };
            match keys.iter().find(|key| key.name == name) {
                Some(key) => (key.read)(self, v),
                None => {
                    let help = match did_you_mean(name, keys.iter().map(|k| k.name)) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!(
                            "the keys sparkplan reads here: {}",
                            keys.iter()
                                .map(|k| format!("`{}`", k.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    let d = Diagnostic::new(
                        &crate::model::codes::SP003,
                        format!("unknown key `{}` in `{FILE_NAME}`", self.key),
                    )
                    .primary(self.span(k.span()), "not a setting sparkplan knows")
                    .help(help);
                    self.errors.push(d);
                }
            }
        }
        self.key = prefix;
    }

    /// A section (`[limits]`): a table whose entries are read by `keys`.
    fn section(&mut self, v: &Spanned<DeValue<'_>>, keys: &[Key]) {
        match v.get_ref() {
            DeValue::Table(t) => self.table(t, keys),
            _ => self.wrong(v, "a table (a `[section]`)"),
        }
    }

    /// A whole number from 0 to `u32::MAX`, or SP004.
    fn small(&mut self, v: &Spanned<DeValue<'_>>) -> Option<u32> {
        let expected = format!("a whole number from 0 to {}", u32::MAX);
        let n = self.integer(v, &expected)?;
        let n = u32::try_from(n).ok();
        if n.is_none() {
            self.wrong(v, &expected);
        }
        n
    }

    /// A boolean, or SP004.
    fn boolean(&mut self, v: &Spanned<DeValue<'_>>) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong(v, "`true` or `false`");
                None
            }
        }
    }

    /// `[policy.landing_pages]` as read so far.
    fn landing_pages(&mut self) -> &mut policy::RawLandingPages {
        self.policy
            .get_or_insert_default()
            .landing_pages
            .get_or_insert_default()
    }

    /// SP004: the value is not of the type or in the set the key takes.
    fn wrong(&mut self, v: &Spanned<DeValue<'_>>, expected: &str) {
        let found = match v.get_ref() {
            DeValue::String(_) => "a string",
            DeValue::Integer(_) => "an integer",
            DeValue::Float(_) => "a float",
            DeValue::Boolean(_) => "a boolean",
            DeValue::Datetime(_) => "a date-time",
            DeValue::Array(_) => "an array",
            DeValue::Table(_) => "a table",
        };
        let d = Diagnostic::new(
            &crate::model::codes::SP004,
            format!("`{}` must be {expected}", self.key),
        )
        .primary(self.span(v.span()), format!("found {found}"));
        self.errors.push(d);
    }

    /// An integer value, or SP004.
    fn integer(&mut self, v: &Spanned<DeValue<'_>>, expected: &str) -> Option<i128> {
        let n = match v.get_ref() {
            DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        if n.is_none() {
            self.wrong(v, expected);
        }
        n
    }

    fn paths(&mut self, v: &Spanned<DeValue<'_>>) {
        let DeValue::Array(items) = v.get_ref() else {
            return self.wrong(v, "a list of paths (`paths = [\"ads\"]`)");
        };
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => self.cfg.paths.push(PathBuf::from(s.as_ref())),
                _ => self.wrong(item, "a list of paths (strings)"),
            }
        }
    }

    fn expiry_warning_days(&mut self, v: &Spanned<DeValue<'_>>) {
        let expected = format!("a whole number of days from 0 to {}", u32::MAX);
        match self.integer(v, &expected).map(u32::try_from) {
            Some(Ok(days)) => self.cfg.expiry_warning_days = days,
            Some(Err(_)) => {
                let d = Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("`{}` must be {expected}", self.key),
                )
                .primary(self.span(v.span()), "out of range");
                self.errors.push(d);
            }
            None => {}
        }
    }

    fn rules(&mut self, v: &Spanned<DeValue<'_>>) {
        let DeValue::Table(t) = v.get_ref() else {
            return self.wrong(v, "a table of rule codes and severities (`[rules]`)");
        };
        for (code, level) in t.iter() {
            let DeValue::String(s) = level.get_ref() else {
                self.key = format!("rules.{}", code.get_ref());
                self.wrong(level, "`off`, `warn` or `error`");
                continue;
            };
            match Level::parse(s) {
                None => {
                    let d = Diagnostic::new(
                        &crate::model::codes::SP004,
                        format!("`{s}` is not a severity"),
                    )
                    .primary(self.span(level.span()), "expected `off`, `warn` or `error`");
                    self.errors.push(d);
                }
                Some(l) => {
                    if let Err(e) = self.cfg.severities.set(code.get_ref(), l) {
                        let d = Diagnostic::new(&crate::model::codes::SP004, e.clone())
                            .primary(self.span(code.span()), e);
                        self.errors.push(d);
                    }
                }
            }
        }
        self.key = "rules".to_owned();
    }

    /// Checks one limit against its accepted range: a value outside it is a
    /// located error, never silently replaced (the run would check something
    /// else than what the file says). Returns the value, or `default` after an
    /// error.
    fn limit(&mut self, v: &Spanned<DeValue<'_>>, min: u64, max: u64, default: u64) -> u64 {
        let expected = format!("a whole number from {min} to {max}");
        let Some(n) = self.integer(v, &expected) else {
            return default;
        };
        if let Ok(n) = u64::try_from(n)
            && (min..=max).contains(&n)
        {
            return n;
        }
        let (what, why) = if n < i128::from(min) {
            (
                format!("`{}` must be at least {min}", self.key),
                format!("{n} would refuse every manifest (SP013)"),
            )
        } else {
            (
                format!("`{}` can be at most {max}", self.key),
                format!("{n} is more than sparkplan can honour"),
            )
        };
        let d = Diagnostic::new(&crate::model::codes::SP004, what)
            .primary(self.span(v.span()), why)
            .help(format!(
                "use a value from {min} to {max}, or remove the line for the default ({default})"
            ));
        self.errors.push(d);
        default
    }
}

/// Parses configuration text. Every problem is a diagnostic located in the
/// file, which the caller adds to `sources` for rendering: TOML syntax errors
/// (SP001), unknown keys (SP003), wrong types and values (SP004), all of them
/// in one pass (the parser recovers after a syntax error), in file order.
pub fn parse(text: &str, file: FileId) -> Result<Config, Vec<Diagnostic>> {
    let (doc, syntax) = DeTable::parse_recoverable(text);
    let mut r = Reader {
        file,
        cfg: Config::default(),
        errors: Vec::new(),
        key: String::new(),
        policy: None,
    };
    for e in syntax {
        let span = e.span().unwrap_or(0..0);
        let msg = e.message().trim().to_owned();
        let d = Diagnostic::new(
            &crate::syntax::codes::SP001,
            format!("invalid `{FILE_NAME}`: {msg}"),
        )
        .primary(r.span(span), msg);
        r.errors.push(d);
    }
    r.table(doc.get_ref(), TOP);
    if let Some(p) = r.policy.take() {
        r.cfg.policy = policy::parse(p, file, &mut r.errors);
    }
    if r.errors.is_empty() {
        Ok(r.cfg)
    } else {
        r.errors
            .sort_by_key(|d| d.primary_span().map(|s| (s.start, s.end)));
        Err(r.errors)
    }
}

/// The largest configuration file read: a real one is a few hundred bytes;
/// `--config /dev/zero` or a huge file is refused instead of read without end.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads the configuration at `path`, adding it to `sources` so problems can be rendered.
///
/// Only a regular file of at most [`MAX_CONFIG_BYTES`] is read: a FIFO or a
/// device is refused without waiting on it.
pub fn load(path: &Path, sources: &mut SourceMap) -> Result<Config, ConfigError> {
    let shown = || path.display().to_string();
    let bytes = crate::fsutil::read_limited(path, MAX_CONFIG_BYTES).map_err(|e| match e {
        crate::fsutil::ReadError::Io(e) => ConfigError::Read(shown(), e),
        other => ConfigError::Read(shown(), std::io::Error::other(other.to_string())),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        ConfigError::Read(
            shown(),
            std::io::Error::new(std::io::ErrorKind::InvalidData, "not valid UTF-8"),
        )
    })?;
    let id = sources.add(crate::workspace::display_path(path), text.clone());
    let mut cfg = parse(&text, id).map_err(ConfigError::Invalid)?;
    let base = path.parent().unwrap_or(Path::new("."));
    cfg.paths = cfg.paths.iter().map(|p| base.join(p)).collect();
    cfg.path = Some(path.to_path_buf());
    Ok(cfg)
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read `{0}`: {1}")]
    Read(String, std::io::Error),
    /// The file has problems (located diagnostics).
    #[error("invalid configuration")]
    Invalid(Vec<Diagnostic>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_severities_window_and_limits() {
        let c = parse("expiry_warning_days = 14\n[rules]\nSP003 = \"off\"\nSP007 = \"warn\"\n[limits]\nmax_depth = 64\n", FileId(0)).unwrap();
        assert_eq!(c.expiry_warning_days, 14);
        assert_eq!(c.severities.0.get("SP002"), None);
        assert_eq!(c.limits.max_depth, 64);
    }

    #[test]
    fn unknown_rule_is_located() {
        let text = "[rules]\nSP999 = \"off\"\n";
        let e = parse(text, FileId(0)).unwrap_err();
        assert_eq!(e[0].code(), crate::model::codes::SP004.code);
        assert_eq!(&text[e[0].labels[0].span.range()], "SP999");
    }

    #[test]
    fn unknown_key_is_sp003() {
        let e = parse("expiry_days = 3\n", FileId(0)).unwrap_err();
        assert_eq!(e[0].code(), crate::model::codes::SP003.code);
    }

    /// (code, located text) of each problem, in order.
    fn problems(text: &str) -> Vec<(&'static str, &str)> {
        parse(text, FileId(0))
            .unwrap_err()
            .iter()
            .map(|d| (d.code(), &text[d.labels[0].span.range()]))
            .collect()
    }

    #[test]
    fn every_problem_is_reported_at_its_place() {
        let text = "expiry_days = 3\npaths = [\"a\", 3]\nexpiry_warning_days = -1\n\
                    [rules]\nSP003 = \"loud\"\nSP004 = true\n\
                    [limits]\nmax_deph = 3\nmax_nodes = \"many\"\nmax_depth = 10 =\n[limit]\n";
        assert_eq!(
            problems(text),
            [
                ("SP003", "expiry_days"),
                ("SP004", "3"),
                ("SP004", "-1"),
                ("SP004", "\"loud\""),
                ("SP004", "true"),
                ("SP003", "max_deph"),
                ("SP004", "\"many\""),
                // A syntax error points between two characters (before the `=`).
                ("SP001", ""),
                ("SP003", "limit"),
            ]
        );
    }

    #[test]
    fn a_section_that_is_not_a_table_is_sp004() {
        assert_eq!(
            problems("limits = 3\nrules = []\n"),
            [("SP004", "3"), ("SP004", "[]")]
        );
    }

    #[test]
    fn unknown_keys_suggest_the_closest_or_list_the_keys() {
        let e = parse("[limits]\nmax_deph = 3\nzzz = 1\n", FileId(0)).unwrap_err();
        assert_eq!(e[0].help.as_deref(), Some("did you mean `max_depth`?"));
        assert!(
            e[1].help
                .as_deref()
                .is_some_and(|h| h.contains("`max_expanded_bytes`"))
        );
    }
}
