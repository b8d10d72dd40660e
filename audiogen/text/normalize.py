"""Spoken-form normalization: turn symbols, numbers and abbreviations into words.

Every engine (piper, espeak, gTTS) receives words, never symbols: ``$5`` becomes
``five dollars`` before any engine sees it, so all engines say the same thing and
none of them reads "dollar five" (espeak) or "two thousand twenty three" for a year.

The work is done by small named rules, each ``str -> str`` with its edge cases as
examples in its docstring, applied in order from a tuple (gTTS's pre-processors are
the model). The words they use (abbreviations, units, currencies, symbols) are data
tables in ``audiogen/text/data/*.toml``, apart from the code.

Decisions, and why:

* Numbers become words, via ``num2words``. Engines disagree on digits (espeak reads
  ``2023`` as "two thousand twenty three" and ``$5`` as "dollar five"); words do not.
  Rules that only move things around (currency, units, ranges) keep digits and leave
  the spelling to the last rule, ``spell_numbers``; rules whose reading is special
  (years, ordinals, times, dates, fractions, decades) write words themselves.
* A four-digit number from 1100 to 2099 written without a comma is a year, except
  before a count noun or unit ("1500 people", "1500 meters"). News style writes
  quantities from 1,000 with a comma, so this rarely misfires.
* Abbreviations with periods such as ``U.S.``, ``U.K.``, ``E.U.`` are left as written:
  every engine reads them as letters, and removing the periods would turn ``US`` into
  the pronoun for some of them. Titles (``Dr.``, ``Mr.``, ``St.``) are expanded because
  engines pause at their period as if a sentence ended.
* ``AM``/``PM`` are written in capitals without periods: espeak reads ``A M`` as the
  article "a" followed by "em".
* URLs are said briefly, as their host ("example dot com"), e-mail addresses as
  "name at example dot com"; never character by character.
* Emoji and pictographs are dropped; so are trademark signs, footnote daggers and stray
  markup characters. List bullets and pipes become a comma (a short pause). ``#5`` is
  "number 5"; a hashtag keeps its word and loses the ``#``.
* A period eaten by an expansion at the very end of a sentence is put back, so the
  sentence still ends ("on Main St." -> "on Main Street.").

Known limits (each a deliberate trade, not an oversight): a Roman numeral after an
unknown capitalized word is read as a regnal ordinal ("Rocky II" -> "Rocky the
Second"); a currency amount or a measure used as an adjective is singular only after
"a"/"an" ("a $5 fee" -> "a 5 dollar fee", but "the $5 fee" -> "the 5 dollars fee");
model numbers are said in pairs only after the makers and words listed in
``[model_numbers]`` ("Boeing 737-800"), elsewhere as numbers ("the 737 MAX"); slash
dates such as ``5/1/2024`` are read in the order of the article's region (month first
for the US and untagged English, day first elsewhere), since the page cannot say;
US spellings are used for units ("meters") whatever the region; "30C" and "350F"
without a degree sign are temperatures unless a word that names a thing by number
stands before them ("seat 12F"), but a one-digit "2C" is one only before a word such as
"above" ("mix 2C flour" stays as written); a dash between numbers is "and" only in a
won-lost record that its words mark as one ("a 10-6 record", "went 8-8").

Languages: English (any ``en-*`` tag) gets every rule in ``EN_RULES``. French,
German, Spanish, Italian and Portuguese also get their clock times, sums of money and
ordinals from ``spoken_forms``. Every language gets the language-independent rules: emoji and stray symbols dropped,
URLs and e-mail addresses shortened, symbols spoken in the languages that
``data/symbols.toml`` lists, and numbers spelled by ``num2words`` where it supports the
language (reading ``1,5`` or ``1.000`` with that language's decimal mark). The number
1 is left as a digit there, because its word depends on the noun's gender ("eine
Frau", "une femme") and the engine is better placed to choose.
"""

from __future__ import annotations

import calendar
import functools
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from importlib import resources
from typing import Any

from audiogen import languages
from audiogen.errors import NothingToSpeak
from audiogen.models import Article, Section, Sentence
from audiogen.text import spoken_forms
from audiogen.text.numbers import num2words_lang as _num2words_lang
from audiogen.text.numbers import number_words as _words

Rule = Callable[[str], str]

__all__ = [
    "EN_RULES",
    "Rule",
    "drop_emoji",
    "drop_stray_symbols",
    "expand_abbreviations",
    "expand_addresses",
    "expand_arithmetic",
    "expand_blood_pressure",
    "expand_codes",
    "expand_currency",
    "expand_dates",
    "expand_decades",
    "expand_dotted_numbers",
    "expand_fractions",
    "expand_model_numbers",
    "expand_number_nouns",
    "expand_numeric_dates",
    "expand_ordinals",
    "expand_percent",
    "expand_phone_numbers",
    "expand_postcodes",
    "expand_ranges",
    "expand_roman_numerals",
    "expand_round_plurals",
    "expand_sports_scores",
    "expand_state_codes",
    "expand_symbols",
    "expand_temperatures",
    "expand_times",
    "expand_units",
    "expand_urls",
    "expand_video_lines",
    "expand_years",
    "has_words",
    "join_digit_groups",
    "normalize_article",
    "normalize_sentence",
    "rules_for",
    "spell_numbers",
    "tidy_spaces",
]


# --- tables -------------------------------------------------------------------------


@functools.cache
def _table(name: str) -> Mapping[str, Any]:
    """Load one TOML table shipped in ``audiogen/text/data`` (read once per process)."""
    data = resources.files("audiogen.text").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(data)


def _abbreviations() -> Mapping[str, Any]:
    return _table("abbreviations-en.toml")


def _symbols(language: str) -> Mapping[str, Any] | None:
    """The symbol words for ``language`` (``en-GB`` -> ``en``), or None if not listed."""
    table = _table("symbols.toml")
    entry = table.get(_primary(language))
    return entry if isinstance(entry, dict) else None


def _primary(language: str) -> str:
    """``"en-GB"`` / ``"pt_BR"`` -> ``"en"`` / ``"pt"``."""
    return languages.primary(language)


def _alternation(keys: Iterable[str]) -> str:
    """A regex alternation of literal keys, longest first so "US$" wins over "$"."""
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


def _keep_final_period(match: re.Match[str], spoken: str) -> str:
    """Put back a sentence-final period that ``match`` consumed with an abbreviation."""
    rest = match.string[match.end() :]
    if match.group(0).endswith(".") and not rest.strip(" \"'”’)]»"):
        return spoken + "."
    return spoken


# --- number words -------------------------------------------------------------------

_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _cardinal(digits: str) -> str:
    """English words for a plain digit string, reading leading zeros digit by digit.

    >>> _cardinal("2300"), _cardinal("007"), _cardinal("0")
    ('two thousand three hundred', 'zero zero seven', 'zero')
    """
    if len(digits) > 1 and digits.startswith("0"):
        return " ".join(_DIGIT_WORDS[int(d)] for d in digits)
    return _words(int(digits))


def _year_words(year: int) -> str:
    """'twenty twenty-three', 'nineteen oh-five', 'two thousand', 'two thousand and five'."""
    return _words(year, to="year")


def _ordinal(number: int) -> str:
    return _words(number, to="ordinal")


# --- rules: language-independent ----------------------------------------------------

# Pictographic blocks: emoticons, symbols and pictographs, transport, flags (regional
# indicators), dingbats, miscellaneous symbols and arrows; plus skin tones, keycaps,
# variation selectors and the joiners that glue emoji sequences together.
_EMOJI_CHARS = (
    "\U0001f000-\U0001faff"
    "\u2190-\u21ff"
    "\u2300-\u23ff"
    "\u2460-\u24ff"
    "\u25a0-\u25ff"
    "\u2600-\u27bf"
    "\u2900-\u297f"
    "\u2b00-\u2bff"
    "\u3030\u303d\u3297\u3299"
)
_EMOJI = re.compile(
    f"(?:[{_EMOJI_CHARS}]"
    f"(?:[\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]|\u200d[{_EMOJI_CHARS}])*)+"
)


def drop_emoji(text: str) -> str:
    """Drop emoji and pictographic symbols, whole sequences at a time.

    >>> drop_emoji("Great news 🎉🎉 for fans")
    'Great news   for fans'
    >>> drop_emoji("family 👨‍👩‍👧 and flag 🇫🇷 and thumbs 👍🏽!")
    'family   and flag   and thumbs  !'
    >>> drop_emoji("prices ↑ sharply ★")
    'prices   sharply  '
    >>> drop_emoji("Café, naïve, Zürich, 東京, ½, ©")
    'Café, naïve, Zürich, 東京, ½, ©'
    """
    return _EMOJI.sub(" ", text)


def drop_stray_symbols(text: str) -> str:
    """Drop symbols that are never spoken; turn list separators into a pause (comma).

    The characters live in ``data/symbols.toml`` under ``[all]``. Applies to every
    language.

    >>> drop_stray_symbols("Acme™ and Foo® © 2024")
    'Acme and Foo  2024'
    >>> drop_stray_symbols("Politics • Economy | World")
    'Politics  ,  Economy  ,  World'
    >>> drop_stray_symbols("the *only* option†, 10^5 * 3")
    'the only option, 10^5 * 3'
    >>> drop_stray_symbols("soft\\u00adhyphen")
    'softhyphen'
    """
    table = _table("symbols.toml")["all"]
    text = text.translate({ord(c): None for c in table["invisible"]})
    # "*" and "^" between numbers are arithmetic ("10^5 * 300"), left for expand_symbols.
    text = _ARITHMETIC.sub(lambda m: m.group(0).replace("*", "\0").replace("^", "\1"), text)
    text = text.translate({ord(c): None for c in table["drop"]})
    text = text.replace("\0", "*").replace("\1", "^")
    return text.translate({ord(c): " , " for c in table["pause"]})


_ARITHMETIC = re.compile(r"(?<=\d)(?:\s?\*\s?|\^)(?=\d)")


_URL_TRAILING = ".,;:!?)]}'\"»”’"
_SCHEME_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"]+|\bwww\.[^\s<>\"]+", re.IGNORECASE)
_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]*)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])"
)
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,30})\b")


@functools.cache
def _bare_domain() -> re.Pattern[str]:
    tlds = _alternation(_table("symbols.toml")["web"]["tlds"])
    return re.compile(
        r"(?<![\w@./-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
        rf"(?:{tlds}))(?![\w-])(/[^\s]*)?"
    )


def _speak_host(host: str, words: Mapping[str, Any] | None) -> str:
    host = host.lower().removeprefix("www.")
    if words is None:
        return host
    labels = [label.replace("-", f" {words['dash']} ") for label in host.split(".")]
    return f" {words['dot']} ".join(labels)


def expand_urls(text: str, language: str = "en") -> str:
    """Say URLs as their host and e-mail addresses as "name at host", briefly.

    Paths, queries and ``www.`` are dropped: a listener cannot type them anyway. In
    languages without symbol words in ``data/symbols.toml`` the host is kept with its
    dots, for the engine to read.

    >>> expand_urls("See https://www.example.com/news/2024/story.html?id=3.")
    'See example dot com.'
    >>> expand_urls("Visit example.com or bbc.co.uk/news today")
    'Visit example dot com or bbc dot co dot uk today'
    >>> expand_urls("Write to jane.doe@my-site.org (press).")
    'Write to jane dot doe at my dash site dot org (press).'
    >>> expand_urls("Follow @nytimes and @Uber_Sydney for more")
    'Follow at nytimes and at Uber Sydney for more'
    >>> expand_urls("Voir https://www.lemonde.fr/a/b", language="fr")
    'Voir lemonde point fr'
    >>> expand_urls("Zie https://example.com/x", language="xx")
    'Zie example.com'
    >>> expand_urls("the U.S. and e.g. Node.js or file.py, 3.5 percent")
    'the U.S. and e.g. Node.js or file.py, 3.5 percent'
    """
    words = _symbols(language)

    def email(m: re.Match[str]) -> str:
        if words is None:
            return m.group(0)
        local = m.group(1)
        for char, key in ((".", "dot"), ("_", "underscore"), ("-", "dash"), ("+", "plus")):
            local = local.replace(char, f" {words[key]} ")
        return f"{local} {words['at']} {_speak_host(m.group(2), words)}"

    def scheme_url(m: re.Match[str]) -> str:
        url = m.group(0)
        stripped = url.rstrip(_URL_TRAILING)
        tail = url[len(stripped) :]
        rest = stripped.split("://", 1)[-1]
        host = re.split(r"[/?#:]", rest, maxsplit=1)[0]
        return _speak_host(host, words) + tail

    text = _EMAIL.sub(email, text)
    text = _SCHEME_URL.sub(scheme_url, text)
    text = _bare_domain().sub(lambda m: _speak_host(m.group(1), words), text)
    if words is not None and _primary(language) == "en":
        text = _MENTION.sub(lambda m: f"{words['at']} {m.group(1).replace('_', ' ')}", text)
    return text


