"""Read an RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 feed, safely, into its channel and entries.

A feed is untrusted XML from anywhere, so it is parsed by lxml with entity
substitution, DTD loading and network access off, and ``huge_tree`` off
(libxml2's limits on depth and on the size of one text node stay on). A
document whose DOCTYPE carries an internal subset (``<!DOCTYPE rss [ ... ]>``)
is refused before parsing: that subset is where entities are declared, which is
how XXE (``<!ENTITY x SYSTEM "file:///etc/passwd">``) and "billion laughs"
expansion work, and no real feed needs one. feedparser, used as a test oracle,
expands internal entities itself, which is why it is not the parser here.

The format is told by the root element and its namespace, never by a file
name or a media type. Common breakage is mended before giving up: HTML's named
entities (``&nbsp;``, ``&eacute;``), undefined in XML, and bare ``&``.
"""

from __future__ import annotations

import contextlib
import html
import re
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.entities import name2codepoint

import lxml.etree  # type: ignore[import-untyped]

from audiogen import languages
from audiogen.errors import BadInput
from audiogen.models import Channel

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
XML_BASE = f"{{{XML_NS}}}base"

MAX_FEED_BYTES = 20_000_000
SAFE_PARSER = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_pis": True,
}

DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
# The DOCTYPE's name and external identifier, then "[" (an internal subset) or ">".
DOCTYPE_HEAD = re.compile(
    rb"""<!DOCTYPE\s+[^\s\[>]+(?:\s+(?:SYSTEM\s+(?:"[^"]*"|'[^']*')|PUBLIC\s+(?:"[^"]*"|'[^']*')\s*(?:"[^"]*"|'[^']*')?))?\s*([\[>])""",
    re.IGNORECASE,
)
DOCTYPE_NAME = re.compile(rb"<!DOCTYPE\s+([^\s\[>]+)")
NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
BARE_AMPERSAND = re.compile(rb"&(?!#[0-9]+;|#x[0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]{0,31};)")
XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Entry:
    """One post as the feed lists it. ``content`` is the whole post's HTML, when the feed has it."""

    position: int  # in the feed's own order, from 0
    key: str | None
    title: str | None
    link: str | None
    author: str | None = None
    published: datetime | None = None
    categories: tuple[str, ...] = ()
    image: str | None = None
    language: str | None = None
    content: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    kind: str  # "rss", "rdf" or "atom"
    channel: Channel
    entries: tuple[Entry, ...]


def feed_kind(root_tag: str) -> str | None:
    """The kind of feed a root element names (its Clark name), or None.

    >>> feed_kind("rss"), feed_kind("{http://www.w3.org/2005/Atom}feed")
    ('rss', 'atom')
    >>> feed_kind("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"), feed_kind("html")
    ('rdf', None)
    """
    return {"rss": "rss", f"{{{ATOM}}}feed": "atom", f"{{{RDF}}}RDF": "rdf"}.get(root_tag)


def sniff_kind(head: bytes) -> str | None:
    """The kind of feed the first bytes of a document begin, or None when they begin none.

    Only the root element's start is needed, so a head cut short anywhere after
    it will do. A head whose DOCTYPE declares an internal subset counts as a
    feed when its root is one, so that ``parse_feed`` refuses it.

    >>> sniff_kind(b'<?xml version="1.0"?><rss version="2.0"><channel><title>T')
    'rss'
    >>> sniff_kind(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>')
    'atom'
    >>> sniff_kind(b"<html><head><title>T</title>") is None
    True
    >>> sniff_kind(b"# A Markdown article") is None
    True
    """
    root = sniff_root(head)
    if root is not None:
        return feed_kind(root)
    # A long DOCTYPE can push the root out of the head: its name says what it will be.
    declared = DOCTYPE_NAME.search(head, 0, _root_start(head))
    if declared is not None:
        return {b"rss": "rss", b"feed": "atom", b"rdf:RDF": "rdf"}.get(declared.group(1))
    return None


