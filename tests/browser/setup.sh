#!/usr/bin/env bash
# The browser test's setup: node, npm and Debian's chromium must be there (scripts/bootstrap.sh installs
# them) — without them the test fails, it is never skipped; then playwright-core, pinned by
# package-lock.json, is installed beside the test in the build folder when it is missing or out of date.
# No browser is ever downloaded: the test drives /usr/bin/chromium.
#   bash tests/browser/setup.sh BUILD_DIR/tests/browser
set -euo pipefail
dir=$1
for tool in node npm chromium; do
  if ! command -v "$tool" >/dev/null; then
    echo "browser test: \`$tool\` is missing; run scripts/bootstrap.sh" >&2
    exit 1
  fi
done
cd "$dir"
if ! cmp -s package-lock.json node_modules/.secretc-package-lock.json; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
  cp package-lock.json node_modules/.secretc-package-lock.json
fi
