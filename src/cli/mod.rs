//! The command line: argument parsing, configuration, rendering, exit codes.
//! This is the only module that writes to stdout/stderr.
#![expect(
    clippy::print_stderr,
    reason = "the CLI is the one module that writes to the terminal (stdout through its writers)"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::config::{self, Config, ConfigError, Level};
use crate::diag::{SourceMap, did_you_mean};
use crate::driver::check::{CheckOptions, check};
use crate::model::{Date, Today};
use crate::plan::{self, BaseSpec};
use crate::render::authz::AuthzFormat;
use crate::render::plan::PlanFormat;
use crate::render::{self, Format, RenderInput};
use crate::rules::registry;

pub mod supervise;

/// Exit code: no errors.
pub const EXIT_OK: u8 = 0;
/// Exit code: errors found (or warnings with `--deny-warnings`).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the tool could not run.
pub const EXIT_FAILURE: u8 = 2;

/// Compiler and validator for TikTok Spark Ads in Smart+ campaigns.
#[derive(Debug, Parser)]
#[command(name = "sparkplan", long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check manifests and report every problem.
    Check(CheckArgs),
    /// Check, then compile the manifests into the TikTok API calls that would create them.
    Plan(PlanArgs),
    /// List every video-code authorization: when it ends in its account's zone, days left,
    /// status and the enabled ads that use it.
    ///
    /// Exit 0, or 1 when the manifests have errors (unless `--ignore-errors`) or an enabled ad
    /// uses an authorization ending within `--fail-within` days; 2 when the tool could not run.
    Authorizations(AuthzArgs),
    /// Print the documentation of a rule.
    Explain {
        /// A rule code (`SP203`) or name (`schedule-past-authorization`).
        code: String,
    },
    /// Print the JSON Schema of a manifest file (for editors).
    Schema {
        /// Write the schema to FILE (atomically) instead of stdout.
        #[arg(long, short = 'o', value_name = "FILE")]
        output_file: Option<PathBuf>,
    },
    /// List every rule.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Create a new workspace: a commented sparkplan.toml, a manifest and the schema for editors.
    ///
    /// DIR must be new or empty (a `.git` folder alone is allowed); nothing that exists is
    /// ever overwritten.
    Init {
        /// The workspace folder (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Run the language server (LSP over stdin/stdout) for editors: every rule as you type,
    /// go to definition, references, rename, completion of names, hover. See docs/editors.md.
    Lsp,
    /// Print a shell completion script.
    ///
    /// bash: `sparkplan completions bash > ~/.local/share/bash-completion/completions/sparkplan`
    ///
    /// zsh: `sparkplan completions zsh > _sparkplan`, in a folder of `$fpath`
    ///
    /// fish: `sparkplan completions fish > ~/.config/fish/completions/sparkplan.fish`
    ///
    /// PowerShell: `sparkplan completions powershell | Out-String | Invoke-Expression` in `$PROFILE`
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `sparkplan manpage > sparkplan.1`.
    Manpage {
        /// Write one page per command into DIR instead (sparkplan.1, sparkplan-check.1, …).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Github,
    Sarif,
    Gitlab,
}

impl From<CheckFormat> for Format {
    fn from(f: CheckFormat) -> Self {
        match f {
            CheckFormat::Human => Format::Human,
            CheckFormat::Json => Format::Json,
            CheckFormat::Github => Format::Github,
            CheckFormat::Sarif => Format::Sarif,
            CheckFormat::Gitlab => Format::Gitlab,
        }
    }
}

/// Options shared by the commands that read a workspace.
#[derive(Debug, Args)]
struct WorkspaceArgs {
    /// Files or folders to read (default: `paths` from sparkplan.toml, else `.`).
    paths: Vec<PathBuf>,
    /// The date to check against, YYYY-MM-DD, for every advertiser (default:
    /// the current time, read as a date at each advertiser's UTC offset).
    #[arg(long, env = "SPARKPLAN_TODAY", value_name = "DATE")]
    today: Option<String>,
    /// The instant to check at instead of the clock, RFC 3339 (e.g.
    /// `2026-12-20T23:30:00Z`); each advertiser's today is its date at its
    /// offset. `--today` takes precedence.
    #[arg(long, env = "SPARKPLAN_NOW", value_name = "INSTANT")]
    now: Option<String>,
    /// Configuration file (default: sparkplan.toml in the workspace folder or a parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Report this rule as a warning (repeatable; code or name). `-W`, `-D` and `-A` apply in the
    /// order given: the last one for a rule wins.
    #[arg(long = "warn", short = 'W', value_name = "CODE")]
    warn: Vec<String>,
    /// Report this rule as an error (repeatable).
    #[arg(long = "deny", short = 'D', value_name = "CODE")]
    deny: Vec<String>,
    /// Do not report this rule (repeatable).
    #[arg(long = "allow", short = 'A', value_name = "CODE")]
    allow: Vec<String>,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// `--allow`, `--warn` and `--deny` in the order given on the command
    /// line (filled from clap's indices after parsing): a later one wins.
    #[arg(skip)]
    severity_order: Vec<(String, Level)>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    ws: WorkspaceArgs,
    /// Output format (default: `SPARKPLAN_FORMAT` when it names a check format, else `human`).
    #[arg(long, value_enum)]
    format: Option<CheckFormat>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Apply the safe fixes the diagnostics offer, rewrite each changed file atomically, check
    /// again and report what remains (exit code as `check` after fixing). What was fixed is
    /// listed on stderr.
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// With `--fix` or `--diff`: also apply the fixes that are guesses (e.g. the closest of
    /// several names). Review the result.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print a unified diff of what `--fix` would change, and write nothing (exit code as
    /// `check` on the files as they are).
    #[arg(long)]
    diff: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PlanFormatArg {
    Text,
    Json,
    Markdown,
}

impl From<PlanFormatArg> for PlanFormat {
    fn from(f: PlanFormatArg) -> Self {
        match f {
            PlanFormatArg::Text => PlanFormat::Text,
            PlanFormatArg::Json => PlanFormat::Json,
            PlanFormatArg::Markdown => PlanFormat::Markdown,
        }
    }
}

#[derive(Debug, Args)]
struct PlanArgs {
    #[command(flatten)]
    ws: WorkspaceArgs,
    /// The state to plan from: a git revision (the same paths as of that commit) or a folder.
    /// Without it, the plan creates everything from nothing.
    #[arg(long, value_name = "GITREF|DIR")]
    base: Option<std::ffi::OsString>,
    /// Output format (default: `SPARKPLAN_FORMAT` when it names a plan format, else `text`).
    #[arg(long, value_enum)]
    format: Option<PlanFormatArg>,
    /// Write the plan to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// `--format markdown`: the most bytes the comment may take (0: no limit). Past it,
    /// resources are left out whole and the comment says how many.
    #[arg(long, value_name = "BYTES", default_value_t = render::plan::DEFAULT_MAX_BYTES as u64,
          value_parser = max_bytes)]
    max_bytes: u64,
    /// Also write the complete plan as JSON to FILE (atomically): the artifact a markdown
    /// comment cut to `--max-bytes` points to.
    #[arg(long, value_name = "FILE")]
    json_output: Option<PathBuf>,
    /// With `--base`: allow more deletions than `[policy] max_deletes` in `sparkplan.toml` (SP652).
    #[arg(long)]
    allow_deletes: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AuthzFormatArg {
    Table,
    Json,
    Csv,
    Markdown,
    Ics,
}

impl From<AuthzFormatArg> for AuthzFormat {
    fn from(f: AuthzFormatArg) -> Self {
        match f {
            AuthzFormatArg::Table => AuthzFormat::Table,
            AuthzFormatArg::Json => AuthzFormat::Json,
            AuthzFormatArg::Csv => AuthzFormat::Csv,
            AuthzFormatArg::Markdown => AuthzFormat::Markdown,
            AuthzFormatArg::Ics => AuthzFormat::Ics,
        }
    }
}

#[derive(Debug, Args)]
struct AuthzArgs {
    #[command(flatten)]
    ws: WorkspaceArgs,
    /// Only list authorizations ending within DAYS days (days left below DAYS; an expired one
    /// while an enabled ad still uses it).
    #[arg(long, value_name = "DAYS")]
    within: Option<u32>,
    /// Exit 1 when an enabled ad uses an authorization ending within DAYS days (or ended).
    #[arg(long, value_name = "DAYS")]
    fail_within: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuthzFormatArg::Table)]
    format: AuthzFormatArg,
    /// List what could be read even when the manifests have errors (reported on stderr).
    #[arg(long)]
    ignore_errors: bool,
    /// Write the list to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output_file: Option<PathBuf>,
}