def sniff_root(head: bytes) -> str | None:
    """The Clark name of the root element the first bytes of an XML document begin, if any.

    >>> sniff_root(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    '{http://www.sitemaps.org/schemas/sitemap/0.9}urlset'
    """
    parser = lxml.etree.XMLPullParser(events=("start",), **SAFE_PARSER)
    with contextlib.suppress(lxml.etree.XMLSyntaxError):  # events before the error count
        parser.feed(head)
    for _, element in parser.read_events():
        return str(element.tag)
    return None


def is_other_xml(head: bytes) -> bool:
    """True for an XML document (it opens with ``<?xml``) that is neither a feed nor a web page:
    a sitemap, say, given by mistake. The feed source takes it, to say what it is.

    >>> is_other_xml(b'<?xml version="1.0"?><urlset>'), is_other_xml(b"<?xml version='1.0'?><rss>")
    (True, False)
    >>> is_other_xml(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">')
    False
    >>> is_other_xml(b"<p>Hello</p>")
    False
    """
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        return False
    root = sniff_root(head)
    return root is not None and feed_kind(root) is None and root.rsplit("}", 1)[-1] != "html"


def refuse_entity_declarations(data: bytes, name: str) -> None:
    """Raise ``BadInput`` when the document's DOCTYPE has an internal subset (entities).

    >>> refuse_entity_declarations(b'<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "rss.dtd"><rss/>', "f")
    >>> refuse_entity_declarations(b'<!DOCTYPE r [<!ENTITY a "b">]><r/>', "f")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    audiogen.errors.BadInput: f declares XML entities (<!DOCTYPE ... [<!ENTITY ...]>): refused...
    """
    probe = data[:4096]
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in probe[:64]:
        probe = _as_utf8(data)
        data = probe
    doctype = DOCTYPE.search(data, 0, _root_start(data))
    if doctype is None:
        return
    head = DOCTYPE_HEAD.match(data, doctype.start())
    if head is not None and head.group(1) == b">":
        return
    raise BadInput(
        f"{name} declares XML entities (<!DOCTYPE ... [<!ENTITY ...]>): refused, since a feed "
        "needs none and they are how XXE and entity-expansion attacks work"
    )


def _as_utf8(data: bytes) -> bytes:
    for codec in ("utf-16", "utf-32"):
        try:
            return data.decode(codec).encode("utf-8")
        except UnicodeDecodeError:
            continue
    return data


def _root_start(data: bytes) -> int:
    """Where the first start tag begins: the DOCTYPE can only come before it."""
    match = re.search(rb"<[A-Za-z_]", data)
    return match.start() if match else len(data)


def parse_feed(data: bytes, url: str, name: str | None = None) -> ParsedFeed:
    """Parse a feed's bytes (``url``: where it came from, to resolve relative links).

    Raises ``BadInput`` with one line for a document that declares entities,
    is not well-formed XML even after mending, or is XML but not a feed.
    """
    name = name or url
    if len(data) > MAX_FEED_BYTES:
        raise BadInput(f"{name} is larger than {MAX_FEED_BYTES:,} bytes: too large for a feed")
    refuse_entity_declarations(data, name)
    root = _parse_xml(data, url, name)
    kind = feed_kind(root.tag)
    if kind is None:
        raise BadInput(
            f"{name} is not an RSS or Atom feed (its root element is <{_local(root.tag)}>)"
        )
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # refused above: a guard
        raise BadInput(f"{name} declares XML entities: refused")
    if kind == "atom":
        channel, entries = read_atom(root, url)
    else:
        channel, entries = read_rss(root, url, kind)
    return ParsedFeed(kind, channel, tuple(entries))


def _parse_xml(data: bytes, url: str, name: str) -> lxml.etree._Element:
    if DOCTYPE.search(data, 0, _root_start(data)):
        # With a DOCTYPE (RSS 0.91's names a DTD on the web) libxml2 takes an
        # unknown "&nbsp;" for an entity of the unloaded DTD and drops it
        # silently, so HTML's entities are written out first.
        data = mend(data)
    parser = lxml.etree.XMLParser(**SAFE_PARSER)
    try:
        return lxml.etree.fromstring(data, parser, base_url=url)
    except lxml.etree.XMLSyntaxError as exc:
        first = exc
    try:
        return lxml.etree.fromstring(mend(data), lxml.etree.XMLParser(**SAFE_PARSER), base_url=url)
    except lxml.etree.XMLSyntaxError:
        pass
    message = str(first.msg if hasattr(first, "msg") else first).strip().rstrip(".")
    line = f" (line {first.lineno})" if getattr(first, "lineno", None) else ""
    raise BadInput(f"{name} is not a feed: it is not well-formed XML{line}: {message}") from None


