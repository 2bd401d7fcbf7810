//! The structural rules of the workspace: one namespace across files
//! (SP007, SP008) and suppression comments (SP014).

crate::declare_rule!(pub static SP007 = "SP007", "duplicate-name", Error, "a name defined twice in the workspace");
crate::declare_rule!(pub static SP008 = "SP008", "undefined-reference", Error, "reference to an undefined advertiser, identity, post or media");
crate::declare_rule!(pub static SP014 = "SP014", "suppression", Warning, "a `sparkplan-allow` comment without a reason, that suppresses nothing, or that names a code that cannot be suppressed");
