"""The pronunciation lexicon: words the engines get wrong, and what to say instead.

A lexicon is a TOML file with one table per language. Each entry maps a word (or a
phrase) to its spoken form, written in letters the engine's own rules read right;
optionally also to IPA, for engines that accept phonemes::

    [en]
    "NATO" = "Nato"                              # an acronym said as a word
    "FBI" = "F B I"                              # ... or letter by letter
    "Nguyen" = { say = "Win", ipa = "wɪn" }      # a name, with IPA
    "Jerome Powell" = "Jerome Powell"            # phrases work too

    [en-GB]                                      # only for en-GB, on top of [en]
    "schedule" = "shedule"

    [de]
    "NATO" = "Nato"

The pipeline applies the lexicon after ``normalize_sentence``, so keys are words as
normalization leaves them (digits and symbols are already spelled out by then).

Matching, by ``Lexicon.apply``:

* Whole words only: "NATO" matches in "NATO's" and "NATO-led" but not in "NATOs" or
  "SENATOR" (an apostrophe or a hyphen ends a word; a letter or digit does not).
* Keys written in capitals (acronyms: "WHO", "US") match case-sensitively, so the
  pronoun "who" and "us" are never touched. They are also skipped in a shouted
  headline (two or more words and no lowercase letter: "WHO WILL WIN?"), where
  every word is in capitals and none of them is an acronym for sure.
* Other keys match case-insensitively: "Nguyen" also matches "nguyen" and "NGUYEN".
* Longer keys win over shorter ones ("New York Times" before "New York").

``load_lexicon`` merges, in order: the built-in defaults for the language
(``audiogen/text/data/lexicon-<lang>.toml``), the user file's ``[<lang>]`` table, then
its ``[<lang>-<REGION>]`` table. A later entry replaces an earlier one with the same
key compared case-insensitively, so a user's ``"nato" = ...`` replaces the default
``"NATO"``. Errors in the file raise ``BadInput`` naming the file and the line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from audiogen import languages
from audiogen.errors import BadInput

__all__ = ["Lexicon", "LexiconEntry", "load_lexicon"]

_EXAMPLE = '"NATO" = "Nato" or "Nguyen" = { say = "Win", ipa = "wɪn" }'


@dataclass(frozen=True)
class LexiconEntry:
    """What to say for one word: a respelling, and optionally its IPA."""

    say: str
    ipa: str | None = None


def _is_acronym(word: str) -> bool:
    """True for words written in capitals: 'WHO', 'US', 'G7'; not 'I', 'Xi', 'McDonald'."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Lexicon:
    """Word -> spoken form for one language, applied to text with ``apply``."""

    language: str
    entries: Mapping[str, LexiconEntry] = field(default_factory=lambda: MappingProxyType({}))

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.entries:
            return None
        keys = sorted(self.entries, key=len, reverse=True)

        def literal(key: str) -> str:
            return r"\s+".join(re.escape(part) for part in key.split())

        exact = "|".join(literal(k) for k in keys if _is_acronym(k))
        folded = "|".join(literal(k) for k in keys if not _is_acronym(k))
        alternatives = [f"(?P<exact>{exact})"] if exact else []
        if folded:
            alternatives.append(f"(?P<folded>(?i:{folded}))")
        return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")

    @cached_property
    def _exact(self) -> Mapping[str, LexiconEntry]:
        return {" ".join(k.split()): v for k, v in self.entries.items() if _is_acronym(k)}

    @cached_property
    def _folded(self) -> Mapping[str, LexiconEntry]:
        return {_fold(k): v for k, v in self.entries.items() if not _is_acronym(k)}

    def apply(self, text: str, phonemes: Callable[[str], str] | None = None) -> str:
        """Replace every listed word in ``text`` with its spoken form.

        ``phonemes``, if given, turns an entry's IPA into the engine's phoneme markup
        (for example ``lambda ipa: f"[[{ipa}]]"``); entries without IPA still use ``say``.

        >>> lex = Lexicon("en", {"NATO": LexiconEntry("Nato"), "Nguyen": LexiconEntry("Win")})
        >>> lex.apply("NATO's chief met NGUYEN and nguyen; SENATORS and NATOs")
        "Nato's chief met Win and Win; SENATORS and NATOs"
        >>> lex.apply("NATO LEADERS MEET"), lex.apply("NATO")
        ('NATO LEADERS MEET', 'Nato')
        """
        pattern = self._pattern
        if pattern is None:
            return text
        shouting = not any(c.islower() for c in text) and len(re.findall(r"[^\W\d_]+", text)) > 1

        def replace(m: re.Match[str]) -> str:
            word = m.group(0)
            if "exact" in pattern.groupindex and m.group("exact") is not None:
                if shouting:
                    return word
                entry = self._exact[" ".join(word.split())]
            else:
                entry = self._folded[_fold(word)]
            if phonemes is not None and entry.ipa:
                return phonemes(entry.ipa)
            return entry.say

        return pattern.sub(replace, text)


