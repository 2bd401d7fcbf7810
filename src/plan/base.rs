//! Reading the base workspace of a plan: a folder, or the same paths as of a
//! git commit. The working tree and the index are never touched:
//!
//! - `git ls-tree -r -l` per workspace path lists the files with their
//!   sizes: a file over `limits.max_file_bytes` is refused before it is read;
//! - every file is read through one `git cat-file --batch` process per
//!   repository (not one process per file), and kept in memory;
//! - which files the base has is decided by the workspace walk itself
//!   ([`workspace::discover`], its `.gitignore` handling included), run over
//!   a temporary folder holding the ignore files and, for each manifest, a
//!   hard link to one empty file (the walk reads only their names; creating
//!   one file per blob was the slowest part of reading a base);
//! - a file whose bytes and path are those of a file of the workspace is not
//!   parsed again: [`fetch`] runs while the workspace is read, and
//!   [`Fetched::finish`] takes that file's result ([`Parsed`]) and file id
//!   ([`workspace::load_reusing`]), so only the files that changed are
//!   parsed and decoded;
//! - the base is read like the working tree: a committed symbolic link is
//!   followed inside the commit (`--follow-symlinks`; a link to a folder is
//!   listed too), a submodule is read from its own repository at the commit
//!   the base records (one not checked out is empty, as on disk); a link out
//!   of the repository, a dangling link or a submodule commit that is not
//!   fetched is refused with the reason.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use super::PlanError;
use crate::syntax::Limits;
use crate::workspace::{self, LoadOptions, Parsed, Reread, Workspace, display_path};

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
/// files are shown as `REV:path/from/repository/root`. Every file is parsed:
/// [`fetch`] then [`Fetched::finish`] with the workspace's [`Parsed`] files
/// parses only those that differ.
pub fn load(spec: &BaseSpec, paths: &[PathBuf], limits: Limits) -> Result<Workspace, PlanError> {
    fetch(spec, paths, limits)?.finish(None)
}

/// Whether reading this base can reuse what the workspace's files parsed to
/// ([`Fetched::finish`]): only a git revision can (a folder is read whole).
pub fn reuses_parsed(spec: &BaseSpec) -> bool {
    matches!(spec, BaseSpec::Git(_))
}

/// The first part of reading a base, which can run while the workspace is
/// read: a folder is read whole; a git revision's files are listed and read
/// from git, and the files of the workspace walk are found among them, but
/// none is parsed yet.
pub fn fetch(spec: &BaseSpec, paths: &[PathBuf], limits: Limits) -> Result<Fetched, PlanError> {
    let opts = LoadOptions { limits };
    Ok(Fetched(match spec {
        BaseSpec::Dir(dir) | BaseSpec::DirNotRevision(dir) => {
            Fetch::Loaded(workspace::load(std::slice::from_ref(dir), &opts)?)
        }
        BaseSpec::Git(rev) => Fetch::Git(fetch_git(spec, rev, paths, opts)?),
    }))
}

/// A base read by [`fetch`], to be finished with [`Fetched::finish`].
pub struct Fetched(Fetch);

enum Fetch {
    Loaded(Workspace),
    Git(GitFiles),
}

/// The files of a git base, in the order of the workspace walk over them.
struct GitFiles {
    opts: LoadOptions,
    /// Each workspace path as given, and where it is from the repository's
    /// root.
    roots: Vec<(PathBuf, PathBuf)>,
    /// Each file's path from the repository's root, and the file (shown as
    /// `REV:path`, with its bytes).
    files: Vec<(PathBuf, Reread)>,
}

