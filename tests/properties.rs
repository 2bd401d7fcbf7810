//! Property tests (proptest):
//! (a) generated valid workspaces pass `check` with no diagnostic at all and
//!     give byte-identical output on two runs;
//! (b) mutations of valid manifests never panic: `check` returns a report
//!     (never a load error for regular files), every label points inside its
//!     file, and every format renders.
//!
//! Failing cases are shrunk and printed; proptest's regression files are
//! kept out of git (`tests/properties.proptest-regressions` is ignored): copy
//! a minimal failing input into `tests/regressions/` instead.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use sparkplan::check::{CheckOptions, Report, check, check_workspace};
use sparkplan::config::Config;
use sparkplan::model::Date;
use sparkplan::render::{self, Format, RenderInput};
use sparkplan::workspace::{LoadOptions, load_bytes};

const TODAY: &str = "2026-11-29";
const AUTHORIZED_ON: &str = "2026-11-20";
const FORMATS: [Format; 5] = [
    Format::Human,
    Format::Json,
    Format::Github,
    Format::Sarif,
    Format::Gitlab,
];

fn options() -> CheckOptions {
    CheckOptions {
        today: Date::parse(TODAY).unwrap().into(),
        config: Config::default(),
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // 256 by default (CI); `PROPTEST_CASES=5000` for a longer run.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256),
        // Never write regression files into the source tree.
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    }
}

/// Every format rendered, in order.
fn render_all(report: &Report) -> Vec<String> {
    let input = RenderInput::new(
        &report.diagnostics,
        report.sources(),
        report.workspace.manifest_count,
    );
    FORMATS
        .iter()
        .map(|f| render::render(*f, &input, false))
        .collect()
}

/// Every label of every diagnostic lies inside its file, on character
/// boundaries (renderers and editors rely on it).
fn assert_spans_in_bounds(report: &Report) {
    for d in &report.diagnostics {
        for l in &d.labels {
            let file = report
                .sources()
                .get(l.span.file)
                .unwrap_or_else(|| panic!("{} points into an unknown file: {d:?}", d.code()));
            let (s, e) = (l.span.start as usize, l.span.end as usize);
            assert!(
                s <= e && e <= file.text.len(),
                "{} span out of bounds: {d:?}",
                d.code()
            );
            assert!(
                file.text.is_char_boundary(s) && file.text.is_char_boundary(e),
                "{} span inside a character: {d:?}",
                d.code()
            );
        }
    }
}

// ---------------------------------------------------------------------------
// (a) Generated valid workspaces
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct GenPost {
    /// 0 video, 1 photo (with music_id), 2 duet, 3 stitch (with original code).
    format: u8,
    code_suffix: String,
    caption: Option<String>,
    file: usize,
}

#[derive(Debug, Clone)]
struct GenCreative {
    push: bool,
    pick: usize,
    pick_identity: usize,
    ads_only: Option<bool>,
}

#[derive(Debug, Clone)]
struct GenAd {
    creatives: Vec<GenCreative>,
    texts: Vec<String>,
}

#[derive(Debug, Clone)]
struct GenGroup {
    start: i64,
    len: i64,
    /// 0 automatic, 1 [tiktok], 2 [tiktok, pangle], absent.
    placements: u8,
    group_budget: bool,
    ads: Vec<GenAd>,
}

#[derive(Debug, Clone)]
struct GenCampaign {
    objective: u8,
    groups: Vec<GenGroup>,
    file: usize,
}

#[derive(Debug, Clone)]
struct GenAdvertiser {
    /// Identities: `true` for business_center, `false` for linked_account.
    identities: Vec<bool>,
    posts: Vec<GenPost>,
    media: usize,
    campaigns: Vec<GenCampaign>,
    file: usize,
    quota: bool,
}

#[derive(Debug, Clone)]
struct GenWorkspace {
    advertisers: Vec<GenAdvertiser>,
    files: usize,
}

fn text_strategy() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 ,.!?'-]{0,60}"
}

fn post_strategy() -> impl Strategy<Value = GenPost> {
    (
        0u8..4,
        "[A-Za-z0-9+/]{4,16}=?",
        proptest::option::of(text_strategy()),
        0usize..3,
    )
        .prop_map(|(format, code_suffix, caption, file)| GenPost {
            format,
            code_suffix,
            caption,
            file,
        })
}

