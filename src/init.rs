//! `sparkplan init`: a new, minimal workspace that checks clean.
//!
//! It writes only into a folder that is new, empty, or holds nothing but
//! `.git` (what `git init` leaves), and creates every file with `create_new`,
//! so nothing that exists is ever overwritten. If a write fails half-way, the
//! files and folders it created are removed again and nothing else is touched.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The files of a new workspace, relative to its folder: path and contents.
/// The schema is generated at run time (it is this binary's own).
const CONFIG: &str = r#"# sparkplan configuration. `sparkplan check` and `sparkplan plan` find this file in
# the folder they are given (or its parents); see
# https://github.com/sparkplan/sparkplan#configuration-sparkplantoml

# The folders `check` and `plan` read when no PATH is given.
paths = ["manifests"]

# SP204 warns when a creator's authorization ends within this many days.
# expiry_warning_days = 7

[rules]
# Change a rule's severity: "off", "warn" or "error" (`sparkplan rules` lists them,
# `sparkplan explain SP204` documents one). For example:
# SP306 = "error"
"#;

const ACCOUNTS: &str = r#"# yaml-language-server: $schema=../.sparkplan/sparkplan.schema.json
# The line above connects editors (VS Code's YAML extension, Neovim, Helix…) to
# sparkplan's schema: completion, hover docs and errors while typing.
#
# Every YAML file with a top-level `sparkplan: 1` is a manifest. All manifests
# share one namespace: a name defined here can be used in any other file.
sparkplan: 1

advertisers:
  my_account:                                # a name of your choice
    advertiser_id: "7000000000000000001"     # REPLACE: your ad account ID (quoted)
    timezone: UTC                            # the account's time zone (IANA name)

identities:
  my_brand:
    type: linked_account                     # your own TikTok account (API TT_USER)
    advertiser: my_account
    identity_id: "6900000000000000001"       # REPLACE: the identity ID in Ads Manager
    handle: "@my_brand"

# Next: creator posts (`posts:`, authorized by video code) and Smart+ campaigns
# (`campaigns:`), in this file or new ones. A complete workspace to copy from:
# https://github.com/sparkplan/sparkplan/tree/main/examples/acme
# Then run `sparkplan check` here, and `sparkplan plan` to see the API calls.
"#;

/// Where the workspace's JSON Schema goes (a hidden folder: `check` skips it).
pub const SCHEMA_PATH: &str = ".sparkplan/sparkplan.schema.json";

/// The files `init` writes, in the order it writes them.
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        ("sparkplan.toml", CONFIG.to_owned()),
        (SCHEMA_PATH, crate::schema::schema_json()),
        ("manifests/accounts.yaml", ACCOUNTS.to_owned()),
    ]
}

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder has entries; `init` never writes among existing files.
    #[error(
        "`{dir}` is not empty (it holds {found}): sparkplan init writes only into a new or empty folder, and changed nothing"
    )]
    NotEmpty {
        /// The folder.
        dir: String,
        /// Some of its entries, for the message.
        found: String,
    },
    /// The path exists and is not a folder.
    #[error("`{0}` exists and is not a folder: sparkplan init changed nothing")]
    NotADirectory(String),
    /// An I/O failure; whatever `init` had created was removed.
    #[error("cannot {action} `{path}`: {source}")]
    Io {
        /// What was being done (`create`, `write`, …).
        action: &'static str,
        /// The path it was done to.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> InitError {
    let path = path.display().to_string();
    move |source| InitError::Io {
        action,
        path,
        source,
    }
}

/// Creates a new workspace in `dir`; the files written, relative to `dir`.
pub fn create(dir: &Path) -> Result<Vec<&'static str>, InitError> {
    let mut created: Vec<PathBuf> = Vec::new();
    let result = create_inner(dir, &mut created);
    if result.is_err() {
        // Undo, newest first: files, then the folders init made (only if empty).
        for p in created.iter().rev() {
            if p.is_dir() {
                let _ = std::fs::remove_dir(p);
            } else {
                let _ = std::fs::remove_file(p);
            }
        }
    }
    result
}

fn create_inner(dir: &Path, created: &mut Vec<PathBuf>) -> Result<Vec<&'static str>, InitError> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => check_empty(dir)?,
        Ok(_) => {
            // A symlink to a folder is followed like `cd` would; anything else is refused.
            if !dir.is_dir() {
                return Err(InitError::NotADirectory(dir.display().to_string()));
            }
            check_empty(dir)?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            make_dirs(dir, created)?;
        }
        Err(e) => return Err(io("read", dir)(e)),
    }
    let mut written = Vec::new();
    for (rel, contents) in files() {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            make_dirs(parent, created)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io("create", &path))?;
        created.push(path.clone());
        f.write_all(contents.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(io("write", &path))?;
        written.push(rel);
    }
    Ok(written)
}

/// Creates `dir` and its missing parents, recording each one it made.
fn make_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), InitError> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    for d in missing.into_iter().rev() {
        std::fs::create_dir(&d).map_err(io("create folder", &d))?;
        created.push(d);
    }
    Ok(())
}

/// Succeeds when `dir` holds nothing, or only `.git`.
fn check_empty(dir: &Path) -> Result<(), InitError> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(io("read", dir))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(io("read", dir))?;
    names.retain(|n| n != ".git");
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    let found = if names.len() > 3 {
        format!("{} and {} more", shown.join(", "), names.len() - 3)
    } else {
        shown.join(", ")
    };
    Err(InitError::NotEmpty {
        dir: dir.display().to_string(),
        found,
    })
}
