from __future__ import annotations

import pytest

from audiogen.text.clean import (
    Block,
    clean_blocks,
    collapse_whitespace,
    drop_backslash_escapes,
    drop_photo_credits,
    drop_promo_blocks,
    html_fragment_paragraphs,
    parse_markdown,
    parse_plain_text,
    strip_html_tags,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("officials <u>met with</u> them", "officials met with them"),
        ('<a href="x">link</a> text', "link text"),
        ("3 < 4 and 5 > 2", "3 < 4 and 5 > 2"),
        ("line<br>break", "line break"),
    ],
)
def test_strip_html_tags(raw: str, clean: str) -> None:
    assert strip_html_tags(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [(r"\$200", "$200"), (r"\*not bold\*", "*not bold*"), (r"C:\path", r"C:\path")],
)
def test_drop_backslash_escapes(raw: str, clean: str) -> None:
    assert drop_backslash_escapes(raw) == clean


def test_collapse_whitespace() -> None:
    assert collapse_whitespace(" a \u00a0 b\n\nc ") == "a b c"


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("AP Images Andrés Manuel López Obrador", True),
        ("Getty Images", True),
        ("Photo: Jane Doe for The Paper", True),
        ("Image credit - NASA/JPL", True),
        ("Crowds gather in Lima on Sunday. (Jane Doe/Getty Images)", True),
        ("Reuters/Jane Doe", True),
        ("AP reported that the talks collapsed after a long night of arguing.", False),
        ("Photographers waited outside the court for hours, hoping to see him.", False),
        ("The agency said it would reopen the bridge on Monday.", False),
    ],
)
def test_drop_photo_credits(text: str, dropped: bool) -> None:
    assert (drop_photo_credits((Block(text),)) == ()) is dropped


def test_promo_tail_of_scraped_article_is_dropped() -> None:
    blocks = (
        Block("Title", 2),
        Block("Real paragraph one."),
        Block("Subscribe to the Daily Thing", 2),
        Block("Get exclusive digital access to the best news!"),
        Block("From politics to culture, we cover it all."),
        Block("Subscribe", 2),
        Block("What's Included?", 2),
        Block("24 Issues Per Year Digital Edition Cancel anytime."),
    )
    assert drop_promo_blocks(blocks) == (Block("Title", 2), Block("Real paragraph one."))


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("Subscribe now for unlimited access.", True),
        ("Sign up for our newsletter to get the latest.", True),
        ("Read more: The history of the bridge", True),
        ("Subscribers rose by 4 percent last year, the paper said.", False),
        ("Many readers subscribe to two newspapers, a survey found.", False),
    ],
)
def test_promo_paragraphs(text: str, dropped: bool) -> None:
    assert (drop_promo_blocks((Block(text),)) == ()) is dropped


def test_article_after_promo_heading_is_kept_when_a_real_heading_follows() -> None:
    blocks = (
        Block("Sign up for our newsletter", 2),
        Block("Weekly picks in your inbox."),
        Block("The second half", 2),
        Block("The story goes on."),
    )
    assert drop_promo_blocks(blocks) == blocks[2:]


def test_parse_markdown_keeps_text_and_drops_markup() -> None:
    source = (
        "## The *Title*\n\n"
        "A [linked](https://example.com) word, `code`, <u>underlined</u> and \\$5.\n"
        "Soft break here.\n\n"
        "![a photo](x.jpg)\n\n"
        "- list item one\n- list item two\n\n"
        "> quoted text\n"
    )
    assert parse_markdown(source) == (
        Block("The Title", 2),
        Block("A linked word, code, underlined and $5. Soft break here."),
        Block("list item one"),
        Block("list item two"),
        Block("quoted text"),
    )


def test_html_blocks_in_markdown_become_paragraphs() -> None:
    assert html_fragment_paragraphs(
        "<div><p>One.</p><p>Two <b>bold</b>.</p><script>x()</script></div>"
    ) == [
        "One.",
        "Two bold.",
    ]


def test_plain_text_without_blank_lines_is_one_paragraph_per_line() -> None:
    assert parse_plain_text("First line.\nSecond line.") == (
        Block("First line."),
        Block("Second line."),
    )


def test_nothing_of_the_body_is_lost() -> None:
    body = [f"Paragraph number {i} says something plain about the harbor." for i in range(8)]
    source = (
        "## Title\n\n"
        + "\n\n".join(body)
        + "\n\nAP Images Someone Somewhere\n\n## Subscribe\n\nJoin us!"
    )
    blocks = clean_blocks(parse_markdown(source))
    assert [b.text for b in blocks] == ["Title", *body]
