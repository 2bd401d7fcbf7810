//! sparkplan: a compiler and validator for TikTok Spark Ads in Smart+ campaigns.
//!
//! The library reads YAML manifests into a typed model, checks every Spark Ads
//! constraint and reports [`diag::Diagnostic`]s as data. It never prints; the
//! `sparkplan` binary (see [`cli`]) renders and prints.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

pub mod api;
pub mod authz;
pub mod cli;
pub mod config;
pub mod diag;
pub mod driver;
pub mod fsutil;
pub mod hash;
pub mod init;
pub mod lsp;
pub mod manifest_doc;
pub mod model;
pub mod plan;
pub mod render;
pub mod rules;
pub mod schema;
pub mod syntax;
pub mod workspace;

/// The `check` command (`driver::check`), where it has always been.
pub use driver::check;