/// `--max-bytes`: 0 (no limit) or at least 4,096 (room for the heading).
fn max_bytes(v: &str) -> Result<u64, String> {
    let n: u64 = v
        .parse()
        .map_err(|_| format!("`{v}` is not a number of bytes"))?;
    if n != 0 && n < 4096 {
        return Err("must be 0 (no limit) or at least 4096".to_owned());
    }
    Ok(n)
}

/// Test-only: when set to `1`, the CLI panics deliberately after parsing its
/// arguments, so tests can prove that a panic is reported as an internal
/// error with exit code 2 and no backtrace. Not for users.
const PANIC_TEST_VAR: &str = "SPARKPLAN_INTERNAL_PANIC_TEST";

/// Test-only: when set to `1`, `-o FILE` stops after writing the temporary
/// file and before renaming it, until a line is read from stdin, so tests can
/// signal the process mid-write and prove the temporary file is removed. Not
/// for users.
const PAUSE_TEST_VAR: &str = "SPARKPLAN_INTERNAL_PAUSE_WRITE_TEST";

/// A failure that stops the run (exit 2).
struct Fatal(String);

/// Parses the arguments and runs; the process exit code.
pub fn main() -> ExitCode {
    install_panic_hook();
    // Files are decoded on rayon's threads (recursively, up to
    // `limits.max_depth` levels, at most 1,000): give them the main thread's
    // 8 MiB of stack instead of rayon's 2 MiB default, which a debug build
    // exhausts under 1,000 levels of `api:` nesting.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(8 << 20)
        .build_global();
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) => e.exit(),
    };
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Some((_, sub)) = matches.subcommand() {
        match &mut cli.command {
            Command::Check(a) => a.ws.severity_order = severity_order(sub),
            Command::Plan(a) => a.ws.severity_order = severity_order(sub),
            Command::Authorizations(a) => a.ws.severity_order = severity_order(sub),
            _ => {}
        }
    }
    match std::panic::catch_unwind(|| {
        // Test-only: proves the panic hook and exit code 2 (tests/cli_failures.rs).
        if std::env::var_os(PANIC_TEST_VAR).is_some_and(|v| v == "1") {
            panic!("deliberate panic requested by {PANIC_TEST_VAR}=1 (test-only)");
        }
        run(cli)
    }) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(Fatal(msg))) => {
            eprintln!("error: {msg}");
            ExitCode::from(EXIT_FAILURE)
        }
        Err(_) => ExitCode::from(EXIT_FAILURE),
    }
}

