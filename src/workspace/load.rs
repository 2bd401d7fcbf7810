//! Reading, parsing and decoding files (in parallel), then merging them into
//! one namespace in a deterministic order.
//!
//! A file's result ([`FileResult`]) depends only on its bytes, its file id
//! (in every span), whether it was named explicitly and the limits: so the
//! base of `plan --base` ([`load_reusing`]) takes the workspace's result
//! ([`Parsed`]) for each file whose bytes did not change, under the same id,
//! and parses only the others. The [`Loader`] of the language server keeps
//! results across runs the same way.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Candidate, Def, LoadError, ResourceKind, Workspace, discover};
use crate::diag::{Diagnostic, FileId, FileIds, SourceMap, Span};
use crate::model::decode::{Cx, Decode};
use crate::model::{ManifestFile, Named};
use crate::syntax::{self, Limits};

/// How to read a workspace.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Safety limits per file.
    pub limits: Limits,
}

#[derive(Clone)]
struct FileResult {
    text: String,
    manifest: Option<ManifestFile>,
    is_manifest: bool,
    diagnostics: Vec<Diagnostic>,
    /// Set when the file could not be read (see [`super::Unreadable`]).
    unreadable: Option<super::Unreadable>,
    /// Its `sparkplan-allow` comments.
    allows: Vec<super::Allow>,
    /// Where merge keys (`<<`) brought entries in.
    merges: Vec<syntax::MergeSite>,
    /// Whether `text` is exactly the bytes read (not a file over the size
    /// limit, nor one decoded lossily): only then does another file with
    /// the same bytes read to the same result ([`load_reusing`]).
    exact: bool,
}

/// Discovers and loads the workspace under `paths`.
pub fn load(paths: &[PathBuf], opts: &LoadOptions) -> Result<Workspace, LoadError> {
    let candidates = discover(paths)?;
    load_files(&candidates, opts)
}

/// Loads the given candidate files.
pub fn load_files(candidates: &[Candidate], opts: &LoadOptions) -> Result<Workspace, LoadError> {
    let mut ws = load_unresolved(candidates, opts, None)?;
    super::resolve::resolve(&mut ws);
    Ok(ws)
}

/// Like [`load`], without reference resolution (SP008 and the other
/// cross-file structure checks): `check` runs it next to the rules, with
/// [`super::resolve::diagnostics`].
pub(crate) fn load_paths_unresolved(
    paths: &[PathBuf],
    opts: &LoadOptions,
) -> Result<Workspace, LoadError> {
    let candidates = discover(paths)?;
    load_unresolved(&candidates, opts, None)
}

/// Like [`load_paths_unresolved`], also keeping a copy of what each file
/// read to, for [`load_reusing`] (`plan --base` reads the base this way).
/// The copies are made while the files are parsed, in parallel.
pub(crate) fn load_paths_unresolved_keeping(
    paths: &[PathBuf],
    opts: &LoadOptions,
) -> Result<(Workspace, Parsed), LoadError> {
    let candidates = discover(paths)?;
    let mut kept = Parsed::default();
    let ws = load_unresolved(&candidates, opts, Some(&mut kept))?;
    Ok((ws, kept))
}

/// What the files of one load read to (text, decoded manifest,
/// diagnostics, `sparkplan-allow` comments, merge sites), by path as
/// discovered, with the file id each was given: a second load of mostly the
/// same texts ([`load_reusing`]) takes the result of every file whose bytes
/// are the same instead of parsing it again.
#[derive(Default)]
pub struct Parsed {
    files: HashMap<PathBuf, Kept>,
    /// One past the highest file id given.
    end: u32,
}

struct Kept {
    id: FileId,
    explicit: bool,
    result: FileResult,
}

impl Parsed {
    /// The paths of the files kept, as discovered (the candidates' `path`).
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.keys().map(PathBuf::as_path)
    }

    /// How many files are kept.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is kept.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A file of a load that reuses an earlier one ([`load_reusing`]).
#[derive(Debug, Clone)]
pub struct Reread {
    /// The file: its `display` is how it is shown.
    pub candidate: Candidate,
    /// Its bytes, when they are in memory already (else the file at
    /// `candidate.path` is read). At most `limits.max_file_bytes` plus one
    /// are looked at, as when reading from disk.
    pub bytes: Option<Vec<u8>>,
    /// The path (as in [`Parsed::paths`]) of the file of the earlier load
    /// that is at the same place, if any: when its bytes are the same, its
    /// result is taken instead of parsing again.
    pub twin: Option<PathBuf>,
}

