"""A real podcast client, gPodder's ``gpo``, subscribes to a served site and downloads the episode.

The episode is built with the tone engine into a folder that ``audiogen serve``'s
server already serves on 127.0.0.1 (port 0, so the feed's base URL is only known
once the server listens). gpo keeps its database and downloads in the test's tmp
folder, and exits 0 even when a download fails, so the test checks the file itself.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiogen import pipeline
from audiogen.models import Show
from audiogen.publish.serve import make_server, server_url
from tests.conftest import ToneEngine, build_one, require_tool

GPO_TIMEOUT = 60  # seconds for each gpo command; each takes about a second here
ARTICLE = "# Tide Clocks Return\n\nThe harbor clocks tick again. Everyone cheered.\n\n## Later\n\nThe end.\n"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, list[str]]]:
    """An empty output folder, its URL, and the server's request log."""
    output = tmp_path / "output"
    output.mkdir()
    log: list[str] = []
    server = make_server(output, "127.0.0.1", 0, log=log.append)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield output, server_url(server), log
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def gpo(gpo_path: str, home: Path, *args: str) -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "GPODDER_HOME": str(home / "gPodder"),
        "GPODDER_DOWNLOAD_DIR": str(home / "downloads"),
        "LANG": "C.UTF-8",
        # Never through a proxy: the server is on this machine.
        "NO_PROXY": "*",
        "no_proxy": "*",
    }
    result = subprocess.run(
        [gpo_path, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=GPO_TIMEOUT,
        check=False,
    )
    return result.stdout + result.stderr


def test_gpo_subscribes_and_downloads_the_episode_byte_for_byte(
    tmp_path: Path, served: tuple[Path, str, list[str]]
) -> None:
    gpo_path = require_tool("gpo")
    output, url, log = served
    source = tmp_path / "tide.md"
    source.write_text(ARTICLE, encoding="utf-8")
    options = pipeline.BuildOptions(output=output, show=Show(base_url=url))
    episode = build_one(str(source), options, engine=ToneEngine())
    mp3 = output / episode.path

    home = tmp_path / "gpo-home"
    home.mkdir()
    transcript = [
        gpo(gpo_path, home, "subscribe", f"{url}feed.xml"),
        gpo(gpo_path, home, "update"),
        gpo(gpo_path, home, "download"),
    ]

    downloads = sorted((home / "downloads").rglob("*.mp3"))
    assert len(downloads) == 1, "\n".join(transcript)
    assert downloads[0].read_bytes() == mp3.read_bytes()
    assert "Tide Clocks Return" in transcript[2]
    # gpo fetched the feed and the audio from this server, not from anywhere else.
    assert any('"GET /feed.xml HTTP/1.1" 200' in line for line in log), log
    assert any(f'"GET /{episode.path} HTTP/1.1" 200' in line for line in log), log
