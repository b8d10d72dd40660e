"""Clock times, sums of money and ordinals as French, German, Spanish, Italian and
Portuguese narrators say them.

``normalize.rules_for`` runs these before it spells the numbers left over, so
"15 h 30" is "quinze heures trente" rather than "quinze h trente", "5,50 €" is
"fünf Euro fünfzig" rather than "fünf Komma fünf €", and "1er" is "premier".
The words are in ``data/spoken-forms.toml``; the numbers are ``numbers.number_words``'.
"""

from __future__ import annotations

import functools
import re
import tomllib
from decimal import Decimal
from importlib import resources
from typing import Any

from audiogen import languages
from audiogen.text.numbers import number_words

_MONTHS_DE = (
    "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
)


@functools.cache
def _table() -> dict[str, Any]:
    data = resources.files("audiogen.text").joinpath("data", "spoken-forms.toml")
    return tomllib.loads(data.read_text(encoding="utf-8"))


def knows(language: str) -> bool:
    """Whether the table has spoken forms for ``language``.

    >>> knows("pt-BR"), knows("en"), knows("nl")
    (True, False, False)
    """
    return languages.primary(language) in _table()


def _forms(language: str) -> dict[str, Any]:
    """The table's words for ``language`` (``pt-BR`` -> those of ``pt``)."""
    forms: dict[str, Any] = _table()[languages.primary(language)]
    return forms


def _hour(number: int, language: str) -> str:
    """An hour's number, where the language says it otherwise than it counts
    ("une heure", "ein Uhr", "duas horas")."""
    return str(_forms(language)["hours"].get(str(number), number_words(number, language)))


def _one(number: int, language: str) -> str:
    """A count before a noun: "un euro", "ein Euro"; other numbers as num2words says them."""
    return str(_forms(language)["one"]) if number == 1 else number_words(number, language)


# --- clock times ----------------------------------------------------------------------

_CLOCK = re.compile(
    r"(?<![\d.,:])([01]?\d|2[0-3])(?::([0-5]\d)|\s?h(?![^\W\d_])(?:\s?([0-5]\d))?)(?![\d:])"
)
_CLOCK_DE = re.compile(
    r"(?<![\d.,:])([01]?\d|2[0-3])(?::([0-5]\d)(?!\d|[.:]\d)(?:\s?Uhr\b)?|\.([0-5]\d)\s?Uhr\b)"
)


def expand_clock_times(text: str, language: str) -> str:
    """Say "15:30", "15 h 30" and "15h" as the language tells the time.

    >>> expand_clock_times("à 15 h 30 et vers 9h, puis 13:05", "fr")
    'à quinze heures trente et vers neuf heures, puis treize heures cinq'
    >>> expand_clock_times("um 15:30 Uhr, ab 9.00 Uhr, gegen 1:15, 1.500 Gäste, 12.30", "de")
    'um fünfzehn Uhr dreißig, ab neun Uhr, gegen ein Uhr fünfzehn, 1.500 Gäste, 12.30'
    >>> expand_clock_times("a las 15:30 y a la 1:00", "es")
    'a las quince y treinta y a la una en punto'
    >>> expand_clock_times("às 15h30 e à 1h", "pt-BR")
    'às quinze horas e trinta e à uma hora'
    >>> expand_clock_times("une pause de 2,5 h, 15 hommes, 2:1", "fr")  # not clock times
    'une pause de 2,5 h, 15 hommes, 2:1'
    """
    if not knows(language):
        return text
    words = _forms(language)

    def say(m: re.Match[str]) -> str:
        hour, minutes = int(m.group(1)), m.group(2) or m.group(3)
        single = hour == 1
        if minutes is None or int(minutes) == 0:
            form = words["on_the_hour_one" if single else "on_the_hour"]
            return str(form.format(h=_hour(hour, language)))
        form = words["clock_one" if single else "clock"]
        spoken = form.format(h=_hour(hour, language), m=number_words(int(minutes), language))
        return str(spoken)

    pattern = _CLOCK_DE if languages.primary(language) == "de" else _CLOCK
    return pattern.sub(say, text)


