//! The `check` pipeline: load the workspace, run the rules, apply severity
//! overrides in one place, sort.

use std::path::PathBuf;

use crate::config::Config;
use crate::diag::{self, Diagnostic, SourceMap};
use crate::model::Today;
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
    Ok(check_loaded(ws, opts, false))
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
    };
    // Reference resolution and the rules only read the workspace, and each
    // takes milliseconds on a large one: they run side by side. Resolution's
    // diagnostics are added to the workspace's as `workspace::load` would.
    let (resolution, mut diagnostics) = rayon::join(
        || {
            if resolved {
                Vec::new()
            } else {
                workspace::resolve::diagnostics(&ws)
            }
        },
        || rules::run(&ctx, |code| opts.config.severities.is_off(code)),
    );
    ws.diagnostics.extend(resolution);
    diagnostics.extend(crate::plan::api_refusals(&ws));
    diagnostics.append(&mut ws.diagnostics);
    opts.config.severities.apply(&mut diagnostics);
    diag::sort(&mut diagnostics, &ws.sources);
    diagnostics.dedup();
    Report {
        workspace: ws,
        diagnostics,
    }
}
