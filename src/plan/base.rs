//! Reading the base workspace of a plan: a folder, or the same paths as of a
//! git commit. Git is read with `git ls-tree` and `git cat-file` into a
//! temporary folder: the working tree and the index are never touched.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::PlanError;
use crate::diag::SourceMap;
use crate::syntax::Limits;
use crate::workspace::{self, LoadOptions, Workspace, display_path};

/// Where the base comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseSpec {
    /// A folder holding the base workspace.
    Dir(PathBuf),
    /// A folder holding the base workspace, whose name is also a git
    /// revision (a branch `posts` and a folder `posts`): the folder wins, and
    /// the plan says so.
    DirNotRevision(PathBuf),
    /// A git revision (`HEAD~1`, `origin/main`, a commit): the same paths as
    /// the workspace, as of that commit.
    Git(String),
}

impl BaseSpec {
    /// `--base ARG`: an existing folder, else a git revision. A folder whose
    /// name is also a git revision of the repository around the current
    /// folder is still the folder ([`BaseSpec::DirNotRevision`]).
    pub fn parse(arg: impl AsRef<OsStr>) -> BaseSpec {
        let p = Path::new(arg.as_ref());
        if p.is_dir() {
            let also_revision = arg.as_ref().to_str().is_some_and(|rev| {
                !rev.starts_with('-')
                    && std::env::current_dir().is_ok_and(|cwd| {
                        git(
                            &[
                                "rev-parse",
                                "--verify",
                                "--quiet",
                                &format!("{rev}^{{commit}}"),
                            ],
                            &cwd,
                        )
                        .is_ok()
                    })
            });
            if also_revision {
                BaseSpec::DirNotRevision(p.to_path_buf())
            } else {
                BaseSpec::Dir(p.to_path_buf())
            }
        } else {
            BaseSpec::Git(arg.as_ref().to_string_lossy().into_owned())
        }
    }

    /// The folder, if the base is one.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            BaseSpec::Dir(p) | BaseSpec::DirNotRevision(p) => Some(p),
            BaseSpec::Git(_) => None,
        }
    }

    /// How the base is named in the plan.
    pub fn label(&self) -> String {
        match self {
            BaseSpec::Dir(p) => display_path(p),
            BaseSpec::DirNotRevision(p) => format!(
                "{} (the folder, not the git revision of that name)",
                display_path(p)
            ),
            BaseSpec::Git(r) => r.clone(),
        }
    }
}

fn base_error(spec: &BaseSpec, message: impl Into<String>) -> PlanError {
    PlanError::Base {
        base: spec.label(),
        message: message.into(),
    }
}

/// Loads the base workspace. For a git revision, `paths` (the workspace's
/// paths, relative to the current folder) are read as of that commit, and
/// files are shown as `REV:path/from/repository/root`.
pub fn load(spec: &BaseSpec, paths: &[PathBuf], limits: Limits) -> Result<Workspace, PlanError> {
    let opts = LoadOptions { limits };
    match spec {
        BaseSpec::Dir(dir) | BaseSpec::DirNotRevision(dir) => {
            Ok(workspace::load(std::slice::from_ref(dir), &opts)?)
        }
        BaseSpec::Git(rev) => load_git(spec, rev, paths, &opts),
    }
}

/// A path from git's output bytes: exact on Unix, where a path is any bytes
/// (a repository at a non-UTF-8 path works); lossy elsewhere.
fn os_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(OsString::from_vec(bytes.to_vec()))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

fn git<S: AsRef<OsStr>>(args: &[S], dir: &Path) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(err.lines().next().unwrap_or("git failed").trim().to_owned())
    }
}

fn load_git(
    spec: &BaseSpec,
    rev: &str,
    paths: &[PathBuf],
    opts: &LoadOptions,
) -> Result<Workspace, PlanError> {
    let cwd = std::env::current_dir().map_err(|e| base_error(spec, e.to_string()))?;
    // The repository is the one holding the (first) workspace path.
    let probe = paths
        .first()
        .map(|p| cwd.join(p))
        .map(|p| {
            if p.is_dir() {
                p
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or(p)
            }
        })
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| cwd.clone());
    let top = git(&["rev-parse", "--show-toplevel"], &probe)
        .map_err(|e| base_error(spec, format!("not in a git repository ({e})")))?;
    let top = os_path(top.strip_suffix(b"\n").unwrap_or(&top));
    let top = top.canonicalize().unwrap_or(top);
    let commit = git(
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
        &top,
    )
    .map_err(|_| base_error(spec, "neither a folder nor a git commit"))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();

    let tmp = tempfile::tempdir().map_err(|e| base_error(spec, e.to_string()))?;
    let mut roots = Vec::new();
    for p in paths {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            cwd.join(p)
        };
        let abs = abs.canonicalize().unwrap_or(abs);
        let rel = abs.strip_prefix(&top).map_err(|_| {
            base_error(
                spec,
                format!("`{}` is outside the git repository", display_path(p)),
            )
        })?;
        // The path as it is (git pathspecs are bytes), not a lossy copy.
        let pathspec = if rel.as_os_str().is_empty() {
            OsStr::new(".")
        } else {
            rel.as_os_str()
        };
        let listing = git(
            &[
                OsStr::new("ls-tree"),
                OsStr::new("-r"),
                OsStr::new("-z"),
                OsStr::new("--full-name"),
                OsStr::new(&commit),
                OsStr::new("--"),
                pathspec,
            ],
            &top,
        )
        .map_err(|e| base_error(spec, e))?;
        for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let Some(tab) = entry.iter().position(|&b| b == b'\t') else {
                continue;
            };
            let (meta, path_bytes) = (String::from_utf8_lossy(&entry[..tab]), &entry[tab + 1..]);
            let path = String::from_utf8_lossy(path_bytes);
            let mut meta = meta.split(' ');
            let (mode, kind, object) = (meta.next(), meta.next(), meta.next());
            let wanted = path.ends_with(".yaml")
                || path.ends_with(".yml")
                || path.ends_with(".gitignore")
                || path.ends_with(".ignore");
            if kind != Some("blob") || !matches!(mode, Some("100644" | "100755")) || !wanted {
                continue;
            }
            let Some(object) = object else { continue };
            let bytes =
                git(&["cat-file", "blob", object], &top).map_err(|e| base_error(spec, e))?;
            let dest = tmp.path().join(os_path(path_bytes));
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(|e| base_error(spec, e.to_string()))?;
            }
            std::fs::write(&dest, bytes).map_err(|e| base_error(spec, e.to_string()))?;
        }
        let root = tmp.path().join(rel);
        if root.exists() {
            roots.push(root);
        } else if abs.is_dir() {
            // The folder did not exist at that commit: an empty base.
            std::fs::create_dir_all(&root).map_err(|e| base_error(spec, e.to_string()))?;
            roots.push(root);
        }
    }
    let mut ws = workspace::load(&roots, opts)?;
    // Show base files as `REV:path` (the path from the repository root).
    let prefix = format!("{}/", display_path(tmp.path()));
    let mut sources = SourceMap::new();
    for (_, f) in ws.sources.files() {
        let shown = match f.path.strip_prefix(&prefix) {
            Some(rest) => format!("{rev}:{rest}"),
            None => f.path.clone(),
        };
        sources.add(shown, f.text.clone());
    }
    ws.sources = sources;
    Ok(ws)
}