/// Loads `files` (in this order, as [`load_files`] loads candidates) and
/// resolves references, taking from `parsed` the result of every file whose
/// twin read the same bytes with the same `explicit` flag.
///
/// Spans carry file ids, and a result taken carries its twin's: so every
/// file with a twin keeps its twin's id (the spans of a result taken point
/// at this file, whose text is the same), and the others are numbered after
/// the highest id of `parsed`. The ids of the workspace returned may leave
/// gaps and are not in file order: a source map appending this workspace to
/// the earlier one's shifts them all by the same offset.
pub fn load_reusing(
    files: Vec<Reread>,
    parsed: Parsed,
    opts: &LoadOptions,
) -> Result<Workspace, LoadError> {
    let Parsed {
        files: mut kept,
        end,
    } = parsed;
    let mut next = end;
    let jobs: Vec<(FileId, Reread, Option<Kept>)> = files
        .into_iter()
        .map(|f| {
            let twin = f.twin.as_ref().and_then(|p| kept.remove(p));
            let id = match &twin {
                Some(k) => k.id,
                None => {
                    let id = FileId(next);
                    next = next.saturating_add(1);
                    id
                }
            };
            (id, f, twin)
        })
        .collect();
    // What was not taken is freed in parallel with the parsing below.
    let limits = &opts.limits;
    let (results, ()) = rayon::join(
        || {
            jobs.into_par_iter()
                .map(|(id, f, twin)| {
                    let Reread {
                        candidate: c,
                        bytes,
                        ..
                    } = f;
                    let r = match (bytes, twin) {
                        (Some(b), Some(k))
                            if k.result.exact
                                && k.explicit == c.explicit
                                && b == k.result.text.as_bytes() =>
                        {
                            Ok(k.result)
                        }
                        (Some(b), _) => Ok(read_bytes(id, c.explicit, b, limits)),
                        (None, _) => read_one(id, &c, limits),
                    };
                    (id, c, r)
                })
                .collect::<Vec<_>>()
        },
        move || drop(kept),
    );
    let files = results
        .into_iter()
        .map(|(id, c, r)| Ok((id, c.display, c.explicit, r?)))
        .collect::<Result<Vec<_>, LoadError>>()?;
    let mut ws = assemble(files);
    super::resolve::resolve(&mut ws);
    Ok(ws)
}

/// Reads, parses, decodes and merges the files; does not resolve references.
///
/// Files are read, parsed and decoded in parallel, a slice of files at a
/// time, and merged into the workspace in file order; each slice is merged
/// (sequential work) while the next one is being parsed, so the merge
/// overlaps the parsing instead of following it. The result does not depend
/// on the slicing or on which thread finishes first.
///
/// With `keep`, a copy of each file's result is kept there too (made in the
/// parallel part, so it adds little wall time).
fn load_unresolved(
    candidates: &[Candidate],
    opts: &LoadOptions,
    mut keep: Option<&mut Parsed>,
) -> Result<Workspace, LoadError> {
    let keeping = keep.is_some();
    let mut ws = Workspace {
        sources: SourceMap::new(),
        ..Workspace::default()
    };
    let mut merger = Merger::default();
    // A fresh table: ids 0, 1, 2… in file order.
    let mut table = FileIds::new();
    let ids: Vec<FileId> = candidates
        .iter()
        .map(|c| table.intern(&c.display))
        .collect();
    if let Some(k) = keep.as_deref_mut() {
        k.end = u32::try_from(ids.len()).unwrap_or(u32::MAX);
    }
    type Read = (Result<FileResult, LoadError>, Option<FileResult>);
    let parse = |from: usize, slice: &[Candidate]| -> Vec<Read> {
        slice
            .par_iter()
            .enumerate()
            .map(|(j, c)| {
                let id = ids.get(from + j).copied().unwrap_or_default();
                let r = read_one(id, c, &opts.limits);
                let copy = if keeping {
                    r.as_ref().ok().cloned()
                } else {
                    None
                };
                (r, copy)
            })
            .collect()
    };
    // Files are merged in order; the first one that could not be read is the
    // error, as if they were read one by one.
    let add = |ws: &mut Workspace,
               merger: &mut Merger,
               keep: &mut Option<&mut Parsed>,
               from: usize,
               results: Vec<Read>|
     -> Result<(), LoadError> {
        let done = candidates.get(from..).unwrap_or_default();
        for ((c, id), (r, copy)) in done
            .iter()
            .zip(ids.get(from..).unwrap_or_default())
            .zip(results)
        {
            if let (Some(k), Some(result)) = (keep.as_deref_mut(), copy) {
                k.files.insert(
                    c.path.clone(),
                    Kept {
                        id: *id,
                        explicit: c.explicit,
                        result,
                    },
                );
            }
            merger.add_file(ws, *id, c.display.clone(), c.explicit, r?);
        }
        Ok(())
    };
    // About 8 slices: enough overlap, few synchronisations.
    let size = candidates.len().div_ceil(8).max(16);
    let mut parsed: Vec<Read> = Vec::new();
    let mut merged = 0; // where the slice in `parsed` starts
    for (k, slice) in candidates.chunks(size).enumerate() {
        let previous = std::mem::take(&mut parsed);
        let (next, done) = rayon::join(
            || parse(k * size, slice),
            || add(&mut ws, &mut merger, &mut keep, merged, previous),
        );
        done?;
        merged = k * size;
        parsed = next;
    }
    add(&mut ws, &mut merger, &mut keep, merged, parsed)?;
    merger.finish(&mut ws);
    Ok(ws)
}