def expand_symbols(text: str, language: str = "en") -> str:
    """Say the symbols that carry meaning (``&``, ``%``, ``+``, ``=``, ``#5``, ``°``, ``/``).

    Only in languages listed in ``data/symbols.toml``; elsewhere they are left for the
    engine. Slashes: ``24/7``-style fixed readings come from the abbreviation table
    (English); lowercase word pairs are alternatives ("his or her"), all-caps pairs are
    joined ("AC DC"), anything else is read as "slash".

    >>> expand_symbols("Johnson & Johnson, R&D and Q&A")
    'Johnson  and  Johnson, R and D and Q and A'
    >>> expand_symbols("Disney+ and C++ and 2 + 2 = 4")
    'Disney plus  and C plus  plus  and 2  plus  2 equals 4'
    >>> expand_symbols("ranked #1, the #MeToo movement")
    'ranked number 1, the MeToo movement'
    >>> expand_symbols("his/her, yes/no, AC/DC and Israel/Gaza")
    'his or her, yes or no, AC DC and Israel slash Gaza'
    >>> expand_symbols("up ~5 or <3 and ≥ 10, ±2")
    'up about 5 or less than 3 and at least 10, plus or minus 2'
    >>> expand_symbols("3 × 4, 10x faster, 10^5 * 3, § 5")
    '3 times 4, 10 times faster, 10 to the power of 5 times 3, section 5'
    >>> expand_symbols("Müller & Söhne", language="de")
    'Müller  und  Söhne'
    """
    words = _symbols(language)
    if words is None:
        return text
    english = _primary(language) == "en"
    text = text.replace("&", f" {words['and']} ")
    text = re.sub(r"#(?=\d)", f"{words['number']} ", text)
    text = re.sub(r"(?<![\w#])#(?=[^\W\d_])", "", text)
    text = re.sub(r"\+", f" {words['plus']} ", text)
    text = re.sub(r"(?<=\w)\s*=\s*(?=\w)", f" {words['equals']} ", text)
    text = re.sub(r"‰", f" {words['permille']}", text)
    text = re.sub(r"%", f" {words['percent']}", text)
    text = re.sub(r"§\s*", f"{words['section']} ", text)
    text = text.replace("№", f"{words['number']} ")
    text = re.sub(r"(?<=\d)\s*°", f" {words['degrees']}", text)
    if english:
        text = _comparisons(text)
        text = re.sub(r"~\s*(?=\d)", "about ", text)
        text = re.sub(r"≈\s*(?=\d)", "approximately ", text)
        text = re.sub(r"≤\s*(?=\d)", "at most ", text)
        text = re.sub(r"≥\s*(?=\d)", "at least ", text)
        text = re.sub(r"<\s*(?=\d)", "less than ", text)
        text = re.sub(r">\s*(?=\d)", "more than ", text)
        text = text.replace("±", "plus or minus ")
        text = _powers_and_roots(text)
        text = re.sub(r"(?<=\d)\s?\*\s?(?=\d)", " times ", text)
        text = re.sub(r"(?<=\d)\^(?=\d)", " to the power of ", text)
        text = re.sub(r"(?<=\d)\s*×\s*(?=\d)", " times ", text)
        text = re.sub(r"(?<=\d)[×x](?!\w)", " times", text)
        text = text.replace("_", " ")
        text = re.sub(r"\b([a-z]+)/([a-z]+)\b", r"\1 or \2", text)
        text = re.sub(r"\b([A-Z0-9]+)/([A-Z0-9]+)\b", r"\1 \2", text)
    text = re.sub(r"(?<=\w)\s*/\s*(?=\w)", f" {words['slash']} ", text)
    return text


# A comparison between two terms, as a sentence: "x < 10" is "x is less than 10".
_COMPARISONS = {
    "<": "is less than",
    ">": "is greater than",
    "≤": "is less than or equal to",
    "≥": "is greater than or equal to",
    "≠": "is not equal to",
    "≈": "is approximately",
}


def _comparisons(text: str) -> str:
    """A sign between two terms is a sentence ("3 > 2", "x ≤ 5"); one before a number
    alone ("> 10 hours") is left for the words "more than", "at most".

    >>> _comparisons("3 > 2, x < 10, y ≥ 0, 1 ≠ 2, π ≈ 3.14; > 10 hours, <3")
    '3 is greater than 2, x is less than 10, y is greater than or equal to 0, 1 is not equal to 2, π is approximately 3.14; > 10 hours, <3'
    >>> _comparisons("and ≥ 10, up <3, (a + b) > c")
    'and ≥ 10, up <3, (a + b) is greater than c'
    """
    signs = _alternation(_COMPARISONS)
    letter = r"(?<![^\W\d_])[^\W\d_](?![^\W\d_])"  # a one-letter name: "x", "π"
    return re.sub(
        rf"(\d|{letter}|\))\s*({signs})\s*(?=[-−]?(?:\d|{letter}|\())",
        lambda m: f"{m.group(1)} {_COMPARISONS[m.group(2)]} ",
        text,
    )


def _powers_and_roots(text: str) -> str:
    """'5²' -> '5 squared', 'mc²' -> 'mc squared', '10³' -> '10 cubed', '2⁸' -> '2 to the
    power of 8', '√16' -> 'the square root of 16'.

    >>> _powers_and_roots("5², E = mc², 10³, 2⁸ and 10⁻³; √16, ∛27")
    '5 squared, E = mc squared, 10 cubed, 2 to the power of 8 and 10 to the power of minus 3; square root of 16, cube root of 27'
    """
    text = re.sub(r"(?<=[\w)])²(?![⁰¹²³⁴⁵⁶⁷⁸⁹])", " squared", text)
    text = re.sub(r"(?<=[\w)])³(?![⁰¹²³⁴⁵⁶⁷⁸⁹])", " cubed", text)
    text = re.sub(
        r"(?<=[\w)])(⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)",
        lambda m: (
            " to the power of "
            + unicodedata.normalize("NFKC", m.group(1)).replace("\u2212", "minus ")
        ),
        text,
    )
    return re.sub(r"([√∛∜])\s*", lambda m: _ROOTS[m.group(1)] + " ", text)


_ROOTS = {"√": "square root of", "∛": "cube root of", "∜": "fourth root of"}


def tidy_spaces(text: str) -> str:
    """Collapse runs of spaces and close up space before punctuation.

    >>> tidy_spaces("  a   b , c ,  , d .  ")
    'a b, c, d.'
    >>> tidy_spaces(", leading comma")
    'leading comma'
    """
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r"^[\s,;]+", "", text)
    return text.strip()


# --- rules: English -----------------------------------------------------------------


def expand_abbreviations(text: str) -> str:
    """Expand titles, street types, company suffixes and common Latin abbreviations.

    Context decides ambiguous ones: ``St.``/``Dr.`` after a street name or a number are
    Street/Drive, before a name Saint/Doctor. ``U.S.``-style initialisms are left alone
    (engines read them well). Tables: ``data/abbreviations-en.toml``.

    >>> expand_abbreviations("Dr. Smith met Mr. and Mrs. Jones and Ms. Lee.")
    'Doctor Smith met Mister and Missus Jones and Miz Lee.'
    >>> expand_abbreviations("She lives at 12 Elm Dr. near St. Louis, on 42nd St.")
    'She lives at 12 Elm Drive near Saint Louis, on 42nd Street.'
    >>> expand_abbreviations("The St. Louis Cardinals; Oxford St is busy; Jill St. John")
    'The Saint Louis Cardinals; Oxford Street is busy; Jill Saint John'
    >>> expand_abbreviations("Gov. Newsom and Sen. Warren (D-Mass.) met Gen. Milley")
    'Governor Newsom and Senator Warren (Democrat of Massachusetts) met General Milley'
    >>> expand_abbreviations("in Palo Alto, Calif., and Springfield, Ill.")
    'in Palo Alto, California, and Springfield, Illinois.'
    >>> expand_abbreviations("Martin Luther King Jr. and Apple Inc. vs. Acme Co.")
    'Martin Luther King Junior and Apple Incorporated versus Acme Company.'
    >>> expand_abbreviations("No. 5 and Nos. 6, e.g. apples, i.e. fruit, etc.")
    'number 5 and numbers 6, for example apples, that is fruit, et cetera.'
    >>> expand_abbreviations("Roe v. Wade; Gen Z; the U.S. and U.K.; No one; Dr Who")
    'Roe versus Wade; Gen Z; the U.S. and U.K.; No one; Doctor Who'
    >>> expand_abbreviations("open 24/7 with and/or w/o fees since 9/11")
    'open twenty-four seven with and or without fees since nine eleven'
    """
    table = _abbreviations()
    text = _expand_fixed_words(text, table)
    text = _expand_party_tags(text, table)
    states: Mapping[str, str] = table["us_states"]
    text = re.sub(
        rf"(\b[A-Z][\w'-]*,\s+)({_alternation(states)})(?!\w)",
        lambda m: m.group(1) + _keep_final_period(m, states[m.group(2)]),
        text,
    )
    text = _expand_before_numbers(text)
    text = _expand_streets(text, table["streets"])
    text = _expand_after_names(text, table["after_names"])
    names: Mapping[str, str] = table["before_names"]
    always = _alternation(table["context"]["always_titles"])
    text = re.sub(
        rf"(?<![\w.])(?:({_alternation(names)})(?=\s+[A-Z])|({always})(?=\s))",
        lambda m: names[m.group(1) or m.group(2)],
        text,
    )
    undotted: Mapping[str, str] = table["before_names_undotted"]
    always_undotted = _alternation(table["context"]["always_titles_undotted"])
    return re.sub(
        rf"(?<![\w.])(?:({_alternation(undotted)})(?=\s+[A-Z][a-z])|({always_undotted})(?=\s+\w))",
        lambda m: undotted[m.group(1) or m.group(2)],
        text,
    )


def _expand_before_numbers(text: str) -> str:
    """'No. 5' -> 'number 5', 'pp. 10' -> 'pages 10': labels that stand before a number."""
    numbers: Mapping[str, str] = _abbreviations()["before_numbers"]
    return re.sub(
        rf"(?<![\w.])({_alternation(numbers)})\s*(?=#?\d)",
        lambda m: numbers[m.group(1)] + " ",
        text,
    )


def _expand_fixed_words(text: str, table: Mapping[str, Any]) -> str:
    """Whole tokens with one reading ("24/7", "e.g.", "WWII"), wherever they stand."""
    fixed: Mapping[str, str] = table["fixed"]
    # A maker before a number names a model: "a Porsche 911" is "nine eleven".
    after_model = re.compile(rf"(?<![\w.])(?:{_alternation(table['model_numbers']['before'])}) $")

    def said(m: re.Match[str]) -> str:
        if m.group(1).isdigit() and after_model.search(m.string[: m.start()]):
            return m.group(0)
        return fixed[m.group(1)]

    text = re.sub(rf"(?<![\w/])({_alternation(fixed)})(?![\w/])", said, text)
    words: Mapping[str, str] = table["words"]
    return re.sub(
        rf"(?<![\w.])({_alternation(words)})(?!\w)",
        lambda m: _keep_final_period(m, words[m.group(1)]),
        text,
    )


def _expand_party_tags(text: str, table: Mapping[str, Any]) -> str:
    """'(D-Mass.)' -> '(Democrat of Massachusetts)'; '(R-Texas)' -> '(Republican of Texas)'."""
    parties: Mapping[str, str] = table["parties"]
    states: Mapping[str, str] = table["us_states"]

    def party(m: re.Match[str]) -> str:
        place = m.group(2).strip()
        return f"({parties[m.group(1)]} of {states.get(place, place)})"

    return re.sub(r"\((D|R|I)[-–]([A-Z][A-Za-z. ]*?)\)", party, text)


# Capitalized words that start a sentence or a phrase: never a name before "St." or
# before a Roman numeral ("An IV drip").
_NOT_A_NAME = frozenset(
    {"The", "A", "An", "In", "On", "At", "From", "To", "Of", "For", "By", "With", "Near"}
    | {"Into", "Onto", "And", "Or", "But", "Visit", "Visited", "This", "That", "Its", "His"}
    | {"Her", "Their", "Our", "My", "Your", "No", "Each", "Every", "Any", "Some", "One"}
)


def _expand_streets(text: str, streets: Mapping[str, str]) -> str:
    """'Main St.' / '42nd St.' -> Street; ambiguous 'St'/'Dr' only when no name follows."""
    ambiguous = {"St", "Dr"}

    def street(m: re.Match[str]) -> str:
        before, abbrev = m.group(1), m.group(2)
        name = before.split()[-1] if before.split() else ""
        next_is_name = re.match(r"\s+[A-Z]", m.string[m.end() :]) is not None
        if name in _NOT_A_NAME or (abbrev in ambiguous and next_is_name):
            return m.group(0)
        return before + _keep_final_period(m, streets[abbrev])

    return re.sub(
        rf"(\b(?:\d+(?:st|nd|rd|th)?|[A-Z][\w'-]*)\s+)({_alternation(streets)})\b\.?",
        street,
        text,
    )


def _expand_after_names(text: str, suffixes: Mapping[str, str]) -> str:
    """'King Jr.' -> 'King Junior'; 'Apple Inc' -> 'Apple Incorporated'."""
    return re.sub(
        rf"(\b[A-Z][\w'&-]*,?\s+)({_alternation(suffixes)})(?:\.|\b)(?!\w)",
        lambda m: m.group(1) + _keep_final_period(m, suffixes[m.group(2)]),
        text,
    )


def _house_number(digits: str) -> str:
    """A house number the way it is said: in pairs from the right, hundreds whole.

    >>> [_house_number(n) for n in ("7", "42", "100", "221", "305", "1428", "1600", "4059")]
    ['seven', 'forty-two', 'one hundred', 'two twenty-one', 'three oh five', 'fourteen twenty-eight', 'sixteen hundred', 'forty fifty-nine']
    >>> [_house_number(n) for n in ("2000", "1005", "12345", "07")]
    ['two thousand', 'ten oh five', 'one twenty-three forty-five', 'zero seven']
    """
    if digits.startswith("0") or len(digits) <= 2:
        return _cardinal(digits)
    if len(digits) == 3:
        if digits[1:] == "00":
            return _words(int(digits))
        head, tail = digits[0], digits[1:]
    elif len(digits) == 4:
        if digits[1:] == "000":
            return _words(int(digits))
        head, tail = digits[:2], digits[2:]
    else:
        return f"{_cardinal(digits[0])} {_house_number(digits[1:])}"
    if tail == "00":
        return f"{_words(int(head))} hundred"
    if tail.startswith("0"):
        return f"{_words(int(head))} oh {_words(int(tail))}"
    return f"{_words(int(head))} {_words(int(tail))}"


@functools.cache
def _address_pattern() -> re.Pattern[str]:
    table = _abbreviations()["addresses"]
    directions = _alternation(table["directions"])
    streets = _alternation([*table["street_words"], *table["street_abbreviations"]])
    name = r"(?:[A-Z][\w'’-]*|\d+(?:st|nd|rd|th))"
    return re.compile(
        rf"(?<![\w$£€.,/-])(?P<number>[1-9]\d{{0,4}})(?P<letter>[A-Z])?"
        rf"(?:\s+(?P<before>{directions})\b\.?)?"
        rf"(?P<name>(?:\s+{name}){{1,4}}?)\s+(?P<street>{streets})\b(?P<dot>\.)?"
        rf"(?:\s+(?P<after>{directions})\b(?!\.\w))?"
    )


