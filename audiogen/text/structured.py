"""The article body a page states as schema.org data (JSON-LD ``articleBody``).

Pages drawn by JavaScript often serve an empty frame ("Loading...") whose
article is only in the ``<script type="application/ld+json">`` block that
search engines read. That text is used when the page itself shows much less of
the article (``extract._article_blocks`` decides), never mixed with it.

The data is read as data: ``json.loads``, never evaluated; HTML inside it is
parsed by lxml and walked like any other page text, so markup in it is never
passed on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.html  # type: ignore[import-untyped]

from audiogen.models import Block
from audiogen.text.clean import clean_inline, html_blocks

# schema.org types whose articleBody is an article's text (CreativeWork > Article).
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReportageNewsArticle",
        "ReviewNewsArticle",
        "BackgroundNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
        "SatiricalArticle",
        "AdvertiserContentArticle",
    }
)

_LOOKS_LIKE_HTML = re.compile(r"<(?:p|br|div|h[1-6]|ul|ol|li|blockquote)\b", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r\n\s*\r\n")


def article_body(tree: lxml.html.HtmlElement) -> list[Block]:
    """The blocks of the longest ``articleBody`` the page's JSON-LD gives an article.

    >>> page = lxml.html.fromstring(
    ...     '<html><head><script type="application/ld+json">'
    ...     '{"@type": "NewsArticle", "articleBody": "First one.\\\\n\\\\nSecond."}'
    ...     "</script></head><body></body></html>")
    >>> [b.text for b in article_body(page)]
    ['First one.', 'Second.']
    """
    bodies = [body for data in _json_ld(tree) for body in _article_bodies(data)]
    if not bodies:
        return []
    return body_blocks(max(bodies, key=len))


def body_blocks(body: str) -> list[Block]:
    """``articleBody`` text as blocks: HTML walked as a page is, plain text cut at
    blank lines (or at line ends, when it has no blank line).

    >>> [b.text for b in body_blocks("One.\\nTwo  words.")]
    ['One.', 'Two words.']
    >>> [(b.level, b.text) for b in body_blocks("<h2>Why</h2><p>Because.</p><script>x</script>")]
    [(2, 'Why'), (0, 'Because.')]
    """
    if _LOOKS_LIKE_HTML.search(body):
        return list(html_blocks(lxml.html.fragment_fromstring(body, create_parent="div")))
    parts = _PARAGRAPH_BREAK.split(body) if _PARAGRAPH_BREAK.search(body) else body.splitlines()
    texts = (clean_inline(part) for part in parts)
    return [Block(text) for text in texts if text]


def _json_ld(tree: lxml.html.HtmlElement) -> Iterator[Any]:
    """Each JSON-LD document of the page that parses; a broken one is skipped."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            yield json.loads(script.text or "")
        except ValueError:
            continue


def _article_bodies(data: Any) -> Iterator[str]:
    """The ``articleBody`` strings of every article node in ``data``, however nested
    (lists, ``@graph``, ``mainEntity``)."""
    if isinstance(data, list):
        for item in data:
            yield from _article_bodies(item)
        return
    if not isinstance(data, dict):
        return
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    body = data.get("articleBody")
    if isinstance(body, str) and body.strip() and any(k in ARTICLE_TYPES for k in kinds):
        yield body
    for value in data.values():
        if isinstance(value, dict | list):
            yield from _article_bodies(value)
