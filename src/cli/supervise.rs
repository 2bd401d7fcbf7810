//! The supervisor: the commands that read a workspace run in a worker
//! process (this same binary, the same arguments), so that a failure that
//! kills a process outright is reported as an internal error, exit 2, instead
//! of an abort with a raw runtime message.
//!
//! Why a process: when an allocation fails, Rust's standard library prints
//! `memory allocation of N bytes failed` (and, with `RUST_BACKTRACE`, a
//! backtrace) and aborts. Changing that needs an allocator that does not
//! return failures (`unsafe impl GlobalAlloc`, which `#![forbid(unsafe_code)]`
//! rules out) or `std::alloc::set_alloc_error_hook` (unstable). Input sizes
//! are bounded before allocating (`[limits]`, SP013), but a large workspace
//! under a low memory limit can still exhaust it anywhere, and the kernel's
//! out-of-memory killer sends SIGKILL, which no process can catch. Only a
//! parent can see either.
//!
//! What the worker sees is what the process would have seen: stdin and
//! stdout are the same (inherited: `sparkplan lsp` and pipes work
//! unchanged), the exit code is passed through, and a SIGINT, SIGTERM,
//! SIGHUP or SIGQUIT sent to the supervisor is forwarded to the worker, whose
//! `-o` cleanup runs as before; the supervisor then dies of the same signal.
//! stderr goes through the supervisor, as it comes, so it can recognise the
//! allocation-failure line and drop it (and the backtrace that follows);
//! everything else is relayed unchanged. When stdout and stderr are one file
//! (a terminal, `2>&1`, one pipe), relaying stderr alone would reorder them
//! (the worker's stdout would overtake its relayed stderr), so then both go
//! through one pipe, in the order written, to that file (unless that file is
//! `/dev/null`: nothing to keep in order). The worker is told
//! which of them are terminals (for colour). A closed output (`| head`)
//! closes the pipe, so the worker sees it as before.
//!
//! The commands that read no input ([`IN_PROCESS`]), `--help`, `--version`
//! and argument errors run in the process itself: they cannot exhaust memory
//! and need no second process.
#![allow(
    clippy::print_stderr,
    reason = "the supervisor reports a worker that died on stderr; an allow, not an expect: some of it is unix-only"
)]

use std::process::ExitCode;

/// Set in the worker's environment: which of the supervisor's stdout and
/// stderr are terminals (`stdout-tty,stderr-tty`, `stderr-tty`, or `1` for
/// none), for colour, since the worker may write to them through a pipe.
/// Internal; setting it by hand runs without a supervisor.
pub const WORKER_VAR: &str = "SPARKPLAN_INTERNAL_WORKER";

/// Subcommands run without a worker: they read no workspace, so their memory
/// does not grow with any input. Every other subcommand (including ones
/// added later, such as `lsp`) runs in a worker.
pub const IN_PROCESS: &[&str] = &[
    "completions",
    "explain",
    "help",
    "init",
    "manpage",
    "rules",
    "schema",
];

#[cfg(unix)]
/// The line the standard library prints before aborting on a failed
/// allocation: `memory allocation of 123 bytes failed`.
const ALLOC_FAILED: &[u8] = b"memory allocation of ";

/// Runs `run` (the command line) in a worker process and reports how it
/// ended, or runs it here when this is the worker, when the command needs
/// none, or when no worker can be started (then without the supervisor's
/// protection, as before it existed).
pub fn or_run(run: fn() -> ExitCode) -> ExitCode {
    if std::env::var_os(WORKER_VAR).is_some() {
        #[cfg(unix)]
        unix::worker_started();
        return run();
    }
    #[cfg(unix)]
    if needs_worker()
        && let Some(code) = unix::supervise()
    {
        return code;
    }
    run()
}

/// Whether stdout is a terminal: the supervisor's stdout when this process
/// is its worker (whose stdout may be a pipe to it).
pub fn stdout_is_terminal() -> bool {
    match std::env::var(WORKER_VAR) {
        Ok(v) => v.split(',').any(|f| f == "stdout-tty"),
        Err(_) => std::io::IsTerminal::is_terminal(&std::io::stdout()),
    }
}

/// Whether stderr is a terminal, as [`stdout_is_terminal`].
pub fn stderr_is_terminal() -> bool {
    match std::env::var(WORKER_VAR) {
        Ok(v) => v.split(',').any(|f| f == "stderr-tty"),
        Err(_) => std::io::IsTerminal::is_terminal(&std::io::stderr()),
    }
}

#[cfg(unix)]
/// Whether the command line names a subcommand that reads a workspace. Help,
/// version and argument errors are printed by the process itself.
fn needs_worker() -> bool {
    super::command()
        .try_get_matches()
        .ok()
        .and_then(|m| m.subcommand_name().map(|n| !IN_PROCESS.contains(&n)))
        .unwrap_or(false)
}

