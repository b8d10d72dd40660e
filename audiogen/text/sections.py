"""Split cleaned blocks into an episode title and sections of sentences.

The first heading is the episode title; each later heading starts a new
section (a chapter). Paragraphs before the first subheading form an opening
section named after the article. A body with no subheadings is one section.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import pysbd
from pysbd.languages import Language  # type: ignore[import-untyped]

from audiogen import languages
from audiogen.errors import NothingToSpeak
from audiogen.models import Article, Block, Draft, Section
from audiogen.text.normalize import has_words

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


# Languages in Latin script whose pysbd rules end a sentence at "word. Capital" as
# English does; only these get the fast pre-split, others go to pysbd whole.
_FAST_LANGUAGES = frozenset(["en", "de", "fr", "es", "it", "nl", "da", "pl", "sk"])

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
# A cheap boundary candidate: a plain word (or, glued to the next word, a number),
# a terminator or an ellipsis, maybe a closing quote (after a space too: ``right. "``),
# then a capitalized word, maybe after an opening quote or bracket.
_CANDIDATE = re.compile(
    rf"(?<![\w.@'’&$€£-])(?P<word>[^\W\d_]{{2,}}|\d{{1,3}}(?:,\d{{3}})+|\d+)"
    rf"(?:(?P<stop>\.\.\.|[.!?])(?P<quote>[\"”’']|\s[\"”](?=\s))?\s+(?=[\"“(]?[{_UPPER}][{_LOWER}])"
    rf"|(?P<glued>[.!?])(?=[{_UPPER}][{_LOWER}]{{2}}))"
)
# Anything inside a piece that pysbd might treat as a boundary or a list marker, the
# full stops of other scripts included (Devanagari's danda, Arabic, Urdu, Armenian,
# Amharic and Burmese marks), or a Hindi paragraph would be spoken as one sentence.
_SPECIAL = re.compile(r"[.!?…•⁃\n\r。！？।॥؟۔։።။]|(?:^|(?<=\s))\S{1,4}[)\]]")
_END = re.compile(r"[.!?…]+(?:\s?[\"”’')\]])*\s*$")
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[]))['‘](?=\w)")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)\]]|$)")
# Pieces handed to pysbd are kept short: its cost grows faster than the length.
_MAX_PYSBD = 1000
_MAX_OPEN = 1000


@lru_cache(maxsize=32)
def _abbreviations(language: str) -> frozenset[str]:
    """pysbd's own abbreviation list for ``language`` (lower case, no period)."""
    lang = language if language in PYSBD_LANGUAGES else "en"
    table = Language.get_language_code(lang).Abbreviation
    return frozenset(a.lower() for a in table.ABBREVIATIONS)


def _balanced(piece: str) -> bool:
    """Whether ``piece`` closes every quote and bracket it opens (so a cut after it is
    not inside a quotation or a parenthesis)."""
    if piece.count('"') % 2 or piece.count("“") != piece.count("”"):
        return False
    if piece.count("(") != piece.count(")") or piece.count("[") != piece.count("]"):
        return False
    if "'" in piece or "‘" in piece:
        return len(_SINGLE_OPEN.findall(piece)) <= len(_SINGLE_CLOSE.findall(piece))
    return True


def _cheap_pieces(text: str, language: str) -> list[str]:
    """Cut ``text`` at boundaries that need no context: "plain word. Capital", outside
    quotes and brackets, where the word is not one of pysbd's abbreviations.

    A quote or bracket left open for more than ``_MAX_OPEN`` characters is taken as
    a stray mark (a typo, a quote closed in another paragraph) rather than a
    quotation that long, so it stops holding back cuts.
    """
    pieces: list[str] = []
    start = 0
    for cut in _candidates(text, language):
        if cut - start > _MAX_OPEN or _balanced(text[start:cut]):
            pieces.append(text[start:cut])
            start = cut
    pieces.append(text[start:])
    return pieces


_MONTH_BEFORE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+$")


def _date_end(text: str, start: int) -> bool:
    """Whether the number at ``start`` ends a date ("on Jan. 16.", "in 2019."): a
    list item is never numbered like that."""
    number = text[start : start + 4]
    if number.isdigit() and number[:2] in ("19", "20"):
        return True
    return _MONTH_BEFORE.search(text, max(0, start - 12), start) is not None


def _number_ends(text: str, start: int, number: str, glued: bool) -> bool:
    """Whether a number before "." can end a sentence without context: glued to the
    next word ("1,000.That") if it has two digits or more, else at the end of a date
    or a web path ("on Jan. 9.", "in 2019.", "example.com/2141."). "Step 12. Mix" may
    be a list item, which pysbd is left to judge."""
    if glued:
        return len(number) >= 2
    return text[start - 1 : start] == "/" or _date_end(text, start)


