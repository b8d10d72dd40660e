"""Tests for audiogen.text.clean and the patterns in audiogen.text.boilerplate.

Every fixture here is written for these tests: scraped-article shapes (leftover
HTML, escapes, link lists, credits, promo tails, bylines, datelines), not text
copied from anywhere.
"""

from __future__ import annotations

import doctest
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.errors import AudiogenError
from audiogen.text import boilerplate, clean
from audiogen.text.clean import (
    Block,
    clean_blocks,
    collapse_whitespace,
    drop_backslash_escapes,
    drop_bylines,
    drop_link_paragraphs,
    drop_link_syntax,
    drop_metadata_lines,
    drop_photo_credits,
    drop_promo_blocks,
    drop_related_lists,
    drop_repeated_paragraphs,
    extract_byline,
    html_fragment_paragraphs,
    parse_markdown,
    parse_plain_text,
    speak_datelines,
    strip_html_tags,
)
from audiogen.text.normalize import normalize_sentence


@pytest.mark.parametrize("module", [clean, boilerplate])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


# --- text cleaners ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean_text"),
    [
        ("officials <u>met with</u> them", "officials met with them"),
        ('<a href="x">link</a> text', "link text"),
        ("3 < 4 and 5 > 2", "3 < 4 and 5 > 2"),
        ("line<br>break", "line break"),
    ],
)
def test_strip_html_tags(raw: str, clean_text: str) -> None:
    assert strip_html_tags(raw) == clean_text


@pytest.mark.parametrize(
    ("raw", "clean_text"),
    [(r"\$200", "$200"), (r"\*not bold\*", "*not bold*"), (r"C:\path", r"C:\path")],
)
def test_drop_backslash_escapes(raw: str, clean_text: str) -> None:
    assert drop_backslash_escapes(raw) == clean_text


@pytest.mark.parametrize(
    ("raw", "clean_text"),
    [
        ("as [the report][3] found", "as the report found"),
        ("as [the report][] found", "as the report found"),
        ("the bridge reopened.[12] Trains ran.", "the bridge reopened. Trains ran."),
        ('"It works,"[4] she said.', '"It works," she said.'),
        ("a claim[citation needed] stood", "a claim stood"),
        ("He [sic] left.", "He [sic] left."),
        ("the [Senate] vote", "the [Senate] vote"),
        ("see [1] for more", "see [1] for more"),
    ],
)
def test_drop_link_syntax(raw: str, clean_text: str) -> None:
    assert drop_link_syntax(raw) == clean_text


def test_collapse_whitespace() -> None:
    assert collapse_whitespace(" a \u00a0 b\n\nc ") == "a b c"


# --- photo credits and promo ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("AP Images Andrés Manuel López Obrador", True),
        ("Getty Images", True),
        ("Photo: Jane Doe for The Paper", True),
        ("Image credit - NASA/JPL", True),
        ("Crowds gather in Lima on Sunday. (Jane Doe/Getty Images)", True),
        ("Reuters/Jane Doe", True),
        ("(Photo by Sam Roe/AFP via Getty Images)", True),
        ("AP reported that the talks collapsed after a long night of arguing.", False),
        ("Photographers waited outside the court for hours, hoping to see him.", False),
        ("The agency said it would reopen the bridge on Monday.", False),
        ("photo: the harbour at dawn is lovely.", False),
        ("EPA/Jane Doe", True),
        ("Pool/Getty Images", True),
        ("EPA rules on river water", False),
        ("Pool and gym open until ten", False),
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
        ("SUBSCRIBE TODAY", True),
        ("Sign up for our newsletter to get the latest.", True),
        ("Read more: The history of the bridge", True),
        ("READ MORE » Ferry timetable changes", True),
        ("Related: Ferry timetable changes", True),
        ("See also: The lighthouse keepers", True),
        ("Advertisement", True),
        ("Already a subscriber? Log in", True),
        ("Subscribers rose by 4 percent last year, the paper said.", False),
        ("Many readers subscribe to two newspapers, a survey found.", False),
        ("subscribe now, the old sign on the wall said, and nobody did.", False),
        ("read more: that is what the teacher told us every day.", False),
        ("Read moreCouncil rejects ferry subsidy plan", True),
        ("À lire aussi : Travaux du tram, la circulation coupée", True),
        ("À lire aussiTravaux du tram : la circulation coupée", True),
        ("Lesen Sie auch: Die Fähre fährt wieder", True),
        ("Partager :FacebookXE-mail", True),
        ("Publicité", True),
        ("Lire aussi les conclusions du rapport, publiées jeudi.", False),
        ("Partager la route avec les cyclistes reste difficile.", False),
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


