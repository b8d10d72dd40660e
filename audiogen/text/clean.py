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
from collections.abc import Callable
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import PurePath

from markdown_it import MarkdownIt
from markdown_it.token import Token

from audiogen.models import Block, Document, Draft
from audiogen.text import boilerplate as patterns
from audiogen.text.extract import extract_fragment, extract_page, identify_language

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
    Headings stay even when they are links (scraped titles often are). This is
    the rule the HTML extractor applies to web pages.
    """
    return tuple(b for b in blocks if b.is_heading or not b.links_only)


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
    return tuple(b for b in blocks if b.is_heading or not patterns.is_metadata_line(b.text))


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
# Share of a paragraph's words found, in runs of at least REPEAT_MIN_RUN words,
# in another paragraph for it to count as a repeat (pull quotes are trimmed).
REPEAT_SHARE = 0.85
REPEAT_MIN_RUN = 3
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def drop_repeated_paragraphs(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Drop a paragraph that repeats another: a pull quote, a paragraph scraped twice.

    Only paragraphs of 4 to 60 words are looked at (``Yes.`` may well come
    twice) and headings never. Such a paragraph is dropped when an earlier one
    has the same words, or when it does not end like a sentence and nearly
    all its words (``REPEAT_SHARE``) stand, in order and in runs of three or
    more, in a longer paragraph. That is the shape of a pull quote:
    ``It's easiest to judge it on what won't change`` set beside the sentence
    ``...which makes it easiest to judge it on what won't change.``; the
    sentence stays. A quote that the writer repeats as a sentence of its own
    (``“She was literally burning up from within.”``) is prose and stays.
    """
    words = [_WORDS.findall(b.text.casefold()) for b in blocks]
    # Which paragraphs hold each run of three words: only those can contain a repeat.
    holders: dict[tuple[str, ...], set[int]] = {}
    for i, (w, b) in enumerate(zip(words, blocks, strict=True)):
        if not b.is_heading:
            for run in _runs(w):
                holders.setdefault(run, set()).add(i)
    seen: set[tuple[str, ...]] = set()
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        if block.is_heading or not REPEAT_MIN_WORDS <= len(words[i]) <= REPEAT_MAX_WORDS:
            kept.append(block)
            continue
        key = tuple(words[i])
        duplicate = key in seen
        seen.add(key)
        fragment = patterns.looks_like_headline(block.text) and any(
            _contained(words[i], words[j])
            for j in set().union(*(holders.get(run, set()) for run in _runs(words[i])))
            if len(words[j]) > len(words[i])
        )
        if not (duplicate or fragment):
            kept.append(block)
    return tuple(kept)


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    n = REPEAT_MIN_RUN
    return {tuple(words[k : k + n]) for k in range(len(words) - n + 1)}


def _contained(short: list[str], other: list[str]) -> bool:
    matcher = difflib.SequenceMatcher(None, short, other, autojunk=False)
    shared = sum(m.size for m in matcher.get_matching_blocks() if m.size >= REPEAT_MIN_RUN)
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
        elif token.type == "heading_open":
            level = int(token.tag[1])
        elif token.type == "heading_close":
            level = 0
        elif token.type == "list_item_open":
            item_depth += 1
        elif token.type == "list_item_close":
            item_depth -= 1
        elif token.type == "inline":
            inline = _inline(token)
            text = clean_text(inline.text, text_cleaners)
            caption = not level and _is_caption(inline, text, after_image)
            after_image = inline.image_only
            if text and not caption:
                blocks.append(Block(text, level, item_depth > 0, inline.links_only))
        elif token.type == "html_block":
            after_image = False
            for paragraph, links_only in _fragment_paragraphs(token.content):
                text = clean_text(paragraph, text_cleaners)
                if text:
                    blocks.append(Block(text, links_only=links_only))
    return tuple(blocks)


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


# Stands for a <br> in a paragraph being collected (a private-use character).
_BR = "\ue000"


class _ParagraphCollector(HTMLParser):
    """Collects the text of an HTML fragment, breaking paragraphs at block tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # Each paragraph: pieces of (text, inside a link).
        self.paragraphs: list[list[tuple[str, bool]]] = [[]]
        self._skip = 0
        self._links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            # One break is a space; two in a row end the paragraph.
            pieces = [t for t, _ in self.paragraphs[-1] if t.strip()]
            if pieces and pieces[-1] == _BR:
                self.paragraphs.append([])
            else:
                self.paragraphs[-1].append((_BR, False))
        elif tag in patterns.UNSPOKEN_TAGS:
            self._skip += 1
        elif tag in patterns.BLOCK_TAGS:
            self.paragraphs.append([])
        elif tag == "a":
            self._links += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            return
        if tag in patterns.UNSPOKEN_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in patterns.BLOCK_TAGS:
            self.paragraphs.append([])
        elif tag == "a":
            self._links = max(0, self._links - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.paragraphs[-1].append((data, self._links > 0))


def _fragment_paragraphs(fragment: str) -> list[tuple[str, bool]]:
    """(text, made only of links) for each paragraph of an HTML fragment."""
    collector = _ParagraphCollector()
    collector.feed(fragment)
    collector.close()
    out = []
    for pieces in collector.paragraphs:
        text = collapse_whitespace("".join(t for t, _ in pieces).replace(_BR, " "))
        if text:
            linked = any(in_link and patterns.HAS_WORD.search(t) for t, in_link in pieces)
            unlinked = any(not in_link and patterns.HAS_WORD.search(t) for t, in_link in pieces)
            out.append((text, linked and not unlinked))
    return out


def html_fragment_paragraphs(fragment: str) -> list[str]:
    """The paragraphs of text in an HTML fragment (scripts and styles dropped).

    >>> html_fragment_paragraphs("<div><p>One <u>two</u>.</p><p>Three.</p><script>x()</script></div>")
    ['One two.', 'Three.']
    >>> html_fragment_paragraphs("<div>One<br>line.<br/> <br>Two.</div>")
    ['One line.', 'Two.']
    """
    return [text for text, _ in _fragment_paragraphs(fragment)]


def clean_document(document: Document) -> Draft:
    """The clean stage: a document's article as blocks of plain text, with what it says of itself.

    A whole web page is searched for its article first; a fragment (a feed
    entry's body), Markdown and plain text are the article already. What the
    source knew (a feed entry's title, author, date, language) wins over what the
    text suggests.
    """
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
