"""Quoted speech and the narration around it: which words a second voice reads.

Each written sentence of a paragraph comes back as its parts, in order, each said
by the narrator (``NARRATOR``) or in the quotation voice (``QUOTE``):

>>> for part in split_paragraph(('Kirby said, "We will talk."', 'Talks begin today.'))[0]:
...     print(part.speaker, '|', part.text, '|', part.bare)
narrator | Kirby said, | Kirby said,
quote | "We will talk." | We will talk.

The rules, decided here (marks are listed in ``data/quotes.toml``):

- Marks: straight "..." and '...', curly “...” and ‘...’, „...“ and guillemets
  « ... ». A straight mark faces the way its neighbours say: it opens after a
  space, a bracket, a dash or the start, before a non-space; it closes after a
  non-space, before a space, punctuation or the end.
- Apostrophes are not quotation marks: a single mark between letters (didn't,
  O’Brien), before a digit (the '90s) or after a word with no opening mark before
  it (Jones' car) neither opens nor closes. Inside a single-quoted quotation a
  possessive s’ before a lowercase word (the Joneses’ car) closes it only when no
  later mark can.
- A nested quotation belongs to the outer one: the voice changes only at the
  outermost marks.
- A quotation may run across sentences. One still open at a paragraph's end runs
  to that end when the next paragraph opens with a mark of the same kind (the
  newspaper convention for a quotation over several paragraphs); otherwise its
  opening mark is a stray and the narrator reads on.
- Scare quotes: a quotation of at most ``scare_words`` (three) words inside one
  sentence (so-called "experts", the magazine "The New American") stays the
  narrator's, unless it is said like speech (see ``is_utterance``).
- Titles: a quotation inside one sentence whose words are capitalized as a title's
  (the book “A Paradise Built in Hell”) stays the narrator's (see ``is_title``).
- Written and spoken form: a part's ``text`` is a slice of the sentence with its
  marks and punctuation, for transcripts. Punctuation stays with the part it is
  in; brackets right around a quotation and punctuation right after its closing
  mark go with the quotation; a part with no letter or digit joins its neighbour.
  ``bare`` is the same without the quotation's own outer marks, for the engine:
  the voice already says where the quotation is, and marks are not spoken.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from audiogen import languages
from audiogen.models import NARRATOR, QUOTE, Article, Sentence

# Marks that face one way only; the straight ones and ‘ (also typed, wrongly, for
# the apostrophe of ‘90s) are told by their neighbours.
ALWAYS_OPENS = frozenset("“„«")
ALWAYS_CLOSES = frozenset("”»“")
SINGLE = frozenset("'‘’")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class Part:
    """A run of a sentence said by one speaker."""

    text: str  # as written: a slice of the sentence, its quotation marks kept
    speaker: str  # NARRATOR or QUOTE
    bare: str  # ``text`` without the quotation's own marks: what the engine says


@dataclass(frozen=True)
class _Span:
    """A quotation in a paragraph's text: ``start`` to ``end`` (exclusive)."""

    start: int
    end: int
    marks: tuple[int, ...]  # where its own opening and closing marks are
    opener: str  # the kind of quotation: its opening mark (“, ", «, ...)
    runs_on: bool = False  # left open: it goes on in the next paragraph
    continued: bool = False  # it began in the paragraph before


@functools.cache
def _table() -> Mapping[str, Any]:
    data = resources.files("audiogen.text").joinpath("data", "quotes.toml")
    return tomllib.loads(data.read_text(encoding="utf-8"))


def _pairs() -> Mapping[str, str]:
    pairs: Mapping[str, str] = _table()["pairs"]
    return pairs


def _rule(name: str) -> Any:
    return _table()["rules"][name]


@functools.cache
def _all_marks() -> frozenset[str]:
    return frozenset("".join(_pairs()) + "".join(_pairs().values()))


