//! The requests: navigation, rename, symbols, completion, hover, code
//! actions. Each answers from the last check of the file's project.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionItem,
    CompletionItemKind, CompletionParams, CompletionResponse, DocumentSymbol, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents,
    HoverParams, Location, MarkupContent, MarkupKind, PrepareRenameResponse, ReferenceParams,
    RenameParams, SymbolInformation, SymbolKind, TextDocumentPositionParams, TextEdit, Uri,
    WorkspaceEdit, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use super::Server;
use super::convert::{self, LineCache};
use super::index::{Index, Target};
use super::text::{Lines, uri_to_path};
use crate::diag::FileId;
use crate::workspace::{ResourceKind, Workspace};

/// The most workspace symbols answered at once.
const MAX_SYMBOLS: usize = 500;

/// A position resolved against the last check: the project, the file and
/// the byte offset.
struct At {
    project: usize,
    file: FileId,
    offset: usize,
}

fn locate(s: &mut Server<'_>, uri: &Uri, pos: lsp_types::Position) -> Option<At> {
    let path = uri_to_path(uri)?;
    let project = s.project_of(&path)?;
    let p = &mut s.projects[project];
    let file = p.file_id(&path)?;
    let text = &p.report.as_ref()?.workspace.sources.get(file)?.text;
    let offset = Lines::new(text, s.enc).offset(pos);
    p.prepare_index();
    Some(At {
        project,
        file,
        offset,
    })
}

/// The workspace and index of project `i`.
fn parts<'a>(s: &'a Server<'_>, i: usize) -> Option<(&'a Workspace, &'a Index)> {
    let p = s.projects.get(i)?;
    Some((&p.report.as_ref()?.workspace, p.index()?))
}

fn target(s: &mut Server<'_>, tdp: &TextDocumentPositionParams) -> Option<(At, Target)> {
    let at = locate(s, &tdp.text_document.uri, tdp.position)?;
    let (_, ix) = parts(s, at.project)?;
    let t = ix.at(at.file, at.offset)?;
    Some((at, t))
}

/// Definition: from a reference (or a definition) to where the name is defined.
pub fn definition(s: &mut Server<'_>, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let (at, t) = target(s, &p.text_document_position_params)?;
    let (ws, ix) = parts(s, at.project)?;
    let def = ix.def(t.kind, &t.name)?;
    let loc = LineCache::new(&ws.sources, s.enc).location(def.span)?;
    Some(GotoDefinitionResponse::Scalar(loc))
}

/// References: every place the name is used (and its definition, if asked).
pub fn references(s: &mut Server<'_>, p: ReferenceParams) -> Option<Vec<Location>> {
    let (at, t) = target(s, &p.text_document_position)?;
    let (ws, ix) = parts(s, at.project)?;
    let mut lines = LineCache::new(&ws.sources, s.enc);
    let mut out = Vec::new();
    if p.context.include_declaration
        && let Some(d) = ix.def(t.kind, &t.name)
    {
        out.extend(lines.location(d.span));
    }
    for r in ix.refs_to(t.kind, &t.name) {
        out.extend(lines.location(r.span));
    }
    Some(out)
}

/// Whether a rename may start here: on a name defined in the workspace.
pub fn prepare_rename(
    s: &mut Server<'_>,
    p: TextDocumentPositionParams,
) -> Option<PrepareRenameResponse> {
    let (at, t) = target(s, &p)?;
    let (ws, ix) = parts(s, at.project)?;
    ix.def(t.kind, &t.name)?;
    let range = LineCache::new(&ws.sources, s.enc).range(t.span)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range,
        placeholder: t.name,
    })
}

/// Rename: the definition and every reference, across files. Refused for
/// an invalid name or one already taken (all kinds share one namespace).
#[expect(
    clippy::mutable_key_type,
    reason = "lsp_types::Uri hashes its text; the cell inside caches parsing and never changes the hash (WorkspaceEdit is keyed by Uri)"
)]
pub fn rename(s: &mut Server<'_>, p: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let Some((at, t)) = target(s, &p.text_document_position) else {
        return Ok(None);
    };
    let Some((ws, ix)) = parts(s, at.project) else {
        return Ok(None);
    };
    let new = p.new_name.trim();
    if !crate::model::values::is_valid_name(new) {
        return Err(format!(
            "`{new}` is not a valid name: use 1 to 128 letters, digits, `_` or `-`"
        ));
    }
    if new == t.name {
        return Ok(None);
    }
    if let Some(d) = ix.defs.iter().find(|d| d.name == new) {
        return Err(format!(
            "the name `{new}` is already taken by a {} (all names share one namespace)",
            d.kind.as_str()
        ));
    }
    let Some(def) = ix.def(t.kind, &t.name) else {
        return Err(format!("{} `{}` is not defined", t.kind.as_str(), t.name));
    };
    let mut lines = LineCache::new(&ws.sources, s.enc);
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for span in std::iter::once(def.span).chain(ix.refs_to(t.kind, &t.name).map(|r| r.span)) {
        if let (Some(uri), Some(edit)) = (lines.uri(span.file), lines.edit(span, new.to_owned())) {
            changes.entry(uri).or_default().push(edit);
        }
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }))
}