@pytest.mark.parametrize(
    ("heading", "promo"),
    [
        ("Get our free daily newsletter", True),
        ("The Morning Briefing newsletter", True),
        ("Newsletter sign-up", True),
        ("Get the Gazette in your inbox", True),
        ("More from Sport", True),
        ("More stories", True),
        ("Share this article", True),
        ("Donate now", True),
        # Subheadings that mention what a promotional block offers head article text.
        ("The newsletter boom", False),
        ("How to start a newsletter", False),
        ("More from the minister", False),
        ("Share the road", False),
        ("Donate blood: what you need to know", False),
    ],
)
def test_a_promo_heading_is_a_call_or_a_label_not_a_mention(heading: str, promo: bool) -> None:
    blocks = (
        Block("The ferry will run twice a week from Monday."),
        Block(heading, 2),
        Block("Writers and drivers alike were told on Monday, at a meeting in the hall."),
    )
    assert (drop_promo_blocks(blocks) == blocks[:1]) is promo


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("Sign up for our newsletter to get the latest.", True),
        ("Sign up to receive email updates from the council.", True),
        ("Sign up now.", True),
        ("Sign up for a library card at the front desk, then borrow the kit.", False),
    ],
)
def test_a_sign_up_paragraph_is_a_call_to_action_only_when_it_offers_mail(
    text: str, dropped: bool
) -> None:
    assert (drop_promo_blocks((Block(text),)) == ()) is dropped


# --- links, "Related" lists, metadata lines --------------------------------------------


@pytest.mark.parametrize(
    ("intro", "spoken"),
    [
        ("For the nest box you will need:", True),
        ("Read more:", False),
        ("Share this article:", False),
        ("Follow us on social media:", False),
        ("The council's new rules.", False),
    ],
)
def test_a_list_of_links_introduced_as_content_is_spoken(intro: str, spoken: bool) -> None:
    items = tuple(
        Block(t, list_item=True, links_only=True) for t in ("Cedar boards", "Brass screws")
    )
    blocks = (Block("The box took an afternoon."), Block(intro), *items)
    assert (
        drop_link_paragraphs(blocks)[-2:] == tuple(replace(b, links_only=False) for b in items)
    ) is spoken


def test_link_only_paragraphs_and_items_are_dropped_but_link_headings_stay() -> None:
    blocks = (
        Block("Clocks tick again", 1, links_only=True),
        Block("The clocks ran again on Sunday."),
        Block("Read the full interview", links_only=True),
        Block("Ferry timetable changes", list_item=True, links_only=True),
        Block("The board will vote next month."),
    )
    assert drop_link_paragraphs(blocks) == (blocks[0], blocks[1], blocks[4])