fn ad_strategy() -> impl Strategy<Value = GenAd> {
    (
        proptest::collection::vec(
            (
                any::<bool>(),
                0usize..8,
                0usize..8,
                proptest::option::of(any::<bool>()),
            )
                .prop_map(|(push, pick, pick_identity, ads_only)| GenCreative {
                    push,
                    pick,
                    pick_identity,
                    ads_only,
                }),
            1..4,
        ),
        proptest::collection::vec(text_strategy(), 1..4),
    )
        .prop_map(|(creatives, texts)| GenAd { creatives, texts })
}

fn group_strategy() -> impl Strategy<Value = GenGroup> {
    (
        0i64..200,
        0i64..60,
        0u8..4,
        any::<bool>(),
        proptest::collection::vec(ad_strategy(), 0..3),
    )
        .prop_map(|(start, len, placements, group_budget, ads)| GenGroup {
            start,
            len,
            placements,
            group_budget,
            ads,
        })
}

fn campaign_strategy() -> impl Strategy<Value = GenCampaign> {
    (
        0u8..3,
        proptest::collection::vec(group_strategy(), 0..3),
        0usize..3,
    )
        .prop_map(|(objective, groups, file)| GenCampaign {
            objective,
            groups,
            file,
        })
}

fn advertiser_strategy() -> impl Strategy<Value = GenAdvertiser> {
    (
        proptest::collection::vec(any::<bool>(), 0..3),
        proptest::collection::vec(post_strategy(), 1..5),
        0usize..3,
        proptest::collection::vec(campaign_strategy(), 0..3),
        0usize..3,
        any::<bool>(),
    )
        .prop_map(
            |(identities, posts, media, campaigns, file, quota)| GenAdvertiser {
                identities,
                posts,
                media,
                campaigns,
                file,
                quota,
            },
        )
}