/// `-A`/`-W`/`-D` values in command-line order (clap keeps each option's
/// values apart; their indices give the order).
fn severity_order(m: &clap::ArgMatches) -> Vec<(String, Level)> {
    let mut all = Vec::new();
    for (id, level) in [
        ("allow", Level::Off),
        ("warn", Level::Warn),
        ("deny", Level::Error),
    ] {
        if let (Ok(Some(values)), Some(indices)) = (m.try_get_many::<String>(id), m.indices_of(id))
        {
            all.extend(indices.zip(values).map(|(i, v)| (i, v.clone(), level)));
        }
    }
    all.sort_by_key(|&(i, ..)| i);
    all.into_iter().map(|(_, v, l)| (v, l)).collect()
}

/// The build date recorded by build.rs: the day of `SOURCE_DATE_EPOCH` when
/// set, else of the git commit; empty when built from neither.
fn build_date() -> String {
    env!("SPARKPLAN_BUILD_EPOCH")
        .parse::<i64>()
        .ok()
        .and_then(|secs| Date::parse("1970-01-01").map(|d| d.add_days(secs.div_euclid(86_400))))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The version `--version` prints: the package version, then, when built from
/// git, the commit and its date (or the date of `SOURCE_DATE_EPOCH`), as
/// recorded by build.rs: `0.1.0 (0123456789ab 2026-12-02)`.
pub fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        let date = build_date();
        let extra: Vec<&str> = [env!("SPARKPLAN_GIT_COMMIT"), date.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if extra.is_empty() {
            env!("CARGO_PKG_VERSION").to_owned()
        } else {
            format!("{} ({})", env!("CARGO_PKG_VERSION"), extra.join(" "))
        }
    })
}

