//! The commands as library calls: `check` (load, rules, severities,
//! suppressions, sorting) and `plan` (check, read the base, pair rules,
//! compile). The top of the library: it may import every module below it,
//! and no module imports it except `cli` (and the crate root's `check`
//! re-export).

pub mod check;
pub mod fix;
pub mod plan;
