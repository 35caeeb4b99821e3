#!/usr/bin/env bash
# Smoke test of the BUILT bundle (scripts/build_bundle.sh first), run the way a user without
# Python runs it: a clean environment (env -i: no venv, no PYTHONPATH, an empty HOME).
#   scripts/smoke_bundle.sh [BUNDLE_DIR]          default: dist/critique-app
# Checks, each read back (scripts/smoke_checks.py, system python3, standard library only):
#   the bundle's own report (resources, libc2pa_c, worker processes, system libvlc PLAYING a
#   clip); `verify` on a real file with Content Credentials; `probe` and `frame` (by index and
#   by timecode) on a generated clip whose frames show their index; `demo --no-gui`; `export`
#   of the demo seminar (html, pdf, edl, otio); `fingerprint` with 2 worker processes; the GUI
#   started offscreen on the demo project and closed like a user would.
# Inputs: build/smoke/*.mp4 (written by build_bundle.sh) and the Content Credentials fixture
# (CRITIQUE_SMOKE_C2PA, default ../shared/fixtures/provenance/example-assets/Firefly_tabby_cat.jpg).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
bundle="$(cd "${1:-dist/critique-app}" 2>/dev/null && pwd || echo "${1:-dist/critique-app}")"
exe="$bundle/critique-app"
clip="$repo/build/smoke/coded.mp4"
long_clip="$repo/build/smoke/long.mp4"
fixture="${CRITIQUE_SMOKE_C2PA:-$repo/../shared/fixtures/provenance/example-assets/Firefly_tabby_cat.jpg}"

die() { echo "smoke_bundle: $*" >&2; exit 1; }
[ -x "$exe" ] || die "no bundle at $exe; build it first with scripts/build_bundle.sh."
[ -f "$clip" ] && [ -f "$long_clip" ] || die "the test clips in build/smoke/ are missing; scripts/build_bundle.sh writes them."
[ -f "$fixture" ] || die "the Content Credentials fixture $fixture is missing (set CRITIQUE_SMOKE_C2PA to a file signed by Adobe Firefly, or fetch the shared fixtures)."
command -v python3 >/dev/null || die "python3 (the system's, standard library only) is needed to read the results back."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"
check() { /usr/bin/env python3 -I "$repo/scripts/smoke_checks.py" "$@"; }
# The user's world: no venv, no Python paths, no display, an empty home.
app() { env -i PATH=/usr/bin:/bin HOME="$work/home" LANG=C.UTF-8 "$@"; }

failures=0
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
seconds_since() { local ms=$(( $(now_ms) - $1 )); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
started=$(now_ms)
step_started=$started
step() { step_started=$(now_ms); echo "== $*"; }
took() { echo "  ($(seconds_since "$step_started") s)"; }
fail() { echo "  FAILED: $*" >&2; failures=$((failures + 1)); }
run() {  # run the bundle with arguments; stdout to $work/out, stderr to $work/err
  if ! app "${env_extra[@]}" "$exe" "$@" >"$work/out" 2>"$work/err" </dev/null; then
    fail "critique-app ${*} exited with an error:"; sed 's/^/    /' "$work/err" | tail -8 >&2
    return 1
  fi
  if grep -q "Traceback" "$work/err"; then
    fail "critique-app ${*} printed a traceback:"; tail -8 "$work/err" | sed 's/^/    /' >&2
    return 1
  fi
}
env_extra=()

step "version"
run --version && sed 's/^/  ok: /' "$work/out"; took

step "bundle report: resources, libc2pa_c, worker processes, system libvlc playing a clip"
run --bundle-check "$clip" && { check bundle "$work/out" "$bundle" || fail "bundle report"; }; took

step "verify: Content Credentials of $(basename "$fixture")"
run verify --json "$fixture" && { check verify "$work/out" Trusted fully_genai || fail "verify"; }; took

step "probe and frame on a generated clip (48 frames, 320x240, H.264 with B-frames)"
if run probe --json "$clip"; then check probe "$work/out" 48 320 240 || fail "probe"; fi
if run frame "$clip" --index 37 -o "$work/f37.png"; then check frame "$work/f37.png" 37 || fail "frame --index"; fi
if run frame "$clip" --tc 00:00:01:05 -o "$work/tc.png"; then check frame "$work/tc.png" 29 || fail "frame --tc"; fi
took

step "demo --no-gui: the demo project, film and signed Content Credentials"
project="" film="" ca=""
if run demo --no-gui --dir "$work/demo"; then
  project="$(sed -n 's/^project: *//p' "$work/out")"
  film="$(sed -n 's/^film: *//p' "$work/out")"
  ca="$(sed -n 's/^demo CA: *\([^ ]*\).*/\1/p' "$work/out")"
  [ -f "$project" ] && [ -f "$film" ] || fail "demo did not print an existing project and film: $(cat "$work/out")"
fi
took
if [ -f "$film" ]; then
  step "probe and verify the demo film"
  if run probe --json "$film"; then
    frames="$(sed -n 's/.*"frame_count": \([0-9]*\).*/\1/p' "$work/out")"
    [ "${frames:-0}" -gt 0 ] && echo "  ok: $frames frames" || fail "probe found no frames in $film"
  fi
  # the demo film declares its generated passages: partly generative AI, signed by the demo CA
  if run verify --json --trust "$ca" "$film"; then
    check verify "$work/out" Trusted partly_genai || fail "the demo film's Content Credentials"
  fi
  took
fi

if [ -f "$project" ]; then
  step "export the demo seminar: html, pdf, edl, otio"
  for fmt in html pdf edl otio; do
    out="$work/seminar.$fmt"
    if run export "$project" --format "$fmt" -o "$out"; then
      case "$fmt" in
        html) grep -qi "<html" "$out" ;;
        pdf) head -c 5 "$out" | grep -q "%PDF-" ;;
        edl) grep -q "^TITLE:" "$out" ;;
        otio) grep -q '"OTIO_SCHEMA"' "$out" ;;
      esac && echo "  ok: $fmt ($(wc -c <"$out") bytes)" || fail "export $fmt wrote an unreadable $out"
    fi
  done
  took
fi

step "fingerprint with 2 worker processes (a 5000-frame clip)"
if run fingerprint "$long_clip" --project "$work/fp.critique" --workers 2; then
  grep -q "5000 of 5000 frames" "$work/out" && echo "  ok: $(tail -1 "$work/out")" \
    || fail "fingerprint did not hash every frame: $(cat "$work/out")"
fi
took

if [ -f "$project" ]; then
  step "GUI offscreen: open the demo project, close the window after 3 s"
  env_extra=(QT_QPA_PLATFORM=offscreen CRITIQUE_SMOKE_QUIT_MS=3000)
  if app "${env_extra[@]}" timeout 120 "$exe" open "$project" >"$work/out" 2>"$work/err" </dev/null; then
    if grep -q "Traceback" "$work/err"; then
      fail "the GUI printed a traceback:"; tail -8 "$work/err" | sed 's/^/    /' >&2
    else
      check settings "$work/home/.local/share/critique/settings.ini" "$project" || fail "GUI"
    fi
  else
    code=$?
    [ "$code" = 124 ] && fail "the GUI did not close within 120 s" || fail "the GUI exited with status $code:"
    tail -8 "$work/err" | sed 's/^/    /' >&2
  fi
  env_extra=()
  took
fi

total="$(seconds_since "$started")"
if [ "$failures" -gt 0 ]; then
  echo "smoke_bundle: $failures check(s) FAILED ($total s)" >&2
  exit 1
fi
echo "smoke_bundle: all checks passed on $bundle ($total s)"
