"""Tests for audiogen.text.structured: the article body a page states as JSON-LD.

The pages are written for these tests, in the shape of sites drawn by JavaScript:
an empty frame ("Loading...") whose article is only in the schema.org data.
"""

from __future__ import annotations

import json
from typing import Any

import lxml.html
import pytest

from audiogen.errors import NothingToSpeak
from audiogen.text.extract import extract_page
from audiogen.text.structured import article_body, body_blocks

PARAGRAPHS = [
    "The harbor ferry resumed service on Thursday after a week-long suspension caused "
    "by storm damage to the north pier.",
    "Crews worked through the weekend to replace two pilings and a section of decking, "
    "the port authority said in a statement.",
    'Commuters who had been driving around the bay welcomed the return. "It cuts forty '
    'minutes off my day," said one rider waiting at the south terminal.',
    "The authority said a full inspection of the south pier is planned for March.",
]


def frame(data: Any, shell: str = '<div class="skeleton">Loading…</div>') -> str:
    """A page whose body a script would draw, with ``data`` as its JSON-LD."""
    ld = json.dumps(data).replace("</", "<\\/")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Harbor ferry returns after storm | City Daily</title>"
        f'<script type="application/ld+json">{ld}</script></head>'
        '<body><div id="__next"><header><a href="/">City Daily</a><nav><a href="/news">News</a>'
        f'<a href="/sports">Sports</a></nav></header><main>{shell}</main>'
        "<footer>© 2024 City Daily. All rights reserved.</footer></div>"
        '<script src="/static/app.js"></script></body></html>'
    )


def spoken(page: str) -> list[str]:
    markdown = extract_page(page).markdown
    return [p.strip() for p in markdown.split("\n\n") if p.strip()]


def test_a_frame_a_script_fills_is_read_from_its_article_body() -> None:
    page = frame(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "articleBody": "\n\n".join(PARAGRAPHS),
        }
    )
    assert spoken(page) == PARAGRAPHS


def test_the_body_is_found_inside_a_graph_and_as_html() -> None:
    body = (
        "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
        + "<h2>What next</h2>"
        + f"<p>{PARAGRAPHS[3]}</p>"
    )
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "City Daily"},
            {"@type": ["BlogPosting", "CreativeWork"], "headline": "Ferry", "articleBody": body},
        ],
    }
    blocks = article_body(lxml.html.fromstring(frame(data)))
    assert [(b.level, b.text) for b in blocks] == [
        (0, PARAGRAPHS[0]),
        (0, PARAGRAPHS[1]),
        (2, "What next"),
        (0, PARAGRAPHS[3]),
    ]


def test_a_page_that_shows_its_article_keeps_its_own_text() -> None:
    # The stated body here is a shorter summary: the page's paragraphs are the article.
    shell = (
        "<article><h1>Harbor ferry returns</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article>"
    )
    data = {"@type": "NewsArticle", "articleBody": PARAGRAPHS[0] + " " + PARAGRAPHS[1]}
    assert spoken(frame(data, shell)) == PARAGRAPHS


def test_only_article_types_count() -> None:
    data = {"@type": "Product", "articleBody": "\n\n".join(PARAGRAPHS)}
    with pytest.raises(NothingToSpeak):
        extract_page(frame(data))


def test_broken_json_ld_is_skipped_not_fatal() -> None:
    page = frame({"@type": "NewsArticle", "articleBody": "\n\n".join(PARAGRAPHS)})
    page = page.replace('<script type="application/ld+json">', '<script type="application/ld+json">{oops</script>'
                        '<script type="application/ld+json">', 1)  # fmt: skip
    assert spoken(page) == PARAGRAPHS


def test_markup_in_the_stated_body_is_never_passed_on() -> None:
    body = (
        "<p>The ferry is back.</p><script>alert(1)</script><p onclick='x()'>It runs hourly "
        "from the north pier to the south terminal, every day of the week, from six.</p>"
        "<iframe src='https://example.com'></iframe>"
    )
    assert [b.text for b in body_blocks(body)] == [
        "The ferry is back.",
        "It runs hourly from the north pier to the south terminal, every day of the week, from six.",
    ]
    # Plain text that merely mentions a tag stays text, escaped in the Markdown.
    text = "\n\n".join([*PARAGRAPHS, "Write <b> in the box & press enter to book a seat on it."])
    markdown = extract_page(frame({"@type": "Article", "articleBody": text})).markdown
    assert "Write \\<b\\> in the box \\& press enter" in markdown


@pytest.mark.parametrize("body", ["", "   ", "Too short to be an article."])
def test_a_thin_stated_body_does_not_stand_in(body: str) -> None:
    with pytest.raises(NothingToSpeak):
        extract_page(frame({"@type": "NewsArticle", "articleBody": body}))
