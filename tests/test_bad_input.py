"""Bad input through the real command line: one clear line, a documented exit code, and an
output folder left exactly as it was (issue: nothing lost, nothing injected)."""

from __future__ import annotations

import hashlib
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiogen import pipeline
from audiogen.models import Show
from tests.conftest import ToneEngine, build_one

BAD_INPUT, NOTHING_TO_SPEAK, ENGINE_UNAVAILABLE = 2, 3, 4


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with one episode already published."""
    root = tmp_path_factory.mktemp("site")
    article = root / "first.md"
    article.write_text("# First\n\nThe first episode is here.\n", encoding="utf-8")
    build_one(
        str(article),
        pipeline.BuildOptions(output=root / "output", show=Show()),
        engine=ToneEngine(),
    )
    return root


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        status, ctype, body = {
            "/404": (404, "text/html", b"gone"),
            "/500": (500, "text/html", b"boom"),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
            "/empty-page": (
                200,
                "text/html",
                b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
            ),
        }.get(self.path, (200, "text/html", b"<html><body><p>ok</p></body></html>"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_inputs(folder: Path) -> None:
    (folder / "empty.md").write_bytes(b"")
    (folder / "blank.txt").write_text("   \n\n\t  \n", encoding="utf-8")
    (folder / "promo.md").write_text(
        "## Subscribe\n\nGet exclusive access!\n\n## What's Included?\n\nCancel anytime.\n",
        encoding="utf-8",
    )
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    with zipfile.ZipFile(folder / "archive.zip", "w") as z:
        z.writestr("a.txt", "hello")
    (folder / "archive.md").write_bytes((folder / "archive.zip").read_bytes())
    (folder / "noise.txt").write_bytes(
        bytes(b for b in os.urandom(4096) if b not in (0, 9, 10, 13))
    )
    (folder / "nav.html").write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/b'>News</a></nav><footer>© 2026</footer></body></html>",
        encoding="utf-8",
    )
    (folder / "ok.md").write_text("# Fine\n\nA fine sentence.\n", encoding="utf-8")
    (folder / "bad.toml").write_text('[show]\ntitle = "x"\nexplicit = "maybe"\n', encoding="utf-8")
    (folder / "broken.toml").write_text('[show]\ntitle = "x\n', encoding="utf-8")
    (folder / "lexicon.toml").write_text('[en]\n"NATO" = "Nato"\n"WHO" = 5\n', encoding="utf-8")


CASES = [
    ("missing file", ["build", "nope.md"], BAD_INPUT, "no such file: nope.md"),
    ("empty file", ["build", "empty.md"], NOTHING_TO_SPEAK, "empty.md is empty"),
    ("only whitespace", ["build", "blank.txt"], NOTHING_TO_SPEAK, "blank.txt is empty"),
    ("only boilerplate", ["build", "promo.md"], NOTHING_TO_SPEAK, "nothing to speak"),
    ("an image", ["build", "photo.png"], BAD_INPUT, "photo.png is a binary file"),
    ("a zip named .md", ["build", "archive.md"], BAD_INPUT, "archive.md is a binary file"),
    ("undecodable bytes", ["build", "noise.txt"], BAD_INPUT, "noise.txt"),
    ("page with no article", ["build", "nav.html"], NOTHING_TO_SPEAK, "no article text found"),
    (
        "unknown engine",
        ["build", "ok.md", "--engine", "nope"],
        ENGINE_UNAVAILABLE,
        "unknown engine 'nope'",
    ),
    (
        "unknown voice",
        ["build", "ok.md", "--voice", "ghost.onnx"],
        ENGINE_UNAVAILABLE,
        "Piper voice 'ghost.onnx' not found",
    ),
    (
        "language the engine cannot speak",
        ["build", "ok.md", "--engine", "piper", "--language", "de"],
        ENGINE_UNAVAILABLE,
        "not 'de'",
    ),
    (
        "malformed config",
        ["build", "ok.md", "--config", "broken.toml"],
        BAD_INPUT,
        "broken.toml:2: malformed TOML",
    ),
    (
        "wrong config value",
        ["build", "ok.md", "--config", "bad.toml"],
        BAD_INPUT,
        "bad.toml:3: show.explicit must be true or false",
    ),
    (
        "malformed lexicon",
        ["build", "ok.md", "--lexicon", "lexicon.toml"],
        BAD_INPUT,
        "lexicon.toml",
    ),
    ("a bitrate MP3 has not", ["build", "ok.md", "--bitrate", "1000"], BAD_INPUT, "--bitrate 1000"),
    (
        "an executor of no known kind",
        ["build", "ok.md", "--executor", "ray://x"],
        BAD_INPUT,
        "unknown executor",
    ),
    ("not a language tag", ["build", "ok.md", "-l", "english!"], BAD_INPUT, "not a language tag"),
    ("URL 404", ["build", "{server}/404"], BAD_INPUT, "404"),
    ("URL 500", ["build", "{server}/500"], BAD_INPUT, "500"),
    ("URL not HTML", ["build", "{server}/image"], BAD_INPUT, "image/png"),
    ("URL redirects forever", ["build", "{server}/loop"], BAD_INPUT, "redirect"),
    ("URL refused", ["build", "http://127.0.0.1:{closed}/"], BAD_INPUT, "127.0.0.1"),
    ("URL times out", ["build", "{server}/slow", "--timeout", "0.5"], BAD_INPUT, "0.5"),
    (
        "URL with no article",
        ["build", "{server}/empty-page"],
        NOTHING_TO_SPEAK,
        "no article text found",
    ),
    (
        "URL of another scheme",
        ["build", "ftp://127.0.0.1/x.html"],
        BAD_INPUT,
        "only http:// and https://",
    ),
]


@pytest.mark.parametrize(
    ("args", "code", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_changes_nothing(
    site: Path, server: str, args: list[str], code: int, message: str
) -> None:
    make_inputs(site)
    before = snapshot(site / "output")
    args = [a.format(server=server, closed=closed_port()) for a in args]
    result = subprocess.run(
        [sys.executable, "-m", "audiogen", *args, "-o", "output", "-q"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("audiogen: error: ") and message in lines[0], lines[0]
    assert snapshot(site / "output") == before


def test_a_20_mb_article_is_read_and_split(tmp_path: Path) -> None:
    """The text stages stream nothing and copy little: a 20 MB article succeeds (memory is
    reported by bench/robustness.py, not asserted here)."""
    sentence = "The council met again on Tuesday and talked about the harbor for a long time. "
    paragraph = sentence * 12 + "\n\n"
    path = tmp_path / "huge.md"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("# A very long article\n\n")
        while handle.tell() < 20_000_000:
            handle.write(paragraph)
    result = subprocess.run(
        [sys.executable, "-m", "audiogen", "sections", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert (
        result.stdout.count("The council met again on Tuesday") >= 20_000_000 // len(paragraph) * 12
    )
