"""Submissions for screening tests: generated films and stills, real C2PA files, junk.

A library clip and still (stand-ins for known AI material), a festival copy of the clip
re-encoded at another size, a JPEG copy of the still, a signed AI clip in the library and a
trailer that shows it cropped by 10% with its manifest stripped (recovered by content), a still signed with an AI declaration,
real files from ../shared/fixtures/provenance (tampered, hostile, fragmented MP4, WebP), a film
with a misleading name, a paired .c2pa sidecar, and files that are not media at all.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import psutil
import pytest
from PIL import Image

from tests.media_factory import make_coded_clip

CORPUS_FILES = [
    "public-testfiles/adobe-20220124-E-sig-CA.jpg",  # tampered: claimSignature.mismatch
    "c2pa-rs/C.jpg",  # valid, test signer, algorithmicMedia
    "c2pa-rs/nested_moov_1000.mp4",  # hostile: 1000 nested moov boxes
    "c2pa-rs/dashinit.mp4",  # fragmented MP4 init ...
    "c2pa-rs/dash1.m4s",  # ... and its fragment
    "c2pa-rs/sample1.webp",  # no manifest
]
VOLATILE = {"seconds", "cpu_seconds", "screened_by", "worker"}


def reencode(src: Path, dst: Path, size: tuple[int, int], crf: int = 30) -> Path:
    """A festival's copy: decoded, rescaled and encoded again with other settings."""
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(24), options={"crf": str(crf)})
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for i, frame in enumerate(inp.decode(video=0)):
            small = frame.reformat(size[0], size[1], "yuv420p")
            small.pts, small.time_base = i, Fraction(1, 24)
            out.mux(stream.encode(small))
        out.mux(stream.encode(None))
    return dst


@pytest.fixture(scope="session")
def screening_material(
    tmp_path_factory: pytest.TempPathFactory, provenance_corpus: Path
) -> dict[str, Path]:
    from critique_app.provenance.c2pa_signer import sign_file
    from critique_app.services.fingerprinting import add_to_library
    from db.project import open_project
    from tests.provenance.ca import make_clip, make_still, signing_identity

    root = tmp_path_factory.mktemp("screening")
    lib, sub = root / "library", root / "submissions"
    lib.mkdir()
    (sub / "stills").mkdir(parents=True)
    (sub / "films").mkdir()
    ai_clip = make_coded_clip(lib / "ai_clip.mp4", frames=72, size=(160, 120), gop=24)
    with av.open(str(ai_clip)) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if i == 30:
                frame.to_image().save(lib / "ai_still.png")
                break
    reencode(ai_clip, sub / "films" / "festival_copy.mp4", (224, 168))
    signed = _signed_ai_clip(lib, root / "raw_generated.mp4")
    _trailer(signed, sub / "films" / "trailer_crop.mp4")
    Image.open(lib / "ai_still.png").resize((200, 150)).save(
        sub / "stills" / "still_copy.jpg", quality=80
    )
    make_coded_clip(sub / "films" / "misnamed.dat", frames=48, size=(160, 120), container="mp4")
    make_clip(sub / "films" / "own_film.mp4", frames=48)
    (sub / "films" / "own_film.c2pa").write_bytes(b"\x00\x00\x00\x10jumbplaceholder")
    sign_file(make_still(root / "raw.jpg"), sub / "stills" / "declared_ai.jpg", signing_identity())
    for rel in CORPUS_FILES:
        folder = sub / ("films" if rel.endswith((".mp4", ".m4s")) else "stills")
        shutil.copy(provenance_corpus / rel, folder / Path(rel).name)
    (sub / "films" / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x07" * 64)
    (sub / "notes.txt").write_text("jury notes: not media\n")
    (sub / "orphan.c2pa").write_bytes(b"\x00\x00\x00\x10jumb")
    project = root / "template.critique"
    with open_project(project) as p:
        report = add_to_library(p, [lib])
        assert len(report.added) == 3, report.skipped
    return {"root": root, "submissions": sub, "library": lib, "project": project}


def _signed_ai_clip(folder: Path, raw: Path) -> Path:
    """A generated clip signed by the tests' CA as trainedAlgorithmicMedia."""
    from critique_app.provenance.c2pa_signer import sign_file
    from tests.fingerprint import material as m
    from tests.provenance.ca import signing_identity

    m.write_clip(raw, m.shot_frames(920, 72, (256, 144)))
    return sign_file(raw, folder / "generated_ai.mp4", signing_identity(), title="Generated")


def _trailer(signed: Path, dest: Path) -> Path:
    """A trailer: other shots around the signed clip cropped by 10%, re-encoded (no manifest)."""
    from tests.fingerprint import material as m

    with av.open(str(signed)) as c:
        shown = [m.crop(f.to_ndarray(format="rgb24"), 0.10) for f in c.decode(video=0)]
    head, tail = m.shot_frames(921, 30, (256, 144)), m.shot_frames(922, 24, (256, 144))
    return m.write_clip(dest, [*head, *shown, *tail])


@pytest.fixture
def fresh_project(screening_material: dict[str, Path], tmp_path: Path) -> Path:
    dest = tmp_path / "jury.critique"
    shutil.copy(screening_material["project"], dest)
    return dest


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    """A result without what legitimately differs between runs (timings, host, clock)."""
    out = {k: v for k, v in result.items() if k not in VOLATILE}
    if out.get("verify"):
        out["verify"] = {k: v for k, v in out["verify"].items() if k != "checked_at"}
    return out


def by_path(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["path"]: comparable(r) for r in results}


@pytest.fixture(autouse=True)
def _nothing_left_behind() -> Iterator[None]:
    """No child process and no new non-daemon thread may outlive a screening test."""
    me = psutil.Process()
    before = {t.ident for t in threading.enumerate()}
    earlier = {c.pid for c in me.children(recursive=True)}
    yield
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        children = [
            c
            for c in me.children(recursive=True)
            if c.pid not in earlier
            and not _owned_by(c, earlier)
            and c.is_running()
            and c.status() != psutil.STATUS_ZOMBIE
            and not _session_helper(c)
        ]
        threads = [
            t
            for t in threading.enumerate()
            if t.ident not in before and t.is_alive() and not t.daemon
        ]
        if not children and not threads:
            return
        time.sleep(0.2)
    for c in children:
        c.kill()
    pytest.fail(
        f"left behind: processes {[c.pid for c in children]}, threads {[t.name for t in threads]}"
    )


def _owned_by(proc: psutil.Process, owners: set[int]) -> bool:
    """A process started by one that outlives the test on purpose (a module's cluster)."""
    try:
        return any(p.pid in owners for p in proc.parents())
    except psutil.Error:
        return False


def _session_helper(proc: psutil.Process) -> bool:
    """multiprocessing's resource tracker: one per test session by design, not a leak."""
    try:
        return "resource_tracker" in " ".join(proc.cmdline())
    except psutil.Error:
        return False


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


__all__ = ["by_path", "comparable", "free_port", "reencode", "wait_for", "np", "os"]