def expand_addresses(text: str) -> str:
    """Read street addresses as a narrator says them: the house number in pairs
    ("1428 Elm St." -> "fourteen twenty-eight Elm Street."), directions and street
    types in full. Tables: ``[addresses]`` in ``data/abbreviations-en.toml``.

    >>> expand_addresses("at 1428 Elm St. and 221B Baker Street")
    'at fourteen twenty-eight Elm Street and two twenty-one B Baker Street'
    >>> expand_addresses("100 Main St, 12 N Main St, 500 S. Grand Blvd.")
    'one hundred Main Street, twelve North Main Street, five hundred South Grand Boulevard.'
    >>> expand_addresses("1600 Pennsylvania Ave NW; 2 E 42nd St; 9 Jefferson Expy")
    'sixteen hundred Pennsylvania Avenue Northwest; two East 42nd Street; nine Jefferson Expressway'
    >>> expand_addresses("In 2019 Street food grew; at 5 St; 40 The Way")
    'In 2019 Street food grew; at 5 St; 40 The Way'
    >>> expand_addresses("No. 10 Downing Street")
    'number ten Downing Street'

    Known limit: a title-case headline with a count before a street word ("350 Miles
    Road Trip") reads the count as a house number.
    """
    table = _abbreviations()["addresses"]
    directions: Mapping[str, str] = table["directions"]
    streets: Mapping[str, str] = table["street_abbreviations"]

    def address(m: re.Match[str]) -> str:
        if m.group("name").split()[0] in _NOT_A_NAME:
            return m.group(0)
        said = [_house_number(m.group("number"))]
        if m.group("letter"):
            said.append(m.group("letter"))
        if m.group("before"):
            said.append(directions[m.group("before")])
        said.append(m.group("name").strip())
        said.append(streets.get(m.group("street"), m.group("street")))
        if m.group("after"):
            said.append(directions[m.group("after")])
        spoken = " ".join(said)
        if m.group("dot") and not m.group("after"):
            spoken = _keep_final_period(m, spoken)
        return spoken

    # "No. 10 Downing Street": the label first, while a digit still follows it
    return _address_pattern().sub(address, _expand_before_numbers(text))


@functools.cache
def _state_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    codes = _abbreviations()["us_state_codes"]
    names = {*codes.values(), *_abbreviations()["us_states"], *codes}
    city = r"\b[A-Z][a-z][\w'’.-]*(?:\s+[A-Z][a-z][\w'’.-]*){0,3},\s+"
    after = r"(?=\s+\d{5}(?:-\d{4})?\b|\s*[,.;:!?)]|\s*$)"
    state = re.compile(rf"({city})({_alternation(codes)})\b(?!\.\w){after}")
    zip_code = re.compile(rf"\b({_alternation(names)})(\s+)(\d{{5}})(?:-(\d{{4}}))?(?![\d-])")
    return state, zip_code


def expand_state_codes(text: str) -> str:
    """Name a US state written as its code after a city ("Austin, TX" -> "Austin,
    Texas"), and read the ZIP code after a state digit by digit.

    Codes that are also words in capitals (OK, IN, OR, ME) count only before a ZIP.

    >>> expand_state_codes("in Austin, TX, and Portland, OR 97201")
    'in Austin, Texas, and Portland, Oregon nine seven two zero one'
    >>> expand_state_codes("New York, NY 10001; Seattle, WA 98101-1234; Texas 78701")
    'New York, New York one zero zero zero one; Seattle, Washington nine eight one zero one, one two three four; Texas seven eight seven zero one'
    >>> expand_state_codes("Fine, OK. Yes, IN the end; Hello, CA is big")
    'Fine, OK. Yes, IN the end; Hello, CA is big'
    """
    codes: Mapping[str, str] = _abbreviations()["us_state_codes"]
    needs_zip = set(_abbreviations()["us_state_codes_context"]["needs_zip"])
    state, zip_code = _state_patterns()

    def named(m: re.Match[str]) -> str:
        has_zip = re.match(r"\s+\d{5}", m.string[m.end() :]) is not None
        if m.group(2) in needs_zip and not has_zip:
            return m.group(0)
        return m.group(1) + codes[m.group(2)]

    def digits(m: re.Match[str]) -> str:
        said = " ".join(_DIGIT_WORDS[int(d)] for d in m.group(3))
        if m.group(4):
            said += ", " + " ".join(_DIGIT_WORDS[int(d)] for d in m.group(4))
        return f"{m.group(1)}{m.group(2)}{said}"

    return zip_code.sub(digits, state.sub(named, text))


def _spell_out(code: str) -> str:
    """'SW1A' -> 'S W one A': letters apart, digits one by one."""
    return " ".join(_DIGIT_WORDS[int(c)] if c.isdigit() else c for c in code)


def expand_postcodes(text: str) -> str:
    """Read British and Canadian postcodes character by character.

    >>> expand_postcodes("London SW1A 1AA, Ottawa ON K1A 0B1, or M1 1AE")
    'London S W one A, one A A, Ottawa ON K one A, zero B one, or M one, one A E'
    """
    text = re.sub(
        r"\b([A-Z]{1,2}\d[A-Z\d]?)\s(\d[A-Z]{2})\b",
        lambda m: f"{_spell_out(m.group(1))}, {_spell_out(m.group(2))}",
        text,
    )
    return re.sub(
        r"\b([A-Z]\d[A-Z])\s(\d[A-Z]\d)\b",
        lambda m: f"{_spell_out(m.group(1))}, {_spell_out(m.group(2))}",
        text,
    )


@functools.cache
def _months() -> Mapping[str, str]:
    """Month names and abbreviations, as written and in capitals ("FEB", "SEPT")."""
    months: Mapping[str, str] = _abbreviations()["months"]
    return {**months, **{key.upper(): name for key, name in months.items()}}


def _month_name(number: int) -> str:
    """1 -> 'January' ... 12 -> 'December'."""
    names: list[str] = list(_abbreviations()["months"].values())
    return names[number - 1]


_DAY = r"(3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"


def expand_dates(text: str) -> str:
    """Read dates the way they are said: "January fifth, twenty twenty-four".

    Month abbreviations are expanded only before a number. ``5/1/2024`` is left alone
    (day-month order is unknowable); ISO ``2024-01-05`` is read.

    >>> expand_dates("On Jan. 5, 2024, and March 3rd, talks resumed.")
    'On January fifth, twenty twenty-four, and March third, talks resumed.'
    >>> expand_dates("from 5 January 2024 to the 9 Feb")
    'from the fifth of January twenty twenty-four to the ninth of February'
    >>> expand_dates("due 2024-01-05; Sept. 11; May 10-12")
    'due January fifth, twenty twenty-four; September eleventh; May tenth to twelfth'
    >>> expand_dates("In Dec. 2023 it rained; Jan said so; May I go?")
    'In December 2023 it rained; Jan said so; May I go?'
    >>> expand_dates("FEB. 3, SEPT 12 and 30 APR 2020; MAY I?")
    'February third, September twelfth and the thirtieth of April twenty twenty; MAY I?'
    """
    months = _months()
    names = _alternation(months)

    def month_day(m: re.Match[str]) -> str:
        spoken = f"{months[m.group(1)]} {_ordinal(int(m.group(2)))}"
        if m.group(3):
            spoken += f" to {_ordinal(int(m.group(3)))}"
        if m.group(4):
            spoken += f", {_year_words(int(m.group(4)))}"
        return spoken

    def day_month(m: re.Match[str]) -> str:
        spoken = f"the {_ordinal(int(m.group(2)))} of {months[m.group(3)]}"
        if m.group(4):
            spoken += f" {_year_words(int(m.group(4)))}"
        return spoken

    def iso(m: re.Match[str]) -> str:
        month = _month_name(int(m.group(2)))
        return f"{month} {_ordinal(int(m.group(3)))}, {_year_words(int(m.group(1)))}"

    text = re.sub(r"\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b", iso, text)
    text = _weekdays(text, names)
    text = re.sub(
        rf"\b({names})\.?\s+{_DAY}(?:\s*[-–]\s*{_DAY})?(?![\d:%.,]\d|\d)(?:,?\s+(\d{{4}})\b)?",
        month_day,
        text,
    )
    text = re.sub(
        rf"(?<![\d,.])\b((?i:the)\s+)?{_DAY}\s+({names})\b\.?(?:,?\s+(\d{{4}})\b)?",
        day_month,
        text,
    )
    return re.sub(rf"\b({names})\.?(?=\s+\d{{4}}\b)", lambda m: months[m.group(1)], text)


def _weekdays(text: str, months: str) -> str:
    """A weekday abbreviation before a date is the day's name: "Wed, Jan 3" ->
    "Wednesday, Jan 3"; "Sun. 5 May" -> "Sunday 5 May". ``months`` is the alternation of
    month names the date may start with.

    >>> _weekdays("Wed, Jan 3; Sun. 5 May; Fri 12/4; they wed in June", "Jan|May|June")
    'Wednesday, Jan 3; Sunday 5 May; Fri 12/4; they wed in June'
    >>> _weekdays("The Sun, May 3 edition", "May")
    'The Sun, May 3 edition'
    """
    days: Mapping[str, str] = _abbreviations()["weekdays"]
    return re.sub(
        rf"(?<![Tt]he )\b({_alternation(days)})\b\.?(?=,?\s+(?:(?:{months})\b|\d{{1,2}}\s+(?:{months})\b))",
        lambda m: days[m.group(1)],
        text,
    )


def _full_year(digits: str) -> int:
    """'2019' -> 2019; a two-digit year up to 30 is this century, later ones the last."""
    year = int(digits)
    if len(digits) == 2:
        return 2000 + year if year <= 30 else 1900 + year
    return year


def _say_date(year: int | None, month: int, day: int, day_first: bool) -> str | None:
    """'June fourth, twenty nineteen' or 'the fourth of June twenty nineteen'; None if
    there is no such day."""
    if not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        return None
    name, nth = _month_name(month), _ordinal(day)
    if day_first:
        return f"the {nth} of {name}" + (f" {_year_words(year)}" if year else "")
    return f"{name} {nth}" + (f", {_year_words(year)}" if year else "")


def expand_numeric_dates(text: str, day_first: bool = False) -> str:
    """Read all-number dates: "3/14/07" -> "March fourteenth, two thousand seven".

    Which of the first two numbers is the month follows the locale (``day_first``,
    chosen by ``rules_for`` from the language tag's region: month first in the US),
    unless one of them is over 12. Year-first dates (``2019/06/04``) are year, month,
    day everywhere; dotted dates (``04.06.2019``) are written day first, as in Europe.
    Numbers that are no date ("13/13/2020", "1/2" and fractions) are left alone.

    >>> expand_numeric_dates("on 3/14/07 and 12/25/2020")
    'on March fourteenth, two thousand and seven and December twenty-fifth, twenty twenty'
    >>> expand_numeric_dates("on 4/6/2019"), expand_numeric_dates("on 4/6/2019", day_first=True)
    ('on April sixth, twenty nineteen', 'on the fourth of June twenty nineteen')
    >>> expand_numeric_dates("27/01/2021; 2019/06/04; 04.06.2019")
    'the twenty-seventh of January twenty twenty-one; June fourth, twenty nineteen; the fourth of June twenty nineteen'
    >>> expand_numeric_dates("13/13/2020, 2/30/2021, 1/2 cup, 24/7, 10.0.0.1, 1.2.10")
    '13/13/2020, 2/30/2021, 1/2 cup, 24/7, 10.0.0.1, 1.2.10'
    >>> expand_numeric_dates("on 2/14, until 12/31; on 3/4 of days, cut by 1/3, on 2/30")
    'on February fourteenth, until December thirty-first; on 3/4 of days, cut by 1/3, on 2/30'
    >>> expand_numeric_dates("since 9/11, on 24/7 call")
    'since 9/11, on 24/7 call'
    """

    def slashed(m: re.Match[str]) -> str:
        first, second, year = int(m.group(1)), int(m.group(2)), _full_year(m.group(3))
        if first > 12 or (day_first and second <= 12):
            spoken = _say_date(year, second, first, True)
        else:
            spoken = _say_date(year, first, second, False)
        return spoken or m.group(0)

    def year_first(m: re.Match[str]) -> str:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _say_date(year, month, day, False) or m.group(0)

    def dotted(m: re.Match[str]) -> str:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _say_date(year, month, day, True) or m.group(0)

    def no_year(m: re.Match[str]) -> str:
        if f"{m.group(2)}/{m.group(3)}" in _abbreviations()["fixed"]:
            return m.group(0)  # "since 9/11" is the day's name, "on 24/7 call" no date
        first, second = int(m.group(2)), int(m.group(3))
        if first > 12 or (day_first and second <= 12):
            spoken = _say_date(None, second, first, True)
        else:
            spoken = _say_date(None, first, second, False)
        return m.group(1) + spoken if spoken else m.group(0)

    text = re.sub(r"(?<![\w/.,-])(\d{4})/(\d{1,2})/(\d{1,2})(?![\w/]|[.,]\d)", year_first, text)
    # "on 2/14": without a year only after a word that wants a date, and not "on 3/4 of"
    text = re.sub(
        r"\b((?:[Oo]n|[Uu]ntil|[Tt]ill|[Ss]ince|[Ee]ffective)\s+)(\d{1,2})/(\d{1,2})"
        r"(?![\w/]|[.,]\d|\s+(?:of|an?|the|cups?|inch|inches|mile|miles|teaspoons?)\b)",
        no_year,
        text,
    )
    text = re.sub(r"(?<![\w/.,-])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\w/]|[.,]\d)", slashed, text)
    text = re.sub(r"(?<![\w/.,-])(\d{1,2})-(\d{1,2})-(\d{4})(?![\w/-]|[.,]\d)", slashed, text)
    return re.sub(r"(?<![\w.,])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\w.]|,\d)", dotted, text)


