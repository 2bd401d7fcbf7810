//! SP003 for the `api:` keys sparkplan models: a key the request body
//! already has from the manifest's own fields ([`crate::api::modelled`]).
//! The `check` driver runs it over the resolved workspace.

use serde_json::Value;

use crate::diag::Diagnostic;
use crate::model::{ApiFields, Spanned};
use crate::workspace::Workspace;

/// Reports SP003 for every `api:` key that sparkplan models (the request
/// body already has it). `check` runs this.
pub fn refusals(ws: &Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let refuse = |api: &Option<Spanned<ApiFields>>, list: &[(&str, &str)], out: &mut Vec<_>| {
        if let Some(api) = api {
            api.value.refuse_modelled(list, out);
        }
    };
    for a in ws.advertisers.values() {
        refuse(&a.value.api, crate::api::modelled::ADVERTISER, &mut out);
    }
    for i in ws.identities.values() {
        refuse(&i.value.api, crate::api::modelled::IDENTITY, &mut out);
    }
    for p in ws.posts.values() {
        refuse(&p.value.api, crate::api::modelled::POST, &mut out);
    }
    for m in ws.media.values() {
        refuse(&m.value.api, crate::api::modelled::CREATIVE, &mut out);
    }
    for c in ws.campaigns.values() {
        refuse(&c.value.api, crate::api::modelled::CAMPAIGN, &mut out);
        let Some(groups) = &c.value.ad_groups else {
            continue;
        };
        for (_, g) in groups.iter() {
            refuse(&g.api, crate::api::modelled::AD_GROUP, &mut out);
            refuse_nested(
                &g.api,
                "targeting_spec",
                crate::api::modelled::TARGETING,
                &mut out,
            );
            let Some(ads) = &g.ads else { continue };
            for (_, ad) in ads.iter() {
                refuse(&ad.api, crate::api::modelled::AD, &mut out);
                refuse_nested(
                    &ad.api,
                    "ad_configuration",
                    crate::api::modelled::AD_CONFIGURATION,
                    &mut out,
                );
                for cr in &ad.creatives.value {
                    refuse(&cr.value.api, crate::api::modelled::CREATIVE, &mut out);
                }
            }
        }
    }
    out
}

/// SP003 for modelled keys inside an `api:` object that sparkplan merges
/// key by key (`targeting_spec`, `ad_configuration`).
fn refuse_nested(
    api: &Option<Spanned<ApiFields>>,
    key: &str,
    list: &[(&str, &str)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(api) = api else { return };
    for (k, v) in &api.value.0 {
        if k.value != key {
            continue;
        }
        let Value::Object(inner) = v else { continue };
        for (api_key, instead) in list {
            if inner.contains_key(*api_key) {
                out.push(
                    Diagnostic::new(
                        &crate::model::codes::SP003,
                        format!(
                            "`{key}.{api_key}` is modelled by sparkplan and cannot be set under `api:`"
                        ),
                    )
                    .primary(k.span, "contains a modelled field")
                    .note(format!(
                        "sparkplan merges `api.{key}` key by key into the `{key}` it builds"
                    ))
                    .help(format!("set {instead} instead")),
                );
            }
        }
    }
}
