//! The TikTok API's vocabulary: field names, enum spellings, limits and what
//! each endpoint accepts, each with its source. The lowest layer of the
//! crate: it imports nothing else of it, and model, rules and plan read their
//! API facts from here.

pub mod endpoints;
pub mod fields;
pub mod modelled;
pub mod update;
