#!/usr/bin/env bash
# The language server test: installs the pinned LSP client library from the
# committed package-lock.json and drives `sparkplan lsp` with it.
# The server is target/debug/sparkplan (built here if missing), or $SPARKPLAN_BIN.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -z ${SPARKPLAN_BIN:-} ]]; then
  (cd ../.. && cargo build --quiet --locked --bin sparkplan)
fi
npm ci --no-audit --no-fund
node --test --test-reporter=spec lsp-client-test.mjs
