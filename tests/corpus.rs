//! The generated benchmark corpus (`bench/gen_corpus.rs`) is a valid
//! workspace: checked with `--today 2026-11-29` it has no errors, and its only
//! diagnostics are SP402 (9,000 or more Spark Ads in one advertiser).
//!
//! SP402 itself is a domain rule: until it is registered with its check in `rules::REGISTRY`
//! the full corpus must be entirely clean; once it is registered, exactly one
//! SP402 per 10,000-ad advertiser is required.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "in a test, a panic with the value is the failure report"
)]

#[path = "../bench/support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};

use sparkplan::check::{CheckOptions, Report, check};
use sparkplan::config::Config;
use sparkplan::model::{Date, IdentityType};

fn check_dir(dir: &Path) -> Report {
    let opts = CheckOptions {
        today: Date::parse("2026-11-29").unwrap().into(),
        config: Config::default(),
    };
    check(&[dir.to_path_buf()], &opts).unwrap()
}

/// Counts (Spark, non-Spark) creatives in the decoded model, independently of
/// the generator's own bookkeeping.
fn count_creatives(r: &Report) -> (usize, usize) {
    let ws = &r.workspace;
    let (mut spark, mut non_spark) = (0, 0);
    for def in ws.campaigns.values() {
        for (_, g) in def.value.ad_groups.iter().flat_map(|n| n.iter()) {
            for (_, ad) in g.ads.iter().flat_map(|n| n.iter()) {
                assert!(
                    (1..=50).contains(&ad.creatives.value.len()),
                    "an ad has {} creatives",
                    ad.creatives.value.len()
                );
                for c in &ad.creatives.value {
                    let custom = c.identity.as_ref().is_some_and(|i| {
                        ws.identities[&i.value.0].value.r#type.value == IdentityType::Custom
                    });
                    if custom {
                        non_spark += 1;
                    } else {
                        spark += 1;
                    }
                }
            }
        }
    }
    (spark, non_spark)
}

fn sp402_registered() -> bool {
    sparkplan::rules::REGISTRY
        .iter()
        .any(|r| r.check.is_some() && r.meta.code == "SP402")
}

fn summary(r: &Report) -> Vec<String> {
    r.diagnostics
        .iter()
        .map(|d| format!("{} {}: {}", d.code(), d.severity.as_str(), d.message))
        .collect()
}

#[test]
fn small_multi_advertiser_corpus_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let opts = corpus::Options {
        ads: 240,
        files: 12,
        scale: 2,
    };
    let stats = corpus::generate(dir.path(), &opts).unwrap();
    // Per advertiser: accounts, media, brand posts, 1 code-post file, 12 campaigns.
    assert_eq!(stats.files, 2 * (3 + 1 + 12));
    assert_eq!(stats.spark_ads, 480);
    assert_eq!(stats.code_posts, 240);
    let r = check_dir(dir.path());
    assert_eq!(r.workspace.manifest_count, stats.files);
    assert_eq!(summary(&r), Vec::<String>::new());
    assert_eq!(r.workspace.advertisers.len(), 2);
    assert_eq!(r.workspace.campaigns.len(), 24);
    // 120 code posts and 20 brand posts per advertiser.
    assert_eq!(r.workspace.posts.len(), 2 * (120 + 20));
    // Every tenth campaign (0 and 10) has one non-Spark creative.
    assert_eq!(count_creatives(&r), (480, 4));
}

#[test]
fn full_corpus_has_only_sp402() {
    let dir = tempfile::tempdir().unwrap();
    let stats = corpus::generate(dir.path(), &corpus::Options::default()).unwrap();
    assert_eq!(stats.files, 3 + 20 + 500);
    assert_eq!(stats.spark_ads, 10_000);
    assert_eq!(stats.code_posts, 5_000);
    let r = check_dir(dir.path());
    assert_eq!(r.workspace.manifest_count, 523);
    assert_eq!(r.workspace.campaigns.len(), 500);
    assert_eq!(r.workspace.posts.len(), 5_000 + 20);
    assert_eq!(count_creatives(&r), (10_000, 50));
    assert!(!r.has_errors(), "{:#?}", summary(&r));
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code()).collect();
    if sp402_registered() {
        assert_eq!(codes, ["SP402"], "{:#?}", summary(&r));
    } else {
        assert_eq!(codes, Vec::<&str>::new(), "{:#?}", summary(&r));
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn generator_is_deterministic() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let opts = corpus::Options {
        ads: 300,
        files: 30,
        scale: 3,
    };
    corpus::generate(a.path(), &opts).unwrap();
    corpus::generate(b.path(), &opts).unwrap();
    let (fa, fb) = (files_under(a.path()), files_under(b.path()));
    assert_eq!(fa, fb);
    assert_eq!(fa.len(), 3 * (3 + 1 + 30));
    for f in fa {
        assert_eq!(
            std::fs::read(a.path().join(&f)).unwrap(),
            std::fs::read(b.path().join(&f)).unwrap(),
            "{}",
            f.display()
        );
    }
}

