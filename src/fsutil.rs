//! Touching the file system safely: reading input files without ever
//! blocking on a special file, and writing output files without destroying
//! anything.
//!
//! Output (`-o FILE`) goes, by what FILE is:
//! - `/dev/stdout`, `/dev/stderr` (and `/dev/fd/1`, `/proc/self/fd/1`, ...):
//!   the process's own stream, so `-o /dev/stdout > report.txt` works;
//! - a character device, FIFO or socket (`/dev/null`, `>(cmd)`): written
//!   through, never replaced by a regular file;
//! - a symlink: its final target is replaced, the link stays a link;
//! - a regular file or a new name: a random temporary file in the same folder
//!   (mode `0666` less the umask, or the replaced file's mode), synced, then
//!   renamed over it, so a failed or interrupted run leaves the old file and
//!   no temporary file (SIGINT, SIGTERM and SIGHUP remove it, see
//!   [`write_output`]).

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

fn invalid(msg: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, msg.into())
}

/// Opens `path` for reading and checks that what was opened is a regular
/// file. On Unix the file is opened with `O_NONBLOCK`, so a path that is (or
/// became, since it was listed) a FIFO or a device is refused at once instead
/// of blocking the run forever; on a regular file the flag changes nothing.
pub fn open_regular(path: &Path) -> std::io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let f = opts.open(path)?;
    // `fstat` of what was opened, not `stat` of the name: no race.
    let meta = f.metadata()?;
    if meta.is_file() {
        Ok(f)
    } else if meta.is_dir() {
        Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a folder",
        ))
    } else {
        Err(invalid("not a regular file (a FIFO, socket or device)"))
    }
}

/// Why [`read_limited`] failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read, or is not a regular file.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file is larger than the limit.
    #[error("larger than {0} bytes")]
    TooLarge(u64),
    /// The memory for the file could not be had.
    #[error("out of memory reading {0} bytes")]
    OutOfMemory(u64),
}

/// Reads a whole regular file of at most `max` bytes ([`open_regular`]):
/// the buffer is reserved fallibly, so a file too large for the memory left
/// is an error, not an abort.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let f = open_regular(path)?;
    read_to_end_limited(f, max)
}

/// Reads `f` to its end, at most `max` bytes, plus one more to tell whether
/// the file is larger: `Err(TooLarge)` then. The buffer is sized from the
/// file's length (capped) and reserved fallibly.
pub fn read_to_end_limited(f: File, max: u64) -> Result<Vec<u8>, ReadError> {
    let (bytes, over) = read_prefix(f, max)?;
    if over {
        return Err(ReadError::TooLarge(max));
    }
    Ok(bytes)
}

/// Reads at most `max + 1` bytes of `f`; `true` when it had more than `max`.
/// The buffer is reserved fallibly (see [`read_to_end_limited`]).
pub fn read_prefix(f: File, max: u64) -> Result<(Vec<u8>, bool), ReadError> {
    let want = f
        .metadata()
        .map_or(0, |m| m.len())
        .min(max)
        .saturating_add(1);
    let mut bytes = Vec::new();
    let n = usize::try_from(want).map_err(|_| ReadError::OutOfMemory(want))?;
    bytes
        .try_reserve_exact(n)
        .map_err(|_| ReadError::OutOfMemory(want))?;
    // `take` hides the file's size from `read_to_end`: the buffer was sized
    // above; a file that grew since is read on, still fallibly bounded.
    let mut limited = f.take(max.saturating_add(1));
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let got = match limited.read(&mut chunk) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        bytes
            .try_reserve(got)
            .map_err(|_| ReadError::OutOfMemory(bytes.len() as u64 + got as u64))?;
        bytes.extend_from_slice(&chunk[..got]);
    }
    let over = bytes.len() as u64 > max;
    Ok((bytes, over))
}

/// Whether `a` and `b` name the same existing file (after symlinks).
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Where output to a path really goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The process's standard output.
    Stdout,
    /// The process's standard error.
    Stderr,
    /// A device, FIFO or socket (or a descriptor under `/proc`): opened and
    /// written, never replaced.
    Through(PathBuf),
    /// A regular file (or a new one): replaced atomically.
    Replace(PathBuf),
}

/// The most symlinks followed when resolving an output path (Linux's own
/// limit).
const MAX_LINKS: usize = 40;

/// Resolves where writing to `path` goes (see the module documentation).
pub fn output_target(path: &Path) -> std::io::Result<Target> {
    let mut cur = path.to_path_buf();
    for _ in 0..=MAX_LINKS {
        for (names, target) in [
            (
                ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"],
                Target::Stdout,
            ),
            (
                ["/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"],
                Target::Stderr,
            ),
        ] {
            if names.iter().any(|n| cur == Path::new(n)) {
                return Ok(target);
            }
        }
        let meta = match std::fs::symlink_metadata(&cur) {
            Ok(m) => m,
            // A new file (also the missing target of a dangling link).
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Target::Replace(cur));
            }
            Err(e) => return Err(e),
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            // `/proc/PID/fd/N` (also reached as `/dev/fd/N`) are not real
            // links (`pipe:[123]` for `-o >(cmd)`): open them.
            let in_proc = cur.starts_with("/proc")
                || cur
                    .parent()
                    .and_then(|d| std::fs::canonicalize(d).ok())
                    .is_some_and(|d| d.starts_with("/proc"));
            if in_proc {
                return Ok(Target::Through(cur));
            }
            let to = std::fs::read_link(&cur)?;
            cur = match cur.parent() {
                Some(dir) if to.is_relative() => dir.join(to),
                _ => to,
            };
            continue;
        }
        if ft.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "is a folder",
            ));
        }
        return Ok(if ft.is_file() {
            Target::Replace(cur)
        } else {
            Target::Through(cur)
        });
    }
    Err(invalid("too many levels of symbolic links"))
}