/// A loader that lives across runs, for an editor: unsaved buffers
/// (overlays) are read instead of the files on disk, file ids are stable by
/// path ([`FileIds`]), and each file is read, parsed and decoded again only
/// when it changed (its overlay was set or removed, or it was invalidated
/// because the file on disk changed). Every load still merges all files,
/// in candidate order, into a fresh workspace and resolves it, so its
/// diagnostics are exactly those of a one-shot load of the same texts.
#[derive(Default)]
pub struct Loader {
    opts: LoadOptions,
    ids: FileIds,
    /// Buffer texts by path (as discovered: the candidate's `path`).
    overlays: HashMap<PathBuf, String>,
    /// What each file read to, with the `explicit` flag it was read with.
    cache: HashMap<FileId, (bool, FileResult)>,
}

impl Loader {
    /// A loader reading with `opts`.
    pub fn new(opts: LoadOptions) -> Self {
        Loader {
            opts,
            ..Loader::default()
        }
    }

    /// The options it reads with.
    pub fn options(&self) -> &LoadOptions {
        &self.opts
    }

    /// Reads `path` from `text` instead of the disk from now on.
    pub fn set_overlay(&mut self, path: PathBuf, text: String) {
        self.invalidate(&path);
        self.overlays.insert(path, text);
    }

    /// Reads `path` from the disk again.
    pub fn remove_overlay(&mut self, path: &Path) {
        if self.overlays.remove(path).is_some() {
            self.invalidate(path);
        }
    }

    /// The overlay of `path`, if any.
    pub fn overlay(&self, path: &Path) -> Option<&str> {
        self.overlays.get(path).map(String::as_str)
    }

    /// Forgets what `path` read to: it is read again by the next load.
    pub fn invalidate(&mut self, path: &Path) {
        if let Some(id) = self.ids.get(&super::display_path(path)) {
            self.cache.remove(&id);
        }
    }

    /// Forgets every file read: all are read again by the next load.
    pub fn invalidate_all(&mut self) {
        self.cache.clear();
    }