fn symbol_kind(k: ResourceKind) -> SymbolKind {
    match k {
        ResourceKind::Advertiser => SymbolKind::NAMESPACE,
        ResourceKind::Identity => SymbolKind::CLASS,
        ResourceKind::Post => SymbolKind::FILE,
        ResourceKind::Media => SymbolKind::FILE,
        ResourceKind::Campaign => SymbolKind::MODULE,
        ResourceKind::AdGroup => SymbolKind::STRUCT,
        ResourceKind::Ad => SymbolKind::FUNCTION,
    }
}

/// Document symbols: the names the file defines, campaigns with their ad
/// groups and ads.
pub fn document_symbols(
    s: &mut Server<'_>,
    p: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let at = locate(s, &p.text_document.uri, lsp_types::Position::new(0, 0))?;
    let (ws, ix) = parts(s, at.project)?;
    let mut lines = LineCache::new(&ws.sources, s.enc);
    #[allow(
        deprecated,
        reason = "the `deprecated` field is deprecated, yet required in the struct literal"
    )]
    let sym = |name: String, detail: &str, kind, range, children| DocumentSymbol {
        name,
        detail: Some(detail.to_owned()),
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children,
    };
    let mut out = Vec::new();
    for d in ix.defs.iter().filter(|d| d.span.file == at.file) {
        let Some(range) = lines.range(d.span) else {
            continue;
        };
        let mut children = Vec::new();
        if d.kind == ResourceKind::Campaign
            && let Some(groups) = ws
                .campaigns
                .get(&d.name)
                .and_then(|c| c.value.ad_groups.as_ref())
        {
            for (g, group) in &groups.entries {
                let Some(gr) = lines.range(g.span) else {
                    continue;
                };
                let mut ads = Vec::new();
                for (a, _) in group.ads.iter().flat_map(|a| &a.entries) {
                    if let Some(ar) = lines.range(a.span) {
                        ads.push(sym(a.value.clone(), "ad", SymbolKind::FUNCTION, ar, None));
                    }
                }
                children.push(sym(
                    g.value.clone(),
                    "ad group",
                    SymbolKind::STRUCT,
                    gr,
                    Some(ads),
                ));
            }
        }
        out.push(sym(
            d.name.clone(),
            d.kind.as_str(),
            symbol_kind(d.kind),
            range,
            Some(children),
        ));
    }
    Some(DocumentSymbolResponse::Nested(out))
}

/// Workspace symbols: the names containing the query (case-insensitive).
pub fn workspace_symbols(
    s: &mut Server<'_>,
    p: WorkspaceSymbolParams,
) -> Option<WorkspaceSymbolResponse> {
    let q = p.query.to_lowercase();
    let mut out = Vec::new();
    for i in 0..s.projects.len() {
        s.projects[i].prepare_index();
        let Some((ws, ix)) = parts(s, i) else {
            continue;
        };
        let mut lines = LineCache::new(&ws.sources, s.enc);
        for d in &ix.defs {
            if out.len() >= MAX_SYMBOLS {
                break;
            }
            if !d.name.to_lowercase().contains(&q) {
                continue;
            }
            let Some(location) = lines.location(d.span) else {
                continue;
            };
            #[allow(
                deprecated,
                reason = "the `deprecated` field is deprecated, yet required in the struct literal"
            )]
            out.push(SymbolInformation {
                name: d.name.clone(),
                kind: symbol_kind(d.kind),
                tags: None,
                deprecated: None,
                location,
                container_name: Some(d.kind.as_str().to_owned()),
            });
        }
    }
    Some(WorkspaceSymbolResponse::Flat(out))
}

/// What a line typed so far refers to: `  - post: jan|` is a post name
/// starting `jan`. Returns the kind and the byte length of the partial name.
fn reference_being_typed(prefix: &str) -> Option<(ResourceKind, usize)> {
    let word = prefix
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    let before = &prefix[..prefix.len() - word];
    let before = before.trim_end_matches(['"', '\'']).trim_end();
    let before = before.strip_suffix(':')?.trim_end();
    let key_len = before
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let (rest, key) = before.split_at(before.len() - key_len);
    // The key starts the line, a list item or a flow mapping entry.
    if !rest
        .trim_end()
        .chars()
        .last()
        .is_none_or(|c| matches!(c, '-' | '{' | ','))
        && !rest.trim().is_empty()
    {
        return None;
    }
    let kind = match key {
        "advertiser" => ResourceKind::Advertiser,
        "identity" => ResourceKind::Identity,
        "post" => ResourceKind::Post,
        "media" => ResourceKind::Media,
        _ => return None,
    };
    Some((kind, word))
}

