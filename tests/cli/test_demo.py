"""`critique-app demo`: the project a newcomer lands on is complete and honest."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import av

from critique_app.cli import main
from critique_app.media import demo_film
from critique_app.services.demo import ensure_demo
from db.project import open_project


def test_demo_film_is_what_the_issue_describes(demo_project) -> None:
    with av.open(str(demo_project.film)) as container:
        video = container.streams.video[0]
        assert (video.codec_context.name, video.width, video.height) == ("h264", 1280, 720)
        assert container.streams.audio, "the demo film has sound"
        # B-frames: some packets are decoded before they are shown
        packets = [p for p in container.demux(video) if p.pts is not None]
        assert any(p.pts > p.dts for p in packets[:60])
    assert len(packets) == demo_film.FRAME_COUNT == 960  # 40 s at 24 fps


def test_demo_project_has_annotations_tiers_seminar(demo_project) -> None:
    with open_project(demo_project.project) as project:
        repo = project.repo
        films = repo.films()
        assert len(films) == 1 and films[0].frame_count == 960
        assert {t.name for t in repo.tiers()} >= {"Léa — montage", "Samir — décor"}
        annotations = repo.annotations()
        assert len(annotations) == 6
        assert all(a.category_id is not None for a in annotations), "every category resolves"
        assert all(a.anchor_hashes and len(a.anchor_hashes) == 3 for a in annotations)
        assert any(a.range.is_single_frame for a in annotations)
        assert any(len(r.keyframes) > 1 for a in annotations for r in a.regions)
        seminar = repo.seminar_by_name("Nouveaux régimes visuels")
        assert seminar is not None and len(repo.seminar_items(seminar.id or 0)) == 5


def test_demo_film_carries_signed_ai_disclosure(demo_project) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "critique_app", "verify", "--json", str(demo_project.film)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(out.stdout)[0]
    c2pa = report["c2pa"]
    assert c2pa["present"] and c2pa["state"] == "Valid"
    assert c2pa["reason"] == "untrusted_signer"  # a local demo certificate: not on any list
    assert c2pa["ai_signal"] == "partly_genai"
    assert "Critique demo" in json.dumps(c2pa["signer"])
    assert len(c2pa["ingredients"]) == 4
    trusted = subprocess.run(
        [
            sys.executable,
            "-m",
            "critique_app",
            "verify",
            "--json",
            "--trust",
            str(demo_project.ca),
            str(demo_project.film),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(trusted.stdout)[0]["c2pa"]["state"] == "Trusted"


def test_demo_is_built_once(demo_project, capsys) -> None:
    before = os.stat(demo_project.film).st_mtime_ns
    again = ensure_demo(demo_project.folder)
    assert again.project == demo_project.project
    assert os.stat(demo_project.film).st_mtime_ns == before
    assert main(["demo", "--no-gui", "--dir", str(demo_project.folder)]) == 0
    assert str(demo_project.project) in capsys.readouterr().out
