//! Applying fixes: the pure splice of edits into a text ([`apply`]), and the
//! `check --fix` loop ([`run`]): check, apply the fixes that do not overlap,
//! check again, at most [`MAX_PASSES`] times, all in memory. Writing the
//! changed files is [`write`]; the library never prints.
//!
//! A fix changes only the bytes of its edits: comments, quoting and line
//! endings elsewhere stay byte-identical. A pass never applies a fix that
//! would make its file unreadable as YAML (SP001, SP006, SP013).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::{Applicability, Diagnostic, Edit, FileId, Fix};
use crate::driver::check::{CheckOptions, Report};
use crate::workspace::{self, LoadError, LoadOptions};

/// The most check-and-fix passes of one run: a fix left out because it
/// overlapped another is tried again on the next pass, up to this bound.
pub const MAX_PASSES: usize = 4;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixOptions {
    /// Also apply [`Applicability::Unsafe`] fixes (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

impl FixOptions {
    /// Whether `fix` is applied under these options.
    pub fn allows(&self, fix: &Fix) -> bool {
        fix.applicability == Applicability::Safe || self.unsafe_fixes
    }

    /// The fix of `d` that these options apply: its first allowed one.
    pub fn pick<'d>(&self, d: &'d Diagnostic) -> Option<&'d Fix> {
        d.fixes.iter().find(|f| self.allows(f))
    }
}

/// Why a set of edits cannot be spliced into a text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// An edit's range is past the end or not on a character boundary.
    #[error("edit {start}..{end} is not a range of the text")]
    OutOfRange {
        /// First byte.
        start: u32,
        /// One past the last byte.
        end: u32,
    },
    /// Two edits overlap (or insert at the same place).
    #[error("edits overlap at byte {at}")]
    Overlap {
        /// Where.
        at: u32,
    },
}

/// Whether two edits touch the same bytes. Two insertions at one offset
/// overlap (their order would be arbitrary); an insertion at the end of a
/// replaced range does not.
pub fn overlaps(a: &Edit, b: &Edit) -> bool {
    let (a0, a1, b0, b1) = (a.span.start, a.span.end, b.span.start, b.span.end);
    if a0 == a1 && b0 == b1 {
        return a0 == b0;
    }
    if a0 == a1 {
        return b0 < a0 && a0 < b1;
    }
    if b0 == b1 {
        return a0 < b0 && b0 < a1;
    }
    a0 < b1 && b0 < a1
}

/// Splices `edits` (of one file, in any order) into `text`. The bytes
/// outside the edits are copied unchanged.
pub fn apply(text: &str, edits: &[&Edit]) -> Result<String, ApplyError> {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    let mut prev: Option<&Edit> = None;
    for e in sorted {
        let (s, t) = (e.span.start as usize, e.span.end as usize);
        if s > t || !text.is_char_boundary(s) || !text.is_char_boundary(t) || t > text.len() {
            return Err(ApplyError::OutOfRange {
                start: e.span.start,
                end: e.span.end,
            });
        }
        if prev.is_some_and(|p| overlaps(p, e)) || s < at {
            return Err(ApplyError::Overlap { at: e.span.start });
        }
        out.push_str(&text[at..s]);
        out.push_str(&e.replacement);
        at = t;
        prev = Some(e);
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The fixes of one pass over one file: those chosen (non-overlapping, in
/// the order of their first edit) and how many were left for a later pass.
fn choose<'f>(fixes: &[&'f Fix]) -> (Vec<&'f Fix>, usize) {
    let mut ordered: Vec<&Fix> = fixes.to_vec();
    ordered.sort_by_key(|f| f.edits.iter().map(|e| (e.span.start, e.span.end)).min());
    let mut chosen: Vec<&Fix> = Vec::new();
    let mut left = 0;
    for f in ordered {
        // The same fix offered by two diagnostics is applied once.
        if chosen.iter().any(|c| c.edits == f.edits) {
            continue;
        }
        let clash = chosen
            .iter()
            .flat_map(|c| &c.edits)
            .any(|a| f.edits.iter().any(|b| overlaps(a, b)))
            || f.edits
                .iter()
                .enumerate()
                .any(|(i, a)| f.edits[i + 1..].iter().any(|b| overlaps(a, b)));
        if clash {
            left += 1;
        } else {
            chosen.push(f);
        }
    }
    (chosen, left)
}

/// Whether `text` still reads as one YAML document (no SP001, SP006, SP013).
fn readable(text: &str, opts: &CheckOptions) -> bool {
    crate::syntax::parse(FileId(0), text, &opts.config.limits)
        .diagnostics
        .iter()
        .all(|d| !crate::syntax::codes::UNREADABLE.contains(&d.rule))
}

/// Applies `fixes` to `text` together if the result is readable, else one
/// by one, keeping each that leaves it readable. The new text and the fixes
/// applied.
fn apply_readable<'f>(
    text: &str,
    fixes: &[&'f Fix],
    opts: &CheckOptions,
) -> (String, Vec<&'f Fix>) {
    let all: Vec<&Edit> = fixes.iter().flat_map(|f| &f.edits).collect();
    if let Ok(new) = apply(text, &all)
        && readable(&new, opts)
    {
        return (new, fixes.to_vec());
    }
    let mut kept: Vec<&Fix> = Vec::new();
    let mut current = text.to_owned();
    for f in fixes {
        let mut trial = kept.clone();
        trial.push(f);
        let edits: Vec<&Edit> = trial.iter().flat_map(|f| &f.edits).collect();
        if let Ok(new) = apply(text, &edits)
            && readable(&new, opts)
        {
            kept = trial;
            current = new;
        }
    }
    (current, kept)
}

/// One fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The file, as shown to users.
    pub file: String,
    /// The 1-based line of the diagnostic in the file before the fix.
    pub line: usize,
    /// The rule code.
    pub code: &'static str,
    /// What the fix did.
    pub message: String,
}

