//! SP501–SP504: rules checked on a pair of workspaces by `plan --base`. Their
//! checks live with the plan diff; the metadata and documentation are here so
//! `explain` and `rules` list them.

crate::declare_rule!(pub static SP501 = "SP501", "caption-changed", Error, "plan diff: a post's caption changed while its video code stayed");
crate::declare_rule!(pub static SP502 = "SP502", "visibility-changed-in-use", Error, "plan diff: a post's visibility changed while ads use it");
crate::declare_rule!(pub static SP503 = "SP503", "immutable-field-changed", Warning, "plan diff: an immutable field changed, so the resource is replaced");
crate::declare_rule!(pub static SP504 = "SP504", "us-location-removed", Error, "plan diff: an ad group that targets the US no longer does");
