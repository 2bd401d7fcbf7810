//! Arbitrary bytes as `sparkplan.toml`: parsing never panics; problems are
//! located diagnostics inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sparkplan::config;
use sparkplan::diag::FileId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(diags) = config::parse(text, FileId(0)) {
        for d in diags {
            for l in d.labels {
                let (s, e) = (l.span.start as usize, l.span.end as usize);
                assert!(s <= e && e <= text.len(), "span out of bounds");
            }
        }
    }
});