/// A file the fixes changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The path to write.
    pub path: PathBuf,
    /// The path as shown to users.
    pub display: String,
    /// The text as read.
    pub before: String,
    /// The text with the fixes applied.
    pub after: String,
}

/// What [`run`] did.
#[derive(Debug)]
pub struct Outcome {
    /// The check of the fixed texts (the first check when nothing changed).
    pub report: Report,
    /// The files changed, in workspace order.
    pub changes: Vec<Change>,
    /// The fixes applied, in the order applied.
    pub applied: Vec<Applied>,
    /// Fixes that could not be applied (overlapping, or making a file
    /// unreadable) in the last pass.
    pub left: usize,
    /// How many passes applied something.
    pub passes: usize,
    /// Errors and warnings of the first check, of the files as read.
    pub before: (usize, usize),
}

/// Checks `paths`, applies the fixes `fix` allows and checks again, until
/// nothing more applies or after [`MAX_PASSES`] passes. Nothing is written:
/// the changed texts are in [`Outcome::changes`] (see [`write`]).
pub fn run(paths: &[PathBuf], opts: &CheckOptions, fix: FixOptions) -> Result<Outcome, LoadError> {
    let mut report = crate::driver::check::check(paths, opts)?;
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let before = (errors, report.diagnostics.len() - errors);
    let candidates = workspace::discover(paths)?;
    // The texts as read (manifests keep theirs in the source map) and as
    // fixed so far, by file id.
    let mut originals: BTreeMap<usize, String> = BTreeMap::new();
    let mut current: BTreeMap<usize, String> = BTreeMap::new();
    let mut applied = Vec::new();
    let mut left = 0;
    let mut passes = 0;
    for _ in 0..MAX_PASSES {
        let mut by_file: BTreeMap<usize, Vec<(&Diagnostic, &Fix)>> = BTreeMap::new();
        for d in &report.diagnostics {
            if let Some(f) = fix.pick(d)
                && let Some(file) = f.edits.first().map(|e| e.span.file)
                && f.edits.iter().all(|e| e.span.file == file)
            {
                by_file.entry(file.0 as usize).or_default().push((d, f));
            }
        }
        let mut changed = false;
        left = 0;
        let mut pass_applied = Vec::new();
        for (i, list) in &by_file {
            let Some(src) = report
                .sources()
                .get(FileId(u32::try_from(*i).unwrap_or(u32::MAX)))
            else {
                continue;
            };
            let fixes: Vec<&Fix> = list.iter().map(|(_, f)| *f).collect();
            let (chosen, skipped) = choose(&fixes);
            let (new, done) = apply_readable(&src.text, &chosen, opts);
            left += skipped + chosen.len() - done.len();
            if done.is_empty() || new == src.text {
                continue;
            }
            for (d, f) in list {
                if done.iter().any(|x| x.edits == f.edits) {
                    pass_applied.push(Applied {
                        file: src.path.clone(),
                        line: d
                            .primary_span()
                            .map_or(0, |s| src.location(s.start as usize).line),
                        code: d.code(),
                        message: f.message.clone(),
                    });
                }
            }
            originals.entry(*i).or_insert_with(|| src.text.clone());
            current.insert(*i, new);
            changed = true;
        }
        if !changed {
            break;
        }
        passes += 1;
        applied.extend(pass_applied);
        let files = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), current.get(&i).cloned()))
            .collect();
        let ws = workspace::load_overlaid(
            files,
            &LoadOptions {
                limits: opts.config.limits,
            },
        )?;
        report = crate::driver::check::check_workspace(ws, opts);
    }
    let changes = originals
        .into_iter()
        .filter_map(|(i, before)| {
            let c = candidates.get(i)?;
            let after = current.remove(&i)?;
            (after != before).then(|| Change {
                path: c.path.clone(),
                display: c.display.clone(),
                before,
                after,
            })
        })
        .collect();
    Ok(Outcome {
        report,
        changes,
        applied,
        left,
        passes,
        before,
    })
}