_AMPM = r"(?:(?P<a>[AaPp])\.\s?[Mm]\.?|(?P<b>[AaPp])[Mm]\b)"


_CLOCK = r"\d{1,2}(?:[:.][0-5]\d)?"
_MERIDIEM = r"\s*(?:[AaPp]\.\s?[Mm]\.?|[AaPp][Mm]\b)"


def _time_ranges(text: str) -> str:
    """A dash between two clock times is "to": "9am-5 pm", "5-6pm", "9:30-11:00".

    >>> _time_ranges("9am-5 pm, 5-6pm, 9:30-10:45 a.m., 9:30–11:00; 5-6 people, 7.30-9pm")
    '9am to 5 pm, 5 to 6pm, 9:30 to 10:45 a.m., 9:30 to 11:00; 5-6 people, 7:30 to 9pm'
    >>> _time_ranges("9 a.m.–noon, 8pm-midnight, 10:30-noon; 5-noonish")
    '9 a.m. to noon, 8pm to midnight, 10:30 to noon; 5-noonish'
    """
    text = re.sub(
        rf"(?<![\d:.,])\b({_CLOCK}(?:{_MERIDIEM})?)\s?[-–]\s?(?={_CLOCK}{_MERIDIEM})",
        # In "7.30-9pm" 7.30 is a time: written with a colon, expand_times reads it.
        lambda m: re.sub(r"^(\d{1,2})\.(?=[0-5]\d)", r"\1:", m.group(1)) + " to ",
        text,
    )
    text = re.sub(
        rf"(?<![\d:.,])\b({_CLOCK}(?:{_MERIDIEM})?)\s?[-–]\s?(?=(?:noon|midnight)\b)",
        r"\1 to ",
        text,
    )
    return re.sub(
        r"(?<![\d:.,])\b(\d{1,2}:[0-5]\d)\s?[-–]\s?(?=\d{1,2}:[0-5]\d(?!\d))", r"\1 to ", text
    )


def _durations(text: str) -> str:
    """'2:01:09' -> 'two hours one minute nine seconds'."""

    def duration(m: re.Match[str]) -> str:
        parts = zip(m.groups(), ("hour", "minute", "second"), strict=True)
        said = [f"{_words(int(n))} {unit}{'' if int(n) == 1 else 's'}" for n, unit in parts]
        return " ".join(said)

    return re.sub(r"(?<![\d:.])\b(\d{1,2}):([0-5]\d):([0-5]\d)(?![\d:])", duration, text)


def _clock_seconds(text: str) -> str:
    """A clock time to the second, which its AM or PM tells from a duration:
    '1:05:30 p.m.' -> 'one oh five and thirty seconds PM'.

    >>> _clock_seconds("at 11:59:59 pm, ran 2:01:09")
    'at eleven fifty-nine and fifty-nine seconds PM, ran 2:01:09'
    """

    def said(m: re.Match[str]) -> str:
        minute, second = int(m.group("minute")), int(m.group("second"))
        minutes = f"oh {_words(minute)}" if 0 < minute < 10 else _words(minute) if minute else ""
        seconds = f"{_words(second)} second{'' if second == 1 else 's'}"
        letter = (m.group("a") or m.group("b")).upper()
        said = f"{_words(int(m.group('hour')))} {minutes} and {seconds} {letter}M"
        return _keep_final_period(m, re.sub(r"\s+", " ", said))

    return re.sub(
        rf"(?<![\d:.])\b(?P<hour>1[0-2]|0?[1-9]):(?P<minute>[0-5]\d):(?P<second>[0-5]\d)\s*{_AMPM}",
        said,
        text,
    )


def _military_times(text: str) -> str:
    """Four-digit clock times before "hours": '0900 hours' -> 'oh nine hundred hours',
    'at 1430 hrs' -> 'at fourteen thirty hrs'. Without a leading zero only after a word
    that wants a time ("at", "by", "until"...), since "1030 hours of video" is a count.

    >>> _military_times("at 0900 hours, by 1430 hrs, until 2305 hours and 0000 hours")
    'at oh nine hundred hours, by fourteen thirty hrs, until twenty-three oh five hours and zero hundred hours'
    >>> _military_times("1030 hours of video; at 2500 hours")
    '1030 hours of video; at 2500 hours'
    """

    def said(m: re.Match[str]) -> str:
        hour, minute = m.group("hour"), int(m.group("minute"))
        if not hour.startswith("0") and not m.group("at"):
            return m.group(0)
        if hour == "00":
            hours = "zero" if minute == 0 else "zero zero"  # "zero hundred", "zero zero fifteen"
        else:
            hours = ("oh " if hour.startswith("0") else "") + _words(int(hour))
        minutes = "hundred" if minute == 0 else ("oh " if minute < 10 else "") + _words(minute)
        return f"{m.group('at') or ''}{hours} {minutes}{m.group('unit')}"

    return re.sub(
        r"(?P<at>\b(?:at|by|until|till|from|to|before|after|since|around)\s)?"
        r"(?<![\d:.,])\b(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d)(?P<unit>\s?(?:hours|hrs)\b)",
        said,
        text,
    )


def _time_suffix(m: re.Match[str], zones: Mapping[str, str]) -> str:
    """What follows a time's number: " AM"/" PM", then its zone named."""
    letter = m.group("a") or m.group("b")
    said = f" {letter.upper()}M" if letter else ""
    return said + (f" {zones[m.group('zone')]}" if m.group("zone") else "")


def _say_clock(m: re.Match[str], zones: Mapping[str, str]) -> str:
    """A time with minutes ("9:05" -> "nine oh five"), from ``expand_times``' patterns."""
    hour, minute = int(m.group("hour")), int(m.group("minute"))
    after = _time_suffix(m, zones)
    if hour == 0 and not (m.group("a") or m.group("b")):
        if minute == 0:
            return _keep_final_period(m, "midnight" + after)
        hour, after = 12, " AM" + after  # "00:30" is half past midnight
    if minute == 0:
        named = (
            m.group("a") or m.group("b") or re.match(r"\s(?:noon|midnight)\b", m.string[m.end() :])
        )
        minutes = "" if named else (" o'clock" if hour <= 12 else " hundred")
    elif minute < 10:
        minutes = f" oh {_words(minute)}"
    else:
        minutes = f" {_words(minute)}"
    return _keep_final_period(m, f"{_words(hour)}{minutes}{after}")


def expand_times(text: str) -> str:
    """Read clock times: "10:30 a.m." -> "ten thirty AM", "3 p.m." -> "three PM".

    Minutes must have two digits, so ratios and scores such as ``3:1`` or ``16:9`` are
    not times (``expand_ranges`` reads them). ``1:23:45`` is a duration. A time zone
    right after a time is named ("10 a.m. ET" -> "ten AM Eastern time").

    >>> expand_times("at 10:30 a.m. and 3 p.m.")
    'at ten thirty AM and three PM.'
    >>> expand_times("at 9:05, 12:00 PM, 14:00 and 10:00")
    "at nine oh five, twelve PM, fourteen hundred and ten o'clock"
    >>> expand_times("won 3:1 on a 16:9 screen; I am 5; ran 2:01:09")
    'won 3:1 on a 16:9 screen; I am 5; ran two hours one minute nine seconds'
    >>> expand_times("at 10 a.m. ET and 18:30 GMT; ET phoned")
    'at ten AM Eastern time and eighteen thirty G M T; ET phoned'
    >>> expand_times("at 7.30pm")
    'at seven thirty PM'
    >>> expand_times("at 00:45, 12:00 noon, 4:15:20 p.m.; a 1:25 scale map; 00:00 GMT")
    'at twelve forty-five AM, twelve noon, four fifteen and twenty seconds PM; a 1:25 scale map; midnight G M T'
    >>> expand_times("Mon 12 May 2025 17.42 BST; 3.45 percent; 9.05 CET")
    'Mon 12 May 2025 seventeen forty-two British Summer Time; 3.45 percent; nine oh five Central European Time'
    """
    zones: Mapping[str, str] = _abbreviations()["time_zones"]
    zone = rf"(?:\s+(?P<zone>{_alternation(zones)})\b)?"
    text = _time_ranges(text)
    clock = functools.partial(_say_clock, zones=zones)

    def bare_hour(m: re.Match[str]) -> str:
        return _keep_final_period(m, f"{_words(int(m.group('hour')))}{_time_suffix(m, zones)}")

    text = _durations(_clock_seconds(_military_times(text)))
    text = re.sub(
        rf"(?<![\d:.])\b(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?![\d:])"
        r"(?!\s(?:scale|ratio)\b)"  # "a 1:50 scale model" is a ratio
        rf"(?:\s*{_AMPM})?{zone}",
        clock,
        text,
    )
    text = re.sub(
        rf"(?<![\d:.])\b(?P<hour>1[0-2]|0?[1-9])\.(?P<minute>[0-5]\d)\s*{_AMPM}{zone}",
        clock,
        text,
    )
    # British style: "17.42 BST", a dotted time that only its time zone marks as one
    text = re.sub(
        rf"(?<![\d:.,])\b(?P<hour>[01]?\d|2[0-3])\.(?P<minute>[0-5]\d)(?:\s*{_AMPM})?"
        rf"\s+(?P<zone>{_alternation(zones)})\b",
        clock,
        text,
    )
    return re.sub(rf"(?<![\d:.,])\b(?P<hour>1[0-2]|0?[1-9])\s*{_AMPM}{zone}", bare_hour, text)


_PHONE = re.compile(
    r"(?<![\w+-])(?:\+\d{1,3}(?:[ .-]?\(\d{1,5}\)|[ .-]\d{1,8}){2,6}"
    r"|(?:1[-. ])?(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}"
    r"|\(\d{2,5}\)\s?\d{3,4}[\s.-]\d{4}"
    r"|0\d{2,4}[ -]\d{3,4}[ -]\d{3,4}"
    r"|\d{3}-\d{4})(?![\w-]|[.,]\d)"
)


def expand_phone_numbers(text: str) -> str:
    """Read phone numbers digit by digit, with a pause between groups.

    >>> expand_phone_numbers("call 1-800-555-0199 now")
    'call one, eight zero zero, five five five, zero one nine nine now'
    >>> expand_phone_numbers("call (202) 555-0143, or 555-1234.")
    'call two zero two, five five five, zero one four three, or five five five, one two three four.'
    >>> expand_phone_numbers("dial +44 20 7946 0958 now")
    'dial plus four four, two zero, seven nine four six, zero nine five eight now'
    >>> expand_phone_numbers("from 2019-2023, a 10-12 range, 100-200 people")
    'from 2019-2023, a 10-12 range, 100-200 people'
    >>> expand_phone_numbers("020 7946 0958, 0800 123 4567")
    'zero two zero, seven nine four six, zero nine five eight, zero eight zero zero, one two three, four five six seven'
    >>> expand_phone_numbers("(020) 7946 0958 or +49 30 123456; +2 3 4")
    'zero two zero, seven nine four six, zero nine five eight or plus four nine, three zero, one two three four five six; +2 3 4'
    """

    def digits(m: re.Match[str]) -> str:
        groups = re.findall(r"\d+", m.group(0))
        if len("".join(groups)) < 7:
            return m.group(0)  # "+2 3 4" is no number anyone dials
        said = ", ".join(" ".join(_DIGIT_WORDS[int(d)] for d in group) for group in groups)
        return ("plus " if m.group(0).startswith("+") else "") + said

    return _short_numbers(_PHONE.sub(digits, text))


def _short_numbers(text: str) -> str:
    """A short number someone calls is read digit by digit: "call 999", "dial 112",
    "ring 101"; "called 300 voters" counts people.

    >>> _short_numbers("Call 999 or dial 112; text HELP to 80088? They called 300 voters.")
    'Call nine nine nine or dial one one two; text HELP to 80088? They called 300 voters.'
    >>> _short_numbers("dialling 101 now, calls 111 daily")
    'dialling one zero one now, calls one one one daily'
    """
    nouns = _count_nouns()

    def digits(m: re.Match[str]) -> str:
        after = re.match(r"\s+([a-z]+)", m.string[m.end() :])
        if after and after.group(1) in nouns:
            return m.group(0)
        return m.group(1) + _spell_out(m.group(2))

    return re.sub(
        r"\b((?:[Cc]all|[Dd]ial|[Rr]ing|[Pp]hone)(?:s|ed|ing|led|ling)?\s+)(\d{3,6})\b(?![\d,.:/-])",
        digits,
        text,
    )


def join_digit_groups(text: str) -> str:
    """Thousands grouped with spaces, as SI style writes them, become one number:
    "1 000 000" -> "1,000,000"; one group only with a narrow or no-break space ("3 500"
    with a plain space may be two numbers: "rooms 3 500 and 600").

    >>> join_digit_groups("1 000 000 people, 3\u202f500 km, 12\u00a0000; rooms 3 500")
    '1,000,000 people, 3,500 km, 12,000; rooms 3 500'
    """
    text = re.sub(
        r"(?<![\d,.])\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d,]|\.\d)",
        lambda m: re.sub(r"[\u00a0\u202f\u2009]", ",", m.group(0)),
        text,
    )
    return re.sub(
        r"(?<![\d,.] )(?<![\d,.])\d{1,3}(?: \d{3}){2,}(?![\d,]|\.\d| \d)",
        lambda m: m.group(0).replace(" ", ","),
        text,
    )


_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"