fn workspace_strategy() -> impl Strategy<Value = GenWorkspace> {
    (
        proptest::collection::vec(advertiser_strategy(), 1..3),
        1usize..4,
    )
        .prop_map(|(advertisers, files)| GenWorkspace { advertisers, files })
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Renders the workspace as YAML files (name, text).
fn render_workspace(ws: &GenWorkspace) -> Vec<(String, String)> {
    // One buffer per (file, section).
    const SECTIONS: [&str; 5] = ["advertisers", "identities", "posts", "media", "campaigns"];
    let mut buf = vec![vec![String::new(); SECTIONS.len()]; ws.files];
    let start = Date::parse("2026-12-01").unwrap();
    for (a, adv) in ws.advertisers.iter().enumerate() {
        let f = adv.file % ws.files;
        let an = format!("adv_{a}");
        let b = &mut buf[f][0];
        writeln!(b, "  {an}:").unwrap();
        writeln!(b, "    advertiser_id: \"70000000000000000{a:02}\"").unwrap();
        if adv.quota {
            writeln!(b, "    smart_plus_campaign_quota: 1000").unwrap();
        }
        for (i, bc) in adv.identities.iter().enumerate() {
            let b = &mut buf[(f + i) % ws.files][1];
            writeln!(b, "  id_{a}_{i}:").unwrap();
            if *bc {
                writeln!(b, "    type: business_center").unwrap();
                writeln!(b, "    business_center_id: \"71000000000000000{a:02}\"").unwrap();
            } else {
                writeln!(b, "    type: linked_account").unwrap();
            }
            writeln!(b, "    advertiser: {an}").unwrap();
            writeln!(b, "    identity_id: \"690000000000000{a:02}{i:02}\"").unwrap();
        }
        for (p, post) in adv.posts.iter().enumerate() {
            let b = &mut buf[post.file % ws.files][2];
            writeln!(b, "  post_{a}_{p}:").unwrap();
            writeln!(b, "    advertiser: {an}").unwrap();
            writeln!(b, "    video_code: \"#Code{a}x{p}x{}\"", post.code_suffix).unwrap();
            match post.format {
                1 => {
                    writeln!(b, "    format: photo").unwrap();
                    writeln!(b, "    music_id: \"72000000000000000{p:02}\"").unwrap();
                }
                2 | 3 => {
                    let f = if post.format == 2 { "duet" } else { "stitch" };
                    writeln!(b, "    format: {f}").unwrap();
                    writeln!(
                        b,
                        "    original_video_code: \"#Orig{a}x{p}x{}\"",
                        post.code_suffix
                    )
                    .unwrap();
                }
                _ => {}
            }
            writeln!(b, "    authorized_on: \"{AUTHORIZED_ON}\"").unwrap();
            writeln!(b, "    authorization_days: 365").unwrap();
            writeln!(b, "    visibility: public").unwrap();
            if let Some(c) = &post.caption {
                writeln!(b, "    caption: {}", quoted(c)).unwrap();
            }
        }
        for m in 0..adv.media {
            let b = &mut buf[(f + m + 1) % ws.files][3];
            writeln!(b, "  media_{a}_{m}:").unwrap();
            writeln!(b, "    advertiser: {an}").unwrap();
            writeln!(b, "    video_id: \"v10033g50000media{a}x{m}\"").unwrap();
            writeln!(b, "    cover_image: \"tos-alisg-p-0051/cover{a}x{m}\"").unwrap();
        }
        for (c, camp) in adv.campaigns.iter().enumerate() {
            let b = &mut buf[camp.file % ws.files][4];
            writeln!(b, "  camp_{a}_{c}:").unwrap();
            writeln!(b, "    advertiser: {an}").unwrap();
            writeln!(b, "    type: smart_plus").unwrap();
            let objective = ["web_conversions", "app_promotion", "lead_generation"]
                [usize::from(camp.objective) % 3];
            writeln!(b, "    objective: {objective}").unwrap();
            // The fields each objective requires (SP407, SP409).
            let group_fields = match objective {
                "web_conversions" => {
                    writeln!(b, "    sales_destination: website").unwrap();
                    "        optimization_goal: convert\n        pixel_id: \"7500000000000000001\"\n        optimization_event: shopping\n        bid_type: no_bid\n"
                }
                "app_promotion" => {
                    writeln!(b, "    app_promotion_type: app_install").unwrap();
                    "        promotion_type: app_ios\n        app_id: \"7200000000000000001\"\n        optimization_goal: install\n        bid_type: no_bid\n"
                }
                _ => {
                    "        promotion_type: lead_generation\n        promotion_target_type: external_website\n        optimization_goal: lead_generation\n        bid_type: no_bid\n"
                }
            };
            // Budgets on the campaign, or (when any group asks for one) on
            // every ad group: never both (SP411, SP412).
            let group_budgets = camp.groups.iter().any(|g| g.group_budget);
            if !group_budgets {
                writeln!(b, "    budget: {{ mode: daily, amount: 100 }}").unwrap();
            }
            if camp.groups.is_empty() {
                continue;
            }
            writeln!(b, "    ad_groups:").unwrap();
            for (g, group) in camp.groups.iter().enumerate() {
                let s = start.add_days(group.start);
                let e = s.add_days(group.len);
                writeln!(b, "      group_{g}:").unwrap();
                writeln!(b, "        schedule: {{ start: \"{s}\", end: \"{e}\" }}").unwrap();
                match group.placements {
                    0 => writeln!(b, "        placements: automatic").unwrap(),
                    1 => writeln!(b, "        placements: [tiktok]").unwrap(),
                    2 => writeln!(b, "        placements: [tiktok, pangle]").unwrap(),
                    _ => {}
                }
                writeln!(b, "        locations: [US]").unwrap();
                b.push_str(group_fields);
                if group_budgets {
                    writeln!(b, "        budget: {{ mode: lifetime, amount: 1000.5 }}").unwrap();
                }
                if group.ads.is_empty() {
                    continue;
                }
                writeln!(b, "        ads:").unwrap();
                for (d, ad) in group.ads.iter().enumerate() {
                    writeln!(b, "          ad_{d}:").unwrap();
                    writeln!(b, "            creatives:").unwrap();
                    let mut any_push = false;
                    for cr in &ad.creatives {
                        let push = cr.push && adv.media > 0 && !adv.identities.is_empty();
                        if push {
                            any_push = true;
                            writeln!(
                                b,
                                "              - media: media_{a}_{}",
                                cr.pick % adv.media
                            )
                            .unwrap();
                            writeln!(
                                b,
                                "                identity: id_{a}_{}",
                                cr.pick_identity % adv.identities.len()
                            )
                            .unwrap();
                            if let Some(o) = cr.ads_only {
                                writeln!(b, "                ads_only: {o}").unwrap();
                            }
                        } else {
                            writeln!(
                                b,
                                "              - post: post_{a}_{}",
                                cr.pick % adv.posts.len()
                            )
                            .unwrap();
                        }
                    }
                    if any_push {
                        let texts: Vec<String> = ad.texts.iter().map(|t| quoted(t)).collect();
                        writeln!(b, "            ad_texts: [{}]", texts.join(", ")).unwrap();
                    }
                    writeln!(
                        b,
                        "            call_to_action_portfolio: \"74000000000000000{d:02}\""
                    )
                    .unwrap();
                    writeln!(
                        b,
                        "            landing_page_url: \"https://example.com/{a}/{c}/{g}/{d}\""
                    )
                    .unwrap();
                }
            }
        }
    }
    buf.into_iter()
        .enumerate()
        .map(|(i, sections)| {
            let mut text = String::from("sparkplan: 1\n");
            for (name, body) in SECTIONS.iter().zip(sections) {
                if !body.is_empty() {
                    text.push_str(name);
                    text.push_str(":\n");
                    text.push_str(&body);
                }
            }
            (format!("file_{i}.yaml"), text)
        })
        .collect()
}

fn write_files(dir: &Path, files: &[(String, String)]) {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn dump(files: &[(String, String)]) -> String {
    files.iter().map(|(n, t)| format!("--- {n}\n{t}")).collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_valid_workspaces_are_clean_and_deterministic(ws in workspace_strategy()) {
        let files = render_workspace(&ws);
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), &files);
        let paths = [dir.path().to_path_buf()];
        let first = check(&paths, &options()).unwrap();
        let rendered = render_all(&first);
        prop_assert!(
            first.diagnostics.is_empty(),
            "diagnostics on a valid workspace:\n{}\n{}",
            rendered[0],
            dump(&files)
        );
        prop_assert_eq!(first.workspace.manifest_count, files.len());
        let second = check(&paths, &options()).unwrap();
        prop_assert_eq!(&rendered, &render_all(&second));
        // PLAN: when the plan module lands, build and render the plan of
        // `first` and `second` here and compare the outputs byte for byte.
    }
}