def _around(text: str, i: int) -> tuple[str, str]:
    """The characters before and after ``text[i]``, a space past either end."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before, after


def opens_at(text: str, i: int) -> bool:
    """Whether the character at ``i`` is a mark opening a quotation.

    >>> opens_at('He said "yes"', 8)
    True
    >>> opens_at('a 12" screen', 4)
    False
    >>> opens_at("the '90s", 4), opens_at("the ‘90s", 4)
    (False, False)
    >>> opens_at("didn't", 3), opens_at("Jones' car", 5)
    (False, False)
    >>> opens_at("‘Yes,’ she said", 0), opens_at("(“Yes”)", 1), opens_at("« Oui »", 0)
    (True, True, True)
    >>> opens_at('a " b', 2)
    False
    """
    mark = text[i]
    if mark not in _pairs():
        return False
    if mark in ALWAYS_OPENS:
        return True
    before, after = _around(text, i)
    placed = before.isspace() or before in _rule("before_opening") or before in _all_marks()
    if mark in SINGLE:
        return placed and after.isalpha()
    return placed and not after.isspace()


def closes_at(text: str, i: int, opener: str) -> bool:
    """Whether the character at ``i`` closes a quotation opened with ``opener``.

    >>> closes_at('"Yes," she said', 5, '"'), closes_at('"Yes"', 4, '"')
    (True, True)
    >>> closes_at('"a "b', 3, '"')
    False
    >>> closes_at("‘I didn’t’", 7, "‘"), closes_at("‘I didn’t’", 9, "‘")
    (False, True)
    >>> closes_at("« Oui »", 6, "«"), closes_at("„Ja“", 3, "„"), closes_at("“Yes“", 4, "“")
    (True, True, False)
    """
    mark = text[i]
    if mark not in _pairs()[opener]:
        return False
    if mark in ALWAYS_CLOSES:
        return True
    before, after = _around(text, i)
    return not before.isspace() and not after.isalnum()


def is_possessive(text: str, i: int) -> bool:
    """Whether the single mark at ``i`` reads as a plural's possessive: the Joneses’ car.

    >>> is_possessive("the Joneses’ car", 11), is_possessive("said the Joneses’", 16)
    (True, False)
    >>> is_possessive("‘Yes,’ she said", 5)
    False
    """
    return text[i - 1 : i] == "s" and text[i + 1 : i + 2] == " " and text[i + 2 : i + 3].islower()


def find_closing(text: str, start: int, opener: str) -> int | None:
    """Where the quotation opened at ``start`` closes, or None; nested ones are skipped.

    >>> text = '"He said "no" to me," she said.'
    >>> find_closing(text, 0, '"'), text[find_closing(text, 0, '"') or 0 :]
    (20, '" she said.')
    >>> find_closing("‘I saw the Joneses’ car,’ he said.", 0, "‘")
    24
    >>> find_closing("‘Thanks, Jones’ he said.", 0, "‘")
    14
    >>> find_closing('"Never closed', 0, '"') is None
    True
    """
    depth = 0
    possessive: int | None = None
    for j in range(start + 1, len(text)):
        if closes_at(text, j, opener):
            if depth:
                depth -= 1
            elif opener in SINGLE and is_possessive(text, j):
                possessive = j if possessive is None else possessive
            else:
                return j
        elif text[j] == opener and opens_at(text, j):
            depth += 1
    return possessive


def continues(paragraph: str, opener: str) -> bool:
    """Whether ``paragraph`` opens by going on with a quotation opened with ``opener``.

    >>> continues('"And we will stay," he said.', '"'), continues("» Et puis", "«")
    (True, True)
    >>> continues("He left.", '"'), continues("‘Yes.’", '"')
    (False, False)
    """
    head = paragraph.lstrip()[:1]
    return bool(head) and head in _table()["continues"][opener]


def quotation_spans(text: str, carried: str | None, next_paragraph: str) -> list[_Span]:
    """The quotations in one paragraph's text, outermost only.

    ``carried`` is the opening mark of a quotation running on from the paragraph
    before (its first mark then goes on with it), ``next_paragraph`` the text of
    the one after (an unclosed quotation runs on when it opens with a mark).

    >>> [(s.start, s.end) for s in quotation_spans('A "b" c "d e" f', None, "")]
    [(2, 5), (8, 13)]
    >>> [(s.start, s.end, s.runs_on) for s in quotation_spans('A "b c', None, '"D."')]
    [(2, 6, True)]
    >>> quotation_spans('A "b c', None, "D.")
    []
    >>> [(s.start, s.end) for s in quotation_spans("» Oui. » Non.", "«", "")]
    [(0, 8)]
    """
    spans: list[_Span] = []
    i = 0
    while i < len(text):
        opener = _opener_at(text, i, carried)
        if opener is None:
            i += 1
            continue
        close = find_closing(text, i, opener)
        carries = i == 0 and opener == carried
        if close is not None:
            spans.append(_Span(i, close + 1, (i, close), opener, continued=carries))
            i = close + 1
        elif continues(next_paragraph, opener):
            spans.append(_Span(i, len(text), (i,), opener, runs_on=True, continued=carries))
            break
        else:
            i += 1  # a stray mark: the narrator reads on
    return spans


def _opener_at(text: str, i: int, carried: str | None) -> str | None:
    """The opening mark at ``i`` (a carried quotation's own mark at the paragraph's start)."""
    if i == 0 and carried is not None and continues(text, carried):
        return carried
    return text[i] if opens_at(text, i) else None


def is_utterance(before: str, inner: str, after: str) -> bool:
    """Whether a short quotation is said like speech, not a scare quote, title or term.

    ``before`` is its sentence up to the opening mark, ``inner`` what is between
    the marks, ``after`` the rest of the sentence. Speech begins its sentence or
    follows a lead-in (``said,`` ``:``) or another quotation, and ends with a
    phrase's punctuation, inside the closing mark or just after it.

    >>> is_utterance("", "No,", " she said."), is_utterance("He said, ", "Never.", "")
    (True, True)
    >>> is_utterance("", " Non ", ", dit-il."), is_utterance("— ", "Go!", "")
    (True, True)
    >>> is_utterance("so-called ", "experts", " said."), is_utterance("He called it ", "crazy.", "")
    (False, False)
    >>> is_utterance("", "Experts", " say so."), is_utterance("He said ", "no", ".")
    (False, False)
    >>> is_utterance('"Yes, of course," ', "no, never,", " came the answers.")
    True
    """
    last = before.rstrip()[-1:]
    placed = not last or last in _rule("lead_in") or last in _all_marks()
    ends = inner.rstrip()[-1:] in _rule("phrase_end") or after.lstrip()[:1] in _rule("phrase_end")
    return placed and ends


def is_title(inner: str, language: str = "en") -> bool:
    """Whether a quotation's words are capitalized as a title's, not as speech.

    At least two words count, and each starts with a capital, but for the
    language's small words (``title_words`` in ``data/quotes.toml``).

    >>> is_title("A Paradise Built in Hell: The Extraordinary Communities that Arise in Disaster,")
    True
    >>> is_title("Gone with the Wind."), is_title("First of the Season Fresh Alaskan Halibut")
    (True, True)
    >>> is_title("Barack Obama visited Kenya"), is_title("We are all concerned with events in CBD")
    (False, False)
    >>> is_title("Wir bleiben in Berlin", "de"), is_title("The", "en")
    (False, False)
    """
    small = frozenset(_table()["title_words"].get(languages.primary(language), ()))
    words = [w for w in WORD.findall(inner) if w.lower() not in small]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


def _voiced(span: _Span, text: str, sentence: tuple[int, int], language: str) -> bool:
    """Whether a quotation is read in the quotation voice (not a scare quote or a title)."""
    start, end = sentence
    if span.runs_on or span.continued or span.start < start or span.end > end:
        return True  # it crosses a sentence or a paragraph: speech, never a term
    inner = text[span.start + 1 : span.end - 1]
    if is_title(inner, language):
        return False
    if len(inner.split()) > _rule("scare_words"):
        return True
    return is_utterance(text[start : span.start], inner, text[span.end : end])


def _widened(text: str, span: _Span) -> _Span:
    """A quotation with what belongs to it: the brackets right around it, (“...”), and
    the punctuation right after its closing mark, « Non », dit-il."""
    before, after = text[span.start - 1 : span.start], text[span.end : span.end + 1]
    if span.start and (before + after) in _rule("brackets"):
        span = replace(span, start=span.start - 1, end=span.end + 1)
    end = span.end
    while end < len(text) and text[end] in _rule("phrase_end"):
        end += 1
    return replace(span, end=end)


def bare_text(text: str) -> str:
    """Words with their marks taken out, spaced as words are: no space before , . or …

    >>> bare_text(" Nous ne partirons pas , ")
    'Nous ne partirons pas,'
    """
    return re.sub(r"\s+([,.…])", r"\1", " ".join(text.split()))


def _sentence_bounds(sentences: Sequence[str]) -> list[tuple[int, int]]:
    """Where each sentence sits in the paragraph's text (its sentences joined by spaces)."""
    bounds: list[tuple[int, int]] = []
    at = 0
    for sentence in sentences:
        bounds.append((at, at + len(sentence)))
        at += len(sentence) + 1
    return bounds


