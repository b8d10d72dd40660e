"""Turn a scraped article into clean blocks of speakable text.

Markdown (and plain text, which is parsed the same way) goes through a real
CommonMark parser, so escapes (``\\$``), emphasis, links and images are handled
by the grammar rather than by regular expressions. What remains is a list of
``Block``s that small named cleaners filter: link lists, photo credits,
promotional tails, "Related" lists, time stamps, bylines, datelines and
repeated pull quotes.

What is dropped, and why, is decided per rule below; the patterns live in
``boilerplate``. Every rule looks at a whole paragraph (or the start of one,
for datelines): a sentence that merely mentions subscribing is article text.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from audiogen.models import Block, Document, Draft
from audiogen.text import boilerplate as patterns

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


_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_FOOTNOTE_MARK = re.compile(
    r"(\w[.,;:!?\"”’)]{0,2})\[(?:\^?\d{1,3}|citation needed|clarification needed)\]"
)


def drop_link_syntax(text: str) -> str:
    """Keep the words of Markdown links the parser could not resolve; drop footnote marks.

    A reference link whose definition the scraper lost (``[the report][3]``)
    is read as its text; a citation mark glued to a word (``said.[12]``,
    ``true[citation needed]``) is not read at all. Brackets around prose stay
    (``[sic]``, ``[the mayor]``), and so does a number in brackets after a
    space (``see [1]``).

    >>> drop_link_syntax("as [the report][3] found.[12] He [sic] left.")
    'as the report found. He [sic] left.'
    """
    return _FOOTNOTE_MARK.sub(r"\1", _REFERENCE_LINK.sub(r"\1", text))


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
    drop_link_syntax,
    collapse_whitespace,
)


def clean_text(text: str, cleaners: tuple[TextCleaner, ...] = TEXT_CLEANERS) -> str:
    for cleaner in cleaners:
        text = cleaner(text)
    return text


# --- block cleaners: blocks -> blocks -------------------------------------------


def drop_empty(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop blocks with no letters or digits left (rules, lone punctuation).

    Keeps ``Yes.``; drops ``***`` and ``—``.
    """
    return tuple(b for b in blocks if patterns.HAS_WORD.search(b.text))


