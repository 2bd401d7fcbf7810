//! The typed model of manifests (format version 1) and its decoder.

pub mod codes;
pub mod decode;
pub mod defaults;
pub mod fixes;
pub mod geo;
pub mod kind;
pub mod manifest;
pub mod values;

pub use decode::Spanned;
pub use kind::ResourceKind;
pub use manifest::*;
pub use values::{
    ApiFields, Date, Id, Location, Name, Named, Quota, Timezone, Today, UtcOffset, Version,
    VideoCode,
};
