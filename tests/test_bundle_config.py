"""Fast checks of the app bundle's configuration (the bundle itself: scripts/smoke_bundle.sh).

build.spec's cuts keep what the app loads, the desktop entry and MIME type are valid and
install into a user's data folder, the icon draws at menu and dock sizes, the launcher's own
report works unfrozen, and the smoke test's stdlib PNG reader agrees with the test factory.
"""

from __future__ import annotations

import ast
import configparser
import json
import os
import pkgutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "build.spec"
DESKTOP = REPO / "resources" / "desktop"
ICON = REPO / "resources" / "icons" / "critique.svg"
MIME = "application/x-critique-project"


def spec_namespace() -> dict[str, Any]:
    """build.spec's constants and filter functions, without running PyInstaller."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    wanted = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in ("keep", "has_debug_info"):
            wanted.append(node)
        elif isinstance(node, ast.Assign) and all(
            isinstance(t, ast.Name) and (t.id.isupper() or t.id == "excludes") for t in node.targets
        ):
            names = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            if names <= {"sys", "Path", "str", "c2pa", "SPECPATH"}:
                wanted.append(node)
    import c2pa

    namespace: dict[str, Any] = {"sys": sys, "Path": Path, "c2pa": c2pa, "SPECPATH": str(REPO)}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace


def test_spec_ships_the_c2pa_library_and_leaves_libvlc_to_the_system() -> None:
    ns = spec_namespace()
    text = SPEC.read_text(encoding="utf-8")
    import c2pa

    assert (Path(c2pa.__file__).parent / "libs" / ns["C2PA_LIB"]).is_file()
    assert '"c2pa/libs"' in text  # where c2pa-python looks for it, next to its module
    keep = ns["keep"]
    for dropped in ("libvlc.so.5", "libvlccore.so.9"):
        assert not keep((dropped, f"/usr/lib/x86_64-linux-gnu/{dropped}", "BINARY"))
    for kept in (
        "PyQt6/Qt6/plugins/platforms/libqxcb.so",  # X11 desktops
        "PyQt6/Qt6/plugins/platforms/libqwayland.so",
        "PyQt6/Qt6/plugins/platforms/libqoffscreen.so",  # the smoke test and CI
        "PyQt6/Qt6/plugins/iconengines/libqsvgicon.so",  # the transport bar's SVG icons
        "PyQt6/Qt6/plugins/imageformats/libqsvg.so",
        "PyQt6/Qt6/plugins/imageformats/libqjpeg.so",
        "PyQt6/Qt6/lib/libQt6Core.so.6",
        "c2pa/libs/libc2pa_c.so",
        "av.libs/libavcodec-5e6b81c2.so.62.28.102",
        "resources/trust/lists.json",
    ):
        assert keep((kept, "/src", "BINARY")), kept
    for cut in (
        "PyQt6/Qt6/translations/qtbase_fr.qm",
        "PyQt6/Qt6/plugins/platforms/libqeglfs.so",
        "PyQt6/Qt6/plugins/platformthemes/libqgtk3.so",
        "numpy/tests/test_x.py",
    ):
        assert not keep((cut, "/src", "DATA")), cut


def _imports_in(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_app_never_imports_what_the_bundle_cuts() -> None:
    """Every import in the app's code, lazy ones included, survives the spec's `excludes`."""
    excludes = spec_namespace()["excludes"]
    offenders = []
    for folder in ("critique_app", "db", "exporters", "scripts"):
        for path in (REPO / folder).rglob("*.py"):
            for name in _imports_in(path):
                for cut in excludes:
                    if name == cut or name.startswith(cut + "."):
                        offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert not offenders, "build.spec cuts modules the app uses:\n" + "\n".join(offenders)


def test_importing_the_whole_app_loads_nothing_the_bundle_cuts() -> None:
    """Dependencies' own imports too (imagehash -> scipy.fftpack -> ...), in a fresh process."""
    excludes = spec_namespace()["excludes"]
    modules = [
        info.name
        for package in ("critique_app", "db", "exporters")
        for info in pkgutil.walk_packages([str(REPO / package)], prefix=f"{package}.")
        if not info.name.endswith("__main__")  # importing it runs the app
    ]
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "import imagehash, scipy.fftpack\n"
        "from PIL import Image\n"
        "imagehash.phash(Image.new('L', (64, 64)))\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    cut = [m for m in loaded for c in excludes if m == c or m.startswith(c + ".")]
    assert not cut, f"build.spec cuts modules the app loads: {cut}"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP / "critique.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_projects_and_names_its_icon() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Critique"
    assert entry["Exec"] == "critique-app open %f"
    assert entry["Terminal"] == "false"
    assert MIME in entry["MimeType"].split(";") and entry["MimeType"].endswith(";")
    categories = entry["Categories"].rstrip(";").split(";")
    assert "AudioVideo" in categories  # a registered main category: the menu shows it
    assert entry["Icon"] == "critique" and ICON.is_file()
    for key, value in entry.items():
        assert "\n" not in value, key