@functools.cache
def _currency_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    table = _table("currencies-en.toml")
    symbols = _alternation([*table["symbols"], *table["codes"]])
    letters = _alternation(k for k in table["multipliers"] if len(k) <= 3)
    spaced = _alternation(k for k in table["multipliers"] if len(k) > 3)

    def scale(n: int) -> str:
        return rf"(?:(?P<short{n}>{letters})|\s(?P<long{n}>{spaced}))(?!\w)"

    prefix = re.compile(
        rf"(?<![\w$])(?P<symbol>{symbols})\s?(?P<low>{_AMOUNT})(?:{scale(1)})?"
        rf"(?:\s*(?:-|–|to)\s*(?:{symbols})?\s?(?P<high>{_AMOUNT})(?:{scale(2)})?)?"
        r"(?!\w)"
    )
    single = _alternation(k for k in table["symbols"] if len(k) == 1)
    suffix = re.compile(rf"(?<![\w.,])(?P<low>{_AMOUNT})\s?(?P<symbol>{single})(?!\w)")
    # "5 USD", "1.5 million EUR": a code after the amount, always with a space.
    code_after = re.compile(
        rf"(?<![\w.,$])(?P<low>{_AMOUNT})(?:{scale(1)})?\s(?P<symbol>{_alternation(table['codes'])})\b"
    )
    return prefix, suffix, code_after


def _currency(symbol: str) -> Mapping[str, Any]:
    """The table entry for a currency symbol or an ISO code ("USD" -> that of "US$")."""
    table = _table("currencies-en.toml")
    info: Mapping[str, Any] = table["symbols"][table["codes"].get(symbol, symbol)]
    return info


def _before_a_noun(m: re.Match[str]) -> bool:
    """Whether the amount in ``m`` modifies a noun, as in "a $5 fee" or "an 8 km run":
    "a"/"an" before it and after it a lowercase word that is not a conjunction, or an
    acronym ("a 2TB SSD")."""
    before = re.search(r"(?:^|\s)[Aa]n?\s+$", m.string[: m.start()])
    after = re.match(r"\s+([a-z]+|[A-Z]{2,5})\b", m.string[m.end() :])  # "a $5 ATM fee"
    return bool(before and after and after.group(1) not in _NOT_A_NOUN)


# Words after an amount that do not make it an adjective ("a $5 or $10 fee").
_NOT_A_NOUN = frozenset({"or", "and", "to", "of", "per", "a", "an", "the", "for", "each", "in"})


def _pence(text: str) -> str:
    """'99p' -> '99 pence', '1p' -> '1 penny'; '720p' and '1080p' are resolutions.

    >>> _pence("a 50p coin, 1p, costs 99p. A 1080p screen; 5pm")
    'a 50 pence coin, 1 penny, costs 99 pence. A 1080p screen; 5pm'
    """
    singular, plural = _table("currencies-en.toml")["pence"]["name"]
    return re.sub(
        r"(?<![\w.,£$€])(\d{1,2})p\b(?!\.\w)",
        lambda m: f"{m.group(1)} {singular if m.group(1) == '1' else plural}",
        text,
    )


def _say_amount(info: Mapping[str, Any], amount: str) -> str | None:
    """'3 dollars 50 cents', '99 cents', '3 pounds 40' for an amount with exactly two
    decimals in a currency with a minor unit; None otherwise."""
    whole, _, cents = amount.replace(",", "").partition(".")
    minor = info.get("minor")
    if not minor or len(cents) != 2:
        return None
    singular, plural = info["name"]
    parts = []
    if whole not in ("", "0"):
        parts.append(f"{amount.partition('.')[0]} {singular if whole == '1' else plural}")
    if cents != "00":
        count = str(int(cents))
        if parts and not info.get("minor_after_major", True):
            parts.append(count)  # "three pounds forty"
        else:
            parts.append(f"{count} {minor[0] if count == '1' else minor[1]}")
    return " ".join(parts) if parts else f"0 {plural}"


def _say_sum(
    symbol: str,
    low: str,
    low_mult: str | None,
    high: str | None,
    mult: str | None,
    adjective: bool = False,
) -> str:
    """An amount or a range of ``expand_currency``'s, its currency named after it."""
    multipliers: Mapping[str, str] = _table("currencies-en.toml")["multipliers"]
    singular, plural = _currency(symbol)["name"]
    if adjective:
        plural = singular  # "a 5 dollar fee", "a 2 billion dollar deal"
    scale = f" {multipliers[mult]}" if mult else ""
    cents = re.compile(r"\.\d\d$")
    if high is not None and not (low_mult or mult) and (cents.search(low) or cents.search(high)):
        # "$2.50-$3": each amount whole, "2 dollars 50 cents to 3 dollars"
        return f"{_say_sum(symbol, low, None, None, None)} to {_say_sum(symbol, high, None, None, None)}"
    if high is not None:
        low_scale = f" {multipliers[low_mult]}" if low_mult else ""
        return f"{low}{low_scale} to {high}{scale} {plural}"
    if mult:
        return f"{low}{scale} {plural}"
    return _say_amount(_currency(symbol), low) or f"{low} {singular if low == '1' else plural}"


def expand_currency(text: str) -> str:
    """Move the currency after the amount and name it: "$200 million" -> "200 million dollars".

    Amounts with exactly two decimals are read as major and minor units ("3 dollars 50
    cents"); ranges share one currency name. Digits stay digits for ``spell_numbers``.

    >>> expand_currency("$5, $1, $3.50, $0.99 and $1.01")
    '5 dollars, 1 dollar, 3 dollars 50 cents, 99 cents and 1 dollar 1 cent'
    >>> expand_currency("$200 million, €5bn, £3.50, ¥1,000 and US$2.5 trillion")
    '200 million dollars, 5 billion euros, 3 pounds 50, 1,000 yen and 2.5 trillion US dollars'
    >>> expand_currency("$5-10 million, $5 to $10, €5.5m, $40k")
    '5 to 10 million dollars, 5 to 10 dollars, 5.5 million euros, 40 thousand dollars'
    >>> expand_currency("it costs 5 € or 20€; the $ fell; R$10")
    'it costs 5 euros or 20 euros; the $ fell; 10 reais'
    >>> expand_currency("$5M and $3B, $5 more")
    '5 million dollars and 3 billion dollars, 5 dollars more'
    >>> expand_currency("$2.50-$3, €1.5-2m, $1.5-2")
    '2 dollars 50 cents to 3 dollars, 1.5 to 2 million euros, 1.5 to 2 dollars'
    >>> expand_currency("$.05, £3.40, £0.40, €1.50, $1.125 and A$3.50")
    '5 cents, 3 pounds 40, 40 pence, 1 euro 50 cents, 1.125 dollars and 3 Australian dollars 50 cents'
    >>> expand_currency("USD 5, 5 USD, EUR 1.5 million, 2bn GBP, CHF 20, Rs. 500, 50¢, 99p")
    '5 US dollars, 5 US dollars, 1.5 million euros, 2 billion pounds, 20 Swiss francs, 500 rupees, 50 cents, 99 pence'
    >>> expand_currency("a $5 fee, an $8 ticket, a $2 billion deal, a $5 or $10 tip")
    'a 5 dollar fee, an 8 dollar ticket, a 2 billion dollar deal, a 5 dollars or 10 dollars tip'
    """
    prefix, suffix, code_after = _currency_patterns()

    def prefixed(m: re.Match[str]) -> str:
        low_scale = m.group("short1") or m.group("long1")
        high_scale = m.group("short2") or m.group("long2")
        adjective = _before_a_noun(m)
        if m.group("high") is None:
            return _say_sum(m.group("symbol"), m.group("low"), None, None, low_scale, adjective)
        return _say_sum(
            m.group("symbol"), m.group("low"), low_scale, m.group("high"), high_scale, adjective
        )

    def coded(m: re.Match[str]) -> str:
        return _say_sum(
            m.group("symbol"), m.group("low"), None, None, m.group("short1") or m.group("long1")
        )

    text = prefix.sub(prefixed, text)
    text = code_after.sub(coded, text)
    text = suffix.sub(lambda m: _say_sum(m.group("symbol"), m.group("low"), None, None, None), text)
    return _pence(text)


_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@functools.cache
def _unit_symbols() -> str:
    """A regex alternation of the unit symbols written in letters ("kg", "km/h")."""
    return _alternation(k for k in _table("units-en.toml")["units"] if k[0].isalpha())


def expand_temperatures(text: str) -> str:
    """Give a temperature written without its degree sign its sign back: "350F" ->
    "350°F", "-5C" -> "-5°C" (``expand_units`` then names it). Not after a word that
    names a thing by number (``not_a_temperature_after`` in ``data/units-en.toml``,
    and the model words): "Apt. 4C", "seat 12F" keep their letter.

    >>> expand_temperatures("bake at 220C, a high of 95 F, -3C; Apt. 4C, seat 12F")
    'bake at 220°C, a high of 95°F, -3°C; Apt. 4C, seat 12F'
    >>> expand_temperatures("vitamin C, Vitamin 5C, the 1080p feed, 2C-B, 30C.")
    'vitamin C, Vitamin 5C, the 1080p feed, 2C-B, 30°C.'
    >>> expand_temperatures("highs 28-31C, 75F-80F; under Plan 5C; mix 2C flour, 2C above")
    'highs 28-31°C, 75-80°F; under Plan 5C; mix 2C flour, 2°C above'
    """
    context = _table("units-en.toml")["context"]
    guard = set(context["not_a_temperature_after"])
    guard.update(_abbreviations()["model_numbers"]["before"])
    small_before = set(context["small_temperature_before"])

    def degrees(m: re.Match[str]) -> str:
        before = m.string[: m.start()].split()
        signed, amount = m.group(1)[:1] in "-−", m.group(1).lstrip("-−")
        if before and before[-1] in guard:
            return m.group(0)  # "Apt. 4C"
        if not signed and re.fullmatch(r"\d", amount):
            after = re.match(r"\s+([a-z]+)", m.string[m.end() :])
            if _a_label(before) or (after and after[1] not in small_before):
                return m.group(0)  # "under Plan 5C"; "mix 2C flour" may be cups
        return f"{m.group(1)}°{m.group(2)}"

    def span(m: re.Match[str]) -> str:
        low, low_scale, dash, high, scale = m.groups()
        return f"{low}{dash}{high}°{scale}" if low_scale in (None, scale) else m.group(0)

    # a range has one sign, for expand_ranges: "30-35C", "75F-80F" -> "30-35°C"
    text = re.sub(r"(?<![\w.,-])(\d{1,3})([CF])?([-–])(\d{1,3})\s?([CF])(?![\w°'’-])", span, text)
    return re.sub(r"(?<![\w.,°/-])([-−]?\d{1,3}(?:\.\d)?)\s?([CF])(?![\w°'’-]|\.\w)", degrees, text)


def _a_label(before: list[str]) -> bool:
    """Whether the last of the words ``before`` a number is a capitalized label inside
    the sentence ("under Plan 5C"), not the sentence's first word ("Highs 3C")."""
    return len(before) > 1 and before[-1][:1].isupper() and not before[-2].endswith((".", ":"))


def expand_video_lines(text: str) -> str:
    """Say a picture's lines in pairs with their letter: "1080p" -> "ten eighty p",
    "720p" -> "seven twenty p", "1080i" -> "ten eighty i". Only the standard heights
    (``video_lines`` in ``data/units-en.toml``): "100p" is a hundred pence.

    >>> expand_video_lines("in 1080p or 720p, 2160p; 1080i; 100p; 1080px")
    'in ten eighty p or seven twenty p, twenty-one sixty p; ten eighty i; 100p; 1080px'
    """
    lines = {str(n) for n in _table("units-en.toml")["context"]["video_lines"]}
    return re.sub(
        r"(?<![\w.,])(\d{3,4})([pi])\b",
        lambda m: (
            f"{_house_number(m.group(1))} {m.group(2)}" if m.group(1) in lines else m.group(0)
        ),
        text,
    )


# Before a won-lost pair these words make it a team's record ("went 8-8" -> "eight and
# eight"), as "record" or "mark" after it do.
_RECORD_BEFORE = r"went|improved to|fell to|dropped to|moved to|slipped to|climbed to|evened at"
# ... when the record ends the clause or one of these words follows it ("went 2-1 up" is
# a score, "went 5-10 miles" a range).
_RECORD_END = (
    r"(?=\s*$|\s*[,.;:)!?]|\s(?:last|this|in|on|at|against|overall|with|since|after|"
    r"before|and|for|entering|heading|to|under|as)\b)"
)
_SET = r"\d-\d(?:\s?\(\d{1,2}-\d{1,2}\))?"


def _is_set(score: str) -> bool:
    """Whether "6-4" could be a tennis set: 6 against 0-4, or 7 against 5 or 6."""
    high, low = sorted(int(n) for n in re.findall(r"\d", score[:3]))[::-1]
    return (high == 6 and low <= 4) or (high == 7 and low in {5, 6})


def expand_sports_scores(text: str) -> str:
    """Read the scores that are not "to": tennis sets ("won 6-4, 7-6 (7-3)" -> "six
    four, seven six (seven three)"), a team's won-lost record ("a 10-6 record", "went
    8-8", "(7-2, 4-1 Big Ten)" -> "ten and six"...) and a batting average ("batting
    .300" -> "three hundred"). Other scores are "to", for ``expand_ranges``.

    >>> expand_sports_scores("won 6-3, 3-6, 7-5 and went 9-7; a 12-4 mark; (8-1, 5-0 SEC)")
    'won six three, three six, seven five and went nine and seven; a twelve and four mark; (eight and one, five and zero SEC)'
    >>> expand_sports_scores("hitting .275; won 3-1, 2-0; ages 6-8, 9-12; a 5-4 ruling")
    'hitting two seventy-five; won 3-1, 2-0; ages 6-8, 9-12; a 5-4 ruling'
    >>> expand_sports_scores("went 2-1 up; went 5-10 miles; fell to 4-6 in May")
    'went 2-1 up; went 5-10 miles; fell to four and six in May'
    """

    def sets(m: re.Match[str]) -> str:
        scores = re.split(r",?\s(?=\d-)", m.group(0))
        if not all(_is_set(score) for score in scores):
            return m.group(0)
        return re.sub(
            r"(\d{1,2})-(\d{1,2})", lambda s: f"{_cardinal(s[1])} {_cardinal(s[2])}", m[0]
        )

    def won_lost(m: re.Match[str]) -> str:
        return f"{_cardinal(m.group(1))} and {_cardinal(m.group(2))}"

    pair = r"(\d{1,3})-(\d{1,3})(?![\w-]|[.,]\d)"
    text = re.sub(rf"(?<![\w.,/-]){_SET}(?:,?\s{_SET})+(?![\w-]|[.,]\d)", sets, text)
    text = re.sub(rf"(?<![\w.,/-]){pair}(?=\s(?:record|mark)\b)", won_lost, text)
    text = re.sub(
        rf"\b({_RECORD_BEFORE})\s{pair}{_RECORD_END}",
        lambda m: f"{m[1]} {_cardinal(m[2])} and {_cardinal(m[3])}",
        text,
    )
    text = re.sub(
        r"(?<=\()(\d{1,2})-(\d{1,2}),\s(\d{1,2})-(\d{1,2})(?=\s[A-Z])",
        lambda m: f"{won_lost(m)}, {_cardinal(m.group(3))} and {_cardinal(m.group(4))}",
        text,
    )
    return re.sub(
        r"\b(batting|hitting|hit|averaging|average of)\s\.(\d{3})\b",
        lambda m: f"{m.group(1)} {_house_number(m.group(2).lstrip('0') or '0')}",
        text,
    )


