//! Finding manifest files: walk folders (respecting `.gitignore`), keep
//! `*.yaml` / `*.yml`; files named on the command line are always read.

use std::path::{Path, PathBuf};

use super::LoadError;

/// A file to read, and whether the user named it explicitly.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The path as shown to users (`/` separators, no leading `./`).
    pub display: String,
    /// The path to open.
    pub path: PathBuf,
    /// Named on the command line: read even without a `sparkplan` key.
    pub explicit: bool,
}

/// Whether the walk reads `p` as YAML (by its extension): the one test for
/// the language server's files and the base's blobs too.
pub fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// The path as shown in diagnostics: `/` separators (`\` is one only on
/// Windows; elsewhere it is an ordinary character of a file name and stays).
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    let s = if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_owned()
}

/// Lists the candidate files under `paths`, sorted by display path, without
/// duplicates (a file both named and found keeps `explicit`).
///
/// One file is read once however it is reached: `check . "$PWD"`, `check .
/// ../acme` or a symlinked folder inside the workspace name the same files
/// under other paths, and reading them twice would define every name twice
/// (a false SP007). Files are compared by their canonical path; the path kept
/// is the one reached from the earliest argument, then the shortest.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Candidate>, LoadError> {
    let mut out: Vec<Candidate> = Vec::new();
    // (argument index, candidate index) of each candidate, for the tie-break.
    let mut origin: Vec<usize> = Vec::new();
    for (arg, root) in paths.iter().enumerate() {
        let before = out.len();
        discover_root(root, &mut out)?;
        origin.resize(origin.len() + (out.len() - before), arg);
    }
    dedup_same_file(&mut out, &origin);
    out.sort_by(|a, b| a.display.cmp(&b.display).then(b.explicit.cmp(&a.explicit)));
    out.dedup_by(|b, a| {
        if a.display == b.display {
            a.explicit |= b.explicit;
            true
        } else {
            false
        }
    });
    Ok(out)
}

/// Keeps one candidate per canonical path (a file whose path cannot be
/// canonicalized is kept as it is). `explicit` is kept if any copy had it.
fn dedup_same_file(out: &mut Vec<Candidate>, origin: &[usize]) {
    use std::collections::HashMap;
    let mut best: HashMap<PathBuf, usize> = HashMap::new();
    let mut keep = vec![true; out.len()];
    for i in 0..out.len() {
        let Ok(canon) = std::fs::canonicalize(&out[i].path) else {
            continue;
        };
        match best.get(&canon).copied() {
            None => {
                best.insert(canon, i);
            }
            Some(j) => {
                let rank = |k: usize| (origin[k], out[k].display.len(), out[k].display.clone());
                let (win, lose) = if rank(i) < rank(j) { (i, j) } else { (j, i) };
                out[win].explicit |= out[lose].explicit;
                keep[lose] = false;
                best.insert(canon, win);
            }
        }
    }
    let mut k = keep.into_iter();
    out.retain(|_| k.next().unwrap_or(true));
}

fn discover_root(root: &Path, out: &mut Vec<Candidate>) -> Result<(), LoadError> {
    {
        let meta = std::fs::metadata(root).map_err(|source| LoadError::Read {
            path: display_path(root),
            source,
        })?;
        if meta.is_file() {
            out.push(Candidate {
                display: display_path(root),
                path: root.to_path_buf(),
                explicit: true,
            });
            return Ok(());
        }
        if !meta.is_dir() {
            // A named pipe, socket or device: reading it could block forever.
            return Err(LoadError::Read {
                path: display_path(root),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "not a regular file or a folder",
                ),
            });
        }
        let walker = ignore::WalkBuilder::new(root)
            .require_git(false)
            .follow_links(true)
            .hidden(true)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| walk_error(root, e))?;
            let p = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file()) && is_yaml(p) {
                out.push(Candidate {
                    display: display_path(p),
                    path: p.to_path_buf(),
                    explicit: false,
                });
            }
        }
    }
    Ok(())
}

fn walk_error(root: &Path, e: ignore::Error) -> LoadError {
    // Find the innermost path the walker names.
    fn path_of(e: &ignore::Error) -> Option<String> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(display_path(path)),
            ignore::Error::Loop { child, .. } => Some(display_path(child)),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Partial(errs) => errs.iter().find_map(path_of),
            _ => None,
        }
    }
    let path = path_of(&e).unwrap_or_else(|| display_path(root));
    LoadError::Walk {
        path,
        message: e.to_string(),
    }
}
