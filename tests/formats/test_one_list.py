"""The command line and the window list the formats the registry holds, and no others."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from critique_app.cli import build_parser
from critique_app.errors import UserError
from critique_app.gui.format_filters import export_filter, import_filter
from critique_app.services.import_annotations import read_file
from exporters import registry


def _subcommand(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[name]  # type: ignore[no-any-return]
    raise AssertionError("no subcommands")


def test_export_format_choices_are_the_registry_writers() -> None:
    export = _subcommand("export")
    fmt = next(a for a in export._actions if "--format" in a.option_strings)
    assert list(fmt.choices or ()) == [f.name for f in registry.writers()]
    for writer in registry.writers():
        assert f"  {writer.name:<6} " in export.description  # type: ignore[operator]


def test_import_help_lists_every_reader() -> None:
    text = _subcommand("import").format_help()
    for reader in registry.readers():
        assert reader.title in text
        for ext in reader.extensions:
            assert ext in text


def test_the_import_dialog_offers_every_reader() -> None:
    offered = import_filter().split(";;")
    every = offered[0]
    for reader in registry.readers():
        assert f"{reader.title} (" in ";;".join(offered)
        for ext in reader.extensions:
            assert f"*{ext}" in every
    assert offered[-1].endswith("(*)")


@pytest.mark.parametrize("fmt", [f for f in registry.writers() if not f.writes_folder])
def test_the_save_dialog_names_the_format(fmt) -> None:  # type: ignore[no-untyped-def]
    assert export_filter(fmt) == f"{fmt.title} (*{' *'.join(fmt.extensions)})"


def test_an_unknown_extension_is_refused_with_the_registry_extensions(tmp_path: Path) -> None:
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK")
    with pytest.raises(UserError) as refused:
        read_file(odd)
    for ext in registry.reading_extensions():
        assert ext in str(refused.value)


def test_a_json_file_goes_to_the_format_its_first_bytes_name(tmp_path: Path) -> None:
    manifest = tmp_path / "m.json"
    manifest.write_text(
        '{"@context": "http://iiif.io/api/presentation/3/context.json", "type": "Manifest"}'
    )
    assert registry.reader_for(manifest) is registry.named("iiif")
    page = tmp_path / "p.json"
    page.write_text('{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage"}')
    assert registry.reader_for(page) is registry.named("json")
    assert registry.reader_for(tmp_path / "x.docx") is None
