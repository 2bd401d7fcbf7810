//! The TikTok API's vocabulary: field names, enum spellings, limits and what
//! each endpoint accepts. The lowest layer of the crate: it imports nothing
//! else of it.

pub mod endpoints;
