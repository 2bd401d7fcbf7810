//! Suppressions with a reason: `# sparkplan-allow: SP204 <reason>` on the
//! line of a resource's key, or on the line above it, silences those codes
//! for the resource and everything inside it (issue 12, item 6). A missing
//! reason, a code that silenced nothing and a code that cannot be silenced
//! (SP001, SP013) are SP014 warnings.

use super::Allow;
use crate::diag::RuleMeta;
use crate::diag::{Diagnostic, FileId, Span, Suppressed};
use crate::syntax::{Comment, Kind, Node};

/// The comment's marker, after `#`.
const MARKER: &str = "sparkplan-allow:";

/// Codes that can never be silenced: a file that cannot be read is never
/// accepted silently.
const UNSUPPRESSIBLE: [&RuleMeta; 2] = [&crate::syntax::codes::SP001, &crate::syntax::codes::SP013];

/// Reads the `sparkplan-allow` comments of one parsed file: each becomes an
/// [`Allow`] for the mapping entry whose key is on its line or on the next
/// line; a comment that belongs to no entry is SP014.
pub(crate) fn collect(
    file: FileId,
    text: &str,
    root: &Node,
    comments: &[Comment],
    allows: &mut Vec<Allow>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut keys: Option<Vec<(usize, Span, String)>> = None;
    for c in comments {
        let body = c.text.trim_start();
        let Some(rest) = body.strip_prefix(MARKER) else {
            continue;
        };
        // Byte offset of `rest` in the file, for the codes' spans.
        let rest_at = c.span.start as usize + 1 + (c.text.len() - body.len()) + MARKER.len();
        let mut codes = Vec::new();
        let mut reason_at = None;
        let mut pos = 0;
        for word in rest.split_inclusive(char::is_whitespace) {
            let w = word.trim_end();
            let start = pos;
            pos += word.len();
            if w.is_empty() {
                continue;
            }
            let parts: Vec<&str> = w.split(',').filter(|p| !p.is_empty()).collect();
            if !parts.is_empty() && parts.iter().all(|p| is_code(p)) {
                let mut off = rest_at + start;
                for p in w.split(',') {
                    if !p.is_empty() {
                        codes.push((p.to_ascii_uppercase(), Span::new(file, off, off + p.len())));
                    }
                    off += p.len() + 1;
                }
            } else {
                reason_at = Some(start);
                break;
            }
        }
        let reason = reason_at
            .map(|r| rest[r..].trim().to_owned())
            .filter(|r| !r.is_empty());
        let keys = keys.get_or_insert_with(|| entry_keys(root));
        let Some((scope, key)) = target(text, c.span, keys) else {
            diags.push(
                Diagnostic::new(
                    &crate::workspace::codes::SP014,
                    "`sparkplan-allow` is not on a key's line or the line above it",
                )
                .primary(c.span, "applies to nothing")
                .help("put it on the line of the resource's name, or on the line just above it"),
            );
            continue;
        };
        if codes.is_empty() {
            diags.push(
                Diagnostic::new(&crate::workspace::codes::SP014, "`sparkplan-allow` names no rule code")
                    .primary(c.span, "no code")
                    .help("write the codes to allow, then the reason: `# sparkplan-allow: SP204 <reason>`"),
            );
            continue;
        }
        allows.push(Allow {
            comment: c.span,
            codes,
            reason,
            scope,
            key,
        });
    }
}

fn is_code(w: &str) -> bool {
    w.len() == 5
        && w.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("sp"))
        && w[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Every mapping key of the tree: (key start, entry span, key text), sorted.
fn entry_keys(root: &Node) -> Vec<(usize, Span, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &n.kind {
            Kind::Map(m) => {
                for e in m {
                    if let Some(k) = e.key.as_scalar() {
                        let end = e.value.span.end.max(e.key.span.end);
                        out.push((
                            e.key.span.start as usize,
                            Span { end, ..e.key.span },
                            k.text.clone(),
                        ));
                    }
                    stack.push(&e.value);
                }
            }
            Kind::Seq(s) => stack.extend(s.iter()),
            Kind::Scalar(_) => {}
        }
    }
    out.sort_by_key(|k| k.0);
    out.dedup_by_key(|k| k.0);
    out
}

