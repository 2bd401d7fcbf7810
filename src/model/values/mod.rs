//! Value types with their own rules: IDs (SP012), dates (SP011), video codes
//! (SP009, SP010), names, named maps and the `api:` pass-through.
//!
//! One file per type family; everything is re-exported here, so callers
//! name `model::values::X` whatever file `X` lives in.

mod api_fields;
mod date;
mod id;
mod location;
mod named;
mod numbers;
mod time;
mod video_code;

pub use api_fields::*;
pub use date::*;
pub use id::*;
pub use location::*;
pub use named::*;
pub use numbers::*;
pub use time::*;
pub use video_code::*;

#[cfg(test)]
mod tests;
