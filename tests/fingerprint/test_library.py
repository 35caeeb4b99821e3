"""The reference library: stills and clips hashed once; anything else reported and skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image

from critique_app.cli import main
from critique_app.media.fingerprint import hamming
from critique_app.provenance.reference_library import hash_reference
from critique_app.services.fingerprinting import add_to_library, match_film
from db.fingerprint_store import add_library_item, library_items
from db.project import open_project
from tests.fingerprint import material as m


def test_folder_added_and_a_non_media_file_skipped_with_one_sentence(
    tmp_path: Path, capsys
) -> None:
    folder = tmp_path / "assets"
    folder.mkdir()
    m.write_still(folder / "a.png", m.shot(1, 1)[0])
    m.write_still(folder / "b.jpg", m.shot(2, 1)[0])
    m.write_clip(folder / "c.mp4", m.shot(3, 30))
    (folder / "readme.txt").write_text("where these come from\n" * 50)
    project = tmp_path / "new" / "lib.critique"
    project.parent.mkdir()
    code = main(
        [
            "library",
            "add",
            str(project),
            str(folder),
            "--label",
            "Firefly set",
            "--note",
            "declared",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1  # one file could not be processed...
    assert err.strip().splitlines() == [
        "critique-app: readme.txt is not an image or a video; it was skipped.",
        f"created {project}",  # what was hashed is kept: the new project stays, and is said
    ]
    assert "Traceback" not in err
    with open_project(project) as p:  # ...and what was hashed is kept
        items = library_items(p.db)
    assert [(i.label, i.kind, i.frame_count) for i in items] == [
        ("Firefly set: a.png", "still", 1),
        ("Firefly set: b.jpg", "still", 1),
        ("Firefly set: c.mp4", "clip", 30),
    ]
    assert {i.source_note for i in items} == {"declared"}
    # hashed once: adding the same files again hashes nothing new
    assert main(["library", "add", str(project), str(folder / "a.png")]) == 0
    assert "already in the library" in capsys.readouterr().out
    assert main(["library", "list", str(project), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_still_hash_matches_imagehash_on_the_picture(tmp_path: Path) -> None:
    picture = m.shot(9, 1, (400, 300))[0]
    path = m.write_still(tmp_path / "still.png", picture)
    ours = hash_reference(path).hashes[0]
    reference = int(str(imagehash.phash(Image.fromarray(picture))), 16)
    assert (
        int(hamming(np.uint64(ours), np.uint64(reference))) <= 6
    )  # different scalers, same picture


def test_stripped_credentials_still_match_by_perceptual_hash(
    provenance_corpus: Path, tmp_path: Path
) -> None:
    assets = provenance_corpus / "example-assets"
    signed = hash_reference(assets / "crater-lake-cr.jpg").hashes
    stripped = hash_reference(assets / "crater-lake.jpeg").hashes
    assert int(hamming(signed[0], stripped[0])) <= 4
    other = hash_reference(assets / "Firefly_tabby_cat.jpg").hashes
    assert int(hamming(signed[0], other[0])) > 16

    videos = provenance_corpus / "c2pa-rs"
    with open_project(tmp_path / "p.critique") as project:
        report = add_to_library(project, [videos / "video1.mp4"], note="signed original")
        assert [i.kind for i in report.added] == ["clip"]
        film = tmp_path / "copy.mp4"
        shutil.copy(videos / "video1_no_manifest.mp4", film)
        result = match_film(project, film, workers=1)
    assert result.segments, "the unsigned copy must match its signed original"
    seg = max(result.segments, key=lambda s: s.end - s.start)
    assert seg.median_distance <= 2 and seg.variant == "plain"
    assert seg.end - seg.start + 1 >= 0.8 * result.film.frame_count


def test_a_smooth_gradient_is_said_too_plain_to_be_found(
    provenance_corpus: Path, tmp_path: Path, capsys
) -> None:
    """c2pa-rs's C.jpg and c.mov (contentauth/c2pa-rs test fixtures, MIT/Apache-2.0: a smooth
    colour gradient) are said too plain for their copies to be found, when added, in the
    list and beside every match; a photograph and a real clip are not (the corpus's
    crater-lake-cr.jpg, the EBU clip whose dark frames are a few of its 452)."""
    project = tmp_path / "lib.critique"
    files = [
        provenance_corpus / "c2pa-rs" / "C.jpg",
        provenance_corpus / "c2pa-rs" / "c.mov",
        provenance_corpus / "example-assets" / "crater-lake-cr.jpg",
        provenance_corpus / "c2pa-video-player" / "PTS_NO_CRs_c2pa_ebu_eurovox.mp4",
    ]
    assert main(["library", "add", str(project), *map(str, files)]) == 0
    err = capsys.readouterr().err
    for label in ("C", "c"):
        assert (
            f"critique-app: “{label}” is too plain for its copies to be found (a smooth "
            "gradient or a flat colour: the least noise changes its fingerprint as much as a "
            "match allows). That no copy of it is found says nothing about it."
        ) in err.splitlines()
    assert "crater-lake-cr" not in err and "eurovox" not in err
    assert main(["library", "list", str(project), "--json"]) == 0
    listed = {i["label"]: i["too_plain"] for i in json.loads(capsys.readouterr().out)}
    assert listed == {
        "C": True,
        "c": True,
        "crater-lake-cr": False,
        "PTS_NO_CRs_c2pa_ebu_eurovox": False,
    }
    assert main(["library", "list", str(project)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith("#1 C [still, 1 frame] ")
    assert listing[0].endswith("  (too plain for its copies to be found)")
    assert not listing[2].endswith("(too plain for its copies to be found)")

    film = m.write_clip(tmp_path / "film.mp4", m.shot(4, 24))
    said = (
        "2 library items are too plain for their copies to be found (a smooth gradient or a "
        "flat colour: the least noise changes their fingerprints as much as a match allows): "
        "“C”, “c”. That no copy of them is found says nothing about them."
    )
    with open_project(project) as p:
        report = match_film(p, film, workers=1)
    assert report.not_searched == [said]
    # a festival's batch is told too, on the terminal and in its report
    submissions = tmp_path / "submissions"
    submissions.mkdir()  # nothing to screen: no cluster is started, the summary is said
    out = tmp_path / "jury.html"
    assert main(["screen", str(submissions), "--project", str(project), "--report", str(out)]) == 0
    assert said in capsys.readouterr().err.splitlines()
    assert f'<p class="meta note">{said}</p>' in out.read_text("utf-8")
    assert main(["screen", str(submissions), "--project", str(project), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["library_too_plain"] == ["C", "c"]


def test_an_item_added_before_plainness_was_measured_is_measured_when_added_again(
    provenance_corpus: Path, tmp_path: Path, capsys
) -> None:
    """An item as schema 11 kept it (no count of plain frames: nothing is said of it) is
    measured when its file is added again, and said too plain then; nothing else changes."""
    gradient = provenance_corpus / "c2pa-rs" / "C.jpg"
    project = tmp_path / "older.critique"
    ref = hash_reference(gradient)
    with open_project(project) as p:
        add_library_item(
            p.db,
            label="C",
            source_note="from an older Critique",
            path=str(gradient),
            sha256=ref.sha256,
            kind=ref.kind,
            hashes=ref.hashes,
        )
        (before,) = library_items(p.db)
    assert before.plain_frames is None and not before.too_plain
    assert main(["library", "add", str(project), str(gradient)]) == 0
    out, err = capsys.readouterr()
    assert "already in the library: #1 C" in out
    assert "critique-app: “C” is too plain for its copies to be found" in err
    with open_project(project) as p:
        (after,) = library_items(p.db)
    assert after.plain_frames == 1 and after.too_plain
    assert (after.label, after.source_note, after.added_at) == (
        before.label,
        before.source_note,
        before.added_at,
    )


def test_an_item_is_taken_out_by_number_or_label_saying_its_note_and_matches(
    tmp_path: Path, capsys
) -> None:
    """`library remove`: by number or label, every name checked before anything goes (a
    wrong one: exit 2, nothing removed), the stored matches go with the item, and the
    sentence names the label, the jury's note and the file that brings it back."""
    film, still = m.festival_copy_and_still(tmp_path)
    other = m.write_still(tmp_path / "other.png", m.shot(7, 1)[0])
    twin = m.write_still(tmp_path / "twin.png", m.shot(8, 1)[0])
    project = tmp_path / "jury.critique"
    with open_project(project) as p:
        add_to_library(p, [still], note="press kit, festival 2026")
        add_to_library(p, [other], label="twin")
        add_to_library(p, [twin], label="twin")
        found = match_film(p, film, workers=1)
        assert [s.item_id for s in found.segments] == [1]  # the still's shot, stored
    capsys.readouterr()

    assert main(["library", "remove", str(project), "#1", "nothing"]) == 2
    assert capsys.readouterr().err.strip() == (
        "critique-app: No library item is labelled “nothing”: `critique-app library list` "
        "shows each item's number and label."
    )
    assert main(["library", "remove", str(project), "twin"]) == 2
    assert capsys.readouterr().err.strip() == (
        "critique-app: 2 library items are labelled “twin”: name one by its number (#2, #3)."
    )
    with open_project(project) as p:
        assert [i.id for i in library_items(p.db)] == [1, 2, 3]  # nothing went
        add_to_library(p, [m.write_still(tmp_path / "2024.png", m.shot(9, 1)[0])])
    assert main(["library", "remove", str(project), "2024"]) == 0  # a label of digits
    assert "Took #4 “2024”" in capsys.readouterr().out
    assert main(["library", "remove", str(project), "4"]) == 2  # its number went with it
    capsys.readouterr()

    assert main(["library", "remove", str(project), "generator output", "3", "#1"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        "Took #1 “generator output” out of the reference library. Its note was: “press kit, "
        f"festival 2026”. 1 stored match went with it. Adding {still} again brings it back.",
        f"Took #3 “twin” out of the reference library. Adding {twin} again brings it back.",
    ]
    with open_project(project) as p:
        assert [i.id for i in library_items(p.db)] == [2]
        assert p.db.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == 0
    assert still.is_file() and twin.is_file()  # the files stay

    assert main(["library", "add", str(project), str(still)]) == 0  # and come back
    assert "added #5 generator output (still)" in capsys.readouterr().out  # #1-#4 stay given


def test_a_read_only_project_keeps_its_library_item_and_says_why(tmp_path: Path, capsys) -> None:
    """On a disk remounted read-only (a real tmpfs: chmod does not stop root, and CI runs as
    root), `library remove` says why and the item stays."""
    from tests.db.test_disk_full import TinyDisk
    from tests.missing import missing

    disk = TinyDisk(tmp_path / "stick")
    if not disk.mounted:
        missing(f"a read-only disk needs a tiny mount ({disk.why}); chmod does not stop root")
    try:
        still = m.write_still(tmp_path / "a.png", m.shot(1, 1)[0])
        project = disk.path / "p.critique"
        with open_project(project) as p:
            add_to_library(p, [still], note="kept")
        disk.remount("ro")
        status = main(["library", "remove", str(project), "1"])
        err = capsys.readouterr().err
        assert status == 1 and "Traceback" not in err
        assert err.startswith("critique-app: ") and "read-only" in err
        with open_project(project) as p:
            assert [(i.label, i.source_note) for i in library_items(p.db)] == [("a", "kept")]
    finally:
        disk.unmount()


def test_a_dark_slice_of_a_library_clip_is_no_picture(provenance_corpus: Path) -> None:
    """The C2PA corpus's `c2pa-rs/test.avi` (the Earth turning on black): its right-hand 9:16
    slice is black on its first frames (under 1 grey level on average), and such a slice's
    bits come from faint noise: it was 0-6 bits from the dark third of a broadcast clip in
    7 false segments (session 21). Slices darker or flatter than a usable frame are stored
    as 0, which no picture's pHash comes near; the lit slices and every whole frame keep
    theirs."""
    from critique_app.media.fingerprint import MIN_CONTRAST, contrast
    from critique_app.media.grey_frames import grey_batches, read_layout
    from critique_app.media.reframes import library_reframes
    from critique_app.provenance.reference_library import VARIANT_NAMES, library_pictures

    earth = provenance_corpus / "c2pa-rs" / "test.avi"
    hashes = hash_reference(earth)
    grey = np.concatenate([g for _, g in grey_batches(earth, crop=None, layout=read_layout(earth))])
    _picture, variants = library_pictures(grey, [0])
    pictures = np.concatenate([variants, library_reframes(grey, [0], 16 / 9)])
    assert hashes.variants is not None and hashes.variants.shape == pictures.shape[:2]
    dark = contrast(pictures.reshape(-1, 32, 32)).reshape(pictures.shape[:2]) < MIN_CONTRAST
    right = VARIANT_NAMES.index("reframe9:16@1")
    assert dark[right, :10].all()  # the black beside the Earth, as the false segments saw it
    assert (hashes.variants[dark] == 0).all()
    assert (hashes.variants[~dark] != 0).all() and (~dark).mean() > 0.5
    assert (hashes.hashes != 0).all()
    # 0 is no pHash's neighbour: a pHash sets about half its bits
    assert min(bin(int(h)).count("1") for h in hashes.variants[~dark]) > 16
