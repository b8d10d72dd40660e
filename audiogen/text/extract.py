"""Find the article in a web page: its body as Markdown, and its metadata.

Two libraries made for this do the finding; this module only chooses between
them and writes what they found as Markdown:

- readability-lxml (a Python port of Readability, the algorithm behind
  Firefox's reader view) picks the article body. On the project's corpus of
  real pages (``bench/corpus.py``) it lost and added the fewest words. One
  flaw of its port is mended here (``SiblingAwareDocument``): it lost lead
  paragraphs that open with a link or an emphasis.
- trafilatura reads the metadata (title, author, date, site name) and stands in
  for the body when readability finds much less text than it does, which is how
  readability fails when it picks the wrong part of a page.

The Markdown holds the article's paragraphs separated by blank lines and its
subheadings as ``## `` lines, nothing else: figures and their captions, code
listings, forms, buttons, navigation and hidden elements are left out, since
none of them reads well aloud.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]
import trafilatura
from readability.readability import Document, Unparseable  # type: ignore[import-untyped]
from trafilatura.settings import Document as Metadata
from trafilatura.settings import set_date_params

from audiogen.errors import NothingToSpeak


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

# Sites mark up a standfirst or a lead paragraph as <h2>; real headings are short.
MAX_HEADING_WORDS = 15

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Elements that are not prose a listener wants: pictures and their captions,
# code listings, widgets and page furniture.
UNSPOKEN_TAGS = frozenset(
    """
    script style noscript template head title meta link figure figcaption picture img svg
    video audio iframe object embed canvas map pre button form input select option textarea
    label nav aside footer dialog
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
UNSPOKEN_ROLES = frozenset({"navigation", "complementary", "dialog", "alertdialog", "button"})
# Class names of captions and photo credits that sit outside <figure>
# ("wp-caption-text", "media-caption__text", "image-credit"), unless a prefix
# says the opposite ("no_caption", "has-caption" mark the prose around a figure).
CAPTION_CLASS_WORDS = frozenset({"caption", "captions", "credit", "credits"})
NOT_CAPTION_PREFIXES = frozenset({"no", "has", "with", "without", "not"})
# Class words of page furniture that readability keeps when it sits inside the
# article's container (a newsletter box between two paragraphs, share buttons),
# with the same exception for prefixes.
FURNITURE_CLASS_WORDS = frozenset(
    """
    newsletter newsletters subscribe subscription signup paywall cookie cookies consent
    share sharing social related comments promo advert advertisement ad ads
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
# Class names of text hidden from sighted readers (only a screen reader says it).
# Not "hidden-xs" and the like: those hide text on some screens only.
HIDDEN_CLASSES = frozenset(
    """
    hidden is-hidden u-hidden visually-hidden visuallyhidden sr-only screen-reader-text
    screen-reader-only element-invisible
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Elements that start a new paragraph; everything else flows inside one.
BLOCK_TAGS = HEADING_TAGS | frozenset(
    """
    address article blockquote body dd details div dl dt fieldset header hgroup html li
    main ol p section summary table tbody td tfoot th thead tr ul
    """.split()  # noqa: SIM905 (a word table reads better as words)
)

# Characters CommonMark could read as markup; escaped so the text stays text.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&])")
# A paragraph starting like a heading, quote, list item or rule.
MARKDOWN_LINE_START = re.compile(r"^(#|>|[-+=]|\d+[.)])")
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
    title = meta.title or _readability_title(html) or ""

    fallback = _trafilatura_blocks(tree)
    blocks = _readability_blocks(html)
    fallback_words = _word_count(fallback)
    if (
        fallback_words >= MIN_FALLBACK_WORDS
        and _word_count(blocks) < MIN_SHARE_OF_FALLBACK * fallback_words
    ):
        blocks = fallback
    blocks = _drop_title_heading(blocks, title)
    blocks = _drop_empty_sections(blocks)
    if not any(not heading for heading, _ in blocks):
        raise NothingToSpeak(
            f"no article text found in {where}: it may need JavaScript to show its text, "
            "or hold only links; save the article as text or HTML and pass the file"
        )

    markdown = render_markdown(blocks)
    language = declared_language(tree) or identify_language(" ".join(text for _, text in blocks))
    return ExtractedPage(
        title=title,
        author=normalize_author(meta.author),
        published=parse_date(meta.date),
        language=language,
        site_name=meta.sitename or None,
        markdown=markdown,
    )


# --- the libraries ------------------------------------------------------------------

# A block of the article: (is_heading, text).
Block = tuple[bool, str]


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
    return _clean_inline(str(title)) or None


def _readability_blocks(html: str) -> list[Block]:
    # Readability fails on some malformed pages in its own ways; the other
    # extractor then has the page to itself.
    try:
        summary = SiblingAwareDocument(html).summary()
        if not isinstance(summary, str) or not summary.strip():
            return []
        return html_blocks(lxml.html.document_fromstring(summary))
    except (Unparseable, ValueError, lxml.etree.LxmlError):
        return []


# A sentence ends inside a short paragraph: "Short and true." or "What now? Look:".
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?:\s|$)")
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
            if not kept[i] and siblings[i].tag in HEADING_TAGS and kept[i + 1]:
                kept[i] = True
        for sibling, keep in zip(siblings, kept, strict=True):
            # Re-appending in page order puts the restored ones where they stood;
            # siblings the library moved inside the main block stay there.
            if keep and sibling.getparent() in (root, parent):
                root.append(sibling)
        return output

    def is_sibling_prose(self, element: lxml.html.HtmlElement) -> bool:
        """Readability's sibling test on the element's whole text.

        A ``<p>`` or ``<blockquote>`` of more than 80 characters with under a
        quarter of them in links, or a shorter one with no link that holds a
        sentence end (``"We have nothing to fear."``, ``"What now? Look:"``).
        Never ``"Advertisement"`` or ``"Share this article"`` (no sentence),
        nor an unspoken element (see ``is_unspoken``).
        """
        if element.tag not in SIBLING_TAGS or is_unspoken(element):
            return False
        text = " ".join(element.text_content().split())
        density = float(self.get_link_density(element))
        if len(text) > SIBLING_MIN_CHARS:
            return density < SIBLING_MAX_LINK_DENSITY
        return bool(text) and density == 0 and bool(SENTENCE_END.search(text))


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
    return html_blocks(lxml.html.fromstring(body))