impl Fetched {
    /// Finishes reading the base: parses and decodes its files, merges and
    /// resolves them. For a git revision, a file whose bytes are those the
    /// workspace's file at the same path (in the repository) read is not
    /// parsed again: its result is taken from `parsed` (made by the
    /// workspace's load with the same limits), and the file keeps that
    /// file's id, so the base's file ids are the workspace's ids for the
    /// same paths, with those of files only in the base after the
    /// workspace's last id ([`workspace::load_reusing`]).
    pub fn finish(self, parsed: Option<Parsed>) -> Result<Workspace, PlanError> {
        let git = match self.0 {
            Fetch::Loaded(ws) => return Ok(ws),
            Fetch::Git(git) => git,
        };
        let mut files = git.files;
        let parsed = parsed.unwrap_or_default();
        if !parsed.is_empty() {
            // Workspace files by their path from the repository's root.
            let mut by_rel: HashMap<PathBuf, &Path> = HashMap::with_capacity(parsed.len());
            for p in parsed.paths() {
                let Some((root, rest)) = git
                    .roots
                    .iter()
                    .find_map(|(given, root)| Some((root, p.strip_prefix(given).ok()?)))
                else {
                    continue;
                };
                let rel = if rest.as_os_str().is_empty() {
                    root.clone()
                } else {
                    root.join(rest)
                };
                by_rel.insert(rel, p);
            }
            for (rel, f) in &mut files {
                f.twin = by_rel.get(rel.as_path()).map(|p| p.to_path_buf());
            }
        }
        let files = files.into_iter().map(|(_, f)| f).collect();
        Ok(workspace::load_reusing(files, parsed, &git.opts)?)
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

/// How deep symbolic links to folders and submodules are followed.
const MAX_NESTING: usize = 8;

/// One entry of `git ls-tree -r -l`.
struct Entry {
    mode: String,
    object: String,
    /// The blob's size (`None` for a submodule).
    size: Option<u64>,
    /// The path from the root of the tree listed.
    path: String,
}

/// `git ls-tree -r -z -l --full-name TREEISH [-- PATHSPEC]`, run in `repo`.
fn ls_tree(repo: &Path, treeish: &str, pathspec: Option<&str>) -> Result<Vec<Entry>, String> {
    let mut args = vec!["ls-tree", "-r", "-z", "-l", "--full-name", treeish];
    if let Some(p) = pathspec {
        args.extend(["--", p]);
    }
    let listing = git(&args, repo)?;
    let mut out = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split_whitespace();
        let (Some(mode), Some(_kind), Some(object), Some(size)) =
            (meta.next(), meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        out.push(Entry {
            mode: mode.to_owned(),
            object: object.to_owned(),
            size: size.parse().ok(),
            path: path.to_owned(),
        });
    }
    Ok(out)
}

/// What `git cat-file --batch[-check] --follow-symlinks` says about a name.
enum Reply {
    /// An object: its name, type and size (for `--batch`, the content follows).
    Object {
        object: String,
        kind: String,
        size: u64,
    },
    /// Missing, or a link that cannot be followed inside the tree: why.
    Unreadable(String),
}

/// One long-running `git cat-file` process: every blob of a repository is
/// read through it (one process, not one per file).
struct CatFile {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    /// `mode` is `--batch` or `--batch-check`.
    fn spawn(repo: &Path, mode: &str) -> Result<CatFile, String> {
        let mut child = Command::new("git")
            .args(["cat-file", mode, "--follow-symlinks"])
            .current_dir(repo)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("cannot talk to git cat-file".to_owned());
        };
        Ok(CatFile {
            child,
            stdin: Some(stdin),
            stdout: BufReader::new(stdout),
        })
    }

    /// Asks about `name` (an object ID or `COMMIT:path`) and reads the header
    /// of the reply. With `--batch`, the caller then reads the content with
    /// [`CatFile::content`] (git flushes each reply: no deadlock).
    fn ask(&mut self, name: &str) -> Result<Reply, String> {
        let io = |e: std::io::Error| format!("git cat-file: {e}");
        let stdin = self.stdin.as_mut().ok_or("git cat-file has ended")?;
        writeln!(stdin, "{name}")
            .and_then(|()| stdin.flush())
            .map_err(io)?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).map_err(io)?;
        let header = header.trim_end_matches('\n');
        let bad = || format!("git cat-file said `{header}`");
        let parts: Vec<&str> = header.split(' ').collect();
        match parts.as_slice() {
            [_, "missing" | "ambiguous"] => Ok(Reply::Unreadable("missing".to_owned())),
            [problem @ ("symlink" | "dangling" | "loop" | "notdir"), size] => {
                // The link's target (or the name asked) follows.
                let size: usize = size.parse().map_err(|_| bad())?;
                if size > 4096 {
                    return Err(bad());
                }
                let mut target = vec![0; size + 1];
                self.stdout.read_exact(&mut target).map_err(io)?;
                target.pop();
                let target = String::from_utf8_lossy(&target);
                Ok(Reply::Unreadable(match *problem {
                    "symlink" => format!(
                        "a symbolic link to `{target}`, outside the repository: its content as of that commit is unknown"
                    ),
                    "dangling" => format!("a symbolic link to `{target}`, which does not exist"),
                    "loop" => "a loop of symbolic links".to_owned(),
                    _ => format!("a symbolic link through `{target}`, which is not a folder"),
                }))
            }
            [object, kind, size] => Ok(Reply::Object {
                object: (*object).to_owned(),
                kind: (*kind).to_owned(),
                size: size.parse().map_err(|_| bad())?,
            }),
            _ => Err(bad()),
        }
    }

