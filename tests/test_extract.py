"""Tests for audiogen.text.extract: article body and metadata from web pages.

The pages here are written for these tests: an article surrounded by the usual
furniture of a news site (navigation, cookie banner, share buttons, a figure
with its caption and credit, related links, a newsletter box, comments, footer).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from audiogen.errors import AudiogenError, NothingToSpeak
from audiogen.models import Block
from audiogen.text import extract
from audiogen.text.extract import (
    ExtractedPage,
    escape_markdown,
    extract_page,
    looks_like_heading,
    normalize_author,
    normalize_language,
    parse_date,
    render_markdown,
)

BODY = [
    "For forty years the tide clocks of Port Wendle told fishermen when the harbour "
    "would empty, and for the last six of them they told nobody anything at all, "
    "because the brass hands had seized solid under a crust of salt.",
    "This spring a retired watchmaker, Ida Farrant, climbed the tower with a bag of "
    "tools, a flask of tea and, as she put it, more stubbornness than sense.",
    "The clocks were built in 1884 by a firm in Bristol that has long since closed, "
    "and no drawings survive, so every part she removed was photographed, labelled "
    "and laid out on the floor of the lifeboat station below.",
    "Salt was only part of the trouble. Farrant found that the drive shaft had been "
    "repaired with a bicycle chain in the 1970s, and that the chain had stretched, "
    "slipped and finally snapped during the storms of a winter long ago.",
    "The harbour board paid for a new shaft, turned by an apprentice at the boatyard, "
    "and for a gearbox cover that keeps the spray out while letting the works breathe.",
    "Next month the board will vote on whether to light the dials at night, which "
    "would make the clocks readable from the water after dark for the first time.",
    "Farrant says she will climb the tower every quarter to oil the works, and that "
    "she has already chosen an apprentice of her own to carry on after her.",
]
HEADINGS = ["Why the clocks stopped", "What happens next"]

# Text of the page furniture: none of it may reach the listener.
BOILERPLATE = [
    "We use cookies",
    "Accept all cookies",
    "Home",
    "Sport",
    "Weather",
    "Share on Facebook",
    "Share by email",
    "The tide clock tower at dawn",
    "Photo: Ben Osei",
    "Read our interview with Ida Farrant",
    "Related stories",
    "Lifeboat crew rescues stranded kayaker",
    "New ferry timetable announced",
    "Get the Gazette in your inbox",
    "Continue reading the main story",
    "Comments",
    "I remember these clocks from childhood",
    "Copyright Harbour Gazette",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Tide clocks of Port Wendle tick again | Harbour Gazette</title>
  <meta property="og:title" content="Tide clocks of Port Wendle tick again">
  <meta property="og:site_name" content="Harbour Gazette">
  <meta name="author" content="Mara Quill">
  <meta property="article:published_time" content="2024-03-09T07:30:00+00:00">
  <script>window.dataLayer = [];</script>
</head>
<body>
  <div id="cookie-banner" class="cookie-consent">
    <p>We use cookies to improve your experience on our site, to remember your
    settings and to understand how you use our pages.</p>
    <button>Accept all cookies</button>
  </div>
  <header class="site-header">
    <a href="/" class="logo">Harbour Gazette</a>
    <nav><ul>
      <li><a href="/">Home</a></li><li><a href="/news">News</a></li>
      <li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
    </ul></nav>
  </header>
  <main>
    <article class="story">
      <h1>Tide clocks of Port Wendle tick again</h1>
      <p class="byline">By Mara Quill</p>
      <figure class="lead-image">
        <img src="/img/tower.jpg" alt="">
        <figcaption>The tide clock tower at dawn. <span class="credit">Photo: Ben Osei</span>
        </figcaption>
      </figure>
      <div class="story-body">
        <p>{BODY[0]}</p>
        <p>{BODY[1]}</p>
        <p><a href="/2024/03/interview">Read our interview with Ida Farrant</a></p>
        <ul class="share-tools">
          <li><a href="#">Share on Facebook</a></li>
          <li><a href="#">Share on X</a></li>
          <li><a href="#">Share by email</a></li>
        </ul>
        <h2>{HEADINGS[0]}</h2>
        <p>{BODY[2]}</p>
        <p class="story-ad hidden"><a href="#next">Continue reading the main story</a></p>
        <p>{BODY[3]}</p>
        <div class="newsletter-box">
          <p>Get the Gazette in your inbox, every morning, free of charge, with the
          tides, the weather and the news from along the coast.</p>
          <form><input type="email"><button>Sign up</button></form>
        </div>
        <p>{BODY[4].replace("the boatyard", '<a href="/boatyard">the boatyard</a>')}</p>
        <h2>{HEADINGS[1]}</h2>
        <p>{BODY[5]}</p>
        <p>{BODY[6]}</p>
      </div>
    </article>
    <aside class="related">
      <h2>Related stories</h2>
      <ul>
        <li><a href="/a">Lifeboat crew rescues stranded kayaker</a></li>
        <li><a href="/b">New ferry timetable announced</a></li>
      </ul>
    </aside>
    <section id="comments" class="comments">
      <h2>Comments</h2>
      <div class="comment"><p>I remember these clocks from childhood, and I am so glad,
      truly, to hear that they are running again after all these years.</p></div>
      <div class="comment"><p>Well done to Ida, a real local hero, and to the harbour
      board for paying for the work.</p></div>
    </section>
  </main>
  <footer><p>Copyright Harbour Gazette. All rights reserved.</p></footer>
</body>
</html>
"""


