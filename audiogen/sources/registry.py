"""Find sources through the ``audiogen.sources`` entry-point group and read targets with them.

Built-in sources register exactly as a third-party plugin would, in
``pyproject.toml``; each target goes to the first source, by priority, that
recognises it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from audiogen.errors import BadInput
from audiogen.sources.base import HEAD_BYTES, Fetcher, Read, Source, SourceContext
from audiogen.text.fetch import FetchedPage
from audiogen.text.read import is_url

GROUP = "audiogen.sources"


@cache
def sources() -> tuple[Source, ...]:
    """Every registered source, highest priority first (ties by name)."""
    found: list[Source] = []
    for ep in entry_points(group=GROUP):
        try:
            found.append(ep.load()())
        except ImportError:
            continue  # a broken plugin must not stop files and pages from being read
    return tuple(sorted(found, key=lambda s: (-s.priority, s.name)))


def memoized(fetch: Fetcher) -> Fetcher:
    """``fetch`` that downloads each address once per run."""
    pages: dict[str, FetchedPage] = {}

    def once(url: str) -> FetchedPage:
        if url not in pages:
            pages[url] = fetch(url)
        return pages[url]

    return once


def head_of(target: str, context: SourceContext) -> bytes | None:
    """The first bytes of a file or fetched page, for sources that recognise by content."""
    if is_url(target):
        return context.fetch(target).body[:HEAD_BYTES]
    path = Path(target)
    if target == "-" or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:
        return None  # the file source reports it


def source_for(target: str, context: SourceContext) -> Source:
    head = head_of(target, context)
    for source in sources():
        if source.recognises(target, head, context):
            return source
    raise BadInput(f"no source can read {target}")


def read_all(targets: Iterable[str], context: SourceContext) -> Read:
    """Every article of every target, in the order given."""
    for target in targets:
        yield from source_for(target, context).read(target, context)
