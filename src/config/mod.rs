//! `sparkplan.toml`: rule severities, the expiry warning window, default
//! paths and safety limits. Problems in the file are located diagnostics.

pub mod policy;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    paths: Option<Vec<String>>,
    expiry_warning_days: Option<toml::Spanned<u32>>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
    limits: Option<RawLimits>,
    policy: Option<policy::RawPolicy>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_file_bytes: Option<toml::Spanned<u64>>,
    max_depth: Option<toml::Spanned<u64>>,
    max_nodes: Option<toml::Spanned<u64>>,
    max_expansion: Option<toml::Spanned<u64>>,
    max_expanded_bytes: Option<toml::Spanned<u64>>,
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

/// Checks one limit against its accepted range: a value outside it is a
/// located error, never silently replaced (the run would check something else
/// than what the file says).
fn limit(
    v: Option<toml::Spanned<u64>>,
    name: &str,
    default: u64,
    min: u64,
    max: u64,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> u64 {
    let Some(v) = v else { return default };
    let n = *v.get_ref();
    if (min..=max).contains(&n) {
        return n;
    }
    let span = v.span();
    let (what, why) = if n < min {
        (
            format!("`limits.{name}` must be at least {min}"),
            format!("{n} would refuse every manifest (SP013)"),
        )
    } else {
        (
            format!("`limits.{name}` can be at most {max}"),
            format!("{n} is more than sparkplan can honour"),
        )
    };
    errors.push(
        Diagnostic::new(&crate::model::codes::SP004, what)
            .primary(Span::new(file, span.start, span.end), why)
            .help(format!(
                "use a value from {min} to {max}, or remove the line for the default ({default})"
            )),
    );
    default
}

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

/// Parses configuration text. Problems are diagnostics located in the file,
/// which the caller adds to `sources` for rendering.
pub fn parse(text: &str, file: FileId) -> Result<Config, Vec<Diagnostic>> {
    let raw: RawConfig = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_owned();
            let code = if msg.contains("unknown field") {
                &crate::model::codes::SP003
            } else if msg.contains("invalid type") || msg.contains("invalid value") {
                &crate::model::codes::SP004
            } else {
                &crate::syntax::codes::SP001
            };
            return Err(vec![
                Diagnostic::new(code, format!("invalid `{FILE_NAME}`: {msg}"))
                    .primary(Span::new(file, span.start, span.end), msg),
            ]);
        }
    };
    let mut errors = Vec::new();
    let mut cfg = Config {
        paths: raw
            .paths
            .unwrap_or_default()
            .into_iter()
            .map(PathBuf::from)
            .collect(),
        ..Config::default()
    };
    if let Some(days) = raw.expiry_warning_days {
        cfg.expiry_warning_days = *days.get_ref();
    }
    for (code, level) in &raw.rules {
        let sp = |s: std::ops::Range<usize>| Span::new(file, s.start, s.end);
        match Level::parse(level.get_ref()) {
            None => errors.push(
                Diagnostic::new(
                    &crate::model::codes::SP004,
                    format!("`{}` is not a severity", level.get_ref()),
                )
                .primary(sp(level.span()), "expected `off`, `warn` or `error`"),
            ),
            Some(l) => {
                if let Err(e) = cfg.severities.set(code.get_ref(), l) {
                    errors.push(
                        Diagnostic::new(&crate::model::codes::SP004, e.clone())
                            .primary(sp(code.span()), e),
                    );
                }
            }
        }
    }
    if let Some(l) = raw.limits {
        let d = Limits::default();
        let e = &mut errors;
        let usize_max = u64::try_from(usize::MAX).unwrap_or(u64::MAX);
        let as_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        cfg.limits = Limits {
            max_file_bytes: limit(
                l.max_file_bytes,
                "max_file_bytes",
                d.max_file_bytes,
                MIN_FILE_BYTES,
                MAX_FILE_BYTES_CAP,
                file,
                e,
            ),
            max_depth: as_usize(limit(
                l.max_depth,
                "max_depth",
                d.max_depth as u64,
                MIN_DEPTH,
                MAX_DEPTH_CAP as u64,
                file,
                e,
            )),
            max_nodes: as_usize(limit(
                l.max_nodes,
                "max_nodes",
                d.max_nodes as u64,
                MIN_NODES,
                usize_max,
                file,
                e,
            )),
            max_expansion: limit(
                l.max_expansion,
                "max_expansion",
                d.max_expansion,
                1,
                u64::MAX,
                file,
                e,
            ),
            max_expanded_bytes: limit(
                l.max_expanded_bytes,
                "max_expanded_bytes",
                d.max_expanded_bytes,
                MIN_FILE_BYTES,
                u64::MAX,
                file,
                e,
            ),
        };
    }
    if let Some(p) = raw.policy {
        cfg.policy = policy::parse(p, file, &mut errors);
    }
    if errors.is_empty() {
        Ok(cfg)
    } else {
        Err(errors)
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
}