#[test]
fn thousands_of_missing_references_stay_fast_and_deterministic() {
    // Rename every code post (`acme_pNNNNN` -> `acme_qNNNNN`): each of the
    // 7,600 pull creatives that used one now misses. "Did you mean" is
    // computed once per missing name and within a fixed budget, so this
    // takes well under a second in release (it took 15 s before).
    let dir = tempfile::tempdir().unwrap();
    corpus::generate(dir.path(), &corpus::Options::default()).unwrap();
    let posts = dir.path().join("acme/posts");
    for e in std::fs::read_dir(&posts).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replace("\n  acme_p", "\n  acme_q")).unwrap();
    }
    let r = check_dir(dir.path());
    let sp008 = r.diagnostics.iter().filter(|d| d.code() == "SP008").count();
    assert_eq!(sp008, 7_600);
    // Sorted by file: `acme/campaigns/c_0000.yaml` holds the first miss.
    let first = r.diagnostics.iter().find(|d| d.code() == "SP008").unwrap();
    assert_eq!(first.message, "undefined post `acme_p00000`");
    assert_eq!(first.help.as_deref(), Some("did you mean `acme_q00000`?"));
    // Past the budget, no suggestion but the list of defined posts.
    let last = r.diagnostics.iter().rfind(|d| d.code() == "SP008").unwrap();
    assert_eq!(last.help, None);
    assert!(last.notes[0].starts_with("defined posts: `acme_brand_00`"));
    let again = check_dir(dir.path());
    assert_eq!(r.diagnostics, again.diagnostics);
}

#[test]
fn the_first_unreadable_file_in_order_is_reported() {
    // Files are parsed in parallel and merged in order: the error must be the
    // one a sequential read would hit first, whichever thread finishes first.
    use sparkplan::workspace::{Candidate, LoadError, LoadOptions, discover, load_files};
    let dir = tempfile::tempdir().unwrap();
    let opts = corpus::Options {
        ads: 400,
        files: 40,
        scale: 2,
    };
    corpus::generate(dir.path(), &opts).unwrap();
    let mut candidates = discover(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(candidates.len(), 2 * (3 + 1 + 40));
    let missing = |name: &str| Candidate {
        display: name.to_owned(),
        path: dir.path().join(name),
        explicit: false,
    };
    candidates.insert(70, missing("gone_b.yaml"));
    candidates.insert(30, missing("gone_a.yaml"));
    for _ in 0..5 {
        match load_files(&candidates, &LoadOptions::default()) {
            Err(LoadError::Read { path, .. }) => assert_eq!(path, "gone_a.yaml"),
            other => panic!(
                "expected a read error, got {:?}",
                other.map(|w| w.manifest_count)
            ),
        }
    }
    candidates.remove(30);
    candidates.remove(70);
    let ws = load_files(&candidates, &LoadOptions::default()).unwrap();
    assert_eq!(ws.manifest_count, 88);
    assert_eq!(ws.sources.len(), 88);
    // File ids follow the candidates' order.
    for (i, (id, f)) in ws.sources.files().enumerate() {
        assert_eq!(id.0 as usize, i);
        assert_eq!(f.path, candidates[i].display);
    }
    // From rayon threads (two loads at once): the same workspace.
    let load = || load_files(&candidates, &LoadOptions::default()).unwrap();
    let (a, b) = rayon::join(load, load);
    assert_eq!((a.manifest_count, b.manifest_count), (88, 88));
    assert_eq!(
        a.posts.keys().collect::<Vec<_>>(),
        ws.posts.keys().collect::<Vec<_>>()
    );
    assert_eq!(b.campaigns.len(), ws.campaigns.len());
}
