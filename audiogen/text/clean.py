"""Turn a scraped article into clean blocks of speakable text.

Markdown (and plain text, which is parsed the same way) goes through a real
CommonMark parser, so escapes (``\\$``), emphasis, links and images are handled
by the grammar rather than by regular expressions. What remains is a list of
``Block``s that small named cleaners filter: photo credits, image lines,
promotional tails.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

from audiogen.text import boilerplate as patterns


@dataclass(frozen=True)
class Block:
    """A heading (``level`` 1-6) or a paragraph (``level`` 0) of plain text."""

    text: str
    level: int = 0

    @property
    def is_heading(self) -> bool:
        return self.level > 0


BlockCleaner = Callable[[tuple[Block, ...]], tuple[Block, ...]]
TextCleaner = Callable[[str], str]


# --- text cleaners: str -> str -------------------------------------------------


def strip_html_tags(text: str) -> str:
    """Drop HTML tags left in text, keeping what they enclosed.

    >>> strip_html_tags("officials <u>met with</u> the <b>president</b>")
    'officials met with the president'
    >>> strip_html_tags("a <br/> b")
    'a   b'
    >>> strip_html_tags("3 < 4 and 5 > 2")
    '3 < 4 and 5 > 2'
    """
    return patterns.HTML_TAG.sub(lambda m: " " if m.group(1).lower() == "br" else "", text)


def unescape_entities(text: str) -> str:
    """Turn HTML character references into characters.

    >>> unescape_entities("Fish &amp; Chips &#8212; &quot;fresh&quot;")
    'Fish & Chips — "fresh"'
    """
    return html.unescape(text)


def drop_backslash_escapes(text: str) -> str:
    """Remove Markdown backslash escapes the parser did not see (e.g. inside HTML).

    >>> drop_backslash_escapes(r"costs \\$200 \\*today\\*")
    'costs $200 *today*'
    >>> drop_backslash_escapes(r"a \\ b")
    'a \\\\ b'
    """
    return patterns.BACKSLASH_ESCAPE.sub(r"\1", text)


def collapse_whitespace(text: str) -> str:
    """Collapse runs of white space (including non-breaking spaces) to one space.

    >>> collapse_whitespace("  a\\u00a0\\u00a0b\\n\\tc  ")
    'a b c'
    """
    return " ".join(text.split())


TEXT_CLEANERS: tuple[TextCleaner, ...] = (
    strip_html_tags,
    unescape_entities,
    drop_backslash_escapes,
    collapse_whitespace,
)


def clean_text(text: str, cleaners: tuple[TextCleaner, ...] = TEXT_CLEANERS) -> str:
    for cleaner in cleaners:
        text = cleaner(text)
    return text


# --- block cleaners: blocks -> blocks -------------------------------------------


def drop_photo_credits(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop paragraphs that are image or photo credits, not prose.

    Drops ``AP Images Andrés Manuel López Obrador``, ``Photo: Jane Doe/Reuters``,
    ``Getty Images``, ``(Photo by John Smith/Getty Images)``; keeps
    ``AP reported that the talks failed.`` (a sentence) and any heading.
    """
    return tuple(b for b in blocks if b.is_heading or not patterns.is_photo_credit(b.text))


def drop_promo_blocks(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop promotional sections and calls to action.

    A heading such as ``Subscribe``, ``What's Included?`` or ``Sign up for our
    newsletter`` drops itself and everything up to the next heading that is
    not promotional. A short paragraph that is a call to action (``Subscribe
    now for full access.``) is dropped wherever it stands; a paragraph that
    merely mentions subscribing (``Half of readers subscribe to two papers.``)
    stays.
    """
    kept: list[Block] = []
    in_promo = False
    for block in blocks:
        if block.is_heading:
            in_promo = patterns.is_promo_heading(block.text)
            if in_promo:
                continue
        elif in_promo or patterns.is_promo_paragraph(block.text):
            continue
        kept.append(block)
    return tuple(kept)


def drop_empty(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop blocks with no letters or digits left (rules, lone punctuation).

    Keeps ``Yes.``; drops ``***`` and ``—``.
    """
    return tuple(b for b in blocks if patterns.HAS_WORD.search(b.text))


BLOCK_CLEANERS: tuple[BlockCleaner, ...] = (drop_empty, drop_photo_credits, drop_promo_blocks)


def clean_blocks(
    blocks: tuple[Block, ...], cleaners: tuple[BlockCleaner, ...] = BLOCK_CLEANERS
) -> tuple[Block, ...]:
    for cleaner in cleaners:
        blocks = cleaner(blocks)
    return blocks


# --- parsing -------------------------------------------------------------------


def parse_markdown(
    source: str, text_cleaners: tuple[TextCleaner, ...] = TEXT_CLEANERS
) -> tuple[Block, ...]:
    """Parse Markdown into heading and paragraph blocks of cleaned text.

    List items and block quotes become paragraphs; code blocks, images and
    link targets are not spoken; inline HTML tags are dropped, their text kept.
    """
    tokens = MarkdownIt("commonmark").parse(source)
    blocks: list[Block] = []
    level = 0
    for token in tokens:
        if token.type == "heading_open":
            level = int(token.tag[1])
        elif token.type == "heading_close":
            level = 0
        elif token.type == "inline":
            text = clean_text(_inline_text(token), text_cleaners)
            if text:
                blocks.append(Block(text, level))
        elif token.type == "html_block":
            for paragraph in html_fragment_paragraphs(token.content):
                text = clean_text(paragraph, text_cleaners)
                if text:
                    blocks.append(Block(text))
    return tuple(blocks)


def parse_plain_text(
    source: str, text_cleaners: tuple[TextCleaner, ...] = TEXT_CLEANERS
) -> tuple[Block, ...]:
    """Parse plain text: Markdown-shaped text is common in scrapes, so use the same parser.

    A file with no blank lines at all is taken to hold one paragraph per line.
    """
    if "\n\n" not in source.replace("\r\n", "\n").strip():
        source = "\n\n".join(source.splitlines())
    return parse_markdown(source, text_cleaners)


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    skip_depth = 0
    for child in token.children or []:
        if child.type == "image":
            continue
        if child.type in ("text", "code_inline"):
            if not skip_depth:
                parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and patterns.HTML_BREAK.match(child.content)
        ):
            parts.append(" ")
    return "".join(parts)


class _ParagraphCollector(HTMLParser):
    """Collects the text of an HTML fragment, breaking paragraphs at block tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in patterns.UNSPOKEN_TAGS:
            self._skip += 1
        elif tag in patterns.BLOCK_TAGS:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in patterns.UNSPOKEN_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in patterns.BLOCK_TAGS:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.paragraphs[-1].append(data)


def html_fragment_paragraphs(fragment: str) -> list[str]:
    """The paragraphs of text in an HTML fragment (scripts and styles dropped).

    >>> html_fragment_paragraphs("<div><p>One <u>two</u>.</p><p>Three.</p><script>x()</script></div>")
    ['One two.', 'Three.']
    """
    collector = _ParagraphCollector()
    collector.feed(fragment)
    collector.close()
    texts = (collapse_whitespace("".join(p)) for p in collector.paragraphs)
    return [t for t in texts if t]