@pytest.fixture(scope="module")
def page() -> ExtractedPage:
    return extract_page(PAGE, url="https://gazette.example/2024/03/tide-clocks")


def paragraphs(markdown: str) -> list[str]:
    return markdown.strip().split("\n\n")


def plain(markdown: str) -> str:
    """The text a Markdown reader sees (escapes resolved), paragraphs on lines."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return "\n".join(t.content for t in tokens if t.type == "inline").replace("\\", "")


def test_body_paragraphs_come_out_in_order(page: ExtractedPage) -> None:
    text = plain(page.markdown)
    positions = [text.find(p) for p in BODY]
    assert -1 not in positions, [p for p in BODY if p not in text]
    assert positions == sorted(positions)


def test_subheadings_are_level_two_headings_in_place(page: ExtractedPage) -> None:
    blocks = paragraphs(page.markdown)
    assert [b for b in blocks if b.startswith("#")] == [f"## {h}" for h in HEADINGS]
    assert blocks.index(f"## {HEADINGS[0]}") == blocks.index(BODY[2]) - 1
    assert blocks.index(f"## {HEADINGS[1]}") == blocks.index(BODY[5]) - 1


def test_markdown_is_paragraphs_and_headings_only(page: ExtractedPage) -> None:
    blocks = paragraphs(page.markdown)
    assert sorted(blocks) == sorted([*BODY, *(f"## {h}" for h in HEADINGS)])
    assert page.markdown.endswith("\n") and "\n\n\n" not in page.markdown


@pytest.mark.parametrize("snippet", BOILERPLATE)
def test_boilerplate_is_left_out(page: ExtractedPage, snippet: str) -> None:
    assert snippet not in plain(page.markdown)


def test_title_is_not_repeated_in_the_body(page: ExtractedPage) -> None:
    assert page.title == "Tide clocks of Port Wendle tick again"
    assert page.title not in page.markdown


def test_metadata(page: ExtractedPage) -> None:
    assert page.title == "Tide clocks of Port Wendle tick again"
    assert page.author == "Mara Quill"
    assert page.published == datetime(2024, 3, 9, 7, 30, tzinfo=UTC)
    assert page.language == "en"
    assert page.site_name == "Harbour Gazette"


GERMAN = [
    "Die Gezeitenuhren von Port Wendle zeigen wieder die richtige Zeit, nachdem sie "
    "sechs Jahre lang stillstanden, weil das Salz die Zeiger festgesetzt hatte.",
    "Eine pensionierte Uhrmacherin stieg im Frühjahr mit ihrem Werkzeug auf den Turm "
    "und nahm das Uhrwerk Stück für Stück auseinander, um es zu reinigen.",
    "Im nächsten Monat entscheidet der Hafenrat, ob die Zifferblätter nachts beleuchtet "
    "werden sollen, damit man sie auch vom Wasser aus lesen kann.",
]


def _bare_page(paras: list[str], head: str = "", html_attrs: str = "") -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        f"<html{html_attrs}><head><title>Gezeitenuhren</title>{head}</head>"
        f"<body><article>{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("head", "html_attrs", "expected"),
    [
        ("", ' lang="de-DE"', "de"),
        ('<meta http-equiv="Content-Language" content="de">', "", "de"),
        ('<meta property="og:locale" content="de_AT">', "", "de"),
        ("", "", "de"),  # not declared: identified from the text
    ],
)
def test_language_is_declared_or_identified(head: str, html_attrs: str, expected: str) -> None:
    page = extract_page(_bare_page(GERMAN, head, html_attrs))
    assert page.language == expected
    assert GERMAN[0] in page.markdown


def test_language_of_a_short_undeclared_page_is_unknown() -> None:
    page = extract_page(_bare_page(["Die Uhren gehen wieder, sagt der Hafenrat."]))
    assert page.language is None


def test_page_without_metadata_has_none() -> None:
    page = extract_page(_bare_page(GERMAN))
    assert page.author is None
    assert page.published is None
    assert page.title == "Gezeitenuhren"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "<html><head><script>var a = 1;</script></head><body></body></html>",
        "<html><body><nav><ul><li><a href='/a'>Home</a></li><li><a href='/b'>News</a></li>"
        "</ul></nav></body></html>",
        "<html><body><figure><img src='a.jpg'><figcaption>A photo</figcaption></figure>"
        "</body></html>",
    ],
    ids=["empty", "blank", "script-only", "links-only", "picture-only"],
)
def test_page_without_article_raises_nothing_to_speak(html: str) -> None:
    with pytest.raises(NothingToSpeak, match="no article text found in"):
        extract_page(html, url="https://example.org/x")


def test_nothing_to_speak_names_the_url() -> None:
    with pytest.raises(NothingToSpeak, match=r"https://example\.org/empty"):
        extract_page(
            "<html><body><nav><a href='/'>Home</a></nav></body></html>",
            url="https://example.org/empty",
        )


def test_a_bare_fragment_is_a_page_too() -> None:
    # trafilatura alone refuses a single-element fragment as "not HTML".
    page = extract_page(f"<p>{BODY[0]}</p>")
    assert paragraphs(page.markdown) == [BODY[0]]
    assert page.title == ""


def test_control_and_zero_width_characters_are_dropped() -> None:
    dirty = [
        p.replace("harbour", "har\u00adbour\x07").replace("tools", "to\u200bols") for p in BODY
    ]
    page = extract_page(_bare_page(dirty, html_attrs=' lang="en"'))
    assert paragraphs(page.markdown) == BODY


def test_lead_paragraph_in_heading_markup_is_spoken_as_a_paragraph() -> None:
    lead = (
        "The harbour board says the clocks will be lit at night from the summer, "
        "after a vote that surprised almost everyone in the town."
    )
    html = (
        "<html><head><title>Clocks</title></head><body><article>"
        f"<h1>Clocks</h1><h2>{lead}</h2>"
        + "".join(f"<p>{p}</p>" for p in BODY[:3])
        + "</article></body></html>"
    )
    blocks = paragraphs(extract_page(html).markdown)
    assert blocks[0] == lead
    assert not any(b.startswith("#") for b in blocks)


def test_markup_characters_in_text_survive_a_markdown_reader() -> None:
    tricky = [
        "1. This sentence starts like a numbered list item, but it is a sentence.",
        "# Not a heading, though it starts with a hash, and goes on for a while.",
        "Prices rose 5*3 times & the <b> tag was [not] a link_name, said `someone`.",
    ]
    page = extract_page(_bare_page([*tricky, *BODY[:2]], html_attrs=' lang="en"'))
    tokens = MarkdownIt("commonmark").parse(page.markdown)
    assert [t.type for t in tokens if t.type.endswith("_open")] == ["paragraph_open"] * 5
    texts = [
        "".join(c.content for c in t.children or [] if c.type == "text")
        for t in tokens
        if t.type == "inline"
    ]
    assert texts[:3] == tricky


def test_falls_back_to_trafilatura_when_readability_finds_little(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extract, "_readability_blocks", lambda html: [Block("Teaser only.")])
    page = extract_page(PAGE)
    text = plain(page.markdown)
    assert "Teaser only." not in text
    assert all(p in text for p in BODY)


def test_keeps_readability_when_it_finds_as_much(monkeypatch: pytest.MonkeyPatch) -> None:
    mine = [Block(" ".join(BODY))]
    monkeypatch.setattr(extract, "_readability_blocks", lambda html: mine)
    assert extract_page(PAGE).markdown == render_markdown(mine)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en-US", "en"),
        ("en_GB", "en"),
        ("DE", "de"),
        (" fr ", "fr"),
        ("zh-Hant-TW", "zh"),
        ("fil", "fil"),
        ("", None),
        ("english", None),
        ("x", None),
    ],
)
def test_normalize_language(value: str, expected: str | None) -> None:
    assert normalize_language(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jeffrey Gettleman; JEFFREY GETTLEMAN", "Jeffrey Gettleman"),
        ("By Ana Sandoiu", "Ana Sandoiu"),
        ("Jane Roe | John Doe", "Jane Roe, John Doe"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_author(value: str | None, expected: str | None) -> None:
    assert normalize_author(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-06-07T20:54:26+0000", datetime(2023, 6, 7, 20, 54, 26, tzinfo=UTC)),
        (
            "2015-07-24T05:36:09+0100",
            datetime(2015, 7, 24, 5, 36, 9, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2019-04-28T06:01:07", datetime(2019, 4, 28, 6, 1, 7)),
        ("2017-01-13", datetime(2017, 1, 13)),
        ("13 January 2017", None),
        (None, None),
    ],
)
def test_parse_date(value: str | None, expected: datetime | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Why the clocks stopped", True),
        ("Is it safe?", True),
        ("Analysis: Jon Sopel, BBC News, Washington", True),
        ("Fiona Parry issued a plea for people to stay away from the pills.", False),
        (" ".join(["word"] * 16), False),
        ("Wait for it...", True),
    ],
)
def test_looks_like_heading(text: str, expected: bool) -> None:
    assert looks_like_heading(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "plain words"),
        ("a*b_c", "a\\*b\\_c"),
        ("1. item", "1\\. item"),
        ("12) item", "12\\) item"),
        ("- dash", "\\- dash"),
        ("> quote", "\\> quote"),
        ("x & y", "x \\& y"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("attrs", "spoken"),
    [
        ('class="lead"', True),
        ('class="no_caption buzz_item"', True),
        ('class="has-caption"', True),
        ('class="hidden-xs"', True),
        ('class="entry tag-social-media topic-ads category-comment"', True),
        ('class="wp-caption-text"', False),
        ('class="media-caption__text"', False),
        ('class="image-credit"', False),
        ('class="visually-hidden"', False),
        ('class="newsletter-wrapper text-18"', False),
        ('class="c-pull-quote"', False),
        ('class="wp-block-pullquote"', False),
        ('class="pull_quote"', False),
        ('class="quote"', True),
        ('aria-hidden="true"', False),
        ("hidden", False),
        ('style="display: none"', False),
        ('role="navigation"', False),
    ],
)
def test_unspoken_elements(attrs: str, spoken: bool) -> None:
    html = (
        f"<html><head><title>T</title></head><body><article>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[:3])}"
        f"<div {attrs}><p>Marker sentence that is long enough, with commas, to keep.</p></div>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[3:])}"
        "</article></body></html>"
    )
    text = plain(extract_page(html).markdown)
    assert ("Marker sentence" in text) is spoken


# --- paragraphs beside the article's main block ---------------------------------------

# Lead paragraphs that sit beside the container holding most of the article, as
# on pages that put a standfirst and a first paragraph above the story's <div>.
SIBLING_LEADS = [
    '<p><a href="/quill">Mara Quill</a> reports that the tide clocks of Port Wendle ran again '
    "on Sunday after six silent years, to cheers from the quay.</p>",
    "<p><em>“We have nothing to fear from the sea now,” she said.</em></p>",
    "<p>What can we learn from this? Let us look:</p>",
    "<p><b>Short</b> and true.</p>",
]
SIBLING_FURNITURE = ["<p>Advertisement</p>", "<p>Share this article</p>"]


def _sibling_page(leads: list[str], middle: str = "", tail: str = "") -> str:
    story = "".join(f"<p>{html.escape(p)}</p>" for p in BODY * 3)
    return (
        "<html><head><title>Clocks</title></head><body><div id='content'>"
        "<h1>Clocks tick again</h1>"
        f"{''.join(leads)}{middle}<div class='story'>{story}</div>{tail}"
        "</div></body></html>"
    )


def test_lead_paragraphs_beside_the_story_block_are_kept_in_order() -> None:
    text = plain(extract_page(_sibling_page(SIBLING_LEADS)).markdown)
    leads = [
        "Mara Quill reports that the tide clocks",
        "We have nothing to fear from the sea now",
        "What can we learn from this? Let us look:",
        "Short and true.",
    ]
    positions = [text.find(lead) for lead in leads]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)
    assert positions[-1] < text.find(BODY[0])


def test_furniture_beside_the_story_block_stays_out() -> None:
    page = _sibling_page(SIBLING_LEADS[:1] + SIBLING_FURNITURE, tail="".join(SIBLING_FURNITURE))
    text = plain(extract_page(page).markdown)
    assert "Advertisement" not in text
    assert "Share this article" not in text


def test_a_subheading_beside_the_story_block_is_kept_with_its_paragraph() -> None:
    middle = f"<h2>Why it matters</h2><p>{html.escape(BODY[1])} And so on, at length.</p>"
    text = plain(extract_page(_sibling_page(SIBLING_LEADS[:1], middle=middle)).markdown)
    assert "Why it matters" in text
    assert text.find("Why it matters") < text.find("And so on, at length.")


def test_a_mostly_linked_sibling_paragraph_stays_out() -> None:
    links = (
        '<p><a href="/a">Lifeboat crew rescues stranded kayaker off the point</a> and '
        '<a href="/b">New ferry timetable announced for the summer season</a></p>'
    )
    text = plain(extract_page(_sibling_page(SIBLING_LEADS[:1], middle=links)).markdown)
    assert "Lifeboat crew" not in text


# --- properties -----------------------------------------------------------------------

_TAGS = ["p", "div", "a", "em", "h2", "ul", "li", "figure", "script", "article", "table", "td"]
random_html = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
        st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
        st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
        st.sampled_from(["<br>", "<!--", "-->", "&amp;", "&#0;", "<", ">", "<html lang=xx>"]),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=random_html)
def test_random_html_gives_markdown_or_nothing_to_speak(page: str) -> None:
    try:
        result = extract_page(page)
    except AudiogenError:
        return
    assert result.markdown.endswith("\n")
    assert result.markdown.strip()


def test_paragraphs_laid_out_with_line_breaks_stay_paragraphs() -> None:
    cell = "<br><br>\n".join(html.escape(p) for p in BODY[:4])
    page = (
        "<html><head><title>Clocks</title></head><body><table><tr>"
        f"<td class='main'><font size=2>{cell}<br>\n</font></td>"
        "<td class='side'><a href='/'>Home</a><br><a href='/x'>Links</a></td>"
        "</tr></table></body></html>"
    )
    paragraphs = plain(extract_page(page).markdown).splitlines()
    assert paragraphs == BODY[:4]


def test_a_standfirst_and_lede_outside_the_body_container_are_spoken() -> None:
    standfirst = (
        "Islanders face a month with two sailings a week after a row over the price of fuel"
    )
    lede = "The only ferry to the islands will run twice a week instead of daily from Monday."
    page = (
        "<html><body><nav><a href=/>Home</a></nav><div class=grid>"
        f"<div class=top><div class=story-header><h1>Ferry timetable scrapped</h1>"
        f"<div class=story-header__standfirst><p>{standfirst}</p></div></div>"
        f"<div class=intro><div><p>{lede}</p></div></div>"
        "<time>3 November 2025, 07:15 GMT</time></div>"
        f"<div class=main><div class=story-body>{''.join(f'<p>{p}</p>' for p in BODY)}</div>"
        "</div></div><footer>About us</footer></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert text.index(standfirst) < text.index(lede) < text.index(BODY[0])
    assert "07:15" not in text and "Home" not in text


def test_key_points_listed_under_the_title_are_spoken() -> None:
    points = ["Gusts of 90mph recorded at the point", "All ferries cancelled for the day"]
    page = (
        "<html><body><nav><a href=/>Home</a></nav><div class=live-header><h1>Storm live</h1>"
        f"<div class=summary><ul>{''.join(f'<li>{p}</li>' for p in points)}</ul></div>"
        "<ul class=meta><li>Ana Roe</li><li>18 Nov 2025</li></ul>"
        "<ul class=events><li><a href=#b1>Ferries cancelled at noon</a></li>"
        "<li><a href=#b2>Schools closed this morning</a></li></ul></div>"
        f"<div class=blog><div class=block>{''.join(f'<p>{p}</p>' for p in BODY)}</div></div>"
        "</body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert text.index(points[0]) < text.index(points[1]) < text.index(BODY[0])
    assert "Ana Roe" not in text and "Schools closed" not in text


def test_paragraphs_all_named_for_the_paywall_are_the_article() -> None:
    body = "".join(f"<p class=paywall>{p}</p>" for p in BODY)
    page = (
        "<html><body><h1>Clocks tick again</h1>"
        f"<div class=story-body>{body}</div>"
        "<div class=paywall-prompt><p class=paywall>Subscribe for unlimited access to the"
        " Gazette, from the first of the month.</p></div></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert all(p in text for p in BODY), text
    assert "Subscribe" not in text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<form id=aspnetForm method=post><input type=hidden name=__VIEWSTATE value=x>", "</form>"),
        (
            "<div id=app-root aria-hidden=true>",
            "</div><div role=dialog><p>We use cookies.</p></div>",
        ),
        ("<div id=page class='site cookie-consent-given'>", "</div>"),
    ],
)
def test_a_box_around_the_whole_page_is_its_frame_whatever_it_is(before: str, after: str) -> None:
    # The standfirst and the subheading in a box of its own come back only from the page.
    standfirst = (
        "General waste will be collected every three weeks instead of every two from October."
    )
    page = (
        f"<html><body>{before}<div class=item><h1>Bin collections change</h1>"
        f"<div class=summary><p>{standfirst}</p></div>"
        f"<div class=body>{''.join(f'<p>{p}</p>' for p in BODY[:4])}</div>"
        "<div class=section><h2>What happens next</h2></div>"
        f"<div class=body>{''.join(f'<p>{p}</p>' for p in BODY[4:])}</div>"
        f"<div class=search><input name=q><button>Go</button></div></div>{after}</body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert text.index(standfirst) < text.index(BODY[0]) < text.index("What happens next")
    assert "Go" not in text.split() and "cookies" not in text


def test_a_box_hidden_from_sight_stays_hidden_however_long() -> None:
    hidden = "".join(f"<p>{p}</p>" for p in BODY[4:])
    page = (
        "<html><body><h1>Clocks tick again</h1>"
        f"<div class=story>{''.join(f'<p>{p}</p>' for p in BODY[:4])}</div>"
        f"<div aria-hidden=true style='display:none'>{hidden}</div></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert BODY[3] in text and BODY[4] not in text


def test_a_wiki_article_is_spoken_without_its_edit_links_fact_box_and_references() -> None:
    edit = "<span class=mw-editsection>[<a href='?action=edit&section=1'>edit</a>]</span>"
    infobox = "<table class='infobox vcard'><tr><th>Length</th><td>31 miles</td></tr>"
    infobox += "<tr><th>Locks</th><td>22</td></tr></table>"
    refs = "<div class=reflist><ol class=references><li>Hadfield, Charles (1966). The Canals."
    refs += "</li><li>Board of Trade returns, 1854.</li></ol></div>"
    page = (
        "<html><head><title>Tide clocks - Openpedia</title></head><body>"
        f"<h1>Tide clocks</h1><div class=mw-parser-output>{infobox}"
        f"{''.join(f'<p>{p}</p>' for p in BODY[:4])}"
        f"<h2><span class=mw-headline>What happens next</span>{edit}</h2>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[4:])}"
        f"<h2><span class=mw-headline>References</span>{edit}</h2>{refs}</div></body></html>"
    )
    extracted = extract_page(page)
    text = plain(extracted.markdown)
    assert extracted.title == "Tide clocks"
    assert "What happens next" in text.splitlines() and BODY[6] in text
    assert not any(w in text for w in ("edit", "Locks", "References", "Hadfield", "[", "]"))


def test_a_heading_id_spelled_from_its_words_is_an_anchor_not_a_name() -> None:
    def section(anchor: str, heading: str, paragraphs: list[str]) -> str:
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return f"<section id={anchor}><h2>{heading}</h2>{body}</section>"

    page = (
        "<html><body><article><h1>How the tide clocks work</h1>"
        f"<p>{BODY[0]}</p>{section('related-work', 'Related work', BODY[1:3])}"
        f"{section('social-media', 'Social media', BODY[3:5])}"
        f"<h2 id=share-your-results>Share your results</h2><p>{BODY[5]}</p><p>{BODY[6]}</p>"
        "<div id=related><h2>Read next</h2><p>The lighthouse keepers who stayed on.</p></div>"
        "</article></body></html>"
    )
    text = plain(extract_page(page).markdown).splitlines()
    assert text == [
        BODY[0],
        "Related work",
        *BODY[1:3],
        "Social media",
        *BODY[3:5],
        "Share your results",
        *BODY[5:],
    ]


def test_a_menu_of_links_on_lines_of_their_own_is_not_spoken() -> None:
    # An old page lays its menu out in a table cell beside the article, a line per link.
    menu = "<b>Bridges</b><br>" + "<br>".join(
        f"<a href=/{n}.html>{n.title()} Bridge</a>" for n in ("sawley", "cavendish", "trent")
    )
    body = "<br><br>".join(BODY)
    page = (
        "<html><head><title>Tide clocks</title></head><body><table><tr>"
        f"<td width=160><font size=1>{menu}</font></td><td><font size=3>{body}</font></td>"
        "</tr></table></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert all(p in text for p in BODY), text
    assert "Cavendish" not in text and "Bridges" not in text


def test_a_subheading_that_opens_the_body_under_the_title_is_spoken() -> None:
    page = (
        "<html><head><title>How the tide clocks work</title></head><body><article>"
        "<h2 class=kicker>Culture</h2><h1>How the tide clocks work</h1>"
        "<h4>April 9, 2025</h4><h2>Background</h2>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[:4])}<h2>What happens next</h2>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[4:])}</article></body></html>"
    )
    text = plain(extract_page(page).markdown).splitlines()
    assert text[:2] == ["Background", BODY[0]]
    assert "Culture" not in text and "April 9, 2025" not in text


def test_a_subheading_beside_a_figure_is_spoken() -> None:
    page = (
        "<html><body><h1>The clocks of Port Wendle</h1><div class=article-body>"
        + "".join(f"<p>{p}</p>" for p in BODY[:4])
        + "<div class=chapter-header><figure><img src=a.jpg><figcaption>The tower.</figcaption>"
        + "</figure><h2>What happens next</h2></div>"
        + "".join(f"<p>{p}</p>" for p in BODY[4:])
        + "</div></body></html>"
    )
    markdown = extract_page(page).markdown
    assert "## What happens next" in markdown
    assert "The tower." not in markdown


# --- furniture names on the article's own container ----------------------------------


@pytest.mark.parametrize(
    "classes",
    [
        "article-body paywall",
        "entry-content js-share-target",
        "post category-social-media tag-ads",
        "content-body inline-promo",
    ],
)
def test_a_container_named_for_what_the_site_does_to_it_is_still_the_article(
    classes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Readability alone must find it: the other extractor is not there to stand in.
    monkeypatch.setattr(extract, "_trafilatura_blocks", lambda tree: [])
    page = (
        "<html><head><title>Clocks</title></head><body><h1>Clocks tick again</h1>"
        f"<div class='{classes}'>{''.join(f'<p>{p}</p>' for p in BODY[:4])}"
        "<div class='share-bar'><p>Share this story with a friend today.</p></div>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[4:])}</div></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert all(p in text for p in BODY), text
    assert "Share this story" not in text


def test_a_box_of_other_articles_stays_out_however_long() -> None:
    teasers = "".join(f"<p>{p}</p>" for p in BODY[3:7])
    page = (
        "<html><head><title>Clocks</title></head><body><h1>Clocks tick again</h1>"
        f"<div class='story'>{''.join(f'<p>{p}</p>' for p in BODY[:3])}"
        f"<div class='related-stories'>{teasers}</div></div></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert BODY[2] in text and BODY[3] not in text


def test_a_lede_is_found_on_a_page_whose_html_element_names_its_adverts() -> None:
    lede = "The only ferry to the islands will run twice a week instead of daily from Monday."
    page = (
        "<html class='js ads-enabled'><head><title>Ferry cut</title></head><body>"
        "<main class='container js-social-anchor-start'><h1>Ferry timetable cut</h1>"
        f"<div class=intro><p>{lede}</p></div>"
        f"<div class=story-body>{''.join(f'<p>{p}</p>' for p in BODY)}</div>"
        "</main></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert text.index(lede) < text.index(BODY[0])


def test_a_heading_over_a_subheading_is_kept() -> None:
    page = (
        "<html><head><title>Clocks</title></head><body><article><h1>Clocks tick again</h1>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[:3])}<h2>The repair</h2><h3>A bicycle chain</h3>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[3:])}<h2>Most read</h2></article></body></html>"
    )
    markdown = extract_page(page).markdown
    assert "## The repair\n\n## A bicycle chain\n\n" in markdown
    assert "Most read" not in markdown


def test_a_quotation_or_a_table_set_in_a_figure_is_spoken_but_not_its_caption() -> None:
    quote = "We have nothing to fear from the sea now that the clocks tell us the tide again."
    page = (
        "<html><head><title>Clocks</title></head><body><article><h1>Clocks tick again</h1>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[:3])}"
        f"<figure class='quote'><blockquote><p>{quote}</p></blockquote>"
        "<figcaption>Ida Farrant, watchmaker</figcaption></figure>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[3:5])}"
        "<figure class='wp-block-table'><table><tr><th>Dial</th><th>Hands</th></tr>"
        "<tr><td>North face</td><td>brass, recast</td></tr></table>"
        "<figcaption>The dials before and after.</figcaption></figure>"
        "<figure><img src=tower.jpg><span>The tower at dawn.</span></figure>"
        "<figure class='wp-block-embed-twitter'><blockquote class='twitter-tweet'>"
        "<p>The clocks are back! Down at the quay tonight to hear them strike.</p>"
        "</blockquote></figure>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[5:])}</article></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert quote in text and "brass, recast" in text
    for unsaid in ("Ida Farrant, watchmaker", "before and after", "tower at dawn", "quay tonight"):
        assert unsaid not in text


def test_a_recipe_card_named_like_the_post_is_not_announced_again() -> None:
    page = (
        "<html><head><title>Easy oat flapjacks (one bowl)</title></head><body><article>"
        f"<h1>Easy oat flapjacks (one bowl)</h1>{''.join(f'<p>{p}</p>' for p in BODY[:4])}"
        "<div class=recipe><h2>Easy oat flapjacks</h2><h3>Ingredients</h3><ul><li>Rolled oats</li>"
        "<li>Butter</li><li>Golden syrup</li></ul></div>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[4:])}</article></body></html>"
    )
    markdown = extract_page(page).markdown
    assert "## Ingredients" in markdown and "## Easy oat" not in markdown


# --- paragraphs of the body that the extractor dropped ---------------------------------


def _body_page(middle: str, before: str = "") -> str:
    return (
        "<html><head><title>Clocks</title></head><body><h1>Clocks tick again</h1>"
        f"{before}<div class='story'>{''.join(f'<p>{p}</p>' for p in BODY[:4])}{middle}"
        f"{''.join(f'<p>{p}</p>' for p in BODY[4:])}</div></body></html>"
    )


@pytest.mark.parametrize(
    ("middle", "passage"),
    [
        # Too short for readability when it has a box of its own.
        ("<div class='para'><p>She declined to comment.</p></div>", "She declined to comment."),
        # A link on nearly every phrase: readability's link density, not a list of links.
        (
            "<div class='text'><p>The <a href=/r>survey</a>, the <a href=/m>minutes of the "
            "meeting</a> and the <a href=/p>plans for the new shaft</a> are online.</p></div>",
            "the minutes of the meeting and the plans for the new shaft are online.",
        ),
    ],
)
def test_a_paragraph_the_extractor_dropped_from_the_body_is_put_back(
    middle: str, passage: str
) -> None:
    text = plain(extract_page(_body_page(middle)).markdown)
    assert passage in text
    assert text.index(BODY[3]) < text.index(passage) < text.index(BODY[4])


@pytest.mark.parametrize(
    ("middle", "unsaid"),
    [
        # A caption with its picture and nothing else in the box (which readability
        # drops for its name, as it does the boxes below).
        ("<div class='media'><img src=a.jpg><p>The tower in 1884.</p></div>", "tower in 1884"),
        # Another site's post set in the page.
        (
            "<blockquote class='twitter-tweet'><p>The clocks are back. Lovely.</p>&mdash; Ida "
            "(@ida) <a href='https://x.example/1'>March 9, 2024</a></blockquote>",
            "clocks are back",
        ),
        # A teaser: a headline link and its summary.
        (
            "<div class='tools-card'><a href=/x><h3>Lifeboat crew rescues kayaker</h3></a>"
            "<p>The crew were called out at dawn.</p></div>",
            "called out at dawn",
        ),
        # A form's label.
        (
            "<div class='tool'><p>Tell us your memories of the clocks.</p><form><input>"
            "<button>Send</button></form></div>",
            "Tell us your memories",
        ),
    ],
)
def test_a_caption_a_post_a_teaser_or_a_label_is_not_put_back(middle: str, unsaid: str) -> None:
    text = plain(extract_page(_body_page(middle)).markdown)
    assert BODY[4] in text and unsaid not in text


def test_a_lead_picture_caption_is_not_taken_for_a_lede() -> None:
    before = "<div class='lead-media'><img src=a.jpg><p>The tower at dawn on the day of the repair.</p></div>"
    text = plain(extract_page(_body_page("", before=before)).markdown)
    assert BODY[0] in text and "tower at dawn" not in text


def test_the_end_of_the_story_after_the_extractor_stopped_is_put_back() -> None:
    # The second half of the story sits in another column of the article's grid,
    # and its last line in a box of its own; the author's box and the tags follow.
    page = (
        "<html><head><title>Clocks</title></head><body><article><h1>Clocks tick again</h1>"
        "<div class=grid><div class=col><div class=story-body>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[:5])}</div></div></div>"
        "<div class=ad-slot>Advertisement</div>"
        f"<div class=grid><div class=col><div class=more>{''.join(f'<p>{p}</p>' for p in BODY[5:])}"
        "<div class=para><p>She starts in May.</p></div></div></div></div>"
        "<div class=author><img src=mara.jpg><p>Mara Quill writes about the coast.</p></div>"
        "<ul class=topic-list><li><a href=/t/clocks>Clocks</a></li><li><a href=/t/sea>Sea</a></li></ul>"
        "<p>Mara Quill also wrote this piece on the lifeboat station, last year.</p>"
        "</article></body></html>"
    )
    # A page that runs on into the next story, in the same box.
    next_story = (
        "<h1>Lifeboat station gets a new slipway</h1><p>The slipway at the lifeboat station "
        "was rebuilt over the winter, and the crew launched from it for the first time.</p>"
    )
    runs_on = page.replace("<div class=author>", next_story + "<div class=author>")
    text = plain(extract_page(page).markdown)
    positions = [text.find(p) for p in [*BODY, "She starts in May."]]
    assert -1 not in positions and positions == sorted(positions), text
    assert "writes about the coast" not in text and "also wrote" not in text
    text = plain(extract_page(runs_on).markdown)
    assert "She starts in May." in text and "slipway" not in text


def test_footnote_marks_are_not_read_into_the_sentence() -> None:
    page = (
        "<html><head><title>Clocks</title></head><body><article><h1>Clocks tick again</h1>"
        f"<p>{BODY[0]}<sup><a href='#fn1' id='r1'>1</a></sup> More to come.</p>"
        f"<p>{BODY[1]}<a role='doc-noteref' href='notes.html#n2'>[2]</a></p>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[2:])}"
        "<p>It struck on the 1<sup>st</sup> of May, see <a href='/p/3'>page 3</a>.</p>"
        "</article></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert f"{BODY[0]} More to come." in text
    assert f"{BODY[1]}\n" in text
    assert "on the 1st of May, see page 3." in text


def test_a_football_report_is_not_taken_for_a_footer(monkeypatch: pytest.MonkeyPatch) -> None:
    # Readability alone must find it: the other extractor is not there to stand in.
    monkeypatch.setattr(extract, "_trafilatura_blocks", lambda tree: [])
    page = (
        "<html><head><title>Clocks</title></head><body><main><h1>Clocks tick again</h1>"
        f"<div class='football-report'>{''.join(f'<p>{p}</p>' for p in BODY)}</div>"
        "<div class='footer'><p>Copyright Harbour Gazette, every year since the clocks stopped.</p>"
        "</div></main></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert all(p in text for p in BODY) and "Copyright" not in text


def test_the_lede_is_found_under_a_headline_that_differs_from_the_page_title() -> None:
    lede = "The only ferry to the islands will run twice a week instead of daily from Monday."
    page = (
        "<html><head><title>Islanders lose daily crossing in fuel row | Gazette</title>"
        "<meta property='og:title' content='Islanders lose daily crossing in fuel row'></head>"
        "<body><h1>Gazette</h1><nav><a href=/>Home</a></nav><div class=story>"
        f"<h1>Ferry timetable cut</h1><div class=intro><p>{lede}</p></div>"
        f"<div class=story-body>{''.join(f'<p>{p}</p>' for p in BODY)}"
        "<div class=para><p>She starts in May.</p></div></div></div></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert text.index(lede) < text.index(BODY[0]) < text.index("She starts in May.")


def test_a_table_of_data_with_linked_cells_is_spoken_whole_but_a_menu_is_not() -> None:
    rows = "".join(
        f"<tr><td><a href='/clock/{n}'>{name} dial</a></td><td>{year}</td>"
        f"<td><a href='/maker/{n}'>{maker}</a></td></tr>"
        for n, (name, year, maker) in enumerate(
            [
                ("North", 1884, "Hale and Sons"),
                ("Harbour", 1890, "Hale and Sons"),
                ("Quay", 1902, "Pellow"),
            ]
        )
    )
    menu = "<table><tr><td><a href=/>Home</a></td><td><a href=/n>News</a></td></tr><tr><td><a href=/s>Sport</a></td><td><a href=/w>Weather</a></td></tr></table>"
    page = (
        "<html><head><title>Clocks</title></head><body><article><h1>Clocks tick again</h1>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[:4])}"
        f"<table><tr><th>Dial</th><th>Built</th><th>Maker</th></tr>{rows}</table>{menu}"
        f"{''.join(f'<p>{p}</p>' for p in BODY[4:])}</article></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert "Harbour dial\n1890\nHale and Sons\nQuay dial" in text, text
    assert "Weather" not in text


def test_a_long_cookie_notice_stays_out_however_much_it_says() -> None:
    terms = "".join(
        f"<p>We and our partners store and access information on your device, {p}, "
        "and we process personal data such as your address and browsing history for it.</p>"
        for p in (
            "such as cookies and unique identifiers, to measure how our pages are used",
            "to show you advertising that is relevant to you and to measure it",
            "to develop and improve our products and to understand our audiences",
            "and you can change your choices at any time from the privacy link below",
        )
    )
    page = (
        "<html><head><title>Clocks</title></head><body>"
        f"<div class='cookie-consent'>{terms}</div><article><h1>Clocks tick again</h1>"
        f"{''.join(f'<p>{p}</p>' for p in BODY)}</article></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert BODY[0] in text and "partners store" not in text


def test_a_list_of_shop_links_under_you_will_need_is_spoken() -> None:
    items = "".join(
        f"<li><a href='https://shop.example/{n}'>{t}</a></li>"
        for n, t in enumerate(["A tin of clock oil", "Brass polish", "A soft cloth"])
    )
    page = (
        "<html><head><title>Clocks</title></head><body><article><h1>Clocks tick again</h1>"
        f"{''.join(f'<p>{p}</p>' for p in BODY[:4])}<p>To keep a clock like it, you will need:</p>"
        f"<ul>{items}</ul>{''.join(f'<p>{p}</p>' for p in BODY[4:])}</article></body></html>"
    )
    markdown = extract_page(page).markdown
    assert "- A tin of clock oil\n\n- Brass polish\n\n- A soft cloth\n" in markdown


# A story in Chinese, written without spaces between words (written for this test).
ZH_BODY = [
    "四十年来，温德尔港的潮汐钟一直告诉渔民港口何时会退潮，而在最后六年里，它们什么也没告诉任何人。",
    "今年春天，一位退休的钟表匠带着一袋工具和一壶茶爬上了钟楼，用她的话说，她的固执多于理智。",
    "这些钟建于一八八四年，出自布里斯托尔一家早已关闭的公司之手，没有留下任何图纸。",
    "她拆下的每一个零件都拍了照，贴上标签，摆在下面救生艇站的地板上。",
    "港务局为一根新的传动轴付了钱，这根轴由船厂的一名学徒车制而成。",
    "下个月，港务局将投票决定是否在夜间点亮钟面，这将使人们第一次能在天黑后从水面上看清时间。",
]


def test_a_page_in_chinese_keeps_its_lede_and_its_short_paragraphs() -> None:
    lede = "沉寂六年之后，温德尔港的潮汐钟在周日重新走动，码头上响起一片欢呼。"
    page = (
        "<html lang='zh-CN'><head><title>潮汐钟再次走动</title></head><body>"
        "<nav><a href=/>首页</a></nav><div class='story paywall'><h1>潮汐钟再次走动</h1>"
        f"<div class=intro><p>{lede}</p></div><div class=story-body>"
        f"{''.join(f'<p>{p}</p>' for p in ZH_BODY[:3])}<div class=para><p>她拒绝置评。</p></div>"
        f"{''.join(f'<p>{p}</p>' for p in ZH_BODY[3:])}</div></div></body></html>"
    )
    text = plain(extract_page(page).markdown)
    assert (
        text.index(lede)
        < text.index(ZH_BODY[0])
        < text.index("她拒绝置评。")
        < text.index(ZH_BODY[3])
    )
