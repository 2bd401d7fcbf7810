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

/// The layers of the library, bottom first (the same table is in
/// ARCHITECTURE.md). A module may import (`crate::X`, `super::…::X`) only
/// modules of a lower layer; modules of one layer do not import each other.
/// A new top-level module must be added here.
const LAYERS: &[&[&str]] = &[
    &["api", "fsutil", "hash"],
    &["diag"],
    &["syntax"],
    &["model"],
    &["workspace"],
    &["rules", "plan"],
    &["config", "authz", "schema"],
    &["render", "init", "driver", "manifest_doc"],
    // The language server runs the check pipeline of the driver.
    &["lsp"],
    &["cli"],
];

/// Crate-root names that are not top-level modules, by the module that
/// defines them: `#[macro_export]` macros and `lib.rs` re-exports.
const ROOT_MACROS: &[(&str, &str)] = &[("declare_rule", "diag"), ("check", "driver")];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level module a source file belongs to, and how many `super::`
/// lead from it to the crate root; `None` for the crate root itself.
fn module_of(src: &Path, file: &Path) -> Option<(String, usize)> {
    let rel = file.strip_prefix(src).ok()?;
    let parts: Vec<&str> = rel.iter().map(|p| p.to_str().unwrap_or("")).collect();
    if parts == ["lib.rs"] || parts == ["main.rs"] {
        return None;
    }
    let top = parts[0].trim_end_matches(".rs").to_owned();
    // src/x.rs and src/x/mod.rs are at depth 1, src/x/y.rs at depth 2…
    let last = parts[parts.len() - 1];
    let depth = parts.len() - usize::from(last == "mod.rs");
    Some((top, depth))
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The first segment(s) of a path after the crate root: `X::…` or `{X, Y::…}`.
fn root_items(after: &str, out: &mut Vec<String>) {
    if let Some(group) = after.strip_prefix('{') {
        let end = group.find('}').unwrap_or(group.len());
        out.extend(group[..end].split(',').map(|item| ident(item.trim())));
    } else {
        out.push(ident(after));
    }
}

/// The top-level modules a line of code names: `crate::X`, `crate::{X, Y}`,
/// and `super::` chains that reach the crate root.
fn imported_modules(line: &str, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        // `$crate::` in a macro is the crate root too.
        let after = &rest[i + "crate::".len()..];
        root_items(after, &mut out);
        rest = after;
    }
    let mut rest = line;
    while let Some(i) = rest.find("super::") {
        let is_path_start = !rest[..i]
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        let mut after = &rest[i..];
        let mut ups = 0;
        while let Some(a) = after.strip_prefix("super::") {
            ups += 1;
            after = a;
        }
        if is_path_start && ups >= depth {
            root_items(after, &mut out);
        }
        rest = &rest[i + "super::".len()..];
    }
    out.retain(|m| !m.is_empty() && m != "self");
    out
}

/// No lower layer imports a higher one (and so there is no import cycle
/// between the top-level modules): each `crate::X` path in a module's code
/// (comments left out; tests included) names a module of a lower layer.
#[test]
fn lower_layers_never_import_higher_ones() {
    let src = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for f in &files {
        let Some((module, depth)) = module_of(src, f) else {
            continue;
        };
        let Some(own) = layer_of(&module) else {
            unknown.push(format!("{} (module `{module}`)", f.display()));
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for target in imported_modules(code, depth) {
                let target = ROOT_MACROS
                    .iter()
                    .find(|(m, _)| *m == target)
                    .map_or(target.as_str(), |(_, owner)| owner)
                    .to_owned();
                if target == module {
                    continue;
                }
                match layer_of(&target) {
                    Some(l) if l < own => {}
                    Some(_) => found.push(format!(
                        "{}:{}: `{module}` (layer {own}) imports `{target}`: {}",
                        f.display(),
                        n + 1,
                        line.trim()
                    )),
                    None => unknown.push(format!("{}:{}: `crate::{target}`", f.display(), n + 1)),
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "modules missing from LAYERS (add them, and to ARCHITECTURE.md):\n{}",
        unknown.join("\n")
    );
    assert!(
        found.is_empty(),
        "a lower layer imports a higher one (or a sibling):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_import_parser_sees_every_form() {
    let m = |l, d| imported_modules(l, d);
    assert_eq!(m("use crate::plan::Plan;", 1), ["plan"]);
    assert_eq!(m("use crate::{diag, model::Date};", 2), ["diag", "model"]);
    assert_eq!(m("$crate::diag::RuleMeta", 2), ["diag"]);
    assert_eq!(m("let h = crate::hash::fnv1a64(x);", 3), ["hash"]);
    // `super::` from src/render/mod.rs (depth 1) reaches the root; from
    // src/render/plan/text.rs (depth 3) it needs three.
    assert_eq!(m("use super::plan::Plan;", 1), ["plan"]);
    assert!(m("use super::{Action, Plan};", 3).is_empty());
    assert_eq!(m("use super::{plan, diag::Span};", 1), ["plan", "diag"]);
    assert_eq!(m("use super::super::super::plan::Plan;", 3), ["plan"]);
    // A layer below importing one above is caught; the table is ordered.
    assert!(layer_of("plan") < layer_of("driver"));
    assert!(layer_of("diag") < layer_of("rules"));
}
