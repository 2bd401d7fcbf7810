#!/usr/bin/env bash
# The editor test: installs the pinned yaml-language-server from the committed
# package-lock.json and runs lsp-test.mjs against schema/sparkplan.schema.json.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node --test --test-reporter=spec lsp-test.mjs
