#!/usr/bin/env bash
# The French a user sees with LANG=fr_FR.UTF-8 and nothing else set (issue 22), as pictures at
# 1280×800 in docs/fr/: the command line in a real terminal (--help, verify on the demo's
# signed film, the error on a missing file), the seminar's handout in HTML (Chromium) and in
# PDF (pdftoppm), and the window's View menu (the real window under Xvfb, opened with a click).
#
#   scripts/french_screenshots.sh [OUT_DIR]        (default docs/fr)
#
# Needs Xvfb, openbox, xdotool, xterm, chromium, pdftoppm and ffmpeg (x11grab):
#   apt-get install xvfb openbox xdotool xterm chromium poppler-utils ffmpeg
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
OUT=${1:-docs/fr}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export CRITIQUE_DATA_DIR=$WORK/data  # the user's own preferences are neither read nor changed
PY=$REPO/.venv/bin/python

# the French of a computer set to French, and nothing else
french() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=fr_FR.UTF-8 "$@"; }

"$PY" -m critique_app demo --no-gui --dir "$WORK/demo" >/dev/null
PROJECT=$(ls "$WORK"/demo/*.critique)
FILM=$(ls "$WORK"/demo/*.mp4)
SEMINAR=$("$PY" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select name from seminars').fetchone()[0])" "$PROJECT")

DISPLAY_NUMBER=:$((90 + RANDOM % 50))
Xvfb "$DISPLAY_NUMBER" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1
export DISPLAY=$DISPLAY_NUMBER
openbox --sm-disable >/dev/null 2>&1 &
sleep 1
grab() { ffmpeg -loglevel error -y -f x11grab -video_size 1280x800 -i "$DISPLAY" -frames:v 1 "$1"; }

# 1. The command line in a terminal
cat > "$WORK/session.sh" <<EOF
cd "$WORK/demo"
PS1='\$ '
say() { printf '\033[1m\$ %s\033[0m\n' "\$*"; }
fr() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=fr_FR.UTF-8 "\$@"; }
say critique-app --help; fr "$PY" -m critique_app --help | head -22; echo
say critique-app verify "$(basename "$FILM")"; fr "$PY" -m critique_app verify "$FILM" | head -12; echo
say critique-app verify absent.mp4; fr "$PY" -m critique_app verify absent.mp4 || true
touch "$WORK/terminal-done"; sleep 60
EOF
# the terminal itself in UTF-8 whether or not fr_FR.UTF-8 is generated here; each command
# runs with LANG=fr_FR.UTF-8 alone
env LC_ALL=C.UTF-8 xterm -u8 -fa 'DejaVu Sans Mono' -fs 9 -geometry 150x50+0+0 -bg white -fg black \
    -e bash "$WORK/session.sh" &
for _ in $(seq 120); do [ -e "$WORK/terminal-done" ] && break; sleep 0.5; done
sleep 1
grab "$OUT/terminal.png"
kill %3 2>/dev/null || true

# 2. The seminar's handout, HTML in Chromium and the PDF's first page
french "$PY" -m critique_app export "$PROJECT" --seminar "$SEMINAR" --format html -o "$WORK/fiche.html" >/dev/null
french "$PY" -m critique_app export "$PROJECT" --seminar "$SEMINAR" --format pdf -o "$WORK/fiche.pdf" >/dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,800 \
    --screenshot="$OUT/handout-html.png" "file://$WORK/fiche.html" >/dev/null 2>&1
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$WORK/fiche.pdf" "$OUT/handout-pdf"

# 3. The window's View menu
french "$PY" -m critique_app open "$PROJECT" >/dev/null 2>&1 &
for _ in $(seq 120); do
    WINDOW=$(xdotool search --onlyvisible --name "Critique demo" 2>/dev/null | tail -1 || true)
    [ -n "$WINDOW" ] && break
    sleep 0.5
done
sleep 3
if xdotool search --onlyvisible --name "Bienvenue" >/dev/null 2>&1; then  # first run: a name
    xdotool type --delay 40 "Chloé Martin"; xdotool key Tab; xdotool type "CM"; xdotool key Return
    sleep 1
fi
xdotool windowactivate --sync "$WINDOW" 2>/dev/null || true
sleep 1
# "Affichage" in the menu bar: found by its place in a 1280-wide window (after Marquer)
xdotool mousemove 277 46 click 1
sleep 1
xdotool key Up   # to "Loupes", the last but one entry: its submenu opens with Right
xdotool key Up
xdotool key Right
sleep 1
grab "$OUT/window-view-menu.png"
xdotool key Escape Escape ctrl+q
sleep 2
echo "wrote $OUT/terminal.png, handout-html.png, handout-pdf.png, window-view-menu.png"