# --- money --------------------------------------------------------------------------

_AMOUNT = r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d{1,2})?|\d+(?:,\d{1,2})?"


@functools.cache
def _money_pattern(language: str) -> re.Pattern[str]:
    words = _forms(language)
    symbols = "|".join(re.escape(s) for s in sorted(words["currencies"], key=len, reverse=True))
    scales = "|".join(re.escape(s) for s in sorted(words["scales"], key=len, reverse=True))
    before = rf"(?P<pre>{symbols})\s?(?P<a1>{_AMOUNT})(?:\s(?P<s1>{scales}))?"
    after = rf"(?P<a2>{_AMOUNT})\s?(?:(?P<s2>{scales})\s?)?(?P<post>{symbols})"
    return re.compile(rf"(?<![\w$€£]){before}(?![\d,])|(?<![\d.,]){after}(?![\w])")


def expand_money(text: str, language: str) -> str:
    """Say a sum of money: the amount, then its currency, then its cents.

    >>> expand_money("Es kostet 5,50 € oder 1 €, dazu 3,5 Mio. €.", "de")
    'Es kostet fünf Euro fünfzig oder ein Euro, dazu drei Komma fünf Millionen Euro.'
    >>> expand_money("un café à 2,40 € et 1 200 € de loyer, 3 M€ de budget", "fr")
    'un café à deux euros quarante et mille deux cents euros de loyer, trois millions d’euros de budget'
    >>> expand_money("custa R$ 20,50 ou R$ 1", "pt-BR")
    'custa vinte reais e cinquenta ou um real'
    >>> expand_money("cuesta 3,5 millones de € y 20 €", "es")
    'cuesta tres coma cinco millones de euros y veinte euros'
    """
    if not knows(language):
        return text
    words = _forms(language)

    def say(m: re.Match[str]) -> str:
        amount = m.group("a1") or m.group("a2")
        symbol = m.group("pre") or m.group("post")
        scale = m.group("s1") or m.group("s2")
        singular, plural = words["currencies"][symbol]
        whole, _, cents = re.sub(r"[.\u00a0\u202f ]", "", amount).partition(",")
        if scale:
            value = Decimal(f"{whole}.{cents}") if cents else Decimal(whole)
            return _elided(
                f"{_decimal(value, language)} {words['scales'][scale]} {plural}", language
            )
        number = int(whole)
        spoken = f"{_one(number, language)} {singular if number == 1 else plural}"
        if cents and int(cents):
            joiner = f" {words['and_cents']} " if words["and_cents"] else " "
            spoken += joiner + number_words(int(cents.ljust(2, "0")), language)
        return spoken

    return _money_pattern(language).sub(say, text)


def _elided(text: str, language: str) -> str:
    """French "de" before a vowel: "millions d’euros".

    >>> _elided("trois millions de euros", "fr"), _elided("tres millones de euros", "es")
    ('trois millions d’euros', 'tres millones de euros')
    """
    if languages.primary(language) != "fr":
        return text
    return re.sub(r"\bde (?=[aeiouyéèêàâîôûh])", "d’", text)


def _decimal(value: Decimal, language: str) -> str:
    """A decimal with the language's own word for its comma ("tres coma cinco")."""
    if value == value.to_integral_value():
        return number_words(int(value), language)
    whole, _, fraction = str(value).partition(".")
    digits = " ".join(number_words(int(d), language) for d in fraction)
    if len(fraction) <= 2 and not fraction.startswith("0"):
        digits = number_words(int(fraction), language)
    return f"{number_words(int(whole), language)} {_forms(language)['decimal_word']} {digits}"


# One or two decimals: "3,500" is a thousands group, not a decimal.
_DECIMAL_COMMA = re.compile(r"(?<![\d.,])(\d+),(\d{1,2})(?![\d,])")


