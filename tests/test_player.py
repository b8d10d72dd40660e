"""The player's files, page and embed snippets, read back with an HTML parser.

What the player does in a browser is tested in test_player_browser.py.
"""

from __future__ import annotations

import doctest
import json
import posixpath
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiogen.cli import cli
from audiogen.errors import BadInput
from audiogen.models import Chapter, FeedItem, Show
from audiogen.publish import player
from audiogen.publish.feed import render_feed
from audiogen.publish.site import save_manifest

SHOW = Show(title="Harbor Weekly", base_url="https://example.com/pod/")
HOSTILE = "</title><script>alert(1)</script> & \"quotes\" <b>'bold'</b>"


def item(
    title: str = "Harbor Town Votes", slug: str = "harbor-town-votes", **kw: object
) -> FeedItem:
    fields: dict[str, object] = {
        "key": title,
        "guid": "guid-1",
        "slug": slug,
        "title": title,
        "description": f"About {title}.",
        "author": "A. Writer",
        "language": "en",
        "published": "2024-05-01T08:00:00+00:00",
        "audio": f"episodes/{slug}.mp3",
        "size_bytes": 1000,
        "duration_ms": 87_850,
        "chapters": (Chapter(title, 0, 30_000), Chapter("What It Costs", 30_000, 87_850)),
    }
    fields.update(kw)
    return FeedItem(**fields)  # type: ignore[arg-type]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <title>."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def one(self, tag: str) -> dict[str, str]:
        (attrs,) = self.all(tag)
        return attrs


def site_with_episode(root: Path, episode: FeedItem, *, companions: bool = True) -> Path:
    for rel in [episode.audio] + (
        [player.chapters_path(episode), player.transcript_path(episode)] if companions else []
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    (root / SHOW.cover).write_bytes(b"\xff\xd8\xff")
    return root


def test_write_player_writes_a_page_whose_links_all_resolve(tmp_path: Path) -> None:
    episode = item()
    site_with_episode(tmp_path, episode)
    player.write_player(tmp_path, episode, SHOW)

    page = tmp_path / "episodes" / "harbor-town-votes.html"
    parsed = Elements(page.read_text(encoding="utf-8"))
    assert parsed.title == "Harbor Town Votes · Harbor Weekly"
    tag = parsed.one("audiogen-player")
    assert tag["episode-title"] == "Harbor Town Votes"
    assert tag["show-title"] == "Harbor Weekly"
    assert float(tag["duration"]) == pytest.approx(87.85)
    scripts = [s["src"] for s in parsed.all("script") if "src" in s]
    links = {attrs["rel"]: attrs["href"] for attrs in parsed.all("link")}
    local = {
        "src": tag["src"],
        "chapters": tag["chapters"],
        "transcript": tag["transcript"],
        "artwork": tag["artwork"],
        "script": scripts[0],
        "styles": links["preload"],
        "feed": links["alternate"],
    }
    expected = {
        "src": "episodes/harbor-town-votes.mp3",
        "chapters": "episodes/harbor-town-votes.chapters.json",
        "transcript": "episodes/harbor-town-votes.vtt",
        "artwork": "cover.jpg",
        "script": "player/audiogen-player.js",
        "styles": "player/audiogen-player.css",
        "feed": "feed.xml",
    }
    # Relative links, so the folder works wherever it is served.
    assert {
        k: posixpath.normpath(posixpath.join("episodes", v)) for k, v in local.items()
    } == expected
    for rel in expected.values():
        if rel != "feed.xml":  # written by the pipeline, not here
            assert (tmp_path / rel).is_file(), rel
    assert links["canonical"] == "https://example.com/pod/episodes/harbor-town-votes.html"
    assert (tmp_path / "player" / "audiogen-player.js").read_bytes() == player.asset(
        "audiogen-player.js"
    )
    assert not list(tmp_path.rglob("*.tmp"))


def test_page_leaves_out_companions_that_were_not_written(tmp_path: Path) -> None:
    episode = item()
    site_with_episode(tmp_path, episode, companions=False)
    player.write_player(tmp_path, episode, SHOW)
    tag = Elements((tmp_path / player.page_path(episode)).read_text()).one("audiogen-player")
    assert (tag["chapters"], tag["transcript"]) == ("none", "none")


def test_paths_follow_the_manifest_when_it_names_them() -> None:
    episode = item(chapters_file="c/ch.json", vtt_file="t/t.vtt", player_file="p/page.html")
    assert (player.chapters_path(episode), player.transcript_path(episode)) == (
        "c/ch.json",
        "t/t.vtt",
    )
    tag = Elements(player.render_page(episode, SHOW)).one("audiogen-player")
    assert (tag["src"], tag["chapters"]) == ("../episodes/harbor-town-votes.mp3", "../c/ch.json")


def test_a_hostile_title_stays_text_in_the_page_and_the_snippets() -> None:
    episode = item(title=HOSTILE, description=HOSTILE, url='https://news.example/a?b=1&c="2"')
    markup = player.render_page(episode, SHOW)
    assert "<script>alert(1)" not in markup
    parsed = Elements(markup)
    assert parsed.title == f"{HOSTILE} · Harbor Weekly"
    assert parsed.one("audiogen-player")["episode-title"] == HOSTILE
    metas = {
        m.get("property") or m.get("name"): m["content"]
        for m in parsed.all("meta")
        if "content" in m
    }
    assert metas["og:title"] == HOSTILE and metas["description"] == HOSTILE
    # The page's own two scripts (frame detection, the player) and nothing from the title.
    assert len(parsed.all("script")) == 2
    assert any(a.get("href") == 'https://news.example/a?b=1&c="2"' for a in parsed.all("a"))

    iframe, component = player.embed_snippets(episode, SHOW)
    assert Elements(iframe).one("iframe")["title"] == f"Audio player: {HOSTILE}"
    snippet = Elements(component)
    assert len(snippet.all("script")) == 1
    assert snippet.one("audiogen-player")["episode-title"] == HOSTILE


def test_embed_snippets_use_absolute_urls_under_the_base_url() -> None:
    show = replace(SHOW, base_url="https://example.com/pod")  # no trailing slash
    iframe, component = player.embed_snippets(item(), show)
    frame = Elements(iframe).one("iframe")
    assert frame["src"] == "https://example.com/pod/episodes/harbor-town-votes.html"
    assert frame["height"] == str(player.IFRAME_HEIGHT)
    parsed = Elements(component)
    assert parsed.one("script")["src"] == "https://example.com/pod/player/audiogen-player.js"
    tag = parsed.one("audiogen-player")
    base = "https://example.com/pod/episodes/harbor-town-votes"
    assert (tag["src"], tag["chapters"], tag["transcript"]) == (
        f"{base}.mp3",
        f"{base}.chapters.json",
        f"{base}.vtt",
    )
    assert tag["artwork"] == "https://example.com/pod/cover.jpg"
    # Without the script the reader still gets the browser's own audio controls.
    assert parsed.one("audio")["src"] == f"{base}.mp3"


EPISODES = [
    item("Harbor Town Votes", "harbor-town-votes"),
    item("Same Title", "same-title", key="a"),
    item("Same Title", "same-title-2", key="b"),
    item("Ünïcode Title", "unicode-title"),
]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("harbor-town-votes", "harbor-town-votes"),
        ("HARBOR TOWN VOTES", "harbor-town-votes"),
        ("  Harbor Town Votes ", "harbor-town-votes"),
        ("same-title-2", "same-title-2"),
        ("unicode title", "unicode-title"),
    ],
)
def test_find_episode_by_slug_or_title(query: str, slug: str) -> None:
    assert player.find_episode(EPISODES, query).slug == slug


