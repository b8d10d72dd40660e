"""Tests for the feed source (audiogen.sources.feed, audiogen.sources.feedxml).

Every feed and page is a fixture of ``tests/feeds`` written for these tests,
served by a real HTTP server on 127.0.0.1 (``tests/feedserver.py``).
"""

from __future__ import annotations

import contextlib
import doctest
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.errors import BadInput
from audiogen.models import Document, Unreadable
from audiogen.sources import feed as feed_module
from audiogen.sources import feedxml
from audiogen.sources.base import SourceContext
from audiogen.sources.feed import FeedSource, select
from audiogen.sources.feedxml import Entry, parse_feed, sniff_kind
from audiogen.sources.registry import memoized, read_all, source_for
from audiogen.text.fetch import Fetcher, HttpCache
from tests.feedserver import FEEDS, FeedServer, serve

SECRET_MARKER = "SECRET-MARKER-7f3a9c"


@dataclass
class Run:
    documents: list[Document] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    saved: dict[str, Any] = field(default_factory=dict)
    listed: set[tuple[str, str]] = field(default_factory=set)

    @property
    def state(self) -> dict[str, Any]:
        """What the source saved, as the next build's context gets it back."""
        return self.saved


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("private") / "secret.txt"
    path.write_text(SECRET_MARKER + "\n")
    return path


@pytest.fixture
def server(secret: Path) -> Iterator[FeedServer]:
    with serve(secret) as state:
        yield state


def context(tmp_path: Path, **options: Any) -> SourceContext:
    fetch = memoized(Fetcher(delay=0, cache=HttpCache(tmp_path / "http")))
    return SourceContext(fetch, **options)


def read(target: str, ctx: SourceContext) -> Run:
    run = Run()
    ctx = replace(ctx, save=run.saved.__setitem__, listed=lambda *pair: run.listed.add(pair))
    for item in FeedSource().read(target, ctx):
        if isinstance(item, Document):
            run.documents.append(item)
        else:
            run.unreadable.append(item)
    return run


@pytest.mark.parametrize("module", [feed_module, feedxml])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


# --- recognising feeds by their content ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("wordpress.xml", "rss"),
        ("atom-summaries.xml", "atom"),
        ("rdf.xml", "rdf"),
        ("relative.xml", "rss"),
        ("xxe.xml", "rss"),
        ("bomb.xml", "rss"),
        ("not-a-feed.xml", None),
        ("page-with-feed.html", None),
        ("blog/clock.html", None),
    ],
)
def test_recognises_feeds_by_root_element(name: str, kind: str | None) -> None:
    head = (FEEDS / name).read_bytes()[:512]
    assert sniff_kind(head) == kind


def test_recognises_a_page_only_when_asked_to_follow_its_feed(tmp_path: Path) -> None:
    page = (FEEDS / "page-with-feed.html").read_bytes()[:1024]
    source = FeedSource()
    assert not source.recognises("https://x.org/", page, context(tmp_path))
    assert source.recognises("https://x.org/", page, context(tmp_path, follow_feed=True))
    assert not source.recognises("folder", None, context(tmp_path, follow_feed=True))
    markdown = b"# Title\n\nText."
    assert not source.recognises("a.md", markdown, context(tmp_path, follow_feed=True))


# --- reading entries ----------------------------------------------------------------


def test_wordpress_feed_gives_its_posts_oldest_first(server: FeedServer, tmp_path: Path) -> None:
    run = read(f"{server.url}/wp/feed/", context(tmp_path))
    assert [d.title for d in run.documents] == [
        "The dredger’s long week",
        "Counting terns on the breakwater",
        "Night shift at the fish market",
    ]
    first = run.documents[0]
    assert first.key == f"{server.url}/wp/?p=101"
    assert first.url == f"{server.url}/wp/2026/10/dredger/"
    assert first.author == "Maren Holt"
    assert first.published == datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
    assert first.categories == ("Harbour works", "Boats")
    assert first.image == f"{server.url}/wp/wp-content/uploads/dredger.jpg"
    assert first.language == "en-GB"
    assert (first.format, first.fragment, first.source) == ("html", True, f"{server.url}/wp/feed/")
    assert first.channel is not None
    assert first.channel.title == "Harbour Field Notes"
    assert first.channel.link == f"{server.url}/wp/"
    assert first.channel.image == f"{server.url}/wp/wp-content/uploads/logo.png"
    assert first.channel.description == "Weekly notes from a small working harbour"
    assert server.hits["/wp/feed/"] == 1
    assert sum(server.hits.values()) == 1  # full posts: no page is fetched


