//! One workspace folder of the client: its configuration, its files (on
//! disk, under the editor's open buffers) and the last check of them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::check::{CheckOptions, Report};
use crate::config::Config;
use crate::diag::FileId;
use crate::model::Today;
use crate::workspace::{Candidate, LoadOptions, Loader};

use super::index::Index;

/// A workspace folder.
pub struct Project {
    /// The folder.
    pub root: PathBuf,
    /// What is checked: `paths` of `sparkplan.toml`, else the folder.
    pub paths: Vec<PathBuf>,
    /// The configuration (defaults when there is no `sparkplan.toml`).
    pub config: Config,
    /// Why the configuration could not be read, if so (defaults are used).
    pub config_problem: Option<String>,
    loader: Loader,
    candidates: Vec<Candidate>,
    /// Open buffers that are not on disk (yet): checked too.
    unsaved: BTreeSet<PathBuf>,
    discovered: bool,
    /// The last check.
    pub report: Option<Report>,
    /// How long the last check's steps took: reading and merging, then the rules.
    pub timings: (std::time::Duration, std::time::Duration),
    index: Option<Index>,
}

impl Project {
    /// The project of folder `root`, honouring its `sparkplan.toml`.
    pub fn new(root: PathBuf) -> Self {
        let (config, config_problem) = read_config(&root);
        let paths = if config.paths.is_empty() {
            vec![root.clone()]
        } else {
            config.paths.clone()
        };
        let loader = Loader::new(LoadOptions {
            limits: config.limits,
        });
        Project {
            root,
            paths,
            config,
            config_problem,
            loader,
            candidates: Vec::new(),
            unsaved: BTreeSet::new(),
            discovered: false,
            report: None,
            timings: Default::default(),
            index: None,
        }
    }

    /// Whether `path` is a YAML file this project checks (it may not be a
    /// manifest: that is decided by reading it).
    pub fn covers(&self, path: &Path) -> bool {
        crate::workspace::is_yaml(path) && self.paths.iter().any(|p| path.starts_with(p))
    }

    /// Uses the buffer `text` for `path`.
    pub fn set_buffer(&mut self, path: &Path, text: String) {
        if !path.exists() {
            self.unsaved.insert(path.to_path_buf());
        }
        self.loader.set_overlay(path.to_path_buf(), text);
    }

    /// Reads `path` from disk again (its buffer was closed).
    pub fn close_buffer(&mut self, path: &Path) {
        self.unsaved.remove(path);
        self.loader.remove_overlay(path);
    }

    /// The file id of `path`, if it was read.
    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        self.loader.file_id(path)
    }

    /// A file changed on disk (or appeared, or went).
    pub fn disk_changed(&mut self, path: &Path) {
        self.loader.invalidate(path);
        self.discovered = false;
    }

    /// Reads the configuration again and every file with it.
    pub fn reload(&mut self) {
        let mut fresh = Project::new(self.root.clone());
        for p in self
            .candidates
            .iter()
            .map(|c| c.path.clone())
            .chain(self.unsaved.iter().cloned())
        {
            if let Some(t) = self.loader.overlay(&p) {
                fresh.set_buffer(&p, t.to_owned());
            }
        }
        *self = fresh;
    }

    /// Checks the workspace: changed files are read again, then every rule
    /// runs over all of them. Returns why it could not, if so.
    pub fn check(&mut self, today: Today) -> Result<(), String> {
        let started = std::time::Instant::now();
        if !self.discovered {
            let existing: Vec<PathBuf> =
                self.paths.iter().filter(|p| p.exists()).cloned().collect();
            self.candidates = crate::workspace::discover(&existing).map_err(|e| e.to_string())?;
            self.discovered = true;
        }
        let extra: Vec<&PathBuf> = self
            .unsaved
            .iter()
            .filter(|p| !p.exists() && self.candidates.iter().all(|c| &c.path != *p))
            .collect();
        let loaded = if extra.is_empty() {
            self.loader.load(&self.candidates)
        } else {
            let mut all = self.candidates.clone();
            all.extend(extra.into_iter().map(|p| Candidate {
                display: crate::workspace::display_path(p),
                path: p.clone(),
                explicit: false,
            }));
            all.sort();
            self.loader.load(&all)
        };
        let ws = match loaded {
            Ok(ws) => ws,
            Err(first) => {
                // A file went between the walk and the read: walk again.
                self.discovered = false;
                let existing: Vec<PathBuf> =
                    self.paths.iter().filter(|p| p.exists()).cloned().collect();
                self.candidates =
                    crate::workspace::discover(&existing).map_err(|_| first.to_string())?;
                self.discovered = true;
                self.loader
                    .load(&self.candidates)
                    .map_err(|e| e.to_string())?
            }
        };
        let loaded_at = std::time::Instant::now();
        // The one call into the check pipeline.
        let report = crate::check::check_workspace(
            ws,
            &CheckOptions {
                today,
                config: self.config.clone(),
            },
        );
        self.report = Some(report);
        self.index = None;
        self.timings = (loaded_at - started, loaded_at.elapsed());
        Ok(())
    }

    /// Builds the index of the last check, if not built yet.
    pub fn prepare_index(&mut self) {
        if self.index.is_none()
            && let Some(report) = &self.report
        {
            self.index = Some(Index::new(&report.workspace));
        }
    }

    /// The index of the last check, once [`Project::prepare_index`] built it.
    pub fn index(&self) -> Option<&Index> {
        self.index.as_ref()
    }
}

/// The configuration of a folder: `sparkplan.toml` found from it upwards,
/// with its paths made absolute.
fn read_config(root: &Path) -> (Config, Option<String>) {
    let Some(found) = crate::config::find(root) else {
        return (Config::default(), None);
    };
    let found = std::path::absolute(&found).unwrap_or(found);
    let mut sources = crate::diag::SourceMap::new();
    match crate::config::load(&found, &mut sources) {
        Ok(cfg) => (cfg, None),
        Err(crate::config::ConfigError::Invalid(diags)) => {
            let what: Vec<String> = diags
                .iter()
                .map(|d| {
                    let at = d.primary_span().map(|s| sources.location(s));
                    match at {
                        Some(l) => format!("{}:{}: {}", l.line, l.column, d.message),
                        None => d.message.clone(),
                    }
                })
                .collect();
            (
                Config::default(),
                Some(format!(
                    "{} is invalid ({}); checking with the defaults",
                    found.display(),
                    what.join("; ")
                )),
            )
        }
        Err(e) => (
            Config::default(),
            Some(format!("{e}; checking with the defaults")),
        ),
    }
}
