//! SP502: a post's visibility changed while ads of the base use it.

use super::pair::{PairCtx, used_posts, visibility};
use crate::diag::Diagnostic;

crate::declare_rule!(pub static RULE = "SP502", "visibility-changed-in-use", Error, "plan diff: a post's visibility changed while ads use it");

/// Reports posts used in the base whose visibility changed.
pub fn check(ctx: &PairCtx<'_>, out: &mut Vec<Diagnostic>) {
    let used_in_base = used_posts(ctx.base);
    for (name, def, old) in ctx.posts() {
        let (p, o) = (&def.value, &old.value);
        let (vp, vo) = (visibility(p), visibility(o));
        if vp != vo && used_in_base.contains(name) {
            let mut d = Diagnostic::new(
                &RULE,
                format!(
                    "the visibility of post `{name}` changed from `{}` to `{}` while ads use it",
                    vo.as_str(),
                    vp.as_str()
                ),
            )
            .primary(
                p.visibility.as_ref().map_or(def.name.span, |v| v.span),
                "visibility changed",
            );
            if let Some(v) = &o.visibility {
                d = d.secondary(ctx.shift(v.span), "the visibility in the base");
            }
            out.push(
                d.note("a post's privacy cannot change while it is promoted as a Spark Ad")
                    .help("keep the visibility, or first remove the post from every ad in a separate change"),
            );
        }
    }
}
