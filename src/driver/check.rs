//! The `check` pipeline: load the workspace, run the rules, apply severity
//! overrides in one place, sort.

use std::path::PathBuf;

use crate::config::Config;
use crate::diag::{self, Diagnostic, SourceMap, Suppressed};
use crate::model::Today;
use crate::plan::{BaseSpec, PlanError, base};
use crate::rules::{self, RuleCtx};
use crate::workspace::{self, LoadError, LoadOptions, Workspace};

/// The settings of one run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// "Today": a date for every advertiser (`--today`), or the instant
    /// the run is made at, read at each advertiser's offset.
    pub today: Today,
    /// The configuration (file and command line merged).
    pub config: Config,
}

/// The outcome of `check`.
#[derive(Debug, Clone)]
pub struct Report {
    /// The workspace read.
    pub workspace: Workspace,
    /// Every diagnostic, with overrides applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics silenced by `sparkplan-allow` comments, sorted.
    pub suppressed: Vec<Suppressed>,
}

impl Report {
    /// The files the diagnostics point into.
    pub fn sources(&self) -> &SourceMap {
        &self.workspace.sources
    }
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
    /// Whether any diagnostic is a warning.
    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(|d| !d.is_error())
    }
}

/// Loads `paths` and checks them.
pub fn check(paths: &[PathBuf], opts: &CheckOptions) -> Result<Report, LoadError> {
    let ws = workspace::load_paths_unresolved(
        paths,
        &LoadOptions {
            limits: opts.config.limits,
        },
    )?;
    some_manifest(&ws, paths)?;
    Ok(check_loaded(ws, opts, false))
}

/// A run that checked nothing must not say "no problems found".
fn some_manifest(ws: &Workspace, paths: &[PathBuf]) -> Result<(), LoadError> {
    if ws.manifest_count == 0 {
        let shown: Vec<String> = paths
            .iter()
            .map(|p| workspace::display_path(p))
            .map(|p| if p.is_empty() { ".".to_owned() } else { p })
            .collect();
        return Err(LoadError::NoManifests {
            searched: diag::ticked_list(&shown, "and"),
            yaml: ws.sources.len(),
        });
    }
    Ok(())
}

/// [`check`], and the base of `plan --base` read beside it (when the
/// workspace could be read): the base is listed and read from git while the
/// workspace is parsed, then parsed, decoded, merged and resolved while the
/// rules run, reusing what the workspace's files parsed to for the files
/// that did not change ([`base::Fetched::finish`]), so its file ids are
/// the workspace's for the same paths.
pub fn check_with_base(
    paths: &[PathBuf],
    base: Option<&BaseSpec>,
    opts: &CheckOptions,
) -> (
    Result<Report, LoadError>,
    Option<Result<Workspace, PlanError>>,
) {
    let Some(spec) = base else {
        return (check(paths, opts), None);
    };
    let limits = opts.config.limits;
    let load_opts = LoadOptions { limits };
    let (head, fetched) = rayon::join(
        || {
            if base::reuses_parsed(spec) {
                workspace::load_paths_unresolved_keeping(paths, &load_opts)
                    .map(|(ws, parsed)| (ws, Some(parsed)))
            } else {
                workspace::load_paths_unresolved(paths, &load_opts).map(|ws| (ws, None))
            }
        },
        || base::fetch(spec, paths, limits),
    );
    let (ws, parsed) = match head.and_then(|(ws, parsed)| {
        some_manifest(&ws, paths)?;
        Ok((ws, parsed))
    }) {
        Ok(loaded) => loaded,
        Err(e) => return (Err(e), None),
    };
    let (report, base_ws) = rayon::join(
        || check_loaded(ws, opts, false),
        || fetched.and_then(|f| f.finish(parsed)),
    );
    (Ok(report), Some(base_ws))
}

/// Checks an already loaded workspace.
pub fn check_workspace(ws: Workspace, opts: &CheckOptions) -> Report {
    check_loaded(ws, opts, true)
}

/// Checks a workspace whose references are resolved already, or not yet.
fn check_loaded(mut ws: Workspace, opts: &CheckOptions, resolved: bool) -> Report {
    let ctx = RuleCtx {
        ws: &ws,
        today: opts.today,
        expiry_warning_days: opts.config.expiry_warning_days,
        policy: &opts.config.policy,
    };
    // Reference resolution and the rules only read the workspace, and each
    // takes milliseconds on a large one: they run side by side. Resolution's
    // diagnostics are added to the workspace's as `workspace::load` would.
    let (resolution, mut diagnostics) = rayon::join(
        || {
            if resolved {
                workspace::resolve::Resolution::default()
            } else {
                workspace::resolve::diagnostics(&ws)
            }
        },
        || rules::run(&ctx, |code| opts.config.severities.is_off(code)),
    );
    workspace::resolve::apply(&mut ws, resolution);
    diagnostics.extend(workspace::api_keys::refusals(&ws));
    diagnostics.append(&mut ws.diagnostics);
    crate::syntax::merge::annotate(&mut diagnostics, &ws.merges);
    opts.config.severities.apply(&mut diagnostics);
    diagnostics.dedup();
    let mut suppressed = workspace::suppress::apply(
        &mut diagnostics,
        &ws.allows,
        crate::rules::registry::find,
        |code| opts.config.severities.is_off(code),
    );
    diag::sort(&mut diagnostics, &ws.sources);
    // One mistake reported from two places (a value of `ad_group_defaults`
    // decoded on its own and in an ad group) is one diagnostic, even when
    // only one place could offer its fix (issue 21).
    diagnostics.dedup_by(|later, kept| {
        let same = later.rule == kept.rule
            && later.severity == kept.severity
            && later.message == kept.message
            && later.labels == kept.labels
            && later.notes == kept.notes
            && later.help == kept.help;
        if same && kept.fixes.is_empty() {
            kept.fixes = std::mem::take(&mut later.fixes);
        }
        same
    });
    suppressed.sort_by(|a, b| {
        let key = |s: &Suppressed| {
            let p = s.diagnostic.primary_span();
            (
                p.map(|p| ws.sources.path(p.file).to_owned()),
                p.map(|p| p.start),
                s.diagnostic.code(),
                s.diagnostic.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    suppressed.dedup();
    Report {
        workspace: ws,
        diagnostics,
        suppressed,
    }
}