def expand_blood_pressure(text: str) -> str:
    """A blood pressure is "over": "a blood pressure of 120/80" -> "one twenty over
    eighty", as is a reading in millimeters of mercury ("140/90 mmHg").

    >>> expand_blood_pressure("blood pressure was 135/85; BP 110/70; 140/90 mmHg; 3/4 cup")
    'blood pressure was one thirty-five over eighty-five; BP one ten over seventy; one forty over ninety mmHg; 3/4 cup'
    """

    def over(m: re.Match[str]) -> str:
        return f"{m.group(1)}{_house_number(m.group(2))} over {_cardinal(m.group(3))}"

    text = re.sub(
        r"(\b(?:blood pressure|BP)\b[^\d.;]{0,20}?)([1-2]\d{2}|\d{2})/(\d{2,3})\b", over, text
    )
    return re.sub(r"()\b([1-2]\d{2}|\d{2})/(\d{2,3})(?=\s?mm\s?Hg\b)", over, text)


def expand_arithmetic(text: str) -> str:
    """Read sums written with an equals sign as arithmetic: "7 - 2 = 5" -> "7 minus 2
    equals 5", "3 x 4 = 12" -> "3 times 4 equals 12".

    Without "=" a dash between numbers is a range ("2 - 3 days", for
    ``expand_ranges``) and "x" a dimension ("4 x 6 feet"); a true minus sign
    (U+2212) between numbers is always "minus".

    >>> expand_arithmetic("7 - 2 = 5, 3 x 4 = 12, 10 / 2 = 5 and 2+2=4")
    '7 minus 2 equals 5, 3 times 4 equals 12, 10 divided by 2 equals 5 and 2 plus 2 equals 4'
    >>> expand_arithmetic("10 − 3; 2 - 3 days; a 4 x 6 rug; 1 + 1")
    '10 minus 3; 2 - 3 days; a 4 x 6 rug; 1 + 1'
    """
    number = r"\d+(?:[.,]\d+)*"
    words = {"-": "minus", "–": "minus", "−": "minus", "+": "plus", "x": "times"}
    words |= {"×": "times", "*": "times", "/": "divided by", "÷": "divided by"}

    def chain(m: re.Match[str]) -> str:
        said = re.sub(r"\s*([-–−+x×*/÷])\s*", lambda o: f" {words[o.group(1)]} ", m.group(1))
        return f"{said} equals {m.group(2)}"

    text = re.sub(
        rf"(?<![\w.,/-])({number}(?:\s*[-–−+x×*/÷]\s*{number})+)\s*=\s*(-?{number})(?![\w.]|,\d)",
        chain,
        text,
    )
    return re.sub(r"(?<=\d)\s*−\s*(?=\d)", " minus ", text)


def expand_ranges(text: str) -> str:
    """Read a dash between numbers as "to": "2019-2023" -> "2019 to 2023".

    Also scores, votes and ratios ("a 5-4 ruling" -> "5 to 4", "3:1" -> "3 to 1"; clock
    times are read earlier by ``expand_times``); dimensions are "by" ("1800 x 1920", "4x4"
    but not the hex ``0x08``). Not ranges: phone numbers
    (``555-1234``, ``1-800-555-0199``), hyphenated words (``10-year-old``,
    ``COVID-19``). A season like ``2019-20`` gets its century back.

    >>> expand_ranges("from 2019-2023, pages 10–12, a 5-4 ruling, 2019-20 season")
    'from 2019 to 2023, pages 10 to 12, a 5 to 4 ruling, 2019 to 2020 season'
    >>> expand_ranges("call 555-1234 or 1-800-555-0199; a 10-year-old; COVID-19")
    'call 555-1234 or 1-800-555-0199; a 10-year-old; COVID-19'
    >>> expand_ranges("up 1.5-2% in 2 - 3 days; odds of 3:1")
    'up 1.5 to 2% in 2 to 3 days; odds of 3 to 1'
    >>> expand_ranges("1800 x 1920 pixels, a 4x4, packet 0x08, 2^15 - 1")
    '1800 by 1920 pixels, a 4 by 4, packet 0x08, 2^15 - 1'
    >>> expand_ranges("3-7kg, 10–20km, 5-10mg/kg; 4-5G; 3-4x")
    '3 to 7kg, 10 to 20km, 5 to 10mg/kg; 4-5G; 3-4x'
    """

    def span(m: re.Match[str]) -> str:
        low, high = m.group(1), m.group(2)
        if re.fullmatch(r"\d{3}", low) and re.fullmatch(r"\d{4}", high):
            return m.group(0)
        if re.fullmatch(r"\d{4}", low) and re.fullmatch(r"\d{2}", high) and high > low[2:]:
            high = low[:2] + high
        return f"{low} to {high}"

    text = re.sub(rf"(?<![\w.,])([1-9][\d,.]*|0\.\d+)\s?x\s?(?={_NUMBER})", r"\1 by ", text)
    text = re.sub(
        rf"(?<![\w.,/:$£€^-])({_NUMBER})[-–]({_NUMBER})(?=(?:{_unit_symbols()})(?![\w°²³]))",
        r"\1 to \2",
        text,
    )
    text = re.sub(
        rf"(?<![\w.,/:$£€^-])({_NUMBER})(?:\s?[-–]\s?|—)({_NUMBER})"
        r"(?![\w/:]|[.,]\d|\s?[-–]\s?\d)",
        span,
        text,
    )
    return re.sub(r"(?<![\w.,:])(\d+):(\d+)(?![\w:]|[.,]\d)", r"\1 to \2", text)


def expand_percent(text: str) -> str:
    """'12%' -> '12 percent', '3.5 %' -> '3.5 percent', '5‰' -> '5 per mille'.

    >>> expand_percent("up 12% and 3.5 % and 2 to 3%, 5‰")
    'up 12 percent and 3.5 percent and 2 to 3 percent, 5 per mille'
    """
    text = re.sub(rf"({_NUMBER})\s?%", r"\1 percent", text)
    return re.sub(rf"({_NUMBER})\s?‰", r"\1 per mille", text)


@functools.cache
def _count_nouns() -> frozenset[str]:
    """Words after a number that mark it as a count: table nouns, unit and currency names."""
    nouns = set(_abbreviations()["context"]["count_nouns"])
    for singular, plural in _table("units-en.toml")["units"].values():
        nouns.update(singular.split()[:1] + plural.split()[:1])
    for info in _table("currencies-en.toml")["symbols"].values():
        nouns.update(word for name in info["name"] for word in name.split())
        nouns.update(info.get("minor", ()))
    return frozenset(nouns)


@functools.cache
def _units_pattern() -> re.Pattern[str]:
    units = _alternation(_table("units-en.toml")["units"])
    fraction = r"(?:\d+[\s-])?\d{1,3}/\d{1,4}|\d*[\u00bc-\u00be\u2150-\u215e]"
    amount = rf"(?:{fraction}|(?:{_NUMBER})(?:\s(?:to|and|or)\s(?:{_NUMBER}))?)"
    return re.compile(
        rf"(?<![\w.,])(-?{amount})(\s?|-)({units})(?:/({units}))?(?![\w°²³/])(?!\.\w)"
        # an abbreviation's period inside a sentence ("5 sq. ft. of space") goes with it
        r"(?:\.(?=\s+[a-z]))?"
    )


def _say_unit(m: re.Match[str]) -> str:
    """A number and its unit as ``_units_pattern`` found them, the unit named."""
    table = _table("units-en.toml")
    units: Mapping[str, list[str]] = table["units"]
    context = table["context"]
    amount, joint, symbol, divisor = m.groups()
    if symbol in context["not_before_number"] and re.match(r"\s+\d", m.string[m.end() :]):
        return m.group(0)
    if symbol in context["glued_only"] and joint:
        return m.group(0)  # "a 12MP camera", but "only 1 MP voted"
    if symbol == "m" and joint == "" and divisor is None:
        following = re.match(r"\s+([a-z]+)", m.string[m.end() :])
        word = following.group(1) if following else ""
        if word not in context["length_words"] and ("." in amount or word in _count_nouns()):
            return f"{amount} million"
    singular, plural = units[symbol]
    if divisor is not None:
        per_unit = f" per {units[divisor][0]}"
        singular, plural = singular + per_unit, plural + per_unit
    if joint == "-":
        return f"{amount}-{singular.replace(' ', '-')}"
    if _before_a_noun(m):
        return f"{amount} {singular}"  # "a 45° angle", "a 5 kg bag"
    # "1 km", "1/2 cup", "¾ mile" take the singular; "1 1/2 cups", "2½ miles" do not.
    one = amount in {"1", "-1"} or re.fullmatch(r"\d+/\d+|[^\d\s]", amount) is not None
    return f"{amount} {singular if one else plural}"


def _feet_and_inches(m: re.Match[str]) -> str:
    """A height in feet and inches ("6 ft 2 in", "5′11″"), both units named."""
    feet, inches = m.group(1), m.group(2)
    foot = "foot" if feet == "1" else "feet"
    return f"{feet} {foot} {inches} {'inch' if inches == '1' else 'inches'}"


def expand_units(text: str) -> str:
    """Name units of measure after a number, singular for exactly 1.

    Case matters (``MB`` megabytes, ``5G`` and ``4K`` are not units). A glued ``m``
    is meters unless the number has decimals or a count noun follows: British news
    writes "7.75m" and "5m people" for millions. A hyphenated unit is an
    adjective and stays singular ("a 10-km race"). ``/unit`` after an amount is "per".

    >>> expand_units("1 km, 5km, 2.5 kg, 30 mph, 90 km/h")
    '1 kilometer, 5 kilometers, 2.5 kilograms, 30 miles per hour, 90 kilometers per hour'
    >>> expand_units("-5°C and 98.6 °F, 1°")
    '-5 degrees Celsius and 98.6 degrees Fahrenheit, 1 degree'
    >>> expand_units("64 GB, 6 ft, 200 lbs, 10 to 15 cm, a 10-km race, 5G and 4K")
    '64 gigabytes, 6 feet, 200 pounds, 10 to 15 centimeters, a 10-kilometer race, 5G and 4K'
    >>> expand_units("a 100m sprint, 5m people, 7.75m in May, 3bn, 50k")
    'a 100 meter sprint, 5 million people, 7.75 million in May, 3 billion, 50 thousand'
    >>> expand_units("a 45° angle, a 5 kg or 10 kg bag, 6 ft 2 in, 220 V, 9.8 m/s²")
    'a 45 degree angle, a 5 kilograms or 10 kilograms bag, 6 feet 2 inches, 220 volts, 9.8 meters per second squared'
    >>> expand_units("5 dollars/kg, 2 euros/hour")
    '5 dollars per kilogram, 2 euros per hour'
    >>> expand_units("1/2 tsp, ¾ mi, 2½ tbsp, 1 1/2 ft")
    '1/2 teaspoon, ¾ mile, 2½ tablespoons, 1 1/2 feet'
    >>> expand_units("I'm 5 mins away; the m. in 5 m.p.h.; 20 ng/mL; 5′11″ tall")
    "I'm 5 minutes away; the m. in 5 m.p.h.; 20 nanograms per milliliter; 5 feet 11 inches tall"
    >>> expand_units('a 27" monitor; she said "take 2" twice')
    'a 27-inch monitor; she said "take 2" twice'
    >>> expand_units("1.92m tall, 2.5m long, 2h 45m, 51.5° N, 0.1°W")
    '1.92 meters tall, 2.5 meters long, 2 hours 45 minutes, 51.5 degrees north, 0.1 degrees west'
    >>> expand_units("a 12MP camera; only 1 MP voted")
    'a 12 megapixel camera; only 1 MP voted'
    """
    per: Mapping[str, str] = _table("units-en.toml")["per"]
    text = re.sub(r"°\s?([NSEW])(?!\w)", lambda m: f"° {_COMPASS[m.group(1)]}", text)
    text = re.sub(r"\b(\d{1,2})h\s?([0-5]?\d)m\b", r"\1 hr \2 min", text)  # "2h 30m"
    text = re.sub(r"\b(\d+)['′]\s?(\d{1,2})(?:\"|″|'')", _feet_and_inches, text)
    text = _inch_marks(text)
    text = re.sub(r"\b(\d+)\s?ft\.?\s(\d{1,2})\s?in\b\.?(?!\w)", _feet_and_inches, text)
    text = _units_pattern().sub(_say_unit, text)
    return re.sub(
        rf"(?<=[a-z])/({_alternation(per)})(?!\w)", lambda m: f" per {per[m.group(1)]}", text
    )


def _inch_marks(text: str) -> str:
    """Read a double quote mark after a number as inches where it cannot close a quote:
    counting from the start, it stands where a quote would open ('a 27" screen').

    >>> _inch_marks('she said "take 2" of the 15.6" model')
    'she said "take 2" of the 15.6-inch model'
    """
    opened = False

    def mark(m: re.Match[str]) -> str:
        nonlocal opened
        if not opened and m.group(1) and re.match(r"\s(?:[a-z]|[A-Z]{2})", m.string[m.end() :]):
            return f"{m.group(1)}-inch"
        opened = not opened
        return m.group(0)

    return re.sub(r'(?:(?<![\w.,])(\d+(?:\.\d+)?))?"', mark, text)


