#!/usr/bin/env bash
# Run every check of the project: lint, types, the whole test suite. Installs what it needs first
# (a virtualenv in .venv with the project and its test tools), so it works on a fresh machine.
# With CI=true, a missing browser or checker is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

echo "== ruff"
.venv/bin/ruff check ncpi_site tests
.venv/bin/ruff format --check ncpi_site tests
echo "== mypy --strict"
.venv/bin/mypy
echo "== pytest"
.venv/bin/pytest "$@"