def test_open_without_a_path_is_what_the_menu_runs() -> None:
    """From the menu, %f is empty: `critique-app open` must parse (last project, else demo)."""
    from critique_app.cli import build_parser
    from critique_app.cli.open_cmd import run

    args = build_parser().parse_args(["open"])
    assert args.path is None and args.func is run


def test_mime_type_claims_critique_files_as_sqlite_projects() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(DESKTOP / "critique-mime.xml").getroot()
    (kind,) = root.findall("m:mime-type", ns)
    assert kind.get("type") == MIME
    assert [g.get("pattern") for g in kind.findall("m:glob", ns)] == ["*.critique"]
    assert kind.find("m:sub-class-of", ns).get("type") == "application/vnd.sqlite3"  # type: ignore[union-attr]


def test_install_script_registers_the_app_and_the_project_type(tmp_path: Path) -> None:
    program = tmp_path / "bundle" / "critique-app"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    data, config = tmp_path / "share", tmp_path / "config"
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(data), XDG_CONFIG_HOME=str(config))
    script = str(DESKTOP / "install-desktop.sh")
    done = subprocess.run(
        ["bash", script, "--exec", str(program)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    installed = (data / "applications" / "critique.desktop").read_text(encoding="utf-8")
    assert f"Exec={program} open %f" in installed.splitlines()
    assert (data / "icons/hicolor/scalable/apps/critique.svg").read_bytes() == ICON.read_bytes()
    assert (data / "mime/packages/critique-mime.xml").is_file()
    if subprocess.run(["sh", "-c", "command -v update-mime-database"]).returncode == 0:
        # the database desktops read: *.critique resolves to the project type
        assert f"{MIME}:*.critique" in (data / "mime" / "globs2").read_text(encoding="utf-8")
    else:
        assert "shared-mime-info" in done.stdout
    defaults = (config / "mimeapps.list").read_text(encoding="utf-8")
    assert f"{MIME}=critique.desktop" in defaults

    bad = subprocess.run(
        ["bash", script, "--exec", str(tmp_path / "nothing")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "is not an executable program" in bad.stderr

    gone = subprocess.run(["bash", script, "--uninstall"], env=env, capture_output=True, text=True)
    assert gone.returncode == 0, gone.stderr
    assert not (data / "applications" / "critique.desktop").exists()
    assert not (data / "mime/packages/critique-mime.xml").exists()


@pytest.mark.parametrize("size", [16, 32, 256])
def test_icon_draws_a_rounded_tile_with_a_loupe(qapp: Any, size: int) -> None:
    from PyQt6.QtCore import QRectF, Qt
    from PyQt6.QtGui import QImage, QPainter
    from PyQt6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICON))
    assert renderer.isValid()
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    assert image.pixelColor(0, 0).alpha() == 0  # rounded corners: transparent
    assert image.pixelColor(size // 2, size // 2).alpha() == 255
    colours = {image.pixel(x, y) for x in range(size) for y in range(size)}
    assert len(colours) >= (5 if size < 32 else 8)  # a picture, not a blot


def test_launcher_reports_what_it_finds_unfrozen() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bundle_launcher.py"), "--bundle-check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["frozen"] is False and report["resources_found"] is True
    assert report["c2pa"]["library"].endswith("libc2pa_c.so")
    assert report["multiprocessing"] == {"spawn": True, "forkserver": True}
    assert report["vlc"]["available"] is True, report["vlc"]["reason"]


@pytest.mark.parametrize(
    ("original", "expected"), [("/home/me/lib", "/home/me/lib"), (None, "<unset>")]
)
def test_runtime_hook_gives_child_programs_the_users_library_path(
    original: str | None, expected: str
) -> None:
    hook = REPO / "scripts" / "bundle_runtime_hook.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LD_LIBRARY_PATH")}
    env["LD_LIBRARY_PATH"] = "/opt/critique-app/_internal"
    if original is not None:
        env["LD_LIBRARY_PATH_ORIG"] = original
    code = (
        f"import os, sys; sys.frozen = True; exec(open({str(hook)!r}).read()); "
        "print(os.environ.get('LD_LIBRARY_PATH', '<unset>'), 'LD_LIBRARY_PATH_ORIG' in os.environ)"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.split() == [expected, "False"]


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_smoke_png_reader_agrees_with_the_frame_code(tmp_path: Path, mode: str) -> None:
    from PIL import Image

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import smoke_checks
    finally:
        sys.path.remove(str(REPO / "scripts"))
    from tests.media_factory import coded_frame

    path = tmp_path / "frame.png"
    Image.fromarray(coded_frame(4321, (320, 240))).convert(mode).save(path)
    assert smoke_checks.frame_code(path) == 4321
    (tmp_path / "blank.png").write_bytes(path.read_bytes()[:8] + b"\0" * 8)
    with pytest.raises(smoke_checks.CheckFailed):
        smoke_checks.frame_code(tmp_path / "blank.png")
