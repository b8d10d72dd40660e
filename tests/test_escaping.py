"""Hostile text from an article and a show config lands as text in every output, never as markup."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import feedparser
from mutagen.id3 import ID3

from audiogen import pipeline
from audiogen.models import Show
from tests.conftest import ToneEngine, build_one

EVIL = "</title><script>alert(1)</script>"
PAGE = f"""<!doctype html><html lang="en"><head><title>{EVIL.replace("<", "&lt;").replace(">", "&gt;")}</title></head>
<body><article><h1>{EVIL.replace("<", "&lt;").replace(">", "&gt;")}</h1>
<p>The council met on Tuesday to talk about the harbor, and it talked for a long time about
the plan for the old terminal and its roof, which everyone agreed needed work.</p>
<h2>Costs &lt;img src=x onerror=alert(2)&gt;</h2>
<p>It will cost a lot of money, the treasurer said, though a grant will pay for nearly half
of it if the state approves the application that was sent in the spring.</p></article></body></html>"""


def test_every_output_escapes_hostile_titles(tmp_path: Path) -> None:
    source = tmp_path / "evil.html"
    source.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    show = Show(title=f"Show {EVIL}", author="A & B <c>", base_url="https://example.com/p/")
    episode = build_one(
        str(source), pipeline.BuildOptions(output=out, show=show), engine=ToneEngine()
    )
    assert episode.article.title == EVIL
    # File names come from a safe slug.
    assert episode.path == "episodes/title-script-alert-1-script.mp3"
    assert all(".." not in p.name and "<" not in p.name for p in out.rglob("*"))

    feed = (out / "feed.xml").read_bytes()
    assert b"<script>" not in feed
    parsed = feedparser.parse(feed)
    assert parsed.feed.title == f"Show {EVIL}" and parsed.entries[0].title == EVIL

    chapters = json.loads(
        (out / "episodes" / f"{episode.slug}.chapters.json").read_text(encoding="utf-8")
    )
    assert chapters["title"] == EVIL
    # Tag-shaped text inside a page's headings is dropped with the page's markup.
    assert chapters["chapters"][1]["title"] == "Costs"

    for companion in (".vtt", ".transcript.html", ".html"):
        text = (out / "episodes" / f"{episode.slug}{companion}").read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, companion
        assert "&lt;script&gt;" in text or "\\u003cscript" in text, companion

    assert str(ID3(out / episode.path)["TIT2"]) == EVIL

    snippets = subprocess.run(
        [sys.executable, "-m", "audiogen", "embed", episode.slug, "-o", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert snippets.returncode == 0, snippets.stderr
    assert "<script>alert" not in snippets.stdout and "&lt;/title&gt;" in snippets.stdout
