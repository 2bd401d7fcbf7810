//! The TikTok API's own vocabulary: field names, enum spellings and limits,
//! each with its source. The lowest layer of the crate: it imports nothing
//! else of it, and model, rules and plan read their API facts from here.

pub mod fields;
