#!/usr/bin/env bash
# Runs the browser test (serve_test.mjs) from its copy in the build folder, where setup.sh installed
# playwright-core.   bash tests/browser/run.sh BUILD_DIR/tests/browser SECRETC SOURCE_DIR
set -euo pipefail
dir=$1 secretc=$2 source=$3
if ! command -v node >/dev/null; then
  echo "browser test: \`node\` is missing; run scripts/bootstrap.sh" >&2
  exit 1
fi
exec node "$dir/serve_test.mjs" --secretc "$secretc" --source "$source" --out "$dir/screenshots"
