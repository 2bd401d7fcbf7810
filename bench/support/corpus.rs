//! A deterministic generator of large, valid sparkplan workspaces, for the
//! benchmark (`bench/gen_corpus.rs`, `bench/run.sh`) and the scale test
//! (`tests/corpus.rs`). Both include this file with `#[path]`, so it is not
//! part of the library.
//!
//! No randomness: every name, ID, date and shape is a function of the
//! indices, so the same options always write byte-identical files.
//!
//! Per advertiser (one at `scale` 1, `scale` of them otherwise), with the
//! defaults `ads = 10_000`, `files = 500`:
//! - `accounts.yaml`: the advertiser (Smart+ quota 1000), a linked account,
//!   eight Business Center creator accounts and a custom identity;
//! - `media.yaml`: `ads / 50` media items for push creatives;
//! - `posts/brand.yaml`: 20 posts of the linked account (`identity` + `item_id`);
//! - `posts/codes_NN.yaml`: `ads / 2` code posts over `files / 25` files,
//!   365-day authorizations starting 2026-11-01..28, some duets (with
//!   `original_video_code`), photo posts (with `music_id`) and private
//!   ads-only posts;
//! - `campaigns/c_NNNN.yaml`: `files` Smart+ campaigns holding `ads` Spark
//!   creatives in ads of at most 31, in ad groups scheduled inside every
//!   authorization window, with a CTA portfolio on TikTok placement and
//!   `ad_texts` exactly where a push creative is used; every tenth campaign
//!   also has an off-TikTok ad group with one non-Spark creative.
//!
//! Checked with `--today 2026-11-29`, the only diagnostic expected is SP402
//! (9,000 or more Spark Ads) once per advertiser that has 9,000 or more.

use std::fmt::Write as _;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Spark creatives ("Spark Ads") per advertiser.
    pub ads: usize,
    /// Campaign files per advertiser.
    pub files: usize,
    /// Number of advertisers, each a full copy at its own names and IDs.
    pub scale: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ads: 10_000,
            files: 500,
            scale: 1,
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Advertisers.
    pub advertisers: usize,
    /// YAML files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Spark creatives (pull and push), over all advertisers.
    pub spark_ads: usize,
    /// Non-Spark creatives (custom identity, off TikTok).
    pub non_spark: usize,
    /// Code posts.
    pub code_posts: usize,
    /// Campaigns.
    pub campaigns: usize,
    /// Ads.
    pub ad_count: usize,
}

/// Number of Business Center creator identities per advertiser.
const CREATORS: usize = 8;
/// Linked-account posts per advertiser.
const BRAND_POSTS: usize = 20;
/// The most creatives in one ad (TikTok's limit).
const MAX_CREATIVES: usize = sparkplan::api::fields::MAX_CREATIVES;
/// Ad sizes, cycled while a campaign's creatives are split into ads.
const AD_SIZES: [usize; 5] = [8, 5, 4, 2, 1];

/// The day in November 2026 a post's code was generated (1..=28): before
/// "today" (2026-11-29), so no SP207; its 365-day window ends 2027-10-31 at
/// the earliest, after every ad group's end (SP203).
fn authorized_day(post: usize) -> usize {
    1 + post % 28
}

/// Ad group flights: start 2026-12-01 + (0..30) days, 91 days long; the
/// last ends on 2027-04-30 (well inside every authorization; no SP204).
fn flight(campaign: usize, group: usize) -> (String, String) {
    // The library's own calendar arithmetic: one implementation of dates.
    let Some(base) = sparkplan::model::Date::parse("2026-12-01") else {
        unreachable!("a valid literal date")
    };
    let start = base.add_days(((campaign * 7 + group * 3) % 30) as i64);
    (start.to_string(), start.add_days(90).to_string())
}

/// A base64-like code, unique per (advertiser, kind, index), 24 characters
/// after `#`.
fn video_code(adv: usize, kind: char, i: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // A fixed mixing of the index (an LCG step), so codes do not look sequential.
    let mut x = (i as u64)
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    let mut tail = String::new();
    for _ in 0..10 {
        tail.push(ALPHABET[(x >> 58) as usize] as char);
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    }
    format!("#{kind}{adv:03}x{i:07}{tail}=")
}

struct Writer<'a> {
    root: &'a Path,
    stats: Stats,
}

impl Writer<'_> {
    fn write(&mut self, rel: &str, text: &str) -> std::io::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, text)?;
        self.stats.files += 1;
        self.stats.bytes += text.len() as u64;
        Ok(())
    }
}

/// Writes the workspace into `out` (created if missing). Existing files of
/// the same names are overwritten; nothing else in `out` is touched.
pub fn generate(out: &Path, opts: &Options) -> std::io::Result<Stats> {
    let mut w = Writer {
        root: out,
        stats: Stats::default(),
    };
    for adv in 0..opts.scale.max(1) {
        advertiser(&mut w, adv, opts)?;
        w.stats.advertisers += 1;
    }
    Ok(w.stats)
}

/// Writing into a `String` cannot fail; this keeps `write!` calls terse.
macro_rules! w {
    ($s:expr, $($arg:tt)*) => {{ let _ = writeln!($s, $($arg)*); }};
}

