"""Tests for audiogen.text.feedclean: what blog engines add to every post in their feeds.

The cases are shapes of WordPress, Jetpack and static-site feed content written
for these tests, not text copied from any feed.
"""

from __future__ import annotations

import doctest

import pytest

from audiogen.text import feedclean
from audiogen.text.feedclean import (
    clean_entry_html,
    drop_appeared_first,
    drop_figcaptions,
    drop_read_more,
    drop_share_widgets,
    show,
)


def test_doctests() -> None:
    result = doctest.testmod(feedclean)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("rule", "html", "expected"),
    [
        (
            drop_figcaptions,
            "<p>A.</p><figure><img src='x.jpg'><figcaption><em>Photo:</em> B.</figcaption></figure><p>C.</p>",
            '<p>A.</p><figure><img src="x.jpg"></figure><p>C.</p>',
        ),
        (drop_figcaptions, "<p>No figures here.</p>", "<p>No figures here.</p>"),
        (
            drop_share_widgets,
            '<p>A.</p><div class="wp-block-jetpack-sharing-buttons"><a href="#">Mastodon</a></div>',
            "<p>A.</p>",
        ),
        (
            drop_share_widgets,
            '<p>A.</p><p><strong>Share this:</strong></p><ul><li><a href="#">Email</a></li><li><a href="#">Print</a></li></ul><p>B.</p>',
            "<p>A.</p><p>B.</p>",
        ),
        (
            drop_share_widgets,  # a label followed by prose: only the label goes
            "<h2>Related</h2><p>The related work of the harbour board is long.</p>",
            "<p>The related work of the harbour board is long.</p>",
        ),
        (
            drop_appeared_first,
            '<p>A.</p><p>The post <a href="/a">A, B &amp; C</a> appeared first on <a href="/">Site</a></p>',
            "<p>A.</p>",
        ),
        (
            drop_read_more,
            '<p>An excerpt.</p><p><a class="more-link" href="/p">Read more »</a></p>',
            "<p>An excerpt.</p>",
        ),
        (
            drop_read_more,
            "<p>An excerpt that stops [...]</p>",
            "<p>An excerpt that stops</p>",
        ),
        (
            drop_read_more,  # a link whose words only start like the phrase stays
            '<p>See <a href="/x">more photos of the quay</a>.</p>',
            '<p>See <a href="/x">more photos of the quay</a>.</p>',
        ),
    ],
)
def test_rules(rule: feedclean.Rule, html: str, expected: str) -> None:
    assert show(rule, html) == expected


def test_all_rules_together_keep_the_post() -> None:
    html = (
        "<p>First paragraph.</p>"
        "<figure><img src='a.jpg'><figcaption>Caption.</figcaption></figure>"
        "<p>Second &amp; last paragraph.</p>"
        "<div class='sharedaddy'><h3>Share this:</h3><ul><li><a href='#'>X</a></li></ul></div>"
        "<p>The post <a href='/p'>Post</a> appeared first on <a href='/'>Blog</a>.</p>"
    )
    assert clean_entry_html(html) == (
        '<p>First paragraph.</p><figure><img src="a.jpg"></figure><p>Second &amp; last paragraph.</p>'
    )


def test_text_outside_any_element_is_kept_escaped() -> None:
    assert clean_entry_html("Tom &amp; Jerry <p>x</p>") == "Tom &amp; Jerry <p>x</p>"
