//! Spark Ads video authorization codes (SP009, SP010).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::diag::Diagnostic;
use crate::model::decode::{Cx, Decode};
use crate::syntax::{Node, Resolved};

/// A Spark Ads video (post) authorization code: `#` then at least 8
/// characters, no whitespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VideoCode(pub String);

impl Decode for VideoCode {
    fn decode(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let text = match node.as_scalar().map(|s| s.resolve()) {
            Some(Resolved::Str(t)) => t,
            Some(Resolved::Null) => {
                if let Some(c) = cx.comment_after_on_line(node.span) {
                    let code = format!("#{}", c.text.trim_end());
                    let (span, code) = (c.span, code);
                    let mut d = Diagnostic::new(&crate::model::codes::SP009, "the video code is unquoted, so YAML read it as a comment")
                        .primary(span, "this is a comment, not a value")
                        .secondary(cx.owner, "so this field is empty")
                        .note("in YAML, ` #` starts a comment: the code never reaches sparkplan or TikTok")
                        .help(format!("quote it: \"{code}\""));
                    if let Some(fix) = crate::model::fixes::quote_comment_code(cx.text, c) {
                        d = d.fix(fix);
                    }
                    cx.report(d);
                } else {
                    cx.wrong_type(node, "a video code string");
                }
                return None;
            }
            _ => {
                cx.wrong_type(node, "a quoted video code string");
                return None;
            }
        };
        match video_code_problem(text) {
            None => Some(VideoCode(text.to_owned())),
            Some(problem) => {
                cx.report(
                    Diagnostic::new(&crate::model::codes::SP010, format!("malformed video code: {problem}"))
                        .primary(node.span, problem)
                        .note("a video code is `#` followed by the base64-like code the creator copied from the TikTok app")
                        .help("paste the code exactly as the creator sent it, including the leading `#`"),
                );
                None
            }
        }
    }
}

/// Why `code` is not a well-formed video code, if it is not.
pub fn video_code_problem(code: &str) -> Option<String> {
    let Some(rest) = code.strip_prefix('#') else {
        return Some("it must start with `#`".to_owned());
    };
    if let Some(c) = rest.chars().find(|c| c.is_whitespace()) {
        return Some(format!("it contains whitespace ({:?})", c));
    }
    if let Some(c) = rest.chars().find(|c| c.is_control()) {
        return Some(format!("it contains a control character ({:?})", c));
    }
    // Codes are copied from the TikTok app as ASCII text; `…` (or another
    // non-ASCII character) means a chat app or mail client changed it.
    if let Some(c) = rest.chars().find(|c| !c.is_ascii_graphic()) {
        return Some(if c == '…' {
            "it contains `…`: the code was cut short (a chat app shortened it); ask for it again as plain text".to_owned()
        } else {
            format!(
                "it contains `{c}`, which a video code cannot hold (codes are ASCII letters, digits and symbols)"
            )
        });
    }
    let n = rest.chars().count();
    if n < 8 {
        return Some(format!(
            "only {n} characters after `#`, expected at least 8"
        ));
    }
    None
}

/// What [`video_code_problem`] accepts: `#`, then at least 8 printable
/// ASCII characters (`!` to `~`: no white space, control or non-ASCII
/// character such as the `…` of a truncated code).
pub const VIDEO_CODE_PATTERN: &str = "^#[!-~]{8,}$";

impl JsonSchema for VideoCode {
    fn schema_name() -> Cow<'static, str> {
        "VideoCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": VIDEO_CODE_PATTERN,
            "patternErrorMessage": "A video code is `#` followed by at least 8 ASCII characters, without spaces (a `…` means the code was cut short).",
            "description": "A video (post) authorization code from the creator's TikTok app: `#` followed by the code. Always quote it: an unquoted `#` starts a YAML comment.",
            "examples": ["#AbCdEf0123456789+/xyzXYZ="]
        })
    }
}
