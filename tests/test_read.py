from __future__ import annotations

from pathlib import Path

import pytest

from audiogen.errors import BadInput, NothingToSpeak
from audiogen.text.read import decode_bytes, read_document, sniff_format


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Café in Zürich costs €5.".encode(), "Café in Zürich costs €5."),
        ("\ufeffWith a BOM.".encode(), "With a BOM."),
        ("Le café de la gare est très réputé à Orléans, déjà célèbre.".encode("latin-1"),
         "Le café de la gare est très réputé à Orléans, déjà célèbre."),
    ],
)  # fmt: skip
def test_decode_bytes(data: bytes, text: str) -> None:
    assert decode_bytes(data, "x")[0] == text


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00", b"PK\x03\x04zipzip", b"abc\x00def"],
)
def test_binary_is_rejected(data: bytes) -> None:
    with pytest.raises(BadInput, match="binary"):
        decode_bytes(data, "x")


@pytest.mark.parametrize("data", [b"", b"   \n\t \n"])
def test_empty_is_nothing_to_speak(data: bytes) -> None:
    with pytest.raises(NothingToSpeak, match="empty"):
        decode_bytes(data, "x")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.md", "markdown"), ("a.txt", "text"), ("a.html", "html"), ("a.HTM", "html")],
)
def test_format_from_suffix(tmp_path: Path, name: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_text("# Title\n\nBody.", encoding="utf-8")
    assert read_document(str(path)).format == fmt


def test_stdin_is_sniffed() -> None:
    doc = read_document("-", stdin=b"<html><body><p>Hello there.</p></body></html>")
    assert (doc.format, doc.source) == ("html", "-")
    assert sniff_format("# Heading\n\ntext") == "markdown"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file"):
        read_document(str(tmp_path / "nope.md"))


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="folder"):
        read_document(str(tmp_path))
