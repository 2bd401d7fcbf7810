#!/usr/bin/env bash
# Installs a released sparkplan binary: downloads the archive for this
# machine, verifies its SHA-256 checksum, and puts `sparkplan` into a folder.
#
#   curl -LsSf https://github.com/sparkplan/sparkplan/releases/latest/download/install.sh | bash
#   bash install.sh --version 0.2.0 --to ~/.local/bin
#
# Options (each also read from an environment variable):
#   --version V  SPARKPLAN_VERSION      a release such as 0.2.0 or v0.2.0, or `latest` (default)
#   --to DIR     SPARKPLAN_INSTALL_DIR  where `sparkplan` goes (default: ~/.local/bin)
#   --target T   SPARKPLAN_TARGET       a Rust target triple (default: this machine's)
#                SPARKPLAN_RELEASE_BASE where releases live (default:
#                https://github.com/sparkplan/sparkplan/releases); a folder
#                (or file://) laid out the same way works too:
#                BASE/download/vX.Y.Z/ASSET and BASE/latest/download/ASSET
#
# Exit codes: 0 installed; 1 failed (a checksum mismatch, a download or
# archive error); 2 bad usage; 3 no binary is published for this version and
# machine (the caller may build from source instead: the GitHub Action does).
#
# Needs bash (3.2 is enough: macOS), curl or wget for URLs, tar (unzip or 7z
# on Windows), and sha256sum or shasum.
set -euo pipefail

EXIT_FAILED=1
EXIT_USAGE=2
EXIT_NO_BINARY=3

version=${SPARKPLAN_VERSION:-latest}
install_dir=${SPARKPLAN_INSTALL_DIR:-${HOME:-.}/.local/bin}
target=${SPARKPLAN_TARGET:-}
base=${SPARKPLAN_RELEASE_BASE:-https://github.com/sparkplan/sparkplan/releases}

say() { printf 'sparkplan install: %s\n' "$*" >&2; }
die() {
  code=$1
  shift
  say "$*"
  exit "$code"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || die $EXIT_USAGE "--version needs a value"; version=$2; shift 2 ;;
    --to) [ $# -ge 2 ] || die $EXIT_USAGE "--to needs a value"; install_dir=$2; shift 2 ;;
    --target) [ $# -ge 2 ] || die $EXIT_USAGE "--target needs a value"; target=$2; shift 2 ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die $EXIT_USAGE "unknown argument \`$1\` (try --help)" ;;
  esac
done
[ -n "$version" ] || version=latest

# This machine's target triple, among those the release workflow builds.
detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux)
      case "$arch" in
        x86_64 | amd64) echo x86_64-unknown-linux-musl ;;
        aarch64 | arm64) echo aarch64-unknown-linux-musl ;;
      esac ;;
    Darwin)
      case "$arch" in
        x86_64) echo x86_64-apple-darwin ;;
        arm64 | aarch64) echo aarch64-apple-darwin ;;
      esac ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      case "$arch" in
        x86_64 | amd64) echo x86_64-pc-windows-msvc ;;
      esac ;;
  esac
}
if [ -z "$target" ]; then
  target=$(detect_target)
  [ -n "$target" ] || die $EXIT_NO_BINARY "no release binary for $(uname -s) $(uname -m); build from source: cargo install --locked --git https://github.com/sparkplan/sparkplan sparkplan"
fi

case "$target" in
  *-windows-*) ext=zip; exe=.exe ;;
  *) ext=tar.gz; exe= ;;
esac
asset="sparkplan-$target.$ext"
case "$version" in
  latest) dir="$base/latest/download" ;;
  v*) dir="$base/download/$version" ;;
  *) dir="$base/download/v$version" ;;
esac

