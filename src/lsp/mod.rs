//! `sparkplan lsp`: the language server.
//!
//! Built on `lsp-server` and `lsp-types`, the protocol layer and types of
//! rust-analyzer: a synchronous message loop over crossbeam channels, which
//! fits a checker that is itself a fast, parallel (rayon), blocking pipeline.
//! An async framework (`tower-lsp-server`) would add a runtime and gain
//! nothing here: every request is answered from the last check in
//! microseconds, and the check is the only long step.
//!
//! The server talks over its [`Connection`] only: nothing is printed.
//!
//! Each workspace folder is a [`project::Project`] (its `sparkplan.toml`
//! honoured). Open buffers overlay the files on disk; after an edit the
//! changed file alone is parsed and decoded again, every rule runs over the
//! whole workspace (as `check` would), and the diagnostics that changed are
//! published, the edited file's first. Edits arriving within [`DEBOUNCE`]
//! are checked together.

mod convert;
mod features;
mod index;
mod project;
pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, ExtractError, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    InitializeParams, PositionEncodingKind, ServerCapabilities, Uri, notification as notif,
    request as req,
};

use crate::model::Today;
use project::Project;
use text::Encoding;

/// How long the server waits after an edit for more edits before checking.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// Why the server stopped abnormally.
#[derive(Debug, thiserror::Error)]
#[error("language server: {0}")]
pub struct LspError(String);

/// Serves the Language Server Protocol on stdin/stdout until the client
/// asks it to exit.
pub fn run_stdio() -> Result<(), LspError> {
    let (conn, io) = Connection::stdio();
    let served = serve(&conn);
    drop(conn);
    io.join().map_err(|e| LspError(e.to_string()))?;
    served
}

/// Serves one client over `conn`: initialization, then messages until
/// `shutdown` and `exit` (or the client going away).
pub fn serve(conn: &Connection) -> Result<(), LspError> {
    let (id, params) = conn
        .initialize_start()
        .map_err(|e| LspError(e.to_string()))?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let enc = negotiate_encoding(&params);
    let caps = capabilities(enc);
    let result = serde_json::json!({
        "capabilities": caps,
        "serverInfo": { "name": "sparkplan", "version": env!("CARGO_PKG_VERSION") },
    });
    conn.initialize_finish(id, result)
        .map_err(|e| LspError(e.to_string()))?;
    let mut server = Server::new(conn, enc, roots(&params));
    server.today = fixed_today(&params);
    if watches_files(&params) {
        server.watch_files();
    }
    server.run()
}

/// `initializationOptions.today` (`YYYY-MM-DD`): check as of that day
/// instead of the clock's (as `check --today`), for reproducible tests.
fn fixed_today(params: &InitializeParams) -> Option<Today> {
    let t = params
        .initialization_options
        .as_ref()?
        .get("today")?
        .as_str()?;
    crate::model::Date::parse(t.trim()).map(Today::Date)
}

/// Whether the client can watch files for the server (so edits made outside
/// the editor, a `git checkout` or a generator, are seen).
fn watches_files(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|v| v.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

fn capabilities(enc: Encoding) -> ServerCapabilities {
    use lsp_types::*;
    ServerCapabilities {
        position_encoding: Some(match enc {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".to_owned(), " ".to_owned()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The client's workspace folders (or its root), as paths.
fn roots(params: &InitializeParams) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| text::uri_to_path(&f.uri))
        .collect();
    #[allow(
        deprecated,
        reason = "`root_uri` is deprecated in favour of workspace folders; old clients send only it"
    )]
    if out.is_empty()
        && let Some(p) = params.root_uri.as_ref().and_then(text::uri_to_path)
    {
        out.push(p);
    }
    out
}

/// The server's state.
struct Server<'c> {
    conn: &'c Connection,
    enc: Encoding,
    projects: Vec<Project>,
    /// The URI the client uses for each open file.
    uris: HashMap<PathBuf, Uri>,
    /// Projects with edits not yet checked, and when to check them.
    pending: Option<Instant>,
    dirty: Vec<bool>,
    /// The file edited last: its diagnostics are published first.
    edited: Option<PathBuf>,
    /// What was last published, per file.
    published: HashMap<Uri, Vec<lsp_types::Diagnostic>>,
    /// A fixed today, else the clock's at each check.
    today: Option<Today>,
}

impl<'c> Server<'c> {
    fn new(conn: &'c Connection, enc: Encoding, roots: Vec<PathBuf>) -> Self {
        let projects: Vec<Project> = roots.into_iter().map(Project::new).collect();
        let dirty = vec![true; projects.len()];
        Server {
            conn,
            enc,
            projects,
            uris: HashMap::new(),
            pending: Some(Instant::now()),
            dirty,
            edited: None,
            published: HashMap::new(),
            today: None,
        }
    }

