//! The handlers through an in-memory connection (the Node client test in
//! tests/lsp drives the real binary over stdio).

use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

use super::text::path_to_uri;

struct Client {
    conn: Connection,
    next: i32,
    thread: Option<std::thread::JoinHandle<Result<(), super::LspError>>>,
}

impl Client {
    fn start(root: &std::path::Path) -> Client {
        let (server, conn) = Connection::memory();
        let thread = std::thread::spawn(move || super::serve(&server));
        let mut c = Client {
            conn,
            next: 1,
            thread: Some(thread),
        };
        let root = path_to_uri(root).unwrap();
        c.request(
            "initialize",
            json!({
                "capabilities": { "general": { "positionEncodings": ["utf-8", "utf-16"] } },
                "workspaceFolders": [{ "uri": root.as_str(), "name": "w" }],
                "initializationOptions": { "today": "2026-12-01" },
            }),
        );
        c.notify("initialized", json!({}));
        c
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))
            .unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = RequestId::from(self.next);
        self.next += 1;
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_owned(),
                params,
            )))
            .unwrap();
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(30))
                .unwrap()
            {
                Message::Response(r) if r.id == id => {
                    return match r.response_result {
                        Ok(v) => v,
                        Err(e) => json!({ "error": e.message }),
                    };
                }
                _ => {}
            }
        }
    }

    /// The next diagnostics published for `uri` that satisfy `pred`.
    fn diagnostics(&self, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        loop {
            let m = self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(30))
                .unwrap();
            if let Message::Notification(n) = m
                && n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == uri
            {
                let d = n.params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if pred(&d) {
                    return d;
                }
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let served = self.thread.take().unwrap().join().unwrap();
        assert!(served.is_ok());
    }
}

const ACCOUNTS: &str =
    "sparkplan: 1\nadvertisers:\n  acme:\n    advertiser_id: \"7000000000000000001\"\n";
const MEDIA: &str = "sparkplan: 1\nmedia:\n  clip:\n    advertiser: acme\n    video_id: \"v1\"\n    cover_image: \"c\"\n";

#[test]
fn diagnostics_definition_completion_and_rename_over_a_connection() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("accounts.yaml"), ACCOUNTS).unwrap();
    std::fs::write(dir.path().join("media.yaml"), MEDIA).unwrap();
    // Not a manifest: left alone.
    std::fs::write(dir.path().join("ci.yaml"), "on: push\n").unwrap();
    let mut c = Client::start(dir.path());
    let media = path_to_uri(&dir.path().join("media.yaml")).unwrap();
    let media = media.as_str();

    // An unsaved edit: the buffer, not the disk, is checked.
    let broken = MEDIA.replace("advertiser: acme", "advertiser: acne");
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": media, "languageId": "yaml", "version": 1, "text": broken } }),
    );
    let d = c.diagnostics(media, |d| !d.is_empty());
    assert_eq!(d[0]["code"], crate::workspace::codes::SP008.code);
    assert_eq!(
        d[0]["range"]["start"],
        json!({ "line": 3, "character": 16 })
    );
    assert!(
        d[0]["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules/SP008.md")
    );

    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": media, "version": 2 }, "contentChanges": [{ "text": MEDIA }] }),
    );
    assert!(c.diagnostics(media, <[Value]>::is_empty).is_empty());

    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": media }, "position": { "line": 3, "character": 17 } }),
    );
    assert!(def["uri"].as_str().unwrap().ends_with("accounts.yaml"));
    assert_eq!(def["range"]["start"], json!({ "line": 2, "character": 2 }));

    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": media }, "position": { "line": 3, "character": 16 } }),
    );
    assert_eq!(items[0]["label"], "acme");

    let edit = c.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": media }, "position": { "line": 3, "character": 17 }, "newName": "acme_us" }),
    );
    assert_eq!(edit["changes"].as_object().unwrap().len(), 2);
    let taken = c.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": media }, "position": { "line": 3, "character": 17 }, "newName": "clip" }),
    );
    assert!(taken["error"].as_str().unwrap().contains("already taken"));

    // Outside the workspace folder: no answer, no crash.
    let other = c.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": "file:///elsewhere/x.yaml" }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(other.is_null());
    c.stop();
}