    /// The id of a file (by its path as discovered), if it was ever loaded.
    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        self.ids.get(&super::display_path(path))
    }

    /// Loads `candidates` (and resolves references): changed files are
    /// read again (in parallel), the others come from the cache.
    pub fn load(&mut self, candidates: &[Candidate]) -> Result<Workspace, LoadError> {
        let ids: Vec<FileId> = candidates
            .iter()
            .map(|c| self.ids.intern(&c.display))
            .collect();
        let stale: Vec<(FileId, &Candidate)> = ids
            .iter()
            .zip(candidates)
            .filter(|(id, c)| self.cache.get(id).is_none_or(|(e, _)| *e != c.explicit))
            .map(|(id, c)| (*id, c))
            .collect();
        let (overlays, limits) = (&self.overlays, &self.opts.limits);
        let read: Vec<(FileId, bool, Result<FileResult, LoadError>)> = stale
            .par_iter()
            .map(|&(id, c)| {
                let r = match overlays.get(&c.path) {
                    Some(text) => Ok(read_bytes(id, c.explicit, text.as_bytes().to_vec(), limits)),
                    None => read_one(id, c, limits),
                };
                (id, c.explicit, r)
            })
            .collect();
        for (id, explicit, r) in read {
            let mut r = r?;
            if !(r.is_manifest || explicit) {
                r.text = String::new();
            }
            self.cache.insert(id, (explicit, r));
        }
        let mut ws = assemble(candidates.iter().zip(&ids).filter_map(|(c, id)| {
            let (_, r) = self.cache.get(id)?;
            Some((*id, c.display.clone(), c.explicit, r.clone()))
        }));
        // Files no longer among the candidates are forgotten.
        if self.cache.len() > ids.len() {
            let live: std::collections::HashSet<FileId> = ids.iter().copied().collect();
            self.cache.retain(|id, _| live.contains(id));
        }
        super::resolve::resolve(&mut ws);
        Ok(ws)
    }
}

/// Loads one file given as bytes (as if named explicitly on the command
/// line): the same checks as [`load_files`] (size, UTF-8, NUL bytes, YAML,
/// decoding, resolving) without touching the file system. Used by the fuzz
/// target and the property tests; never panics.
pub fn load_bytes(name: &str, bytes: &[u8], opts: &LoadOptions) -> Workspace {
    let r = read_bytes(FileId(0), true, bytes.to_vec(), &opts.limits);
    let mut ws = assemble([(FileId(0), name.to_owned(), true, r)]);
    super::resolve::resolve(&mut ws);
    ws
}

/// Loads `files` like [`load_files`], reading a file from disk only when no
/// text is given for it (`check --fix` checks its fixed texts this way,
/// before writing anything): a one-shot [`Loader`] with those overlays.
pub fn load_overlaid(
    files: Vec<(Candidate, Option<String>)>,
    opts: &LoadOptions,
) -> Result<Workspace, LoadError> {
    let mut loader = Loader::new(opts.clone());
    let mut candidates = Vec::with_capacity(files.len());
    for (c, text) in files {
        if let Some(t) = text {
            loader.set_overlay(c.path.clone(), t);
        }
        candidates.push(c);
    }
    loader.load(&candidates)
}

/// Merges per-file results (in candidate order), each under the file id its
/// spans carry, into a workspace; does not resolve references.
fn assemble(files: impl IntoIterator<Item = (FileId, String, bool, FileResult)>) -> Workspace {
    let mut ws = Workspace {
        sources: SourceMap::new(),
        ..Workspace::default()
    };
    let mut merger = Merger::default();
    for (id, display, explicit, r) in files {
        merger.add_file(&mut ws, id, display, explicit, r);
    }
    merger.finish(&mut ws);
    ws
}

fn read_one(file: FileId, c: &Candidate, limits: &Limits) -> Result<FileResult, LoadError> {
    let read_err = |source| LoadError::Read {
        path: c.display.clone(),
        source,
    };
    // Opened non-blocking and checked after opening: a file that became a
    // FIFO or a device since the walk is refused, not waited on.
    let f = crate::fsutil::open_regular(&c.path).map_err(read_err)?;
    // At most one byte past the limit, into a buffer reserved fallibly: a
    // huge file is refused without reading it all, and a file too large for
    // the memory left is an error (exit 2), not an abort.
    let (bytes, _) = crate::fsutil::read_prefix(f, limits.max_file_bytes).map_err(|e| match e {
        crate::fsutil::ReadError::Io(e) => read_err(e),
        other => read_err(std::io::Error::other(other.to_string())),
    })?;
    Ok(read_bytes(file, c.explicit, bytes, limits))
}

