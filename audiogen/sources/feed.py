"""The feed source: an RSS or Atom feed (a URL or a file) read as one article per entry.

An entry that carries the whole post (``content:encoded``, Atom ``content``)
becomes a Document of that HTML, its feed boilerplate taken out, without any
request: rebuilding an unchanged feed costs one conditional request for the
feed and a hash comparison per entry. An entry with only a summary is read
from its link like any web page; its page is asked for again only when the
entry itself changed in the feed (its link, title, date or summary), and then
conditionally, so an unchanged page costs a "304 Not Modified" at most.

Entries come oldest first; ``limit`` keeps the newest N, ``since`` drops the
ones published before it (an entry without a date is kept). A page that cannot
be read is yielded as ``Unreadable`` and the rest go on; a feed that cannot be
read (missing, not a feed, hostile) raises ``BadInput`` before any entry is
yielded.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]

from audiogen.errors import BadInput
from audiogen.models import Channel, Document, Unreadable
from audiogen.sources.base import Read, SourceContext
from audiogen.sources.feedxml import (
    MAX_FEED_BYTES,
    Entry,
    is_other_xml,
    parse_feed,
    sniff_kind,
)
from audiogen.text.feedclean import clean_entry_html
from audiogen.text.fetch import Validators
from audiogen.text.read import document_from_page, is_url

FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
STATE_VERSION = 1


class FeedSource:
    """RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds, recognised by their root element."""

    name: ClassVar[str] = "feed"
    description: ClassVar[str] = "an RSS or Atom feed (URL or file): one episode per entry"
    # Before the page and file sources: a feed is XML, which they would take as a page.
    priority: ClassVar[int] = 60

    def recognises(self, target: str, head: bytes | None, context: SourceContext) -> bool:
        if head is None:
            return False
        if sniff_kind(head) is not None or is_other_xml(head):
            return True
        return context.follow_feed and looks_like_html(head)

    def read(self, target: str, context: SourceContext) -> Read:
        data, url = load(target, context)
        if sniff_kind(data[:65536]) is None and context.follow_feed and looks_like_html(data):
            feed_url = find_feed_link(data, url)
            if feed_url is None:
                raise BadInput(
                    f'{target} links no feed (no <link rel="alternate" '
                    'type="application/rss+xml">): give the address of the feed itself'
                )
            data, url = load(feed_url, context)
        feed = parse_feed(data, url, name=target)
        entries = select(feed.entries, context.limit, context.since)
        saved = context.saved(state_name(target))
        seen = _seen(saved)
        now_seen: dict[str, str] = {}
        read_keys: set[str] = set()
        for entry in entries:
            item = entry_document(entry, target, feed.channel, context, seen)
            if entry.key and isinstance(item, Document):
                read_keys.add(entry.key)
                if entry.content is None:
                    now_seen[entry.key] = entry_fingerprint(entry)
            yield item
        for key in {e.key for e in feed.entries if e.key} - read_keys:
            context.listed(target, key)  # still in the feed: --prune keeps its episode
        state = {"version": STATE_VERSION, "pages": now_seen}
        if state != saved:  # saving makes the build publish: not for nothing new
            context.save(state_name(target), state)


def state_name(target: str) -> str:
    """Under what name a feed's state is saved: one per feed, so two feeds in a build keep theirs.

    >>> state_name("https://ex.org/feed/")
    'feed https://ex.org/feed/'
    """
    return f"{FeedSource.name} {target}"


def load(target: str, context: SourceContext) -> tuple[bytes, str]:
    """The bytes of a feed (or a page linking one) and the address links start from."""
    if is_url(target):
        page = context.fetch(target)
        if page.not_modified and not page.body:  # a 304 with no kept copy: ask again in full
            page = context.fetch(target, validators=Validators())
        return page.body, page.final_url
    path = Path(target)
    try:
        if path.stat().st_size > MAX_FEED_BYTES:
            raise BadInput(f"{target} is larger than {MAX_FEED_BYTES:,} bytes: too large a feed")
        return path.read_bytes(), path.resolve().as_uri()
    except OSError as exc:
        raise BadInput(f"cannot read {target}: {exc.strerror or exc}") from None


def looks_like_html(head: bytes) -> bool:
    """True for the start of a web page.

    >>> looks_like_html(b"<!DOCTYPE html><html lang=en>"), looks_like_html(b"<rss>")
    (True, False)
    """
    start = head[:2048].lower()
    return b"<html" in start or b"<!doctype html" in start or b"<head" in start


def find_feed_link(page: bytes, url: str) -> str | None:
    """The feed a page links with ``<link rel="alternate" type="application/rss+xml">``.

    A site's own feed is preferred over a comments feed.

    >>> find_feed_link(b'<html><head><link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/"><link rel="alternate" type="application/atom+xml" href="/feed/"></head></html>', "https://ex.org/post/")
    'https://ex.org/feed/'
    >>> find_feed_link(b"<html><head><title>No feed</title></head></html>", "https://ex.org/") is None
    True
    """
    try:
        tree = lxml.html.document_fromstring(page)
    except (lxml.etree.ParserError, ValueError):
        return None
    base = url
    for element in tree.iter("base"):
        if element.get("href"):
            base = urllib.parse.urljoin(url, element.get("href"))
            break
    found = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_LINK_TYPES and link.get("href"):
            comments = "comment" in (link.get("title") or "").lower()
            found.append((comments, urllib.parse.urljoin(base, link.get("href").strip())))
    found.sort(key=lambda pair: pair[0])  # stable: the page's own order otherwise
    web = [href for _, href in found if is_url(href)]
    return web[0] if web else None


def select(
    entries: tuple[Entry, ...], limit: int | None = None, since: datetime | None = None
) -> list[Entry]:
    """Entries oldest first, one per key, without those before ``since``, the newest ``limit``.

    A feed lists its newest entries first, so among entries of one date (or
    of none) the later in the feed is taken as the older.
    """
    unique: dict[str, Entry] = {}
    rest: list[Entry] = []
    for entry in entries:
        if entry.key is None:
            rest.append(entry)
        else:
            unique.setdefault(entry.key, entry)  # the first (newest) of a repeated guid
    chosen = [*unique.values(), *rest]
    if since is not None:
        floor = since if since.tzinfo else since.replace(tzinfo=UTC)
        chosen = [e for e in chosen if e.published is None or e.published >= floor]
    epoch = datetime.min.replace(tzinfo=UTC)
    chosen.sort(key=lambda e: (e.published is not None, e.published or epoch, -e.position))
    return chosen[-limit:] if limit else chosen


def entry_document(
    entry: Entry,
    feed: str,
    channel: Channel,
    context: SourceContext,
    seen: Mapping[str, str],
) -> Document | Unreadable:
    """The entry's article: its own HTML, else its page, else its summary."""
    title = entry.title or entry.link or f"entry {entry.position + 1} of {feed}"
    meta: dict[str, Any] = {
        "source": feed,
        "url": entry.link,
        "key": entry.key,
        "title": entry.title,
        "author": entry.author,
        "published": entry.published,
        "language": entry.language,
        "categories": entry.categories,
        "image": entry.image,
        "channel": channel,
    }
    if entry.content is not None or (entry.link is None and entry.summary):
        html = clean_entry_html(entry.content or entry.summary or "")
        return Document(text=html, format="html", fragment=True, **meta)
    if entry.link is None:
        return Unreadable(feed, title, "the entry has no content and no link to read it from")
    kept_ok = entry.key is not None and seen.get(entry.key) == entry_fingerprint(entry)
    try:
        page = document_from_page(context.fetch(entry.link, kept_ok=kept_ok))
    except BadInput as exc:
        return Unreadable(entry.link, title, str(exc))
    return replace(page, **{**meta, "url": page.url})


def entry_fingerprint(entry: Entry) -> str:
    """What the feed says of an entry whose page is read: when it changes, so may the page."""
    published = entry.published.isoformat() if entry.published else None
    fields = [entry.link, entry.title, published, entry.summary]
    return hashlib.sha256(json.dumps(fields).encode("utf-8")).hexdigest()[:32]


def _seen(state: Any) -> Mapping[str, str]:
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return {}
    pages = state.get("pages")
    return pages if isinstance(pages, dict) else {}