# fetch URL DEST: 0 fetched, 3 not there, 1 any other failure.
fetch() {
  src=$1
  dest=$2
  case "$src" in
    http://* | https://*)
      if command -v curl >/dev/null 2>&1; then
        status=$(curl --silent --show-error --location --retry 3 --output "$dest" \
          --write-out '%{http_code}' "$src") || return $EXIT_FAILED
        case "$status" in
          200) return 0 ;;
          404) return $EXIT_NO_BINARY ;;
          *) say "HTTP $status for $src"; return $EXIT_FAILED ;;
        esac
      elif command -v wget >/dev/null 2>&1; then
        # wget exits 8 when the server answered with an error (here: 404).
        wget -q -O "$dest" "$src" && return 0
        [ $? -eq 8 ] && return $EXIT_NO_BINARY
        return $EXIT_FAILED
      else
        say "needs curl or wget to download $src"
        return $EXIT_FAILED
      fi ;;
    *)
      path=${src#file://}
      [ -f "$path" ] || return $EXIT_NO_BINARY
      cp "$path" "$dest" || return $EXIT_FAILED ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sum=$(sha256sum "$1")
  elif command -v shasum >/dev/null 2>&1; then
    sum=$(shasum -a 256 "$1")
  else
    die $EXIT_FAILED "needs sha256sum or shasum to verify the download"
  fi
  # Strip the name, and the `\` GNU tools put first for odd file names.
  sum=${sum%% *}
  echo "${sum#\\}"
}

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t sparkplan)
trap 'rm -rf "$tmp"' EXIT

say "downloading $asset ($version) from $dir"
status=0
fetch "$dir/$asset" "$tmp/$asset" || status=$?
if [ "$status" -eq $EXIT_NO_BINARY ]; then
  die $EXIT_NO_BINARY "no $asset in release $version (not published for this version or machine)"
elif [ "$status" -ne 0 ]; then
  die $EXIT_FAILED "cannot download $dir/$asset"
fi
status=0
fetch "$dir/$asset.sha256" "$tmp/$asset.sha256" || status=$?
if [ "$status" -ne 0 ]; then
  die $EXIT_FAILED "cannot download $asset.sha256: refusing to install an unverified binary"
fi

expected=$(sed -n '1s/[[:space:]].*//p' "$tmp/$asset.sha256" | tr 'A-F' 'a-f')
actual=$(sha256_of "$tmp/$asset")
case "$expected" in
  [0-9a-f]*) ;;
  *) die $EXIT_FAILED "$asset.sha256 holds no checksum" ;;
esac
if [ "$expected" != "$actual" ]; then
  die $EXIT_FAILED "checksum mismatch for $asset: expected $expected, got $actual; nothing installed"
fi
say "checksum verified: $actual"

mkdir -p "$tmp/x"
case "$ext" in
  zip)
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$tmp/$asset" -d "$tmp/x" || die $EXIT_FAILED "cannot unpack $asset"
    elif command -v 7z >/dev/null 2>&1; then
      7z x -bd -y "-o$tmp/x" "$tmp/$asset" >/dev/null || die $EXIT_FAILED "cannot unpack $asset"
    else
      die $EXIT_FAILED "needs unzip or 7z to unpack $asset"
    fi ;;
  *) tar -xzf "$tmp/$asset" -C "$tmp/x" || die $EXIT_FAILED "cannot unpack $asset" ;;
esac
bin="$tmp/x/sparkplan-$target/sparkplan$exe"
[ -f "$bin" ] || die $EXIT_FAILED "$asset does not hold sparkplan-$target/sparkplan$exe"

# Copy next to the destination, then rename: an interrupted install never
# leaves half a binary where `sparkplan` was.
mkdir -p "$install_dir" || die $EXIT_FAILED "cannot create $install_dir"
dest="$install_dir/sparkplan$exe"
if ! { cp "$bin" "$dest.tmp.$$" && chmod 755 "$dest.tmp.$$" && mv -f "$dest.tmp.$$" "$dest"; }; then
  rm -f "$dest.tmp.$$"
  die $EXIT_FAILED "cannot write $dest"
fi
installed=$("$dest" --version) || die $EXIT_FAILED "installed $dest, but it does not run here"
say "installed $installed at $dest"
case ":${PATH:-}:" in
  *":$install_dir:"*) ;;
  *) say "$install_dir is not on PATH; add it, or run $dest" ;;
esac
