#!/usr/bin/env bash
# Measures `sparkplan lsp` latency on the 10,000-ad corpus: the time from an
# edit (didChange) to the publication of the edited file's diagnostics, as an
# editor sees it (debounce included). Not a test: numbers for BENCHMARKS.md.
#
# Usage: bench/lsp.sh [EDITS]   (default 40 edits)
# Builds the release binary and the corpus generator, writes the corpus
# (10,000 Spark Ads in 500 campaign files, as bench/run.sh at 1x), installs
# the LSP client library of tests/lsp (npm ci, committed lock file) and runs
# bench/lsp-latency.mjs with it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
EDITS=${1:-40}

(cd "$ROOT" && cargo build --release --quiet --locked --bin sparkplan --example gen_corpus) >&2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sparkplan-lsp-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp "$TARGET/release/sparkplan" "$WORK/sparkplan"
"$TARGET/release/examples/gen_corpus" --out "$WORK/c1" --ads 10000 --files 500 --scale 1 >&2

(cd "$ROOT/tests/lsp" && npm ci --no-audit --no-fund --silent) >&2
NODE_PATH="$ROOT/tests/lsp/node_modules" \
  node "$ROOT/bench/lsp-latency.mjs" "$WORK/sparkplan" "$WORK/c1" "$EDITS"