_COMPASS = {"N": "north", "S": "south", "E": "east", "W": "west"}

_FRACTION_DENOMINATORS = frozenset({2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 32, 64, 100, 1000})


def _fraction_words(numerator: int, denominator: int, mixed: bool) -> str:
    """'one half', 'three quarters', 'two thirds'; in a mixed number 'a half'."""
    if denominator == 2:
        unit = ("half", "halves")
    elif denominator == 4:
        unit = ("quarter", "quarters")
    else:
        ordinal = _ordinal(denominator).removeprefix("one ")  # "three hundredths"
        unit = (ordinal, ordinal + "s")
    if numerator == 1:
        return f"{'a' if mixed else 'one'} {unit[0]}"
    return f"{_words(numerator)} {unit[1]}"


def expand_fractions(text: str) -> str:
    """Read fractions: "1/2" -> "one half", "2½" -> "two and a half".

    Only denominators that are said as fractions (2-10, 12, 16, 32, 64, 100, 1000),
    and improper fractions only over 2, 3 or 4; other number pairs with a slash
    ("9/11", "24/7", dates) are left for later rules.

    >>> expand_fractions("1/2 cup, 3/4 of voters, a 2/3 majority, 1/10")
    'one half cup, three quarters of voters, a two thirds majority, one tenth'
    >>> expand_fractions("1 1/2 hours, 2½ miles, ¾ of them")
    'one and a half hours, two and a half miles, three quarters of them'
    >>> expand_fractions("1-3/4 inches")
    'one and three quarters inches'
    >>> expand_fractions("on 9/11, 24/7, 5/1/2024, 1/25 and 3/2")
    'on 9/11, 24/7, 5/1/2024, 1/25 and three halves'
    """
    text = re.sub(
        r"(\d?)([\u00bc-\u00be\u2150-\u215e])",
        lambda m: (
            (m.group(1) + " " if m.group(1) else "")
            + unicodedata.normalize("NFKC", m.group(2)).replace("\u2044", "/")
        ),
        text,
    )

    def fraction(m: re.Match[str]) -> str:
        whole, numerator, denominator = m.group(1), int(m.group(2)), int(m.group(3))
        improper = numerator >= denominator and denominator > 4
        if denominator not in _FRACTION_DENOMINATORS or numerator == 0 or improper:
            return m.group(0)
        if whole:
            return f"{_words(int(whole))} and {_fraction_words(numerator, denominator, True)}"
        return _fraction_words(numerator, denominator, False)

    return re.sub(r"(?<![\d/.,])(?:(\d+)[\s-])?(\d{1,3})/(\d{1,4})(?![\d/]|\.\d)", fraction, text)


def _plural_of_year(words: str) -> str:
    """'nineteen ninety' -> 'nineteen nineties'; 'two thousand' -> 'two thousands'."""
    head, _, last = words.rpartition(" ")
    last = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return f"{head} {last}".strip()


def expand_decades(text: str) -> str:
    """Read decades: "1990s" -> "nineteen nineties", "'80s" / "80s" -> "eighties".

    >>> expand_decades("the 1990s, 1800s, 2000s and 2010s")
    'the nineteen nineties, eighteen hundreds, two thousands and twenty tens'
    >>> expand_decades("in the '80s, ’90s and their 30s; 1990's")
    'in the eighties, nineties and their thirties; nineteen nineties'
    >>> expand_decades("10s of thousands; 15s")
    '10s of thousands; 15s'
    >>> expand_decades("the 1950s-1970s, the '60s–'70s, the mid-90s and early-80s")
    'the nineteen fifties to nineteen seventies, the sixties to seventies, the mid-nineties and early-eighties'
    """
    text = re.sub(r"(?<=\ds)\s?[-–]\s?(?=['’]?\d{2,4}['’]?s\b)", " to ", text)
    text = re.sub(
        r"\b(1[0-9]\d0|20\d0)['’]?s\b",
        lambda m: _plural_of_year(_year_words(int(m.group(1)))),
        text,
    )
    return re.sub(
        r"(?:(?<=\s)|^|(?<=[(\"“])|(?<=mid-)|(?<=early-)|(?<=late-))['’]?([2-9]0)['’]?s\b",
        lambda m: _plural_of_year(_words(int(m.group(1)))),
        text,
    )


def expand_round_plurals(text: str) -> str:
    """'100s of people' -> 'hundreds of people', '1000s' -> 'thousands', '10s of
    thousands' -> 'tens of thousands': a round number in the plural is a rough count.

    >>> expand_round_plurals("100s of people, 1000s of fans, 10s of thousands; the 1000s")
    'hundreds of people, thousands of fans, tens of thousands; the 1000s'
    >>> expand_round_plurals("the over-50s and the under-21s")
    'the over-fifties and the under-twenty-ones'
    """
    plurals = {"10": "tens", "100": "hundreds", "1000": "thousands", "1,000": "thousands"}
    text = re.sub(
        r"(?<![\w.,])(10|100|1000|1,000)['’]?s\b(?=\s+of\b)", lambda m: plurals[m.group(1)], text
    )
    # an age group: "the over-65s", "the under-21s" -> "over sixty-fives"
    return re.sub(
        r"\b((?:[Oo]ver|[Uu]nder)-)(\d{1,2})['’]?s\b",
        lambda m: m.group(1) + _plural_of_year(_words(int(m.group(2)))),
        text,
    )


def expand_ordinals(text: str) -> str:
    """'1st' -> 'first', '22nd' -> 'twenty-second', '103rd' -> 'one hundred and third'.

    >>> expand_ordinals("the 1st, 22nd and 103rd; 4th of July; 11th-hour")
    'the first, twenty-second and one hundred and third; fourth of July; eleventh-hour'
    >>> expand_ordinals("1,000th visitor; 3rdparty")
    'one thousandth visitor; 3rdparty'
    >>> expand_ordinals("3rd-5th grade, the 18th–19th centuries")
    'third to fifth grade, the eighteenth to nineteenth centuries'
    """
    suffix = r"(?:st|nd|rd|th|ST|ND|RD|TH)"
    text = re.sub(rf"(?<=\d{suffix})\s?[-–]\s?(?=\d+{suffix}\b)", " to ", text)
    return re.sub(
        rf"\b(\d{{1,3}}(?:,\d{{3}})+|\d+){suffix}\b",
        lambda m: _ordinal(int(m.group(1).replace(",", ""))),
        text,
    )


def expand_number_nouns(text: str) -> str:
    """A number made a noun with "-er" is one word: "49ers" -> "forty-niners", "the
    76ers" -> "the seventy-sixers", "a 5er" -> "a fiver".

    >>> expand_number_nouns("the 49ers and the 76ers, a 5er; 10ers-to-be, users, 3rd")
    'the forty-niners and the seventy-sixers, a fiver; 10ers-to-be, users, 3rd'
    """

    def noun(m: re.Match[str]) -> str:
        return f"{_words(int(m.group(1))).removesuffix('e')}er{m.group(2)}"

    return re.sub(r"(?<![\w.,])(\d{1,4})er(s?)\b(?!-)", noun, text)


def _short_year(m: re.Match[str]) -> str:
    """ "'98" -> 'ninety-eight', "'05" -> 'oh five', "'00" -> 'oh oh'."""
    digits = m.group(1)
    if digits.startswith("0"):
        return "oh " + ("oh" if digits == "00" else _words(int(digits[1])))
    return _words(int(digits))


def expand_years(text: str) -> str:
    """Read four-digit numbers from 1100 to 2099 as years: "in 2023" -> "in twenty twenty-three".

    Not a year: numbers with a comma ("2,300"), a decimal or a percent sign, or followed
    by a count noun, unit or currency name ("1500 people", "2000 dollars") unless a
    year word comes first ("in 1500"). ``BC``/``AD`` make any number a year.

    >>> expand_years("In 2023, 1500 people left; by 1905; 2,300")
    'In twenty twenty-three, 1500 people left; by nineteen oh-five; 2,300'
    >>> expand_years("the 2024 election, 2000 dollars in 2000")
    'the twenty twenty-four election, 2000 dollars in two thousand'
    >>> expand_years("2019 to 2023")
    'twenty nineteen to twenty twenty-three'
    >>> expand_years("500 BC; AD 70; 2023.5; 1800 by 1920 pixels; by 2030")
    'five hundred BC; AD seventy; 2023.5; 1800 by 1920 pixels; by twenty thirty'
    >>> expand_years("room 1099 and 2100 miles; 1984's novel")
    "room 1099 and 2100 miles; nineteen eighty-four's novel"
    >>> expand_years("in '98, the class of ’05, the '20s; '12' was the answer")
    "in ninety-eight, the class of oh five, the '20s; '12' was the answer"
    >>> expand_years("in 1066, by 1016; 1024 bytes; in 1080 pixels; 1050 said")
    'in ten sixty-six, by ten sixteen; 1024 bytes; in 1080 pixels; 1050 said'

    """
    context = _abbreviations()["context"]
    year_words = {w.lower() for w in context["year_words"]}
    nouns = _count_nouns()

    def year(m: re.Match[str]) -> str:
        number = m.group(1)
        before = re.search(r"([A-Za-z]+)\W*$", m.string[: m.start()])
        after = re.match(r"\s+([A-Za-z]+)", m.string[m.end() :])
        dimension = re.match(r"\s+by\s+\d", m.string[m.end() :]) or re.search(
            r"\d\s+by\s+$", m.string[: m.start()]
        )
        if dimension:
            return number
        if number.startswith("10"):
            # 1000-1099 is a year only after a year word and before no count: "in 1066"
            is_year = before and before.group(1).lower() in year_words
            if not is_year or (after and after.group(1).lower() in nouns):
                return number
        if before and before.group(1).lower() in year_words:
            return _year_words(int(number))
        if after and after.group(1).lower() in nouns:
            return number
        return _year_words(int(number))

    text = re.sub(r"(?<![\w'’])['’](\d\d)\b(?![\w'’]|[.,]\d)", _short_year, text)
    text = re.sub(r"\b(\d{1,4})(?=\s(?:BC|BCE|AD|CE)\b)", lambda m: _year_words(int(m[1])), text)
    text = re.sub(r"(?<=\b(?:AD|CE)\s)(\d{1,4})\b", lambda m: _year_words(int(m[1])), text)
    return re.sub(r"(?<![\d,.$£€¥-])\b(1\d\d\d|20\d\d)\b(?![,.]\d|\s?%|-\d)", year, text)


_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _roman_value(numeral: str) -> int | None:
    if not numeral or _ROMAN.fullmatch(numeral) is None:
        return None
    total = 0
    for current, following in zip(numeral, numeral[1:] + " ", strict=True):
        value = _ROMAN_VALUES[current]
        total += -value if following != " " and _ROMAN_VALUES[following] > value else value
    return total


def expand_roman_numerals(text: str) -> str:
    """Read Roman numerals in names: "World War II" -> "World War Two", "Henry VIII" ->
    "Henry the Eighth".

    After words like War, Bowl, Chapter, Part (``data/abbreviations-en.toml``) a numeral
    is a number; after another capitalized name a numeral of two or more I/V/X letters is
    a regnal ordinal. A single ``I``, ``V`` or ``X`` counts only after those words or a
    known regnal name, so the pronoun "I", "Malcolm X" and "Gen X" stay; so do words
    such as "MIX", "DC", "CIVIC".

    >>> expand_roman_numerals("World War II, World War I, Super Bowl LVIII, Title IX")
    'World War Two, World War One, Super Bowl Fifty-Eight, Title Nine'
    >>> expand_roman_numerals("Henry VIII and Elizabeth II met Louis XIV's heir, Henry V")
    "Henry the Eighth and Elizabeth the Second met Louis the Fourteenth's heir, Henry the Fifth"
    >>> expand_roman_numerals("So I said; Malcolm X; Gen X; Washington DC; the MIX; an IV")
    'So I said; Malcolm X; Gen X; Washington DC; the MIX; an IV'
    >>> expand_roman_numerals("John Smith III and Pope John Paul II; Stage IV cancer")
    'John Smith the Third and Pope John Paul the Second; Stage Four cancer'
    """
    table = _abbreviations()["roman"]
    cardinal_words = {w.lower() for w in table["cardinal_words"]}
    regnal = set(table["regnal_names"])

    def numeral(m: re.Match[str]) -> str:
        word, roman = m.group(1), m.group(2)
        value = _roman_value(roman)
        if value is None:
            return m.group(0)
        if word.lower() in cardinal_words:
            spoken = _words(value).title()
        elif (
            len(roman) > 1
            and set(roman) <= set("IVX")
            and word.istitle()
            and word not in _NOT_A_NAME
        ) or (word in regnal and set(roman) <= set("IVX")):
            spoken = f"the {_ordinal(value).title()}"
        else:
            return m.group(0)
        return f"{word} {spoken}"

    return re.sub(r"\b([A-Z][A-Za-z.]*)\s+([IVXLCDM]+)\b", numeral, text)


def _dotted_group(group: str) -> str:
    """One group of an address or version: 'eleven' up to two digits, else digits."""
    return _cardinal(group) if len(group) <= 2 else _spell_out(group)


def expand_dotted_numbers(text: str) -> str:
    """Read IP addresses and version numbers with "dot", never as decimals: groups of
    one or two digits as numbers, longer ones digit by digit; "v" before one is
    "version".

    >>> expand_dotted_numbers("ping 10.0.0.1 or 192.168.1.1.")
    'ping ten dot zero dot zero dot one or one nine two dot one six eight dot one dot one.'
    >>> expand_dotted_numbers("v2.3.1, V10.2, Python 3.11.7 and 3.5 percent")
    'version two dot three dot one, version ten dot two, Python three dot eleven dot seven and 3.5 percent'
    """

    def dotted(m: re.Match[str]) -> str:
        said = " dot ".join(_dotted_group(g) for g in m.group(2).split("."))
        return ("version " if m.group(1) else "") + said

    text = re.sub(r"(?<![\w.])([vV])(\d+(?:\.\d+)+)(?![\w]|\.\d)", dotted, text)
    return re.sub(r"(?<![\w.])()(\d+(?:\.\d+){2,})(?![\w]|\.\d)", dotted, text)


