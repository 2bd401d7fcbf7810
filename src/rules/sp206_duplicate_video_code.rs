//! SP206: the same video code on two posts, or `original_video_code` equal to `video_code`.

use super::RuleCtx;
use crate::diag::{Diagnostic, Span};

crate::declare_rule!(pub static RULE = "SP206", "duplicate-video-code", Error, "the same video code on two posts, or `original_video_code` equal to `video_code`");

/// Reports each later post that repeats an earlier post's code (by file and
/// position), and duets/stitches whose original is themselves.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    let ws = ctx.ws;
    // (code, post, where): sorted below by code, then by file and position.
    // A sorted list rather than a map of lists: one allocation, not one per post.
    let mut by_code: Vec<(&str, &str, Span)> = Vec::new();
    for (name, def) in &ws.posts {
        let p = &def.value;
        if let Some(code) = &p.video_code {
            by_code.push((code.value.0.as_str(), name, code.span));
            if let Some(orig) = &p.original_video_code
                && orig.value == code.value
            {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        format!("post `{name}`: `original_video_code` is the post's own code"),
                    )
                    .primary(orig.span, "the original post's code")
                    .secondary(code.span, "is the same as this post's code")
                    .note("a duet or stitch needs two codes: one from each creator")
                    .help("use the code the first creator generated for the original post"),
                );
            }
        }
    }
    let at = |s: Span| (ws.sources.path(s.file), s.start);
    by_code.sort_by(|a, b| a.0.cmp(b.0).then_with(|| at(a.2).cmp(&at(b.2))));
    for posts in by_code.chunk_by(|a, b| a.0 == b.0) {
        if posts.len() < 2 {
            continue;
        }
        let code = posts[0].0;
        let (_, first_name, first_span) = posts[0];
        for (_, name, span) in &posts[1..] {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("posts `{first_name}` and `{name}` have the same video code `{code}`"),
                )
                .primary(*span, format!("the code of `{name}`"))
                .secondary(first_span, format!("also the code of `{first_name}`"))
                .note("a video code authorizes one post; two posts with one code would authorize it twice and disagree on caption, window or visibility")
                .help("define the post once and reuse it in as many ads as needed"),
            );
        }
    }
}