@pytest.mark.parametrize(
    ("items", "query", "message"),
    [
        (EPISODES, "nothing like it", "same-title, same-title-2"),
        (EPISODES, "Same Title", "several episodes"),
        ([], "anything", "audiogen build"),
    ],
)
def test_find_episode_explains_a_miss(items: list[FeedItem], query: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        player.find_episode(items, query)


def test_show_from_feed_reads_the_published_address(tmp_path: Path) -> None:
    assert player.show_from_feed(tmp_path) == Show()  # no feed yet
    (tmp_path / "feed.xml").write_bytes(render_feed(SHOW, [item()]))
    show = player.show_from_feed(tmp_path)
    assert (show.title, show.base_url, show.cover) == (
        "Harbor Weekly",
        "https://example.com/pod/",
        "cover.jpg",
    )
    (tmp_path / "feed.xml").write_text("<rss><channel>", encoding="utf-8")
    assert player.show_from_feed(tmp_path) == Show()


def _site_for_cli(root: Path) -> None:
    episodes = [item(), item(HOSTILE, "hostile")]
    save_manifest(root, episodes)
    (root / "feed.xml").write_bytes(render_feed(SHOW, episodes))


def test_embed_command_prints_both_snippets(tmp_path: Path) -> None:
    _site_for_cli(tmp_path)
    result = CliRunner().invoke(cli, ["embed", "Harbor Town Votes", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    parsed = Elements(result.output)
    assert parsed.one("iframe")["src"] == "https://example.com/pod/episodes/harbor-town-votes.html"
    assert parsed.one("audiogen-player")["src"].startswith("https://example.com/pod/episodes/")

    moved = CliRunner().invoke(
        cli,
        ["embed", "hostile", "-o", str(tmp_path), "--base-url", "https://cdn.example/x/", "--json"],
    )
    assert moved.exit_code == 0, moved.output
    data = json.loads(moved.output)
    assert set(data) == {"iframe", "component"}
    tag = Elements(data["component"]).one("audiogen-player")
    assert tag["episode-title"] == HOSTILE
    assert (tag["src"], tag["artwork"]) == (
        "https://cdn.example/x/episodes/hostile.mp3",
        "https://cdn.example/x/cover.jpg",
    )


def test_embed_command_names_the_episodes_on_a_miss(tmp_path: Path) -> None:
    _site_for_cli(tmp_path)
    result = CliRunner().invoke(cli, ["embed", "nope", "-o", str(tmp_path)])
    assert isinstance(result.exception, BadInput)
    assert "harbor-town-votes" in str(result.exception)


def test_player_script_never_parses_markup() -> None:
    """Article text reaches the page only through textContent and attributes."""
    script = player.asset("audiogen-player.js").decode("utf-8")
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "DOMParser",
    ):
        assert sink not in script, sink
    assert re.search(r"\.textContent = ", script)


def test_doctests() -> None:
    assert doctest.testmod(player).failed == 0
