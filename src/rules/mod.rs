//! Rules: their registry and, one per file, the checks over the workspace.

pub mod registry;
pub mod structural;

use registry::RuleMeta;

/// Every rule, sorted by code.
pub static ALL_RULES: &[&RuleMeta] = &[
    &structural::SP001,
    &structural::SP002,
    &structural::SP003,
    &structural::SP004,
    &structural::SP005,
    &structural::SP006,
    &structural::SP007,
    &structural::SP008,
    &structural::SP009,
    &structural::SP010,
    &structural::SP011,
    &structural::SP012,
    &structural::SP013,
];
