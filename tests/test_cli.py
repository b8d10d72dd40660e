"""The command line as a user meets it: help, version, JSON shape, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from audiogen.cli import cli
from tests.conftest import SAMPLE


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiogen", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("audiogen, version ")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "-h")
    assert result.returncode == 0
    assert "Example:" in result.stdout


def test_sections_json_shape() -> None:
    result = run("sections", str(SAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"title", "language", "sections"}
    assert data["title"] == "Harbor Town Votes to Put Solar Panels on Its Old Ferry Terminal"
    assert data["language"] == "en"
    assert [s["title"] for s in data["sections"]] == [
        data["title"],
        "What It Costs",
        "What Comes Next",
    ]
    assert all(set(s) == {"title", "text"} and s["text"] for s in data["sections"])
    spoken = " ".join(s["text"] for s in data["sections"])
    for unwanted in ("Getty", "Subscribe", "<u>", "\\", "What's Included"):
        assert unwanted not in spoken


def test_sections_from_stdin() -> None:
    result = run("sections", "-", "--json", stdin=b"# Piped\n\nHello from a pipe.\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sections"][0]["text"] == "Hello from a pipe."


def test_engines_lists_the_three_engines() -> None:
    result = run("engines", "--json")
    assert result.returncode == 0, result.stderr
    statuses = {s["name"]: s for s in json.loads(result.stdout)}
    assert {"piper", "espeak", "gtts"} <= set(statuses)
    assert statuses["piper"]["available"] and statuses["espeak"]["available"]
    assert statuses["gtts"]["needs_network"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("build", "missing.md"), 2, "no such file: missing.md"),
        (("build", "empty.md"), 3, "is empty"),
        (("build", "image.png"), 2, "binary file"),
        (("build", "ok.md", "--engine", "nope"), 4, "unknown engine 'nope'"),
        (("build", "ok.md", "--voice", "missing.onnx"), 4, "Piper voice 'missing.onnx' not found"),
        (("sections", "promo.md"), 3, "nothing to speak"),
    ],
)
def test_bad_input_is_one_line_and_leaves_output_alone(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "ok.md").write_text("# Title\n\nA sentence.\n", encoding="utf-8")
    (tmp_path / "promo.md").write_text("## Subscribe\n\nGet exclusive access!\n", encoding="utf-8")
    out = tmp_path / "output"
    out.mkdir()
    (out / "feed.xml").write_bytes(b"<rss>old</rss>")
    result = (
        run(*args, "-o", "output", cwd=tmp_path) if args[0] == "build" else run(*args, cwd=tmp_path)
    )
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("audiogen: error: ") and message in lines[0], (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["feed.xml"]
    assert (out / "feed.xml").read_bytes() == b"<rss>old</rss>"


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run("--debug", "build", str(tmp_path / "missing.md"))
    assert result.returncode != 0 and "Traceback" in result.stderr