/// The command-line interface, with its version.
fn command() -> clap::Command {
    Cli::command().version(version())
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        let loc = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error in sparkplan {}: {msg}{loc}\n\
             This is a bug in sparkplan, not in your manifests. Please report it with the input that caused it:\n\
             https://github.com/sparkplan/sparkplan/issues",
            env!("CARGO_PKG_VERSION")
        );
    }));
}

fn run(cli: Cli) -> Result<u8, Fatal> {
    match cli.command {
        Command::Check(args) => run_check(args),
        // On a thread of the pool: the plan's sequential steps (ordering the
        // calls, assembling the plan, writing the printed windows) then take
        // part in its parallel ones instead of waiting on them, and reuse the
        // memory that thread freed while parsing: 5-10 ms of the 130 ms
        // plan of the 10,000-ad corpus (BENCHMARKS.md; no change for `check`).
        Command::Plan(args) => rayon::scope(|_| run_plan(args)),
        Command::Authorizations(args) => run_authorizations(args),
        Command::Explain { code } => run_explain(&code),
        Command::Rules { format } => run_rules(format),
        Command::Schema { output_file } => {
            emit(&crate::schema::schema_json(), output_file.as_deref())?;
            Ok(EXIT_OK)
        }
        Command::Init { dir } => run_init(dir.as_deref().unwrap_or(Path::new("."))),
        Command::Lsp => crate::lsp::run_stdio()
            .map(|()| EXIT_OK)
            .map_err(|e| Fatal(e.to_string())),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command(), "sparkplan", &mut out);
            emit(&String::from_utf8_lossy(&out), None)?;
            Ok(EXIT_OK)
        }
        Command::Manpage { dir } => run_manpage(dir.as_deref()),
    }
}

fn run_init(dir: &Path) -> Result<u8, Fatal> {
    let written = crate::init::create(dir).map_err(|e| Fatal(e.to_string()))?;
    let mut out = String::new();
    for rel in &written {
        out.push_str(&format!("created {}\n", dir.join(rel).display()));
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    out.push_str(&format!(
        "next: replace the IDs marked REPLACE in manifests/accounts.yaml, add posts and campaigns, then run `{cd}sparkplan check`\n"
    ));
    emit(&out, None)?;
    Ok(EXIT_OK)
}

/// [`color_enabled`] for stdout and stderr, which reach the terminal through
/// the supervisor's pipe when this process is its worker ([`supervise`]).
fn stdout_color_enabled(choice: ColorChoice) -> bool {
    color_enabled(choice, supervise::stdout_is_terminal())
}

/// See [`stdout_color_enabled`].
fn stderr_color_enabled(choice: ColorChoice) -> bool {
    color_enabled(choice, supervise::stderr_is_terminal())
}

/// Whether to colour output for a stream; `auto` honours `NO_COLOR` and
/// whether the stream is a terminal.
fn color_enabled(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal,
    }
}

/// Reports why the configuration could not be settled: exit 2, with the
/// located diagnostics of an invalid `sparkplan.toml` rendered in `format`.
fn settle_failed(
    err: SettleError,
    format: Format,
    sources: &SourceMap,
    color: bool,
) -> Result<u8, Fatal> {
    match err {
        SettleError::Fatal(f) => Err(f),
        SettleError::Config(ConfigError::Read(p, e)) => {
            Err(Fatal(format!("cannot read `{p}`: {e}")))
        }
        SettleError::Config(ConfigError::Invalid(diags)) => {
            emit(
                &render::render(format, &RenderInput::new(&diags, sources, 1), color),
                None,
            )?;
            Ok(EXIT_FAILURE)
        }
    }
}