/// The entry a comment applies to: the first key on its own line before it,
/// or, for a comment alone on its line, the first key on the next line.
fn target(text: &str, comment: Span, keys: &[(usize, Span, String)]) -> Option<(Span, String)> {
    let at = comment.start as usize;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let alone = text[line_start..at].trim().is_empty();
    let (from, to) = if alone {
        let next = text[at..].find('\n').map(|i| at + i + 1)?;
        let end = text[next..].find('\n').map_or(text.len(), |i| next + i);
        (next, end)
    } else {
        (line_start, at)
    };
    let i = keys.partition_point(|k| k.0 < from);
    keys.get(i).filter(|k| k.0 < to).map(|k| (k.1, k.2.clone()))
}

/// Removes the diagnostics that an allow covers, without SP014 (which
/// `check` reported already): for the diagnostics `plan --base` adds.
pub(crate) fn suppress_quietly(diags: &mut Vec<Diagnostic>, allows: &[Allow]) {
    if allows.is_empty() {
        return;
    }
    diags.retain(|d| covering(d, allows).is_none());
}

/// The allow (index) and its code (index) that cover `d`, if any.
fn covering(d: &Diagnostic, allows: &[Allow]) -> Option<(usize, usize)> {
    if UNSUPPRESSIBLE.contains(&d.rule) {
        return None;
    }
    let s = d.primary_span()?;
    allows.iter().enumerate().find_map(|(i, a)| {
        let inside = a.scope.file == s.file
            && a.scope.start <= s.start
            && s.start < a.scope.end.max(a.scope.start + 1);
        let j = a.codes.iter().position(|(c, _)| c == d.code())?;
        inside.then_some((i, j))
    })
}

/// Moves the diagnostics that an allow covers out of `diags` (SP001 and
/// SP013 never), and adds SP014 for allows without a reason, codes that
/// cannot be suppressed or that suppressed nothing (unless the rule is
/// switched off; rules only `plan --base` reports, on the pair of workspaces,
/// are not known to be unused here). `rule` finds a rule by its code (the
/// registry, which lives above this layer). Returns the suppressed diagnostics.
pub(crate) fn apply(
    diags: &mut Vec<Diagnostic>,
    allows: &[Allow],
    rule: impl Fn(&str) -> Option<&'static RuleMeta>,
    is_off: impl Fn(&str) -> bool,
) -> Vec<Suppressed> {
    if allows.is_empty() {
        return Vec::new();
    }
    let mut used: Vec<Vec<bool>> = allows.iter().map(|a| vec![false; a.codes.len()]).collect();
    let mut suppressed = Vec::new();
    let mut kept = Vec::with_capacity(diags.len());
    for d in diags.drain(..) {
        match covering(&d, allows) {
            Some((i, j)) => {
                used[i][j] = true;
                suppressed.push(Suppressed {
                    reason: allows[i].reason.clone().unwrap_or_default(),
                    diagnostic: d,
                });
            }
            None => kept.push(d),
        }
    }
    *diags = kept;
    for (a, u) in allows.iter().zip(&used) {
        if a.reason.is_none() {
            diags.push(
                Diagnostic::new(
                    &crate::workspace::codes::SP014,
                    format!("`sparkplan-allow` on `{}` gives no reason", a.key),
                )
                .primary(a.comment, "no reason")
                .note("a suppression without its reason cannot be reviewed or retired")
                .help("say why, after the codes: `# sparkplan-allow: SP204 <reason>`"),
            );
        }
        for ((code, span), used) in a.codes.iter().zip(u) {
            let known = rule(code);
            if known.is_some_and(|r| UNSUPPRESSIBLE.contains(&r)) {
                diags.push(
                    Diagnostic::new(&crate::workspace::codes::SP014, format!("{code} cannot be suppressed"))
                        .primary(*span, "not suppressible")
                        .note("SP001 and SP013 mean the file could not be read: nothing in it was checked")
                        .help(format!("fix the file, and remove `{code}` from the comment")),
                );
            } else if known.is_none() {
                diags.push(
                    Diagnostic::new(
                        &crate::workspace::codes::SP014,
                        format!("`{code}` is not a sparkplan rule"),
                    )
                    .primary(*span, "unknown code")
                    .help("`sparkplan rules` lists the codes"),
                );
            } else if !used && !is_off(code) && !known.is_some_and(RuleMeta::is_plan_rule) {
                diags.push(
                    Diagnostic::new(&crate::workspace::codes::SP014, format!("`sparkplan-allow: {code}` on `{}` suppresses nothing", a.key))
                        .primary(*span, format!("no {code} here"))
                        .note("the problem was fixed, or the comment is not on the resource's line or the line above it")
                        .help(format!("remove `{code}` from the comment")),
                );
            }
        }
    }
    suppressed
}