def drop_link_paragraphs(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop paragraphs and list items that are nothing but links.

    ``[Read the full transcript](...)`` or a list of ``[headline](url)``
    entries points elsewhere; a sentence with a link in it is prose and stays.
    Headings stay even when they are links (scraped titles often are), and so
    do the linked items of a content list (see ``mark_content_lists``). This
    is the rule the HTML extractor applies to web pages.
    """
    return tuple(b for b in mark_content_lists(blocks) if b.is_heading or not b.links_only)


# A list is content, not navigation, when at least this share of its items
# hold words outside links.
CONTENT_LIST_MIN_SHARE = 0.5


def mark_content_lists(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Clear ``links_only`` on the items of a list that is content, not links.

    A materials list links some items to a shop (``[Wood glue](...)``) beside
    items of plain text; a list of related headlines or a menu is links from
    end to end. A run of list items in which at least half hold words outside
    links is content, and every item of it is spoken; so is a list of links
    that a line ending in a colon introduces (``introduces_list``).

    >>> items = (Block("Wood glue", list_item=True, links_only=True),
    ...          Block("Two hinges", list_item=True))
    >>> [b.links_only for b in mark_content_lists(items)]
    [False, False]
    >>> [b.links_only for b in mark_content_lists(items[:1])]
    [True]
    """
    out = list(blocks)
    start = 0
    while start < len(out):
        end = start
        while end < len(out) and out[end].list_item and not out[end].is_heading:
            end += 1
        run = out[start:end]
        unlinked = sum(not b.links_only for b in run) >= CONTENT_LIST_MIN_SHARE * len(run)
        if run and (unlinked or (start > 0 and introduces_list(out[start - 1]))):
            out[start:end] = [replace(b, links_only=False) for b in run]
        start = max(end, start + 1)
    return tuple(out)


# A line that introduces a list has at least this many words ("You will need:").
LIST_INTRO_MIN_WORDS = 3


def introduces_list(block: Block) -> bool:
    """Whether a paragraph introduces the list under it as content: a line ending in a colon.

    A list of shop links under "For the box you will need:" is the materials;
    under "Read more:", "Share this article:" or "Follow us on:" it is links.

    >>> introduces_list(Block("For the box you will need:")), introduces_list(Block("Read more:"))
    (True, False)
    >>> introduces_list(Block("Follow us on social media:"))
    False
    """
    text = block.text.rstrip()
    return (
        not (block.is_heading or block.list_item or block.links_only)
        and text.endswith(":")
        and len(text.split()) >= LIST_INTRO_MIN_WORDS
        and not patterns.is_related_label(text)
        and not patterns.is_promo_paragraph(text)
    )


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


def drop_related_lists(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop a "Related" / "Read more" label and the list of headlines under it.

    The label (``Related``, ``READ MORE:``, ``More from Sport``, ``See also``) is
    a paragraph or a heading; what follows it is dropped while it is a list
    item or reads as a headline (short, no closing full stop), so the links of
    a scrape that lost its link markup go too. The first real paragraph
    (a sentence) ends the list. A label standing alone is dropped as well.
    """
    kept: list[Block] = []
    in_list = False
    for block in blocks:
        if patterns.is_related_label(block.text):
            in_list = True
            continue
        in_list_entry = block.list_item or patterns.looks_like_headline(block.text)
        if in_list and not block.is_heading and in_list_entry:
            continue
        in_list = False
        kept.append(block)
    return tuple(kept)


def drop_metadata_lines(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop paragraphs that are page metadata: time stamps, reading times, agency credits.

    ``Updated 3:04 PM ET, Thu March 9, 2017``, ``5 min read`` and
    ``(Reporting by Jane Doe; Editing by John Roe)`` go; the publish date is
    the episode's, not a sentence of the story. ``Jane Doe contributed to this
    report.`` stays: it reads as a sentence, and a narrator would say it.
    """
    return tuple(b for b in blocks if _keeps_as_not_metadata(b))


def _keeps_as_not_metadata(block: Block) -> bool:
    # A list of dates alone is a timeline, not a time stamp.
    if block.is_heading or (block.list_item and patterns.is_bare_date(block.text)):
        return True
    return not patterns.is_metadata_line(block.text)


# Bylines and datelines stand at the top of an article: only this many blocks
# from the start are searched, so a name line deep in the story is never taken.
LEADING_BLOCKS = 6


def extract_byline(blocks: tuple[Block, ...]) -> tuple[str | None, tuple[Block, ...]]:
    """Find the article's byline near its top: the author, and the blocks without it.

    Only the first ``LEADING_BLOCKS`` blocks are searched (a heading may be the
    byline too, as in ``### By Jane Doe``); the first byline found names the
    author (several names joined by ``, ``) and every byline among them is
    removed, since a listener does not need "By Jane Doe" read out. See
    ``boilerplate.parse_byline`` for what counts as a byline.

    >>> extract_byline((Block("Title", 1), Block("By JANE DOE, Reuters"), Block("Text.")))
    ('Jane Doe', (Block(text='Title', level=1, list_item=False, links_only=False), \
Block(text='Text.', level=0, list_item=False, links_only=False)))
    """
    author: str | None = None
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        name = patterns.parse_byline(block.text) if i < LEADING_BLOCKS else None
        if name is None:
            kept.append(block)
        elif author is None:
            author = name
    return author, tuple(kept)


def drop_bylines(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop the byline paragraphs near the top of an article (see ``extract_byline``)."""
    return extract_byline(blocks)[1]


def speak_datelines(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Say a dateline's place and drop its agency tag: ``WASHINGTON (AP) —`` -> ``Washington —``.

    Applied to the paragraphs among the first ``LEADING_BLOCKS`` blocks, where
    datelines stand; see ``boilerplate.strip_dateline``. A paragraph left empty
    (a dateline alone) is dropped.
    """
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if i < LEADING_BLOCKS and not block.is_heading:
            text = patterns.strip_dateline(block.text)
            if not patterns.HAS_WORD.search(text):
                continue
            block = replace(block, text=text)
        out.append(block)
    return tuple(out)


# Shorter paragraphs repeat by chance ("Yes.", "No, no."); longer ones are
# prose in their own right even when they share a long quote with another.
REPEAT_MIN_WORDS = 4
REPEAT_MAX_WORDS = 60
# A line that is not a sentence repeats by design under each of several
# headings (opening times, telephone numbers, "Book online or at the desk"):
# only a longer one said twice is a repeat.
LINE_REPEAT_MIN_WORDS = 8
# Share of a paragraph's words found, in runs of at least REPEAT_MIN_RUN words,
# in another paragraph for it to count as a repeat (pull quotes are trimmed).
REPEAT_SHARE = 0.85
REPEAT_MIN_RUN = 3
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def drop_repeated_paragraphs(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop a paragraph that repeats another: a pull quote, a standfirst said twice.

    Only paragraphs of 4 to 60 words are looked at (``Yes.`` may well come
    twice), and headings and list items never. Such a paragraph is dropped when
    an earlier one has the same words and it is a sentence or a line of at least
    8 words (a standfirst repeated as the first paragraph, a paragraph scraped
    twice; not ``Saturday: 9am to 5pm`` under a second heading), or when it
    is a pull quote (see ``_is_pull_quote``). A quote that the writer repeats
    as a sentence of its own (``“She was literally burning up from within.”``)
    is prose and stays.
    """
    words = [_WORDS.findall(b.text.casefold()) for b in blocks]
    holders = _run_holders(blocks, words)
    seen: set[tuple[str, ...]] = set()
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        if not _may_repeat(block, words[i]):
            kept.append(block)
            continue
        key = tuple(words[i])
        sentence = bool(patterns.SENTENCE_END.search(block.text.rstrip()))
        duplicate = key in seen and (sentence or len(key) >= LINE_REPEAT_MIN_WORDS)
        seen.add(key)
        others = set().union(*(holders.get(run, set()) for run in _runs(words[i])))
        if not (duplicate or _is_pull_quote(blocks, words, i, others)):
            kept.append(block)
    return tuple(kept)


def _is_pull_quote(
    blocks: tuple[Block, ...], words: list[list[str]], i: int, others: set[int]
) -> bool:
    """Whether paragraph ``i`` is a pull quote of one of the paragraphs ``others``.

    A pull quote does not end like a sentence and nearly all its words
    (``REPEAT_SHARE``) stand, in order and in runs of three or more, in a
    longer paragraph: ``It's easiest to judge it on what won't change`` beside
    ``...which makes it easiest to judge it on what won't change.``, which stays.
    Numbers in the shared runs do not count: ``Tuesday and Thursday: 1pm to
    6pm`` is a line of facts that a longer paragraph may well repeat. Nor is a
    line that the next paragraph opens with a pull quote: the two sentences
    just start alike.
    """
    if not patterns.looks_like_headline(blocks[i].text):
        return False
    short = words[i]
    for j in others:
        other = words[j]
        opens_next = j == i + 1 and other[: len(short)] == short
        if len(other) > len(short) and not opens_next and _contained(short, other):
            return True
    return False


def _may_repeat(block: Block, words: list[str]) -> bool:
    short_or_long = not REPEAT_MIN_WORDS <= len(words) <= REPEAT_MAX_WORDS
    return not (block.is_heading or block.list_item or short_or_long)


def _run_holders(
    blocks: tuple[Block, ...], words: list[list[str]]
) -> dict[tuple[str, ...], set[int]]:
    """Which paragraphs hold each run of three words: only those can contain a repeat."""
    holders: dict[tuple[str, ...], set[int]] = {}
    for i, (w, b) in enumerate(zip(words, blocks, strict=True)):
        if not b.is_heading:
            for run in _runs(w):
                holders.setdefault(run, set()).add(i)
    return holders


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    n = REPEAT_MIN_RUN
    return {tuple(words[k : k + n]) for k in range(len(words) - n + 1)}


def _contained(short: list[str], other: list[str]) -> bool:
    matcher = difflib.SequenceMatcher(None, short, other, autojunk=False)
    shared = sum(
        not any(c.isdigit() for c in word)
        for m in matcher.get_matching_blocks()
        if m.size >= REPEAT_MIN_RUN
        for word in short[m.a : m.a + m.size]
    )
    return shared >= REPEAT_SHARE * len(short)


BLOCK_CLEANERS: tuple[BlockCleaner, ...] = (
    drop_empty,
    drop_link_paragraphs,
    drop_photo_credits,
    drop_promo_blocks,
    drop_related_lists,
    drop_metadata_lines,
    drop_bylines,
    speak_datelines,
    drop_repeated_paragraphs,
)


def clean_blocks(
    blocks: tuple[Block, ...], cleaners: tuple[BlockCleaner, ...] = BLOCK_CLEANERS
) -> tuple[Block, ...]:
    for cleaner in cleaners:
        blocks = cleaner(blocks)
    return blocks


# --- parsing -------------------------------------------------------------------

# An image's caption is as long as a sentence or two, not a paragraph of prose.
CAPTION_MAX_WORDS = 40
_HTML_LINK_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


@dataclass
class _Inline:
    """What one inline token holds, as the parser saw it."""

    text: str
    links_only: bool
    starts_with_image: bool
    image_only: bool
    emphasized: bool


def parse_markdown(
    source: str, text_cleaners: tuple[TextCleaner, ...] = TEXT_CLEANERS
) -> tuple[Block, ...]:
    """Parse Markdown into heading and paragraph blocks of cleaned text.

    List items and block quotes become paragraphs (list items marked
    ``list_item``), and so does each row of a table, its cells joined by
    commas; code blocks, images and link targets are not spoken;
    inline HTML tags are dropped, their text kept. Paragraphs made only of
    links are marked ``links_only``.

    Image captions are not spoken: the text in the same paragraph as a
    leading image (``![](tower.jpg) The tower at dawn. Photo: Ben Osei``), and
    a wholly emphasized paragraph right after an image (``*The tower at
    dawn.*``), when caption-short (``CAPTION_MAX_WORDS``).
    """
    # Scrapers write GitHub-style tables and strike-through; CommonMark alone
    # would leave their pipes and tildes in the text.
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(source)
    blocks: list[Block] = []
    level = 0
    item_depth = 0
    after_image = False
    row: list[str] | None = None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if row:
                blocks.append(Block(", ".join(row)))
            row = None
        elif token.type == "inline" and row is not None:
            cell = clean_text(_inline(token).text, text_cleaners)
            if cell:
                row.append(cell)
        elif token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1]) if token.type == "heading_open" else 0
        elif token.type in ("list_item_open", "list_item_close"):
            item_depth += 1 if token.type == "list_item_open" else -1
        elif token.type == "inline":
            inline = _inline(token)
            text = clean_text(inline.text, text_cleaners)
            caption = not level and _is_caption(inline, text, after_image)
            after_image = inline.image_only
            if text and not caption:
                blocks.append(Block(text, level, item_depth > 0, inline.links_only))
        elif token.type == "html_block":
            after_image = False
            blocks.extend(_html_block(token.content, text_cleaners))
    return tuple(blocks)


def _html_block(fragment: str, text_cleaners: tuple[TextCleaner, ...]) -> list[Block]:
    """The blocks of HTML standing between Markdown blocks, by the web pages' walker."""
    cleaned = (
        replace(b, text=clean_text(b.text, text_cleaners)) for b in html_fragment_blocks(fragment)
    )
    return [b for b in cleaned if b.text]


def _is_caption(inline: _Inline, text: str, after_image: bool) -> bool:
    short = len(text.split()) <= CAPTION_MAX_WORDS
    return short and (inline.starts_with_image or (after_image and inline.emphasized))


def parse_plain_text(
    source: str, text_cleaners: tuple[TextCleaner, ...] = TEXT_CLEANERS
) -> tuple[Block, ...]:
    """Parse plain text: Markdown-shaped text is common in scrapes, so use the same parser.

    A file with no blank lines at all is taken to hold one paragraph per line.
    """
    if "\n\n" not in source.replace("\r\n", "\n").strip():
        source = "\n\n".join(source.splitlines())
    return parse_markdown(source, text_cleaners)


def _inline(token: Token) -> _Inline:
    """The spoken text of an inline token and what kind of paragraph it makes."""
    parts: list[str] = []
    link_depth = emphasis_depth = 0
    linked = unlinked = emphasized = plain = False
    first_content: str | None = None
    images = 0
    for child in token.children or []:
        kind = child.type
        if kind == "image":
            images += 1
            first_content = first_content or "image"
        elif kind in ("link_open", "link_close"):
            link_depth = max(0, link_depth + (1 if kind == "link_open" else -1))
        elif kind in ("em_open", "strong_open", "em_close", "strong_close"):
            emphasis_depth = max(0, emphasis_depth + (1 if kind.endswith("open") else -1))
        elif kind == "html_inline":
            if patterns.HTML_BREAK.match(child.content):
                parts.append(" ")
            elif _HTML_LINK_OPEN.match(child.content):
                link_depth += 1
            elif _HTML_LINK_CLOSE.match(child.content):
                link_depth = max(0, link_depth - 1)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind in ("text", "code_inline"):
            parts.append(child.content)
            if patterns.HAS_WORD.search(child.content):
                first_content = first_content or "text"
                linked = linked or link_depth > 0
                unlinked = unlinked or link_depth == 0
                emphasized = emphasized or emphasis_depth > 0
                plain = plain or emphasis_depth == 0
    return _Inline(
        text="".join(parts),
        links_only=linked and not unlinked,
        starts_with_image=first_content == "image",
        image_only=images > 0 and first_content == "image" and not (linked or unlinked),
        emphasized=emphasized and not plain,
    )


# --- HTML to blocks: the one walker --------------------------------------------

# Sites mark up a standfirst or a lead paragraph as <h2>; real headings are short.
MAX_HEADING_WORDS = 15
# Stands for a <br> in a paragraph being collected (a private-use character).
_BR = "\ue000"
# Zero-width characters, soft hyphens and control characters: not to be spoken.
INVISIBLE_CHARS: dict[int, None] = dict.fromkeys(
    [
        *map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"),
        *range(0x00, 0x09),  # C0 controls, white space (tab to CR) aside
        *range(0x0E, 0x20),
        *range(0x7F, 0x85),  # DEL and C1 controls, NEL (a line break) aside
        *range(0x86, 0xA0),
    ]
)


def looks_like_heading(text: str) -> bool:
    """Whether the text in a heading element reads as a heading.

    Sites put a standfirst or a lead paragraph in ``<h2>``; real headings are
    short and do not end with a full stop.

    >>> looks_like_heading("The hypothesis"), looks_like_heading("Is it safe?")
    (True, True)
    >>> looks_like_heading("Her mother issued a plea to stay away from the pills.")
    False
    """
    stripped = text.rstrip("\"'”’ )")
    ends_sentence = stripped.endswith(".") and not stripped.endswith("..")
    return len(text.split()) <= MAX_HEADING_WORDS and not ends_sentence


def clean_inline(text: str) -> str:
    """Drop invisible characters and brackets left empty, and collapse white space.

    Brackets are left empty when what they held is not spoken: a wiki's
    ``[edit]`` link, a footnote's mark.

    >>> clean_inline(" soft\u00adware  \u200bhere ")
    'software here'
    >>> clean_inline("History[ ] and Decline ()")
    'History and Decline'
    """
    return " ".join(EMPTY_BRACKETS.sub(" ", text.translate(INVISIBLE_CHARS)).split())


EMPTY_BRACKETS = re.compile(r"\[\s*\]|\(\s*\)")


class _HtmlWalker:
    """Collects the blocks of an HTML tree in document order (see ``html_blocks``)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.places: list[Any] = []  # for each block, the element it was the text of
        self.pending: list[tuple[str, bool]] = []  # (text, inside a link)
        self.items = 0  # depth of <li> around the current position
        self.data = 0  # depth of data tables around it (see ``is_data_table``)
        self.open: list[Any] = []  # the block elements around the current position

    def flush(self) -> None:
        pieces, self.pending = self.pending, []
        text = clean_inline("".join(t for t, _ in pieces).replace(_BR, " "))
        if not patterns.HAS_WORD.search(text):
            return
        linked = any(in_link and patterns.HAS_WORD.search(t) for t, in_link in pieces)
        unlinked = any(not in_link and patterns.HAS_WORD.search(t) for t, in_link in pieces)
        links_only = linked and not unlinked and not self.data
        self.add(Block(text, 0, self.items > 0, links_only), self.open[-1:])

    def add(self, block: Block, place: list[Any]) -> None:
        self.blocks.append(block)
        self.places.append(place[0] if place else None)

    def walk(self, element: Any, in_link: bool) -> None:
        self.element(element, in_link)
        # The tail belongs to the parent's flow, even after a dropped element.
        self.pending.append((element.tail or "", in_link))

    def element(self, element: Any, in_link: bool) -> None:
        """Collect what ``element`` says, without the text that follows it."""
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "figure":
            self.figure(element, in_link)
        elif tag and _is_unspoken(element, tag):
            self.pending.append((" ", in_link))
        elif tag in patterns.HEADING_TAGS:
            self.heading(element, in_link)
        elif tag in patterns.BLOCK_TAGS:
            self.flush()
            data = tag == "table" and is_data_table(element)
            self.items += tag == "li"
            self.data += data
            self.open.append(element)
            self.children(element, in_link)
            self.flush()
            self.open.pop()
            self.data -= data
            self.items -= tag == "li"
        elif tag == "br":
            if _after_break(self.pending):
                self.flush()
            self.pending.append((_BR, in_link))
        elif tag:
            self.children(element, in_link or tag == "a")

    def figure(self, element: Any, in_link: bool) -> None:
        """A figure's picture and caption are not spoken; a quotation or table set in one is.

        Pages set a quotation with its source as a caption, and WordPress sets
        every table in a ``<figure>``; a figure named as a pull quote, an embed
        or a caption, or hidden, stays out whole.
        """
        self.pending.append((" ", in_link))
        if _is_unspoken(element, "div") or patterns.names_embed(element.attrib):
            return
        taken: list[Any] = []
        for inner in element.iterdescendants(*patterns.FIGURE_CONTENT_TAGS):
            ancestors = set(inner.iterancestors())
            if not ancestors.intersection(taken) and not any(
                a.tag == "figcaption" for a in ancestors
            ):
                taken.append(inner)
                self.flush()
                self.element(inner, in_link)
                self.flush()

    def children(self, element: Any, in_link: bool) -> None:
        self.pending.append((element.text or "", in_link))
        for child in element:
            self.walk(child, in_link)

    def heading(self, element: Any, in_link: bool) -> None:
        self.flush()
        inner = _HtmlWalker()
        inner.children(element, in_link)
        inner.flush()
        text = " ".join(b.text for b in inner.blocks)
        if text:
            level = int(element.tag[1]) if looks_like_heading(text) else 0
            links_only = all(b.links_only for b in inner.blocks)
            self.add(Block(text, level, self.items > 0, links_only), [element])


# A box named as furniture holds the article when it holds this much prose: at
# least this many paragraphs that are sentences of ARTICLE_PARAGRAPH_MIN_WORDS or
# more, ARTICLE_MIN_WORDS in all. A newsletter box or a share bar never does.
ARTICLE_MIN_PARAGRAPHS = 3
ARTICLE_PARAGRAPH_MIN_WORDS = 8
ARTICLE_MIN_WORDS = 120


def _is_unspoken(element: Any, tag: str) -> bool:
    """Whether the walker leaves ``element`` out (see ``boilerplate.is_unspoken``).

    A furniture name on a box that holds an article's prose is not what the
    box is: sites name the article's container after what they do to it
    ("paywall", "js-share-target", "ads-enabled", a WordPress post's
    "category-social-media"). Such a box is walked, and the furniture inside
    it is left out on its own names; so is a paragraph whose name it shares
    with the prose paragraphs beside it (``names_its_paragraphs``), as when a
    site marks every paragraph of a story for its paywall. Boxes named for
    other people's text (related articles, comments) stay out whatever they
    hold, unless they are the page's frame (``frames_the_page``): a script
    names the wrapper of a whole page after the cookie notice it showed, an
    ASP.NET page sits in one ``<form>``, and a page saved with a dialog open
    has ``aria-hidden`` on all else (``boilerplate.may_frame_the_article``).
    """
    if is_note_mark(element, tag):
        return True
    attrib = _names_read(element)
    kind = patterns.is_unspoken_kind(tag, attrib)
    if kind and not patterns.may_frame_the_article(tag, attrib):
        return True
    if not (kind or patterns.is_furniture_named(tag, attrib)):
        return False
    if frames_the_page(element):
        return False
    if kind or patterns.names_other_texts(attrib):
        return True
    return not (holds_article_prose(element) or names_its_paragraphs(element, tag))


def _names_read(element: Any) -> Any:
    """The element's attributes, less an ``id`` that is the anchor of its heading.

    Markdown renderers, static-site generators and Sphinx give a heading, or
    the section it opens, an id spelled from its words (``related-work``,
    ``social-media``, ``share-your-results``): that id says where the heading
    is, not what the element is.

    >>> import lxml.html
    >>> _names_read(lxml.html.fromstring("<h2 id=social-media>Social media</h2>"))
    {}
    >>> section = lxml.html.fromstring("<section id=related-work><h2>Related work</h2></section>")
    >>> _names_read(section), _names_read(lxml.html.fromstring("<div id=related><h2>Read</h2></div>"))
    ({}, {'id': 'related'})
    """
    attrib = element.attrib
    anchor = _words_of(attrib.get("id", ""))
    if not anchor:
        return attrib
    heading = element if element.tag in patterns.HEADING_TAGS else None
    if heading is None:
        heading = next(element.iterchildren(*patterns.HEADING_TAGS), None)
    if heading is None or not anchor.endswith(_words_of(heading.text_content())):
        return attrib
    return {k: v for k, v in attrib.items() if k != "id"}


def _words_of(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold().replace("_", " ")))


def frames_the_page(element: Any) -> bool:
    """Whether an element holds most of its page's words: the page's frame, not a box in it.

    >>> import lxml.html
    >>> long = "<p>" + "The tide clocks ran again on Sunday after six silent years. " * 10 + "</p>"
    >>> page = lxml.html.fromstring(f"<html><body><form><h1>Clocks</h1>{long}</form><p>Sign up</p></body></html>")
    >>> frames_the_page(page.find(".//form")), frames_the_page(page.find(".//h1"))
    (True, False)
    """
    words = _visible_words(element)
    if words < FRAME_MIN_WORDS:
        return False
    return words >= FRAME_MIN_SHARE * _visible_words(element.getroottree().getroot())


# A page's frame holds at least this many words, and this share of the page's.
FRAME_MIN_WORDS = 100
FRAME_MIN_SHARE = 0.5


def _visible_words(element: Any) -> int:
    """The words of an element's text, less those of its scripts and styles."""
    hidden = sum(
        patterns.word_count(e.text_content()) for e in element.iter("script", "style", "template")
    )
    return patterns.word_count(element.text_content()) - hidden


def names_its_paragraphs(element: Any, tag: str) -> bool:
    """Whether a paragraph or heading shares its class with sibling paragraphs that read as an article.

    ``<p class="paywall">`` on every paragraph of a story (and on its
    subheadings) is the site's mark for its metering script;
    ``<p class="newsletter-note">`` alone in a box is a newsletter's. The
    ``<p>`` of the same class beside it must hold as much prose as an article
    (``holds_article_prose``).

    >>> import lxml.html
    >>> long = "The tide clocks ran again on Sunday after six silent years. " * 3
    >>> box = lxml.html.fromstring(f"<div>{f'<p class=paywall>{long}</p>' * 4}</div>")
    >>> names_its_paragraphs(box[0], "p")
    True
    >>> box = lxml.html.fromstring(f"<div><p class=paywall>{long}</p>{f'<p>{long}</p>' * 3}</div>")
    >>> names_its_paragraphs(box[0], "p")
    False
    """
    parent = element.getparent()
    name = element.get("class", "").split()
    if tag not in TEXT_TAGS or parent is None or not name:
        return False
    alike = [s for s in parent if s.tag == "p" and s.get("class", "").split() == name]
    return _prose_in(alike)


# Elements that are a paragraph of text, not a box around some.
TEXT_TAGS = patterns.HEADING_TAGS | {"p", "blockquote"}


# A footnote's mark: a number, a letter or two, or a dagger, maybe in brackets; or
# the arrow of the link back from the note to the text.
NOTE_MARK = re.compile(
    r"^(?:[\[(]?(?:\d{1,3}|[a-z]{1,2}|[*†‡§¶]{1,3})[\])]?|[↩↑^]\ufe0e?)$", re.IGNORECASE
)


def is_note_mark(element: Any, tag: str) -> bool:
    """Whether ``element`` is a link to a note on the same page, marked ``1``, ``[2]`` or ``*``.

    Read aloud, the mark runs into the word before it ("the miners.one"). A
    number that links elsewhere, or one that is not a link (``10<sup>6</sup>``),
    is text.

    >>> import lxml.html
    >>> [is_note_mark(lxml.html.fromstring(h), "a") for h in (
    ...     '<a href="#fn1">1</a>', '<a href="#cite_note-3">[3]</a>', '<a href="/p/2">2</a>')]
    [True, True, False]
    """
    if tag != "a":
        return False
    href = (element.get("href") or "").strip()
    noteref = element.get("role", "").lower() == "doc-noteref"
    return (noteref or href.startswith("#")) and bool(
        NOTE_MARK.match("".join(element.text_content().split()))
    )


# A table is data, not a menu laid out in cells, when at least this share of its
# rows hold words outside links.
DATA_TABLE_MIN_SHARE = 0.5


def is_data_table(table: Any) -> bool:
    """Whether a ``<table>`` holds data whose linked cells are part of it, not a menu.

    A data table has two rows or more, no table inside it, and cells of text
    only (a table laid out as a page puts paragraphs in its cells); in at
    least half its rows some words stand outside links. A table of results
    whose team names link to the teams is data; a row of links is a menu.

    >>> import lxml.html
    >>> rows = "<tr><td><a href=/a>Ashby</a></td><td>14</td></tr>" * 2
    >>> is_data_table(lxml.html.fromstring(f"<table>{rows}</table>"))
    True
    >>> menu = "<tr><td><a href=/>Home</a></td><td><a href=/n>News</a></td></tr>" * 2
    >>> is_data_table(lxml.html.fromstring(f"<table>{menu}</table>"))
    False
    """
    rows = [r for r in table.iter("tr")]
    if len(rows) < 2 or table.find(".//table") is not None:
        return False
    if any(
        cell.find(f".//{tag}") is not None for cell in table.iter("td", "th") for tag in CELL_BLOCKS
    ):
        return False
    with_text = sum(_words_outside_links(row) for row in rows)
    return with_text >= DATA_TABLE_MIN_SHARE * len(rows)


CELL_BLOCKS = ("p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote")


def _words_outside_links(element: Any) -> bool:
    """Whether some of an element's words are not the text of a link."""
    if element.tag == "a":
        return False
    if patterns.HAS_WORD.search(element.text or ""):
        return True
    return any(
        _words_outside_links(child) or patterns.HAS_WORD.search(child.tail or "")
        for child in element
        if isinstance(child.tag, str)
    )


def holds_article_prose(element: Any) -> bool:
    """Whether an element holds paragraphs of sentences as many and as long as an article's.

    >>> import lxml.html
    >>> long = "<p>" + "The tide clocks ran again on Sunday after six silent years. " * 3 + "</p>"
    >>> holds_article_prose(lxml.html.fromstring(f"<div>{long * 4}</div>"))
    True
    >>> holds_article_prose(lxml.html.fromstring(f"<div>{long * 2}<p>Sign up!</p></div>"))
    False
    """
    return _prose_in(list(element.iter("p")))


def _prose_in(paragraphs: list[Any]) -> bool:
    """Whether these ``<p>`` elements hold as much prose as an article (see ``holds_article_prose``)."""
    sentences = 0
    words = 0
    for paragraph in paragraphs:
        text = paragraph.text_content().strip()
        count = patterns.word_count(text)
        if count >= ARTICLE_PARAGRAPH_MIN_WORDS and patterns.SENTENCE_END.search(text):
            sentences += 1
            words += count
    return sentences >= ARTICLE_MIN_PARAGRAPHS and words >= ARTICLE_MIN_WORDS


def _after_break(pending: list[tuple[str, bool]]) -> bool:
    """Whether the paragraph collected so far ends in a <br> and white space."""
    for text, _ in reversed(pending):
        if text == _BR:
            return True
        if text.strip():
            return False
    return False


def html_blocks(root: Any) -> tuple[Block, ...]:
    """Flatten HTML (an lxml element) into heading and paragraph blocks of plain text.

    The one walker for every place where HTML becomes blocks. Unspoken elements
    (``boilerplate.is_unspoken``) are dropped with everything inside them.
    ``<br>`` becomes a space, and two in a row (with only white space between)
    end a paragraph, as on pages laid out without ``<p>``; list items, table
    cells and quotes become paragraphs of their own (list items marked
    ``list_item``). Heading markup around a sentence (``looks_like_heading``)
    makes a paragraph. A block whose every word is in a link is marked
    ``links_only``.

    >>> import lxml.html
    >>> [(b.level, b.text) for b in html_blocks(lxml.html.fromstring(
    ...     "<div><h2>Why</h2><p>It <b>is</b><br>so.</p><figure>x</figure></div>"))]
    [(2, 'Why'), (0, 'It is so.')]
    >>> [(b.text, b.links_only) for b in html_blocks(lxml.html.fromstring(
    ...     "<div><p><a href=x>More</a></p><p>See <a href=y>this</a>.</p></div>"))]
    [('More', True), ('See this.', False)]
    >>> [b.text for b in html_blocks(lxml.html.fromstring("<td>One<br>line.<br><br>Two.</td>"))]
    ['One line.', 'Two.']
    """
    walker = _HtmlWalker()
    walker.walk(root, False)
    walker.flush()
    return tuple(walker.blocks)


def html_blocks_in_place(root: Any) -> tuple[tuple[Block, Any], ...]:
    """``html_blocks`` with, for each block, the element it is the text of.

    That element is the innermost block-level element around the text (a
    ``<p>``, a ``<div>``, a heading), or None for text outside any.

    >>> import lxml.html
    >>> [(b.text, e.tag) for b, e in html_blocks_in_place(lxml.html.fromstring(
    ...     "<div>Intro<p>One <b>two</b>.</p><h2>Next</h2></div>"))]
    [('Intro', 'div'), ('One two.', 'p'), ('Next', 'h2')]
    """
    walker = _HtmlWalker()
    walker.walk(root, False)
    walker.flush()
    return tuple(zip(walker.blocks, walker.places, strict=True))


def html_fragment_blocks(fragment: str) -> tuple[Block, ...]:
    """The blocks of an HTML fragment (a piece of a page, as Markdown may hold)."""
    import lxml.etree  # type: ignore[import-untyped]
    import lxml.html  # type: ignore[import-untyped]

    if not fragment.strip():
        return ()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ()
    return html_blocks(root)


def html_fragment_paragraphs(fragment: str) -> list[str]:
    """The paragraphs of text in an HTML fragment (scripts and styles dropped).

    >>> html_fragment_paragraphs("<div><p>One <u>two</u>.</p><p>Three.</p><script>x()</script></div>")
    ['One two.', 'Three.']
    >>> html_fragment_paragraphs("<div>One<br>line.<br/> <br>Two.</div>")
    ['One line.', 'Two.']
    """
    return [b.text for b in html_fragment_blocks(fragment)]


def clean_document(document: Document) -> Draft:
    """The clean stage: a document's article as blocks of plain text, with what it says of itself.

    A whole web page is searched for its article first; a fragment (a feed
    entry's body), Markdown and plain text are the article already. What the
    source knew (a feed entry's title, author, date, language) wins over what the
    text suggests.
    """
    # extract builds on this module's walker, so it is imported when first needed.
    from audiogen.text.extract import extract_fragment, extract_page, identify_language

    author = published = language = None
    title = document.title or _title_from_name(document.source)
    if document.format == "html" and document.fragment:
        blocks = parse_markdown(extract_fragment(document.text, document.url))
    elif document.format == "html":
        page = extract_page(document.text, document.url or document.source)
        blocks = parse_markdown(page.markdown)
        title = document.title or page.title or title
        author, published, language = page.author, page.published, page.language
    elif document.format == "markdown":
        blocks = parse_markdown(document.text)
    else:
        blocks = parse_plain_text(document.text)
    byline, blocks = extract_byline(blocks)
    blocks = clean_blocks(blocks)
    if document.language is None and language is None:
        language = identify_language(" ".join(b.text for b in blocks if not b.is_heading))
    return Draft(
        document=document,
        blocks=blocks,
        title=title,
        language=document.language or language,
        author=document.author or author or byline,
        published=document.published or published,
    )


def _title_from_name(source: str) -> str:
    """A title for an article that names none: its file name, read as words.

    >>> _title_from_name("notes/city-council_vote.md")
    'city council vote'
    >>> _title_from_name("-")
    'Untitled'
    """
    if source == "-" or source.lower().startswith(("http://", "https://")):
        return "Untitled"
    return PurePath(source).stem.replace("-", " ").replace("_", " ")
