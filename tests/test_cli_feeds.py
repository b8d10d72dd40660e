"""A blog's feed through the command line: episodes, sync, failures and hostile feeds.

The feeds and pages are the fixtures of ``tests/feeds``, served on 127.0.0.1 by
``tests/feedserver.py``; the builds run ``audiogen build`` in a fresh process
with the espeak voice (quick), and real consumers read the result: feedparser
and podcastparser parse the podcast feed written to the output folder.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import feedparser
import podcastparser
import pytest

from tests.feedserver import FeedServer, serve

SECRET_MARKER = "SECRET-MARKER-e2e-51c0"


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("private") / "secret.txt"
    path.write_text(SECRET_MARKER + "\n")
    return path


@pytest.fixture
def server(secret: Path) -> Iterator[FeedServer]:
    with serve(secret) as state:
        yield state


def audiogen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiogen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def build(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return audiogen(
        "build", url, "-o", "out", "--engine", "espeak", "--cache-dir", "cache",
        "--fetch-delay", "0", "-q", *extra, cwd=tmp_path,
    )  # fmt: skip


def cached_sentences(tmp_path: Path) -> int:
    result = audiogen("cache", "info", "--json", "--cache-dir", "cache", cwd=tmp_path)
    return int(json.loads(result.stdout)["entries"])


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def episodes(tmp_path: Path) -> list[dict[str, object]]:
    with (tmp_path / "out" / "feed.xml").open("rb") as handle:
        parsed = podcastparser.parse("feed.xml", handle)
    return sorted(parsed["episodes"], key=lambda e: e["published"])


def test_a_wordpress_feed_gives_one_episode_per_post(server: FeedServer, tmp_path: Path) -> None:
    result = build(f"{server.url}/wp/feed/", tmp_path)
    assert result.returncode == 0, result.stderr
    parsed = feedparser.parse((tmp_path / "out" / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    entries = sorted(parsed.entries, key=lambda e: e.published_parsed)
    assert [e.title for e in entries] == [
        "The dredger’s long week",
        "Counting terns on the breakwater",
        "Night shift at the fish market",
    ]
    assert [e.author for e in entries][:2] == ["Maren Holt", "Ivo Brandt"]
    assert [time.strftime("%Y-%m-%d", e.published_parsed) for e in entries] == [
        "2026-10-05", "2026-10-12", "2026-10-19",
    ]  # fmt: skip
    # The show's details come from the source feed when nothing else sets them.
    assert parsed.feed.title == "Harbour Field Notes"
    assert parsed.feed.language.lower().startswith("en")
    transcripts = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.vtt"))
    assert "lifting silt" in transcripts and "weather vanes" in transcripts
    for unspoken in ("appeared first on", "Share this", "photographed by the harbour office",
                     "Crates of mackerel", "Continue reading"):  # fmt: skip
        assert unspoken not in transcripts


def test_a_new_post_is_the_only_one_spoken(server: FeedServer, tmp_path: Path) -> None:
    assert build(f"{server.url}/wp/feed/", tmp_path).returncode == 0
    before = {e["guid"]: e["published"] for e in episodes(tmp_path)}
    spoken_before = cached_sentences(tmp_path)
    fourth = (
        "<item><title>Lifeboat day</title><link>@SERVER@/wp/2026/10/lifeboat/</link>"
        "<dc:creator>Ivo Brandt</dc:creator><pubDate>Mon, 26 Oct 2026 08:00:00 +0000</pubDate>"
        "<guid isPermaLink='false'>@SERVER@/wp/?p=104</guid><content:encoded><![CDATA["
        "<p>The lifeboat crew opened the station doors to visitors on Saturday.</p>]]>"
        "</content:encoded></item>"
    ).replace("@SERVER@", server.url)
    feed = server.fixture("wordpress.xml").replace(b"<item>", fourth.encode() + b"<item>", 1)
    server.replace("/wp/feed/", feed)
    result = build(f"{server.url}/wp/feed/", tmp_path)
    assert result.returncode == 0, result.stderr
    after = {e["guid"]: e["published"] for e in episodes(tmp_path)}
    assert len(after) == 4
    assert {guid: after[guid] for guid in before} == before  # guids and dates kept
    spoken = cached_sentences(tmp_path) - spoken_before
    # Only the new post's words were spoken: its title and its one sentence.
    assert 1 <= spoken <= 3


def test_an_unchanged_feed_speaks_nothing_and_keeps_every_file(
    server: FeedServer, tmp_path: Path
) -> None:
    assert build(f"{server.url}/wp/feed/", tmp_path).returncode == 0
    spoken = cached_sentences(tmp_path)
    audio = {k: v for k, v in snapshot(tmp_path / "out").items() if k.endswith(".mp3")}
    assert build(f"{server.url}/wp/feed/", tmp_path).returncode == 0
    assert cached_sentences(tmp_path) == spoken
    assert {k: v for k, v in snapshot(tmp_path / "out").items() if k.endswith(".mp3")} == audio
    assert server.not_modified["/wp/feed/"] >= 1  # asked with the ETag it was given


def test_a_summary_only_feed_speaks_the_linked_pages(server: FeedServer, tmp_path: Path) -> None:
    result = build(f"{server.url}/blog/atom.xml", tmp_path)
    assert result.returncode == 0, result.stderr
    assert [e["title"] for e in episodes(tmp_path)] == [
        "Why my clock has no battery",
        "The radio that outlived its factory",
    ]
    transcripts = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.vtt"))
    assert "wound every eight days" in transcripts and "a long relay" in transcripts
    for furniture in ("Get the newsletter", "All rights reserved", "Archive", "Subscribe"):
        assert furniture not in transcripts


def test_following_a_pages_feed(server: FeedServer, tmp_path: Path) -> None:
    result = build(f"{server.url}/blog/", tmp_path, "--follow-feed", "--limit", "1")
    assert result.returncode == 0, result.stderr
    assert [e["title"] for e in episodes(tmp_path)] == ["The radio that outlived its factory"]


def test_a_failing_page_is_reported_and_the_rest_built(server: FeedServer, tmp_path: Path) -> None:
    result = build(f"{server.url}/three/feed", tmp_path)
    assert result.returncode != 0
    assert "Page two" in result.stderr and "500" in result.stderr
    assert [e["title"] for e in episodes(tmp_path)] == ["Page one", "Page three"]


@pytest.mark.parametrize("path", ["/xxe/feed", "/bomb/feed", "/missing", "/not-a-feed"])
def test_hostile_and_broken_feeds_change_nothing(
    server: FeedServer, tmp_path: Path, path: str
) -> None:
    assert build(f"{server.url}/rdf/feed", tmp_path).returncode == 0
    before = snapshot(tmp_path / "out")
    started = time.monotonic()
    result = build(f"{server.url}{path}", tmp_path)
    assert time.monotonic() - started < 30  # a guard against hanging, not a benchmark
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("audiogen: error: "), result.stderr
    assert SECRET_MARKER not in result.stderr + result.stdout
    assert snapshot(tmp_path / "out") == before


def test_prune_drops_only_what_left_the_feed(server: FeedServer, tmp_path: Path) -> None:
    assert build(f"{server.url}/wp/feed/", tmp_path).returncode == 0
    # The oldest post leaves the feed; the newest is left out by --limit, but is still in it.
    feed = server.fixture("wordpress.xml")
    start = feed.index(b"<item>")
    feed = feed[:start] + feed[feed.index(b"</item>", start) + len(b"</item>") :]
    server.replace("/wp/feed/", feed)
    result = build(f"{server.url}/wp/feed/", tmp_path, "--prune", "--limit", "1")
    assert result.returncode == 0, result.stderr
    assert [e["title"] for e in episodes(tmp_path)] == [
        "Counting terns on the breakwater",
        "Night shift at the fish market",
    ]
