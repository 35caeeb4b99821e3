#!/usr/bin/env bash
# Critique's translation catalogues, with Babel (docs/translation.md says why and how):
#   scripts/i18n.sh extract       the sources' strings -> resources/locale/critique.pot
#   scripts/i18n.sh update        critique.pot -> every <lang>/LC_MESSAGES/critique.po
#                                 (new strings empty, changed ones marked fuzzy, gone ones obsolete)
#   scripts/i18n.sh compile       every critique.po -> critique.mo (what the app reads; not committed)
#   scripts/i18n.sh init LANG     a catalogue for a new language, e.g. `init de`
#   scripts/i18n.sh all           extract, update, compile
# tests/test_translations.py fails until every string of every .po is translated, none is fuzzy
# or obsolete, and critique.pot holds exactly the strings of the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
LOCALE=resources/locale
POT="${CRITIQUE_POT:-$LOCALE/critique.pot}"  # tests extract into a file of their own

# -q before the sub-command: pybabel logs each file it reads otherwise
pybabel() { "$PY" -m babel.messages.frontend -q "$@"; }

extract() {
  # file names without line numbers, strings grouped by file: a diff shows only real changes
  pybabel extract -F babel.cfg -k N_ -c Translators: --add-location=file --sort-by-file \
    --project=Critique -w 100 -o "$POT" .
  echo "wrote $POT"
}

update() {
  pybabel update -i "$POT" -d "$LOCALE" -D critique --previous -w 100 \
    --ignore-pot-creation-date
  echo "updated the catalogues of $LOCALE: translate the empty entries, check the fuzzy ones"
  echo "(then remove their '#, fuzzy' line) and delete the obsolete ones (#~)."
}

compile() {
  # --use-fuzzy is never given: a fuzzy translation stays out of the .mo
  pybabel compile -d "$LOCALE" -D critique --statistics
}

case "${1:-}" in
  extract) extract ;;
  update) update ;;
  compile) compile ;;
  init)
    [ -n "${2:-}" ] || { echo "usage: scripts/i18n.sh init LANG   (e.g. de)" >&2; exit 2; }
    pybabel init -i "$POT" -d "$LOCALE" -D critique -l "$2" -w 100
    ;;
  all) extract; update; compile ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