    /// The `size` bytes of content after a `--batch` header (and the newline
    /// after them).
    fn content(&mut self, size: u64) -> Result<Vec<u8>, String> {
        let len = usize::try_from(size).map_err(|_| "a blob too large to read".to_owned())?;
        let mut buf = vec![0; len + 1];
        self.stdout
            .read_exact(&mut buf)
            .map_err(|e| format!("git cat-file: {e}"))?;
        buf.pop();
        Ok(buf)
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Closing stdin ends git; one left writing a refused blob is stopped.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the base reads a file at `path`: what the working-tree walk
/// reads, and the ignore files it honours.
fn wanted(path: &str) -> bool {
    path.ends_with(".yaml")
        || path.ends_with(".yml")
        || path.ends_with(".gitignore")
        || path.ends_with(".ignore")
}

/// The blobs of the base, per repository (the top one, then submodules):
/// `(repository folder, [(path from the top repository's root, object)])`.
struct Collector<'a> {
    rev: &'a str,
    max_bytes: u64,
    repos: Vec<(PathBuf, Vec<(String, String)>)>,
}

/// One repository being listed.
struct Repo {
    dir: PathBuf,
    commit: String,
    /// Where it sits, from the top repository's root (`""` or `sub/`).
    prefix: String,
    check: Option<CatFile>,
    blobs: Vec<(String, String)>,
}

impl Collector<'_> {
    fn shown(&self, repo: &Repo, path: &str) -> String {
        format!("{}:{}{path}", self.rev, repo.prefix)
    }

