"""Names from other languages inside a sentence, so an engine can say them as their own.

"Andrés Manuel López Obrador" in an English sentence is misread by an English
phonemizer ("and-RAYZ ... AH-bruh-dor"). The accented letters say where a name
comes from, so an engine that reads phonemes can phonemize the name with
espeak-ng's voice for that language and the rest of the sentence as before; an
English voice then says it in the nearest English sounds (``anglicize``), as a
newsreader would. Piper does this by default; Kokoro, hibari and espeak-ng when
``origin_names = true`` is set (see ``enabled`` for the measurements behind the
defaults). gTTS gets the text as it is: the cloud voice decides.

What counts, and why (the data is in ``data/names.toml``):

* Only capitalized words: names. A lower-case loanword ("café", "résumé") is an
  English word, and the English phonemizer knows it.
* A word is foreign when it holds a letter the sentence's language does not
  write itself: "é" is foreign in English, not in French or Spanish.
* The name is the run of capitalized words around the accented one ("Manuel"
  and "Obrador" have no accents but belong to the name), with particles between
  them ("Ramón y Cajal"), stopping at titles and common sentence openers
  ("President", "The", "Yesterday"). A name often opens a sentence ("Lech Wałęsa
  said"), so a first word is not left out for being first. In German, where every
  noun is capitalized, a name only grows to the right. A possessive ending stays
  with the sentence ("López's").
* The origin is the first language of the table whose letters hold every
  foreign letter of the run; none that fits, no change.

A lexicon entry respells a word before the engine sees it, so it always wins: a
respelling without accents is read by the engine's own rules.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from audiogen import languages
from audiogen.engines.base import EngineOptions

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# What may stand between two words of one name: a space or a hyphen ("López-Gatell").
_JOINER = re.compile(r"[ \-‐]")
_FINAL_E = re.compile(r"e(?![^\s,.;:!?])")


@dataclass(frozen=True)
class Origin:
    language: str
    espeak: str  # the espeak-ng voice that reads a name of this origin
    letters: frozenset[str]


@dataclass(frozen=True)
class NameTables:
    native: Mapping[str, frozenset[str]]  # by primary language
    origins: tuple[Origin, ...]  # in the order they are tried
    stops: frozenset[str]
    particles: frozenset[str]
    nouns_capitalized: frozenset[str]  # languages where a capital does not mark a name
    english: Mapping[str, tuple[tuple[str, str], ...]]  # by alphabet: sound -> English sound


@dataclass(frozen=True)
class Run:
    """A piece of a sentence, and the espeak-ng voice of its origin if it is a foreign name."""

    text: str
    espeak: str | None = None  # None: the sentence's own language


@functools.cache
def tables() -> NameTables:
    raw = resources.files("audiogen.engines").joinpath("data", "names.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    return NameTables(
        native={code: frozenset(letters) for code, letters in data["native"].items()},
        origins=tuple(
            Origin(o["language"], o["espeak"], frozenset(o["letters"])) for o in data["origins"]
        ),
        stops=frozenset(data["words"]["stops"]),
        particles=frozenset(data["words"]["particles"]),
        nouns_capitalized=frozenset(data["words"]["nouns_capitalized"]),
        english={
            alphabet: tuple(sorted(table.items(), key=lambda kv: -len(kv[0])))
            for alphabet, table in data["english"].items()
        },
    )


def foreign_letters(word: str, language: str) -> frozenset[str]:
    """The letters of ``word`` that ``language`` does not write (lower-cased).

    >>> sorted(foreign_letters("López", "en"))
    ['ó']
    >>> foreign_letters("López", "es")
    frozenset()
    >>> sorted(foreign_letters("Gödel", "fr-CA"))
    ['ö']
    """
    native = tables().native.get(languages.primary(language), frozenset())
    return frozenset(c for c in word.lower() if not c.isascii() and c.isalpha()) - native


def origin_of(letters: frozenset[str]) -> Origin | None:
    """The first origin whose letters hold all of ``letters``; None if none does.

    >>> origin_of(frozenset("óé")).language
    'es'
    >>> origin_of(frozenset("ç")).language, origin_of(frozenset("ã")).language
    ('fr', 'pt')
    >>> origin_of(frozenset("ü")).language, origin_of(frozenset("ł")).language
    ('de', 'pl')
    >>> origin_of(frozenset("ñß")) is None
    True
    """
    for origin in tables().origins:
        if letters <= origin.letters:
            return origin
    return None


def _nouns_capitalized(language: str) -> bool:
    return languages.primary(language) in tables().nouns_capitalized


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and _POSSESSIVE.sub("", word) not in tables().stops


def _name_spans(text: str, language: str) -> list[tuple[int, int, Origin]]:
    """(start, end, origin) of each foreign name in ``text``, in order, not overlapping."""
    words = list(_WORD.finditer(text))
    spans: list[tuple[int, int, Origin]] = []
    index = 0
    while index < len(words):
        word = words[index].group()
        if not (_is_name_word(word) and foreign_letters(word, language)):
            index += 1
            continue
        first, last = _extend(text, words, index, language)
        letters = frozenset().union(
            *(foreign_letters(w.group(), language) for w in words[first : last + 1])
        )
        origin = origin_of(letters)
        if origin is not None:
            start, end = words[first].start(), words[last].end()
            possessive = _POSSESSIVE.search(words[last].group())
            spans.append((start, end - (len(possessive.group()) if possessive else 0), origin))
        index = last + 1
    return spans


def _extend(text: str, words: list[re.Match[str]], index: int, language: str) -> tuple[int, int]:
    """The first and last word index of the name around ``words[index]``."""

    def joined(left: int) -> bool:
        gap = text[words[left].end() : words[left + 1].start()]
        return bool(_JOINER.fullmatch(gap))

    particles = tables().particles
    first = index
    while first > 0 and joined(first - 1):
        before = words[first - 1].group()
        if _nouns_capitalized(language):
            break  # "Der Präsident François Hollande": every German noun is capitalized
        if _is_name_word(before) and not _POSSESSIVE.search(before):
            first -= 1
        elif before in particles and first > 1 and joined(first - 2):
            if not _is_name_word(words[first - 2].group()):
                break
            first -= 2
        else:
            break
    last = index
    while last + 1 < len(words) and joined(last) and not _POSSESSIVE.search(words[last].group()):
        after = words[last + 1].group()
        if _is_name_word(after):
            last += 1
        elif after in particles and last + 2 < len(words) and joined(last + 1):
            if not _is_name_word(words[last + 2].group()):
                break
            last += 2
        else:
            break
    return first, last


def name_runs(text: str, language: str) -> tuple[Run, ...]:
    """``text`` cut into runs, each foreign name with the espeak-ng voice of its origin.

    The runs' texts joined give ``text`` back.

    >>> name_runs("President Andrés Manuel López Obrador's plan.", "en")
    (Run(text='President ', espeak=None), Run(text='Andrés Manuel López Obrador', espeak='es-419'), Run(text="'s plan.", espeak=None))
    >>> name_runs("François Hollande met Jürgen Müller and Ramón y Cajal.", "en-GB")
    ... # doctest: +NORMALIZE_WHITESPACE
    (Run(text='François Hollande', espeak='fr'), Run(text=' met ', espeak=None),
     Run(text='Jürgen Müller', espeak='de'), Run(text=' and ', espeak=None),
     Run(text='Ramón y Cajal', espeak='es-419'), Run(text='.', espeak=None))
    >>> name_runs("Ask Ramón.", "en")[0]  # a sentence opener from the table
    Run(text='Ask ', espeak=None)
    >>> name_runs("A café in Mexico City.", "en")  # no capital, no name
    (Run(text='A café in Mexico City.', espeak=None),)
    >>> name_runs("El presidente López habló.", "es")  # his own language
    (Run(text='El presidente López habló.', espeak=None),)
    >>> name_runs("Le chancelier Schröder.", "fr")
    (Run(text='Le chancelier ', espeak=None), Run(text='Schröder', espeak='de'), Run(text='.', espeak=None))
    >>> name_runs("こんにちは", "ja")
    (Run(text='こんにちは', espeak=None),)
    """
    if languages.primary(language) not in tables().native:
        return (Run(text),)
    runs: list[Run] = []
    pos = 0
    for start, end, origin in _name_spans(text, language):
        if start > pos:
            runs.append(Run(text[pos:start]))
        runs.append(Run(text[start:end], origin.espeak))
        pos = end
    if pos < len(text) or not runs:
        runs.append(Run(text[pos:]))
    return tuple(runs)


def anglicize(phonemes: str, alphabet: str) -> str:
    """A foreign name's sounds moved to the nearest English ones (``alphabet``: kokoro or ipa).

    An "e" ending a word is said as in "café", elsewhere as in "bed".

    >>> anglicize("andɾˈes manwˈel lˈopes ˌoβɾaðˈoɾ xosˈe", "kokoro")
    'ɑndɹˈɛs mɑnwˈɛl lˈOpɛs ˌObɹɑðˈOɹ hOsˈA'
    >>> anglicize("fʁɑ̃swˈa", "ipa")
    'fɹɑːnswˈɑː'
    """
    final_e = "A" if alphabet == "kokoro" else "eɪ"
    phonemes = _FINAL_E.sub(final_e, phonemes)
    for sound, english in tables().english[alphabet]:
        phonemes = phonemes.replace(sound, english)
    return phonemes


def unbracket(text: str) -> str:
    """Square brackets as parentheses: the phonemizers read ``[...]`` as markup, never an article.

    >>> unbracket("see [[h@loU]] and [1](/x/)")
    'see ((h@loU)) and (1)(/x/)'
    """
    return text.replace("[", "(").replace("]", ")")


def has_foreign_names(runs: tuple[Run, ...]) -> bool:
    """True when any run is a name to be read in another language."""
    return any(run.espeak is not None for run in runs)


@functools.cache
def _table_digest() -> str:
    raw = resources.files("audiogen.engines").joinpath("data", "names.toml").read_bytes()
    return hashlib.sha256(raw).hexdigest()[:12]


def enabled(options: EngineOptions, default: bool = True) -> bool:
    """Whether an engine reads names in their own language: its ``origin_names`` setting.

    Each engine gives its own ``default``, chosen with bench/names.py (a Whisper
    round trip of 48 name words in 29 sentences): Piper's joe was understood better
    with it (20 names heard against 16), so Piper has it on; Kokoro's and hibari's
    English voices were not (23 against 24, 22 against 24: their English guesses are
    already close), nor espeak-ng, whose voice changes for the name; they have it
    off. ``[engine.NAME] origin_names = true`` (or ``false``) in audiogen.toml decides.

    >>> enabled(EngineOptions()), enabled(EngineOptions(settings=(("origin_names", False),)))
    (True, False)
    >>> enabled(EngineOptions(), default=False)
    False
    """
    return bool(options.setting("origin_names", default))


def fingerprint(enabled: bool) -> str:
    """What an engine's fingerprint says of name reading: off, or the table it reads by.

    The table decides which voice reads which name, so changing it must miss the cache.

    >>> fingerprint(False)
    'names=off'
    >>> fingerprint(True).startswith("names=") and len(fingerprint(True)) == 18
    True
    """
    return f"names={_table_digest()}" if enabled else "names=off"