def mend(data: bytes) -> bytes:
    """HTML entities as character references, and bare ampersands escaped.

    >>> mend(b"<title>Caf&eacute; &amp; Q&A&nbsp;&#8217;</title>")
    b'<title>Caf&#233; &amp; Q&amp;A&#160;&#8217;</title>'
    """

    def numeric(match: re.Match[bytes]) -> bytes:
        entity = match.group(1)
        point = name2codepoint.get(entity.decode("ascii"))
        if entity in XML_ENTITIES or point is None:
            return match.group(0)
        return b"&#%d;" % point

    return BARE_AMPERSAND.sub(b"&amp;", NAMED_ENTITY.sub(numeric, data))


# --- RSS 2.0 and RSS 1.0 ---------------------------------------------------------------


def read_rss(root: lxml.etree._Element, url: str, kind: str) -> tuple[Channel, list[Entry]]:
    ns = "" if kind == "rss" else _rdf_namespace(root)
    channel_element = root.find(f"{ns}channel")
    if channel_element is None:
        raise BadInput(f"{url} is not a feed: it has no <channel>")
    link = absolute(text_of(channel_element, f"{ns}link"), url)
    base_url = link or url
    language = tag_language(
        text_of(channel_element, "language", f"{{{DC}}}language") or root.get(XML_LANG)
    )
    image_element = channel_element.find(f"{ns}image")
    if kind == "rdf" and image_element is None:
        image_element = root.find(f"{ns}image")
    image = text_of(image_element, f"{ns}url") if image_element is not None else None
    itunes = channel_element.find(f"{{{ITUNES}}}image")
    channel = Channel(
        title=plain_text(text_of(channel_element, f"{ns}title")),
        description=plain_text(text_of(channel_element, f"{ns}description")),
        link=link,
        image=absolute(image or (itunes.get("href") if itunes is not None else None), base_url),
        language=language,
    )
    parent = channel_element if kind == "rss" else root
    items = parent.findall(f"{ns}item")
    return channel, [rss_entry(i, item, ns, base_url, language) for i, item in enumerate(items)]


def _rdf_namespace(root: lxml.etree._Element) -> str:
    return f"{{{RSS090}}}" if root.find(f"{{{RSS090}}}channel") is not None else f"{{{RSS1}}}"


def rss_entry(
    position: int, item: lxml.etree._Element, ns: str, feed_base: str, language: str | None
) -> Entry:
    base = element_base(item, feed_base)
    guid_element = item.find("guid")
    guid = (guid_element.text or "").strip() if guid_element is not None else ""
    link = absolute(text_of(item, f"{ns}link"), base)
    if not link and guid and (guid_element.get("isPermaLink", "true").lower() != "false"):
        link = absolute(guid, base)
    key = guid or item.get(f"{{{RDF}}}about") or link
    content = text_of(item, f"{{{CONTENT}}}encoded")
    summary = text_of(item, f"{ns}description")
    date = text_of(item, "pubDate", f"{{{DC}}}date")
    return Entry(
        position=position,
        key=key or None,
        title=plain_text(text_of(item, f"{ns}title")),
        link=link,
        author=rss_author(text_of(item, f"{{{DC}}}creator", "author")),
        published=parse_date(date),
        categories=categories(
            [c.text for c in item.findall("category")]
            + [c.text for c in item.findall(f"{{{DC}}}subject")]
        ),
        image=entry_image(item, content or summary, base),
        language=tag_language(item.get(XML_LANG)) or language,
        content=content,
        summary=summary,
    )


def rss_author(value: str | None) -> str | None:
    """The name in RSS's ``author`` ("email (Name)"), or the value as it is.

    >>> rss_author("ana@example.org (Ana Lima)"), rss_author("Bo Chen"), rss_author("x@y.org")
    ('Ana Lima', 'Bo Chen', None)
    """
    if not value:
        return None
    match = re.fullmatch(r"\s*\S+@\S+\s*\((.+)\)\s*", value)
    if match:
        return plain_text(match.group(1))
    if re.fullmatch(r"\s*\S+@\S+\s*", value):
        return None  # an address alone names nobody
    return plain_text(value)