    /// Takes listed entries; `at` is where the listed tree sits in the
    /// repository (non-empty for a link to a folder).
    fn take(
        &mut self,
        repo: &mut Repo,
        entries: Vec<Entry>,
        at: &str,
        depth: usize,
    ) -> Result<(), String> {
        for e in entries {
            let path = format!("{at}{}", e.path);
            if path
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == "..")
            {
                return Err(format!("`{}` is not a plain path", self.shown(repo, &path)));
            }
            match e.mode.as_str() {
                "100644" | "100755" if wanted(&path) => {
                    self.blob(repo, &path, e.object, e.size.unwrap_or(0))?;
                }
                "120000" => self.link(repo, &path, depth)?,
                "160000" => self.submodule(repo, &path, &e.object, depth)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A file: refused by its size, before it is read.
    fn blob(&self, repo: &mut Repo, path: &str, object: String, size: u64) -> Result<(), String> {
        if size > self.max_bytes {
            return Err(format!(
                "`{}` is {size} bytes, over the limit of {} bytes per file (`limits.max_file_bytes`); it was not read",
                self.shown(repo, path),
                self.max_bytes
            ));
        }
        repo.blobs.push((format!("{}{path}", repo.prefix), object));
        Ok(())
    }

    /// A committed symbolic link: what it points to as of the commit, as the
    /// working-tree walk follows links.
    fn link(&mut self, repo: &mut Repo, path: &str, depth: usize) -> Result<(), String> {
        let check = match &mut repo.check {
            Some(c) => c,
            None => repo
                .check
                .insert(CatFile::spawn(&repo.dir, "--batch-check")?),
        };
        match check.ask(&format!("{}:{path}", repo.commit))? {
            Reply::Object { object, kind, size } if kind == "blob" => {
                if wanted(path) {
                    self.blob(repo, path, object, size)?;
                }
                Ok(())
            }
            Reply::Object { object, kind, .. } if kind == "tree" => {
                if depth >= MAX_NESTING {
                    return Err(format!(
                        "`{}` nests links to folders more than {MAX_NESTING} deep",
                        self.shown(repo, path)
                    ));
                }
                let entries = ls_tree(&repo.dir, &object, None)?;
                self.take(repo, entries, &format!("{path}/"), depth + 1)
            }
            Reply::Object { .. } => Ok(()),
            Reply::Unreadable(why) => Err(format!("`{}` is {why}", self.shown(repo, path))),
        }
    }

    /// A submodule: its files as of the commit the base records, from the
    /// submodule's own repository, as the working tree holds them.
    fn submodule(
        &mut self,
        repo: &Repo,
        path: &str,
        commit: &str,
        depth: usize,
    ) -> Result<(), String> {
        let dir = repo.dir.join(path);
        if !dir.join(".git").exists() {
            // Not checked out: the working tree has an empty folder there too.
            return Ok(());
        }
        let shown = self.shown(repo, path);
        if depth >= MAX_NESTING {
            return Err(format!(
                "`{shown}` nests submodules more than {MAX_NESTING} deep"
            ));
        }
        let entries = ls_tree(&dir, commit, None).map_err(|e| {
            format!(
                "the submodule `{shown}` at commit {commit} cannot be read ({e}); fetch it with `git submodule update`"
            )
        })?;
        let mut sub = Repo {
            dir,
            commit: commit.to_owned(),
            prefix: format!("{}{path}/", repo.prefix),
            check: None,
            blobs: Vec::new(),
        };
        self.take(&mut sub, entries, "", depth + 1)?;
        self.repos.push((sub.dir, sub.blobs));
        Ok(())
    }
}

fn fetch_git(
    spec: &BaseSpec,
    rev: &str,
    paths: &[PathBuf],
    opts: LoadOptions,
) -> Result<GitFiles, PlanError> {
    let err = |e: String| base_error(spec, e);
    let cwd = std::env::current_dir().map_err(|e| err(e.to_string()))?;
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
        .map_err(|e| err(format!("not in a git repository ({e})")))?;
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
    .map_err(|_| err("neither a folder nor a git commit".to_owned()))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();

    let tmp = tempfile::tempdir().map_err(|e| err(e.to_string()))?;
    let mut collector = Collector {
        rev,
        max_bytes: opts.limits.max_file_bytes,
        repos: Vec::new(),
    };
    let mut top_repo = Repo {
        dir: top.clone(),
        commit: commit.clone(),
        prefix: String::new(),
        check: None,
        blobs: Vec::new(),
    };
    let mut roots = Vec::new();
    let mut given = Vec::new();
    for p in paths {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            cwd.join(p)
        };
        let abs = abs.canonicalize().unwrap_or(abs);
        let rel = abs.strip_prefix(&top).map_err(|_| {
            err(format!(
                "`{}` is outside the git repository",
                display_path(p)
            ))
        })?;
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let pathspec = if rel_str.is_empty() { "." } else { &rel_str };
        let entries = ls_tree(&top, &commit, Some(pathspec)).map_err(err)?;
        collector.take(&mut top_repo, entries, "", 0).map_err(err)?;
        roots.push((tmp.path().join(rel), abs.is_dir()));
        given.push((p.clone(), rel.to_path_buf()));
    }
    collector.repos.insert(0, (top_repo.dir, top_repo.blobs));
    drop(top_repo.check);

    // Every blob of a repository through one `git cat-file --batch`. Its
    // bytes are kept, and the folder is only for the walk below, which reads
    // the ignore files but only the names of the others: each manifest is a
    // hard link to one empty file, as creating a file (an inode) per blob
    // was most of the time of reading a base on ext4. Where links cannot be
    // made, the files are written.
    let empty = tmp.path().join(".sparkplan-empty");
    std::fs::write(&empty, b"").map_err(|e| err(e.to_string()))?;
    let mut can_link = true;
    let mut blobs: HashMap<PathBuf, Vec<u8>> = HashMap::new();
    for (dir, listed) in &collector.repos {
        if listed.is_empty() {
            continue;
        }
        let mut cat = CatFile::spawn(dir, "--batch").map_err(err)?;
        for (path, object) in listed {
            let shown = format!("{rev}:{path}");
            let size = match cat.ask(object).map_err(err)? {
                Reply::Object { size, .. } => size,
                Reply::Unreadable(why) => return Err(err(format!("`{shown}` is {why}"))),
            };
            if size > collector.max_bytes {
                return Err(err(format!(
                    "`{shown}` is {size} bytes, over the limit of {} bytes per file; it was not read",
                    collector.max_bytes
                )));
            }
            let bytes = cat.content(size).map_err(err)?;
            let dest = tmp.path().join(path);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(|e| err(e.to_string()))?;
            }
            let manifest = workspace::is_yaml(Path::new(path));
            let linked = manifest
                && can_link
                && match std::fs::hard_link(&empty, &dest) {
                    // Listed twice (overlapping workspace paths): linked already.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => true,
                    Err(_) => {
                        can_link = false;
                        false
                    }
                    Ok(()) => true,
                };
            if !linked {
                std::fs::write(&dest, &bytes).map_err(|e| err(e.to_string()))?;
            }
            blobs.insert(PathBuf::from(path), bytes);
        }
    }

    let mut dirs = Vec::new();
    for (root, is_dir) in roots {
        if root.exists() {
            dirs.push(root);
        } else if is_dir {
            // The folder did not exist at that commit: an empty base.
            std::fs::create_dir_all(&root).map_err(|e| err(e.to_string()))?;
            dirs.push(root);
        }
    }
    // The files of the base are those the workspace walk finds in the
    // folder (the same `.gitignore` handling), in its order; each is shown
    // as `REV:path` (the path from the repository root).
    // Every file walked is a blob read (the folder holds nothing else), so
    // its bytes are in memory: the folder is not read again.
    let mut files = Vec::new();
    for mut c in workspace::discover(&dirs)? {
        let Ok(rel) = c.path.strip_prefix(tmp.path()).map(Path::to_path_buf) else {
            continue;
        };
        let Some(bytes) = blobs.remove(&rel) else {
            return Err(err(format!(
                "`{}` was found in the base but not read from git",
                display_path(&rel)
            )));
        };
        c.display = format!("{rev}:{}", display_path(&rel));
        files.push((
            rel,
            Reread {
                candidate: c,
                bytes: Some(bytes),
                twin: None,
            },
        ));
    }
    Ok(GitFiles {
        opts,
        roots: given,
        files,
    })
}