/// Checks and parses the bytes of one file (read up to one byte past the
/// size limit).
fn read_bytes(file: FileId, explicit: bool, bytes: Vec<u8>, limits: &Limits) -> FileResult {
    let mut res = FileResult {
        text: String::new(),
        manifest: None,
        is_manifest: explicit,
        diagnostics: Vec::new(),
        unreadable: None,
        allows: Vec::new(),
        merges: Vec::new(),
        exact: false,
    };
    let at0 = Span::new(file, 0, 0);
    if bytes.len() as u64 > limits.max_file_bytes {
        // Only the first bytes were read, and `sparkplan:` may come later:
        // a YAML file over the limit is reported whether or not it looks
        // like a manifest, never skipped silently.
        res.is_manifest = true;
        res.unreadable = Some(super::Unreadable { file, names: None });
        res.diagnostics.push(
            Diagnostic::new(&crate::syntax::codes::SP013, format!("file is larger than {} bytes", limits.max_file_bytes))
                .primary(at0, "file too large")
                .help("split the workspace into smaller files, or raise `limits.max_file_bytes` in `sparkplan.toml`"),
        );
        return res;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let off = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            res.is_manifest |= looks_like_manifest(&bytes);
            res.text = String::from_utf8_lossy(&bytes).into_owned();
            res.unreadable = Some(super::Unreadable {
                file,
                names: Some(key_words(&res.text)),
            });
            let end = res.text[off..]
                .chars()
                .next()
                .map_or(off, |ch| off + ch.len_utf8());
            res.diagnostics.push(
                Diagnostic::new(
                    &crate::syntax::codes::SP013,
                    format!("file is not valid UTF-8 (invalid byte at offset {off})"),
                )
                .primary(Span::new(file, off, end), "invalid UTF-8")
                .note(
                    "manifests are UTF-8 text; this looks like a binary file or another encoding",
                ),
            );
            return res;
        }
    };
    if let Some(off) = text.find('\0') {
        res.is_manifest |= looks_like_manifest(text.as_bytes());
        res.unreadable = Some(super::Unreadable {
            file,
            names: Some(key_words(&text)),
        });
        res.diagnostics.push(
            Diagnostic::new(
                &crate::syntax::codes::SP013,
                "file contains NUL bytes: it looks binary",
            )
            .primary(Span::new(file, off, off + 1), "NUL byte"),
        );
        res.text = text;
        res.exact = true;
        return res;
    }
    let parsed = syntax::parse(file, &text, limits);
    let root_map = parsed.root.as_ref().and_then(|r| r.as_map());
    let root_has_key = parsed
        .root
        .as_ref()
        .is_some_and(|r| r.get("sparkplan").is_some());
    // A file that has manifest sections, or a misspelt `sparkplan` key, is a
    // manifest with a broken header: reported, never skipped (a campaign
    // that silently vanished would be planned as deleted).
    let header = root_map.filter(|_| !root_has_key).and_then(broken_header);
    res.is_manifest |= root_has_key
        || header.is_some()
        || (parsed.root.is_none() && looks_like_manifest(text.as_bytes()));
    if !res.is_manifest {
        return res;
    }
    res.diagnostics = parsed.diagnostics;
    let syntax_failed = res
        .diagnostics
        .iter()
        .any(|d| crate::syntax::codes::UNREADABLE.contains(&d.rule));
    if syntax_failed {
        res.unreadable = Some(super::Unreadable {
            file,
            names: Some(key_words(&text)),
        });
    }
    // Each campaign's `ad_group_defaults` applied to its ad groups (issue 21).
    let defaulted = match parsed.root.as_ref().filter(|_| !syntax_failed) {
        Some(root) => {
            let budget = syntax::merge::Budget {
                nodes: limits.max_nodes,
                bytes: limits.expansion_bound(text.len() as u64),
            };
            match crate::model::defaults::apply(root, budget) {
                Ok(n) => n,
                Err(d) => {
                    res.diagnostics.push(*d);
                    res.unreadable = Some(super::Unreadable {
                        file,
                        names: Some(key_words(&text)),
                    });
                    res.text = text;
                    res.exact = true;
                    return res;
                }
            }
        }
        None => None,
    };
    res.merges = parsed.merges;
    match defaulted.as_ref().or(parsed.root.as_ref()) {
        Some(root) if !syntax_failed => {
            let mut cx = Cx::new(&text, &parsed.comments, root.span);
            if root
                .as_map()
                .is_some_and(|_| root.get("sparkplan").is_none())
                || root.as_map().is_none()
            {
                cx.report(missing_version(file, &text, header.as_ref()));
            }
            if let Some(Header::Misspelt { key, .. }) = &header {
                // Decoded without the misspelt key, so the file's resources
                // are checked (and referenced) as written.
                let entries = root.as_map().unwrap_or_default();
                let kept = syntax::Node {
                    kind: syntax::Kind::Map(
                        entries
                            .iter()
                            .filter(|e| e.key.span != *key)
                            .cloned()
                            .collect(),
                    ),
                    span: root.span,
                };
                res.manifest = ManifestFile::decode(&kept, &mut cx);
            } else if root.as_map().is_some() {
                res.manifest = ManifestFile::decode(root, &mut cx);
            }
            text_read_as_comment(root, &mut cx);
            if parsed
                .comments
                .iter()
                .any(|c| c.text.contains("sparkplan-allow"))
            {
                super::suppress::collect(
                    file,
                    &text,
                    root,
                    &parsed.comments,
                    &mut res.allows,
                    &mut cx.diags,
                );
            }
            if res.manifest.is_none() {
                // Nothing of the file reaches the workspace (its problems
                // are reported): names it may define are not "undefined".
                res.unreadable = Some(super::Unreadable {
                    file,
                    names: Some(key_words(&text)),
                });
            }
            // The misspelt key is reported once, as SP006 above, not again
            // as an unknown field.
            if let Some(Header::Misspelt { key, .. }) = &header {
                cx.diags.retain(|d| {
                    !(d.is(&crate::model::codes::SP003) && d.primary_span() == Some(*key))
                });
            }
            res.diagnostics.extend(cx.diags);
        }
        None if !syntax_failed => {
            res.diagnostics.push(missing_version(file, &text, None));
        }
        _ => {}
    }
    res.text = text;
    res.exact = true;
    res
}

