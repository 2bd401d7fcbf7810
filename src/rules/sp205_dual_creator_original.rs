//! SP205: a duet or stitch post without `original_video_code`.

use super::RuleCtx;
use crate::diag::Diagnostic;
use crate::model::PostFormat;

crate::declare_rule!(pub static RULE = "SP205", "duet-stitch-original-code", Error, "a duet or stitch post without `original_video_code`");

/// Reports code posts of format `duet` or `stitch` without the original's code.
pub fn check(ctx: &RuleCtx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, def) in &ctx.ws.posts {
        let p = &def.value;
        let Some(format) = &p.format else { continue };
        if !matches!(format.value, PostFormat::Duet | PostFormat::Stitch)
            || p.video_code.is_none()
            || p.original_video_code.is_some()
        {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE,
                format!("{} post `{name}` has no `original_video_code`", format.value),
            )
            .primary(format.span, format!("a {} features two creators", format.value))
            .note("TikTok: \"To create Spark Ads using videos made by two creators, such as Duets and Stitched posts, you will need to enter video authorization codes from both creators\"")
            .help("add `original_video_code:` with the code the first creator generated for the original post"),
        );
    }
}
