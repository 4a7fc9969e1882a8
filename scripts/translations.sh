#!/usr/bin/env bash
# Refreshes the English translation of the UI (the msgids are the Chinese source strings).
#
# Core and every module keep their own catalog, so a module brings its translations with it:
# core/translations/ and modules/<name>/translations/ (messages.pot, en/LC_MESSAGES/messages.po
# and .mo). The app merges core's catalog with those of the modules present.
#
# For each catalog (all of them, or the ones named: scripts/translations.sh core hearings):
#   1. extract: every string marked with _(), gettext(), ngettext(), lazy_gettext(), _l() or N_() in
#      that folder's Python and Jinja templates (babel.cfg) goes into its messages.pot. Labels
#      the templates translate at render time (menu items, module titles, step names ...) are
#      listed with N_() in an i18n_labels.py (core/web/i18n_labels.py, modules/<name>/...).
#   2. update: merges the template into en/LC_MESSAGES/messages.po (created the first time);
#      new strings arrive with an empty msgstr, changed ones as "fuzzy".
#   3. compile: writes messages.mo next to it. The app reads the .mo at runtime and nothing
#      builds it on deploy, so commit the .po, .pot and .mo together.
#
# Then translate the entries it lists at the end (empty msgstr, or "fuzzy": a guess from a similar
# old string; fix the msgstr and delete the "#, fuzzy" line), run this again and commit.
# tests/test_i18n.py fails while any entry is untranslated, a marked string is missing from its
# catalog, or a .mo is older than its .po.
#
# Idempotent: locations are file names only (no line numbers) and a .pot is kept when only its
# creation date would change, so a re-run without new strings leaves every file as it was.
set -euo pipefail
cd "$(dirname "$0")/.."

pybabel="$PWD/.venv/bin/pybabel"
cfg="$PWD/babel.cfg"
[ -x "$pybabel" ] || ./scripts/venv.sh
version="$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)"

if [ "$#" -gt 0 ]; then
  names=("$@")
else
  names=(core)
  for d in modules/*/; do [ -f "$d/module.py" ] && names+=("$(basename "$d")"); done
fi

# Keep the old template when nothing but its POT-Creation-Date line differs.
same() { diff -q <(grep -v '^"POT-Creation-Date:' "$1") <(grep -v '^"POT-Creation-Date:' "$2") >/dev/null; }

new_pot=$(mktemp)
trap 'rm -f "$new_pot"' EXIT
for name in "${names[@]}"; do
  if [ "$name" = core ]; then src=core; else src="modules/$name"; fi
  [ -d "$src" ] || { echo "no such catalog: $name" >&2; exit 2; }
  dir="$src/translations"
  pot="$dir/messages.pot"
  mkdir -p "$dir"
  (cd "$src" && "$pybabel" -q extract -F "$cfg" \
    -k _ -k gettext -k ngettext -k lazy_gettext -k _l -k N_ \
    --add-location=file --add-comments=TRANSLATORS: \
    --project="Minsheng $name" --version="$version" \
    --copyright-holder="Minsheng contributors" \
    -o "$new_pot" .)
  if [ -f "$pot" ] && same "$pot" "$new_pot"; then
    :
  else
    cat "$new_pot" >"$pot"
  fi
  "$pybabel" -q update -i "$pot" -d "$dir" -l en --init-missing --ignore-obsolete
  "$pybabel" -q compile -d "$dir" -l en
  po="$dir/en/LC_MESSAGES/messages.po"

  # What is left to translate (pybabel's own statistics count fuzzy entries as translated).
  .venv/bin/python - "$po" <<'PY'
import sys

from babel.messages.pofile import read_po

with open(sys.argv[1], "rb") as f:
    catalog = read_po(f)
messages = [m for m in catalog if m.id]
todo = [m for m in messages if not m.string or m.fuzzy]
print(f"{sys.argv[1]}: {len(messages)} messages, {len(todo)} to translate")
for m in todo:
    print(f"  {'fuzzy' if m.fuzzy else 'empty'}: {m.id}")
PY
done
