"""Numbers as words, in a language: the one place audiogen calls num2words.

``normalize`` (every language's numbers, English's rules) and ``spoken_forms``
(clock times, sums and ordinals of five other languages) both spell through
here, so the same tag picks the same converter everywhere in a sentence
("pt-BR" says "dezesseis", "fr-CH" "septante").
"""

from __future__ import annotations

import functools
from decimal import Decimal

from num2words import CONVERTER_CLASSES, num2words  # type: ignore[import-untyped]

from audiogen import languages


@functools.cache
def num2words_lang(language: str) -> str | None:
    """The num2words language code for a BCP 47 tag, or None when unsupported.

    >>> num2words_lang("pt-BR"), num2words_lang("en-GB"), num2words_lang("xx")
    ('pt_BR', 'en', None)
    """
    tag = language.replace("-", "_")
    if "_" in tag:
        head, tail = tag.split("_", 1)
        full = f"{head.lower()}_{tail.upper()}"
        if full in CONVERTER_CLASSES:
            return full
    primary = languages.primary(language)
    return primary if primary in CONVERTER_CLASSES else None


def number_words(value: int | Decimal, language: str = "en", to: str = "cardinal") -> str:
    """num2words without the commas it puts between groups (they make engines pause).

    A number too large for the language's words is read digit by digit:

    >>> number_words(10**27, "es")[:24]
    'uno cero cero cero cero '
    >>> number_words(16, "pt-BR"), number_words(3, "de", to="ordinal")
    ('dezesseis', 'dritte')
    """
    lang = num2words_lang(language) or "en"
    try:
        text: str = num2words(value, lang=lang, to=to)
    except OverflowError:
        digits = [num2words(int(d), lang=lang) for d in str(value) if d.isdigit()]
        return " ".join(digits)
    return text.replace(",", "")