/// Why a changed file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file changed on disk since it was read.
    #[error("`{0}` changed while it was being fixed; nothing written to it")]
    Changed(String),
    /// Reading or writing failed.
    #[error("cannot write `{0}`: {1}")]
    Io(String, std::io::Error),
}

/// Writes each changed file atomically (see [`crate::fsutil::write_output`]:
/// permissions kept, the old file intact on failure), after checking that
/// it still holds the text that was fixed. Stops at the first failure; the
/// files written so far are listed in the error's context by the caller.
pub fn write(changes: &[Change]) -> Result<(), WriteError> {
    for c in changes {
        let now = std::fs::read(&c.path).map_err(|e| WriteError::Io(c.display.clone(), e))?;
        if now != c.before.as_bytes() {
            return Err(WriteError::Changed(c.display.clone()));
        }
        crate::fsutil::write_output(&c.path, c.after.as_bytes())
            .map_err(|e| WriteError::Io(c.display.clone(), e))?;
    }
    Ok(())
}

/// A unified diff of every change, `a/` and `b/` paths as git writes them.
pub fn unified_diff(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let diff = similar::TextDiff::from_lines(c.before.as_str(), c.after.as_str());
        out.push_str(&format!("--- a/{0}\n+++ b/{0}\n", c.display));
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .missing_newline_hint(true)
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    fn edit(s: u32, e: u32, r: &str) -> Edit {
        Edit::replace(
            Span {
                file: FileId(0),
                start: s,
                end: e,
            },
            r,
        )
    }

    #[test]
    fn splices_only_the_edits() {
        let t = "a: 1\r\nb: x # c\r\n";
        let e1 = edit(3, 4, "\"1\"");
        let e2 = edit(10, 11, "y");
        assert_eq!(apply(t, &[&e2, &e1]).unwrap(), "a: \"1\"\r\nb: y # c\r\n");
        assert_eq!(apply(t, &[]).unwrap(), t);
    }

    #[test]
    fn refuses_overlaps_and_bad_ranges() {
        let t = "abcdef";
        assert!(matches!(
            apply(t, &[&edit(0, 3, "x"), &edit(2, 4, "y")]),
            Err(ApplyError::Overlap { .. })
        ));
        assert!(matches!(
            apply(t, &[&edit(2, 2, "x"), &edit(2, 2, "y")]),
            Err(ApplyError::Overlap { .. })
        ));
        assert!(apply(t, &[&edit(0, 2, "x"), &edit(2, 2, "y")]).is_ok());
        assert!(matches!(
            apply(t, &[&edit(4, 9, "x")]),
            Err(ApplyError::OutOfRange { .. })
        ));
        assert!(matches!(
            apply("é", &[&edit(1, 2, "x")]),
            Err(ApplyError::OutOfRange { .. })
        ));
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let a = Fix::safe("a", vec![edit(0, 3, "x")]);
        let b = Fix::safe("b", vec![edit(2, 4, "y")]);
        let c = Fix::safe("c", vec![edit(4, 5, "z")]);
        let a2 = a.clone();
        let (chosen, left) = choose(&[&b, &c, &a, &a2]);
        assert_eq!(chosen.len(), 2);
        assert_eq!(chosen[0].message, "a");
        assert_eq!(chosen[1].message, "c");
        assert_eq!(left, 1);
    }
}
