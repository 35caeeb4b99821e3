"""Outputs a user looks at or plays: PDF pages (rasterised), clips (decoded), the VLC playlist."""

from __future__ import annotations

import ctypes
import dataclasses
import json
import subprocess
import time
import zipfile
from pathlib import Path

import av
import c2pa
import numpy as np
import vlc
from PIL import Image

from critique_app.provenance.c2pa_signer import make_test_ca
from critique_app.services import export as service
from tests.media_factory import read_frame_code


def _decoded_codes(path: Path) -> list[int]:
    with av.open(str(path)) as container:
        return [read_frame_code(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]


def _still_box(page: np.ndarray) -> tuple[int, int, int, int]:
    """The first still on a page: the coded frames' bottom half is the only colourful texture."""
    rgb = page.astype(int)
    colourful = (rgb.max(axis=2) - rgb.min(axis=2)) > 60
    rows = np.flatnonzero(colourful.sum(axis=1) > 40)
    run_end = rows[0]
    while run_end + 1 in set(rows.tolist()):
        run_end += 1
    band = colourful[rows[0] : run_end + 1]
    cols = np.flatnonzero(band.sum(axis=0) > (run_end - rows[0]) // 2)
    height = run_end + 1 - rows[0]
    return int(cols[0]), int(rows[0] - height), int(cols[-1] + 1), int(run_end + 1)


def test_pdf_pages_show_the_exact_stills(sample, tmp_path: Path) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    # items without regions drawn over the frame code: the still must read as its frame
    plain = tuple(
        dataclasses.replace(i, position=n)
        for n, i in enumerate(
            (i for i in doc.items if not (i.annotation and i.annotation.regions)), start=1
        )
    )
    doc = dataclasses.replace(doc, items=plain)
    out = service.export(doc, "pdf", tmp_path / "handout.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "2", "-l", "2", "-png", str(out), str(tmp_path / "page")],
        check=True,
    )
    page = np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("RGB"))
    x0, y0, x1, y1 = _still_box(page)
    assert x1 - x0 > page.shape[1] * 0.3  # a real picture, not a thumbnail
    still = np.asarray(Image.fromarray(page[y0:y1, x0:x1]).resize((320, 240)))
    assert read_frame_code(still) == plain[0].still_frame
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert plain[0].in_tc in text and "page 2" in text


def test_clips_cut_at_the_exact_frames_with_sidecars(sample, tmp_path: Path) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    folder = service.export(doc, "clips", tmp_path / "clips")
    clips = sorted(folder.glob("*.mp4"))
    assert len(clips) == len(doc.items)
    for clip, item in zip(clips, doc.items, strict=True):
        codes = _decoded_codes(clip)
        assert codes == list(range(item.range.start, item.range.end + 1)), clip.name
        assert clip.name.startswith(f"{item.position:03d}_")
        side = json.loads(clip.with_suffix(".json").read_text())
        assert side["source"]["sha256"] == item.film.sha256
        assert side["source"]["frames"] == {"in": item.range.start, "out": item.range.end}
        assert side["annotation"]["type"] == "Annotation"


def _beep_onsets(clip: Path) -> tuple[list[float], float]:
    """Seconds at which each beep starts in the clip's sound, and the sound's length."""
    with av.open(str(clip)) as container:
        assert container.streams.audio, f"{clip.name} has no sound"
        rate = container.streams.audio[0].rate
        chunks = [f.to_ndarray()[0] for f in container.decode(audio=0)]
    wave = np.concatenate(chunks)
    block = rate // 1000  # 1 ms: a 1 kHz beep peaks in every block
    blocks = np.abs(wave[: len(wave) // block * block]).reshape(-1, block).max(axis=1)
    loud = blocks > 0.25
    onsets = np.flatnonzero(loud & ~np.r_[False, loud[:-1]]) * block
    return [s / rate for s in onsets], len(wave) / rate


def test_clips_keep_the_films_sound_in_step_with_the_picture(sample, tmp_path: Path) -> None:
    """The sound under the in-frame opens the clip: a beep under frame F of the film is heard
    at (F - in) / rate in the clip, for a 24 fps MP4 and a 29.97 fps MOV alike."""
    from tests.exporters.conftest import BEEPS

    doc = service.seminar_document(sample.project, sample.seminar_id)
    folder = service.export(doc, "clips", tmp_path / "clips")
    for clip, item in zip(sorted(folder.glob("*.mp4")), doc.items, strict=True):
        rate = float(item.film.rate)
        onsets, length = _beep_onsets(clip)
        inside = [
            f for f in BEEPS[Path(item.film.path).name] if item.range.start <= f <= item.range.end
        ]
        expected = [(f - item.range.start) / rate for f in inside]
        assert len(onsets) == len(expected), (clip.name, onsets, expected)
        for heard, wanted in zip(onsets, expected, strict=True):
            assert abs(heard - wanted) < 0.006, (
                f"{clip.name}: beep at {heard:.4f} s, not {wanted:.4f}"
            )
        # as long as its pictures, give or take one AAC frame of padding
        assert abs(length - item.range.length / rate) <= 1024 / 48000 + 1e-6, clip.name
        side = json.loads(clip.with_suffix(".json").read_text())
        assert side["clip"]["sound"] is True


def test_signed_clip_names_its_source_film_as_parent(sample, tmp_path: Path) -> None:
    identity = make_test_ca("Critique test school")
    signer = service.C2paClipSigner(identity.save(tmp_path / "cert")["chain"].parent)
    doc = service.seminar_document(sample.project, sample.seminar_id)
    doc = dataclasses.replace(doc, items=doc.items[:1])
    folder = service.export(doc, "clips", tmp_path / "signed", signer=signer)
    clip = next(folder.glob("*.mp4"))
    with c2pa.Reader(str(clip)) as reader:
        store = json.loads(reader.json())
    active = store["manifests"][store["active_manifest"]]
    parents = [i for i in active["ingredients"] if i["relationship"] == "parentOf"]
    assert [p["title"] for p in parents] == [Path(doc.items[0].film.path).name]
    assert _decoded_codes(clip)[0] == doc.items[0].range.start  # signing kept the frames
    side = json.loads(clip.with_suffix(".json").read_text())
    assert side["clip"]["sha256"] == service_sha(clip)


def service_sha(path: Path) -> str:
    from exporters.clips import file_sha256

    return file_sha256(path)


# libvlc's video thread may still call a callback after stop: a freed ctypes thunk would crash
# the interpreter, so every screen (and its callbacks) lives until the process ends
_NEVER_FREED: list[object] = []


class _Screen:
    """libvlc renders into memory; every picture shown is read back as its frame code."""

    W, H = 320, 240

    def __init__(self, player: vlc.MediaPlayer) -> None:
        # One buffer per picture in flight: libvlc renders the next picture (lock) before it
        # shows the current one (display), so with a single buffer display() could read the
        # following frame (the pack's first picture read 11, not 10, 2 runs in 9).
        size = self.W * self.H * 4
        self.buffers = [(ctypes.c_ubyte * size)() for _ in range(16)]
        self.next = 0
        self.shown: list[tuple[str, int]] = []
        self.player = player
        self.closed = False

        @vlc.CallbackDecorators.VideoLockCb
        def lock(opaque, planes):  # type: ignore[no-untyped-def]
            index = self.next
            self.next = (self.next + 1) % len(self.buffers)
            planes[0] = ctypes.cast(self.buffers[index], ctypes.c_void_p)
            return index + 1  # the picture's id, handed back to display() (never NULL)

        @vlc.CallbackDecorators.VideoUnlockCb
        def unlock(opaque, picture, planes):  # type: ignore[no-untyped-def]
            return None

        @vlc.CallbackDecorators.VideoDisplayCb
        def display(opaque, picture):  # type: ignore[no-untyped-def]
            if self.closed or not picture:
                return
            buffer = self.buffers[int(picture) - 1]
            bgra = np.frombuffer(buffer, dtype=np.uint8).reshape(self.H, self.W, 4)
            media = self.player.get_media()
            self.shown.append(
                (media.get_mrl() if media else "", read_frame_code(bgra[:, :, 2::-1]))
            )

        self._callbacks = (lock, unlock, display)
        _NEVER_FREED.append(self)
        player.video_set_callbacks(lock, unlock, display, None)
        player.video_set_format("RV32", self.W, self.H, self.W * 4)


def _play(playlist: Path, done, timeout: float = 30.0) -> list[tuple[str, int]]:
    """Play until `done(shown)` holds (the machine may be busy: no fixed sleep)."""
    # a test checks which pictures are shown: a busy machine must not make VLC drop any
    instance = vlc.Instance(
        [
            "--aout=dummy",
            "--no-osd",
            "--quiet",
            "--no-video-title-show",
            "--no-drop-late-frames",
            "--no-skip-frames",
            # nor the decoder skip a late frame (avcodec's hurry-up did: the first picture of a
            # pack was 11, not 10, once in a run beside two CPU hogs and two other suites)
            "--no-avcodec-hurry-up",
        ]
    )
    items = instance.media_list_new()
    items.add_media(instance.media_new(str(playlist)))
    # our own media player, so its release (which joins the video thread) is ours to make
    media_player = instance.media_player_new()
    screen = _Screen(media_player)
    player = instance.media_list_player_new()
    player.set_media_player(media_player)
    player.set_media_list(items)
    player.play()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not done(list(screen.shown)):
            time.sleep(0.05)
    finally:
        shown = list(screen.shown)
        screen.closed = True
        player.stop()
        media_player.stop()  # synchronous in libvlc 3: no new picture after it
        player.release()
        media_player.release()
        items.release()
        instance.release()
    return shown


def test_vlc_plays_the_pack_playlist_from_each_in_frame(sample, tmp_path: Path) -> None:
    doc = service.seminar_document(sample.project, sample.seminar_id)
    # a 24 fps passage, then a 29.97 one (renumbered: clip names start with the position)
    doc = dataclasses.replace(
        doc,
        items=(
            dataclasses.replace(doc.items[0], position=1),
            dataclasses.replace(doc.items[2], position=2),
        ),
    )
    pack = service.export(doc, "pack", tmp_path / "pack.zip")
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(tmp_path / "unpacked")
    playlist = next((tmp_path / "unpacked").rglob("playlist.xspf"))
    last = doc.items[-1]
    shown = _play(
        playlist,
        lambda seen: any(
            f"/{last.position:03d}_" in m and c >= last.range.end - 3 for m, c in seen
        ),
    )
    for item in doc.items:
        # the pack's clip opens on the in-frame, exactly (read by PyAV, not by the player)
        clip = next((tmp_path / "unpacked").rglob(f"{item.position:03d}_*.mp4"))
        assert _decoded_codes(clip)[0] == item.range.start, clip.name
        codes = [code for mrl, code in shown if f"/{item.position:03d}_" in mrl]
        inside = set(range(item.range.start, item.range.end + 1))
        # VLC shows the in-frame first, or the next one: on a busy machine libvlc 3 may not
        # display a clip's very first picture (4 runs in 26 beside two suites and two CPU
        # hogs showed 11, 12… for a clip whose first frame is 10), and at a change of item
        # the display callback may still name the previous item for one picture
        assert codes and codes[0] - item.range.start in (0, 1)
        outside = [c for c in codes if c not in inside]
        assert len(outside) <= 1, f"pictures outside the passage {item.range}: {outside}"


def test_vlc_opens_the_film_playlist_near_each_in_frame(sample, tmp_path: Path) -> None:
    """Over whole films libvlc seeks with its own precision (NOTES.md: -3..+1 frames on H.264
    with B-frames): the playlist asks for the in-frame; the clips above are the exact route."""
    doc = service.seminar_document(sample.project, sample.seminar_id)
    out = service.export(doc, "xspf", tmp_path / "films.xspf")
    shown = _play(out, lambda seen: any(m.endswith("wall.mov") for m, _c in seen))
    first_film = [code for mrl, code in shown if mrl.endswith("drift.mp4")]
    start = doc.items[0].range.start
    assert first_film and abs(first_film[0] - start) <= 3
    assert max(first_film[: doc.items[0].range.length]) <= doc.items[0].range.end + 12


def test_a_surround_film_gives_stereo_clips(tmp_path: Path) -> None:
    """A 5.1 film's sound is down-mixed to stereo in its clips (what a lecture hall plays)."""
    from fractions import Fraction

    from exporters.clips import FilmCutter, encode

    film = tmp_path / "surround.mkv"
    with av.open(str(film), "w") as out:
        video = out.add_stream("libx264", rate=24)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        sound = out.add_stream("aac", rate=48000, layout="5.1")
        for n in range(48):
            picture = av.VideoFrame.from_ndarray(np.full((48, 64, 3), n * 4, np.uint8), "rgb24")
            picture.pts = n
            out.mux(video.encode(picture))
        for n in range(0, 96000, 1024):
            chunk = np.full((6, 1024), 0.1, np.float32)
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="5.1")
            frame.sample_rate, frame.pts = 48000, n
            out.mux(sound.encode(frame))
        out.mux(video.encode(None))
        out.mux(sound.encode(None))
    cutter = FilmCutter(film)
    clip = tmp_path / "clip.mp4"
    part = cutter.sound(12, 24, Fraction(24))
    assert part is not None and part.layout == "stereo"
    encode(cutter.frames(12, 35), clip, Fraction(24), 24, _NoProgress(), 0, 24, part)
    with av.open(str(clip)) as container:
        (audio,) = container.streams.audio
        assert audio.codec_context.channels == 2
        samples = sum(f.samples for f in container.decode(audio=0))
    assert abs(samples - 48000) <= 1024  # one second, as long as its 24 pictures


class _NoProgress:
    def update(self, done: int, total: int, message: str = "") -> None:
        pass

    def check(self) -> None:
        pass