/// SP009 for an unquoted caption or ad text followed on its line by a
/// comment: `caption: Sneak peek #skincare #nightcream` is the caption
/// "Sneak peek" and a comment, without a word (newuser.md §2.2 (c)).
fn text_read_as_comment(root: &syntax::Node, cx: &mut Cx<'_>) {
    fn entries(n: Option<&syntax::Node>) -> Vec<&syntax::Node> {
        n.and_then(syntax::Node::as_map)
            .map(|m| m.iter().map(|e| &e.value).collect())
            .unwrap_or_default()
    }
    let mut texts: Vec<(&syntax::Node, &str)> = Vec::new();
    for post in entries(root.get("posts")) {
        if let Some(c) = post.get("caption") {
            texts.push((c, "caption"));
        }
    }
    for campaign in entries(root.get("campaigns")) {
        for group in entries(campaign.get("ad_groups")) {
            for ad in entries(group.get("ads")) {
                for t in ad
                    .get("ad_texts")
                    .and_then(syntax::Node::as_seq)
                    .unwrap_or_default()
                {
                    texts.push((t, "ad text"));
                }
            }
        }
    }
    for (node, what) in texts {
        let Some(s) = node.as_scalar() else { continue };
        if s.style != syntax::Style::Plain || matches!(s.resolve(), syntax::Resolved::Null) {
            continue;
        }
        let Some(c) = cx.comment_after_on_line(node.span) else {
            continue;
        };
        let (end, cstart) = (node.span.end as usize, c.span.start as usize);
        if !cx
            .text
            .get(end..cstart)
            .is_some_and(|b| b.trim().is_empty())
        {
            continue;
        }
        let lost = cx
            .text
            .get(cstart..c.span.end as usize)
            .unwrap_or_default()
            .trim_end();
        let whole = cx
            .text
            .get(node.span.start as usize..c.span.end as usize)
            .unwrap_or_default()
            .trim_end();
        let quoted: String = whole.replace('\\', "\\\\").replace('"', "\\\"");
        let mut d = Diagnostic::new(
            &crate::model::codes::SP009,
            format!("the {what} is unquoted, so YAML read `{lost}` as a comment"),
        )
        .primary(c.span, format!("this is a comment, not part of the {what}"))
        .secondary(node.span, format!("the {what} ends here"))
        .note("in YAML, ` #` starts a comment: hashtags after an unquoted text never reach TikTok")
        .help(format!(
            "quote it: \"{quoted}\" (a comment belongs on a line of its own)"
        ));
        // The text and its hashtags in quotes, on one line only. Certain
        // when the comment starts like a hashtag (`#skincare`); a comment
        // written as one (`# check with legal`) may really be a comment.
        if !whole.contains(['\n', '\r']) {
            let span = Span::new(
                node.span.file,
                node.span.start as usize,
                node.span.start as usize + whole.len(),
            );
            let edits = vec![crate::diag::Edit::replace(
                span,
                crate::model::fixes::double_quoted(whole),
            )];
            let message = format!("quote the {what} with its hashtags");
            d = d.fix(
                if lost.chars().nth(1).is_some_and(|ch| !ch.is_whitespace()) {
                    crate::diag::Fix::safe(message, edits)
                } else {
                    crate::diag::Fix::guess(message, edits)
                },
            );
        }
        cx.report(d);
    }
}