/// Temporary files being written, removed by the signal handler.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// On SIGINT, SIGTERM or SIGHUP: remove the temporary files being written,
/// then die of the signal as if it had not been caught (same exit status).
/// Installed once, on the first write to a file.
fn install_signal_cleanup() {
    HANDLER.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    // Keeps the lock: no new temporary file from now on.
                    let mut list = pending();
                    for p in list.drain(..) {
                        let _ = std::fs::remove_file(p);
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(sig);
                    std::process::exit(128 + sig);
                }
            });
        }
    });
}

/// Writes `bytes` to `path` without destroying anything (see the module
/// documentation). On failure a replaced file is untouched and the temporary
/// file is removed.
pub fn write_output(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_output_with(path, bytes, &|| {})
}

/// [`write_output`], calling `before_rename` once the temporary file is
/// written and before it replaces the file (tests use it to interrupt a
/// write at that point).
pub fn write_output_with(
    path: &Path,
    bytes: &[u8],
    before_rename: &dyn Fn(),
) -> std::io::Result<()> {
    match output_target(path)? {
        Target::Stdout => write_stream(&mut std::io::stdout().lock(), bytes),
        Target::Stderr => write_stream(&mut std::io::stderr().lock(), bytes),
        Target::Through(p) => {
            let mut f = std::fs::OpenOptions::new().write(true).open(p)?;
            // A descriptor link (`/dev/fd/5`) can lead to a regular file:
            // replace its content, leaving no tail of the old one.
            if f.metadata()?.is_file() {
                f.set_len(0)?;
            }
            f.write_all(bytes)?;
            f.flush()
        }
        Target::Replace(p) => write_atomic(&p, bytes, before_rename),
    }
}

fn write_stream(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(bytes)?;
    w.flush()
}

/// Replaces the regular file (or new name) `path` atomically: a temporary
/// file with a random name in the same folder, the old file's permissions,
/// synced, then renamed over it.
fn write_atomic(path: &Path, bytes: &[u8], before_rename: &dyn Fn()) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| invalid("not a file path"))?;
    let old = match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "is a folder",
            ));
        }
        Ok(m) => Some(m.permissions()),
        Err(_) => None,
    };
    install_signal_cleanup();
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A new file gets what any other tool would give it: 0666 less the umask.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = {
        // Created and registered under the lock, so a signal in between
        // still finds it.
        let mut list = pending();
        let tmp = builder.tempfile_in(dir)?;
        list.push(tmp.path().to_path_buf());
        tmp
    };
    let tmp_path = tmp.path().to_path_buf();
    let result = (|| {
        if let Some(perms) = old {
            tmp.as_file().set_permissions(perms)?;
        }
        let mut f = tmp.as_file();
        f.write_all(bytes)?;
        f.sync_all()?;
        before_rename();
        tmp.persist(path).map(drop).map_err(|e| e.error)
    })();
    pending().retain(|p| p != &tmp_path);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_keeps_old_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        write_output(&p, b"one").unwrap();
        write_output(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        // A path that is a folder fails and leaves nothing behind.
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        assert!(write_output(&sub, b"x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_keep_being_links_and_modes_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "OLD").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink("target.txt", &link).unwrap();
        write_output(&link, b"NEW").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"NEW");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // A dangling link: its target is created, the link kept.
        let dangling = dir.path().join("dangling.txt");
        std::os::unix::fs::symlink("made.txt", &dangling).unwrap();
        write_output(&dangling, b"X").unwrap();
        assert!(std::fs::symlink_metadata(&dangling).unwrap().is_symlink());
        assert_eq!(std::fs::read(dir.path().join("made.txt")).unwrap(), b"X");
        // A link loop is an error, not a hang.
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(write_output(&a, b"x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_through() {
        assert_eq!(
            output_target(Path::new("/dev/null")).unwrap(),
            Target::Through("/dev/null".into())
        );
        assert_eq!(
            output_target(Path::new("/dev/stdout")).unwrap(),
            Target::Stdout
        );
        write_output(Path::new("/dev/null"), b"x").unwrap();
        use std::os::unix::fs::FileTypeExt;
        let ft = std::fs::metadata("/dev/null").unwrap().file_type();
        assert!(ft.is_char_device());
    }

    #[test]
    fn limited_reads_refuse_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"0123456789").unwrap();
        assert_eq!(read_limited(&p, 10).unwrap(), b"0123456789");
        assert!(matches!(read_limited(&p, 9), Err(ReadError::TooLarge(9))));
        assert!(read_limited(dir.path(), 10).is_err());
    }
}