def expand_model_numbers(text: str) -> str:
    """Say numbers that name things the way they are said: in pairs after a maker or a
    word such as Route or Room ("Boeing 747-400" -> "Boeing seven forty-seven four
    hundred"), and after one or two capitals and a hyphen ("F-150" -> "F-one fifty",
    "WD-40" -> "W D-forty"). Table: ``[model_numbers]`` in ``data/abbreviations-en.toml``.

    >>> expand_model_numbers("a Boeing 737-800 on Highway 101, Flight 1549 to Room 237")
    'a Boeing seven thirty-seven eight hundred on Highway one oh one, Flight fifteen forty-nine to Room two thirty-seven'
    >>> expand_model_numbers("an F-150, a B-52, WD-40, an AK-47, NC-17, the Fortune 500")
    'an F-one fifty, a B-fifty-two, W D-forty, an A K-forty-seven, N C-seventeen, the Fortune five hundred'
    >>> expand_model_numbers("Route 66, Boeing 2,000 jets, COVID-19, I-5, 300 people in Room 12")
    'Route 66, Boeing 2,000 jets, COVID-19, I-5, 300 people in Room 12'
    >>> expand_model_numbers("a room 250 people could use; Boeing 300 jobs")
    'a room 250 people could use; Boeing 300 jobs'
    >>> expand_model_numbers("an Airbus A350, a 403(b), Form 1040, the Porsche 911")
    'an Airbus A three fifty, a four oh three b, Form ten forty, the Porsche nine eleven'
    """
    words = _alternation(_abbreviations()["model_numbers"]["before"])
    nouns = _count_nouns()

    def named(m: re.Match[str]) -> str:
        after = re.match(r"\s+([a-z]+)", m.string[m.end() :])
        if after and after.group(1) in nouns:
            return m.group(0)  # "a bus 300 passengers long" counts
        second = f" {_house_number(m.group(3))}" if m.group(3) else ""
        return m.group(1) + _house_number(m.group(2)) + second

    text = re.sub(
        rf"(?<![\w.])((?:{words})\s(?:[A-Z](?=\d))?)([1-9]\d{{2,3}})(?:-([1-9]\d{{2,3}}))?"
        r"(?!\w|[.,:]\d|-\d)",
        lambda m: re.sub(r"(?<=[A-Z])$", " ", m.group(1)) + named(m)[len(m.group(1)) :],
        text,
    )
    # a section of a code names a plan or a form: "a 401(k)" -> "a four oh one k"
    text = re.sub(
        r"(?<![\w.,])([1-9]\d{2})\(([a-z])\)(?!\w)",
        lambda m: f"{_house_number(m.group(1))} {m.group(2)}",
        text,
    )
    return re.sub(
        r"(?<![\w-])([A-Z]{1,2})-([1-9]\d{1,3})(?![\w-]|[.,:]\d)",
        lambda m: f"{' '.join(m.group(1))}-{_house_number(m.group(2))}",
        text,
    )


def expand_codes(text: str) -> str:
    """Read codes and serials written as capitals glued to digits letter by letter and
    digit by digit ("flight BA287" -> "flight B A two eight seven"). One letter and
    one or two digits are a name with a number ("G7", "B12", left for
    ``spell_numbers``); so are years after letters ("FY2024").

    >>> expand_codes("code AB1234, flight BA287, model XJ220, CO2 and PS5")
    'code A B one two three four, flight B A two eight seven, model X J two two zero, C O two and P S five'
    >>> expand_codes("the G7, gate B12, A4 paper, FY2024, COVID-19, 5G, H1N1")
    'the G7, gate B12, A4 paper, FY2024, COVID-19, 5G, H1N1'
    """

    def code(m: re.Match[str]) -> str:
        letters, digits = m.group(1), m.group(2)
        if len(letters) == 1 and len(digits) <= 2:
            return m.group(0)
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return m.group(0)
        return f"{' '.join(letters)} {_spell_out(digits)}"

    return re.sub(r"(?<![\w-])([A-Z]{1,3})(\d{1,8})(?![\w-]|[.,]\d)", code, text)


# --- numbers, any language ----------------------------------------------------------


def spell_numbers(text: str, language: str = "en") -> str:
    """Spell the numbers left in the text as words, with the language's decimal mark.

    English reads ``2,300`` as "two thousand three hundred", decimals digit by digit
    after "point", leading zeros digit by digit, a minus sign before a number as
    "minus", version strings as "point" chains. Letters glued to digits get a space
    ("5G" -> "five G"). Languages num2words does not know are left alone.

    >>> spell_numbers("2,300 people, 3.5 percent, 0.25")
    'two thousand three hundred people, three point five percent, zero point two five'
    >>> spell_numbers("007, -5 and 42")
    'zero zero seven, minus five and forty-two'
    >>> spell_numbers("5G, MP3, COVID-19, version 3.14.1, 1,2,3.")
    'five G, MP three, COVID-nineteen, version three point fourteen point one, one,two,three.'
    >>> spell_numbers("2.300 Menschen, 3,5 Prozent, 1 Frau", language="de")
    'zweitausenddreihundert Menschen, drei Komma fünf Prozent, 1 Frau'
    >>> spell_numbers("2 300 personnes et 1990", language="fr")
    'deux mille trois cents personnes et mille neuf cent quatre-vingt-dix'
    >>> spell_numbers("42 things", language="xx")
    '42 things'
    """
    if _num2words_lang(language) is None:
        return text
    if _primary(language) == "en":
        text = re.sub(r"(?:(?<=^)|(?<=[\s(\[\"“]))[-−](?=\d)", "minus ", text)
        return re.sub(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)*|(?<![\w.])\.\d+", _say_en, text)
    return _spell_numbers_localized(text, language)


def _say_en(m: re.Match[str]) -> str:
    token = m.group(0)
    whole, _, rest = token.replace(",", "").partition(".")
    if rest.count(".") >= 1:
        spoken = " point ".join(_cardinal(part) for part in token.split("."))
    else:
        spoken = _cardinal(whole) if whole else ""
        if rest:
            spoken = f"{spoken} point " + " ".join(_DIGIT_WORDS[int(d)] for d in rest)
    return _space_from_letters(m, spoken.strip())


def _space_from_letters(m: re.Match[str], spoken: str) -> str:
    before = m.string[m.start() - 1] if m.start() > 0 else ""
    after = m.string[m.end()] if m.end() < len(m.string) else ""
    return (" " if before.isalpha() else "") + spoken + (" " if after.isalpha() else "")


def _spell_numbers_localized(text: str, language: str) -> str:
    """num2words in ``language``; decimal and group marks from ``data/symbols.toml``."""
    words = _symbols(language)
    decimal = words["decimal"] if words else "."
    groups: list[str] = [g for g in (words["groups"] if words else []) if g != decimal]
    minus = words["minus"] if words else None
    group_class = "".join(re.escape(g) for g in groups)
    grouped = rf"\d{{1,3}}(?:[{group_class}]\d{{3}})+" if groups else r"(?!)"
    pattern = rf"(?:{grouped}|\d+)(?:{re.escape(decimal)}\d+)?(?![\d])"

    def say(m: re.Match[str]) -> str:
        token = m.group(0)
        for group in groups:
            token = token.replace(group, "")
        whole, _, fraction = token.partition(decimal)
        if not fraction and whole == "1":
            return m.group(0)
        if fraction:
            value: int | Decimal = Decimal(f"{whole}.{fraction}")
            spoken = _words(value, language)
        elif 1100 <= int(whole) <= 2099 and m.group(0).isdigit():  # "1.500" is no year
            spoken = _year_or_cardinal(int(whole), language)
        else:
            spoken = _words(int(whole), language)
        return _space_from_letters(m, spoken)

    if minus:
        text = re.sub(r"(?:(?<=^)|(?<=[\s(]))[-−](?=\d)", f"{minus} ", text)
    not_inside = "".join(rf"(?<!\d{re.escape(mark)})" for mark in [*groups, decimal])
    return re.sub(rf"(?<!\d){not_inside}{pattern}", say, text)


def _year_or_cardinal(number: int, language: str) -> str:
    """A four-digit number the way a year is read, where num2words knows how."""
    try:
        return _words(number, language, to="year")
    except NotImplementedError:
        return _words(number, language)


# --- putting it together ------------------------------------------------------------

EN_RULES: tuple[Rule, ...] = (
    drop_emoji,
    drop_stray_symbols,
    expand_urls,
    expand_numeric_dates,
    expand_addresses,
    expand_state_codes,
    expand_postcodes,
    expand_abbreviations,
    expand_dates,
    expand_model_numbers,
    expand_phone_numbers,
    join_digit_groups,
    expand_dotted_numbers,
    expand_times,
    expand_video_lines,
    expand_temperatures,
    expand_blood_pressure,
    expand_currency,
    expand_arithmetic,
    expand_sports_scores,
    expand_ranges,
    expand_percent,
    expand_units,
    expand_fractions,
    expand_round_plurals,
    expand_decades,
    expand_ordinals,
    expand_number_nouns,
    expand_years,
    expand_roman_numerals,
    expand_codes,
    expand_symbols,
    spell_numbers,
    tidy_spaces,
)
"""The English rules, in the order they must run (currency before ranges, units and
percent before years, everything before ``spell_numbers``)."""


def rules_for(language: str) -> tuple[Rule, ...]:
    """The default rules for a language tag: ``EN_RULES`` for English, else the
    language-independent ones (emoji, stray symbols, URLs, symbol words, num2words)
    with the clock times, money and ordinals of ``spoken_forms`` where it knows them.

    English outside the regions that write the month first (``month_first_regions``
    in ``data/abbreviations-en.toml``: the US and a few others; a tag without a region
    counts as US) reads all-number dates day first, and differs in that rule alone.

    >>> rules_for("en") is EN_RULES and rules_for("en-US") is EN_RULES
    True
    >>> normalize_sentence("on 4/6/2019", "en-GB")
    'on the fourth of June twenty nineteen'
    >>> [getattr(r, "__name__", None) or r.func.__name__ for r in rules_for("fr")][2:4]
    ['expand_urls', 'expand_clock_times']
    """
    if _primary(language) == "en":
        region = languages.region(language)
        month_first = _abbreviations()["context"]["month_first_regions"]
        return _english_rules(day_first=region is not None and region not in month_first)
    local = (
        spoken_forms.expand_clock_times,
        spoken_forms.expand_money,
        spoken_forms.expand_local_ordinals,
        spoken_forms.say_decimal_commas,
    )
    return (
        drop_emoji,
        drop_stray_symbols,
        functools.partial(expand_urls, language=language),
        *(functools.partial(rule, language=language) for rule in local),
        functools.partial(expand_symbols, language=language),
        functools.partial(spell_numbers, language=language),
        tidy_spaces,
    )


@functools.cache
def _english_rules(day_first: bool) -> tuple[Rule, ...]:
    if not day_first:
        return EN_RULES
    day_first_dates = functools.partial(expand_numeric_dates, day_first=True)
    return tuple(day_first_dates if r is expand_numeric_dates else r for r in EN_RULES)


def normalize_sentence(
    text: str, language: str = "en", rules: tuple[Rule, ...] | None = None
) -> str:
    """Rewrite one sentence (or heading) so that an engine reads it as words.

    ``rules`` defaults to ``rules_for(language)``; pass your own tuple to add, drop or
    reorder rules.

    >>> normalize_sentence("In 2023, Dr. Smith paid $3.50 for 2 km.")
    'In twenty twenty-three, Doctor Smith paid three dollars fifty cents for two kilometers.'
    >>> normalize_sentence("At 10:30 a.m., 12% of U.S. voters said Sen. Lee was No. 1.")
    'At ten thirty AM, twelve percent of U.S. voters said Senator Lee was number one.'
    >>> normalize_sentence("Le 3 mai, 2,5 % des 2 300 votants 🎉", language="fr")
    'Le trois mai, deux virgule cinq pour cent des deux mille trois cents votants'
    """
    for rule in rules if rules is not None else rules_for(language):
        text = rule(text)
    return text


def normalize_article(article: Article, say: Rule) -> Article:
    """The normalize stage: every sentence and heading of ``article`` in spoken form.

    ``say`` turns one written sentence into what the engine is given (the
    normalizer, then the lexicon). A sentence left with nothing to say (only
    emoji, or only punctuation) is dropped, and so is a section left with
    nothing; the written form stays beside the spoken one for transcripts.
    """
    sections: list[Section] = []
    for section in article.sections:
        paragraphs = tuple(
            kept for kept in (_said(paragraph, say) for paragraph in section.paragraphs) if kept
        )
        if paragraphs:
            title = say(section.title) or section.title
            sections.append(Section(len(sections), section.title, paragraphs, title))
    if not sections:
        raise NothingToSpeak("nothing to speak: no words are left after normalization")
    return replace(article, sections=tuple(sections), spoken_title=say(article.title))


def _said(paragraph: tuple[Sentence, ...], say: Rule) -> tuple[Sentence, ...]:
    """The paragraph's sentences said, those left with nothing to say dropped.

    A part that ran on into a dropped last part of its sentence ends the sentence itself.
    """
    kept: list[Sentence] = []
    for sentence in paragraph:
        said = replace(sentence, spoken=say(sentence.spoken))
        if has_words(said.spoken):
            kept.append(said)
        elif not sentence.runs_on and kept and kept[-1].runs_on:
            kept[-1] = replace(kept[-1], runs_on=False)
    return tuple(kept)


def has_words(text: str) -> bool:
    """Whether ``text`` has anything to say: a letter or a digit, not only punctuation or symbols.

    >>> has_words('"'), has_words("— … !"), has_words("Yes."), has_words("42")
    (False, False, True, True)
    """
    return any(c.isalnum() for c in text)