/// Reads the configuration and settles paths, today and severities.
fn settle(
    args: &WorkspaceArgs,
    sources: &mut SourceMap,
) -> Result<(Config, Vec<PathBuf>, Today), SettleError> {
    let first = args
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let cfg_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => config::find(&first),
    };
    let mut cfg = match cfg_path {
        Some(p) => config::load(&p, sources).map_err(SettleError::Config)?,
        None => Config::default(),
    };
    // In command-line order: `-D SP204 -A SP204` allows, `-A SP204 -D SP204` denies.
    let order = if args.severity_order.is_empty() {
        let tagged =
            |v: &Vec<String>, l: Level| v.iter().map(move |c| (c.clone(), l)).collect::<Vec<_>>();
        [
            tagged(&args.allow, Level::Off),
            tagged(&args.warn, Level::Warn),
            tagged(&args.deny, Level::Error),
        ]
        .concat()
    } else {
        args.severity_order.clone()
    };
    for (codes, level) in &order {
        for code in codes.split(',') {
            cfg.severities
                .set(code.trim(), *level)
                .map_err(|e| SettleError::Fatal(Fatal(e)))?;
        }
    }
    let paths = if !args.paths.is_empty() {
        args.paths.clone()
    } else if !cfg.paths.is_empty() {
        cfg.paths.clone()
    } else {
        vec![PathBuf::from(".")]
    };
    let today = match (&args.today, &args.now) {
        (Some(t), _) => Today::Date(Date::parse(t.trim()).ok_or_else(|| {
            SettleError::Fatal(Fatal(format!("invalid --today `{t}`: expected YYYY-MM-DD")))
        })?),
        (None, Some(n)) => Today::At(n.trim().parse::<jiff::Timestamp>().map_err(|_| {
            SettleError::Fatal(Fatal(format!(
                "invalid --now `{n}`: expected an RFC 3339 instant such as 2026-12-20T23:30:00Z"
            )))
        })?),
        (None, None) => Today::now(),
    };
    Ok((cfg, paths, today))
}

enum SettleError {
    Fatal(Fatal),
    Config(ConfigError),
}

