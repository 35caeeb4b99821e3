#!/usr/bin/env bash
# Builds the one-folder app bundle dist/critique-app/ (run it as dist/critique-app/critique-app)
# from build.spec with PyInstaller, installing PyInstaller into .venv first when it is missing.
# Also writes a small generated clip to build/smoke/ for scripts/smoke_bundle.sh (not shipped).
# Usage: scripts/build_bundle.sh            then   scripts/smoke_bundle.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_venv bundle
compile_catalogues
if ! .venv/bin/python -c 'import PyInstaller' 2>/dev/null; then
  echo "Installing PyInstaller into .venv…"
  .venv/bin/python -m pip install -q -e ".[bundle]"
fi

started=$(date +%s)
rm -rf dist/critique-app build/pyinstaller
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller build.spec

# Clips whose frames show their own index (tests/media_factory.py): the smoke test asks the
# bundle for one exact frame and reads back which one it got; the long tiny one is enough
# frames for fingerprinting to split the work over worker processes.
mkdir -p build/smoke
.venv/bin/python - <<'EOF'
from pathlib import Path

from tests.media_factory import make_coded_clip

if not Path("build/smoke/coded.mp4").is_file():
    make_coded_clip("build/smoke/coded.mp4", frames=48, size=(320, 240), gop=12, bframes=2)
if not Path("build/smoke/long.mp4").is_file():
    make_coded_clip("build/smoke/long.mp4", frames=5000, size=(96, 64), gop=48, bframes=2)
EOF

echo "Built dist/critique-app/ in $(( $(date +%s) - started )) s: $(du -sh dist/critique-app | cut -f1)"
echo "Largest parts:"
du -sh dist/critique-app/_internal/* | sort -rh | head -12 | sed 's/^/  /'
echo "Run it: dist/critique-app/critique-app    Check it: scripts/smoke_bundle.sh"
