"""Plain metadata: reported apart, marked unsigned, with the AI hints a jury should see."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from critique_app.provenance.isolation import IsolatedReader
from critique_app.services.verify import verify_file

A1111 = (
    "a cinematic still of a lighthouse at dusk\nNegative prompt: blurry\n"
    "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234, Size: 512x512, "
    "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly"
)


def _png(path: Path, **texts: str) -> Path:
    info = PngInfo()
    for key, value in texts.items():
        info.add_text(key, value, zip=key == "workflow")
    Image.new("RGB", (32, 24), (90, 90, 200)).save(path, pnginfo=info)
    return path


def test_stable_diffusion_png_text(tmp_path: Path, isolated_reader: IsolatedReader) -> None:
    still = _png(tmp_path / "sd.png", parameters=A1111)
    j = verify_file(still, "all", reader=isolated_reader).to_json()
    assert j["c2pa"]["reason"] == "no_manifest" and "proves nothing" in j["c2pa"]["summary"]
    assert j["metadata"]["signed"] is False
    assert j["metadata"]["fields"]["PNG parameters"].startswith("a cinematic still")
    hints = " ".join(j["metadata"]["ai_hints"])
    assert "Stable Diffusion" in hints and "v1-5-pruned-emaonly" in hints


def test_comfyui_and_midjourney_text(tmp_path: Path, isolated_reader: IsolatedReader) -> None:
    comfy = _png(tmp_path / "comfy.png", prompt=json.dumps({"3": {"class_type": "KSampler"}}),
                 workflow=json.dumps({"nodes": []}))  # fmt: skip
    hints = verify_file(comfy, "none", reader=isolated_reader).metadata.ai_hints
    assert any("ComfyUI" in h for h in hints)
    mj = _png(
        tmp_path / "mj.png",
        Description="a red fox in snow --ar 3:2 Job ID: 4f1c2a9e-1234-4cde-9abc-0123456789ab",
    )
    hints = verify_file(mj, "none", reader=isolated_reader).metadata.ai_hints
    assert any("Midjourney Job ID 4f1c2a9e-1234" in h for h in hints)


def test_iptc_digital_source_type_in_xmp(tmp_path: Path, isolated_reader: IsolatedReader) -> None:
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#"><rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/'
        'Iptc4xmpExt/2008-02-29/" Iptc4xmpExt:DigitalSourceType=" http://cv.iptc.org/newscodes/'
        'digitalsourcetype/TrainedAlgorithmicMedia" Iptc4xmpExt:AISystemUsed="Imagen 3"/>'
        "</rdf:RDF></x:xmpmeta>"
    )
    path = tmp_path / "x.jpg"
    Image.new("RGB", (32, 24)).save(path, xmp=xmp.encode())
    meta = verify_file(path, "none", reader=isolated_reader).metadata
    assert "XMP Iptc4xmpExt:DigitalSourceType" in meta.fields
    assert any("trainedAlgorithmicMedia" in h or "TrainedAlgorithmicMedia" in h and
               "fully_genai" in h for h in meta.ai_hints)  # fmt: skip
    assert any("Imagen 3" in h for h in meta.ai_hints)


def test_container_metadata_of_a_clip(tmp_path: Path, isolated_reader: IsolatedReader) -> None:
    from tests.provenance.ca import make_clip

    clip = make_clip(tmp_path / "c.mp4", frames=4)
    meta = verify_file(clip, "none", reader=isolated_reader).metadata
    assert meta.fields.get("container encoder", "").startswith("Lavf")