fn run_check(args: CheckArgs) -> Result<u8, Fatal> {
    let format: Format = match args.format {
        Some(f) => f.into(),
        None => env_format(Format::from_name, |v| PlanFormat::from_name(v).is_some())?
            .unwrap_or(Format::Human),
    };
    let color = args.output_file.is_none() && stdout_color_enabled(args.ws.color);
    let mut cfg_sources = SourceMap::new();
    let (cfg, paths, today) = match settle(&args.ws, &mut cfg_sources) {
        Ok(v) => v,
        Err(e) => return settle_failed(e, format, &cfg_sources, color),
    };
    if let Some(out) = &args.output_file {
        refuse_input_as_output(out, &paths, cfg.path.as_deref(), None)?;
    }
    let opts = CheckOptions { today, config: cfg };
    if args.unsafe_fixes && !args.fix && !args.diff {
        return Err(Fatal(
            "`--unsafe-fixes` needs `--fix` or `--diff`".to_owned(),
        ));
    }
    if args.diff {
        return run_check_diff(&args, &paths, &opts);
    }
    let report = if args.fix {
        run_fix(&args, &paths, &opts)?
    } else {
        check(&paths, &opts).map_err(|e| Fatal(e.to_string()))?
    };
    let input = RenderInput::new(
        &report.diagnostics,
        report.sources(),
        report.workspace.manifest_count,
    )
    .with_suppressed(&report.suppressed);
    let out = render::render(format, &input, color);
    emit(&out, args.output_file.as_deref())?;
    let failed = report.has_errors() || (args.deny_warnings && report.has_warnings());
    // The process exits right after this: freeing the workspace (every
    // file's text and decoded model, 10^5+ allocations on a large workspace,
    // about 5% of `check`'s time) is wasted work, so it is leaked on purpose.
    std::mem::forget(report);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// `check --fix`: applies the fixes, writes the changed files, lists what
/// was fixed on stderr; the check of the fixed files.
fn run_fix(
    args: &CheckArgs,
    paths: &[PathBuf],
    opts: &CheckOptions,
) -> Result<crate::driver::check::Report, Fatal> {
    let fix_opts = crate::driver::fix::FixOptions {
        unsafe_fixes: args.unsafe_fixes,
    };
    let outcome =
        crate::driver::fix::run(paths, opts, fix_opts).map_err(|e| Fatal(e.to_string()))?;
    crate::driver::fix::write(&outcome.changes).map_err(|e| Fatal(e.to_string()))?;
    let mut err = String::new();
    for a in &outcome.applied {
        err.push_str(&format!(
            "fixed {}:{}: {} {}\n",
            render::shown_name(&a.file),
            a.line,
            a.code,
            a.message
        ));
    }
    err.push_str(&fix_summary(&outcome, "fixed"));
    eprint!("{err}");
    Ok(outcome.report)
}

/// The last line `--fix` and `--diff` write to stderr.
fn fix_summary(outcome: &crate::driver::fix::Outcome, verb: &str) -> String {
    let n = outcome.applied.len();
    let files = outcome.changes.len();
    let remaining = outcome.report.diagnostics.len();
    let mut line = format!(
        "{verb} {n} problem{} in {files} file{}; {remaining} remaining",
        if n == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" },
    );
    let unsafe_left = outcome
        .report
        .diagnostics
        .iter()
        .filter(|d| {
            d.fixes
                .iter()
                .any(|f| f.applicability == crate::diag::Applicability::Unsafe)
        })
        .count();
    if unsafe_left > 0 && n + remaining > 0 {
        line.push_str(&format!(
            " ({unsafe_left} with a fix that is a guess: `--unsafe-fixes` applies it)"
        ));
    }
    if outcome.left > 0 {
        line.push_str(&format!(
            "; {} fix{} could not be applied (overlapping edits)",
            outcome.left,
            if outcome.left == 1 { "" } else { "es" }
        ));
    }
    line.push('\n');
    line
}

/// `check --diff`: the unified diff of what `--fix` would change, written
/// to stdout (or `-o`); nothing else is written. Exit code as `check` on the
/// files as they are.
fn run_check_diff(args: &CheckArgs, paths: &[PathBuf], opts: &CheckOptions) -> Result<u8, Fatal> {
    let fix_opts = crate::driver::fix::FixOptions {
        unsafe_fixes: args.unsafe_fixes,
    };
    let outcome =
        crate::driver::fix::run(paths, opts, fix_opts).map_err(|e| Fatal(e.to_string()))?;
    emit(
        &crate::driver::fix::unified_diff(&outcome.changes),
        args.output_file.as_deref(),
    )?;
    eprint!("{}", fix_summary(&outcome, "would fix"));
    // The files on disk still hold what the fixes would change.
    let (errors, warnings) = outcome.before;
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// The format named by `SPARKPLAN_FORMAT` for this command. The variable is
/// shared by `check` and `plan`: a value that only the other command knows is
/// ignored, and a value neither knows is an error (exit 2), so a typo is not
/// silently replaced by the default.
fn env_format<T>(
    this: impl Fn(&str) -> Option<T>,
    other: impl Fn(&str) -> bool,
) -> Result<Option<T>, Fatal> {
    let raw = match std::env::var("SPARKPLAN_FORMAT") {
        Ok(raw) => raw,
        Err(std::env::VarError::NotPresent) => return Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(Fatal(
                "invalid SPARKPLAN_FORMAT: not UTF-8 text; expected one of human, json, github, sarif, gitlab (check) or text, json, markdown (plan)".to_owned(),
            ));
        }
    };
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match this(v) {
        Some(f) => Ok(Some(f)),
        None if other(v) => Ok(None),
        None => Err(Fatal(format!(
            "invalid SPARKPLAN_FORMAT `{v}`: expected one of human, json, github, sarif, gitlab (check) or text, json, markdown (plan)"
        ))),
    }
}

fn run_plan(args: PlanArgs) -> Result<u8, Fatal> {
    // `SPARKPLAN_FORMAT` is shared with `check`: only a plan format applies here.
    let format: PlanFormat = match args.format {
        Some(f) => f.into(),
        None => env_format(PlanFormat::from_name, |v| Format::from_name(v).is_some())?
            .unwrap_or(PlanFormat::Text),
    };
    let color = stdout_color_enabled(args.ws.color);
    let mut cfg_sources = SourceMap::new();
    let (mut cfg, paths, today) = match settle(&args.ws, &mut cfg_sources) {
        Ok(v) => v,
        Err(e) => return settle_failed(e, Format::Human, &cfg_sources, color),
    };
    cfg.policy.allow_deletes = args.allow_deletes;
    let base = args.base.as_deref().map(BaseSpec::parse);
    if let Some(out) = &args.output_file {
        let base_dir = base.as_ref().and_then(BaseSpec::dir);
        refuse_input_as_output(out, &paths, cfg.path.as_deref(), base_dir)?;
    }
    let render_opts = render::plan::Options {
        max_bytes: match args.max_bytes {
            0 => None,
            n => Some(usize::try_from(n).unwrap_or(usize::MAX)),
        },
        expiry_warning_days: cfg.expiry_warning_days,
        full_plan: args.json_output.as_deref().map(|p| p.display().to_string()),
    };
    let outcome =
        crate::driver::plan::run(&paths, base.as_ref(), &CheckOptions { today, config: cfg })
            .map_err(|e| Fatal(e.to_string()))?;
    let input = RenderInput::new(
        &outcome.diagnostics,
        &outcome.sources,
        outcome.files_checked,
    );
    let Some(plan) = &outcome.plan else {
        // Errors: the diagnostics, like `check`, and no plan.
        emit(&render::render(Format::Human, &input, color), None)?;
        return Ok(EXIT_FINDINGS);
    };
    if !outcome.diagnostics.is_empty() && format != PlanFormat::Json {
        let stderr_color = stderr_color_enabled(args.ws.color);
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(render::render(Format::Human, &input, stderr_color).as_bytes());
    }
    if let Some(file) = &args.json_output {
        emit_plan(plan, PlanFormat::Json, &render_opts, Some(file))?;
    }
    emit_plan(plan, format, &render_opts, args.output_file.as_deref())?;
    // As in `check`: the process exits right after this, and freeing the
    // plan (10^6 JSON values for 10,000 ads) is wasted work.
    std::mem::forget(outcome);
    Ok(EXIT_OK)
}

fn run_authorizations(args: AuthzArgs) -> Result<u8, Fatal> {
    let format: AuthzFormat = args.format.into();
    let color = args.output_file.is_none() && stdout_color_enabled(args.ws.color);
    let mut cfg_sources = SourceMap::new();
    let (cfg, paths, today) = match settle(&args.ws, &mut cfg_sources) {
        Ok(v) => v,
        Err(e) => return settle_failed(e, Format::Human, &cfg_sources, color),
    };
    if let Some(out) = &args.output_file {
        refuse_input_as_output(out, &paths, cfg.path.as_deref(), None)?;
    }
    let expiry_warning_days = cfg.expiry_warning_days;
    let report =
        check(&paths, &CheckOptions { today, config: cfg }).map_err(|e| Fatal(e.to_string()))?;
    if report.has_errors() {
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        let input = RenderInput::new(&errors, report.sources(), report.workspace.manifest_count);
        if !args.ignore_errors {
            // Like `check`: the diagnostics, and no list.
            emit(&render::render(Format::Human, &input, color), None)?;
            return Ok(EXIT_FINDINGS);
        }
        let stderr_color = stderr_color_enabled(args.ws.color);
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(render::render(Format::Human, &input, stderr_color).as_bytes());
    }
    let inventory = crate::authz::inventory(
        &report.workspace,
        &crate::authz::Options {
            today,
            expiry_warning_days,
            within: args.within,
        },
    );
    emit(
        &render::authz::render(&inventory, format, color),
        args.output_file.as_deref(),
    )?;
    let failed = args.fail_within.is_some_and(|n| {
        // `--within` may have left rows out: judge every authorization.
        crate::authz::inventory(
            &report.workspace,
            &crate::authz::Options {
                today,
                expiry_warning_days,
                within: None,
            },
        )
        .fails_within(n)
    });
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// Refuses (exit 2, before any work) an output file that is one of the
/// run's inputs: a manifest (or any file found under the paths), the
/// configuration, or a file of the base folder. Writing the report there
/// would destroy it.
fn refuse_input_as_output(
    out: &Path,
    paths: &[PathBuf],
    config: Option<&Path>,
    base: Option<&Path>,
) -> Result<(), Fatal> {
    // Only an existing regular file can be destroyed by the write.
    if !std::fs::metadata(out).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    let refuse = |what: String| {
        Err(Fatal(format!(
            "refusing to write to `{}`: it is {what}, which the report would replace",
            out.display()
        )))
    };
    if let Some(c) = config.filter(|c| crate::fsutil::same_file(out, c)) {
        return refuse(format!("the configuration file `{}`", c.display()));
    }
    let mut roots = paths.to_vec();
    roots.extend(base.map(Path::to_path_buf));
    // A walk that fails here fails again, with its own message, in the run.
    let candidates = crate::workspace::discover(&roots).unwrap_or_default();
    match candidates
        .iter()
        .find(|c| crate::fsutil::same_file(out, &c.path))
    {
        Some(c) => refuse(format!("an input file (`{}`)", c.display)),
        None => Ok(()),
    }
}

/// The man page of `cmd` (roff), dated with the build date (build.rs) so
/// that it is the same on every build of one commit.
fn manpage(cmd: clap::Command) -> Result<(String, Vec<u8>), Fatal> {
    let man = clap_mangen::Man::new(cmd)
        .date(build_date())
        .source(format!("sparkplan {}", version()));
    let mut out = Vec::new();
    man.render(&mut out)
        .map_err(|e| Fatal(format!("cannot render the man page: {e}")))?;
    Ok((man.get_filename(), out))
}

/// `sparkplan manpage`: the top page to stdout, or with `--dir`, one page per
/// command (`sparkplan.1`, `sparkplan-check.1`, …) written into DIR.
fn run_manpage(dir: Option<&Path>) -> Result<u8, Fatal> {
    let mut cmd = command().disable_help_subcommand(true);
    // Sets each subcommand's display name (`sparkplan-check`) and usage name.
    cmd.build();
    let Some(dir) = dir else {
        let (_, page) = manpage(cmd)?;
        emit(&String::from_utf8_lossy(&page), None)?;
        return Ok(EXIT_OK);
    };
    let mut pages = vec![manpage(cmd.clone())?];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(manpage(sub.clone())?);
    }
    for (file, page) in pages {
        let path = dir.join(&file);
        crate::fsutil::write_output(&path, &page)
            .map_err(|e| Fatal(format!("cannot write `{}`: {e}", path.display())))?;
    }
    Ok(EXIT_OK)
}

/// Writes the plan to stdout (streamed) or to `file`, never destroying
/// anything ([`crate::fsutil::write_output`]).
fn emit_plan(
    plan: &plan::Plan,
    format: PlanFormat,
    opts: &render::plan::Options,
    file: Option<&Path>,
) -> Result<(), Fatal> {
    match file {
        Some(p) => {
            let mut buf = Vec::new();
            let _ = render::plan::write_with(plan, format, opts, &mut buf);
            crate::fsutil::write_output(p, &buf)
                .map_err(|e| Fatal(format!("cannot write `{}`: {e}", p.display())))
        }
        None => {
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match render::plan::write_with(plan, format, opts, &mut stdout)
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`| head`) is not a failure of the plan.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Fatal(format!("cannot write to stdout: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

/// Writes `out` to stdout or to `file`, never destroying anything
/// ([`crate::fsutil::write_output`]).
fn emit(out: &str, file: Option<&Path>) -> Result<(), Fatal> {
    match file {
        Some(p) => crate::fsutil::write_output_with(p, out.as_bytes(), &|| {
            if std::env::var_os(PAUSE_TEST_VAR).is_some_and(|v| v == "1") {
                let _ = std::io::stdin().read_line(&mut String::new());
            }
        })
        .map_err(|e| Fatal(format!("cannot write `{}`: {e}", p.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`| head`) is not a failure of the check.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Fatal(format!("cannot write to stdout: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

fn run_explain(code: &str) -> Result<u8, Fatal> {
    match registry::find(code) {
        Some(rule) => {
            emit(&format!("{}\n", rule.doc.trim_end()), None)?;
            Ok(EXIT_OK)
        }
        None => {
            let all = registry::all().collect::<Vec<_>>();
            let hint = did_you_mean(
                code,
                all.iter().map(|r| r.code).chain(all.iter().map(|r| r.name)),
            )
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_else(|| "; `sparkplan rules` lists them all".to_owned());
            Err(Fatal(format!("unknown rule `{code}`{hint}")))
        }
    }
}

fn run_rules(format: RulesFormat) -> Result<u8, Fatal> {
    let rules = registry::all().collect::<Vec<_>>();
    let out = match format {
        RulesFormat::Human => {
            let w = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut s = String::new();
            for r in rules {
                s.push_str(&format!(
                    "{}  {:<7}  {:<w$}  {}\n",
                    r.code,
                    r.default_severity.as_str(),
                    r.name,
                    r.summary
                ));
            }
            s
        }
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code,
                        "name": r.name,
                        "default_severity": r.default_severity.as_str(),
                        "summary": r.summary,
                        "explanation": r.doc,
                    })
                })
                .collect();
            let doc = serde_json::json!({ "format_version": "1", "rules": list });
            let mut s = serde_json::to_string_pretty(&doc).map_err(|e| Fatal(e.to_string()))?;
            s.push('\n');
            s
        }
    };
    emit(&out, None)?;
    Ok(EXIT_OK)
}