@pytest.mark.parametrize(
    ("blocks", "kept"),
    [
        # A label and the list of headlines under it.
        (
            (
                Block("The clocks ran again."),
                Block("Related:"),
                Block("Ferry timetable changes", list_item=True),
                Block("Lifeboat crew rescues kayaker", list_item=True),
                Block("The board votes next month."),
            ),
            (Block("The clocks ran again."), Block("The board votes next month.")),
        ),
        # A scrape that lost the list markup: short headline paragraphs go too.
        (
            (
                Block("The clocks ran again."),
                Block("READ MORE"),
                Block("Ferry timetable changes"),
                Block("Lifeboat crew rescues stranded kayaker"),
            ),
            (Block("The clocks ran again."),),
        ),
        # As a heading.
        (
            (
                Block("The clocks ran again."),
                Block("More from Sport", 2),
                Block("Rowing club wins the cup", list_item=True),
            ),
            (Block("The clocks ran again."),),
        ),
        # A sentence that is no list item ends the list.
        (
            (
                Block("You may also like"),
                Block("Why the clocks stopped?", list_item=True),
                Block("The board votes next month."),
            ),
            (Block("The board votes next month."),),
        ),
        # A list with no label is article text.
        (
            (
                Block("She needed three things:"),
                Block("a new drive shaft", list_item=True),
                Block("Clock oil", list_item=True),
            ),
            (
                Block("She needed three things:"),
                Block("a new drive shaft", list_item=True),
                Block("Clock oil", list_item=True),
            ),
        ),
        # Prose that starts with the word is no label.
        (
            (Block("Related to this, the mayor resigned."),),
            (Block("Related to this, the mayor resigned."),),
        ),
    ],
)
def test_drop_related_lists(blocks: tuple[Block, ...], kept: tuple[Block, ...]) -> None:
    assert drop_related_lists(blocks) == kept


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("Updated 3:04 PM ET, Thu March 9, 2017", True),
        ("Published: 5 January 2024", True),
        ("Last updated on 12 May 2023 at 10:30 a.m. EST", True),
        ("CNNMoney (New York) First published February 1, 2016: 1:28 AM ET", True),
        ("Posted today", True),
        ("5 min read", True),
        ("Reading time: 4 minutes", True),
        ("6 mins", True),
        ("15 minutes", False),
        ("(Reporting by Jane Doe in London; Editing by John Roe)", True),
        ("Additional reporting by Sam Lee", True),
        ("Updated figures show unemployment fell to 4% in March.", False),
        ("The paper first published 3 stories on it.", False),
        ("Officials updated 5 rules in March.", False),
        ("Jane Doe contributed to this report.", False),
        ("Reporting by the paper revealed the scheme in 2019.", False),
        ("Publié le 13 mars 2025 à 18h45", True),
        ("Mis à jour le 14 mars 2025 à 07h10", True),
        ("Veröffentlicht am 3. Mai 2025, 9:15 Uhr", True),
        ("Actualizado el 5 de junio de 2025", True),
        ("Publié en 2019, le rapport reste la référence.", False),
        ("Please sign my guestbook! Last updated 12/03/2004. © G. H. Pell.", True),
        ("Copyright 2025 Harbour Media Ltd. All rights reserved.", True),
        ("Copyright law changed in 2019, and the museum had to ask again.", False),
    ],
)
def test_drop_metadata_lines(text: str, dropped: bool) -> None:
    assert (drop_metadata_lines((Block(text),)) == ()) is dropped


# --- bylines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By Jane Doe.", "Jane Doe"),
        ("BY JANE DOE", "Jane Doe"),
        ("Written by Jane Doe", "Jane Doe"),
        ("By Jane Doe, John Roe and Ann Lee", "Jane Doe, John Roe, Ann Lee"),
        ("By J.R. Hartley & Ludwig van Beethoven", "J.R. Hartley, Ludwig van Beethoven"),
        ("By Ana de la Cruz | Updated Jan. 5, 2024", "Ana de la Cruz"),
        ("By Jane Doe Published 5:00 AM EST, Jan 5, 2024", "Jane Doe"),
        ("By Jane Doe in London", "Jane Doe"),
        ("By Jane Doe for The Harbour Gazette", "Jane Doe"),
        ("By Jane Doe | 5 min read", "Jane Doe"),
        ("By Reuters", "Reuters"),
        ("By CNN Staff", "CNN Staff"),
        ("Jane Doe | Reuters", "Jane Doe"),
        ("Jane Doe | Reuters | Jan 5, 2024", "Jane Doe"),
        ("JANE DOE and JOHN ROE, Associated Press", "Jane Doe, John Roe"),
        ("Jane Doe, Staff Writer", "Jane Doe"),
        ("Mara Quill, BBC News", "Mara Quill"),
        ("By the end of the year prices rose", None),
        ("By Monday, the talks had collapsed.", None),
        ("Jane Doe said the talks had collapsed.", None),
        ("Jane Doe, the mayor", None),
        ("Jane Doe", None),
        ("By Ann Lee and others", None),
        ("Photo by Jane Doe", None),
        ("by jane doe", None),
        ("Par Claire Le Gall", "Claire Le Gall"),
        ("Von Jana Weber", "Jana Weber"),
        ("Por Ana López", "Ana López"),
        ("Par ailleurs, la ville a voté.", None),
    ],
)
def test_parse_byline(text: str, author: str | None) -> None:
    assert boilerplate.parse_byline(text) == author