/// The top-level sections of a manifest.
const SECTIONS: [&str; 5] = ["advertisers", "identities", "posts", "media", "campaigns"];

/// Why a top-level mapping without a `sparkplan` key is still a manifest.
enum Header {
    /// A key that is `sparkplan` misspelt (`sparkPlan`, `spark_plan`).
    Misspelt { key: Span, text: String },
    /// No such key, but a manifest section (`campaigns:` …).
    Section { key: Span, name: String },
}

/// Whether a top-level mapping without `sparkplan` is a manifest with a
/// broken header, and why.
fn broken_header(map: &[syntax::Entry]) -> Option<Header> {
    let keys = || {
        map.iter()
            .filter_map(|e| Some((e.key.as_scalar()?.text.as_str(), e.key.span)))
    };
    let misspelt = keys().find(|(k, _)| {
        let folded: String = k
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        folded == "sparkplan" || strsim::jaro_winkler(&folded, "sparkplan") >= 0.9
    });
    if let Some((k, span)) = misspelt {
        return Some(Header::Misspelt {
            key: span,
            text: k.to_owned(),
        });
    }
    keys()
        .find(|(k, _)| SECTIONS.contains(k))
        .map(|(k, span)| Header::Section {
            key: span,
            name: k.to_owned(),
        })
}

/// Every word written as a mapping key in `text` (`  name:`, `- name:`,
/// `"name":`), the names an unreadable file could define. Over-approximate
/// on purpose: a name found here is only ever excused, never reported.
fn key_words(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for line in text.lines() {
        let mut l = line.trim_start();
        while let Some(rest) = l.strip_prefix("- ") {
            l = rest.trim_start();
        }
        let l = l.trim_start_matches(['{', ' ']);
        let Some(colon) = l.find(':') else { continue };
        let k = l[..colon].trim().trim_matches(['"', '\'']);
        if !k.is_empty() && k.len() <= 256 {
            out.insert(k.to_owned());
        }
    }
    out
}

fn missing_version(file: FileId, text: &str, header: Option<&Header>) -> Diagnostic {
    match header {
        Some(Header::Misspelt { key, text: k }) => {
            return Diagnostic::new(&crate::syntax::codes::SP006, format!("not a sparkplan manifest: `{k}` is not the key `sparkplan`"))
                .primary(*key, "did you mean `sparkplan`?")
                .note("sparkplan reads YAML files whose top-level mapping has the key `sparkplan` (lower case); without it, everything this file declares would be left out of `check` and `plan`")
                .help(format!("write `sparkplan: 1` instead of `{k}:`"));
        }
        Some(Header::Section { key, name }) => {
            return Diagnostic::new(&crate::syntax::codes::SP006, format!("not a sparkplan manifest: the file has `{name}:` but no `sparkplan:` key"))
                .primary(Span::new(file, 0, 0), "expected `sparkplan: 1` at the top")
                .secondary(*key, "a manifest section")
                .note("sparkplan reads YAML files whose top-level mapping has the key `sparkplan`; without it, everything this file declares would be left out of `check` and `plan`")
                .help("add `sparkplan: 1` as the first line");
        }
        None => {}
    }
    let empty = text.trim_start_matches('\u{feff}').lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    });
    let what = if empty {
        "the file has no content"
    } else {
        "the file has no `sparkplan:` key"
    };
    Diagnostic::new(
        &crate::syntax::codes::SP006,
        format!("not a sparkplan manifest: {what}"),
    )
    .primary(Span::new(file, 0, 0), "expected `sparkplan: 1` at the top")
    .note("sparkplan reads YAML files whose top-level mapping has the key `sparkplan`")
    .help("add `sparkplan: 1` as the first line")
}