/// Completion after `post:`, `media:`, `identity:`, `advertiser:`: the names
/// of that kind defined anywhere in the workspace.
pub fn completion(s: &mut Server<'_>, p: CompletionParams) -> Option<CompletionResponse> {
    let tdp = &p.text_document_position;
    let at = locate(s, &tdp.text_document.uri, tdp.position)?;
    let (ws, _) = parts(s, at.project)?;
    let text = &ws.sources.get(at.file)?.text;
    let lines = Lines::new(text, s.enc);
    let (kind, typed) = reference_being_typed(lines.line_prefix(at.offset))?;
    let range = lines.range(at.offset - typed, at.offset);
    let posts = (kind == ResourceKind::Post).then(|| post_rows(s, at.project));
    let detail = |name: &str| -> String {
        match kind {
            ResourceKind::Post => {
                let row = posts.as_ref().and_then(|r| r.get(name));
                match row {
                    Some(a) => format!(
                        "post · {} · authorized until {}",
                        a.creator.as_deref().unwrap_or("creator unknown"),
                        a.until
                    ),
                    None => "post".to_owned(),
                }
            }
            ResourceKind::Identity => ws.identities.get(name).map_or_else(
                || "identity".to_owned(),
                |d| {
                    let i = &d.value;
                    let who = i.handle.as_ref().or(i.display_name.as_ref());
                    format!(
                        "identity · {}{}",
                        i.r#type.value.as_str(),
                        who.map(|w| format!(" · {}", w.value)).unwrap_or_default()
                    )
                },
            ),
            ResourceKind::Media => ws.media.get(name).map_or_else(
                || "media".to_owned(),
                |d| format!("media · advertiser {}", d.value.advertiser.value.0),
            ),
            ResourceKind::Advertiser => ws.advertisers.get(name).map_or_else(
                || "advertiser".to_owned(),
                |d| format!("advertiser · ID {}", d.value.advertiser_id.value.0),
            ),
            other => other.as_str().to_owned(),
        }
    };
    let items: Vec<CompletionItem> = ws
        .names(kind)
        .into_iter()
        .map(|name| CompletionItem {
            label: name.to_owned(),
            kind: Some(CompletionItemKind::REFERENCE),
            detail: Some(detail(name)),
            text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                range,
                name.to_owned(),
            ))),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::Array(items))
}

/// The authorization inventory of project `i`'s code posts, by post name.
fn post_rows(s: &Server<'_>, i: usize) -> HashMap<String, crate::authz::Authorization> {
    let Some((ws, _)) = parts(s, i) else {
        return HashMap::new();
    };
    let opts = crate::authz::Options {
        today: s.today.unwrap_or_else(crate::model::Today::now),
        expiry_warning_days: s.projects[i].config.expiry_warning_days,
        within: None,
    };
    crate::authz::inventory(ws, &opts)
        .authorizations
        .into_iter()
        .map(|a| (a.post.clone(), a))
        .collect()
}

