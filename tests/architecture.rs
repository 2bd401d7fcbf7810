//! Structural invariants of the source tree, checked on every `cargo test`
//! (see ARCHITECTURE.md).

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on an unreadable source tree"
)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The code of a source file without its `#[cfg(test)]` module and without
/// comments (doc examples may show output such as `"code": "SP203"`).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

/// Rule identity is typed: a diagnostic names its rule's static
/// (`Diagnostic::new(&RULE, …)`), so a code is written once, where the rule
/// is declared.
#[test]
fn no_rule_code_literal_outside_its_declaration() {
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in code_lines(&text) {
            let bytes = line.as_bytes();
            let literal = bytes.windows(7).any(|w| {
                w[0] == b'"'
                    && w[1..3] == *b"SP"
                    && w[3..6].iter().all(u8::is_ascii_digit)
                    && w[6] == b'"'
            });
            if literal && !line.contains("declare_rule!") {
                found.push(format!("{}:{n}: {}", f.display(), line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "rule codes written as strings:\n{}",
        found.join("\n")
    );
}
