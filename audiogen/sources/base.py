"""The protocol every source follows, and what a source is given to work with.

A source turns something a user names into one or more ``Document``s. It is
chosen by asking each registered source, highest ``priority`` first, whether it
``recognises`` the target; by content where it can (``head`` holds the first
bytes of the file or of the fetched page), not only by suffix or media type.
Built-in sources register in the ``audiogen.sources`` entry-point group exactly
as a third-party one would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

from audiogen.models import Document, Unreadable
from audiogen.text.fetch import FetchedPage

HEAD_BYTES = 4096

Fetcher = Callable[[str], FetchedPage]
Read = Iterator[Document | Unreadable]


@dataclass(frozen=True)
class SourceContext:
    """What every source may use: how to fetch, what the user bounded, what it saved last time.

    ``fetch`` downloads a URL (scheme checks on every redirect, size cap,
    timeout); the pipeline memoizes it, so a page fetched to recognise it is not
    fetched again to read it. ``state`` maps a source's name to what it saved in
    the output folder on the last build (a feed's validators); ``save`` stores
    what it wants kept for the next one.
    """

    fetch: Fetcher
    follow_feed: bool = False  # a page that links a feed: read the feed, not the page
    limit: int | None = None  # the newest N articles of a source of many
    since: datetime | None = None  # none published before this
    state: Mapping[str, Any] = field(default_factory=dict)
    save: Callable[[str, Any], None] = field(default=lambda name, value: None, compare=False)

    def saved(self, name: str) -> Any:
        """What source ``name`` saved last time, or None."""
        return self.state.get(name)


@runtime_checkable
class Source(Protocol):
    name: ClassVar[str]
    description: ClassVar[str]
    priority: ClassVar[int]  # asked high first: a feed before a page, a page before a file

    def recognises(self, target: str, head: bytes | None, context: SourceContext) -> bool:
        """Whether this source reads ``target`` (``head``: its first bytes, when it has any)."""

    def read(self, target: str, context: SourceContext) -> Read:
        """The target's articles, in order; an article that cannot be read is an ``Unreadable``."""