/// The source of a definition: its key line and the more indented lines
/// after it (at most 12).
fn definition_text(ws: &Workspace, span: crate::diag::Span) -> String {
    let Some(f) = ws.sources.get(span.file) else {
        return String::new();
    };
    let start = f
        .text
        .get(..span.start as usize)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let mut lines = f.text.get(start..).unwrap_or_default().lines();
    let Some(first) = lines.next() else {
        return String::new();
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let base = indent(first.trim_start_matches("- "));
    let mut out = vec![first];
    for l in lines {
        if !l.trim().is_empty() && indent(l) <= base {
            break;
        }
        if out.len() == 12 {
            out.push("  …");
            break;
        }
        out.push(l);
    }
    out.join("\n").trim_end().to_owned()
}

/// Hover: on a name, its definition's summary; on a rule code (or a
/// diagnostic), the rule's documentation (`sparkplan explain`).
pub fn hover(s: &mut Server<'_>, p: HoverParams) -> Option<Hover> {
    let tdp = &p.text_document_position_params;
    let at = locate(s, &tdp.text_document.uri, tdp.position)?;
    let (ws, ix) = parts(s, at.project)?;
    let markdown = |value: String| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    };
    if let Some(t) = ix.at(at.file, at.offset) {
        let def = ix.def(t.kind, &t.name)?;
        let mut md = format!(
            "**{} `{}`** ({})\n\n```yaml\n{}\n```",
            t.kind.as_str(),
            t.name,
            ws.sources.path(def.span.file),
            definition_text(ws, def.span)
        );
        if t.kind == ResourceKind::Post {
            if let Some(a) = post_rows(s, at.project).get(&t.name) {
                md.push_str(&format!(
                    "\n\nvideo code `{}` · creator {} · authorized {} to {} ({}) · **{} day{} left** ({})",
                    a.video_code,
                    a.creator.as_deref().unwrap_or("unknown"),
                    a.from.as_deref().unwrap_or("?"),
                    a.until,
                    a.utc_offset,
                    a.days_left,
                    if a.days_left.abs() == 1 { "" } else { "s" },
                    a.status.as_str(),
                ));
            }
            let mut groups: Vec<String> = ix
                .refs_to(ResourceKind::Post, &t.name)
                .filter_map(|r| {
                    Some(format!(
                        "`{}` / `{}`",
                        r.place.campaign.as_deref()?,
                        r.place.ad_group.as_deref()?
                    ))
                })
                .collect();
            groups.dedup();
            if groups.is_empty() {
                md.push_str("\n\nno ad group uses it");
            } else {
                md.push_str(&format!("\n\nused by the ad groups {}", groups.join(", ")));
            }
        } else {
            let n = ix.refs_to(t.kind, &t.name).count();
            md.push_str(&format!(
                "\n\n{n} reference{}",
                if n == 1 { "" } else { "s" }
            ));
        }
        return Some(markdown(md));
    }
    // A rule code under the cursor (`# sparkplan-allow: SP204`).
    let text = &ws.sources.get(at.file)?.text;
    let word_at = |i: usize| {
        text.as_bytes()
            .get(i)
            .is_some_and(u8::is_ascii_alphanumeric)
    };
    let mut a = at.offset;
    while a > 0 && word_at(a - 1) {
        a -= 1;
    }
    let mut b = at.offset;
    while word_at(b) {
        b += 1;
    }
    let word = text.get(a..b).unwrap_or_default();
    let rules: Vec<&'static crate::diag::RuleMeta> =
        match crate::rules::registry::find(word).filter(|_| word.len() == 5) {
            Some(r) => vec![r],
            // Else the rules of the diagnostics under the cursor.
            None => {
                let report = s.projects[at.project].report.as_ref()?;
                let mut v: Vec<_> = report
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        d.primary_span().is_some_and(|sp| {
                            sp.file == at.file
                                && (sp.start as usize..=sp.end as usize).contains(&at.offset)
                        })
                    })
                    .map(|d| d.rule)
                    .collect();
                v.dedup_by_key(|r| r.code);
                v
            }
        };
    if rules.is_empty() {
        return None;
    }
    let docs: Vec<&str> = rules.iter().map(|r| r.doc.trim_end()).collect();
    Some(markdown(docs.join("\n\n---\n\n")))
}

/// Code actions: the fixes of the diagnostics in the range.
#[expect(
    clippy::mutable_key_type,
    reason = "lsp_types::Uri hashes its text; the cell inside caches parsing and never changes the hash (WorkspaceEdit is keyed by Uri)"
)]
pub fn code_actions(s: &mut Server<'_>, p: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let start = locate(s, &p.text_document.uri, p.range.start)?;
    let end = locate(s, &p.text_document.uri, p.range.end)?;
    let report = s.projects[start.project].report.as_ref()?;
    let mut lines = LineCache::new(&report.workspace.sources, s.enc);
    let mut out = Vec::new();
    for d in &report.diagnostics {
        let Some(span) = d.primary_span() else {
            continue;
        };
        if span.file != start.file
            || (span.end as usize) < start.offset
            || (span.start as usize) > end.offset
            || d.fixes.is_empty()
        {
            continue;
        }
        let lsp_diag = convert::diagnostic(d, &mut lines);
        for fix in &d.fixes {
            let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
            for e in &fix.edits {
                if let (Some(uri), Some(edit)) = (
                    lines.uri(e.span.file),
                    lines.edit(e.span, e.replacement.clone()),
                ) {
                    changes.entry(uri).or_default().push(edit);
                }
            }
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.message.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: lsp_diag.clone().map(|d| vec![d]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(fix.applicability == crate::diag::Applicability::Safe),
                ..CodeAction::default()
            }));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_being_typed() {
        assert_eq!(
            reference_being_typed("      - post: jan"),
            Some((ResourceKind::Post, 3))
        );
        assert_eq!(
            reference_being_typed("    advertiser: "),
            Some((ResourceKind::Advertiser, 0))
        );
        assert_eq!(
            reference_being_typed("  - { media: \"ab"),
            Some((ResourceKind::Media, 2))
        );
        assert_eq!(
            reference_being_typed("        identity: acme_"),
            Some((ResourceKind::Identity, 5))
        );
        assert_eq!(reference_being_typed("    caption: post"), None);
        assert_eq!(reference_being_typed("    repost: x"), None);
        assert_eq!(reference_being_typed("  post"), None);
    }
}