def test_wordpress_boilerplate_is_gone_and_the_body_kept(
    server: FeedServer, tmp_path: Path
) -> None:
    texts = [d.text for d in read(f"{server.url}/wp/feed/", context(tmp_path)).documents]
    joined = "\n".join(texts)
    for gone in ("appeared first on", "Share this", "Share on X", "Like this", "Loading",
                 "photographed by the harbour office", "Terns on the outer wall",
                 "Crates of mackerel", "Continue reading"):  # fmt: skip
        assert gone not in joined
    for kept in ("lifting silt", "ferry to berth", "row of weather vanes", "hosed down"):
        assert kept in joined


def test_summary_only_atom_reads_each_linked_page(server: FeedServer, tmp_path: Path) -> None:
    run = read(f"{server.url}/blog/atom.xml", context(tmp_path))
    assert [d.title for d in run.documents] == [
        "Why my clock has no battery",
        "The radio that outlived its factory",
    ]
    clock, radio = run.documents
    assert (clock.format, clock.fragment) == ("html", False)
    assert "wound every eight days" in clock.text  # the whole page; the pipeline extracts it
    assert clock.url == f"{server.url}/blog/posts/clock.html"
    assert clock.author == "Tess Okafor"  # the feed's author stands for each entry's
    assert clock.key == "urn:uuid:4f3c1f0e-clock"
    assert radio.categories == ("repair",)
    assert clock.channel is not None and clock.channel.language == "en"
    assert clock.channel.image == f"{server.url}/blog/logo.png"
    assert server.hits["/blog/posts/clock.html"] == 1


def test_rss1_feed(server: FeedServer, tmp_path: Path) -> None:
    run = read(f"{server.url}/rdf/feed", context(tmp_path))
    assert [d.title for d in run.documents] == ["Saving bean seed", "First frost"]
    frost = run.documents[1]
    assert frost.key == f"{server.url}/rdf/frost"
    assert frost.author == "Len Park"
    assert frost.published == datetime(2026, 11, 14, 7, 0, tzinfo=UTC)
    assert frost.categories == ("Weather",)
    assert "blackened the last of the dahlias" in frost.text
    assert frost.language == "en"


def test_relative_links_and_entities_in_titles(server: FeedServer, tmp_path: Path) -> None:
    run = read(f"{server.url}/rel/feed", context(tmp_path))
    creme, milk = run.documents
    assert creme.title == "Crème brûlée & the blowtorch’s secret"
    assert creme.url == f"{server.url}/rel/posts/creme.html"
    assert creme.image == f"{server.url}/rel/img/torch.jpg"
    assert creme.key == "creme-2026"
    assert milk.title == "Q&A: milk or no milk?"
    assert milk.url == f"{server.url}/rel/posts/milk.html"
    assert milk.key == milk.url  # no guid: the link is the key
    assert creme.channel is not None and creme.channel.title == "Café Notes & Recipes"


def test_a_failing_page_is_reported_and_the_rest_read(server: FeedServer, tmp_path: Path) -> None:
    run = read(f"{server.url}/three/feed", context(tmp_path))
    assert [d.title for d in run.documents] == ["Page one", "Page three"]
    (failed,) = run.unreadable
    assert failed.title == "Page two"
    assert failed.source == f"{server.url}/error/500"
    assert "500" in failed.reason


def test_follows_the_feed_a_page_links(server: FeedServer, tmp_path: Path) -> None:
    run = read(f"{server.url}/blog/", context(tmp_path, follow_feed=True))
    assert run.documents[0].title == "Why my clock has no battery"
    assert run.documents[0].source == f"{server.url}/blog/"


def test_a_page_without_a_feed_link_is_one_clear_error(server: FeedServer, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="links no feed"):
        read(f"{server.url}/blog/posts/clock.html", context(tmp_path, follow_feed=True))


def test_reads_a_feed_file(tmp_path: Path) -> None:
    path = tmp_path / "feed"
    path.write_bytes((FEEDS / "rdf.xml").read_bytes().replace(b"@SERVER@", b"https://ex.org"))
    run = read(str(path), context(tmp_path))
    assert [d.url for d in run.documents] == [
        "https://ex.org/rdf/beans",
        "https://ex.org/rdf/frost",
    ]


# --- order, limit and since ---------------------------------------------------------


def entry(position: int, day: int | None, key: str | None = None) -> Entry:
    published = datetime(2026, 11, day, tzinfo=UTC) if day else None
    return Entry(position, key or f"k{position}", f"t{position}", None, published=published)