// ---------------------------------------------------------------------------
// (b) Mutations of valid manifests
// ---------------------------------------------------------------------------

/// The example workspace's files, in memory (relative name, text).
fn acme() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let mut out = Vec::new();
    let mut todo = vec![root.clone()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                let name = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the line `n`.
    DropLine(usize),
    /// Repeat the line `n`.
    DuplicateLine(usize),
    /// Replace the value after the `:` on line `n`.
    ReplaceValue(usize, &'static str),
    /// Insert text at byte `n` (moved back to a character boundary).
    Insert(usize, String),
    /// Keep only the first `n` bytes (possibly splitting a character).
    Truncate(usize),
    /// Flip one byte (possibly making the file invalid UTF-8).
    FlipByte(usize, u8),
    /// Change the indentation of line `n` by -2..=2 spaces.
    Reindent(usize, i8),
}

const VALUES: &[&str] = &[
    "",
    "~",
    "null",
    "yes",
    "true",
    "0",
    "-1",
    "45",
    "4294967296",
    "99999999999999999999999",
    "1e309",
    ".nan",
    "\"\"",
    "\"#\"",
    "\"2026-13-45\"",
    "\"0000-01-01\"",
    "\"9999-12-31\"",
    "2026-11-20",
    "[]",
    "{}",
    "[1, [2, {a: 3}]]",
    "{ a: 1, a: 2 }",
    "&x [1, 2]",
    "*x",
    "*undefined",
    "!!binary aGVsbG8=",
    "!custom 1",
    "|\n  block\n  text",
    "\"\\u0000\"",
    "\"\\uD800\"",
    "\"😀 emoji\"",
    "'it''s'",
    "#comment",
    "\"#AbCdEf0123456789\"",
    "acme_us",
    "jane_unboxing",
    "holiday_cut",
    "[jane_unboxing, acme_us]",
    "{ post: jane_unboxing, media: holiday_cut }",
];

const INSERTS: &[&str] = &[
    "\0",
    "\t",
    "\r",
    "\n",
    "\u{feff}",
    "\u{7f}",
    "\u{1b}[31m",
    "\u{200b}",
    "é",
    "😀",
    "\u{10ffff}",
    ":",
    "- ",
    "? ",
    "{",
    "[",
    "]",
    "}",
    "&a ",
    "*a",
    "\"",
    "'",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "!!str ",
    "<<: *a\n",
    ",",
    "|",
    ">",
    "@",
    "`",
];

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DropLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), proptest::sample::select(VALUES))
            .prop_map(|(n, v)| Mutation::ReplaceValue(n, v)),
        (
            any::<usize>(),
            prop_oneof![
                proptest::sample::select(INSERTS).prop_map(str::to_owned),
                any::<char>().prop_map(String::from),
                "\\PC{1,4}",
            ]
        )
            .prop_map(|(n, s)| Mutation::Insert(n, s)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(n, b)| Mutation::FlipByte(n, b)),
        (any::<usize>(), -2i8..=2).prop_map(|(n, d)| Mutation::Reindent(n, d)),
    ]
}