def test_extract_byline_takes_the_first_leading_byline_as_author() -> None:
    blocks = (
        Block("Clocks tick again", 1),
        Block("A watchmaker has brought the tide clocks back to life."),
        Block("By Mara Quill | Harbour Gazette"),
        Block("The clocks ran again on Sunday."),
    )
    author, rest = extract_byline(blocks)
    assert author == "Mara Quill"
    assert rest == (blocks[0], blocks[1], blocks[3])


def test_extract_byline_reads_a_heading_byline() -> None:
    author, rest = extract_byline((Block("By Jane Doe", 3), Block("Text.")))
    assert (author, rest) == ("Jane Doe", (Block("Text."),))


def test_a_name_line_deep_in_the_story_is_not_a_byline() -> None:
    body = tuple(Block(f"Paragraph {i} of the story.") for i in range(10))
    blocks = (*body, Block("By Jane Doe"))
    assert extract_byline(blocks) == (None, blocks)
    assert drop_bylines(blocks) == blocks


def test_no_byline_leaves_blocks_alone() -> None:
    blocks = (Block("T", 1), Block("By noon the ferry had left."))
    assert extract_byline(blocks) == (None, blocks)


# --- datelines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("WASHINGTON (AP) — The Senate voted.", "Washington — The Senate voted."),
        ("WASHINGTON (AP) -- The Senate voted.", "Washington — The Senate voted."),
        ("LONDON, Jan 5 (Reuters) - Shares fell.", "London — Shares fell."),
        ("BEIJING, March 3, 2024 (Xinhua) -- Trade grew.", "Beijing — Trade grew."),
        ("SAN FRANCISCO, Calif. (AP) — Fog.", "San Francisco, Calif. — Fog."),
        ("CAIRO — Gunmen opened fire.", "Cairo — Gunmen opened fire."),
        ("ST. LOUIS — Rain fell.", "St. Louis — Rain fell."),
        ("Paris (AFP) - Talks began.", "Paris — Talks began."),
        ("NEW YORK (CNN Business) — Stocks rose.", "New York — Stocks rose."),
        ("(CNN)Hundreds gathered.", "Hundreds gathered."),
        ("(AP) — Hundreds gathered.", "Hundreds gathered."),
        ("FBI agents — who declined to comment — left.", "FBI agents — who declined to comment — left."),
        ("FBI — the bureau — said no.", "FBI — the bureau — said no."),
        ("The US — and its allies — agreed.", "The US — and its allies — agreed."),
        ("Washington — the city — was quiet.", "Washington — the city — was quiet."),
        ("In 2019 (the year of the flood) — prices rose.", "In 2019 (the year of the flood) — prices rose."),
    ],
)  # fmt: skip
def test_strip_dateline(text: str, spoken: str) -> None:
    assert boilerplate.strip_dateline(text) == spoken


def test_datelines_are_spoken_only_at_the_top() -> None:
    body = tuple(Block(f"Paragraph {i} of the story.") for i in range(8))
    blocks = (
        Block("Title", 1),
        Block("CAIRO (AP) — Gunmen opened fire."),
        *body,
        Block("LONDON (AP) — A later paragraph."),
    )
    out = speak_datelines(blocks)
    assert out[1] == Block("Cairo — Gunmen opened fire.")
    assert out[-1] == blocks[-1]
    assert out[0] == blocks[0]


def test_a_dateline_alone_in_a_paragraph_is_dropped() -> None:
    assert speak_datelines((Block("(AP) —"), Block("Text."))) == (Block("Text."),)


# --- repeated paragraphs --------------------------------------------------------------

LEAD = (
    "I fully expect the software to change a lot before the device ships next year, "
    "which makes it easiest to judge the headset on what won't change."
)


