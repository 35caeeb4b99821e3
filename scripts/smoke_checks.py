"""Checks for scripts/smoke_bundle.sh, run with the system's python3 and its standard library only.

The smoke test runs the bundle where there is no venv, so its outputs (JSON, a PNG, the
settings file) are read back here without numpy, Pillow or the app's own code. Each check
prints one line; a failure prints one sentence on stderr and exits 1.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

# The frame code of tests/media_factory.py: a 4 x 6 grid of cells in the top half of the
# picture, each a bright/dark pair whose order is one bit; 20 data bits, 4 check bits.
ROWS, COLS, DATA_BITS = 4, 6, 20


class CheckFailed(Exception):
    pass


def read_png(path: Path) -> tuple[int, int, list[bytearray], int]:
    """(width, height, rows of bytes, bytes per pixel) of an 8/16-bit grey/RGB(A) PNG."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise CheckFailed(f"{path} is not a PNG file.")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    if header is None:
        raise CheckFailed(f"{path} has no PNG header.")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if channels is None or depth not in (8, 16) or interlace:
        raise CheckFailed(f"{path}: PNG colour type {colour}, depth {depth} not handled here.")
    bpp = channels * depth // 8
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up, corner = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, rows, bpp


def frame_code(path: Path) -> int:
    """The index a coded test frame shows (same reading as tests/media_factory.read_frame_code)."""
    width, height, rows, bpp = read_png(path)
    step = bpp // 3 if bpp >= 3 else bpp  # bytes per sample (1, or 2 for 16-bit)
    samples = 3 if bpp >= 3 else 1

    def mean(y0: int, y1: int, x0: int, x1: int) -> float:
        total, count = 0, 0
        for y in range(y0, y1):
            row = rows[y]
            for x in range(x0, x1):
                base = x * bpp
                total += sum(row[base + c * step] for c in range(samples)) / samples
                count += 1
        return total / max(count, 1)

    word = 0
    code_h = height // 2
    for bit in range(ROWS * COLS):
        row, col = divmod(bit, COLS)
        y0, y1 = row * code_h // ROWS, (row + 1) * code_h // ROWS
        x0, x1 = col * width // COLS, (col + 1) * width // COLS
        xm = (x0 + x1) // 2
        ya, yb = y0 + (y1 - y0) // 4, y1 - (y1 - y0) // 4
        left = mean(ya, yb, x0 + (xm - x0) // 4, xm - (xm - x0) // 4)
        right = mean(ya, yb, xm + (x1 - xm) // 4, x1 - (x1 - xm) // 4)
        if abs(left - right) < 40:
            raise CheckFailed(f"{path} shows no frame code (cell {bit} has no contrast).")
        word |= int(left > right) << bit
    value = word & ((1 << DATA_BITS) - 1)
    check = 0b0101
    for shift in range(0, DATA_BITS, 4):
        check ^= (value >> shift) & 0xF
    if word >> DATA_BITS != check:
        raise CheckFailed(f"{path}: the frame code fails its check bits.")
    return value


def load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CheckFailed(f"{path} is not the JSON the command should print ({err}).") from err


def check_bundle(path: Path, bundle: Path) -> str:
    report = load_json(path)
    problems = []
    if not report.get("frozen"):
        problems.append("the app does not run frozen")
    if not report.get("resources_found"):
        problems.append(f"resources/ not found (looked in {report.get('resources')})")
    c2pa_lib = report.get("c2pa", {}).get("library") or ""
    if not c2pa_lib.startswith(str(bundle.resolve())):
        problems.append(f"libc2pa_c was not loaded from the bundle ({c2pa_lib or 'not loaded'})")
    workers = report.get("multiprocessing", {})
    for method in ("spawn", "forkserver"):
        if workers.get(method) is not True:
            problems.append(f"multiprocessing '{method}' failed: {workers.get(method)}")
    vlc = report.get("vlc", {})
    if not vlc.get("available"):
        problems.append(f"libvlc unavailable: {vlc.get('reason')}")
    elif not vlc.get("plays"):
        problems.append(
            f"libvlc did not play the clip ({vlc.get('errors') or 'its clock did not move'})"
        )
    if (vlc.get("libvlc") or "").startswith(str(bundle.resolve())):
        problems.append("libvlc was loaded from the bundle, not the system")
    if problems:
        raise CheckFailed("; ".join(problems) + ".")
    return (
        f"frozen; resources, libc2pa_c from the bundle; spawn+forkserver workers; "
        f"system libvlc {vlc.get('libvlc')} played {vlc.get('time_events')} clock ticks; "
        f"Qt {report.get('qt', {}).get('version')}"
    )


def check_verify(path: Path, want_state: str, want_signal: str) -> str:
    reports = load_json(path)
    if not isinstance(reports, list) or len(reports) != 1:
        raise CheckFailed(f"{path}: expected a JSON list with one file.")
    c2pa = reports[0].get("c2pa", {})
    got = (c2pa.get("state"), c2pa.get("ai_signal"))
    if got != (want_state, want_signal):
        raise CheckFailed(
            f"verify said state {got[0]!r}, AI signal {got[1]!r}; expected "
            f"{want_state!r}, {want_signal!r} ({c2pa.get('error') or c2pa.get('summary')})."
        )
    return f"state {got[0]}, AI signal {got[1]}, generator {c2pa.get('generator')}"


def check_probe(path: Path, frames: int, width: int, height: int) -> str:
    info = load_json(path)
    got = (info.get("frame_count"), info.get("width"), info.get("height"))
    if got != (frames, width, height):
        raise CheckFailed(
            f"probe said {got} (frames, width, height); expected {(frames, width, height)}."
        )
    return f"{info.get('codec')} {width}x{height}, {frames} frames at {info.get('rate')} fps"


def check_settings(path: Path, project: Path) -> str:
    """The window opened the project (last_project) and closed through closeEvent (geometry)."""
    if not path.is_file():
        raise CheckFailed(f"{path} was not written: the window never opened a project.")
    text = path.read_text(encoding="utf-8", errors="replace")
    if f"last_project={project.resolve()}" not in text:
        raise CheckFailed(f"{path} does not name {project} as the last project opened.")
    if "geometry=" not in text:
        raise CheckFailed(f"{path} has no window geometry: the window did not close normally.")
    return "project opened, window closed normally (settings saved)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="check", required=True)
    p = sub.add_parser("bundle")
    p.add_argument("json", type=Path)
    p.add_argument("bundle", type=Path)
    p = sub.add_parser("verify")
    p.add_argument("json", type=Path)
    p.add_argument("state")
    p.add_argument("signal")
    p = sub.add_parser("probe")
    p.add_argument("json", type=Path)
    p.add_argument("frames", type=int)
    p.add_argument("width", type=int)
    p.add_argument("height", type=int)
    p = sub.add_parser("frame")
    p.add_argument("png", type=Path)
    p.add_argument("index", type=int)
    p = sub.add_parser("settings")
    p.add_argument("ini", type=Path)
    p.add_argument("project", type=Path)
    args = parser.parse_args()
    try:
        if args.check == "bundle":
            line = check_bundle(args.json, args.bundle)
        elif args.check == "verify":
            line = check_verify(args.json, args.state, args.signal)
        elif args.check == "probe":
            line = check_probe(args.json, args.frames, args.width, args.height)
        elif args.check == "frame":
            got = frame_code(args.png)
            if got != args.index:
                raise CheckFailed(f"{args.png} shows frame {got}, not frame {args.index}.")
            line = f"the PNG shows frame {got}, as asked"
        else:
            line = check_settings(args.ini, args.project)
    except CheckFailed as err:
        print(f"  FAILED: {err}", file=sys.stderr)
        return 1
    print(f"  ok: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
