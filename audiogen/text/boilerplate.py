"""Tables and patterns that tell an article's prose from what surrounds it.

Kept apart from the cleaning code so they can grow without touching logic.
Every pattern here matches a *whole* paragraph or heading, never a phrase
inside prose: a sentence that mentions subscribing is article text.
"""

from __future__ import annotations

import re

HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
BACKSLASH_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~])")
HAS_WORD = re.compile(r"\w")

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "tr",
        "table",
        "figure",
        "figcaption",
        "pre",
        "hr",
        "dl",
        "dt",
        "dd",
    ]
)
UNSPOKEN_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "iframe", "figcaption"]
)

# Agencies and picture libraries whose names open or close a credit line.
PICTURE_SOURCES = (
    r"AP|AFP|Reuters|Getty|Getty Images|Shutterstock|EPA|EPA-EFE|Alamy|iStock|iStockphoto|"
    r"Bloomberg|Xinhua|Corbis|Wikimedia Commons|Unsplash|Pexels|Associated Press|Pool"
)
_CREDIT_PATTERNS = (
    # "AP Images Andrés Manuel López Obrador", "Getty Images", "Reuters/Jane Doe"
    re.compile(rf"^(?:{PICTURE_SOURCES})(?:\s+(?:Images?|Photos?|Photo/[^.]*))?(?:\s|/|$)"),
    # "Photo: Jane Doe", "Image credit - NASA", "Photograph by Jane Doe"
    re.compile(
        r"^\(?(?:Photo|Photos|Photograph|Image|Picture|Illustration|Credit|Photo credit|"
        r"Image credit|Top image|Header image|Lead image)\s*(?:by|courtesy of|:|-|–|—)",
        re.IGNORECASE,
    ),
    # "Protesters in Lima. (Jane Doe/Getty Images)", "... Photo by Jane Doe/AFP"
    re.compile(
        rf"(?:/|\bvia\s|\bby\s|\bfor\s|\bPhoto:\s)\s*(?:{PICTURE_SOURCES})(?:\s+Images?)?\)?\.?$"
    ),
)
# A credit is short; a sentence that happens to start with "AP" is not.
CREDIT_MAX_WORDS = 25
CREDIT_NAME_ONLY_MAX_WORDS = 12


def is_photo_credit(text: str) -> bool:
    """True when a whole paragraph is an image credit or caption credit line.

    >>> is_photo_credit("AP Images Andrés Manuel López Obrador")
    True
    >>> is_photo_credit("Photo: Jane Doe")
    True
    >>> is_photo_credit("Crowds gather in Lima. (Jane Doe/Getty Images)")
    True
    >>> is_photo_credit("AP reported that the talks collapsed after a long night.")
    False
    """
    words = text.split()
    if len(words) > CREDIT_MAX_WORDS:
        return False
    first, opening, closing = (p.search(text) for p in _CREDIT_PATTERNS)
    if closing or opening:
        return True
    # "AP Images <name>" reads as a name, not a sentence: no verb-ending period.
    return (
        bool(first)
        and len(words) <= CREDIT_NAME_ONLY_MAX_WORDS
        and not text.rstrip().endswith((".", "!", "?", '"', "”"))
    )


PROMO_HEADINGS = re.compile(
    r"^(?:subscribe\b.*|sign up\b.*|.*\bnewsletters?\b.*|what'?s included\??|"
    r"support (?:our|independent|quality) journalism.*|become a (?:member|subscriber|supporter).*|"
    r"related(?: articles| stories| posts| coverage| reading| links)?|read (?:more|next)\b.*|"
    r"more (?:from|on|stories)\b.*|recommended(?: for you| reading)?|you (?:may|might) also like.*|"
    r"share (?:this|the)\b.*|follow us\b.*|comments?|leave a (?:comment|reply)|"
    r"trending(?: now)?|most (?:read|popular)|advertisement|sponsored(?: content)?|"
    r"get (?:the|our) app.*|join (?:us|the conversation).*|donate\b.*)$",
    re.IGNORECASE,
)

PROMO_PARAGRAPHS = re.compile(
    r"^(?:subscribe (?:now|today|to|for)\b|sign up (?:now|today|for|to)\b|get exclusive\b|"
    r"click here\b|download (?:our|the) app\b|follow us on\b|read more\s*[:»›>]|"
    r"related\s*:|advertisement$|sponsored$|share this (?:article|story)\b|"
    r"support (?:our|independent) journalism\b|already a subscriber\?|"
    r"this (?:article|story) (?:was|is) (?:originally )?published\b|"
    r"cancel anytime\b|unlimited access\b|\d+-day money.back)",
    re.IGNORECASE,
)
PROMO_PARAGRAPH_MAX_WORDS = 40


def is_promo_heading(text: str) -> bool:
    """True for headings that open a promotional or navigation block.

    >>> is_promo_heading("Subscribe to the New American")
    True
    >>> is_promo_heading("What's Included?")
    True
    >>> is_promo_heading("Why readers subscribe less")
    False
    """
    return bool(PROMO_HEADINGS.match(text.strip()))


def is_promo_paragraph(text: str) -> bool:
    """True for a short paragraph that is a call to action.

    >>> is_promo_paragraph("Subscribe now for unlimited access.")
    True
    >>> is_promo_paragraph("Subscribers rose by 4 percent last year, the paper said.")
    False
    """
    return len(text.split()) <= PROMO_PARAGRAPH_MAX_WORDS and bool(
        PROMO_PARAGRAPHS.match(text.strip())
    )