@pytest.mark.parametrize(
    ("blocks", "kept"),
    [
        # A pull quote (no full stop) beside the sentence it repeats.
        ((Block(LEAD), Block("It's easiest to judge the headset on what won't change")), (Block(LEAD),)),
        # ... also when it comes first.
        ((Block("It's easiest to judge the headset on what won't change"), Block(LEAD)), (Block(LEAD),)),
        # A paragraph scraped twice.
        (
            (Block("The clocks ran again on Sunday morning."), Block("The clocks ran again on Sunday morning.")),
            (Block("The clocks ran again on Sunday morning."),),
        ),
        # A quote the writer repeats as a sentence of its own is prose.
        (
            (
                Block("Her mother said she was “literally burning up from within” before her death."),
                Block("“She was literally burning up from within.”"),
            ),
            (
                Block("Her mother said she was “literally burning up from within” before her death."),
                Block("“She was literally burning up from within.”"),
            ),
        ),
        # Short answers repeat by chance.
        ((Block("Yes."), Block("He paused."), Block("Yes.")), (Block("Yes."), Block("He paused."), Block("Yes."))),
        # Headings are never dropped.
        ((Block(LEAD), Block("What won't change", 2)), (Block(LEAD), Block("What won't change", 2))),
    ],
)  # fmt: skip
def test_drop_repeated_paragraphs(blocks: tuple[Block, ...], kept: tuple[Block, ...]) -> None:
    assert drop_repeated_paragraphs(blocks) == kept


# --- parsing --------------------------------------------------------------------------


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
        Block("list item one", list_item=True),
        Block("list item two", list_item=True),
        Block("quoted text"),
    )


def test_table_rows_become_paragraphs_without_pipes() -> None:
    source = "Intro.\n\n| Year | Event |\n|---|---|\n| 1884 | Built ~~twice~~ |\n\nAfter.\n"
    assert parse_markdown(source) == (
        Block("Intro."),
        Block("Year, Event"),
        Block("1884, Built twice"),
        Block("After."),
    )


@pytest.mark.parametrize(
    ("source", "links_only"),
    [
        ("[Read the full transcript](https://x.example/t)", True),
        ("[**Ferry** timetable](https://x.example/f) »", True),
        ('<a href="https://x.example">Ferry timetable</a>', True),
        ("See [the timetable](https://x.example/f) for times.", False),
        ("Plain words.", False),
    ],
)
def test_parse_markdown_marks_link_only_paragraphs(source: str, links_only: bool) -> None:
    (block,) = parse_markdown(source)
    assert block.links_only is links_only


def test_html_block_link_lists_are_marked() -> None:
    blocks = parse_markdown(
        '<ul>\n<li><a href="/a">Ferry news</a></li>\n<li>Plain item.</li>\n</ul>\n'
    )
    assert [(b.text, b.links_only) for b in blocks] == [
        ("Ferry news", True),
        ("Plain item.", False),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "![tower](tower.jpg) The tide clock tower at dawn. Photo: Ben Osei\n\nThe clocks ran.\n",
        "![tower](tower.jpg)\nThe tide clock tower at dawn.\n\nThe clocks ran.\n",
        "![tower](tower.jpg)\n\n*The tide clock tower at dawn.*\n\nThe clocks ran.\n",
        "![tower](tower.jpg)\n\n_The tide clock tower at dawn (Ben Osei)_\n\nThe clocks ran.\n",
    ],
)
def test_image_captions_are_not_spoken(source: str) -> None:
    assert parse_markdown(source) == (Block("The clocks ran."),)


def test_emphasis_is_a_caption_only_right_after_an_image() -> None:
    source = "The clocks ran.\n\n*It was more stubbornness than sense.*\n"
    assert [b.text for b in parse_markdown(source)] == [
        "The clocks ran.",
        "It was more stubbornness than sense.",
    ]


def test_html_blocks_in_markdown_become_paragraphs() -> None:
    assert html_fragment_paragraphs(
        "<div><p>One.</p><p>Two <b>bold</b>.</p><script>x()</script></div>"
    ) == [
        "One.",
        "Two bold.",
    ]


@pytest.mark.parametrize(
    ("fragment", "paragraphs"),
    [
        ("<p>One<br>line.</p>", ["One line."]),
        ("<div>One.<br><br>Two.</div>", ["One.", "Two."]),
        ("<div>One.<br/>\n  <br />Two.</div>", ["One.", "Two."]),
        ("<p>A <a href='x'>link</a> in prose.</p>", ["A link in prose."]),
    ],
)
def test_line_breaks_in_html_fragments(fragment: str, paragraphs: list[str]) -> None:
    assert html_fragment_paragraphs(fragment) == paragraphs


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