def say_decimal_commas(text: str, language: str) -> str:
    """Say "3,5" with the language's word for the comma, which num2words gets wrong
    for Spanish ("punto").

    >>> say_decimal_commas("subió un 3,5 y luego 12,25", "es")
    'subió un tres coma cinco y luego doce coma veinticinco'
    >>> say_decimal_commas("1,2,3 and 3,500", "es")
    '1,2,3 and 3,500'
    """
    if languages.primary(language) != "es":
        return text
    return _DECIMAL_COMMA.sub(lambda m: _decimal(Decimal(f"{m[1]}.{m[2]}"), language), text)


# --- ordinals -------------------------------------------------------------------------

_ORDINAL_FR = re.compile(r"(?<![\w,.])(\d{1,4})(er|re|ère|e|ème|è)(?![\w])")
_ORDINAL_ROMANCE = re.compile(r"(?<![\w,.])(\d{1,4})(?:\.?([ºª°])|\.(er))(?![\w])")
_ORDINAL_DE = re.compile(
    r"(?:(?<=\s)|^)(?:(?P<before>[^\W\d_]+)\s)?(?P<n>\d{1,3})\.\s(?=(?P<next>[A-ZÄÖÜ][a-zäöüß]+))"
)


def expand_local_ordinals(text: str, language: str) -> str:
    """Say "1er", "2e", "3º", "2ª" and German "am 3. Oktober" as ordinals.

    >>> expand_local_ordinals("le 1er mai, la 1re fois, au 21e siècle", "fr")
    'le premier mai, la première fois, au vingt et unième siècle'
    >>> expand_local_ordinals("el 1.º de mayo, la 2ª vuelta, el 3.er puesto", "es")
    'el primero de mayo, la segunda vuelta, el tercer puesto'
    >>> expand_local_ordinals("Am 3. Oktober 2021 kam er zum 2. Mal, der 1. Tag.", "de")
    'Am dritten Oktober 2021 kam er zum zweiten Mal, der erste Tag.'
    >>> expand_local_ordinals("Seite 3. Dann 20 % und 3.5", "de")  # no article: not an ordinal
    'Seite 3. Dann 20 % und 3.5'
    """
    primary = languages.primary(language)
    if primary == "fr":
        return _ORDINAL_FR.sub(lambda m: _ordinal_fr(int(m.group(1)), m.group(2)), text)
    if primary == "de":
        return _ORDINAL_DE.sub(_ordinal_de, text)
    if knows(language) and _forms(language).get("ordinal_feminine"):
        return _ORDINAL_ROMANCE.sub(
            lambda m: _ordinal(int(m.group(1)), m.group(2) or m.group(3), language), text
        )
    return text


def _ordinal(number: int, mark: str, language: str) -> str:
    """The ordinal of ``number``: feminine after "ª" ("segunda"), short after Spanish
    ".er" ("tercer")."""
    spoken = number_words(number, language, to="ordinal")
    if mark == "ª":
        return re.sub(r"o\b", "a", spoken)
    return spoken.removesuffix("o") if mark == "er" else spoken


def _ordinal_fr(number: int, suffix: str) -> str:
    if number == 1:
        return "premier" if suffix == "er" else "première"
    return number_words(number, "fr", to="ordinal")


def _ordinal_de(m: re.Match[str]) -> str:
    """A German ordinal, declined by the word before it; only before a month or after
    an article or a preposition, since "Seite 3. Dann" ends a sentence."""
    before = m.group("before") or ""
    words = _forms("de")
    month = re.fullmatch(_MONTHS_DE, m.group("next")) is not None
    if not month and before.lower() not in words["articles"] + words["dative_before"]:
        return m.group(0)
    spoken = number_words(int(m.group("n")), "de", to="ordinal")
    if before.lower() in words["dative_before"]:
        spoken += "n"
    return f"{before} {spoken} " if before else f"{spoken} "