# --- Atom 1.0 ------------------------------------------------------------------------

A = f"{{{ATOM}}}"


def read_atom(root: lxml.etree._Element, url: str) -> tuple[Channel, list[Entry]]:
    base = element_base(root, url)
    language = nearest_language(root)
    logo = root.find(f"{A}logo")
    if logo is None:
        logo = root.find(f"{A}icon")
    channel = Channel(
        title=atom_text(root.find(f"{A}title")),
        description=atom_text(root.find(f"{A}subtitle")),
        link=atom_link(root, base),
        image=absolute(logo.text, element_base(logo, base)) if logo is not None else None,
        language=language,
    )
    authors = atom_authors(root)
    entries = root.findall(f"{A}entry")
    return channel, [atom_entry(i, e, base, authors) for i, e in enumerate(entries)]


def atom_entry(
    position: int, entry: lxml.etree._Element, feed_base: str, feed_authors: str | None
) -> Entry:
    base = element_base(entry, feed_base)
    link = atom_link(entry, base)
    content = atom_html(entry.find(f"{A}content"))
    summary = atom_html(entry.find(f"{A}summary"))
    key = text_of(entry, f"{A}id") or link
    return Entry(
        position=position,
        key=key,
        title=atom_text(entry.find(f"{A}title")),
        link=link,
        author=atom_authors(entry) or feed_authors,
        published=parse_date(text_of(entry, f"{A}published", f"{A}updated")),
        categories=categories(
            [c.get("label") or c.get("term") for c in entry.findall(f"{A}category")]
        ),
        image=atom_image(entry, content or summary, base),
        language=nearest_language(entry),
        content=content,
        summary=summary,
    )


def atom_link(element: lxml.etree._Element, base: str) -> str | None:
    """The element's ``alternate`` link (a link without ``rel`` is one), HTML preferred."""
    found = [
        link
        for link in element.findall(f"{A}link")
        if (link.get("rel") or "alternate") == "alternate" and link.get("href")
    ]
    found.sort(key=lambda link: "html" not in (link.get("type") or "text/html"))
    return absolute(found[0].get("href"), element_base(found[0], base)) if found else None


def atom_authors(element: lxml.etree._Element) -> str | None:
    names = [text_of(author, f"{A}name") for author in element.findall(f"{A}author")]
    return ", ".join(n for n in (plain_text(name) for name in names) if n) or None


def atom_text(element: lxml.etree._Element | None) -> str | None:
    """An Atom text construct as words, whatever its ``type``."""
    if element is None:
        return None
    if element.get("type") == "xhtml":
        return " ".join(str(element.xpath("string()")).split()) or None
    if "html" in (element.get("type") or ""):
        return plain_text(element.text)
    return " ".join((element.text or "").split()) or None


def atom_html(element: lxml.etree._Element | None) -> str | None:
    """An Atom content or summary element as HTML (None for out-of-line ``src`` content)."""
    if element is None or element.get("src"):
        return None
    kind = element.get("type") or "text"
    if kind == "xhtml":
        div = element.find("{http://www.w3.org/1999/xhtml}div")
        holder = div if div is not None else element
        parts = [html.escape(holder.text or "", quote=False)]
        for child in holder:
            parts.append(_xhtml(child))
        return "".join(parts).strip() or None
    text = (element.text or "").strip()
    if not text:
        return None
    if "html" in kind:
        return text
    if kind.startswith("text"):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return None  # base64 media: nothing to read


def _xhtml(element: lxml.etree._Element) -> str:
    """An XHTML element written as HTML, its namespace dropped."""
    copy = lxml.etree.fromstring(lxml.etree.tostring(element))
    for node in copy.iter(lxml.etree.Element):
        node.tag = _local(node.tag)
    lxml.etree.cleanup_namespaces(copy)
    return str(lxml.etree.tostring(copy, encoding="unicode", method="html", with_tail=False)) + (
        html.escape(element.tail or "", quote=False)
    )