# A scrape of the kind users paste: written for this test, with every kind of debris.
SCRAPE = """\
[Home](https://gazette.example/) | [News](https://gazette.example/news)

## Tide Clocks of Port Wendle Tick Again

By MARA QUILL | Harbour Gazette

Updated 7:30 AM GMT, March 9, 2024

PORT WENDLE, England (AP) — For forty years the tide clocks told fishermen when \
the harbour would empty, and for the last six of them they told nobody anything at all.

![The clock tower](https://gazette.example/tower.jpg)

*The tide clock tower at dawn. (Ben Osei/Getty Images)*

This spring a retired watchmaker, Ida Farrant, climbed the tower with a bag of \
tools, a flask of tea and, as she put it, <u>more stubbornness than sense</u>.

Photo: Ben Osei

The repair cost \\$12,000, paid by the harbour board&nbsp;and a \\*very\\* generous \
donor, as [the board's minutes][4] show.[2]

More stubbornness than sense

"It was more stubbornness than sense, but the clocks deserved it," Farrant said.

## Read more

- [Ferry timetable changes](https://gazette.example/ferry)
- [Lifeboat crew rescues kayaker](https://gazette.example/lifeboat)

## Sign up for the Gazette newsletter

Get the harbour's news in your inbox every morning.

Subscribe now for unlimited access.
"""


def test_a_messy_scrape_speaks_its_article_and_names_its_author() -> None:
    author, blocks = extract_byline(parse_plain_text(SCRAPE))
    blocks = clean_blocks(blocks)
    assert author == "Mara Quill"
    assert blocks == (
        Block("Tide Clocks of Port Wendle Tick Again", 2),
        Block(
            "Port Wendle, England — For forty years the tide clocks told fishermen when the "
            "harbour would empty, and for the last six of them they told nobody anything at all."
        ),
        Block(
            "This spring a retired watchmaker, Ida Farrant, climbed the tower with a bag of "
            "tools, a flask of tea and, as she put it, more stubbornness than sense."
        ),
        Block(
            "The repair cost $12,000, paid by the harbour board and a *very* generous donor, "
            "as the board's minutes show."
        ),
        Block('"It was more stubbornness than sense, but the clocks deserved it," Farrant said.'),
    )


# --- properties: nothing crashes, plain prose survives -------------------------------

# Plain lower-case words, some of them chosen because a rule could mistake them
# for something else (a month, a title, a number word, a label).
PLAIN_WORDS = """
    the cat sat on mat a dog ran to park and it was may march us no am is in by read more
    related photo subscribe sign up image credit share new old harbour clock tower tide she
    he we they said went home after dark light over
""".split()  # noqa: SIM905 (a word table reads better as words)
plain_sentences = st.lists(st.sampled_from(PLAIN_WORDS), min_size=3, max_size=12).map(
    lambda words: " ".join(words) + "."
)
# Any Unicode text but lone surrogates, which no decoded file can hold.
junk_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
junk_blocks = st.lists(
    st.builds(
        Block,
        junk_text,
        st.integers(min_value=0, max_value=6),
        st.booleans(),
        st.booleans(),
    ),
    max_size=8,
)
BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BOUNDED
@given(source=junk_text)
def test_parsing_and_cleaning_random_text_never_crash(source: str) -> None:
    try:
        for parse in (parse_markdown, parse_plain_text):
            blocks = parse(source)
            extract_byline(blocks)
            clean_blocks(blocks)
    except AudiogenError:
        pass


@BOUNDED
@given(
    html=st.lists(
        st.one_of(
            junk_text,
            st.sampled_from(
                ["<p>", "</p>", "<div>", "</div>", "<a href='x'>", "</a>", "<ul><li>", "<br>",
                 "<script>", "</script>", "<!--", "-->", "<figcaption>", "&amp;", "&#0;", "<"]
            ),
        ),
        max_size=20,
    ).map("".join)
)  # fmt: skip
def test_html_in_markdown_never_crashes(html: str) -> None:
    blocks = clean_blocks(parse_markdown(html))
    assert all(isinstance(b.text, str) and b.text == b.text.strip() for b in blocks)


