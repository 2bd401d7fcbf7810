//! The typed model of manifests (format version 1) and its decoder.

pub mod decode;
pub mod manifest;
pub mod values;
pub mod zones;

pub use decode::Spanned;
pub use manifest::*;
pub use values::{
    ApiFields, CountryCode, Date, Id, Name, Named, Quota, Timezone, Version, VideoCode,
};
