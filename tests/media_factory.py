"""Generated test clips whose every frame shows its own index as a machine-readable code.

Any test can decode a frame and ask `read_frame_code(image)` *which* frame it got. The code is
a 4 x 6 grid of big cells in the top half of the picture; each cell is split in a bright and a
dark half whose order is one bit (so it survives lossy codecs, scaling and colour shifts). 20 bits
carry the index, 4 bits a check. The bottom half is a panning texture with a moving box, so
encoders see real motion and never just repeat a frame.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROWS, COLS = 4, 6
DATA_BITS = 20
CHECK_BITS = ROWS * COLS - DATA_BITS
MIN_CONTRAST = 40.0  # grey levels between the two halves of a cell; far below what codecs keep

# codec -> (default container suffix, pixel format when the caller keeps the yuv420p default)
_CODEC_DEFAULTS: dict[str, tuple[str, str]] = {
    "libx264": (".mp4", "yuv420p"),
    "libx265": (".mkv", "yuv420p"),
    "libvpx-vp9": (".webm", "yuv420p"),
    "prores_ks": (".mov", "yuv422p10le"),
    "mpeg4": (".avi", "yuv420p"),
}
_AUDIO_CODEC = {".webm": "libopus", ".avi": "pcm_s16le"}  # others: aac
_FORMAT_BY_SUFFIX = {
    ".mp4": "mp4",
    ".mov": "mov",
    ".mkv": "matroska",
    ".webm": "webm",
    ".avi": "avi",
}


def _check(value: int) -> int:
    """4-bit check: XOR of the data nibbles, salted so an all-black frame never passes."""
    check = 0b0101
    for shift in range(0, DATA_BITS, 4):
        check ^= (value >> shift) & 0xF
    return check


def _bits(index: int) -> list[int]:
    if not 0 <= index < (1 << DATA_BITS):
        raise ValueError(f"frame index {index} does not fit the {DATA_BITS}-bit frame code")
    word = index | (_check(index) << DATA_BITS)
    return [(word >> bit) & 1 for bit in range(ROWS * COLS)]


def _cell_box(row: int, col: int, width: int, height: int) -> tuple[int, int, int, int]:
    code_h = height // 2
    y0, y1 = row * code_h // ROWS, (row + 1) * code_h // ROWS
    x0, x1 = col * width // COLS, (col + 1) * width // COLS
    return y0, y1, x0, x1


def draw_frame_code(image: np.ndarray, index: int) -> None:
    """Paint the code for `index` into the top half of an H x W x 3 uint8 image, in place."""
    height, width = image.shape[:2]
    for bit_no, bit in enumerate(_bits(index)):
        y0, y1, x0, x1 = _cell_box(*divmod(bit_no, COLS), width, height)
        xm = (x0 + x1) // 2
        image[y0:y1, x0:xm] = 235 if bit else 16
        image[y0:y1, xm:x1] = 16 if bit else 235


def read_frame_code(image: np.ndarray) -> int:
    """The index drawn on a decoded RGB (or grey) frame; ValueError when there is no valid code."""
    grey = np.asarray(image, dtype=np.float32)
    if grey.ndim == 3:
        grey = grey[..., :3].mean(axis=2)
    height, width = grey.shape
    word = 0
    for bit_no in range(ROWS * COLS):
        y0, y1, x0, x1 = _cell_box(*divmod(bit_no, COLS), width, height)
        xm = (x0 + x1) // 2
        # sample the middle of each half-cell: edges blur under compression and scaling
        ya, yb = y0 + (y1 - y0) // 4, y1 - (y1 - y0) // 4
        left = grey[ya:yb, x0 + (xm - x0) // 4 : xm - (xm - x0) // 4].mean()
        right = grey[ya:yb, xm + (x1 - xm) // 4 : x1 - (x1 - xm) // 4].mean()
        if abs(left - right) < MIN_CONTRAST:
            raise ValueError(
                f"no frame code: cell {bit_no} has no contrast ({left:.0f}/{right:.0f})"
            )
        word |= int(left > right) << bit_no
    value = word & ((1 << DATA_BITS) - 1)
    if word >> DATA_BITS != _check(value):
        raise ValueError(f"frame code {value} fails its check bits")
    return value


class _Scene:
    """The moving lower half: a panning smooth-noise texture and a bouncing box."""

    def __init__(self, width: int, height: int, seed: int = 7, grain: int = 0) -> None:
        self.width, self.lower = width, height - height // 2
        rng = np.random.default_rng(seed)
        # film grain that changes every frame (a shifted window of one noise field): it makes
        # P- and B-frames cost what they cost on real footage, not a free copy of a pan
        self.grain = (
            rng.integers(-grain, grain + 1, (height + 32, width + 32, 1)).astype(np.int16)
            if grain
            else None
        )
        tex_h, tex_w = self.lower + 64, width + 96
        coarse = rng.integers(0, 256, (tex_h // 8 + 2, tex_w // 8 + 2, 3)).astype(np.float32)
        fine = rng.integers(-24, 25, (tex_h, tex_w, 3)).astype(np.float32)
        # blocky noise upsampled by repetition, plus fine grain: texture without a blur dependency
        up = np.repeat(np.repeat(coarse, 8, axis=0), 8, axis=1)[:tex_h, :tex_w]
        self.texture = np.clip(up * 0.7 + 40 + fine, 0, 255).astype(np.uint8)

    def draw(self, image: np.ndarray, index: int) -> None:
        lower = image[image.shape[0] - self.lower :]
        tex_h, tex_w = self.texture.shape[:2]
        ox = (index * 3) % (2 * (tex_w - self.width))
        oy = (index * 2) % (2 * (tex_h - self.lower))
        ox = ox if ox <= tex_w - self.width else 2 * (tex_w - self.width) - ox  # ping-pong pan
        oy = oy if oy <= tex_h - self.lower else 2 * (tex_h - self.lower) - oy
        lower[:] = self.texture[oy : oy + self.lower, ox : ox + self.width]
        box = max(4, self.lower // 4)
        span_x, span_y = max(1, self.width - box), max(1, self.lower - box)
        bx = (index * 5) % (2 * span_x)
        by = (index * 3) % (2 * span_y)
        bx = bx if bx < span_x else 2 * span_x - bx
        by = by if by < span_y else 2 * span_y - by
        lower[by : by + box, bx : bx + box] = (250, 200, 40)

    def add_grain(self, image: np.ndarray, index: int) -> np.ndarray:
        if self.grain is None:
            return image
        height, width = image.shape[:2]
        oy, ox = (index * 7919) % 32, (index * 104729) % 32
        noisy = image + self.grain[oy : oy + height, ox : ox + width]
        return np.clip(noisy, 0, 255).astype(np.uint8)


def coded_frame(index: int, size: tuple[int, int], scene: _Scene | None = None) -> np.ndarray:
    """The RGB picture of frame `index` (what the decoder should give back, up to lossy coding)."""
    width, height = size
    image = np.empty((height, width, 3), np.uint8)
    scene = scene or _Scene(width, height)
    scene.draw(image, index)
    draw_frame_code(image, index)
    return scene.add_grain(image, index)


def _vfr_ticks(frames: int, rate: Fraction, ticks_per_second: int) -> list[int]:
    """Irregular but reproducible presentation times: frame durations of 0.5x .. 3x the period."""
    rng = np.random.default_rng(1234)
    period = Fraction(ticks_per_second) / rate
    factors = [Fraction(1, 2), Fraction(1), Fraction(1), Fraction(3, 2), Fraction(2), Fraction(3)]
    pts, now = [], Fraction(0)
    for _ in range(frames):
        pts.append(int(now))
        now += period * factors[int(rng.integers(0, len(factors)))]
    return pts


def _video_stream(
    container: av.container.OutputContainer,
    codec: str,
    *,
    rate: Fraction,
    size: tuple[int, int],
    gop: int,
    bframes: int,
    open_gop: bool,
    pix_fmt: str,
    options: Mapping[str, str] | None,
    time_base: Fraction,
) -> av.VideoStream:
    opts: dict[str, str] = {}
    if codec == "libx264":
        opts["preset"] = "veryfast"
        opts["x264-params"] = (
            f"keyint={gop}:min-keyint={gop}:scenecut=0:bframes={bframes}:b-adapt=0"
            f":open-gop={int(open_gop)}"
        )
    elif codec == "libx265":
        opts["preset"] = "ultrafast"
        opts["x265-params"] = (
            f"keyint={gop}:min-keyint={gop}:scenecut=0:bframes={bframes}:b-adapt=0"
            f":open-gop={int(open_gop)}:log-level=error"
        )
    elif codec == "libvpx-vp9":
        # alt-ref (hidden) frames on: the case where packets and shown frames could disagree
        opts.update(
            {
                "deadline": "good",
                "cpu-used": "8",
                "row-mt": "1",
                "lag-in-frames": "16",
                "auto-alt-ref": "1",
                "crf": "32",
                "b:v": "0",
            }
        )
    elif codec == "prores_ks":
        opts["profile"] = "0"
    opts.update(options or {})
    stream = container.add_stream(codec, rate=rate, options=opts)
    stream.width, stream.height = size
    stream.pix_fmt = pix_fmt
    ctx = stream.codec_context
    ctx.time_base = time_base
    ctx.gop_size = gop
    if codec in ("mpeg4", "libx264", "libx265"):
        ctx.max_b_frames = bframes
    if codec == "libx264":
        # FFmpeg's default slice threading writes 2 slices per frame: unrealistic, faster files
        ctx.thread_type = "FRAME"
    return stream


def make_coded_clip(
    path: str | Path,
    *,
    frames: int = 120,
    size: tuple[int, int] = (320, 240),
    rate: Fraction | int | str = Fraction(24),
    codec: str = "libx264",
    container: str | None = None,
    gop: int = 12,
    bframes: int = 2,
    open_gop: bool = False,
    vfr: bool = False,
    start_timecode: str | None = None,
    audio: bool = False,
    beeps: Collection[int] = (),
    pix_fmt: str = "yuv420p",
    options: Mapping[str, str] | None = None,
    faststart: bool = False,
    rotation: int = 0,
    grain: int = 0,
) -> Path:
    """Write a clip of `frames` coded frames and return its path.

    `container` is an FFmpeg format name (default: from the suffix). `vfr` gives irregular
    presentation times (in 1/90000 s); `start_timecode` ('01:00:00;00') is written as the
    container's timecode (a tmcd track in MOV/MP4). `faststart` puts the MP4/MOV index first
    (so a truncated copy keeps it); `rotation` stores a display matrix (degrees, counter-clockwise);
    `grain` adds film grain of that amplitude (grey levels), new on every frame. `beeps`
    (frame indices, constant rate only) makes the sound silent except a 1 kHz beep exactly
    under those frames, so a test can hear which frame a sound goes with.
    """
    path = Path(path)
    rate = Fraction(rate)
    suffix = path.suffix.lower() or _CODEC_DEFAULTS.get(codec, (".mkv", ""))[0]
    if pix_fmt == "yuv420p" and codec in _CODEC_DEFAULTS:
        pix_fmt = _CODEC_DEFAULTS[codec][1]
    time_base = Fraction(1, 90000) if vfr else 1 / rate
    ticks = _vfr_ticks(frames, rate, 90000) if vfr else list(range(frames))
    scene = _Scene(*size, grain=grain)
    fmt = container or _FORMAT_BY_SUFFIX.get(suffix)
    muxer_options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", format=fmt, options=muxer_options) as out:
        if start_timecode:
            out.metadata["timecode"] = start_timecode
        video = _video_stream(
            out,
            codec,
            rate=rate,
            size=size,
            gop=gop,
            bframes=bframes,
            open_gop=open_gop,
            pix_fmt=pix_fmt,
            options=options,
            time_base=time_base,
        )
        if start_timecode:
            video.metadata["timecode"] = start_timecode
        if rotation:
            video.set_display_rotation(rotation)
        sound = _audio_stream(out, suffix) if audio or beeps else None
        if beeps and vfr:
            raise ValueError("beeps are placed by a constant frame rate")
        samples_done = 0
        for index in range(frames):
            frame = av.VideoFrame.from_ndarray(coded_frame(index, size, scene), format="rgb24")
            frame.pts, frame.time_base = ticks[index], time_base
            out.mux(video.encode(frame))
            if sound is not None:
                until = int((frame.pts + (1 if not vfr else 0)) * time_base * 48000)
                samples_done = _write_audio(out, sound, samples_done, until, beeps=beeps, rate=rate)
        out.mux(video.encode(None))
        if sound is not None:
            out.mux(sound.encode(None))
    return path


def _audio_stream(out: av.container.OutputContainer, suffix: str) -> av.AudioStream:
    stream = out.add_stream(_AUDIO_CODEC.get(suffix, "aac"), rate=48000)
    stream.layout = "mono"
    return stream


def _write_audio(
    out: av.container.OutputContainer,
    stream: av.AudioStream,
    done: int,
    until: int,
    *,
    beeps: Collection[int] = (),
    rate: Fraction = Fraction(24),
) -> int:
    """A 440 Hz tone (or silence with 1 kHz beeps under the frames `beeps`) up to sample
    `until`, in 960-sample chunks (fits AAC and Opus framing)."""
    fmt = "s16" if stream.codec_context.name == "pcm_s16le" else "fltp"
    chunk = 960
    while done + chunk <= until:
        samples = np.arange(done, done + chunk)
        t = (samples / 48000.0).astype(np.float32)
        if beeps:
            frame_of = samples * rate.numerator // (48000 * rate.denominator)
            on = np.isin(frame_of, np.fromiter(beeps, dtype=np.int64))
            wave = (0.5 * np.sin(2 * np.pi * 1000 * t) * on).astype(np.float32)
        else:
            wave = 0.2 * np.sin(2 * np.pi * 440 * t, dtype=np.float32)
        data = (wave * 32767).astype(np.int16) if fmt == "s16" else wave
        frame = av.AudioFrame.from_ndarray(data.reshape(1, -1), format=fmt, layout="mono")
        frame.sample_rate, frame.pts = 48000, done
        out.mux(stream.encode(frame))
        done += chunk
    return done


def make_edit_list_copy(source: str | Path, path: str | Path, *, skip_frames: int) -> Path:
    """A copy of an MP4/MOV clip that starts `skip_frames` frames in, by an edit list (as
    `ffmpeg -ss T -c copy` writes it): every packet is kept, shifted so the frames before the
    cut have negative times; the muxer writes the edit list, readers hide those frames."""
    path = Path(path)
    with av.open(str(source)) as src, av.open(str(path), "w") as out:
        stream = src.streams.video[0]
        copy = out.add_stream_from_template(stream)
        shift = int(skip_frames / (stream.average_rate * stream.time_base))
        for packet in src.demux(stream):
            if packet.dts is None:
                continue  # the demuxer's end-of-stream marker
            packet.pts -= shift
            packet.dts -= shift
            packet.stream = copy
            out.mux(packet)
    return path