@BOUNDED
@given(before=junk_blocks, sentence=plain_sentences, after=junk_blocks)
def test_a_plain_sentence_among_junk_blocks_is_never_dropped(
    before: list[Block], sentence: str, after: list[Block]
) -> None:
    blocks = clean_blocks((*before, Block(sentence), *after))
    assert Block(sentence) in blocks


@BOUNDED
@given(
    before=st.lists(junk_text, max_size=5),
    sentence=plain_sentences,
    after=st.lists(junk_text, max_size=5),
)
def test_a_plain_sentence_among_junk_paragraphs_survives_parsing_and_cleaning(
    before: list[str], sentence: str, after: list[str]
) -> None:
    # Each piece is its own paragraph; a stray fence or HTML opener in the junk
    # could swallow what follows, so those are closed off first.
    pieces = [*before, sentence, *after]
    source = "\n\n".join(p.replace("`", "'").replace("<", " ").replace("~", "-") for p in pieces)
    blocks = clean_blocks(parse_markdown(source))
    assert any(b.text == sentence for b in blocks)


@BOUNDED
@given(sentence=plain_sentences)
def test_normalization_leaves_a_plain_sentence_alone(sentence: str) -> None:
    assert normalize_sentence(sentence, "en") == sentence


@BOUNDED
@given(text=junk_text, language=st.sampled_from(["en", "en-GB", "fr", "de", "es", "xx"]))
def test_normalization_of_random_text_never_crashes(text: str, language: str) -> None:
    try:
        out = normalize_sentence(text, language)
    except AudiogenError:
        return
    assert isinstance(out, str)


@pytest.mark.parametrize(
    "blocks",
    [
        # Opening times and telephone numbers under each of several headings.
        (
            Block("Central", 2),
            Block("Saturday: 9am to 5pm"),
            Block("Book online or at the desk"),
            Block("Harbour Road", 2),
            Block("Saturday: 9am to 5pm"),
            Block("Book online or at the desk"),
        ),
        # A line of facts that a longer paragraph repeats.
        (
            Block("Tuesday and Thursday: 1pm to 6pm"),
            Block("The reading room stays open on Tuesday and Thursday: 1pm to 6pm, with help."),
        ),
        # Two lines that start alike.
        (
            Block("To join, call the home delivery team"),
            Block("To join, call the home delivery team on 01632 960400 or ask at a branch."),
        ),
        # Items of a list are never repeats.
        (
            Block("Each year she cut back a third of the dead wood", list_item=True),
            Block("Each year she cut back a third of the dead wood from every tree, slowly."),
        ),
    ],
)
def test_short_lines_that_look_alike_are_all_spoken(blocks: tuple[Block, ...]) -> None:
    assert drop_repeated_paragraphs(blocks) == blocks


def test_a_long_line_said_twice_is_spoken_once() -> None:
    standfirst = Block("Young coral is returning to the reef at twice the expected rate")
    assert drop_repeated_paragraphs((standfirst, standfirst, Block("More."))) == (
        standfirst,
        Block("More."),
    )


def test_linked_items_of_a_content_list_are_spoken() -> None:
    source = "- [Wood glue](/shop/glue)\n- Twenty nails\n- A strip of rubber\n"
    assert [b.text for b in clean_blocks(parse_markdown(source))] == [
        "Wood glue",
        "Twenty nails",
        "A strip of rubber",
    ]


def test_a_list_of_links_is_not_spoken() -> None:
    source = "Text of the story.\n\n- [One headline](/a)\n- [Another headline](/b)\n"
    assert [b.text for b in clean_blocks(parse_markdown(source))] == ["Text of the story."]


def test_html_in_markdown_skips_what_web_pages_skip() -> None:
    fragment = (
        '<div><nav><a href="/">Home</a></nav><p>Prose here.</p>'
        "<figure><figcaption>A caption.</figcaption></figure>"
        '<p class="image-credit">Photo: Jane Doe</p><aside>Newsletter</aside></div>'
    )
    assert html_fragment_paragraphs(fragment) == ["Prose here."]