fn advertiser(w: &mut Writer<'_>, adv: usize, opts: &Options) -> std::io::Result<()> {
    let a = if adv == 0 {
        "acme".to_owned()
    } else {
        format!("acme{}", adv + 1)
    };
    let dir = a.as_str();
    let ads = opts.ads.max(1);
    let files = opts.files.max(1);
    let media_count = (ads / 50).max(4);
    let post_count = (ads / 2).max(2);
    let post_files = (files / 25).max(1);
    let header = "# yaml-language-server: $schema=../../schema/sparkplan.schema.json";

    // accounts.yaml
    let mut s = String::with_capacity(4096);
    w!(s, "{header}");
    w!(
        s,
        "# Generated by bench/gen_corpus.rs: advertiser `{a}` and its identities."
    );
    w!(s, "sparkplan: 1\n\nadvertisers:\n  {a}:");
    w!(s, "    advertiser_id: \"7{:018}\"", adv + 1);
    w!(s, "    business_center_id: \"71{:017}\"", adv + 1);
    w!(
        s,
        "    timezone: America/New_York\n    smart_plus_campaign_quota: 1000\n"
    );
    w!(s, "identities:\n  {a}_brand:");
    w!(
        s,
        "    type: linked_account          # the brand's own account (TT_USER)"
    );
    w!(
        s,
        "    advertiser: {a}\n    identity_id: \"69{:08}{:09}\"",
        adv + 1,
        0
    );
    w!(s, "    handle: \"@{a}\"");
    for c in 0..CREATORS {
        w!(s, "  {a}_creator_{c}:");
        w!(
            s,
            "    type: business_center         # creator via Business Center (BC_AUTH_TT)"
        );
        w!(
            s,
            "    advertiser: {a}\n    identity_id: \"69{:08}{:09}\"",
            adv + 1,
            c + 1
        );
        w!(s, "    business_center_id: \"71{:017}\"", adv + 1);
        w!(s, "    handle: \"@creator{c}.{a}\"");
    }
    w!(
        s,
        "  {a}_custom:\n    type: custom                  # non-Spark creatives only"
    );
    w!(
        s,
        "    advertiser: {a}\n    identity_id: \"69{:08}{:09}\"",
        adv + 1,
        999
    );
    w!(s, "    display_name: Acme");
    w.write(&format!("{dir}/accounts.yaml"), &s)?;

    // media.yaml
    let mut s = String::with_capacity(media_count * 140);
    w!(s, "{header}\nsparkplan: 1\n\nmedia:");
    for m in 0..media_count {
        w!(s, "  {a}_m{m:04}:\n    advertiser: {a}");
        w!(s, "    video_id: \"v10033g5{adv:04}{m:020}\"");
        w!(s, "    cover_image: \"tos-alisg-p-0051/{a}{m:06}\"");
    }
    w.write(&format!("{dir}/media.yaml"), &s)?;

    // posts/brand.yaml
    let mut s = String::with_capacity(BRAND_POSTS * 120);
    w!(
        s,
        "{header}\n# Posts of the linked account: no code needed.\nsparkplan: 1\n\nposts:"
    );
    for b in 0..BRAND_POSTS {
        w!(s, "  {a}_brand_{b:02}:\n    identity: {a}_brand");
        w!(s, "    item_id: \"73{:08}{b:09}\"", adv + 1);
        w!(s, "    caption: \"Brand post {b}\"");
    }
    w.write(&format!("{dir}/posts/brand.yaml"), &s)?;

    // posts/codes_NN.yaml
    for f in 0..post_files {
        let lo = f * post_count / post_files;
        let hi = (f + 1) * post_count / post_files;
        let mut s = String::with_capacity((hi - lo) * 260);
        w!(
            s,
            "{header}\n# Creator posts authorized by video code (Spark pull).\nsparkplan: 1\n\nposts:"
        );
        for p in lo..hi {
            w!(s, "  {a}_p{p:05}:\n    advertiser: {a}");
            w!(s, "    video_code: \"{}\"", video_code(adv, 'V', p));
            match p % 40 {
                7 | 27 => {
                    w!(
                        s,
                        "    original_video_code: \"{}\"   # both creators authorize",
                        video_code(adv, 'O', p)
                    );
                    w!(
                        s,
                        "    format: {}",
                        if p % 40 == 7 { "duet" } else { "stitch" }
                    );
                }
                13 => {
                    w!(
                        s,
                        "    format: photo\n    music_id: \"72{:08}{p:09}\"",
                        adv + 1
                    );
                }
                _ => {}
            }
            w!(s, "    authorized_on: \"2026-11-{:02}\"", authorized_day(p));
            w!(s, "    authorization_days: 365");
            w!(
                s,
                "    caption: \"Creator post {p}: the Acme kettle, day {}\"",
                p % 365
            );
            if p % 30 == 11 {
                w!(
                    s,
                    "    visibility: private\n    ads_only: true               # stays off the profile"
                );
            }
        }
        w.write(&format!("{dir}/posts/codes_{f:02}.yaml"), &s)?;
        w.stats.code_posts += hi - lo;
    }

    // campaigns/c_NNNN.yaml
    let mut pull = 0usize; // next code post
    let mut slot = 0usize; // creative counter over the advertiser
    for c in 0..files {
        let n = ads / files + usize::from(c < ads % files);
        let objective = if c.is_multiple_of(10) {
            "web_conversions"
        } else {
            ["web_conversions", "app_promotion", "lead_generation"][c % 3]
        };
        let mut s = String::with_capacity(n * 60 + 1024);
        w!(s, "{header}\nsparkplan: 1\n\ncampaigns:\n  {a}_c{c:04}:");
        w!(
            s,
            "    advertiser: {a}\n    type: smart_plus\n    objective: {objective}"
        );
        // The fields each objective requires (SP407, SP409), the same in
        // every ad group: a campaign budget wants one goal across them.
        let group_fields = match objective {
            "web_conversions" => {
                w!(s, "    sales_destination: website");
                "        optimization_goal: convert\n        pixel_id: \"7500000000000000001\"\n        optimization_event: shopping\n        bid_type: no_bid"
            }
            "app_promotion" => {
                w!(s, "    app_promotion_type: app_install");
                "        promotion_type: app_android\n        app_id: \"7200000000000000001\"\n        optimization_goal: install\n        bid_type: no_bid"
            }
            _ => {
                "        promotion_type: lead_generation\n        promotion_target_type: instant_page\n        optimization_goal: lead_generation\n        bid_type: no_bid"
            }
        };
        w!(
            s,
            "    budget: {{ mode: daily, amount: {} }}",
            100 + (c % 9) * 50
        );
        w!(s, "    ad_groups:");
        w.stats.campaigns += 1;
        // Split the campaign's creatives into ads, then the ads over two groups.
        let mut sizes = Vec::new();
        let mut left = n;
        let mut t = c;
        while left > 0 {
            let k = AD_SIZES[t % AD_SIZES.len()].min(left).min(MAX_CREATIVES);
            sizes.push(k);
            left -= k;
            t += 1;
        }
        let groups = if sizes.len() > 1 { 2 } else { 1 };
        for g in 0..groups {
            let (start, end) = flight(c, g);
            w!(s, "      g{g}:");
            w!(
                s,
                "        schedule: {{ start: \"{start}\", end: \"{end}\" }}"
            );
            if g == 0 {
                w!(s, "        placements: automatic\n        locations: [US]");
            } else {
                w!(
                    s,
                    "        placements: [tiktok]\n        locations: [US, CA]"
                );
            }
            w!(s, "{group_fields}");
            w!(s, "        ads:");
            for (i, &k) in sizes.iter().enumerate().filter(|(i, _)| i % groups == g) {
                w!(s, "          ad{i:02}:\n            creatives:");
                let mut any_push = false;
                for _ in 0..k {
                    if slot % 5 == 4 {
                        // Spark push to a creator (or the brand) account.
                        let id = if slot.is_multiple_of(3) {
                            format!("{a}_brand")
                        } else {
                            format!("{a}_creator_{}", slot % CREATORS)
                        };
                        w!(s, "              - media: {a}_m{:04}", slot % media_count);
                        w!(s, "                identity: {id}");
                        if slot.is_multiple_of(2) {
                            w!(s, "                ads_only: true");
                        }
                        any_push = true;
                    } else if slot % 25 == 3 {
                        w!(
                            s,
                            "              - post: {a}_brand_{:02}",
                            slot % BRAND_POSTS
                        );
                    } else {
                        w!(s, "              - post: {a}_p{:05}", pull % post_count);
                        pull += 1;
                    }
                    slot += 1;
                }
                if any_push {
                    w!(
                        s,
                        "            ad_texts: [\"Every kettle, every tea\", \"Free shipping this season\"]"
                    );
                }
                w!(
                    s,
                    "            call_to_action_portfolio: \"74{:08}{:09}\"",
                    adv + 1,
                    c % 7
                );
                w!(
                    s,
                    "            landing_page_url: \"https://acme.example/kettles?c={c}\""
                );
                w.stats.ad_count += 1;
            }
        }
        if c.is_multiple_of(10) {
            // A non-Spark creative, off TikTok (no SP306), like the example workspace.
            w!(s, "      apps:");
            let (start, end) = flight(c, 2);
            w!(
                s,
                "        schedule: {{ start: \"{start}\", end: \"{end}\" }}"
            );
            w!(
                s,
                "        placements: [pangle, global_app_bundle]\n        locations: [US]"
            );
            w!(s, "{group_fields}");
            w!(
                s,
                "        ads:\n          network:\n            creatives:"
            );
            w!(
                s,
                "              - media: {a}_m{:04}\n                identity: {a}_custom",
                c % media_count
            );
            w!(s, "            ad_texts: [\"Every kettle, every tea\"]");
            w!(s, "            call_to_actions: [shop_now, learn_more]");
            w.stats.ad_count += 1;
            w.stats.non_spark += 1;
        }
        w.stats.spark_ads += n;
        w.write(&format!("{dir}/campaigns/c_{c:04}.yaml"), &s)?;
    }
    Ok(())
}