@pytest.mark.parametrize(
    ("days", "limit", "since", "expected"),
    [
        ([3, 1, 2], None, None, [1, 2, 0]),
        ([3, 1, 2], 2, None, [2, 0]),
        ([3, 1, 2], None, datetime(2026, 11, 2, tzinfo=UTC), [2, 0]),
        ([3, 1, 2], 1, datetime(2026, 11, 2), [0]),  # a naive date is taken as UTC
        ([5, 5, 5], None, None, [2, 1, 0]),  # same date: feed order is newest first
        ([None, 4], None, datetime(2026, 11, 9, tzinfo=UTC), [0]),  # undated entries stay
    ],
)
def test_order_limit_and_since(
    days: list[int | None], limit: int | None, since: datetime | None, expected: list[int]
) -> None:
    entries = tuple(entry(i, day) for i, day in enumerate(days))
    assert [e.position for e in select(entries, limit, since)] == expected


def test_a_repeated_guid_is_read_once() -> None:
    entries = (entry(0, 2, "same"), entry(1, 1, "same"), entry(2, 3))
    assert [e.position for e in select(entries)] == [0, 2]


def test_limit_and_since_bound_the_pages_fetched(server: FeedServer, tmp_path: Path) -> None:
    run = read(f"{server.url}/blog/atom.xml", context(tmp_path, limit=1))
    assert [d.title for d in run.documents] == ["The radio that outlived its factory"]
    assert server.hits["/blog/posts/clock.html"] == 0
    # The entry left out is still in the feed: named, so that --prune keeps its episode.
    assert run.listed == {(f"{server.url}/blog/atom.xml", "urn:uuid:4f3c1f0e-clock")}


def test_an_unreadable_entry_is_named_as_still_listed(server: FeedServer, tmp_path: Path) -> None:
    run = read(f"{server.url}/three/feed", context(tmp_path))
    assert run.listed == {(f"{server.url}/three/feed", "two")}


# --- sync: what an unchanged feed costs ---------------------------------------------


def test_an_unchanged_feed_gives_the_same_documents(server: FeedServer, tmp_path: Path) -> None:
    first = read(f"{server.url}/wp/feed/", context(tmp_path))
    again = read(f"{server.url}/wp/feed/", context(tmp_path))
    assert [d.digest for d in again.documents] == [d.digest for d in first.documents]
    assert server.not_modified["/wp/feed/"] == 1  # the second build asked "changed since?"


def test_unchanged_entries_do_not_fetch_their_pages(server: FeedServer, tmp_path: Path) -> None:
    first = read(f"{server.url}/blog/atom.xml", context(tmp_path))
    again = read(f"{server.url}/blog/atom.xml", context(tmp_path, state=first.state))
    assert [d.digest for d in again.documents] == [d.digest for d in first.documents]
    assert server.hits["/blog/posts/clock.html"] == 1  # only the first build's request
    assert server.hits["/blog/atom.xml"] == 2 and server.not_modified["/blog/atom.xml"] == 1
    assert again.saved == {}  # nothing new to keep: the build need not publish


def test_a_changed_entry_asks_for_its_page_again(server: FeedServer, tmp_path: Path) -> None:
    first = read(f"{server.url}/blog/atom.xml", context(tmp_path))
    changed = server.fixture("atom-summaries.xml").replace(
        b"A wind-up clock, and", b"A wind-up clock (revised), and"
    )
    server.replace("/blog/atom.xml", changed, "application/atom+xml")
    read(f"{server.url}/blog/atom.xml", context(tmp_path, state=first.state))
    assert server.hits["/blog/posts/clock.html"] == 2
    assert server.not_modified["/blog/posts/clock.html"] == 1  # asked conditionally
    assert server.hits["/blog/posts/radio.html"] == 1


# --- hostile and broken feeds -------------------------------------------------------


def test_xxe_reads_nothing(server: FeedServer, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="declares XML entities") as info:
        read(f"{server.url}/xxe/feed", context(tmp_path))
    assert SECRET_MARKER not in str(info.value)


