"""Find the article in a web page: its body as Markdown, and its metadata.

Two libraries made for this do the finding; this module only chooses between
them and writes what they found as Markdown:

- readability-lxml (a Python port of Readability, the algorithm behind
  Firefox's reader view) picks the article body. On the project's corpus of
  real pages (``bench/corpus.py``) it lost and added the fewest words. One
  flaws of its port are mended here (``SiblingAwareDocument``): it lost lead
  paragraphs that open with a link or an emphasis, and took any class name
  holding "foot" ("football-report") for a footer.
- trafilatura reads the metadata (title, author, date, site name) and stands in
  for the body when readability finds much less text than it does, which is how
  readability fails when it picks the wrong part of a page.

Both keep one container of the page and clean it by scores, which loses what
a news page keeps apart (a standfirst, a lede in an "intro" block), short lists,
short paragraphs in boxes of their own, paragraphs in a box whose name or links
the scores mistrust, and a subheading in a box beside a figure. ``with_restored``
finds their blocks in the whole page, walked by the same ``clean.html_blocks``,
and puts back what reads as article text around them, but not a caption, a
form's label or a teaser that shares a small box with its picture, form or link.

A page that shows less than half of the body its schema.org data states (a
frame a script fills, a teaser) is read from that body (``text.structured``).

The Markdown holds the article's paragraphs separated by blank lines, its list
items as ``- `` lines and its subheadings as ``## `` lines, nothing else: figures and their captions, code
listings, forms, buttons, navigation and hidden elements are left out, since
none of them reads well aloud.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Any

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]
import trafilatura
from readability.readability import Document, Unparseable  # type: ignore[import-untyped]
from trafilatura.settings import Document as Metadata
from trafilatura.settings import set_date_params

from audiogen.errors import NothingToSpeak
from audiogen.models import Block
from audiogen.text import boilerplate as patterns
from audiogen.text.clean import (
    clean_inline,
    html_blocks,
    html_blocks_in_place,
    is_data_table,
    looks_like_heading,
    mark_content_lists,
)
from audiogen.text.structured import article_body

__all__ = ["ExtractedPage", "extract_page", "looks_like_heading", "render_markdown"]


@dataclass(frozen=True)
class ExtractedPage:
    """The article found in a web page.

    ``markdown`` is the body only: the title is not repeated in it.
    ``published`` is naive when the page gives no time zone, and at midnight
    when it gives only a day. ``language`` is a short code such as ``"en"``.
    """

    title: str
    author: str | None
    published: datetime | None
    language: str | None
    site_name: str | None
    markdown: str


# When readability keeps less than this share of the words trafilatura found,
# readability most likely picked a teaser or a sidebar rather than the article.
MIN_SHARE_OF_FALLBACK = 0.5

# On a page with no article at all, trafilatura still returns a few words (a
# menu, a caption) where readability returns none: that is not worth speaking.
MIN_FALLBACK_WORDS = 30

# A page declaring no language is identified from its text, but only when there
# is enough text for the guess to be reliable.
MIN_WORDS_TO_IDENTIFY_LANGUAGE = 20

# Characters CommonMark could read as markup; escaped so the text stays text.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&])")
# A paragraph starting like a heading, quote, list item or rule.
MARKDOWN_LINE_START = re.compile(r"^(#|>|[-+=]|\d+[.)])")
LANGUAGE_CODE = re.compile(r"^([a-z]{2,3})(?:$|[-_])")


def extract_page(html: str, url: str | None = None) -> ExtractedPage:
    """Find the article in ``html`` (a whole page, as served) and its metadata.

    ``url`` is where the page came from; it helps the metadata search and names
    the page in errors. Raises ``NothingToSpeak`` when the page holds no article
    text, e.g. an empty page, a page of links only, or one that is all script.
    """
    where = url or "the page"
    tree = _load(html, where)
    meta = _metadata(tree, url)
    title = tidy_title(meta.title or _readability_title(html) or "", tree, meta.sitename)
    blocks = _article_blocks(html, tree, title)
    if not any(not b.is_heading for b in blocks):
        raise NothingToSpeak(
            f"no article text found in {where}: it may need JavaScript to show its text, "
            "or hold only links; save the article as text or HTML and pass the file"
        )
    text = " ".join(b.text for b in blocks)
    return ExtractedPage(
        title=title,
        author=normalize_author(meta.author),
        published=parse_date(meta.date),
        language=declared_language(tree) or identify_language(text),
        site_name=meta.sitename or None,
        markdown=render_markdown(blocks),
    )


def _article_blocks(html: str, tree: lxml.html.HtmlElement, title: str) -> list[Block]:
    """The article's blocks: readability's (or trafilatura's) with what they lost
    restored, or the body the page's schema.org data states (``text.structured``)."""
    blocks = _fuller(_readability_blocks(html), _trafilatura_blocks(tree))
    blocks = with_restored(_page_blocks(html), blocks, title)
    blocks = [b for b in blocks if b.is_heading or not b.links_only]
    # A frame a script fills, or a teaser, shows less than half of its stated body.
    blocks = _fuller(blocks, article_body(tree))
    return _drop_empty_sections(_drop_title_heading(blocks, title))


def _fuller(blocks: list[Block], other: list[Block]) -> list[Block]:
    """``blocks``, or ``other`` when it has ``MIN_FALLBACK_WORDS`` words or more and
    ``blocks`` less than ``MIN_SHARE_OF_FALLBACK`` of them: how an extractor fails
    when it picks the wrong part of a page, or a page that shows little of its text."""
    other_words = _word_count(other)
    if (
        other_words >= MIN_FALLBACK_WORDS
        and _word_count(blocks) < MIN_SHARE_OF_FALLBACK * other_words
    ):
        return other
    return blocks


# --- the libraries ------------------------------------------------------------------


def _load(html: str, where: str) -> lxml.html.HtmlElement:
    if not html.strip():
        raise NothingToSpeak(f"no article text found in {where}: it is empty")
    # trafilatura takes a lone fragment ("<p>...</p>") for something other than
    # HTML; inside a body it is a page like any other.
    tree = trafilatura.load_html(html)
    if tree is None:
        tree = trafilatura.load_html(f"<html><body>{html}</body></html>")
    if tree is None:
        raise NothingToSpeak(f"no article text found in {where}: it is not HTML")
    return tree


def _metadata(tree: lxml.html.HtmlElement, url: str | None) -> Metadata:
    # htmldate gives the time of day and zone too when the page states them.
    date_config = {**set_date_params(True), "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
    # extract_metadata strips nodes from the tree it is given: hand it a copy.
    return trafilatura.extract_metadata(_copy(tree), default_url=url, date_config=date_config)


def _readability_title(html: str) -> str | None:
    try:
        title = Document(html).short_title()
    except (Unparseable, ValueError, lxml.etree.LxmlError):
        return None
    return clean_inline(str(title)) or None


# What separates a title from the site's name: "Canal - Openpedia", "Bins | Council".
TITLE_SEPARATOR = re.compile(r"\s+(?:[-|–—·:]|::)\s+")
# A heading's anchor link, caught in the title: "Scheduling jobs¶".
TITLE_ANCHOR_MARKS = "¶§#"


def tidy_title(title: str, tree: lxml.html.HtmlElement | None, site_name: str | None) -> str:
    """The title without the site's name the page adds to it, or a heading's anchor mark.

    The name goes when what is left is the page's ``<h1>``, or when it is the
    site's name; a title with dashes of its own stays whole.

    >>> page = lxml.html.fromstring("<html><body><h1>Harrowgate Canal</h1></body></html>")
    >>> tidy_title("Harrowgate Canal - Openpedia", page, None)
    'Harrowgate Canal'
    >>> tidy_title("Bins change | Marwick Council", None, "Marwick Council")
    'Bins change'
    >>> tidy_title("Rock - Paper - Scissors", page, None), tidy_title("Scheduling jobs¶", None, None)
    ('Rock - Paper - Scissors', 'Scheduling jobs')
    """
    title = title.rstrip(TITLE_ANCHOR_MARKS).rstrip()
    separators = list(TITLE_SEPARATOR.finditer(title))
    if not separators:
        return title
    last = separators[-1]
    head, tail = title[: last.start()], title[last.end() :]
    headlines = {_key(h.text_content()) for h in tree.iter("h1")} if tree is not None else set()
    if _key(head) in headlines or (site_name and _key(tail) == _key(site_name)):
        return head
    return title


def _readability_blocks(html: str) -> list[Block]:
    # Readability fails on some malformed pages in its own ways; the other
    # extractor then has the page to itself.
    try:
        summary = SiblingAwareDocument(html).summary()
        if not isinstance(summary, str) or not summary.strip():
            return []
        placed = _page_blocks(summary)
    except (Unparseable, ValueError, lxml.etree.LxmlError):
        return []
    # A menu laid out as lines of links ("Bridges<br><a>Sawley</a><br><a>Swarkestone</a>")
    # is one paragraph to the walker, with a word or two outside its links.
    return [
        replace(b, links_only=True) if placed.mostly_links(i) else b
        for i, b in enumerate(placed.blocks)
    ]


# A sentence ends inside a short paragraph: "Short and true." or "What now? Look:".
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?:\s|$)|[。！？]")
# A paragraph beside the article's main container is article text when it is
# longer than this and mostly not links, or shorter, link-free and a sentence.
SIBLING_MIN_CHARS = 80
SIBLING_MAX_LINK_DENSITY = 0.25
SIBLING_TAGS = frozenset({"p", "blockquote"})


class SiblingAwareDocument(Document):  # type: ignore[misc]  # readability is untyped
    """readability-lxml, keeping the paragraphs that sit beside the article's main block.

    Readability picks the element holding most of the article, then adds
    those of its siblings that look like prose: the lead paragraph above a
    container of the rest, a paragraph split off by an advert. Its test for
    a ``<p>`` sibling reads only the text before the paragraph's first child
    element, so a paragraph opening with a link, an emphasis or a quote in
    ``<em>`` (``<p><a>Mashable</a> reports ...``) counts as empty and is lost.
    This subclass runs the library's own choice, then applies the same test to
    the whole text of each sibling it left out (``is_sibling_prose``), and
    also keeps a left-out subheading whose next sibling is kept. Order is the
    page's.
    """

    def get_article(self, candidates: Any, best_candidate: Any, html_partial: bool = False) -> Any:
        best = best_candidate["elem"]
        parent = best.getparent()
        siblings = [s for s in parent if isinstance(s.tag, str)] if parent is not None else []
        output = super().get_article(candidates, best_candidate, html_partial=html_partial)
        root = best.getparent()
        if parent is None or root is None or root is parent:
            return output
        kept = [s.getparent() is not parent for s in siblings]
        for i, sibling in enumerate(siblings):
            if not kept[i] and self.is_sibling_prose(sibling):
                kept[i] = True
        for i in range(len(siblings) - 2, -1, -1):
            if not kept[i] and siblings[i].tag in patterns.HEADING_TAGS and kept[i + 1]:
                kept[i] = True
        for sibling, keep in zip(siblings, kept, strict=True):
            # Re-appending in page order puts the restored ones where they stood;
            # siblings the library moved inside the main block stay there.
            if keep and sibling.getparent() in (root, parent):
                root.append(sibling)
        return output

    def remove_unlikely_candidates(self) -> None:
        """Readability's removal of page parts by name, not misled by a word like "football".

        The library looks for "foot" (meaning footers) anywhere in a class or
        id, so it drops a ``football-report`` with its text before it scores
        anything, and weighs it down after (``class_weight``). Its tests run on
        the names without such words.
        """
        with _without_foot_words(list(self.html.iter())):
            super().remove_unlikely_candidates()

    def class_weight(self, e: lxml.html.HtmlElement) -> Any:
        with _without_foot_words([e]):
            return super().class_weight(e)

    def is_sibling_prose(self, element: lxml.html.HtmlElement) -> bool:
        """Readability's sibling test on the element's whole text.

        A ``<p>`` or ``<blockquote>`` of more than 80 characters with under a
        quarter of them in links, or a shorter one with no link that holds a
        sentence end (``"We have nothing to fear."``, ``"What now? Look:"``).
        Never ``"Advertisement"`` or ``"Share this article"`` (no sentence),
        nor an unspoken element (see ``boilerplate.is_unspoken``).
        """
        if element.tag not in SIBLING_TAGS or patterns.is_unspoken(element.tag, element.attrib):
            return False
        text = " ".join(element.text_content().split())
        density = float(self.get_link_density(element))
        if len(text) > SIBLING_MIN_CHARS:
            return density < SIBLING_MAX_LINK_DENSITY
        return bool(text) and density == 0 and bool(SENTENCE_END.search(text))


# Words in which readability's "foot" means neither a footer nor a footnote: "football", "footage".
NAME_WORD = re.compile(r"[A-Za-z][a-z0-9]*|[0-9]+|[^A-Za-z0-9]+")
FOOT_IN_A_WORD = re.compile(r"^foot(?!er|note|$)", re.IGNORECASE)


@contextmanager
def _without_foot_words(elements: list[lxml.html.HtmlElement]) -> Iterator[None]:
    """Take words like "football" out of the elements' class and id while the block runs.

    >>> div = lxml.html.fromstring('<div class="footballReport footer" id="x">a</div>')
    >>> with _without_foot_words([div]):
    ...     div.get("class"), div.get("id")
    ('Report footer', 'x')
    >>> div.get("class")
    'footballReport footer'
    """
    saved = []
    for element in elements:
        if not isinstance(element.tag, str):
            continue
        for key in ("class", "id"):
            value = element.get(key)
            if value and "foot" in value.lower():
                words = NAME_WORD.findall(value)
                masked = "".join(w for w in words if not FOOT_IN_A_WORD.match(w))
                if masked != value:
                    saved.append((element, key, value))
                    element.set(key, masked)
    try:
        yield
    finally:
        for element, key, value in saved:
            element.set(key, value)


def _trafilatura_blocks(tree: lxml.html.HtmlElement) -> list[Block]:
    body = trafilatura.extract(
        _copy(tree),
        output_format="html",
        include_comments=False,
        include_tables=True,
        # Precision over recall: this body is used only when readability's is
        # thin, and on a page with no article trafilatura otherwise returns
        # whatever text it finds (the menu).
        favor_precision=True,
        include_images=False,
        include_links=False,
    )
    if not body:
        return []
    return list(html_blocks(lxml.html.fromstring(body)))


def _copy(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return copy.deepcopy(tree)


# --- what the extractors lost ----------------------------------------------------

# How far ahead of the last match a page block's twin is looked for among the
# extractor's blocks; page order and theirs are the same, so the window is short.
MATCH_WINDOW = 40
# A page block shorter than this matches only a block with the same words; a
# longer one may be part of one (extractors join and split paragraphs).
MATCH_PART_MIN_WORDS = 4
# A paragraph between the title and the body is a standfirst or a lede when it
# reads as prose: a sentence of this many words, or a longer run without a stop.
LEDE_MIN_WORDS = 8
LEDE_MIN_WORDS_WITHOUT_STOP = 15
# A list between the title and the body sums the story up when two items in a row
# or more are phrases of this many words or more.
SUMMARY_ITEM_MIN_WORDS = 4
# A title heading names the article when it shares this many words with the title.
TITLE_MIN_WORDS = 3
# Without the title among the page's blocks, a headline this far above the body at most.
HEADLINE_MAX_DISTANCE = 20


# A paragraph of the body that the extractor dropped is put back when it is a
# sentence of at least this many words ("He declined to comment."), or as long as
# a lede without a stop.
BODY_MIN_WORDS = 3
# A text of at most this many words that shares a box with a picture, a player,
# a form control or a headline link, and with no other text of the page, is a
# caption, a form's label or a teaser's summary. Boxes are looked for this many
# levels up from the text's own element.
BOXED_MAX_WORDS = 40
BOX_MAX_DEPTH = 4
# A paragraph with more than this share of its letters in links is a list of them.
MAX_LINK_SHARE = 0.5
MAX_SENTENCE_LINK_SHARE = 0.8
BOX_MEDIA_TAGS = tuple(
    """
    img picture video audio iframe object embed canvas figure form input select textarea button
    """.split()  # noqa: SIM905 (a word table reads better as words)
)


@dataclass(frozen=True)
class PageBlocks:
    """Every block of a page in order, and for each the element it is the text of."""

    blocks: tuple[Block, ...] = ()
    places: tuple[Any, ...] = ()

    def in_data_table(self, i: int) -> bool:
        """Whether block ``i`` is a cell of a data table (``clean.is_data_table``).

        >>> row = "<tr><td><a href=/a>Ashby</a></td><td>14</td></tr>"
        >>> _page_blocks(f"<table>{row * 2}</table>").in_data_table(0)
        True
        """
        element = self.place(i)
        if element is None or element.tag not in ("td", "th"):
            return False
        table = next((a for a in element.iterancestors("table")), None)
        if table is None:
            return False
        if table not in self._tables:
            self._tables[table] = is_data_table(table)
        return self._tables[table]

    @cached_property
    def _tables(self) -> dict[Any, bool]:
        return {}

    def place(self, i: int) -> Any:
        """The element block ``i`` is the text of, or None when it is not known."""
        return self.places[i] if 0 <= i < len(self.places) else None

    def boxed_or_linked(self, i: int) -> bool:
        """Whether block ``i`` is a caption, label or teaser (``boxed``), or a paragraph of links.

        A paragraph of links has more than half its letters in links, or more
        than ``MAX_SENTENCE_LINK_SHARE`` when it is a sentence ("The survey,
        the minutes and the plans are online."). List items are judged as a
        list (``clean.mark_content_lists``), a data table's cells as a table.
        """
        return self.boxed(i) or self.mostly_links(i)

    def mostly_links(self, i: int) -> bool:
        """Whether paragraph ``i`` is a run of links (see ``boxed_or_linked``)."""
        block = self.blocks[i]
        if block.list_item or block.is_heading or self.in_data_table(i):
            return False
        sentence = bool(SENTENCE_END.search(block.text.rstrip()))
        return self.link_share(i) > (MAX_SENTENCE_LINK_SHARE if sentence else MAX_LINK_SHARE)

    def boxed(self, i: int) -> bool:
        """Whether paragraph ``i`` sits alone in a box with a picture, a form or a headline link.

        The box is the smallest element around the block's own that holds
        anything else of note: when that is another paragraph of the page, the
        block is article text beside it; when it is a picture, a player, a form
        control, another site's post or a link of its own, the block is the
        picture's caption, the form's label or a teaser's summary. A heading
        is never boxed: a subheading in a box with a picture heads what follows.
        """
        element = self.places[i] if i < len(self.places) else None
        block = self.blocks[i]
        too_long = patterns.word_count(block.text) > BOXED_MAX_WORDS
        if element is None or block.is_heading or too_long:
            return False
        texts = self._texts
        box = element
        for _ in range(BOX_MAX_DEPTH):
            box = box.getparent()
            if box is None or box.tag in patterns.FRAME_TAGS:
                return False
            if patterns.names_embed(box.attrib):
                return True
            # Stop at the first other paragraph: a box around the body holds one early.
            links = False
            for e in box.iter():
                if id(e) in texts and not _within(e, element):
                    if not texts[id(e)]:
                        return False
                    links = True
            if links or next(box.iter(*BOX_MEDIA_TAGS), None) is not None:
                return True
        return False

    def link_share(self, i: int) -> float:
        """The share of the letters of block ``i``'s element that are in links.

        >>> round(_page_blocks("<p><a href=a>Four</a> and <a href=b>four</a></p>").link_share(0), 2)
        0.73
        """
        element = self.places[i] if i < len(self.places) else None
        if element is None:
            return 0.0
        total = len("".join(element.text_content().split()))
        linked = sum(len("".join(a.text_content().split())) for a in element.iter("a"))
        return linked / total if total else 0.0

    @cached_property
    def _texts(self) -> dict[int, bool]:
        """For each element that holds a block: whether all its blocks are links only."""
        texts: dict[int, bool] = {}
        for block, element in zip(self.blocks, self.places, strict=True):
            if element is not None:
                texts[id(element)] = texts.get(id(element), True) and block.links_only
        return texts


def _within(element: Any, container: Any) -> bool:
    return element is container or any(a is container for a in element.iterancestors())


def _page_blocks(html: str) -> PageBlocks:
    """Every block of the whole page, in order, by the same walker as the article's."""
    try:
        placed = html_blocks_in_place(lxml.html.document_fromstring(html))
    except (lxml.etree.LxmlError, ValueError):
        return PageBlocks()
    return PageBlocks(tuple(b for b, _ in placed), tuple(e for _, e in placed))


def with_restored(
    page: Sequence[Block] | PageBlocks, chosen: Sequence[Block], title: str
) -> list[Block]:
    """``chosen`` (an extractor's blocks) with the article text it dropped put back.

    The extractors keep one container of the page and clean it by scores that
    drop short lists and paragraphs, a heading in a box of its own beside a
    figure, paragraphs in a box whose name or links they mistrust, and the
    standfirst and lede a news page keeps apart from its body. ``page`` is
    every block of the page (``html_blocks``, or ``PageBlocks`` that know where
    each stands); each of ``chosen`` is found in it, and an unmatched page block
    is put back where it stood when it is, between the page's title heading and
    the first match, a paragraph of prose (the standfirst, the lede) or a key
    point (``_in_summary_list``), or, between the first and the last match, a heading, a list item, a sentence, or
    the line that introduces a list (see ``_restorable``); after the last match,
    the same run on while they stay in the box that holds the title (``_tail``). Blocks made only of
    links are never put back (an item of a content list aside, see
    ``clean.mark_content_lists``), nor text already spoken, nor a caption, a
    form's label or a teaser's summary (``PageBlocks.boxed``), nor a paragraph
    mostly of links.
    """
    placed = page if isinstance(page, PageBlocks) else PageBlocks(tuple(page))
    unmarked = placed.blocks
    blocks, chosen = mark_content_lists(placed.blocks), mark_content_lists(chosen)
    placed = replace(placed, blocks=blocks)
    keys = [_key(b.text) for b in chosen]
    matches = _matches(blocks, keys)
    start = _title_index(blocks, title)
    if start < 0:
        start = _headline_index(blocks, matches)
    found = [i for i, m in enumerate(matches) if m is not None and i > start]
    if not found:
        return list(chosen)
    spoken, known = f" {' | '.join(keys)} ", set(keys)
    inserts: dict[int, list[Block]] = {}
    following: int | None = None
    # Without the title to start from, what stands before the body is unknown ground.
    low = start if start >= 0 else found[0] - 1
    for i in range(found[-1], low, -1):
        if matches[i] is not None:
            following = matches[i]
            continue
        if following is None or _already_spoken(_key(blocks[i].text), known, spoken):
            continue
        lede = i < found[0]
        restorable = _restorable(blocks, i, lede=lede) or (
            _in_summary_list(unmarked, i) if lede else placed.in_data_table(i)
        )
        if restorable and not placed.boxed_or_linked(i):
            inserts.setdefault(following, []).insert(0, blocks[i])
    last = matches[found[-1]]
    if last is not None and start >= 0:
        tail = _tail(placed, start, found[-1], lambda b: _already_spoken(_key(b), known, spoken))
        inserts.setdefault(last + 1, [])[:0] = tail
    out: list[Block] = []
    for j, block in enumerate(chosen):
        out.extend(inserts.get(j, []))
        out.append(block)
    return out + inserts.get(len(chosen), [])


def _tail(
    placed: PageBlocks, title: int, last: int, already_spoken: Callable[[str], bool]
) -> list[Block]:
    """The article text after the extractor's last block, in the box that holds the title too.

    When the title and the last block the extractor kept share a box below
    the page's frame (an ``<article>``, the story's ``<div>``), the blocks that
    follow in that box and read as article text (see ``_restorable``) are the
    article's end: a short last paragraph, a closing list, the second half of a
    story the extractor cut at an advert. The first block that is not, a list of
    links, a label, a caption, or a first-rank heading (the next article, on a
    page that runs on into it), ends the article.
    """
    box = _common_box(placed.place(title), placed.place(last))
    if box is None or box.tag in patterns.FRAME_TAGS:
        return []
    tail: list[Block] = []
    blocks = placed.blocks
    for i in range(last + 1, len(blocks)):
        element = placed.place(i)
        if element is None or not _within(element, box) or blocks[i].level == 1:
            break
        if already_spoken(blocks[i].text):
            continue
        if not _restorable(blocks, i, lede=False) or placed.boxed_or_linked(i):
            break
        tail.append(blocks[i])
    return tail


def _common_box(a: Any, b: Any) -> Any:
    """The innermost element that holds both ``a`` and ``b`` (None when either is None)."""
    if a is None or b is None:
        return None
    # The set holds the elements themselves: lxml gives one node the same Python
    # object only while that object lives, so their ids would not do.
    around_b = {b, *b.iterancestors()}
    return next((e for e in (a, *a.iterancestors()) if e in around_b), None)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _already_spoken(key: str, keys: set[str], spoken: str) -> bool:
    if len(key.split()) < MATCH_PART_MIN_WORDS:
        return key in keys
    return f" {key} " in spoken


def _matches(page: Sequence[Block], keys: list[str]) -> list[int | None]:
    """For each page block, the index of the chosen block holding its text, in order."""
    out: list[int | None] = []
    at = 0
    for block in page:
        key = _key(block.text)
        part = len(key.split()) >= MATCH_PART_MIN_WORDS
        found = None
        for j in range(at, min(at + MATCH_WINDOW, len(keys))):
            if key == keys[j] or (part and f" {key} " in f" {keys[j]} "):
                found = j
                break
        if found is not None:
            at = found
        out.append(found)
    return out


def _title_index(page: Sequence[Block], title: str) -> int:
    """Where the article's title stands among the page blocks; -1 when it is not found.

    The title is the first block with the title's words, or a block whose
    words are part of the title or hold it (``Title | Site``). A long title in
    a heading element reads as a paragraph (``looks_like_heading``), so any
    block may be it.
    """
    want = _key(title)
    if patterns.word_count(want) < TITLE_MIN_WORDS:
        return -1
    for i, block in enumerate(page):
        key = _key(block.text)
        if patterns.word_count(key) < TITLE_MIN_WORDS:
            continue
        if key == want or f" {key} " in f" {want} " or f" {want} " in f" {key} ":
            return i
    return -1


def _headline_index(page: Sequence[Block], matches: Sequence[int | None]) -> int:
    """The page's headline when the title is not found: the ``<h1>`` just above the body.

    A page's title for search engines and sharing often says it otherwise than
    its headline. The headline is the last first-rank heading at or before
    the first block the extractor kept, within ``HEADLINE_MAX_DISTANCE``
    blocks of it; -1 when there is none.

    >>> blocks = [Block("Valley Courier", 1), Block("Pool to shut", 1), Block("Lede."), Block("Body.")]
    >>> _headline_index(blocks, [None, None, None, 0])
    1
    """
    first = next((i for i, m in enumerate(matches) if m is not None), None)
    if first is None:
        return -1
    low = max(-1, first - HEADLINE_MAX_DISTANCE - 1)
    return next((i for i in range(first, low, -1) if page[i].level == 1), -1)


def _restorable(page: Sequence[Block], i: int, *, lede: bool) -> bool:
    """Whether page block ``i``, dropped by the extractor, is article text (see ``with_restored``)."""
    block = page[i]
    if block.links_only:
        return False
    if lede:
        return not block.is_heading and not block.list_item and _reads_as_prose(block.text)
    following = page[i + 1] if i + 1 < len(page) else None
    if block.is_heading:
        # A heading over a list of links ("Most read") heads no article text.
        return following is not None and not following.links_only
    if block.list_item or _reads_as_body_text(block.text):
        return True
    introduces_list = following is not None and following.list_item
    return introduces_list and block.text.rstrip().endswith(":")


def _in_summary_list(page: Sequence[Block], i: int) -> bool:
    """Whether list item ``i`` is one of a story's key points, listed above its body.

    A live page or a news site sums the story up in a list under the title
    ("Gusts of 90mph recorded at the point"): two items in a row or more, each
    a phrase of ``SUMMARY_ITEM_MIN_WORDS`` words or more, not a link nor a
    date. Items of links (the key events, the tags) or of labels (the author,
    the date) are not key points. ``page`` holds the blocks as the walker
    found them: ``mark_content_lists`` reads lists next to each other as one.

    >>> items = [Block("Gusts of 90mph at the point", list_item=True),
    ...          Block("All ferries cancelled for the day", list_item=True), Block("Ana Roe", list_item=True)]
    >>> _in_summary_list(items, 0), _in_summary_list(items, 2), _in_summary_list(items[:1], 0)
    (True, False, False)
    """

    def key_point(j: int) -> bool:
        block = page[j] if 0 <= j < len(page) else None
        return (
            block is not None
            and block.list_item
            and not (block.links_only or block.is_heading)
            and patterns.word_count(block.text) >= SUMMARY_ITEM_MIN_WORDS
            and not patterns.is_metadata_line(block.text)
        )

    return key_point(i) and (key_point(i - 1) or key_point(i + 1))


def _reads_as_body_text(text: str) -> bool:
    """A sentence of three words or more, or a long run of words: not a label or a date.

    >>> _reads_as_body_text("He declined to comment."), _reads_as_body_text("Advertisement")
    (True, False)
    >>> _reads_as_body_text("Updated 3:04 PM ET, Thu March 9, 2017")
    False
    """
    return _sentence_or_long_run(text, BODY_MIN_WORDS)


def _reads_as_prose(text: str) -> bool:
    """A sentence, or a long run of words: a standfirst, a lede, not a date or a label.

    >>> _reads_as_prose("The ferry will run twice a week instead of daily from Monday.")
    True
    >>> _reads_as_prose("3 November 2025, 07:15 GMT"), _reads_as_prose("Share this story")
    (False, False)
    >>> _reads_as_prose("posted on April 21, 2015, at 11:29 a.m. by the news desk")
    False
    """
    return _sentence_or_long_run(text, LEDE_MIN_WORDS)


def _sentence_or_long_run(text: str, min_words: int) -> bool:
    """A sentence of ``min_words`` or more, or a run of words long enough to need no stop;
    never a lower-case fragment or a metadata line."""
    words = patterns.word_count(text)
    if text[:1].islower() or patterns.is_metadata_line(text):
        return False
    if words >= LEDE_MIN_WORDS_WITHOUT_STOP:
        return True
    return words >= min_words and bool(SENTENCE_END.search(text.rstrip()))


# --- blocks to Markdown ---------------------------------------------------------


def _word_count(blocks: list[Block]) -> int:
    return sum(patterns.word_count(b.text) for b in blocks if not (b.is_heading or b.links_only))


def _same_text(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return re.sub(r"\W+", " ", s.casefold()).strip()

    return key(a) == key(b)


def _drop_title_heading(blocks: list[Block], title: str) -> list[Block]:
    """Drop headings before the first paragraph: the page's title and kicker.

    Also drops a heading anywhere that repeats the title or its first three
    words or more (a recipe card named "Easy oat flapjacks" in a post titled
    "Easy oat flapjacks (one bowl)"), which the listener hears once already,
    and the title where it opens the body as a paragraph
    (a title ending in a full stop reads as one, see ``looks_like_heading``),
    alone or run into a short line (``_title_run_on``).
    A heading before the first paragraph as long as a sentence is a standfirst
    set as a subtitle: it is kept, as a paragraph.
    """
    kept: list[Block] = []
    seen_paragraph = False
    title_level = 7  # the rank of the title heading, once it has been met
    for block in blocks:
        is_title = _same_text(block.text, title)
        if (is_title or _opens(block.text, title)) and block.is_heading:
            title_level = min(title_level, block.level) if is_title else title_level
            continue
        if (is_title or _title_run_on(block.text, title)) and not seen_paragraph:
            continue
        if block.is_heading and not seen_paragraph:
            if len(block.text.split()) >= LEDE_MIN_WORDS:
                block = replace(block, level=0)  # a standfirst set as a subtitle
            elif not _opens_the_body(block, title_level):
                continue
        seen_paragraph = seen_paragraph or not block.is_heading
        kept.append(block)
    return kept


def _opens_the_body(heading: Block, title_level: int) -> bool:
    """Whether a heading between the title and the first paragraph is the body's first subheading.

    Under the title's own heading, a heading of lower rank ("Background"
    under the ``<h1>``) heads the body; a date or a byline set as one does not.
    Above the title, or with no title heading, it is a kicker.

    >>> _opens_the_body(Block("Background", 2), 1), _opens_the_body(Block("Politics", 2), 7)
    (True, False)
    >>> _opens_the_body(Block("April 9, 2025", 4), 1), _opens_the_body(Block("By Ana Roe", 3), 1)
    (False, False)
    """
    return (
        heading.level > title_level
        and not patterns.is_metadata_line(heading.text)
        and patterns.parse_byline(heading.text) is None
    )


def _title_run_on(text: str, title: str) -> bool:
    """Whether a paragraph is the title run into a line of its own: a byline, a date.

    A page laid out without headings puts the title and the line under it in
    one paragraph, a ``<br>`` apart; fewer than ``LEDE_MIN_WORDS`` words after
    the title are not a lede.

    >>> _title_run_on("The Tollbridge at Sawley by G. H. Pell, revised 2004", "The Tollbridge at Sawley")
    True
    >>> _title_run_on("Tollbridge at Sawley: the tolls were not small, and drovers went round.", "Tollbridge")
    False
    """
    key, want = _key(text), _key(title)
    if patterns.word_count(want) < TITLE_MIN_WORDS or not f"{key} ".startswith(f"{want} "):
        return False
    return patterns.word_count(key) - patterns.word_count(want) < LEDE_MIN_WORDS


def _opens(heading: str, title: str) -> bool:
    """Whether a heading is the title shortened: its first three words or more.

    >>> _opens("Easy oat flapjacks", "Easy oat flapjacks (one bowl)")
    True
    >>> _opens("What I counted", "I walked to work. Here is what I counted."), _opens("Oat", "Oat")
    (False, False)
    """
    key = _key(heading)
    return len(key.split()) >= TITLE_MIN_WORDS and f"{_key(title)} ".startswith(f"{key} ")


def _drop_empty_sections(blocks: list[Block]) -> list[Block]:
    """Drop headings with no paragraph under them: a list's label with the list gone.

    A heading is empty when the next block is a heading of its rank or above,
    or there is none. A part's title over a chapter's (``## Part two`` then
    ``### A penny a week``) heads the chapter's paragraphs too and stays.

    >>> [b.text for b in _drop_empty_sections(
    ...     [Block("Part", 2), Block("Chapter", 3), Block("Text."), Block("Most read", 2)])]
    ['Part', 'Chapter', 'Text.']
    """
    kept: list[Block] = []
    # Read from the end: the highest rank of the headings met since the last
    # paragraph (7 when none), and whether any paragraph is still to come.
    barrier, text_follows = 7, False
    for block in reversed(blocks):
        if not block.is_heading:
            barrier, text_follows = 7, True
        elif text_follows and block.level < barrier:
            barrier = block.level
        else:
            barrier = min(barrier, block.level)
            continue
        kept.append(block)
    return kept[::-1]


def escape_markdown(text: str) -> str:
    """Escape what CommonMark would read as markup, so that text stays text.

    >>> escape_markdown("1. Use *stars* & <tags>")
    '1\\\\. Use \\\\*stars\\\\* \\\\& \\\\<tags\\\\>'
    >>> escape_markdown("# not a heading")
    '\\\\# not a heading'
    """
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    match = MARKDOWN_LINE_START.match(text)
    if match:
        end = match.end() - 1
        text = f"{text[:end]}\\{text[end:]}"
    return text


def render_markdown(blocks: Sequence[Block]) -> str:
    """Join blocks into Markdown: ``## `` headings, ``- `` list items, blank lines between.

    >>> render_markdown([Block("Intro."), Block("Part 2", 2), Block("Saw", list_item=True)])
    'Intro.\\n\\n## Part 2\\n\\n- Saw\\n'
    """
    lines = [
        f"{'## ' if b.is_heading else '- ' if b.list_item else ''}{escape_markdown(b.text)}"
        for b in blocks
    ]
    return "\n\n".join(lines) + "\n"


# --- metadata -----------------------------------------------------------------------


def declared_language(tree: lxml.html.HtmlElement) -> str | None:
    """The language the page declares: ``<html lang>``, then ``<meta>`` tags.

    >>> declared_language(lxml.html.fromstring('<html lang="de-AT"><p>x</p></html>'))
    'de'
    """
    candidates: list[str] = [tree.get("lang") or "", tree.get("xml:lang") or ""]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("name") or meta.get("property") or "").lower()
        if key in ("content-language", "language", "dc.language", "og:locale"):
            candidates.append(meta.get("content") or "")
    for value in candidates:
        code = normalize_language(value)
        if code:
            return code
    return None


def normalize_language(value: str) -> str | None:
    """A short language code from a tag such as ``en-US``, ``en_GB`` or ``DE``.

    >>> [normalize_language(v) for v in ("en-US", "en_GB", "DE", "fil", "", "english")]
    ['en', 'en', 'de', 'fil', None, None]
    """
    match = LANGUAGE_CODE.match(value.strip().lower())
    return match.group(1) if match else None


def identify_language(text: str) -> str | None:
    """Guess the language of ``text``; None when it is too short to tell."""
    if len(text.split()) < MIN_WORDS_TO_IDENTIFY_LANGUAGE:
        return None
    import py3langid  # type: ignore[import-untyped]  # loads its model: only when needed

    code, _score = py3langid.classify(text)
    return normalize_language(str(code))


def normalize_author(value: str | None) -> str | None:
    """Tidy an author line: one of each name, no leading "By".

    >>> normalize_author("Jane Roe; JANE ROE; John Doe")
    'Jane Roe, John Doe'
    >>> normalize_author("By Ana Lopez") , normalize_author("  ")
    ('Ana Lopez', None)
    """
    if not value:
        return None
    names: list[str] = []
    for part in re.split(r"\s*[;|]\s*", value):
        name = re.sub(r"^by\s+", "", part.strip(), flags=re.IGNORECASE)
        if name and not any(n.casefold() == name.casefold() for n in names):
            names.append(name)
    return ", ".join(names) or None


def parse_date(value: str | None) -> datetime | None:
    """Read the date htmldate found (ISO 8601, with or without time and zone).

    >>> parse_date("2019-04-28T06:01:07+0100").isoformat()
    '2019-04-28T06:01:07+01:00'
    >>> parse_date("2015-07-24").isoformat(), parse_date("July 2015")
    ('2015-07-24T00:00:00', None)
    """
    if not value:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def extract_fragment(html: str, url: str | None = None) -> str:
    """The Markdown of an article body given alone (a feed entry's content), not a whole page.

    Nothing is searched for: the fragment is the article. Unspoken elements
    (captions, scripts, hidden text) are dropped as on pages.

    >>> extract_fragment("<p>One <b>two</b>.</p><figure><figcaption>A cap</figcaption></figure><h3>Next</h3><p>Three.</p>")
    'One two.\\n\\n## Next\\n\\nThree.\\n'
    """
    tree = _load(f"<html><body><article>{html}</article></body></html>", url or "the entry")
    listed = mark_content_lists(html_blocks(tree))
    blocks = _drop_empty_sections([b for b in listed if b.is_heading or not b.links_only])
    if not any(not b.is_heading for b in blocks):
        raise NothingToSpeak(f"no article text found in {url or 'the entry'}")
    return render_markdown(blocks)
