"""Language tags: the one place that knows how to read them.

Articles, pages, feeds and users write language tags many ways (``en``,
``EN-us``, ``pt_BR``, ``zh-Hant-TW``). Every stage asks this module, so a tag
means the same thing to the normalizer, the lexicon, the engines and the tags.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def canonical(tag: str) -> str:
    """A tag in BCP 47 case, with hyphens: language lower, region upper, script title.

    >>> canonical("pt_BR")
    'pt-BR'
    >>> canonical(" EN-us ")
    'en-US'
    >>> canonical("zh_hant_tw")
    'zh-Hant-TW'
    >>> canonical("es-419")
    'es-419'
    """
    parts = tag.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def primary(tag: str) -> str:
    """The language alone, lower case: what most tables are keyed by.

    >>> primary("pt_BR")
    'pt'
    >>> primary("EN-GB")
    'en'
    >>> primary("fr")
    'fr'
    """
    return canonical(tag).split("-", 1)[0]


def region(tag: str) -> str | None:
    """The region subtag in upper case, if the tag has one.

    >>> region("en_gb")
    'GB'
    >>> region("zh-Hant-TW")
    'TW'
    >>> region("de") is None
    True
    """
    for part in canonical(tag).split("-")[1:]:
        if (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            return part
    return None


def is_valid(tag: str) -> bool:
    """Whether ``tag`` looks like a language tag at all (two or three letters, then subtags).

    >>> is_valid("pt_BR"), is_valid("en"), is_valid("english!"), is_valid("")
    (True, True, False, False)
    """
    return bool(_TAG.match(tag.strip()))


def lookup_order(tag: str) -> tuple[str, ...]:
    """Keys to try in a table keyed by tag, most specific first.

    >>> lookup_order("pt_BR")
    ('pt-br', 'pt')
    >>> lookup_order("en")
    ('en',)
    """
    lang, reg = primary(tag), region(tag)
    return (f"{lang}-{reg.lower()}", lang) if reg else (lang,)
