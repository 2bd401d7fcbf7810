//! SP001–SP013: every structural rule has a fixture that triggers it, with
//! the reported line asserted, and a close miss that must not trigger it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::path::PathBuf;

use sparkplan::check::{CheckOptions, check};
use sparkplan::config::Config;
use sparkplan::model::Date;

/// Writes `files` into a temporary workspace, checks it and returns
/// `(code, file, line)` of every diagnostic's primary label.
fn run(files: &[(&str, &str)]) -> Vec<(String, String, usize)> {
    run_paths(files, &[])
}

fn run_paths(files: &[(&str, &str)], explicit: &[&str]) -> Vec<(String, String, usize)> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    let paths: Vec<PathBuf> = if explicit.is_empty() {
        vec![dir.path().to_path_buf()]
    } else {
        explicit.iter().map(|e| dir.path().join(e)).collect()
    };
    let opts = CheckOptions {
        today: Date::parse("2026-11-29").unwrap().into(),
        config: Config::default(),
    };
    let report = check(&paths, &opts).unwrap();
    let root = sparkplan::workspace::display_path(dir.path());
    report
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.primary_span().unwrap();
            let file = report.sources().path(span.file);
            let rel = file
                .strip_prefix(&root)
                .unwrap_or(file)
                .trim_start_matches('/')
                .to_owned();
            (
                d.code().to_owned(),
                rel,
                report.sources().location(span).line,
            )
        })
        .collect()
}

fn expect(got: Vec<(String, String, usize)>, want: &[(&str, &str, usize)]) {
    let want: Vec<(String, String, usize)> = want
        .iter()
        .map(|(c, f, l)| ((*c).to_owned(), (*f).to_owned(), *l))
        .collect();
    assert_eq!(got, want);
}

const HEAD: &str =
    "sparkplan: 1\nadvertisers:\n  acme_us:\n    advertiser_id: \"7000000000000000001\"\n";

fn with_head(rest: &str) -> String {
    format!("{HEAD}{rest}")
}

#[test]
fn sp001_yaml_syntax() {
    expect(
        run(&[("a.yaml", "sparkplan: 1\nadvertisers:\n  acme: [\n")]),
        &[("SP001", "a.yaml", 3)],
    );
    // A tab in indentation is a syntax error in YAML.
    expect(
        run(&[("a.yaml", "sparkplan: 1\nadvertisers:\n\tacme_us: {}\n")]),
        &[("SP001", "a.yaml", 3)],
    );
    // Close miss: flow collections closed properly.
    expect(run(&[("a.yaml", &with_head("identities: {}\n"))]), &[]);
}

#[test]
fn sp002_duplicate_key() {
    let text = with_head("    advertiser_id: \"7000000000000000002\"\n");
    expect(run(&[("a.yaml", &text)]), &[("SP002", "a.yaml", 5)]);
    // Close miss: the same key in two different mappings.
    let text = with_head("  acme_eu:\n    advertiser_id: \"7000000000000000002\"\n");
    expect(run(&[("a.yaml", &text)]), &[]);
}

#[test]
fn sp003_unknown_field() {
    expect(
        run(&[("a.yaml", &with_head("    time_zone: UTC\n"))]),
        &[("SP003", "a.yaml", 5)],
    );
    expect(run(&[("a.yaml", &with_head("    timezone: UTC\n"))]), &[]);
}

#[test]
fn sp004_invalid_value() {
    let ident = "identities:\n  jane:\n    type: creator\n    advertiser: acme_us\n    identity_id: \"69\"\n";
    expect(
        run(&[("a.yaml", &with_head(ident))]),
        &[("SP004", "a.yaml", 7)],
    );
    let ok = ident.replace("creator", "linked_account");
    expect(run(&[("a.yaml", &with_head(&ok))]), &[]);
    // yes/no are strings in YAML 1.2.
    let post = "posts:\n  p:\n    identity: jane\n    item_id: \"73\"\n    ads_only: yes\n";
    let got = run(&[("a.yaml", &with_head(&format!("{ok}{post}")))]);
    expect(got, &[("SP004", "a.yaml", 14)]);
}

#[test]
fn sp005_missing_field() {
    let ident = "identities:\n  jane:\n    type: linked_account\n    advertiser: acme_us\n";
    expect(
        run(&[("a.yaml", &with_head(ident))]),
        &[("SP005", "a.yaml", 6)],
    );
    let ok = format!("{ident}    identity_id: \"69\"\n");
    expect(run(&[("a.yaml", &with_head(&ok))]), &[]);
}

#[test]
fn sp006_format_version() {
    expect(
        run(&[("a.yaml", "sparkplan: 2\n")]),
        &[("SP006", "a.yaml", 1)],
    );
    expect(
        run(&[("a.yaml", "sparkplan: 1\n---\nsparkplan: 1\n")]),
        &[("SP006", "a.yaml", 2)],
    );
    // A file named explicitly without the key is an error…
    expect(
        run_paths(&[("a.yaml", "advertisers: {}\n")], &["a.yaml"]),
        &[("SP006", "a.yaml", 1)],
    );
    // …and found by walking too when it has a manifest section…
    expect(
        run(&[("a.yaml", HEAD), ("b.yaml", "posts: {}\n")]),
        &[("SP006", "b.yaml", 1)],
    );
    // …but a walked file without one is skipped (CI workflows, etc.).
    expect(
        run(&[("a.yaml", HEAD), ("ci.yaml", "on: push\njobs: {}\n")]),
        &[],
    );
    // Close miss: one explicit leading `---` is fine.
    expect(run(&[("a.yaml", "---\nsparkplan: 1\n")]), &[]);
}