    fn run(&mut self) -> Result<(), LspError> {
        for p in &self.projects {
            if let Some(problem) = &p.config_problem {
                self.log(lsp_types::MessageType::WARNING, problem.clone());
            }
        }
        loop {
            let msg = match self.pending {
                Some(at) => {
                    let wait = at.saturating_duration_since(Instant::now());
                    match self.conn.receiver.recv_timeout(wait) {
                        Ok(m) => m,
                        Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                            self.check_now();
                            continue;
                        }
                        Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Ok(()),
                    }
                }
                None => match self.conn.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                },
            };
            match msg {
                Message::Request(r) => {
                    if self
                        .conn
                        .handle_shutdown(&r)
                        .map_err(|e| LspError(e.to_string()))?
                    {
                        return Ok(());
                    }
                    // Answers reflect every edit received before the request.
                    if self.pending.is_some() {
                        self.check_now();
                    }
                    let resp = self.guarded(|s| s.request(r.clone()), &r.id);
                    self.send(Message::Response(resp));
                }
                Message::Notification(n) => {
                    if n.method == notif::Exit::METHOD {
                        return Ok(());
                    }
                    self.notification(n);
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Runs a request handler; a panic (a bug) becomes an error response
    /// and the server keeps serving.
    fn guarded(&mut self, f: impl FnOnce(&mut Self) -> Response, id: &RequestId) -> Response {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self))) {
            Ok(r) => r,
            Err(_) => Response::new_err(
                id.clone(),
                lsp_server::ErrorCode::InternalError as i32,
                "internal error in sparkplan (please report it)".to_owned(),
            ),
        }
    }

    /// Asks the client to report changes of YAML files and `sparkplan.toml`.
    fn watch_files(&self) {
        use lsp_types::{
            DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Registration,
            RegistrationParams,
        };
        let watchers = ["**/*.{yaml,yml}", "**/sparkplan.toml"]
            .into_iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.to_owned()),
                kind: None,
            })
            .collect();
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "sparkplan-watch".to_owned(),
                method: notif::DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: Some(to_json(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })),
            }],
        };
        self.send(Message::Request(Request::new(
            RequestId::from("sparkplan-watch".to_owned()),
            req::RegisterCapability::METHOD.to_owned(),
            params,
        )));
    }

    fn send(&self, m: Message) {
        // The client went away: the loop ends on the closed receiver.
        let _ = self.conn.sender.send(m);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_owned(),
            params,
        )));
    }

    fn log(&self, typ: lsp_types::MessageType, message: String) {
        self.notify::<notif::LogMessage>(lsp_types::LogMessageParams { typ, message });
    }

    fn project_of(&self, path: &Path) -> Option<usize> {
        self.projects.iter().position(|p| p.covers(path))
    }

    fn mark_dirty(&mut self, i: usize, path: Option<&Path>) {
        if let Some(d) = self.dirty.get_mut(i) {
            *d = true;
        }
        if let Some(p) = path {
            self.edited = Some(p.to_path_buf());
        }
        self.pending = Some(Instant::now() + DEBOUNCE);
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                if let Ok(p) = cast_n::<notif::DidOpenTextDocument>(n) {
                    self.buffer(p.text_document.uri, p.text_document.text);
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Ok(p) = cast_n::<notif::DidChangeTextDocument>(n) {
                    // Full sync: the last change holds the whole text.
                    if let Some(c) = p.content_changes.into_iter().last() {
                        self.buffer(p.text_document.uri, c.text);
                    }
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Ok(p) = cast_n::<notif::DidCloseTextDocument>(n)
                    && let Some(path) = text::uri_to_path(&p.text_document.uri)
                {
                    self.uris.remove(&path);
                    if let Some(i) = self.project_of(&path) {
                        self.projects[i].close_buffer(&path);
                        self.mark_dirty(i, None);
                    }
                }
            }
            notif::DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = cast_n::<notif::DidChangeWatchedFiles>(n) {
                    for ev in p.changes {
                        let Some(path) = text::uri_to_path(&ev.uri) else {
                            continue;
                        };
                        let is_config = path
                            .file_name()
                            .is_some_and(|f| f == crate::config::FILE_NAME);
                        for i in 0..self.projects.len() {
                            if is_config {
                                self.projects[i].reload();
                                self.mark_dirty(i, None);
                            } else if self.projects[i].covers(&path) {
                                self.projects[i].disk_changed(&path);
                                self.mark_dirty(i, None);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// An open buffer's text.
    fn buffer(&mut self, uri: Uri, text: String) {
        let Some(path) = text::uri_to_path(&uri) else {
            return;
        };
        let Some(i) = self.project_of(&path) else {
            return; // outside every workspace folder: left alone
        };
        self.uris.insert(path.clone(), uri);
        self.projects[i].set_buffer(&path, text);
        self.mark_dirty(i, Some(&path));
    }

    /// Checks every project with edits, and publishes what changed.
    fn check_now(&mut self) {
        self.pending = None;
        let today = self.today.unwrap_or_else(Today::now);
        for i in 0..self.projects.len() {
            if !self.dirty.get(i).copied().unwrap_or(false) {
                continue;
            }
            if let Some(d) = self.dirty.get_mut(i) {
                *d = false;
            }
            let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.projects[i].check(today)
            }));
            match checked {
                Ok(Ok(())) => {
                    let published = Instant::now();
                    self.publish(i);
                    let (load, rules) = self.projects[i].timings;
                    self.log(
                        lsp_types::MessageType::LOG,
                        format!(
                            "checked in {} ms: read and merge {} ms, rules {} ms, publish {} ms",
                            (load + rules + published.elapsed()).as_millis(),
                            load.as_millis(),
                            rules.as_millis(),
                            published.elapsed().as_millis()
                        ),
                    );
                }
                Ok(Err(why)) => self.log(
                    lsp_types::MessageType::ERROR,
                    format!("sparkplan could not read the workspace: {why}"),
                ),
                Err(_) => self.log(
                    lsp_types::MessageType::ERROR,
                    "internal error in sparkplan while checking (please report it)".to_owned(),
                ),
            }
        }
    }

    /// Publishes the diagnostics of project `i` that changed since last
    /// time: the edited file first.
    fn publish(&mut self, i: usize) {
        let Some(report) = self.projects[i].report.as_ref() else {
            return;
        };
        let mut files = convert::diagnostics_by_file(report, self.enc);
        // Files that had diagnostics and now have none are cleared.
        let mut out: Vec<(Uri, Vec<lsp_types::Diagnostic>)> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for (path, diags) in files.drain(..) {
            let uri = self
                .uris
                .get(&path)
                .cloned()
                .or_else(|| text::path_to_uri(&path));
            let Some(uri) = uri else { continue };
            seen.insert(uri.as_str().to_owned());
            if self.published.get(&uri) != Some(&diags) {
                out.push((uri, diags));
            }
        }
        let project = &self.projects[i];
        let gone: Vec<Uri> = self
            .published
            .iter()
            .filter(|(u, d)| {
                !d.is_empty()
                    && !seen.contains(u.as_str())
                    && text::uri_to_path(u).is_some_and(|p| project.covers(&p))
            })
            .map(|(u, _)| u.clone())
            .collect();
        out.extend(gone.into_iter().map(|u| (u, Vec::new())));
        if let Some(edited) = self.edited.take()
            && let Some(uri) = self.uris.get(&edited)
            && let Some(k) = out.iter().position(|(u, _)| u == uri)
        {
            let first = out.remove(k);
            out.insert(0, first);
        }
        for (uri, diagnostics) in out {
            self.notify::<notif::PublishDiagnostics>(lsp_types::PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics: diagnostics.clone(),
                version: None,
            });
            self.published.insert(uri, diagnostics);
        }
    }

    fn request(&mut self, r: Request) -> Response {
        let id = r.id.clone();
        let result = match r.method.as_str() {
            req::GotoDefinition::METHOD => {
                cast_r::<req::GotoDefinition>(r).map(|p| to_json(features::definition(self, p)))
            }
            req::References::METHOD => {
                cast_r::<req::References>(r).map(|p| to_json(features::references(self, p)))
            }
            req::PrepareRenameRequest::METHOD => cast_r::<req::PrepareRenameRequest>(r)
                .map(|p| to_json(features::prepare_rename(self, p))),
            req::Rename::METHOD => match cast_r::<req::Rename>(r) {
                Ok(p) => match features::rename(self, p) {
                    Ok(edit) => Ok(to_json(edit)),
                    Err(why) => {
                        return Response::new_err(
                            id,
                            lsp_server::ErrorCode::RequestFailed as i32,
                            why,
                        );
                    }
                },
                Err(e) => Err(e),
            },
            req::DocumentSymbolRequest::METHOD => cast_r::<req::DocumentSymbolRequest>(r)
                .map(|p| to_json(features::document_symbols(self, p))),
            req::WorkspaceSymbolRequest::METHOD => cast_r::<req::WorkspaceSymbolRequest>(r)
                .map(|p| to_json(features::workspace_symbols(self, p))),
            req::Completion::METHOD => {
                cast_r::<req::Completion>(r).map(|p| to_json(features::completion(self, p)))
            }
            req::HoverRequest::METHOD => {
                cast_r::<req::HoverRequest>(r).map(|p| to_json(features::hover(self, p)))
            }
            req::CodeActionRequest::METHOD => cast_r::<req::CodeActionRequest>(r)
                .map(|p| to_json(features::code_actions(self, p))),
            _ => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("unsupported request `{}`", r.method),
                );
            }
        };
        match result {
            Ok(v) => Response::new_ok(id, v),
            Err(e) => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                e.to_string(),
            ),
        }
    }
}

fn to_json<T: serde::Serialize>(v: T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn cast_r<R: lsp_types::request::Request>(r: Request) -> Result<R::Params, ExtractError<Request>> {
    r.extract(R::METHOD).map(|(_, p)| p)
}

fn cast_n<N: lsp_types::notification::Notification>(
    n: Notification,
) -> Result<N::Params, ExtractError<Notification>> {
    n.extract(N::METHOD)
}

#[cfg(test)]
mod tests;
