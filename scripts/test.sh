#!/usr/bin/env bash
# Run every check of the project: lint, types, the whole test suite (browser tests included).
# It installs what it needs first, so it works on a fresh machine:
#   - Python: a virtualenv in .venv with the project and its test tools (pip);
#   - the browser and Java: Debian's chromium and a Java runtime (apt, when run as root);
#   - axe-core and the Nu HTML Checker (npm, into tools/node_modules, exact versions).
# With CI=true, a missing browser or checker fails its test instead of skipping it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v java >/dev/null || missing+=(default-jre-headless)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

echo "== pip"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test,docs]'

if command -v npm >/dev/null; then
  echo "== npm (axe-core, vnu-jar)"
  (cd tools && npm install --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null)
fi

echo "== ruff"
.venv/bin/ruff check ncpi_site tests docs/hooks.py benchmarks
.venv/bin/ruff format --check ncpi_site tests docs/hooks.py benchmarks
echo "== mypy --strict"
.venv/bin/mypy
echo "== pytest"
.venv/bin/pytest "$@"
