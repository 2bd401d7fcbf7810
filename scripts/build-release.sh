#!/usr/bin/env bash
# Builds the release archive of sparkplan for one target: the one command the
# release workflow (.github/workflows/release.yml) runs on every platform, and
# .ci/run runs for the CI machine's own target, so the path is proven there.
#
# Usage: scripts/build-release.sh TARGET [OUT_DIR]
#   TARGET   a Rust target triple, e.g. x86_64-unknown-linux-musl
#   OUT_DIR  where the archive and its checksum go (default: dist)
#
# Writes OUT_DIR/sparkplan-TARGET.tar.gz (.zip for Windows targets) holding
# sparkplan-TARGET/{sparkplan[.exe], README.md, LICENSE-MIT, LICENSE-APACHE,
# THIRD-PARTY-NOTICES.md, man/, completions/}, and OUT_DIR/<archive>.sha256
# in `sha256sum` format ("HASH  NAME"). Prints the archive's path last.
#
# Profile and flags: `cargo build --locked --release --target TARGET`, the
# release profile of Cargo.toml; static C runtime for the musl and Windows
# MSVC targets (musl links statically by default; it is said explicitly).
# The built binary must run on the build machine: it prints its own man pages
# and completions (the workflow builds every target on a runner of its kind).
# Works with bash 3.2 (macOS).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 TARGET [OUT_DIR]" >&2
  exit 2
fi
target=$1
out_dir=${2:-dist}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

case "$target" in
  *-linux-musl*) export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" ;;
  *-windows-msvc) export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" ;;
esac
# The C parts (mimalloc) need a C compiler for musl: musl-gcc (Debian/Ubuntu
# package musl-tools) unless the caller chose one.
case "$target" in
  *-linux-musl*)
    cc_var="CC_$(printf '%s' "$target" | tr '-' '_')"
    if ! printenv "$cc_var" >/dev/null && command -v musl-gcc >/dev/null 2>&1; then
      export "$cc_var=musl-gcc"
    fi ;;
esac
case "$target" in
  *-windows-*) exe=.exe; ext=zip ;;
  *) exe=; ext=tar.gz ;;
esac

echo "== cargo build --locked --release --target $target" >&2
cargo build --locked --release --target "$target"

target_dir=${CARGO_TARGET_DIR:-target}
bin="$target_dir/$target/release/sparkplan$exe"
"$bin" --version >&2

name="sparkplan-$target"
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg="$stage/$name"
mkdir -p "$pkg/man" "$pkg/completions"
cp "$bin" "$pkg/"
cp README.md LICENSE-MIT LICENSE-APACHE THIRD-PARTY-NOTICES.md "$pkg/"
"$bin" manpage --dir "$pkg/man"
"$bin" completions bash > "$pkg/completions/sparkplan.bash"
"$bin" completions zsh > "$pkg/completions/_sparkplan"
"$bin" completions fish > "$pkg/completions/sparkplan.fish"
"$bin" completions powershell > "$pkg/completions/_sparkplan.ps1"

archive="$name.$ext"
rm -f "$out_dir/$archive" "$out_dir/$archive.sha256"
if [ "$ext" = zip ]; then
  if command -v 7z >/dev/null 2>&1; then
    (cd "$stage" && 7z a -tzip -bd "$out_dir/$archive" "$name" >/dev/null)
  else
    (cd "$stage" && zip -qr "$out_dir/$archive" "$name")
  fi
else
  (cd "$stage" && tar -czf "$out_dir/$archive" "$name")
fi

# "HASH  NAME", written here rather than by the tool: sha256sum on Windows
# may mark binary mode with a `*`.
if command -v sha256sum >/dev/null 2>&1; then
  hash=$(cd "$out_dir" && sha256sum "$archive")
else
  hash=$(cd "$out_dir" && shasum -a 256 "$archive")
fi
printf '%s  %s\n' "${hash%% *}" "$archive" > "$out_dir/$archive.sha256"
cat "$out_dir/$archive.sha256" >&2
echo "$out_dir/$archive"