#[cfg(unix)]
/// Relays the worker's stderr as it comes, except the standard library's
/// allocation-failure line and everything after it (a backtrace with
/// `RUST_BACKTRACE`; nothing else runs once the process aborts).
struct Relay<W> {
    out: W,
    /// The start of the current line, held back while it may still be the
    /// allocation-failure line.
    held: Vec<u8>,
    /// The current line is being passed through (it is not that line).
    passing: bool,
    /// The size in the allocation-failure line, once seen.
    failed: Option<String>,
    /// Writing failed (the reader went away): stop relaying.
    broken: bool,
}

#[cfg(unix)]
impl<W: std::io::Write> Relay<W> {
    fn new(out: W) -> Self {
        Relay {
            out,
            held: Vec::new(),
            passing: false,
            failed: None,
            broken: false,
        }
    }

    /// Relays `bytes`. The lines passed through unchanged are written in
    /// one call per chunk, not one per line: with stdout and stderr merged,
    /// a 20 MiB JSON plan is 700,000 lines, and a write (a system call,
    /// through the line-buffered stdout) per line made the relay cost more
    /// than building the plan.
    fn feed(&mut self, bytes: &[u8]) {
        // `bytes[pending..at]` is passed through and not written yet.
        let (mut pending, mut at) = (0, 0);
        while at < bytes.len() && self.failed.is_none() {
            let rest = bytes.get(at..).unwrap_or_default();
            let len = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |i| i + 1);
            let seg = rest.get(..len).unwrap_or_default();
            let ends_line = seg.ends_with(b"\n");
            if self.passing || (self.held.is_empty() && !may_start_failure(seg)) {
                // Inside a line passed through, or a line that cannot be
                // the allocation-failure line.
                at += len;
                self.passing = !ends_line;
                continue;
            }
            self.write(bytes.get(pending..at).unwrap_or_default());
            at += len;
            pending = at;
            self.held.extend_from_slice(seg);
            let may_be = self.held.len() <= 80 && may_start_failure(&self.held);
            if may_be && !ends_line {
                continue;
            }
            match alloc_failure(&self.held) {
                Some(n) if ends_line => self.failed = Some(n),
                _ => {
                    let held = std::mem::take(&mut self.held);
                    self.write(&held);
                    self.held = held;
                    self.passing = !ends_line;
                }
            }
            self.held.clear();
        }
        if self.failed.is_none() {
            self.write(bytes.get(pending..at).unwrap_or_default());
        }
        if self.out.flush().is_err() {
            self.broken = true;
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        if !bytes.is_empty() && self.out.write_all(bytes).is_err() {
            self.broken = true;
        }
    }

    /// At the end of the stream: what was held back (a last line without a
    /// newline) is written.
    fn finish(&mut self) {
        if self.failed.is_none() && alloc_failure(&self.held).is_none() {
            let held = std::mem::take(&mut self.held);
            self.write(&held);
            let _ = self.out.flush();
        }
        self.held.clear();
    }
}

#[cfg(unix)]
/// Whether a line starting with `start` may be the allocation-failure line.
fn may_start_failure(start: &[u8]) -> bool {
    ALLOC_FAILED.starts_with(start) || start.starts_with(ALLOC_FAILED)
}

#[cfg(unix)]
/// The size in `memory allocation of N bytes failed`.
fn alloc_failure(line: &[u8]) -> Option<String> {
    let line = std::str::from_utf8(line).ok()?.trim_end();
    let n = line
        .strip_prefix("memory allocation of ")?
        .strip_suffix(" bytes failed")?;
    n.bytes().all(|b| b.is_ascii_digit()).then(|| n.to_owned())
}