def _fold(key: str) -> str:
    return " ".join(key.split()).casefold()


def load_lexicon(path: Path | None, language: str) -> Lexicon:
    """The lexicon for ``language``: built-in defaults, overridden by the file at ``path``.

    ``language`` is a tag such as ``"en"`` or ``"en-GB"``. Raises ``BadInput`` (with
    the file name and line) if the file is missing, is not valid TOML, or holds a value
    that is not a string or a ``{ say = ..., ipa = ... }`` table.
    """
    tags = list(reversed(languages.lookup_order(language)))

    merged: dict[str, tuple[str, LexiconEntry]] = {}
    default = _default_source(languages.primary(language))
    sources = ([default] if default else []) + ([_read_source(path)] if path else [])
    for name, text in sources:
        sections = _sections(name, text)
        for tag in tags:
            for key, entry in sections.get(tag, {}).items():
                merged[_fold(key)] = (key, entry)
    entries = {key: entry for key, entry in merged.values()}
    return Lexicon(language=language, entries=MappingProxyType(entries))


def _default_source(primary: str) -> tuple[str, str] | None:
    resource = resources.files("audiogen.text").joinpath("data", f"lexicon-{primary}.toml")
    if not resource.is_file():
        return None
    return f"lexicon-{primary}.toml (built in)", resource.read_text(encoding="utf-8")


def _read_source(path: Path) -> tuple[str, str]:
    try:
        return str(path), path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(
            f"lexicon file {path} does not exist: create it or leave the lexicon option out"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read lexicon file {path}: {exc}") from None


_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _parse(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the position in the message ("... (at line 3, column 9)"); from
        # Python 3.14 it is also an attribute.
        message = str(exc)
        found = _AT_LINE.search(message)
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        reason = _AT_LINE.sub("", message) if found else message
        where = f"{name}, line {line}" if line else name
        raise BadInput(
            f"{where}: not valid TOML ({reason}); entries look like {_EXAMPLE}"
        ) from None


def _sections(name: str, text: str) -> dict[str, dict[str, LexiconEntry]]:
    """Every language table in the file, keyed by lowercased tag, all entries checked.

    The whole file is checked, not just the language asked for, so a mistake shows up
    on the first run whatever the language.
    """
    sections: dict[str, dict[str, LexiconEntry]] = {}
    for section, table in _parse(name, text).items():
        if not isinstance(table, dict):
            raise BadInput(
                f"{name}, line {_line_of(text, None, section)}: {section!r} must be a"
                f" language table such as [en], not a single value; put entries under it,"
                f" like {_EXAMPLE}"
            )
        tag = languages.canonical(section).lower()
        entries = sections.setdefault(tag, {})
        for key, value in table.items():
            entries[key] = _entry(name, text, section, key, value)
    return sections


def _entry(name: str, text: str, section: str, key: str, value: object) -> LexiconEntry:
    def fail(problem: str) -> BadInput:
        line = _line_of(text, section, key)
        return BadInput(f"{name}, line {line}: [{section}] {key!r} {problem}; write {_EXAMPLE}")

    if not key.strip():
        raise fail("is an empty word")
    if isinstance(value, str):
        if not value.strip():
            raise fail("has an empty spoken form")
        return LexiconEntry(say=value)
    if isinstance(value, dict):
        unknown = set(value) - {"say", "ipa"}
        if unknown:
            raise fail(f"has unknown field(s) {', '.join(sorted(unknown))} (only say and ipa)")
        say, ipa = value.get("say"), value.get("ipa")
        if not isinstance(say, str) or not say.strip():
            raise fail("needs a non-empty text 'say'")
        if ipa is not None and not isinstance(ipa, str):
            raise fail("has an 'ipa' that is not text")
        return LexiconEntry(say=say, ipa=ipa or None)
    raise fail(f"must be text or a {{ say = ..., ipa = ... }} table, not {type(value).__name__}")


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _unquote(token: str) -> str:
    """A TOML key as written ("NATO", 'x', bare) -> its value."""
    if token[0] in "\"'":
        try:
            value = tomllib.loads(f"k = {token}")["k"]
        except tomllib.TOMLDecodeError:
            return token
        return str(value)
    return token


def _line_of(text: str, section: str | None, key: str) -> int:
    """The 1-based line where ``key`` is defined in ``section`` (None: top level).

    tomllib reports no positions for well-formed files, so the line is found by
    scanning; if the key cannot be found (a dotted key, say), the section's line is
    given, or 1.
    """
    current: str | None = None
    section_line = 1
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = _unquote(header.group(1))
            if current == section:
                section_line = number
            continue
        found = _KEY.match(line)
        if found and current == section and _unquote(found.group(1)) == key:
            return number
    return section_line