def _segments(bounds: tuple[int, int], spans: Sequence[_Span]) -> list[tuple[int, int, str]]:
    """A sentence cut at its quotations' edges: (start, end, speaker) in order."""
    start, end = bounds
    out: list[tuple[int, int, str]] = []
    at = start
    for span in spans:
        a, b = max(span.start, start), min(span.end, end)
        if a >= b:
            continue
        if at < a:
            out.append((at, a, NARRATOR))
        out.append((a, b, QUOTE))
        at = b
    if at < end or not out:
        out.append((at, end, NARRATOR))
    return out


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _merged(text: str, segments: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Segments with nothing to say joined to a neighbour, then same-speaker runs joined."""
    out: list[tuple[int, int, str]] = []
    for seg in segments:
        if out and not _has_words(text[seg[0] : seg[1]]):
            out[-1] = (out[-1][0], seg[1], out[-1][2])
        elif out and not _has_words(text[out[-1][0] : out[-1][1]]):
            out[-1] = (out[-1][0], seg[1], seg[2])  # a mute start goes with what follows
        else:
            out.append(seg)
    joined: list[tuple[int, int, str]] = []
    for seg in out:
        if joined and joined[-1][2] == seg[2]:
            joined[-1] = (joined[-1][0], seg[1], seg[2])
        else:
            joined.append(seg)
    return joined


def _parts(
    text: str, segments: list[tuple[int, int, str]], marks: frozenset[int]
) -> tuple[Part, ...]:
    parts = []
    for start, end, speaker in segments:
        bare = "".join(ch for k, ch in enumerate(text[start:end], start) if k not in marks)
        parts.append(Part(text[start:end].strip(), speaker, bare_text(bare)))
    return tuple(parts)


def _split(
    sentences: tuple[str, ...], carried: str | None, next_paragraph: str, language: str
) -> tuple[tuple[tuple[Part, ...], ...], str | None]:
    """One paragraph's sentences as parts, and the mark of a quotation running on from it."""
    text = " ".join(sentences)
    bounds = _sentence_bounds(sentences)
    spans = quotation_spans(text, carried, next_paragraph)
    voiced = [
        _widened(text, s) for s in spans if _voiced(s, text, _sentence_of(s, bounds), language)
    ]
    marks = frozenset(k for s in voiced for k in s.marks)
    out = tuple(_parts(text, _merged(text, _segments(b, voiced)), marks) for b in bounds)
    running = next((s.opener for s in voiced if s.runs_on), None)
    return out, running


def _sentence_of(span: _Span, bounds: list[tuple[int, int]]) -> tuple[int, int]:
    """The sentence a quotation opens in."""
    return next((b for b in bounds if b[0] <= span.start <= b[1]), bounds[-1])


def split_paragraph(
    sentences: tuple[str, ...], *, language: str = "en"
) -> tuple[tuple[Part, ...], ...]:
    """One paragraph on its own: each sentence's parts, in order.

    >>> [[(p.speaker, p.text) for p in s] for s in split_paragraph(('"No," she said.',))]
    [[('quote', '"No,"'), ('narrator', 'she said.')]]
    >>> [[p.speaker for p in s] for s in split_paragraph(('He said, "We will go.', 'Today."'))]
    [['narrator', 'quote'], ['quote']]
    >>> [[p.speaker for p in s] for s in split_paragraph(('So-called “experts” agree.',))]
    [['narrator']]
    """
    return split_speakers((sentences,), language=language)[0]


def split_speakers(
    paragraphs: tuple[tuple[str, ...], ...], *, language: str = "en"
) -> tuple[tuple[tuple[Part, ...], ...], ...]:
    """Every paragraph's sentences as their parts: paragraph, sentence, part.

    ``language`` is the article's (it tells titles from speech by their capitals).

    Each sentence gets at least one part; the parts' texts, in order, are the
    sentence's words. A quotation continued over paragraphs stays in one voice:

    >>> out = split_speakers((('“We came.', 'We stayed.'), ('“And we won,” she said.',)))
    >>> [[[p.speaker for p in s] for s in paragraph] for paragraph in out]
    [[['quote'], ['quote']], [['quote', 'narrator']]]
    >>> out[1][0][0].bare
    'And we won,'
    """
    out: list[tuple[tuple[Part, ...], ...]] = []
    carried: str | None = None
    for k, sentences in enumerate(paragraphs):
        if not sentences:
            out.append(())
            carried = None
            continue
        after = " ".join(paragraphs[k + 1]) if k + 1 < len(paragraphs) else ""
        parts, carried = _split(sentences, carried, after, language)
        out.append(parts)
    return tuple(out)


def _as_sentences(parts: tuple[Part, ...]) -> tuple[Sentence, ...]:
    """A written sentence's parts as sentences: each runs on into the next but the last."""
    last = len(parts) - 1
    return tuple(Sentence(p.text, p.bare, p.speaker, runs_on=n < last) for n, p in enumerate(parts))


def voice_quotations(article: Article) -> Article:
    """The quotations stage: every sentence split into its speakers' parts, before normalizing.

    Each part becomes a ``Sentence`` with its speaker; all but a sentence's last
    part run on into the next. ``written`` keeps the quotation marks, ``spoken``
    is the part without them (normalize from it to leave the marks unsaid).

    >>> from audiogen.models import Section
    >>> article = Article("T", (Section.of(0, "T", (('"We stay," she said.', "Done."),)),))
    >>> for s in voice_quotations(article).sections[0].paragraphs[0]:
    ...     print(s.speaker, s.runs_on, repr(s.written), repr(s.spoken))
    quote True '"We stay,"' 'We stay,'
    narrator False 'she said.' 'she said.'
    narrator False 'Done.' 'Done.'
    """
    sections = []
    for section in article.sections:
        written = tuple(tuple(s.written for s in paragraph) for paragraph in section.paragraphs)
        split = split_speakers(written, language=article.language)
        paragraphs = tuple(
            tuple(s for parts in paragraph for s in _as_sentences(parts)) for paragraph in split
        )
        sections.append(replace(section, paragraphs=paragraphs))
    return replace(article, sections=tuple(sections))
