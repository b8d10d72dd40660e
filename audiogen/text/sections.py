"""Split cleaned blocks into an episode title and sections of sentences.

The first heading is the episode title; each later heading starts a new
section (a chapter). Paragraphs before the first subheading form an opening
section named after the article. A body with no subheadings is one section.
"""

from __future__ import annotations

from functools import lru_cache

import pysbd

from audiogen import languages
from audiogen.errors import NothingToSpeak
from audiogen.models import Article, Block, Draft, Section

# Languages pysbd has rules for; others are split with the English rules,
# which still respect sentence punctuation.
PYSBD_LANGUAGES = frozenset(
    [
        "en",
        "hi",
        "mr",
        "zh",
        "es",
        "am",
        "ar",
        "hy",
        "bg",
        "ur",
        "ru",
        "pl",
        "fa",
        "nl",
        "da",
        "fr",
        "my",
        "el",
        "it",
        "ja",
        "de",
        "kk",
        "sk",
    ]
)


@lru_cache(maxsize=8)
def _segmenter(language: str) -> pysbd.Segmenter:
    lang = language if language in PYSBD_LANGUAGES else "en"
    return pysbd.Segmenter(language=lang, clean=False)


def split_sentences(text: str, language: str = "en") -> tuple[str, ...]:
    """Split a paragraph into sentences, respecting abbreviations.

    >>> split_sentences("Mr. Smith met U.S. officials at 3 p.m. on Jan. 5. They agreed.")
    ('Mr. Smith met U.S. officials at 3 p.m. on Jan. 5.', 'They agreed.')
    """
    parts = _segmenter(languages.primary(language)).segment(text)
    return tuple(s for s in (p.strip() for p in parts) if s)


def split_sections(
    blocks: tuple[Block, ...], *, fallback_title: str, language: str = "en"
) -> tuple[str, tuple[Section, ...]]:
    """Return the episode title and its sections.

    ``fallback_title`` names an article that has no heading at all (e.g. the
    file name, or metadata from a web page).
    """
    blocks = tuple(blocks)
    title = fallback_title
    first_heading = next((i for i, b in enumerate(blocks) if b.is_heading), None)
    if first_heading is not None and not any(not b.is_heading for b in blocks[:first_heading]):
        title = blocks[first_heading].text
        blocks = blocks[first_heading + 1 :]
    title = title.strip() or "Untitled"

    groups: list[tuple[str, list[str]]] = [(title, [])]
    pending_heading: str | None = None
    for block in blocks:
        if block.is_heading:
            # A heading directly over another (a part title over a chapter title)
            # is kept by joining it to the next one rather than dropped.
            pending_heading = (
                block.text if pending_heading is None else f"{pending_heading}: {block.text}"
            )
            continue
        if pending_heading is not None:
            groups.append((pending_heading, []))
            pending_heading = None
        groups[-1][1].append(block.text)
    if pending_heading is not None and groups[-1][1]:
        # A trailing heading with nothing under it is still words of the article.
        groups[-1][1].append(pending_heading)

    sections: list[Section] = []
    for section_title, paragraphs in groups:
        split = tuple(split_sentences(p, language) for p in paragraphs)
        split = tuple(p for p in split if p)
        if split:
            sections.append(Section.of(len(sections), section_title, split))
    if not sections:
        raise NothingToSpeak("nothing to speak: no article text is left after cleaning")
    return title, tuple(sections)


def split_article(draft: Draft, language: str | None = None) -> Article:
    """The split stage: a cleaned draft as an article of titled sections of sentences.

    ``language`` is the user's choice; without it, what the draft declares or
    was detected, else English.
    """
    lang = language or draft.language or "en"
    title, sections = split_sections(draft.blocks, fallback_title=draft.title, language=lang)
    document = draft.document
    return Article(
        title=title,
        sections=sections,
        language=lang,
        author=draft.author,
        published=draft.published,
        source=document.source,
        url=document.url,
        key=document.key or document.url or title,
        digest=document.digest,
        categories=document.categories,
        image=document.image,
    )