def _candidates(text: str, language: str) -> Iterator[int]:
    """Offsets just after each cheap boundary (its terminator and closing quote)."""
    abbreviations = _abbreviations(language)
    for m in _CANDIDATE.finditer(text):
        word = m.group("word")
        if word[0].isdigit() and not _number_ends(text, m.start(), word, bool(m.group("glued"))):
            continue
        if word.lower() in abbreviations or (word.isupper() and len(word) <= 3):
            continue
        yield max(m.end("word"), m.end("stop"), m.end("quote"), m.end("glued"))


def _trie(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` with their common starts factored out, longer
    words tried first: the same matches as ``a|b|...`` sorted longest first, without
    trying hundreds of abbreviations one by one at every space of a 20 MB article.

    >>> _trie(["us", "uk", "u", "mr"])
    '(?:mr|u(?:k|s)?)'
    >>> re.fullmatch(_trie(["ab", "abc", "a"]) + "c", "abc") is not None
    True
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(tree) or "(?!)"


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [
        re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    ends_here = "" in node
    if len(branches) == 1 and not ends_here:
        return branches[0]
    # A word that ends here is tried after every longer one, as a longest-first list does.
    return f"(?:{'|'.join(branches)})" + ("?" if ends_here else "")


@lru_cache(maxsize=32)
def _not_boundaries(language: str) -> re.Pattern[str]:
    """Periods that pysbd never ends a sentence at, whatever the context: decimals,
    a period glued to the next word (``example.org``), a single capital initial, a
    title before a word ("Dr. Lind"), an abbreviation before a lower-case word or a
    number ("Jan. 5", "U.S. for"). A piece whose only periods are these is one
    sentence, and pysbd need not read it."""
    lang = language if language in PYSBD_LANGUAGES else "en"
    table = Language.get_language_code(lang).Abbreviation
    titles = _trie(a.lower() for a in table.PREPOSITIVE_ABBREVIATIONS)
    words = _trie(a.lower() for a in table.ABBREVIATIONS)
    return re.compile(
        r"(?<=\d)[.,](?=\d)|[.](?=[^\W_])|(?:^|(?<=\s))[A-Z]\.(?=,?\s)"
        rf"|(?:^|(?<=\s))(?i:{titles})\.(?=\s)"
        rf"|(?:^|(?<=\s))(?:(?i:{words})|(?:[A-Za-z]\.)+[A-Za-z])\.(?=\s+[a-z\d])"
    )


_INITIALISM_BEFORE_CAPITAL = re.compile(
    r"(?:^|(?<=\s))((?:[A-Za-z]\.)+[A-Za-z]\.)(?=\s+([A-Z]\w*))"
)
# pysbd ends a sentence after these before a capital ("at 6 p.m. He", "the U.S. It").
_INITIALISMS_THAT_END = frozenset(["a.m.", "p.m.", "A.M.", "P.M.", "i.v.", "I.V."])
_INITIALISMS_BEFORE_STARTERS = frozenset(["U.S.", "U.K.", "E.U.", "U.S.A."])


@lru_cache(maxsize=1)
def _sentence_starters() -> frozenset[str]:
    return frozenset(Language.get_language_code("en").AbbreviationReplacer.SENTENCE_STARTERS)


def _initialism_ends(m: re.Match[str]) -> str:
    """Drop an initialism before a capital that pysbd never takes as an end."""
    initialism, following = m.group(1), m.group(2)
    if initialism in _INITIALISMS_THAT_END:
        return m.group(0)
    if initialism.upper() in _INITIALISMS_BEFORE_STARTERS and following in _sentence_starters():
        return m.group(0)
    return ""


def _needs_pysbd(piece: str, language: str) -> bool:
    """Whether a piece may hold a boundary or list marker before its last character."""
    body = _END.sub("", piece)
    if _SPECIAL.search(body) is None:
        return False
    if language == "en":
        body = _INITIALISM_BEFORE_CAPITAL.sub(_initialism_ends, body)
    body = _not_boundaries(language).sub("", body)
    return _SPECIAL.search(body) is not None


def _pysbd_starts(text: str, language: str) -> list[int]:
    """Where pysbd starts each sentence of ``text`` after the first (offsets), reading
    at most about ``_MAX_PYSBD`` characters at a time, cut at cheap boundaries:
    pysbd's cost grows faster than the length."""
    starts: list[int] = []
    begin = 0
    ends = list(_candidates(text, language)) if len(text) > _MAX_PYSBD else []
    for cut in [*ends, len(text)]:
        if cut - begin >= _MAX_PYSBD or cut == len(text):
            starts += [begin + s for s in _pysbd(text[begin:cut], language)]
            if cut < len(text):
                starts.append(cut)
            begin = cut
    return starts


def _pysbd(text: str, language: str) -> list[int]:
    """Where pysbd starts each sentence of ``text`` after the first.

    ``Segmenter.segment`` finds each sentence again in the text with a regex compiled
    per sentence and run from the start, which is quadratic; the processor's
    sentences are found here with ``str.find`` from the last one instead. Text between
    two found sentences stays with the first, so nothing is dropped.
    """
    segmenter = _segmenter(language)
    sentences = segmenter.processor(text).process() if text.strip() else []
    if any(text.find(s) < 0 for s in sentences):
        sentences = segmenter.segment(text)  # the processor rewrote something: slow path
    starts: list[int] = []
    cursor = 0
    for sentence in sentences:
        found = text.find(sentence, cursor)
        if found < 0:
            continue
        starts.append(found)
        cursor = found + len(sentence)
    return [s for s in starts if s > 0]


def _split_hard(piece: str, language: str) -> list[str]:
    """pysbd's split of a piece, as slices of it (their whitespace kept)."""
    cuts = [0, *_pysbd_starts(piece, language), len(piece)]
    return [piece[a:b] for a, b in itertools.pairwise(cuts)]


# Quotation marks and brackets as (opening, closing) pairs. German opens with "»",
# so "»" ends a quotation only where one is open.
_PAIRS = ("“”", "‘’", "«»", "»«", "‹›", "「」", "『』", "（）", "()", "[]", "【】", "〈〉", "《》")
_CLOSING_MARKS = "".join(pair[1] for pair in _PAIRS) + '"'


def _left_open(sentence: str, mark: str) -> bool:
    """Whether ``mark`` would close a quotation or bracket ``sentence`` leaves open.

    >>> _left_open("“我们到了。", "”"), _left_open("Er rief: »Halt!", "«")
    (True, True)
    >>> _left_open("Sie sagte:", "»"), _left_open('He said "Go."', '"')
    (False, False)
    """
    if mark == '"':
        return sentence.count(mark) % 2 == 1
    return any(
        sentence.count(pair[0]) > sentence.count(pair[1]) for pair in _PAIRS if pair[1] == mark
    )


def _closing_marks_back(parts: list[str]) -> list[str]:
    """Give back to each sentence the closing quotes a cut left at the start of the
    next one: pysbd cuts Chinese after "。" even inside a quotation.

    >>> _closing_marks_back(["“我们到了。", "”她说。"])
    ['“我们到了。”', '她说。']
    >>> _closing_marks_back(['He said "Go."', ' "Then," he added.'])
    ['He said "Go."', ' "Then," he added.']
    """
    out = parts[:1]
    for part in parts[1:]:
        while part and part[0] in _CLOSING_MARKS and _left_open(out[-1], part[0]):
            out[-1] += part[0]
            part = part[1:]
        out.append(part)
    return out


def _merge_orphans(parts: list[str]) -> tuple[str, ...]:
    """Strip and return the sentences, joining a "sentence" of punctuation or symbols
    alone (a closing quote after a space, a stray dash) to the one before it, or to
    the next one if it comes first. ``parts`` are unstripped slices of the text, so
    a joined sentence keeps the spacing it was written with."""
    out: list[str] = []
    for part in parts:
        if not part.strip():
            if out:
                out[-1] += part
            continue
        if out and not (has_words(part) and has_words(out[-1])):
            out[-1] += part
        else:
            out.append(part)
    return tuple(s.strip() for s in out if s.strip())


def split_sentences(text: str, language: str = "en") -> tuple[str, ...]:
    """Split a paragraph into sentences, respecting abbreviations.

    Plain boundaries ("home. The") are cut with one regex; pysbd reads only the
    pieces that hold something harder (abbreviations, numbers, quotes, lists), which
    keeps a 20 MB article to seconds. A closing quote or other punctuation that
    pysbd leaves alone is joined to its sentence.

    >>> split_sentences("Mr. Smith met U.S. officials at 3 p.m. on Jan. 5. They agreed.")
    ('Mr. Smith met U.S. officials at 3 p.m. on Jan. 5.', 'They agreed.')
    >>> split_sentences('He said to turn left or right. "')
    ('He said to turn left or right. "',)
    >>> split_sentences("The bus was late.Nobody minded. ...")
    ('The bus was late.', 'Nobody minded. ...')
    >>> split_sentences("मेला खुल गया। लोग आए।", "hi")
    ('मेला खुल गया।', 'लोग आए।')
    """
    language = languages.primary(language)
    if language in _FAST_LANGUAGES or language not in PYSBD_LANGUAGES:
        pieces = _cheap_pieces(text, language)
    else:
        pieces = [text]
    parts: list[str] = []
    for piece in pieces:
        parts += _split_hard(piece, language) if _needs_pysbd(piece, language) else [piece]
    return _merge_orphans(_closing_marks_back(parts))


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
