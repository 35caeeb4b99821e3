#!/usr/bin/env bash
# Adds Critique to the desktop of the current user (no root needed): a menu entry with its
# icon, and the *.critique project type, so a double-click on a project opens it in Critique.
#   install-desktop.sh [--exec PROGRAM]    install (PROGRAM: the critique-app to run)
#   install-desktop.sh --uninstall         remove what it installed
# Without --exec it uses the bundle this script sits in (dist/critique-app/critique-app), else
# `critique-app` on the PATH (pip install). Files go under ${XDG_DATA_HOME:-~/.local/share}.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
icon="$here/../icons/critique.svg"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mime_type="application/x-critique-project"
program=""
action=install

while [ $# -gt 0 ]; do
  case "$1" in
    --exec) program="${2:?--exec needs the path of critique-app}"; shift 2 ;;
    --uninstall) action=uninstall; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop.sh: unknown argument '$1' (see --help)." >&2; exit 2 ;;
  esac
done

have() { command -v "$1" >/dev/null 2>&1; }

refresh() {  # the caches desktops read; each tool is optional
  have update-mime-database && update-mime-database "$data/mime" >/dev/null 2>&1 || true
  have update-desktop-database && update-desktop-database -q "$data/applications" 2>/dev/null || true
  have gtk-update-icon-cache && gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
  rm -f "$data/applications/critique.desktop" \
        "$data/mime/packages/critique-mime.xml" \
        "$data/icons/hicolor/scalable/apps/critique.svg" \
        "$data/icons/hicolor/scalable/mimetypes/application-x-critique-project.svg"
  refresh
  echo "Removed Critique's menu entry and project type from $data."
  exit 0
fi

if [ -z "$program" ]; then
  bundle_exe="$(cd "$here/../../.." 2>/dev/null && pwd)/critique-app"   # <bundle>/_internal/resources/desktop
  if [ -x "$bundle_exe" ] && [ -f "$bundle_exe" ]; then
    program="$bundle_exe"
  elif have critique-app; then
    program="$(command -v critique-app)"
  else
    echo "install-desktop.sh: no critique-app found; pass its path with --exec PROGRAM." >&2
    exit 1
  fi
fi
if [ ! -x "$program" ]; then
  echo "install-desktop.sh: $program is not an executable program." >&2
  exit 1
fi
program="$(cd "$(dirname "$program")" && pwd)/$(basename "$program")"
case "$program" in
  *[[:space:]\"\\\`\$]*)
    echo "install-desktop.sh: the path $program contains spaces or quotes; move Critique to a simpler path." >&2
    exit 1 ;;
esac

mkdir -p "$data/applications" "$data/mime/packages" \
         "$data/icons/hicolor/scalable/apps" "$data/icons/hicolor/scalable/mimetypes"
# The menu entry, pointed at this very program (a bundle is not on the PATH).
sed -e "s|^Exec=critique-app |Exec=$program |" -e "s|^TryExec=.*|TryExec=$program|" \
  "$here/critique.desktop" > "$data/applications/critique.desktop"
cp "$here/critique-mime.xml" "$data/mime/packages/critique-mime.xml"
cp "$icon" "$data/icons/hicolor/scalable/apps/critique.svg"
cp "$icon" "$data/icons/hicolor/scalable/mimetypes/application-x-critique-project.svg"
refresh
if have xdg-mime; then
  xdg-mime default critique.desktop "$mime_type" 2>/dev/null || true
else  # what xdg-mime would write: the default application for the type
  config="${XDG_CONFIG_HOME:-$HOME/.config}"
  mkdir -p "$config"
  list="$config/mimeapps.list"
  touch "$list"
  if ! grep -q "^$mime_type=" "$list"; then
    if grep -q '^\[Default Applications\]' "$list"; then
      sed -i "/^\[Default Applications\]/a $mime_type=critique.desktop" "$list"
    else
      printf '[Default Applications]\n%s=critique.desktop\n' "$mime_type" >> "$list"
    fi
  fi
fi

echo "Installed Critique in the applications menu (runs $program)."
if ! have update-mime-database; then
  echo "Double-clicking *.critique projects needs the MIME database tool: install shared-mime-info" \
       "(Debian: sudo apt-get install shared-mime-info), then run this script again."
fi
