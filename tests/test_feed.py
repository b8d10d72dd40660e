"""The feed, checked by the parsers podcast apps use (podcastparser, feedparser)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import feedparser
import podcastparser
import pytest

from audiogen.models import Chapter, FeedItem, Show
from audiogen.publish.feed import ITUNES, PODCAST, podcast_guid, render_feed, rss_date

SHOW = Show(
    title="Harbor & Coast <Weekly>",
    description="Local news, read aloud.",
    author="Harbor Weekly",
    owner_email="editor@example.com",
    language="en",
    category="News",
    subcategory="Daily News",
    base_url="https://example.com/pod/",
)


def _item(n: int, published: str) -> FeedItem:
    return FeedItem(
        key=f"article {n}",
        guid=f"guid-{n}",
        slug=f"article-{n}",
        title=f"Article {n}: </title><script>alert(1)</script>",
        description=f"About article {n}.",
        author="Jane Doe",
        language="en",
        published=published,
        audio=f"episodes/article-{n}.mp3",
        size_bytes=1000 + n,
        duration_ms=61_400 + n,
        chapters=(Chapter("Intro", 0, 61_400),),
    )


ITEMS = [_item(2, "2024-02-01T09:00:00+00:00"), _item(1, "2024-01-05T18:30:00+01:00")]


def test_podcastparser_reads_channel_and_episodes() -> None:
    xml = render_feed(SHOW, ITEMS)
    parsed = podcastparser.parse("https://example.com/pod/feed.xml", io.BytesIO(xml))
    assert parsed["title"] == SHOW.title
    assert parsed["cover_url"] == "https://example.com/pod/cover.jpg"
    assert [e["guid"] for e in parsed["episodes"]] == ["guid-2", "guid-1"]
    first = parsed["episodes"][0]
    assert first["title"] == ITEMS[0].title
    assert first["total_time"] == 61
    assert first["enclosures"] == [
        {
            "url": "https://example.com/pod/episodes/article-2.mp3",
            "file_size": 1002,
            "mime_type": "audio/mpeg",
        }
    ]


def test_feedparser_reads_apple_tags() -> None:
    parsed = feedparser.parse(render_feed(SHOW, ITEMS))
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = parsed.feed
    assert channel.title == SHOW.title
    assert channel.language == "en"
    assert channel.image.href == "https://example.com/pod/cover.jpg"
    # feedparser maps Apple's "false" to None ("any other value"), and only "yes"/"true" to True.
    assert not channel.itunes_explicit
    assert channel.author == "Harbor Weekly"
    assert [t.term for t in channel.tags] == ["News", "Daily News"]
    entry = parsed.entries[1]
    assert entry.title == ITEMS[1].title
    assert entry.itunes_duration == "61"
    assert entry.published == "Fri, 05 Jan 2024 18:30:00 +0100"
    assert entry.enclosures[0].length == "1001"


def test_required_tags_are_present_and_escaped() -> None:
    root = ET.fromstring(render_feed(SHOW, ITEMS))
    channel = root.find("channel")
    assert channel is not None
    for tag in ("title", "link", "description", "language", f"{{{ITUNES}}}image", f"{{{ITUNES}}}category",
                f"{{{ITUNES}}}explicit", f"{{{ITUNES}}}author", f"{{{ITUNES}}}owner", f"{{{ITUNES}}}type",
                f"{{{PODCAST}}}guid", f"{{{PODCAST}}}locked"):  # fmt: skip
        assert channel.find(tag) is not None, tag
    for item in channel.findall("item"):
        for tag in ("title", "guid", "pubDate", "description", "enclosure", f"{{{ITUNES}}}duration",
                    f"{{{ITUNES}}}episodeType"):  # fmt: skip
            assert item.find(tag) is not None, tag
    assert channel.findtext(f"{{{ITUNES}}}explicit") == "false"
    assert b"<script>" not in render_feed(SHOW, ITEMS)
    assert channel.findtext(f"{{{PODCAST}}}guid") == podcast_guid(
        "https://example.com/pod/feed.xml"
    )


@pytest.mark.parametrize(
    ("url", "guid"),
    [
        # The example published with the Podcasting 2.0 namespace's guid tag.
        ("https://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
        ("http://mp3s.nashownotes.com/pc20rss.xml/", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
    ],
)
def test_podcast_guid(url: str, guid: str) -> None:
    assert podcast_guid(url) == guid


def test_rss_date() -> None:
    assert rss_date("2024-01-05T18:30:00+01:00") == "Fri, 05 Jan 2024 18:30:00 +0100"