def test_xxe_is_refused_even_from_a_file(tmp_path: Path, secret: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_bytes((FEEDS / "xxe.xml").read_bytes().replace(b"@SECRET@", str(secret).encode()))
    with pytest.raises(BadInput, match="declares XML entities"):
        read(str(path), context(tmp_path))


def test_the_parser_itself_never_substitutes_entities(secret: Path) -> None:
    # Below the DOCTYPE check: lxml with these settings leaves &secret; unread.
    import lxml.etree

    data = (FEEDS / "xxe.xml").read_bytes().replace(b"@SECRET@", str(secret).encode())
    root = lxml.etree.fromstring(data, lxml.etree.XMLParser(**feedxml.SAFE_PARSER))
    assert SECRET_MARKER not in lxml.etree.tostring(root, encoding="unicode")


def test_entity_bomb_is_refused_at_once(server: FeedServer, tmp_path: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(BadInput, match="declares XML entities"):
        read(f"{server.url}/bomb/feed", context(tmp_path))
    assert time.monotonic() - started < 2  # a guard against hanging, not a benchmark
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/not-a-feed", r"not an RSS or Atom feed \(its root element is <urlset>\)"),
        ("/malformed", "not well-formed XML"),
        ("/missing", "answered 404"),
    ],
)
def test_broken_feeds_are_one_clear_error(
    server: FeedServer, tmp_path: Path, path: str, message: str
) -> None:
    with pytest.raises(BadInput, match=message) as info:
        read(f"{server.url}{path}", context(tmp_path))
    assert "\n" not in str(info.value)


def test_mends_html_entities_and_bare_ampersands() -> None:
    data = (
        b"<rss><channel><title>Caf&eacute; Q&A</title><item><title>x</title></item></channel></rss>"
    )
    assert parse_feed(data, "https://ex.org/").channel.title == "Café Q&A"


# --- odd but honest feeds, and noise ------------------------------------------------


def test_a_utf16_feed_is_read() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Zoë</title><item><title>Ünë</title><guid>u</guid></item></channel></rss>'
    parsed = parse_feed(text.encode("utf-16"), "https://ex.org/")
    assert parsed.channel.title == "Zoë"
    assert parsed.entries[0].title == "Ünë"


def test_a_utf16_feed_declaring_entities_is_refused() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE rss [<!ENTITY a "b">]><rss/>'
    with pytest.raises(BadInput, match="declares XML entities"):
        parse_feed(text.encode("utf-16"), "https://ex.org/")


def test_an_external_dtd_is_not_loaded() -> None:
    # RSS 0.91's DOCTYPE names a DTD on the web: it is neither fetched nor needed.
    data = (
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://127.0.0.1:9/rss-0.91.dtd"><rss version="0.91"><channel><title>Old&nbsp;one'
        b"</title><item><title>x</title><link>https://ex.org/x</link></item></channel></rss>"
    )
    parsed = parse_feed(data, "https://ex.org/")
    assert parsed.channel.title == "Old one"  # the no-break space read as a space


def test_an_entry_without_content_or_link_speaks_its_summary(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(
        b"<rss><channel><title>T</title><item><guid>g</guid><title>Only a summary</title>"
        b"<description>&lt;p&gt;All there is.&lt;/p&gt;</description></item></channel></rss>"
    )
    (document,) = read(str(path), context(tmp_path)).documents
    assert (document.text, document.fragment) == ("<p>All there is.</p>", True)


@given(st.binary(max_size=2000))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_noise_is_refused_with_bad_input_or_read(data: bytes) -> None:
    with contextlib.suppress(BadInput):
        assert parse_feed(data, "https://ex.org/").kind in ("rss", "rdf", "atom")


@given(st.text(alphabet="<>/&;![]\"' =?rsfeditmlnaxo#x0123\n", max_size=400))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_markup_noise_is_refused_with_bad_input_or_read(text: str) -> None:
    for data in (text.encode(), b"<rss><channel>" + text.encode() + b"</channel></rss>"):
        with contextlib.suppress(BadInput):
            parsed = parse_feed(data, "https://ex.org/")
            assert all(e.link is None or e.link.startswith("https://") for e in parsed.entries)


# --- through the registry, as the pipeline reads --------------------------------------


@pytest.mark.parametrize(
    ("path", "follow", "name"),
    [
        ("/wp/feed/", False, "feed"),
        ("/rdf/feed", False, "feed"),
        ("/not-a-feed", False, "feed"),  # XML, not a page: the feed source says what it is
        ("/blog/", False, "page"),
        ("/blog/", True, "feed"),
    ],
)
def test_the_registry_gives_feeds_to_the_feed_source(
    server: FeedServer, tmp_path: Path, path: str, follow: bool, name: str
) -> None:
    chosen = source_for(f"{server.url}{path}", context(tmp_path, follow_feed=follow))
    assert chosen.name == name


def test_recognising_and_reading_fetch_the_feed_once(server: FeedServer, tmp_path: Path) -> None:
    ctx = replace(context(tmp_path), save=lambda name, value: None)
    documents = list(read_all([f"{server.url}/wp/feed/"], ctx))
    assert len(documents) == 3
    assert server.hits["/wp/feed/"] == 1