#[test]
fn sp007_duplicate_name_across_files() {
    let b = "sparkplan: 1\nadvertisers:\n  acme_us:\n    advertiser_id: \"7000000000000000009\"\n";
    expect(
        run(&[("a.yaml", HEAD), ("b.yaml", b)]),
        &[("SP007", "b.yaml", 3)],
    );
    let b = b.replace("acme_us", "acme_eu");
    expect(run(&[("a.yaml", HEAD), ("b.yaml", &b)]), &[]);
}

#[test]
fn sp008_undefined_reference() {
    let ident = "sparkplan: 1\nidentities:\n  jane:\n    type: linked_account\n    advertiser: acme_uss\n    identity_id: \"69\"\n";
    expect(
        run(&[("a.yaml", HEAD), ("b.yaml", ident)]),
        &[("SP008", "b.yaml", 5)],
    );
    let ok = ident.replace("acme_uss", "acme_us");
    expect(run(&[("a.yaml", HEAD), ("b.yaml", &ok)]), &[]);
}

#[test]
fn sp009_video_code_read_as_comment() {
    let post = "posts:\n  p:\n    advertiser: acme_us\n    video_code: #AbCdEf0123456789\n    authorized_on: \"2026-11-20\"\n";
    expect(
        run(&[("a.yaml", &with_head(post))]),
        &[("SP009", "a.yaml", 8)],
    );
    let ok = post.replace("#AbCdEf0123456789", "\"#AbCdEf0123456789\"  # quoted");
    expect(run(&[("a.yaml", &with_head(&ok))]), &[]);
}

#[test]
fn sp010_malformed_video_code() {
    let post = "posts:\n  p:\n    advertiser: acme_us\n    video_code: \"#short\"\n    authorized_on: \"2026-11-20\"\n";
    expect(
        run(&[("a.yaml", &with_head(post))]),
        &[("SP010", "a.yaml", 8)],
    );
    let ok = post.replace("#short", "#exactly8");
    expect(run(&[("a.yaml", &with_head(&ok))]), &[]);
}

#[test]
fn sp011_invalid_date_and_order() {
    let post = "posts:\n  p:\n    advertiser: acme_us\n    video_code: \"#AbCdEf0123456789\"\n    authorized_on: \"2026-02-29\"\n";
    expect(
        run(&[("a.yaml", &with_head(post))]),
        &[("SP011", "a.yaml", 9)],
    );
    let ok = post.replace("2026-02-29", "2024-02-29");
    let got = run(&[("a.yaml", &with_head(&ok))]);
    assert!(got.iter().all(|(c, _, _)| c != "SP011"), "{got:?}");
    let camp = "campaigns:\n  c:\n    advertiser: acme_us\n    type: smart_plus\n    objective: web_conversions\n    sales_destination: website\n    budget: { mode: daily, amount: 50 }\n    ad_groups:\n      g:\n        schedule: { start: \"2026-12-10\", end: \"2026-12-01\" }\n        locations: [US]\n        optimization_goal: click\n        bid_type: no_bid\n";
    expect(
        run(&[("a.yaml", &with_head(camp))]),
        &[("SP011", "a.yaml", 14)],
    );
    let ok = camp.replace("2026-12-01", "2026-12-10");
    expect(run(&[("a.yaml", &with_head(&ok))]), &[]);
}

#[test]
fn sp012_invalid_id() {
    let text = "sparkplan: 1\nadvertisers:\n  acme_us:\n    advertiser_id: 7000000000000000001\n";
    expect(run(&[("a.yaml", text)]), &[("SP012", "a.yaml", 4)]);
    let text = "sparkplan: 1\nadvertisers:\n  acme_us:\n    advertiser_id: \"70000-1\"\n";
    expect(run(&[("a.yaml", text)]), &[("SP012", "a.yaml", 4)]);
    expect(run(&[("a.yaml", HEAD)]), &[]);
}

#[test]
fn sp013_input_refused() {
    let mut laughs = String::from("sparkplan: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        laughs.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    let got = run(&[("a.yaml", &laughs)]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "SP013");
    let deep = format!("sparkplan: 1\nx: {}\n", "[".repeat(100_000));
    expect(run(&[("a.yaml", &deep)]), &[("SP013", "a.yaml", 2)]);
    // Close miss: a few aliases are fine (and an unknown key is the only problem).
    let ok =
        "sparkplan: 1\nadvertisers:\n  acme_us: &a\n    advertiser_id: \"7000000000000000001\"\n";
    expect(run(&[("a.yaml", ok)]), &[]);
}

#[test]
fn bom_and_crlf_report_exact_lines() {
    let text = "\u{feff}sparkplan: 1\r\nadvertisers:\r\n  acme_us:\r\n    advertiser_id: \"7000000000000000001\"\r\n    timezon: UTC\r\n";
    expect(run(&[("a.yaml", text)]), &[("SP003", "a.yaml", 5)]);
}

#[test]
fn invalid_utf8_binary_and_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bin.yaml"),
        [0x73, 0x70, 0xff, 0xfe, 0x00, 0x01],
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.yaml"), "").unwrap();
    std::fs::write(dir.path().join("comments.yaml"), "# nothing here\n").unwrap();
    std::fs::write(dir.path().join("nul.yaml"), "sparkplan: 1\n\0\n").unwrap();
    let opts = CheckOptions {
        today: Date::parse("2026-11-29").unwrap().into(),
        config: Config::default(),
    };
    let paths: Vec<PathBuf> = ["bin.yaml", "empty.yaml", "comments.yaml", "nul.yaml"]
        .iter()
        .map(|f| dir.path().join(f))
        .collect();
    let report = check(&paths, &opts).unwrap();
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["SP013", "SP006", "SP006", "SP013"]);
}