fn apply(text: &str, m: &Mutation) -> Vec<u8> {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let nl = lines.len();
    match m {
        Mutation::DropLine(n) => {
            lines.remove(n % nl);
        }
        Mutation::DuplicateLine(n) => {
            let l = lines[n % nl].clone();
            lines.insert(n % nl, l);
        }
        Mutation::ReplaceValue(n, v) => {
            let l = &mut lines[n % nl];
            if let Some(i) = l.find(": ").or_else(|| l.find(":\n")) {
                let eol = if l.ends_with('\n') { "\n" } else { "" };
                *l = format!("{}: {v}{eol}", &l[..i]);
            }
        }
        Mutation::Reindent(n, d) => {
            let l = &mut lines[n % nl];
            if *d > 0 {
                *l = format!("{}{l}", " ".repeat(*d as usize));
            } else {
                let k = l.len() - l.trim_start_matches(' ').len();
                let cut = k.min(d.unsigned_abs() as usize);
                *l = l[cut..].to_owned();
            }
        }
        Mutation::Insert(..) | Mutation::Truncate(_) | Mutation::FlipByte(..) => {}
    }
    let mut bytes = lines.concat().into_bytes();
    match m {
        Mutation::Insert(n, s) => {
            let text = String::from_utf8(bytes).unwrap();
            let mut at = n % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            bytes = format!("{}{s}{}", &text[..at], &text[at..]).into_bytes();
        }
        Mutation::Truncate(n) => bytes.truncate(n % (bytes.len() + 1)),
        Mutation::FlipByte(n, b) if !bytes.is_empty() => {
            let i = n % bytes.len();
            bytes[i] ^= b | 1;
        }
        _ => {}
    }
    bytes
}

fn mutated_workspace_strategy()
-> impl Strategy<Value = (Vec<(String, String)>, usize, Vec<Mutation>)> {
    let files = acme();
    let n = files.len();
    (
        prop_oneof![
            Just(files),
            workspace_strategy().prop_map(|w| render_workspace(&w))
        ],
        0..n.max(3),
        proptest::collection::vec(mutation_strategy(), 1..4),
    )
}

/// Checks one in-memory file and renders every format: must not panic.
fn check_bytes(name: &str, bytes: &[u8]) -> Report {
    let opts = options();
    let ws = load_bytes(
        name,
        bytes,
        &LoadOptions {
            limits: opts.config.limits,
        },
    );
    check_workspace(ws, &opts)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_manifests_never_panic((files, which, mutations) in mutated_workspace_strategy()) {
        let which = which % files.len();
        let mut bytes = files[which].1.clone().into_bytes();
        for m in &mutations {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            bytes = apply(&text, m);
        }
        // The mutated file alone, in memory.
        let report = check_bytes(&files[which].0, &bytes);
        assert_spans_in_bounds(&report);
        let _ = render_all(&report);
        // The mutated file among the others, on disk: `check` returns a
        // report (exit 0 or 1), never a load error (exit 2).
        let dir = tempfile::tempdir().unwrap();
        for (i, (name, text)) in files.iter().enumerate() {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            if i == which {
                std::fs::write(&p, &bytes).unwrap();
            } else {
                std::fs::write(&p, text).unwrap();
            }
        }
        // A report (exit 0 or 1), or, when the mutation destroyed every
        // manifest's header and sections, "no manifest found" (exit 2).
        let report = check(&[dir.path().to_path_buf()], &options());
        prop_assert!(
            matches!(report, Ok(_) | Err(sparkplan::workspace::LoadError::NoManifests { .. })),
            "{:?}",
            report.err()
        );
        if let Ok(report) = report {
            assert_spans_in_bounds(&report);
            let _ = render_all(&report);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let report = check_bytes("any.yaml", &bytes);
        assert_spans_in_bounds(&report);
        let _ = render_all(&report);
    }

    #[test]
    fn arbitrary_yamlish_text_never_panics(text in "(sparkplan: 1\n)?[ a-z_:\\-\\[\\]{},#&*!|>'\"\n0-9]{0,300}") {
        let report = check_bytes("any.yaml", text.as_bytes());
        assert_spans_in_bounds(&report);
        let _ = render_all(&report);
    }
}