#[cfg(unix)]
/// The report of a worker that ran out of memory (`bytes`: the size of the
/// allocation that failed, when known).
fn out_of_memory(bytes: Option<&str>) -> String {
    let what = match bytes {
        Some(n) => format!("an allocation of {n} bytes failed"),
        None => "the worker process was killed (SIGKILL), most likely by the system's out-of-memory killer".to_owned(),
    };
    format!(
        "error: internal error in sparkplan {}: out of memory ({what})\n\
         The run needed more memory than this process may use. Raise the limit (`ulimit -v`, the \
         container's or CI job's memory), check fewer files at once, or lower `[limits]` in \
         sparkplan.toml (`max_file_bytes`, `max_nodes`, `max_expanded_bytes`) so that large \
         inputs are refused with SP013 instead. If the input is small, this is a bug in \
         sparkplan: please report it with the input that caused it:\n\
         https://github.com/sparkplan/sparkplan/issues",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(unix)]
/// The report of a worker that died of a signal other than the forwarded
/// ones (a crash; with stderr not relayed, also an allocation failure, whose
/// line the user sees above).
fn crashed(signal: i32) -> String {
    let abort = signal == signal_hook::consts::SIGABRT;
    let advice = if abort {
        "If the line above says `memory allocation of N bytes failed`, sparkplan ran out of memory: \
         raise the limit (`ulimit -v`, the container's or CI job's memory), check fewer files at \
         once, or lower `[limits]` in sparkplan.toml. Otherwise this is a bug"
    } else {
        "This is a bug"
    };
    format!(
        "error: internal error in sparkplan {}: the worker process died of signal {signal}{}\n\
         {advice} in sparkplan, not in your manifests. Please report it with the input that caused it:\n\
         https://github.com/sparkplan/sparkplan/issues",
        env!("CARGO_PKG_VERSION"),
        if abort { " (SIGABRT)" } else { "" },
    )
}

#[cfg(unix)]
mod unix {
    use std::io::{IsTerminal, Read};
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, ExitCode, Stdio};
    use std::sync::{Arc, Mutex, PoisonError};

    use rustix::process::{Pid, Signal, WaitId, WaitIdOptions};
    use signal_hook::consts::{SIGHUP, SIGINT, SIGKILL, SIGPIPE, SIGQUIT, SIGTERM};

    use super::{Relay, WORKER_VAR, crashed, out_of_memory};
    use crate::cli::EXIT_FAILURE;

    /// Signals forwarded to the worker; a worker that dies of one of them
    /// (or of SIGPIPE) makes the supervisor die of it too.
    const FORWARDED: [i32; 4] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT];

    /// In the worker: ask the kernel to send SIGTERM when the supervisor
    /// dies (`kill -9` of it, a CI timeout), so no orphan goes on running
    /// and writing; SIGTERM lets the `-o` cleanup run.
    pub(super) fn worker_started() {
        #[cfg(target_os = "linux")]
        let _ = rustix::process::set_parent_process_death_signal(Some(Signal::TERM));
    }

    /// Whether stdout and stderr are one file (a terminal, `2>&1`, one pipe),
    /// whose order a relay of stderr alone could not keep.
    /// Whether stdout and stderr are one file whose order of lines
    /// matters: not `/dev/null`, where both are discarded (`> /dev/null
    /// 2>&1`, benchmarks), so stdout need not be relayed.
    fn same_file_out_and_err() -> bool {
        match (
            rustix::fs::fstat(std::io::stdout()),
            rustix::fs::fstat(std::io::stderr()),
        ) {
            (Ok(a), Ok(b)) => {
                let id = |s: &rustix::fs::Stat| (s.st_dev, s.st_ino);
                id(&a) == id(&b)
                    && !rustix::fs::stat("/dev/null").is_ok_and(|null| id(&null) == id(&a))
            }
            _ => false,
        }
    }

    /// Runs the worker and waits for it; `None` when it cannot be started.
    pub(super) fn supervise() -> Option<ExitCode> {
        let exe = std::env::current_exe().ok()?;
        let flags = match (
            std::io::stdout().is_terminal(),
            std::io::stderr().is_terminal(),
        ) {
            (true, true) => "stdout-tty,stderr-tty",
            (true, false) => "stdout-tty",
            (false, true) => "stderr-tty",
            (false, false) => "1",
        };
        // stdout and stderr into one pipe when they are one file, else
        // stderr alone.
        let merged = same_file_out_and_err();
        let (reader, out, err) = if merged {
            let (r, w) = std::io::pipe().ok()?;
            let w2 = w.try_clone().ok()?;
            (r, Stdio::from(w), Stdio::from(w2))
        } else {
            let (r, w) = std::io::pipe().ok()?;
            (r, Stdio::inherit(), Stdio::from(w))
        };
        let mut command = Command::new(exe);
        command
            .args(std::env::args_os().skip(1))
            .env(WORKER_VAR, flags)
            .stdin(Stdio::inherit())
            .stdout(out)
            .stderr(err);
        let spawned = command.spawn();
        // The pipe's write ends are the worker's alone from here, so its
        // end is the end of the stream.
        drop(command);
        // Without a worker, the command runs here as before.
        let mut child = spawned.ok()?;
        let pid = Pid::from_child(&child);
        // Registered once the worker exists, so a failed spawn leaves this
        // process's signal handling untouched for the run in-process. A
        // signal in between ends the supervisor by default, and the worker
        // with it (the parent-death signal).
        let signals = signal_hook::iterator::Signals::new(FORWARDED);
        // Whether the worker's pid is still ours: set to false before the
        // worker is reaped, so a forwarded signal never reaches a process
        // that reused the pid.
        let alive = Arc::new(Mutex::new(true));
        let forwarding = Arc::clone(&alive);
        let handle = signals.as_ref().ok().map(|s| s.handle());
        let forwarder = signals.map(|mut signals| {
            std::thread::Builder::new()
                .name("sparkplan-signals".to_owned())
                .stack_size(64 * 1024)
                .spawn(move || {
                    for sig in signals.forever() {
                        let alive = forwarding.lock().unwrap_or_else(PoisonError::into_inner);
                        if let (true, Some(sig)) = (*alive, Signal::from_named_raw(sig)) {
                            let _ = rustix::process::kill_process(pid, sig);
                        }
                    }
                })
        });
        let target: Box<dyn std::io::Write> = if merged {
            Box::new(std::io::stdout().lock())
        } else {
            Box::new(std::io::stderr().lock())
        };
        let mut relay = Relay::new(target);
        let mut reader = reader;
        let mut buf = vec![0u8; 1 << 16];
        while !relay.broken {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => relay.feed(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        // Closed here, so a worker still writing sees its output closed.
        drop(reader);
        relay.finish();
        // Wait without reaping, then stop forwarding, then reap.
        let _ = rustix::process::waitid(
            WaitId::Pid(pid),
            WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
        );
        *alive.lock().unwrap_or_else(PoisonError::into_inner) = false;
        let status = child.wait();
        if let Some(h) = handle {
            h.close();
        }
        if let Ok(Ok(t)) = forwarder {
            let _ = t.join();
        }
        let failed = relay.failed.take();
        drop(relay);
        let status = match status {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot wait for sparkplan's worker process: {e}");
                return Some(ExitCode::from(EXIT_FAILURE));
            }
        };
        if let Some(code) = status.code() {
            return Some(ExitCode::from(u8::try_from(code).unwrap_or(EXIT_FAILURE)));
        }
        let signal = status.signal().unwrap_or(0);
        if failed.is_none() && (FORWARDED.contains(&signal) || signal == SIGPIPE) {
            // Interrupted, not failed: end the same way (as the worker's
            // `-o` cleanup does), so a shell sees the same status.
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            return Some(ExitCode::from(EXIT_FAILURE));
        }
        let msg = match (&failed, signal) {
            (Some(n), _) => out_of_memory(Some(n)),
            (None, SIGKILL) => out_of_memory(None),
            (None, s) => crashed(s),
        };
        eprintln!("{msg}");
        Some(ExitCode::from(EXIT_FAILURE))
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    fn relayed(chunks: &[&[u8]]) -> (String, Option<String>) {
        let mut r = Relay::new(Vec::new());
        for c in chunks {
            r.feed(c);
        }
        r.finish();
        (String::from_utf8(r.out).unwrap(), r.failed)
    }

    #[test]
    fn other_output_is_relayed_unchanged() {
        let text = "error[SP003]: x\n --> a.yaml:1:1\nmemory is fine\nno newline";
        assert_eq!(relayed(&[text.as_bytes()]), (text.to_owned(), None));
        // Split anywhere, even inside a line that starts like the failure.
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            assert_eq!(relayed(&[&bytes[..i], &bytes[i..]]).0, text, "split at {i}");
        }
        let almost = "memory allocation of many bytes failed\n";
        assert_eq!(relayed(&[almost.as_bytes()]), (almost.to_owned(), None));
    }

    #[test]
    fn the_allocation_failure_and_what_follows_are_dropped() {
        let text =
            "warning: a\nmemory allocation of 100000 bytes failed\nstack backtrace:\n   0: x\n";
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            assert_eq!(
                relayed(&[&bytes[..i], &bytes[i..]]),
                ("warning: a\n".to_owned(), Some("100000".to_owned())),
                "split at {i}"
            );
        }
    }

    /// Counts the writes it is given.
    struct Counting(Vec<u8>, usize);

    impl std::io::Write for Counting {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.1 += 1;
            self.0.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_chunk_of_many_lines_is_written_at_once() {
        let text = "{\n  \"memory\": 1,\n".repeat(1000);
        let mut r = Relay::new(Counting(Vec::new(), 0));
        r.feed(text.as_bytes());
        r.finish();
        assert_eq!(r.out.0, text.as_bytes());
        assert_eq!(r.out.1, 1, "one write for the chunk, not one per line");
        // A line that starts like the failure is held, and the rest around
        // it still goes in few writes.
        let text = format!("{text}memory allocation of many\n{text}");
        let mut r = Relay::new(Counting(Vec::new(), 0));
        r.feed(text.as_bytes());
        r.finish();
        assert_eq!(r.out.0, text.as_bytes());
        assert!(r.out.1 <= 3, "{} writes", r.out.1);
    }

    #[test]
    fn the_report_says_what_to_do() {
        let m = out_of_memory(Some("42"));
        assert!(m.starts_with("error: internal error in sparkplan "), "{m}");
        assert!(m.contains("out of memory (an allocation of 42 bytes failed)"));
        assert!(m.contains("[limits]") && m.contains("ulimit -v"), "{m}");
    }
}
