//! Plan-diff rules SP501–SP503. They compare the base and the new workspace
//! of `sparkplan plan --base`, so their checks live in `crate::plan::diff`
//! (`check_pair`); only their metadata is here.

crate::declare_rule!(pub static SP501 = "SP501", "caption-changed-after-authorization", Error, "a post's caption changed while its video code stayed the same");
crate::declare_rule!(pub static SP502 = "SP502", "visibility-changed-during-promotion", Error, "a post's visibility changed while ads use it");
crate::declare_rule!(pub static SP503 = "SP503", "immutable-field-replaced", Warning, "an immutable field changed (campaign objective, budget mode, advertiser): the resource is replaced");