def atom_image(element: lxml.etree._Element, body: str | None, base: str) -> str | None:
    for link in element.findall(f"{A}link"):
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/"):
            return absolute(link.get("href"), element_base(link, base))
    return entry_image(element, body, base)


def nearest_language(element: lxml.etree._Element) -> str | None:
    node: lxml.etree._Element | None = element
    while node is not None:
        if node.get(XML_LANG):
            return tag_language(node.get(XML_LANG))
        node = node.getparent()
    return None


# --- shared helpers --------------------------------------------------------------------


def text_of(element: lxml.etree._Element | None, *names: str) -> str | None:
    """The stripped text of the first child named in ``names`` that has any."""
    if element is None:
        return None
    for name in names:
        child = element.find(name)
        if child is not None and child.text and child.text.strip():
            return str(child.text.strip())
    return None


def plain_text(value: str | None) -> str | None:
    """Feed text as words: HTML entities decoded (twice-escaped ones too), tags dropped.

    >>> plain_text("Caf&eacute; &amp;amp; <b>tides</b> &#8217;24 ")
    'Café & tides ’24'
    >>> plain_text("  ") is None
    True
    """
    if value is None:
        return None
    text = html.unescape(value)
    if "&" in text:
        text = html.unescape(text)  # WordPress escapes its titles' entities once more
    text = " ".join(TAG.sub(" ", text).split()) if "<" in text else " ".join(text.split())
    return text or None


def categories(values: list[str | None]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        text = plain_text(value)
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def element_base(element: lxml.etree._Element, fallback: str) -> str:
    """The address relative links in ``element`` start from: its xml:base, else ``fallback``."""
    node: lxml.etree._Element | None = element
    while node is not None:
        if node.get(XML_BASE) is not None:
            return str(element.base)
        node = node.getparent()
    return fallback


def absolute(link: str | None, base: str) -> str | None:
    """``link`` resolved against ``base``; None for no link or a non-web scheme.

    >>> absolute("../b.html", "https://ex.org/blog/a/"), absolute("javascript:x()", "https://ex.org/")
    ('https://ex.org/blog/b.html', None)
    """
    if not link or not link.strip():
        return None
    resolved = urllib.parse.urljoin(base, link.strip())
    return resolved if resolved.lower().startswith(("http://", "https://")) else None


def parse_date(value: str | None) -> datetime | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) date; UTC when it gives no zone.

    >>> parse_date("Tue, 01 Dec 2026 09:30:00 +0100").isoformat()
    '2026-12-01T09:30:00+01:00'
    >>> parse_date("2026-12-01T08:30:00Z").isoformat(), parse_date("2026-12-01").isoformat()
    ('2026-12-01T08:30:00+00:00', '2026-12-01T00:00:00+00:00')
    >>> parse_date("yesterday") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def tag_language(value: str | None) -> str | None:
    """A language tag as ``languages`` writes it, or None for none or a malformed one.

    >>> tag_language("EN-us"), tag_language("no language") is None
    ('en-US', True)
    """
    if not value or not languages.is_valid(value.strip()):
        return None
    return languages.canonical(value.strip())


IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def entry_image(element: lxml.etree._Element, body: str | None, base: str) -> str | None:
    """The entry's own image: media:content, media:thumbnail, an image enclosure,
    itunes:image, else the first ``<img>`` of its HTML."""
    for media in element.iter(f"{{{MEDIA}}}content"):
        if media.get("medium") == "image" or (media.get("type") or "").startswith("image/"):
            return absolute(media.get("url"), base)
    thumbnail = element.find(f".//{{{MEDIA}}}thumbnail")
    if thumbnail is not None and thumbnail.get("url"):
        return absolute(thumbnail.get("url"), base)
    for enclosure in element.findall("enclosure"):
        if (enclosure.get("type") or "").startswith("image/"):
            return absolute(enclosure.get("url"), base)
    itunes = element.find(f"{{{ITUNES}}}image")
    if itunes is not None and itunes.get("href"):
        return absolute(itunes.get("href"), base)
    match = IMG_SRC.search(body or "")
    return absolute(html.unescape(match.group(1)), base) if match else None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]
