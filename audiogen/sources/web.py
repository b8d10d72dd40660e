"""The built-in source for one web page (or text file) at an http(s) address."""

from __future__ import annotations

from typing import ClassVar

from audiogen.sources.base import Read, SourceContext
from audiogen.text.read import document_from_page, is_url


class PageSource:
    """An article page at a URL, fetched once (the fetch that recognised it is reused)."""

    name: ClassVar[str] = "page"
    description: ClassVar[str] = "a web page at an http:// or https:// address"
    priority: ClassVar[int] = 10

    def recognises(self, target: str, head: bytes | None, context: SourceContext) -> bool:
        return is_url(target)

    def read(self, target: str, context: SourceContext) -> Read:
        yield document_from_page(context.fetch(target))
