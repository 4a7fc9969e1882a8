#!/usr/bin/env bash
# Creates .venv with Python 3.11 and installs the project (and, with "test", its test tools).
# Re-runs pip only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
py="${PYTHON:-}"
if [ -z "$py" ]; then
  for c in python3.11 python3; do command -v "$c" >/dev/null 2>&1 && py="$c" && break; done
fi
[ -x .venv/bin/python ] || "$py" -m venv .venv
stamp=".venv/.minsheng-${extra:-run}.sha"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Python packages into .venv (log: .venv/pip.log) ..."
  target="."
  [ -n "$extra" ] && target=".[$extra]"
  # Quiet unless it fails: build back-ends print pages of harmless warnings.
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e "$target"; } \
      > .venv/pip.log 2>&1; then
    tail -n 40 .venv/pip.log
    exit 1
  fi
  echo "$want" > "$stamp"
fi
