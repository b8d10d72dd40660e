"""Drop what feeds add to every post: footers, read-more links, share widgets, captions.

A feed entry's HTML is the post plus what the blog engine appends to it for
readers who meet it in a feed reader: WordPress's "The post X appeared first on
Y." footer, "Continue reading ..." links and "[…]" tails on excerpts, share
and like widgets, and captions under figures. None of it is the article.

Each rule is a small named function that changes a parsed fragment in place;
``clean_entry_html`` parses the entry once, applies the rules in order and
writes the HTML back. The phrases and class names are data
(``data/feed-boilerplate.toml``).
"""

from __future__ import annotations

import functools
import html as html_module
import re
import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]

Rule = Callable[[lxml.html.HtmlElement], None]

APPEARED_FIRST = re.compile(r"^the post .+ appeared first on .+?\.?$", re.IGNORECASE | re.DOTALL)
# "[…]", "[...]" or "[&hellip;]" closing an excerpt (a bare "…" may be the author's own).
ELLIPSIS_TAIL = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\])?\s*$")
ARROWS = "→»›>… .:"


@functools.cache
def _table() -> Mapping[str, Any]:
    data = resources.files("audiogen.text").joinpath("data", "feed-boilerplate.toml")
    return tomllib.loads(data.read_text(encoding="utf-8"))


def _text(element: lxml.html.HtmlElement) -> str:
    """The element's words, spaces collapsed, lower-case."""
    return " ".join(element.text_content().split()).lower()


def _drop(element: lxml.html.HtmlElement) -> None:
    if element.getparent() is not None:
        element.drop_tree()  # keeps the text that follows the element


def drop_figcaptions(root: lxml.html.HtmlElement) -> None:
    """Figure captions, and WordPress's classic ``wp-caption-text`` paragraphs.

    >>> show(drop_figcaptions, '<figure><img src="a.jpg"><figcaption>A heron.</figcaption></figure><p>Text.</p>')
    '<figure><img src="a.jpg"></figure><p>Text.</p>'
    >>> show(drop_figcaptions, '<div class="wp-caption"><p class="wp-caption-text">Credit</p></div>')
    '<div class="wp-caption"></div>'
    """
    for element in list(root.iter("figcaption")):
        _drop(element)
    for element in root.find_class("wp-caption-text"):
        _drop(element)


def drop_share_widgets(root: lxml.html.HtmlElement) -> None:
    """Share, like and related-post blocks, by class or by their label.

    >>> show(drop_share_widgets, '<p>Body.</p><div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="x">X</a></li></ul></div>')
    '<p>Body.</p>'
    >>> show(drop_share_widgets, '<p>Body.</p><h3>Like this:</h3><div><a href="l">Like</a> Loading...</div><p>End.</p>')
    '<p>Body.</p><p>End.</p>'
    >>> show(drop_share_widgets, '<p>Share this recipe with friends who bake.</p>')
    '<p>Share this recipe with friends who bake.</p>'
    """
    classes = frozenset(_table()["share_classes"])
    for element in list(root.iter(lxml.etree.Element)):
        tokens = (element.get("class") or "").lower().split()
        if element is not root and classes.intersection(tokens):
            _drop(element)
    labels = frozenset(_table()["share_labels"])
    for element in list(root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span")):
        if element.getparent() is not None and _text(element) in labels:
            after = element.getnext()
            if after is not None and _only_links(after):
                _drop(after)
            _drop(element)


def _only_links(element: lxml.html.HtmlElement) -> bool:
    """True for a list or block whose words are all inside links (a row of buttons)."""
    if element.tag not in ("ul", "ol", "div", "p", "span"):
        return False
    linked = " ".join(a.text_content() for a in element.iter("a"))
    rest = _text(element).replace(" ".join(linked.split()).lower(), "")
    return bool(linked.strip()) and len(rest.split()) <= 2


def drop_appeared_first(root: lxml.html.HtmlElement) -> None:
    """WordPress's footer "The post X appeared first on Y." (added by SEO plugins).

    >>> show(drop_appeared_first, '<p>Body.</p><p>The post <a href="/p">Tides</a> appeared first on <a href="/">Coast Notes</a>.</p>')
    '<p>Body.</p>'
    >>> show(drop_appeared_first, '<p>The post office appeared first on the map in 1850, we think.</p>')
    '<p>The post office appeared first on the map in 1850, we think.</p>'
    """
    for element in list(root.iter("p", "div")):
        text = " ".join(element.text_content().split())
        # Only the footer links the post or the site: a sentence that merely
        # begins the same way has no link.
        if APPEARED_FIRST.match(text) and element.find(".//a") is not None:
            _drop(element)


def drop_read_more(root: lxml.html.HtmlElement) -> None:
    """ "Continue reading ..." links and the "[…]" that ends an excerpt.

    >>> show(drop_read_more, '<p>The tide was low. <a href="/p">Continue reading <span>Tides</span> →</a></p>')
    '<p>The tide was low.</p>'
    >>> show(drop_read_more, '<p>The tide was low and the [&#8230;]</p>')
    '<p>The tide was low and the</p>'
    >>> show(drop_read_more, '<p>We read more than ever.</p><p><a href="/more">More</a></p>')
    '<p>We read more than ever.</p>'
    >>> show(drop_read_more, '<p>And then...</p>')
    '<p>And then...</p>'
    """
    phrases = tuple(_table()["read_more"])
    for link in list(root.iter("a")):
        text = _text(link).rstrip(ARROWS)
        # "Continue reading <the post's title>" ends its paragraph; a link that
        # only begins like a phrase, inside a sentence, is the author's own.
        ends = not (link.tail or "").strip(" \n\t→»›…") and link.getnext() is None
        if any(text == p or (ends and text.startswith(p + " ")) for p in phrases):
            parent = link.getparent()
            _drop(link)
            if parent is not None and parent is not root and not _text(parent):
                _drop(parent)
    for element in root.iter("p"):
        _strip_ellipsis_tail(element)


def _strip_ellipsis_tail(element: lxml.html.HtmlElement) -> None:
    last = element[-1] if len(element) else None
    if last is not None and last.tail and last.tail.strip():
        last.tail = ELLIPSIS_TAIL.sub("", last.tail)
    elif last is None and element.text:
        element.text = ELLIPSIS_TAIL.sub("", element.text)


FEED_RULES: tuple[Rule, ...] = (
    drop_figcaptions,
    drop_share_widgets,
    drop_appeared_first,
    drop_read_more,
)


def clean_entry_html(html: str, rules: tuple[Rule, ...] = FEED_RULES) -> str:
    """An entry's HTML with the feed's boilerplate taken out.

    >>> clean_entry_html('<p>Low tide at six.</p><p>The post <a href="/t">Tides</a> appeared first on <a href="/">Notes</a>.</p>')
    '<p>Low tide at six.</p>'
    >>> clean_entry_html("")
    ''
    """
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return html  # nothing lxml can read: leave it to the page cleaners
    for rule in rules:
        rule(root)
    return _inner_html(root)


def _inner_html(root: lxml.html.HtmlElement) -> str:
    parts = [html_module.escape(root.text, quote=False) if root.text else ""]
    parts.extend(lxml.html.tostring(child, encoding="unicode") for child in root)
    return "".join(parts).strip()


def show(rule: Rule, html: str) -> str:
    """Apply one rule to a fragment (how the examples above are shown)."""
    return clean_entry_html(html, (rule,))
