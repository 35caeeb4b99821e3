"""The fast hashes are imagehash's, bit for bit, on the same small grey input."""

from __future__ import annotations

import imagehash
import numpy as np
from PIL import Image

from critique_app.media import fingerprint as fp
from critique_app.media.grey_frames import grey_batches
from tests.fingerprint import material as m


def _ref(hash_fn, grey: np.ndarray) -> int:
    return int(str(hash_fn(Image.fromarray(grey))), 16)


def test_phash_dhash_and_mirror_bit_identical_to_imagehash(textured_grey: np.ndarray) -> None:
    plain, mirrored = fp.phash_batch(textured_grey)
    dhash = fp.dhash_batch(textured_grey)
    assert mirrored is not None
    for i, grey in enumerate(textured_grey):
        assert int(plain[i]) == _ref(imagehash.phash, grey), f"pHash differs on frame {i}"
        assert int(mirrored[i]) == _ref(imagehash.phash, grey[:, ::-1].copy()), f"mirror {i}"
        assert int(dhash[i]) == _ref(imagehash.dhash, grey), f"dHash differs on frame {i}"


def test_bit_identical_on_every_decoded_frame_of_a_film(tmp_path) -> None:
    film = m.write_clip(tmp_path / "film.mp4", m.footage([1, 2, 3, 4, 5], [50, 50, 50, 50, 50]))
    grey = np.concatenate([g for _, g in grey_batches(film)])
    small = fp.pool_to_32(grey)
    assert len(small) == 250
    hashes = fp.hash_frames(grey)
    ours = [fp.to_hex(h) for h in hashes.phash]
    theirs = [str(imagehash.phash(Image.fromarray(g))) for g in small]
    assert ours == theirs
    assert [fp.to_hex(h) for h in hashes.dhash] == [
        str(imagehash.dhash(Image.fromarray(g))) for g in small
    ]


def test_hamming_lookup_table_equals_bitwise_count() -> None:
    rng = np.random.default_rng(1)
    a = rng.integers(0, 2**63, 5000, dtype=np.int64).view(np.uint64) * np.uint64(2)
    b = rng.integers(0, 2**63, 5000, dtype=np.int64).view(np.uint64) + np.uint64(1)
    expected = [bin(int(x) ^ int(y)).count("1") for x, y in zip(a, b, strict=True)]
    assert fp._popcount_table(a ^ b).tolist() == expected
    assert fp.hamming(a, b).tolist() == expected


def test_signed_storage_keeps_every_bit() -> None:
    top = np.array([2**64 - 1, 2**63, 1], dtype=np.uint64)
    signed = fp.to_signed(top)
    assert signed.tolist() == [-1, -(2**63), 1]
    assert signed.view(np.uint64).tolist() == top.tolist()


def test_flat_and_dark_frames_are_marked_low_contrast(textured_grey: np.ndarray) -> None:
    c = fp.contrast(textured_grey)
    assert (c[90:94] == 0).all()  # the flat ones
    assert (c[:90] > 6).mean() > 0.9  # textured pictures are usable


def _smooth_gradient() -> np.ndarray:
    """A 32x32 wash of colour in grey, as the C2PA corpus's C.jpg is: two soft ramps."""
    y, x = np.mgrid[0:32, 0:32].astype(np.float64) / 31
    return np.asarray(np.rint(90 + 50 * x + 25 * y + 10 * x * y), np.uint8)


def test_the_bits_noise_is_expected_to_turn_are_the_bits_it_turns() -> None:
    """`noise_flips` against imagehash's pHash (the reference) of the same pictures with
    noise of 2 grey levels put on them, 300 draws each: a smooth gradient turns about as
    many bits as a match allows, a shot's textured picture one or two."""
    rng = np.random.default_rng(11)
    textured = np.asarray(m.shot(3, 1, (96, 54))[0].mean(axis=2), np.uint8)[11:43, 32:64]
    for picture, low, high in ((_smooth_gradient(), 12, 40), (textured, 0, 4)):
        expected = float(fp.noise_flips(picture[None])[0])
        plain = _ref(imagehash.phash, picture)
        turned = [
            bin(plain ^ _ref(imagehash.phash, noisy)).count("1")
            for noisy in np.clip(
                np.rint(picture + rng.normal(0, fp.NOISE_GREY, (300, 32, 32))), 0, 255
            ).astype(np.uint8)
        ]
        assert low <= expected <= high
        assert abs(np.mean(turned) - expected) <= max(1.0, 0.1 * expected)


def test_too_plain_means_noise_spends_what_a_match_allows() -> None:
    from critique_app.provenance.matching import FRAME_THRESHOLD

    assert fp.PLAIN_FLIPS == FRAME_THRESHOLD  # one limit, two modules (no import cycle)
    assert fp.too_plain(_smooth_gradient()[None]).all()
    assert not fp.mostly_plain(None, 1)  # added before it was measured: nothing is said
    assert fp.mostly_plain(2, 3) and not fp.mostly_plain(1, 2)
