"""Tables and patterns that tell an article's prose from what surrounds it.

Kept apart from the cleaning code so they can grow without touching logic.
Every pattern here matches a *whole* paragraph or heading, never a phrase
inside prose: a sentence that mentions subscribing is article text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
BACKSLASH_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~])")
HAS_WORD = re.compile(r"\w")
# Page furniture is written like a label, with a capital ("Read more", "SUBSCRIBE"),
# possibly after an opening bracket or quote; a paragraph opening in lower case is prose.
_CAPITALIZED = re.compile(r"^[\s(\[\"'“‘«]*[^\W\d_]")


# Chinese and Japanese are written without spaces between words: there each
# character counts as a word, which is near enough for telling a label from prose.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    """The number of words in ``text``, each Chinese or Japanese character one.

    >>> word_count("He declined to comment."), word_count("他拒绝置评。"), word_count("")
    (4, 5, 0)
    """
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    return unspaced + sum(bool(HAS_WORD.search(w)) for w in _UNSPACED.sub(" ", text).split())


def starts_capitalized(text: str) -> bool:
    """True when the first letter of ``text`` is a capital (after brackets and quotes).

    >>> starts_capitalized("(Photo: x)"), starts_capitalized("read more."), starts_capitalized("42")
    (True, False, False)
    """
    match = _CAPITALIZED.match(text)
    return match is not None and match.group(0)[-1].isupper()


# --- HTML elements that are not spoken ---------------------------------------------
# One set of rules for every place where HTML becomes blocks (a web page, the
# extractors' output, HTML inside Markdown): see ``is_unspoken``.

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that start a new paragraph; everything else flows inside one.
BLOCK_TAGS = HEADING_TAGS | frozenset(
    """
    address article blockquote body dd details div dl dt fieldset header hgroup hr html li
    main ol p section summary table tbody td tfoot th thead tr ul
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
# Elements that are not prose a listener wants: pictures and their captions,
# code listings, widgets and page furniture.
UNSPOKEN_TAGS = frozenset(
    """
    script style noscript template head title meta link figure figcaption picture img svg
    video audio iframe object embed canvas map pre button form input select option textarea
    label nav aside footer dialog
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
# What a <figure> may hold that is read, not looked at (see ``clean._HtmlWalker.figure``),
# unless the figure is another site's post set in the page ("wp-block-embed-twitter").
FIGURE_CONTENT_TAGS = ("blockquote", "table")
EMBED_CLASS_WORDS = frozenset({"embed", "embeds", "tweet", "twitter", "instagram", "tiktok"})
UNSPOKEN_ROLES = frozenset(
    {"navigation", "complementary", "dialog", "alertdialog", "button", "search", "doc-endnotes"}
)
# Words of class names, ids and data-* values of captions and photo credits that
# sit outside <figure> ("wp-caption-text", "image-credit", data-testid="image-caption"),
# unless a prefix says the opposite ("no_caption", "has-caption" mark the prose
# around a figure) or names what the text is about ("category-social-media",
# "tag-ads", "topic-comment" are a post's subjects, not a box).
# A caption's name is often one word too: "thumbcaption", "imagecaption", "photocredit".
CAPTION_CLASS_WORDS = frozenset({"caption", "captions", "credit", "credits"})
NOT_CAPTION_PREFIXES = frozenset(
    {"no", "has", "with", "without", "not", "category", "tag", "topic"}
)
# Words of page furniture that an extractor keeps when it sits inside the
# article's container (a newsletter box between two paragraphs, share buttons, a
# byline box, the tags; on a wiki, the "[edit]" links, the note that points to
# another article of the same name, the fact box beside the article and its list
# of references), with the same exception for prefixes.
FURNITURE_CLASS_WORDS = frozenset(
    """
    newsletter newsletters subscribe subscription signup paywall cookie cookies consent
    share sharing social related comment comments promo advert advertisement ad ads
    partage partager compartir teilen condividi publicite werbung anzeige publicidad
    edit editsection secedit hatnote infobox navbox references reflist
    byline bylines timestamp tags topics breadcrumb breadcrumbs pagination pager toc recommended
    donate donation rating ratings cta
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
# Class names of text hidden from sighted readers (only a screen reader says it).
# Not "hidden-xs" and the like: those hide text on some screens only.
HIDDEN_CLASSES = frozenset(
    """
    hidden is-hidden u-hidden visually-hidden visuallyhidden sr-only screen-reader-text
    screen-reader-only element-invisible
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Names written as one word or several: a pull quote repeats a line of the
# article in large type ("pullquote", "c-pull-quote", "wp-block-pullquote"); a
# call to action asks for a share or a rating ("wprm-call-to-action").
JOINED_NAMES = ("pullquote", "calltoaction")
# A data-* value naming a component is one short token ("image-caption").
DATA_NAME_MAX_CHARS = 40


def is_unspoken(tag: str, attrib: Mapping[str, str]) -> bool:
    """Whether an HTML element holds something other than article prose.

    True for figures, captions, code listings, widgets and page furniture
    (by tag or ARIA role), for caption, photo-credit, pull-quote and furniture
    names in ``class``, ``id`` or a ``data-*`` attribute (``wp-caption-text``,
    ``image-credit``, ``pull-quote``, ``newsletter-box``,
    ``data-component="share-bar"``), and for hidden elements (the ``hidden``
    attribute, ``aria-hidden="true"``, ``display: none``, or classes such as
    ``visually-hidden`` and ``sr-only``).

    >>> is_unspoken("figure", {}), is_unspoken("div", {"class": "wp-caption-text"})
    (True, True)
    >>> is_unspoken("p", {"data-testid": "image-caption"}), is_unspoken("p", {"class": "lead"})
    (True, False)
    >>> is_unspoken("div", {"class": "has-caption"}), is_unspoken("div", {"aria-hidden": "true"})
    (False, True)
    >>> is_unspoken("p", {"class": "entry category-social-media"})
    False
    >>> is_unspoken("div", {"class": "thumbcaption"}), is_unspoken("span", {"class": "newsimagecredit"})
    (True, True)
    """
    return is_unspoken_kind(tag, attrib) or is_furniture_named(tag, attrib)


def is_unspoken_kind(tag: str, attrib: Mapping[str, str]) -> bool:
    """Unspoken whatever it holds: by tag, ARIA role, or hidden from sighted readers.

    >>> is_unspoken_kind("nav", {}), is_unspoken_kind("div", {"style": "display:none"})
    (True, True)
    >>> is_unspoken_kind("div", {"class": "share-bar"})
    False
    """
    if tag in UNSPOKEN_TAGS:
        return True
    if "hidden" in attrib or attrib.get("aria-hidden", "").lower() == "true":
        return True
    if attrib.get("role", "").lower() in UNSPOKEN_ROLES:
        return True
    if HIDDEN_STYLE.search(attrib.get("style", "")):
        return True
    return any(name in HIDDEN_CLASSES for name in _names_of(attrib))


def may_frame_the_article(tag: str, attrib: Mapping[str, str]) -> bool:
    """Whether an element is unspoken by kind only as a ``<form>`` or by ``aria-hidden``.

    Either may be the page's frame: ASP.NET pages hold everything in one
    ``<form>``, and a page saved with a dialog open has ``aria-hidden`` on all
    else, the article too. What is hidden from sight as well stays hidden.

    >>> may_frame_the_article("form", {"id": "aspnetForm"})
    True
    >>> may_frame_the_article("div", {"aria-hidden": "true", "hidden": ""})
    False
    >>> may_frame_the_article("aside", {"aria-hidden": "true"})
    False
    """
    aria_hidden = attrib.get("aria-hidden", "").lower() == "true"
    if tag != "form" and not aria_hidden:
        return False
    rest = {k: v for k, v in attrib.items() if k != "aria-hidden"}
    return not is_unspoken_kind("div" if tag == "form" else tag, rest)


# The page's frame holds the article whatever its classes say: a site marks its
# <html> "ads-enabled" and its <main> a "js-social-anchor".
FRAME_TAGS = frozenset({"html", "body", "main"})


def is_furniture_named(tag: str, attrib: Mapping[str, str]) -> bool:
    """Whether a class, id or data-* name calls the element a caption, pull quote or furniture.

    >>> is_furniture_named("div", {"class": "c-pull-quote"})
    True
    >>> is_furniture_named("main", {"class": "container js-social-anchor-start"})
    False
    """
    return tag not in FRAME_TAGS and any(_is_unspoken_name(n) for n in _names_of(attrib))


# Names of boxes that hold other text than the article's (other articles, readers'
# comments, a cookie notice's terms), however much prose there is in them. A site
# may name the article's own box for its paywall or its newsletter ("newsletter-post").
OTHER_TEXTS_CLASS_WORDS = frozenset(
    "related recommended comment comments cookie cookies consent".split()  # noqa: SIM905
)


def names_other_texts(attrib: Mapping[str, str]) -> bool:
    """Whether a name calls the element a box of other articles, comments or terms.

    >>> names_other_texts({"class": "related-stories"}), names_other_texts({"class": "paywall"})
    (True, False)
    >>> names_other_texts({"id": "cookie-consent"})
    True
    """
    return any(
        w in OTHER_TEXTS_CLASS_WORDS for n in _names_of(attrib) for w in re.split(r"[-_:.]+", n)
    )


def names_embed(attrib: Mapping[str, str]) -> bool:
    """Whether a name calls the element another site's post set in the page.

    >>> names_embed({"class": "wp-block-embed is-provider-twitter"}), names_embed({})
    (True, False)
    """
    return any(w in EMBED_CLASS_WORDS for n in _names_of(attrib) for w in re.split(r"[-_:.]+", n))


def _names_of(attrib: Mapping[str, str]) -> list[str]:
    """The class names, the id and the one-token data-* values of an element."""
    names = attrib.get("class", "").lower().split()
    names.append(attrib.get("id", "").lower())
    for key, value in attrib.items():
        short = len(value) <= DATA_NAME_MAX_CHARS and " " not in value.strip()
        if key.startswith("data-") and short:
            names.append(value.lower())
    return [n for n in names if n]


def _is_unspoken_name(name: str) -> bool:
    words = [w for w in re.split(r"[-_:.]+", name) if w]
    if not words or words[0] in NOT_CAPTION_PREFIXES:
        return False
    if any(joined in "".join(words) for joined in JOINED_NAMES):
        return True
    return any(w in FURNITURE_CLASS_WORDS or _names_caption(w) for w in words)


def _names_caption(word: str) -> bool:
    """A caption word, alone or run into another ("thumbcaption"), but not "hascaption".

    >>> [_names_caption(w) for w in ("caption", "imagecredits", "nocaption", "captioned")]
    [True, True, False, False]
    """
    return any(
        word.endswith(ending) and word[: -len(ending)] not in NOT_CAPTION_PREFIXES
        for ending in CAPTION_CLASS_WORDS
    )


# Agencies and picture libraries whose names open or close a credit line.
PICTURE_SOURCES = (
    r"AP|AFP|Reuters|Getty|Getty Images|Shutterstock|EPA|EPA-EFE|Alamy|iStock|iStockphoto|"
    r"Bloomberg|Xinhua|Corbis|Wikimedia Commons|Unsplash|Pexels|Associated Press|Pool"
)
# Sources whose names are words of the news too ("EPA rules", "Pool and gym", "AP
# Biology"): a line opens as their credit only with "Images", "Photo" or a slash.
AMBIGUOUS_SOURCES = r"AP|EPA|EPA-EFE|Bloomberg|Pool"
_CREDIT_PATTERNS = (
    # "AP Images Andrés Manuel López Obrador", "Getty Images", "Reuters/Jane Doe"
    re.compile(
        rf"^(?:(?!(?:{AMBIGUOUS_SOURCES})\b)(?:{PICTURE_SOURCES})(?:\s+(?:Images?|Photos?|Photo/[^.]*))?"
        rf"(?:\s|/|$)|(?:{AMBIGUOUS_SOURCES})(?:\s+(?:Images?|Photos?)\b|\s*/|$))"
    ),
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
    >>> is_photo_credit("EPA rules on river water"), is_photo_credit("EPA/Jane Doe")
    (False, True)
    """
    words = text.split()
    if len(words) > CREDIT_MAX_WORDS or not starts_capitalized(text):
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


# --- the same labels in French, German, Spanish, Portuguese and Italian -----------------
# Alternatives for the English patterns below, each a regex alternation.
RELATED_LABELS_ELSEWHERE = (
    "à lire aussi|lire aussi|à lire également|voir aussi|sur le même sujet|"
    "lesen sie auch|mehr zum thema|auch interessant|"
    "lee también|te puede interesar|noticias relacionadas|"
    "leia também|veja também|leia mais|"
    "leggi anche|potrebbe interessarti"
)
MOST_READ_ELSEWHERE = "les plus lus|meistgelesen|lo más leído|mais lidas|i più letti"
ADVERT_LABELS_ELSEWHERE = "publicité|anzeige|werbung|publicidad|publicidade|pubblicità"
SHARE_LABELS_ELSEWHERE = "partager|teilen|compartir|compartilhar|compartilhe|condividi"
# "Publié le", "Mis à jour le", "Veröffentlicht am", "Actualizado el".
TIMESTAMP_WORDS_ELSEWHERE = (
    "publié|mis à jour|modifié|veröffentlicht|aktualisiert|publicado|actualizado|atualizado|"
    "pubblicato|aggiornato"
)
MONTHS_ELSEWHERE = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "januar|februar|märz|juni|juli|oktober|dezember|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    "janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro|"
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
)
# Small words of a date or a time stamp: "le 13 mars à 18h45", "am 3. Mai um 9 Uhr".
DATE_LINKS_ELSEWHERE = "le|à|am|um|uhr|el|de|del|em|às|il|alle|ore"
BYLINE_OPENINGS_ELSEWHERE = "par|von|por|di"


# A heading opens a promotional block when it is a call to action or the label of
# one, never when it only mentions what such blocks offer: "The newsletter boom",
# "Share the road", "More from the minister" and "Donate blood" head article text.
_NEWSLETTER_NAME = r"(?:(?:our|the|a|free|daily|weekly|monthly|morning|evening|e-?mail)\s+|(?-i:[A-Z])[\w'’&.-]*\s+){0,4}"
_SECTION_NAME = r"(?-i:[A-Z])[\w'’&.-]*(?:\s+(?-i:[A-Z])[\w'’&.-]*){0,2}"
PROMO_HEADINGS = re.compile(
    r"^(?:subscribe\b.*|sign up\b.*|what'?s included\??|"
    rf"(?:(?:get|join|receive|try|read)\s+)?{_NEWSLETTER_NAME}newsletters?(?:\s+sign[- ]?up)?|"
    r".*\bin your inbox\b.*|"
    r"support (?:our|independent|quality) journalism.*|become a (?:member|subscriber|supporter).*|"
    r"related(?: articles| stories| posts| coverage| reading| links)?|read (?:more|next)\b.*|"
    r"more (?:stories|articles|news|videos|headlines)\b.*|"
    rf"more (?:from|on|in|about) (?:this (?:story|topic|author|series|section)|our \w+|{_SECTION_NAME})|"
    r"recommended(?: for you| reading)?|you (?:may|might) also like.*|"
    r"share (?:this|the) (?:article|story|page|post)|share this|follow us\b.*|"
    r"comments?|leave a (?:comment|reply)|"
    r"trending(?: now)?|most (?:read|popular)|advertisement|sponsored(?: content)?|"
    rf"{MOST_READ_ELSEWHERE}|{ADVERT_LABELS_ELSEWHERE}|{SHARE_LABELS_ELSEWHERE}|"
    r"get (?:the|our) app.*|join (?:us|the conversation).*|"
    r"donate(?: now| today| here)?|donate to (?:us|our)\b.*|support us\b.*)$",
    re.IGNORECASE,
)

PROMO_PARAGRAPHS = re.compile(
    r"^(?:subscribe (?:now|today|to|for)\b|sign up (?:now|today|here)\b|get exclusive\b|"
    # "Sign up for our newsletter", not "Sign up for a library card at the desk."
    r"sign up (?:for|to)\b(?=[^.!?]*\b(?:newsletters?|inbox|e-?mails?|updates|alerts|"
    r"briefings?|digest|our|free)\b)|"
    r"click here\b|download (?:our|the) app\b|follow us on\b|"
    # "Related: ...", "À lire aussi : ...", or a label run into its link ("Read moreCouncil ...").
    rf"(?:read more|related|see also|also read|read next|more on this|recommended|"
    rf"{RELATED_LABELS_ELSEWHERE})(?:\s*[:»›>|]|(?-i:[A-ZÀ-Ý]))|"
    rf"(?:advertisement|sponsored|{ADVERT_LABELS_ELSEWHERE})$|share this (?:article|story)\b|"
    rf"(?:share|{SHARE_LABELS_ELSEWHERE})\s*:|"
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
    >>> [is_promo_heading(h) for h in ("Get our free daily newsletter", "More from Sport")]
    [True, True]
    >>> [is_promo_heading(h) for h in ("The newsletter boom", "More from the minister")]
    [False, False]
    """
    return starts_capitalized(text) and bool(PROMO_HEADINGS.match(text.strip()))


def is_promo_paragraph(text: str) -> bool:
    """True for a short paragraph that is a call to action.

    >>> is_promo_paragraph("Subscribe now for unlimited access.")
    True
    >>> is_promo_paragraph("Subscribers rose by 4 percent last year, the paper said.")
    False
    >>> is_promo_paragraph("Sign up for a library card, then download the reading app.")
    False
    """
    return (
        len(text.split()) <= PROMO_PARAGRAPH_MAX_WORDS
        and starts_capitalized(text)
        and bool(PROMO_PARAGRAPHS.match(text.strip()))
    )


# --- "Related" and "Read more" labels --------------------------------------------------

RELATED_LABEL = re.compile(
    r"^(?:related(?: articles| stories| posts| coverage| reading| links| content| topics)?|"
    r"read more|read next|read also|also read|see also|further reading|more reading|"
    r"more (?:like this|stories|articles|news|videos)\b[^.!?]*|"
    # "More from Sport", "More on this story", not the subheading "More from the manager".
    rf"more (?:from|on|in|about) (?:this (?:story|topic|author|series|section)|our \w+|{_SECTION_NAME})|"
    r"recommended(?: for you| reading| stories)?|"
    r"you (?:may|might) also (?:like|enjoy)|popular now|trending(?: now)?|most (?:read|popular)|"
    r"what to read next|keep reading|top stories|latest news|editor'?s picks|"
    rf"{RELATED_LABELS_ELSEWHERE}|{MOST_READ_ELSEWHERE})"
    r"\s*[:.…»›>|-]*$",
    re.IGNORECASE,
)
# A scraped "related" entry is a headline: short, not a sentence.
HEADLINE_MAX_WORDS = 20
# The end of a sentence, at the end of a text: "stop.", "said.\u201d", "why?)", "完。".
SENTENCE_END = re.compile(r"(?:[.!?…][\"'”’»)\]]*|[。！？][」』”’）)]*)$")


def is_related_label(text: str) -> bool:
    """True for a label that introduces links to other articles.

    >>> [is_related_label(t) for t in ("Related", "READ MORE:", "More from Sport", "See also »")]
    [True, True, True, True]
    >>> is_related_label("Related to this, the mayor resigned.")
    False
    >>> is_related_label("More on the ferry later, when the tide turns.")
    False
    >>> is_related_label("More from the manager"), is_related_label("More on this story")
    (False, True)
    """
    return (
        len(text.split()) <= RELATED_LABEL_MAX_WORDS
        and starts_capitalized(text)
        and bool(RELATED_LABEL.match(text.strip()))
    )


RELATED_LABEL_MAX_WORDS = 8


def looks_like_headline(text: str) -> bool:
    """Short and not ending like a sentence: a headline or link title, not prose.

    >>> looks_like_headline("Tunisia sends most foreign fighters to Syria")
    True
    >>> looks_like_headline("The museum reopened on Friday.")
    False
    """
    return len(text.split()) <= HEADLINE_MAX_WORDS and not SENTENCE_END.search(text.rstrip())


# --- metadata lines: time stamps, reading time, production credits ----------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    rf"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|{MONTHS_ELSEWHERE})\.?"
)
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\.?,?"
TIMESTAMP_KEYWORD = re.compile(
    rf"\b(?:first |last )?(?:published|updated|posted|modified|{TIMESTAMP_WORDS_ELSEWHERE})\b"
    rf"(?:\s+(?:on|at|{DATE_LINKS_ELSEWHERE}))?\s*:?",
    re.IGNORECASE,
)
_DATE_WORD = re.compile(
    rf"^(?:\S*\d\S*|{_MONTH}|{_WEEKDAY}|[ap]\.?m\.?|noon|midnight|today|yesterday|"
    rf"on|at|and|{DATE_LINKS_ELSEWHERE}|[A-Z]{{2,4}}T|GMT|UTC|ET|PT|CT|MT)$",
    re.IGNORECASE,
)
TIMESTAMP_MAX_WORDS = 16
# "5 min read", "Reading time: 4 minutes", "6 mins": not "15 minutes" alone, a
# table's cell or a recipe's time.
READING_TIME = re.compile(
    r"^(?:(?:estimated )?reading time:?\s*\d+\s*(?:-\s*\d+\s*)?(?:min(?:ute)?s?|mins?\.?)|"
    r"\d+\s*(?:-\s*\d+\s*)?(?:(?:min(?:ute)?s?|mins?\.?)\s+read|mins?\.?))\.?$",
    re.IGNORECASE,
)
PRODUCTION_CREDIT = re.compile(
    r"^\(?(?:additional |further )?(?:reporting|writing|editing|research|graphics|"
    r"production|compiled|fact-checking|translation|translated)(?: and \w+)? by\s+(?-i:[A-Z])",
    re.IGNORECASE,
)
PRODUCTION_CREDIT_MAX_WORDS = 40
# A copyright notice: "© G. H. Pell", "Copyright 2004 the author"; not "Copyright law changed."
COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\s+(?:©|\(c\)|\d{4})", re.IGNORECASE)
COPYRIGHT_MAX_WORDS = 30


def is_metadata_line(text: str) -> bool:
    """True for a paragraph that is page metadata rather than news.

    Time stamps (``Updated 3:04 PM ET, Thu March 9, 2017``, ``Published: 5 January
    2024``, ``CNNMoney (New York) First published February 1, 2016``), reading times (``5 min read``) and agency production credits
    (``Reporting by Jane Doe; Editing by John Roe``), and short lines with a
    copyright notice (``© 2004 G. H. Pell. Best viewed in 800x600.``). A sentence that opens the
    same way stays: ``Updated figures show a fall in March.``

    >>> is_metadata_line("Updated 3:04 PM ET, Thu March 9, 2017")
    True
    >>> is_metadata_line("(Reporting by Jane Doe in London; Editing by John Roe)")
    True
    >>> is_metadata_line("5 min read")
    True
    >>> is_metadata_line("Updated figures show unemployment fell to 4% in March.")
    False
    """
    text = text.strip()
    if READING_TIME.match(text):
        return True
    if not starts_capitalized(text):
        return False
    words = len(text.split())
    if words <= TIMESTAMP_MAX_WORDS and (is_timestamp(text) or is_bare_date(text)):
        return True
    if words <= COPYRIGHT_MAX_WORDS and COPYRIGHT.search(text):
        return True
    return words <= PRODUCTION_CREDIT_MAX_WORDS and bool(PRODUCTION_CREDIT.match(text))


def is_bare_date(text: str) -> bool:
    """A date or time and nothing else: what a page prints under its byline.

    >>> is_bare_date("3 November 2025, 07:15 GMT"), is_bare_date("June 19, 2025 — 5.00am")
    (True, True)
    >>> is_bare_date("Saturday: 9am to 5pm"), is_bare_date("May 2024"), is_bare_date("1984")
    (False, True, False)
    """
    found = [w.strip(",.:;|()–—-·") for w in text.split()]
    found = [w for w in found if w]
    has_digit = any(c.isdigit() for c in text)
    return (
        len(found) >= BARE_DATE_MIN_WORDS and has_digit and all(_DATE_WORD.match(w) for w in found)
    )


BARE_DATE_MIN_WORDS = 2


def is_timestamp(text: str) -> bool:
    """A publish or update time, after at most an outlet or place in capitals.

    >>> is_timestamp("CNNMoney (New York) First published February 1, 2016: 1:28 AM ET")
    True
    >>> is_timestamp("Officials updated 5 rules in March.")
    False
    """
    match = TIMESTAMP_KEYWORD.search(text)
    if not match:
        return False
    prefix = text[: match.start()].split()
    if len(prefix) > TIMESTAMP_MAX_PREFIX or not all(starts_capitalized(w) for w in prefix):
        return False
    rest = [w.strip(",.:;|()–—-") for w in text[match.end() :].split()]
    rest = [w for w in rest if w]
    return bool(rest) and all(_DATE_WORD.match(w) for w in rest)


TIMESTAMP_MAX_PREFIX = 4


# --- bylines ----------------------------------------------------------------------------

BYLINE_OPENING = re.compile(
    rf"^(?:by|written by|words by|story by|text by|article by|reported by|"
    rf"{BYLINE_OPENINGS_ELSEWHERE})\s+",
    re.IGNORECASE,
)
# Words that may follow a name in a byline: the author's outlet or role.
AGENCIES = (
    "Reuters",
    "AP",
    "Associated Press",
    "AFP",
    "Agence France-Presse",
    "Bloomberg",
    "CNN",
    "BBC",
    "BBC News",
    "UPI",
    "Xinhua",
    "dpa",
    "PA",
    "PA Media",
    "The Associated Press",
    "The Conversation",
    "Kyodo",
    "ANSA",
    "EFE",
)
ROLE_WORDS = frozenset(
    """
    writer reporter correspondent editor columnist contributor staff journalist producer
    critic analyst author photographer reporters writers editors correspondents contributors
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
# Lower-case words allowed inside a name ("Ludwig van Beethoven", "Ana de la Cruz").
NAME_PARTICLES = frozenset(
    "de da del della der di du dos das la le van von bin ibn al el y ten ter zu".split()  # noqa: SIM905
)
NOT_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december the a an this that these
    those our their his her its today yesterday tomorrow
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
# Words that may stand in the tail after a byline's names: outlet, role, date.
TAIL_WORDS = frozenset(
    """
    and of the for at on in de updated published posted am pm a.m. p.m. et gmt utc bst est
    edt pst pdt cet min mins read
    """.split()  # noqa: SIM905 (a word table reads better as words)
)
BYLINE_MAX_WORDS = 24
MAX_NAME_WORDS = 5
_NAME_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b)\s*")
_TAIL_SEPARATOR = re.compile(
    r"\s*(?:\||•|·|—|–|\s-\s|,|\bfor\b|\bin\b|(?=\b(?:Published|Updated|Posted)\b))\s*"
)


def parse_byline(text: str) -> str | None:
    """The author names in a byline paragraph, or None when it is not a byline.

    A byline is ``By`` and names, with an optional tail (outlet, role, place or
    date) after a separator, or names followed by a news agency or a role
    word. Names are capitalized words, initials and particles (``van``, ``de``);
    several are joined with ``, ``; names in capitals get title case.

    >>> parse_byline("By JANE DOE and John Roe, Associated Press")
    'Jane Doe, John Roe'
    >>> parse_byline("By Ana de la Cruz | Updated Jan. 5, 2024")
    'Ana de la Cruz'
    >>> parse_byline("Jane Doe | Reuters"), parse_byline("Jane Doe, Staff Writer")
    ('Jane Doe', 'Jane Doe')
    >>> parse_byline("By Ana Roe, Transport correspondent")
    'Ana Roe'
    >>> parse_byline("By Monday, the talks had collapsed.") is None
    True
    >>> parse_byline("Jane Doe said the talks had collapsed.") is None
    True
    """
    text = " ".join(text.split()).rstrip(".")
    if not text or len(text.split()) > BYLINE_MAX_WORDS or not starts_capitalized(text):
        return None
    opening = BYLINE_OPENING.match(text)
    body = text[opening.end() :] if opening else text
    names_part, tail = _split_tail(body)
    names = _names(names_part)
    if opening and not names and _is_outlet(names_part) and _is_byline_tail(tail):
        return names_part  # "By Reuters", "By CNN Staff"
    if not names:
        return None
    if opening:
        if not _is_byline_tail(tail):
            return None
    elif not _names_agency_or_role(tail):
        return None
    return ", ".join(names)


def _split_tail(body: str) -> tuple[str, str]:
    """Split names from what follows them at the first separator that is not between names."""
    best = (body, "")
    for match in _TAIL_SEPARATOR.finditer(body):
        head, tail = body[: match.start()], body[match.end() :]
        # "Jane Doe, John Roe and Ann Lee" are all names; stop at the first
        # separator whose right side does not read as names.
        if _names(tail) and match.group(0).strip() in (",", ""):
            continue
        return head, f"{match.group(0).strip()} {tail}".strip()
    return best


def _names(text: str) -> list[str]:
    parts = [p for p in _NAME_SEPARATOR.split(text.strip()) if p]
    if not parts:
        return []
    names = []
    for part in parts:
        words = part.split()
        if not 1 <= len(words) <= MAX_NAME_WORDS or not _is_name(words):
            return []
        names.append(_title_if_capitals(" ".join(words)))
    return names


def _is_name(words: list[str]) -> bool:
    if words[0].lower() in NAME_PARTICLES or words[-1].lower() in NAME_PARTICLES:
        return False
    if " ".join(words).lower() in AGENCY_NAMES:
        return False
    for word in words:
        folded = word.lower().strip(".")
        if folded in NOT_NAMES or folded in AGENCY_NAMES or folded in ROLE_WORDS:
            return False
        if word in NAME_PARTICLES:
            continue
        if not (word[0].isupper() and all(c.isalpha() or c in ".'’-" for c in word)):
            return False
    return True


AGENCY_NAMES = frozenset(a.lower() for a in AGENCIES)


def _title_if_capitals(name: str) -> str:
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        return name.title()
    return name


def _is_byline_tail(tail: str) -> bool:
    """An outlet, role, place or date: capitalized words, numbers, a few small words."""
    for word in tail.replace("|", " ").split():
        bare = word.strip(",;:()[]|•·—–-")
        folded = bare.lower()
        if not bare or bare[0].isdigit() or bare[0].isupper() or folded in TAIL_WORDS:
            continue
        if folded in ROLE_WORDS:  # "Transport correspondent", "staff writer"
            continue
        return False
    return True


def _names_agency_or_role(tail: str) -> bool:
    """The tail of a byline without "By": a news agency or a role first, then a date or place."""
    bare = tail.lstrip(",|•·—–- ").strip()
    if not bare or not _is_byline_tail(bare):
        return False
    first = _TAIL_SEPARATOR.split(bare, maxsplit=1)[0]
    return _is_outlet(first)


def _is_outlet(text: str) -> bool:
    """A news agency, a role ("Staff Writer"), or an agency with a role ("CNN Staff")."""
    words = [w.strip(",.").lower() for w in text.split()]
    if not words or text.strip().lower() in AGENCY_NAMES:
        return bool(words)
    roles = [w for w in words if w in ROLE_WORDS]
    others = " ".join(w for w in words if w not in ROLE_WORDS)
    return bool(roles) and (not others or others in AGENCY_NAMES or others in ("senior", "chief"))


# --- datelines --------------------------------------------------------------------------

_DASH = r"(?:—|–|―|--?)"
_AGENCY_TAG = r"\((?:[A-Z][\w.&'’-]*)(?:[ -][A-Z][\w.&'’-]*){0,3}\)"
DATELINE = re.compile(
    # WASHINGTON, SAN FRANCISCO, ST. LOUIS; or a mixed-case place when an agency follows.
    r"^(?P<place>[A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,3})"
    # ", Calif." / ", England" / ", Jan 5" / ", March 3, 2024"
    rf"(?P<rest>(?:,\s*(?:{_MONTH}\s*\d{{1,2}}(?:,\s*\d{{4}})?|[A-Z][\w.]*(?:\s+[A-Z][\w.]*){{0,2}}))*)"
    rf"\s*(?P<agency>{_AGENCY_TAG})?\s*{_DASH}\s+(?=\S)"
)
AGENCY_ONLY = re.compile(rf"^{_AGENCY_TAG}\s*(?:{_DASH}\s*)?(?=\S)")
_DATE_PART = re.compile(rf"^{_MONTH}\s*\d", re.IGNORECASE)


def strip_dateline(text: str) -> str:
    """Keep a dateline's place, drop its agency tag, date and dash marks.

    The place is part of the news; "(AP) —" is not. A place in capitals gets
    title case so no engine spells it out. A dash stays between the place and
    the story as a spoken pause.

    >>> strip_dateline("WASHINGTON (AP) — The Senate voted on Tuesday.")
    'Washington — The Senate voted on Tuesday.'
    >>> strip_dateline("LONDON, Jan 5 (Reuters) - Shares fell.")
    'London — Shares fell.'
    >>> strip_dateline("SPRINGFIELD, Ill. — The governor spoke.")
    'Springfield, Ill. — The governor spoke.'
    >>> strip_dateline("(CNN)Hundreds gathered.")
    'Hundreds gathered.'
    >>> strip_dateline("The US — and its allies — agreed.")
    'The US — and its allies — agreed.'
    """
    match = DATELINE.match(text)
    if match and _is_dateline_place(match.group("place"), bool(match.group("agency"))):
        place = match.group("place")
        if place.isupper():
            place = place.title()
        regions = [
            r.strip()
            for r in match.group("rest").split(",")
            if r.strip() and not _DATE_PART.match(r.strip()) and not r.strip().isdigit()
        ]
        return f"{', '.join([place, *regions])} — {text[match.end() :]}"
    match = AGENCY_ONLY.match(text)
    if match:
        return text[match.end() :]
    return text


def _is_dateline_place(place: str, has_agency: bool) -> bool:
    letters = [c for c in place if c.isalpha()]
    if has_agency:
        return True
    # Without an agency tag only the all-capitals convention marks a dateline; an
    # acronym ("FBI —") is too short to be taken for a place.
    return len(letters) >= DATELINE_MIN_LETTERS and all(c.isupper() for c in letters)


DATELINE_MIN_LETTERS = 4
