"""Render the podcast feed: RSS 2.0 with Apple's iTunes and Podcasting 2.0 tags.

Built with ElementTree so every title and description is escaped by the XML
writer, never by string formatting.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urljoin, urlsplit

from audiogen.models import FeedItem, Show
from audiogen.publish.chapters import CHAPTERS_MIME
from audiogen.publish.transcript import HTML_MIME, VTT_MIME

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
# The Podcasting 2.0 namespace's fixed UUIDv5 namespace for podcast:guid.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
FEED_NAME = "feed.xml"

for _prefix, _uri in (
    ("itunes", ITUNES),
    ("podcast", PODCAST),
    ("atom", ATOM),
    ("content", CONTENT),
):
    ET.register_namespace(_prefix, _uri)


def podcast_guid(feed_url: str) -> str:
    """UUIDv5 of the feed URL without its scheme and trailing slashes.

    >>> podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml")
    '917393e3-1b1e-5cef-ace4-edaa54e1f810'
    """
    parts = urlsplit(feed_url)
    bare = (parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def absolute(show: Show, path: str) -> str:
    base = show.base_url if show.base_url.endswith("/") else show.base_url + "/"
    return urljoin(base, path)


def rss_date(iso: str) -> str:
    """ISO 8601 (with zone) -> RFC 2822, as RSS requires."""
    return format_datetime(datetime.fromisoformat(iso))


def render_feed(show: Show, items: list[FeedItem]) -> bytes:
    """The whole feed document for ``show`` with ``items`` (already newest first)."""
    feed_url = absolute(show, FEED_NAME)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", show.title)
    _text(channel, "link", show.link or absolute(show, ""))
    _text(channel, "description", show.description)
    _text(channel, "language", show.language)
    _text(channel, "generator", "audiogen")
    if show.copyright:
        _text(channel, "copyright", show.copyright)
    if items:
        _text(channel, "lastBuildDate", rss_date(max(i.published for i in items)))
    ET.SubElement(
        channel, f"{{{ATOM}}}link", {"href": feed_url, "rel": "self", "type": "application/rss+xml"}
    )
    ET.SubElement(channel, f"{{{ITUNES}}}image", {"href": absolute(show, show.cover)})
    image = ET.SubElement(channel, "image")
    _text(image, "url", absolute(show, show.cover))
    _text(image, "title", show.title)
    _text(image, "link", absolute(show, ""))
    category = ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": show.category})
    if show.subcategory:
        ET.SubElement(category, f"{{{ITUNES}}}category", {"text": show.subcategory})
    _text(channel, f"{{{ITUNES}}}explicit", "true" if show.explicit else "false")
    _text(channel, f"{{{ITUNES}}}author", show.author)
    _text(channel, f"{{{ITUNES}}}type", show.type)
    _text(channel, f"{{{ITUNES}}}summary", show.description)
    if show.owner_email:
        owner = ET.SubElement(channel, f"{{{ITUNES}}}owner")
        _text(owner, f"{{{ITUNES}}}name", show.author)
        _text(owner, f"{{{ITUNES}}}email", show.owner_email)
    _text(channel, f"{{{PODCAST}}}guid", podcast_guid(feed_url))
    locked = ET.SubElement(channel, f"{{{PODCAST}}}locked")
    locked.text = "yes" if show.owner_email else "no"
    if show.owner_email:
        locked.set("owner", show.owner_email)
    for item in items:
        _render_item(channel, show, item)
    ET.indent(rss, space="  ")
    document: bytes = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _render_item(channel: ET.Element, show: Show, item: FeedItem) -> None:
    node = ET.SubElement(channel, "item")
    _text(node, "title", item.title)
    _text(node, "description", item.description)
    if item.url:
        _text(node, "link", item.url)
    _text(node, "guid", item.guid).set("isPermaLink", "false")
    _text(node, "pubDate", rss_date(item.published))
    ET.SubElement(
        node,
        "enclosure",
        {"url": absolute(show, item.audio), "length": str(item.size_bytes), "type": "audio/mpeg"},
    )
    _text(node, f"{{{ITUNES}}}title", item.title)
    _text(node, f"{{{ITUNES}}}author", item.author)
    _text(node, f"{{{ITUNES}}}duration", str(round(item.duration_ms / 1000)))
    _text(node, f"{{{ITUNES}}}episodeType", item.episode_type)
    _text(node, f"{{{ITUNES}}}explicit", "true" if show.explicit else "false")
    ET.SubElement(node, f"{{{ITUNES}}}image", {"href": absolute(show, show.cover)})
    if item.chapters_file:
        ET.SubElement(
            node,
            f"{{{PODCAST}}}chapters",
            {"url": absolute(show, item.chapters_file), "type": CHAPTERS_MIME},
        )
    if item.vtt_file:
        ET.SubElement(
            node,
            f"{{{PODCAST}}}transcript",
            {
                "url": absolute(show, item.vtt_file),
                "type": VTT_MIME,
                "language": item.language,
                "rel": "captions",
            },
        )
    if item.transcript_file:
        ET.SubElement(
            node,
            f"{{{PODCAST}}}transcript",
            {
                "url": absolute(show, item.transcript_file),
                "type": HTML_MIME,
                "language": item.language,
            },
        )


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element
