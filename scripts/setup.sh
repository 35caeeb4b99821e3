# Sourced by ./run-app and ./run-tests: installs what Critique needs, once.
#   ensure_debian_packages app|test   Debian packages (installed when root, else one clear sentence)
#   ensure_venv                       .venv with the Python packages (re-run when pyproject.toml changes)
#   compile_catalogues                the translations (.mo) from their .po, when one changed
# Works on Debian/Ubuntu; elsewhere it only sets up the venv (see README for macOS/Windows).

APP_DEBS="libvlc5 vlc-plugin-base vlc-plugin-video-output libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3"
TEST_DEBS="xvfb xauth poppler-utils openbox xdotool x11-utils ffmpeg"

missing_debs() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

ensure_debian_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian/Ubuntu: see README
  local wanted="$APP_DEBS"
  [ "${1:-app}" = test ] && wanted="$APP_DEBS $TEST_DEBS"
  local venv_deb=""
  python3 -c 'import ensurepip' >/dev/null 2>&1 || venv_deb="python3-venv"
  # shellcheck disable=SC2086
  local missing; missing="$(missing_debs $wanted) $venv_deb"
  missing="$(echo $missing)"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "Critique needs these Debian packages, which are not installed: $missing." >&2
    echo "Install them with: sudo apt-get install --no-install-recommends $missing" >&2
    if [ "${1:-app}" = test ]; then exit 1; fi
    case " $missing " in
      *" python3-venv "*) exit 1 ;;
    esac
    echo "(Starting anyway: without libvlc Critique plays video from exact frames, without sound.)" >&2
  fi
}

ensure_venv() {
  local extra="${1:-}"
  local py="${PYTHON:-python3}"
  if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "Critique needs Python 3.10 or newer; $("$py" --version 2>&1) was found." >&2
    exit 1
  fi
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  local stamp=".venv/.critique-installed$extra"
  # the test set-up (dev extra) includes everything the app needs
  if [ -z "$extra" ] && [ -f .venv/.critique-installeddev ] && [ ! pyproject.toml -nt .venv/.critique-installeddev ]; then
    return 0
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "Installing Python packages into .venv (first run takes about a minute)…"
    local spec="."
    [ -n "$extra" ] && spec=".[$extra]"
    local log=".venv/pip-install.log"
    if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e "$spec"; } >"$log" 2>&1; then
      grep -v "is ignored" "$log" | tail -n 20 >&2
      echo "The Python packages did not install (full log: $log)." >&2
      exit 1
    fi
    .venv/bin/python -c 'import critique_app, PyQt6, av, c2pa' || { echo "The Python packages did not install; see $log." >&2; exit 1; }
    touch "$stamp"
  fi
}

# The translations' compiled catalogues (resources/locale/*/LC_MESSAGES/critique.mo, never
# committed) from their .po, when one is missing or older than its .po: docs/translation.md.
compile_catalogues() {
  local po mo stale=""
  for po in resources/locale/*/LC_MESSAGES/critique.po; do
    [ -f "$po" ] || continue
    mo="${po%.po}.mo"
    if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then stale=1; fi
  done
  [ -z "$stale" ] && return 0
  if ! PYTHON=.venv/bin/python scripts/i18n.sh compile >/dev/null; then
    echo "The translations did not compile: run scripts/i18n.sh compile to see why." >&2
    exit 1
  fi
}