def _copy(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return copy.deepcopy(tree)


# --- HTML to blocks to Markdown -----------------------------------------------------


def html_blocks(root: lxml.html.HtmlElement) -> list[Block]:
    """Flatten an article's HTML into headings and paragraphs of plain text.

    Unspoken elements (see ``is_unspoken``) are dropped with everything inside
    them. ``<br>`` becomes a space, and two in a row (with only white space
    between) end a paragraph, as on pages laid out without ``<p>``; list
    items, table cells and quotes become paragraphs of their own. Heading markup around a sentence (see
    ``looks_like_heading``) becomes a paragraph. A paragraph that is nothing but
    links ("Read the full transcript", "Related: ...") points elsewhere and is
    dropped; a link inside a sentence is read as text.

    >>> html_blocks(lxml.html.fromstring(
    ...     "<div><h2>Why</h2><p>It <b>is</b><br>so.</p><figure>x</figure></div>"))
    [(True, 'Why'), (False, 'It is so.')]
    >>> html_blocks(lxml.html.fromstring(
    ...     "<div><p><a href=x>More</a></p><p>See <a href=y>this</a>.</p></div>"))
    [(False, 'See this.')]
    >>> html_blocks(lxml.html.fromstring("<td>One<br>line.<br><br>Two.</td>"))
    [(False, 'One line.'), (False, 'Two.')]
    """
    blocks: list[Block] = []
    pending: list[tuple[str, bool]] = []  # (text, inside a link)

    def flush() -> None:
        text = _clean_inline("".join(t for t, _ in pending).replace(BR, " "))
        unlinked = "".join(t for t, in_link in pending if not in_link)
        pending.clear()
        if text and any(c.isalnum() for c in unlinked):
            blocks.append((False, text))

    def walk(element: lxml.html.HtmlElement, in_link: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and is_unspoken(element):
            pending.append((" ", in_link))
        elif tag in HEADING_TAGS:
            flush()
            text = _clean_inline(_spoken_text(element))
            if text:
                blocks.append((looks_like_heading(text), text))
        elif tag in BLOCK_TAGS:
            flush()
            pending.append((element.text or "", in_link))
            for child in element:
                walk(child, in_link)
            flush()
        elif tag == "br":
            if _after_break(pending):
                flush()
            pending.append((BR, in_link))
        elif tag:
            in_link = in_link or tag == "a"
            pending.append((element.text or "", in_link))
            for child in element:
                walk(child, in_link)
        # The tail belongs to the parent's flow, even after a dropped element.
        pending.append((element.tail or "", in_link and tag != "a"))

    walk(root, False)
    flush()
    return blocks


# Stands for a <br> in a paragraph being collected (a private-use character).
BR = "\ue000"


def _after_break(pending: list[tuple[str, bool]]) -> bool:
    """Whether the paragraph collected so far ends in a <br> and white space."""
    for text, _ in reversed(pending):
        if text == BR:
            return True
        if text.strip():
            return False
    return False


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


def is_unspoken(element: lxml.html.HtmlElement) -> bool:
    """Whether an element holds something other than article prose.

    True for figures, captions, code listings, widgets and page furniture
    (by tag or ARIA role), for caption, photo-credit, pull-quote and furniture
    classes such as ``wp-caption-text``, ``image-credit``, ``pull-quote`` or
    ``newsletter-box``, and for hidden elements (the
    ``hidden`` attribute, ``aria-hidden="true"``, ``display: none``, or classes
    such as ``visually-hidden`` and ``sr-only``). A ``<p class="lead">`` is spoken.
    """
    if element.tag in UNSPOKEN_TAGS:
        return True
    attrib = element.attrib
    if "hidden" in attrib or attrib.get("aria-hidden", "").lower() == "true":
        return True
    if attrib.get("role", "").lower() in UNSPOKEN_ROLES:
        return True
    if HIDDEN_STYLE.search(attrib.get("style", "")):
        return True
    return any(_is_unspoken_class(name) for name in attrib.get("class", "").lower().split())


def _is_unspoken_class(name: str) -> bool:
    if name in HIDDEN_CLASSES:
        return True
    words = [w for w in re.split(r"[-_]+", name) if w]
    if not words or words[0] in NOT_CAPTION_PREFIXES:
        return False
    # A pull quote repeats a line of the article in large type ("pullquote",
    # "c-pull-quote", "wp-block-pullquote").
    if PULL_QUOTE in "".join(words):
        return True
    return any(w in CAPTION_CLASS_WORDS or w in FURNITURE_CLASS_WORDS for w in words)


PULL_QUOTE = "pullquote"


def _spoken_text(element: lxml.html.HtmlElement) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not is_unspoken(child):
            parts.append(" " if child.tag == "br" else _spoken_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _clean_inline(text: str) -> str:
    return " ".join(text.translate(INVISIBLE_CHARS).split())


def _word_count(blocks: list[Block]) -> int:
    return sum(len(text.split()) for heading, text in blocks if not heading)


def _same_text(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return re.sub(r"\W+", " ", s.casefold()).strip()

    return key(a) == key(b)


def _drop_title_heading(blocks: list[Block], title: str) -> list[Block]:
    """Drop headings before the first paragraph: the page's title and kicker.

    Also drops a heading anywhere that repeats the title, which the listener
    hears once already.
    """
    kept: list[Block] = []
    seen_paragraph = False
    for heading, text in blocks:
        if heading and (not seen_paragraph or _same_text(text, title)):
            continue
        seen_paragraph = seen_paragraph or not heading
        kept.append((heading, text))
    return kept


def _drop_empty_sections(blocks: list[Block]) -> list[Block]:
    """Drop headings with no paragraph after them before the next heading or the end."""
    kept: list[Block] = []
    for i, (heading, text) in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if heading and (nxt is None or nxt[0]):
            continue
        kept.append((heading, text))
    return kept


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


def render_markdown(blocks: list[Block]) -> str:
    """Join blocks into Markdown: ``## `` headings, blank lines between blocks.

    >>> render_markdown([(False, "Intro."), (True, "Part 2"), (False, "More.")])
    'Intro.\\n\\n## Part 2\\n\\nMore.\\n'
    """
    lines = [
        f"## {escape_markdown(text)}" if heading else escape_markdown(text)
        for heading, text in blocks
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
    blocks = _drop_empty_sections(html_blocks(tree))
    if not any(not heading for heading, _ in blocks):
        raise NothingToSpeak(f"no article text found in {url or 'the entry'}")
    return render_markdown(blocks)