/// Whether raw bytes look like a manifest even though they could not be
/// parsed: a line starting with `sparkplan:`.
fn looks_like_manifest(bytes: &[u8]) -> bool {
    bytes.split(|&b| b == b'\n').any(|l| {
        l.strip_prefix(b"\xef\xbb\xbf")
            .unwrap_or(l)
            .starts_with(b"sparkplan:")
    })
}

/// Merges files, one at a time and in file order, into the workspace: one
/// namespace for every top-level name, whatever its kind (SPEC §1).
#[derive(Default)]
struct Merger {
    /// Every name defined so far. Only looked up, never iterated, so a hash
    /// map keeps the output deterministic; it is markedly cheaper than a
    /// B-tree of 10^5 names.
    seen: HashMap<String, (ResourceKind, Span)>,
    /// SP007, added to the workspace after every file's own diagnostics.
    diags: Vec<Diagnostic>,
}

impl Merger {
    /// Adds the next file.
    fn add_file(
        &mut self,
        ws: &mut Workspace,
        id: FileId,
        display: String,
        explicit: bool,
        r: FileResult,
    ) {
        // Every candidate has its FileId (given before parsing, so spans
        // computed in parallel stay valid); files that are not manifests
        // keep no text.
        let keep = r.is_manifest || explicit;
        ws.sources
            .insert(id, display, if keep { r.text } else { String::new() });
        if !keep {
            return;
        }
        ws.manifest_count += 1;
        ws.diagnostics.extend(r.diagnostics);
        ws.unreadable.extend(r.unreadable);
        ws.allows.extend(r.allows);
        ws.merges.extend(r.merges);
        let Some(m) = r.manifest else { return };
        let mut cx = MergeCx {
            seen: &mut self.seen,
            broken: &mut ws.broken,
            diags: &mut self.diags,
        };
        cx.merge(&mut ws.advertisers, m.advertisers, ResourceKind::Advertiser);
        cx.merge(&mut ws.identities, m.identities, ResourceKind::Identity);
        cx.merge(&mut ws.posts, m.posts, ResourceKind::Post);
        cx.merge(&mut ws.media, m.media, ResourceKind::Media);
        cx.merge(&mut ws.campaigns, m.campaigns, ResourceKind::Campaign);
    }

    /// Adds the namespace diagnostics, after every file's own.
    fn finish(self, ws: &mut Workspace) {
        ws.diagnostics.extend(self.diags);
    }
}

struct MergeCx<'a> {
    seen: &'a mut HashMap<String, (ResourceKind, Span)>,
    broken: &'a mut std::collections::BTreeSet<(ResourceKind, String)>,
    diags: &'a mut Vec<Diagnostic>,
}

impl MergeCx<'_> {
    fn merge<T>(
        &mut self,
        into: &mut BTreeMap<String, Def<T>>,
        named: Option<Named<T>>,
        kind: ResourceKind,
    ) {
        let Some(named) = named else { return };
        let items = named
            .entries
            .into_iter()
            .map(|(n, v)| (n, Some(v)))
            .chain(named.broken.into_iter().map(|n| (n, None)));
        for (name, value) in items {
            if let Some(&(first_kind, first)) = self.seen.get(&name.value) {
                let what = if first_kind == kind {
                    format!(
                        "{} `{}` is defined more than once",
                        kind.as_str(),
                        name.value
                    )
                } else {
                    format!(
                        "the name `{}` is used by a {} and a {}",
                        name.value,
                        first_kind.as_str(),
                        kind.as_str()
                    )
                };
                self.diags.push(
                    Diagnostic::new(&crate::workspace::codes::SP007, what)
                        .primary(name.span, "defined again here")
                        .secondary(first, format!("first defined here (as a {})", first_kind.as_str()))
                        .note("all files of a workspace share one namespace: each advertiser, identity, post, media and campaign name is defined once")
                        .help("rename one of them"),
                );
                // The name is defined (twice): references to it are not
                // also reported as undefined.
                self.broken.insert((kind, name.value));
                continue;
            }
            self.seen.insert(name.value.clone(), (kind, name.span));
            match value {
                Some(value) => {
                    into.insert(name.value.clone(), Def { name, value });
                }
                None => {
                    self.broken.insert((kind, name.value));
                }
            }
        }
    }
}
