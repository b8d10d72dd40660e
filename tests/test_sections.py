from __future__ import annotations

import doctest

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.errors import AudiogenError, NothingToSpeak
from audiogen.models import Block, Section
from audiogen.text import sections as sections_module
from audiogen.text.sections import split_sections, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The U.S. Army moved. Then it stopped.", ("The U.S. Army moved.", "Then it stopped.")),
        ("Mr. Smith arrived at 3 p.m. on Jan. 5. He left.", ("Mr. Smith arrived at 3 p.m. on Jan. 5.", "He left.")),
        ("It is No. 1 in sales. Really?", ("It is No. 1 in sales.", "Really?")),
        ('He said, "Yes." She left.', ('He said, "Yes."', "She left.")),
    ],
)  # fmt: skip
def test_split_sentences(text: str, sentences: tuple[str, ...]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ('She said: "Go left or right. "', ('She said: "Go left or right. "',)),
        ('"Go left or right. " He went left.', ('"Go left or right. "', "He went left.")),
        ("It ended. ... Then it began.", ("It ended. ...", "Then it began.")),
        ("... It began.", ("... It began.",)),
        ("It ended. * * *", ("It ended. * * *",)),
        ("It ended. -- Then it began.", ("It ended.", "-- Then it began.")),
    ],
)  # fmt: skip
def test_punctuation_alone_is_not_a_sentence(text: str, sentences: tuple[str, ...]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("They met on Jan. 16. Anna left.", ("They met on Jan. 16.", "Anna left.")),
        ("It opened in 2019. Then it closed.", ("It opened in 2019.", "Then it closed.")),
        ("They met on Jan. 9. Anna left.", ("They met on Jan. 9.", "Anna left.")),
        ("See www.example.com/2141. Then call.", ("See www.example.com/2141.", "Then call.")),
        ("See example.com/news. Then call.", ("See example.com/news.", "Then call.")),
        ("1. Tools ready. 2. Wood cut.", ("1. Tools ready.", "2. Wood cut.")),
        ("Dana moved to the E.U. Lea stayed.", ("Dana moved to the E.U. Lea stayed.",)),
        ("Dana moved to the E.U. The rest stayed.", ("Dana moved to the E.U.", "The rest stayed.")),
        ("He left at 6 p.m. Then he ate.", ("He left at 6 p.m.", "Then he ate.")),
    ],
)  # fmt: skip
def test_dates_and_initialisms_at_the_end(text: str, sentences: tuple[str, ...]) -> None:
    assert split_sentences(text) == sentences


KNOWN_SENTENCES = [
    "Dr. Lind met U.S. officials at 3 p.m. on Jan. 5.",
    "The tide came in.",
    "It cost $250.75, or 3.5 percent more.",
    '"We will rebuild," said the mayor.',
    "Ravi said, 'I saw the pier.'",
    "Where is the ferry?",
    "Write to ana.lind@example.org today.",
    "The plan (drafted in 1955. Or so they say.) was praised.",
    "Well, that was that!",
    "Anna K. Berg wrote it, e.g. the part about No. 3.",
]


@pytest.mark.parametrize("count", [10, 300, 3000])
def test_long_paragraphs_split_like_short_ones(count: int) -> None:
    sentences = [KNOWN_SENTENCES[(i * 7) % len(KNOWN_SENTENCES)] for i in range(count)]
    assert split_sentences(" ".join(sentences)) == tuple(sentences)


@pytest.mark.parametrize(
    ("text", "language", "sentences"),
    [
        ("今日は晴れです。明日は雨です。", "ja", ("今日は晴れです。", "明日は雨です。")),
        ("Der Zug kam am 3. Oktober an. Dann fuhr er weiter.", "de", ("Der Zug kam am 3. Oktober an.", "Dann fuhr er weiter.")),
        ("M. Dupont est arrivé. Il pleuvait.", "fr", ("M. Dupont est arrivé.", "Il pleuvait.")),
        ("Se fue. Volvió tarde.", "es-MX", ("Se fue.", "Volvió tarde.")),
        ("馆长说。“我们到了。”她笑了。", "zh", ("馆长说。", "“我们到了。”", "她笑了。")),
        ("Sie sagte: »Wir kommen.« Dann ging sie.", "de", ("Sie sagte: »Wir kommen.«", "Dann ging sie.")),
    ],
)  # fmt: skip
def test_other_languages_still_split(text: str, language: str, sentences: tuple[str, ...]) -> None:
    assert split_sentences(text, language) == sentences


def written(section: Section) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(s.written for s in p) for p in section.paragraphs)


def test_first_heading_is_title_and_later_headings_start_sections() -> None:
    blocks = (
        Block("Episode Title", 1),
        Block("Intro one. Intro two."),
        Block("Part A", 2),
        Block("A text."),
        Block("More A."),
        Block("Part B", 2),
        Block("B text."),
    )
    title, sections = split_sections(blocks, fallback_title="file")
    assert title == "Episode Title"
    assert [(s.index, s.title) for s in sections] == [
        (0, "Episode Title"),
        (1, "Part A"),
        (2, "Part B"),
    ]
    assert written(sections[0]) == (("Intro one.", "Intro two."),)
    assert written(sections[1]) == (("A text.",), ("More A.",))


def test_no_subheadings_is_one_section() -> None:
    title, sections = split_sections(
        (Block("T", 2), Block("One."), Block("Two.")), fallback_title="f"
    )
    assert title == "T" and len(sections) == 1 and written(sections[0]) == (("One.",), ("Two.",))


def test_no_heading_uses_fallback_title() -> None:
    title, sections = split_sections((Block("Just text."),), fallback_title="my article")
    assert title == "my article" and sections[0].title == "my article"


def test_stacked_headings_are_joined_not_lost() -> None:
    blocks = (Block("T", 1), Block("Part One", 2), Block("Chapter 1", 3), Block("Text."))
    _, sections = split_sections(blocks, fallback_title="f")
    assert sections[0].title == "Part One: Chapter 1"


def test_only_headings_is_nothing_to_speak() -> None:
    with pytest.raises(NothingToSpeak):
        split_sections((Block("Only a title", 1),), fallback_title="f")


def test_doctests() -> None:
    result = doctest.testmod(sections_module)
    assert result.attempted > 0 and result.failed == 0


# --- properties -----------------------------------------------------------------------

PLAIN_WORDS = """
    the cat sat on mat a dog ran to park and it was may march us no am is in by mr
    dr st jan read more she he we they said went home after dark light over
""".split()  # noqa: SIM905 (a word table reads better as words)
plain_sentences = st.lists(st.sampled_from(PLAIN_WORDS), min_size=3, max_size=12).map(
    lambda words: " ".join(words) + "."
)
junk_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
junk_blocks = st.lists(
    st.builds(Block, junk_text, st.integers(min_value=0, max_value=6)), max_size=8
)
BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BOUNDED
@given(text=junk_text, language=st.sampled_from(["en", "de", "fr", "ja", "xx", "en-GB"]))
def test_split_sentences_of_random_text_never_crashes_or_invents_text(
    text: str, language: str
) -> None:
    sentences = split_sentences(text, language)
    assert all(s and s == s.strip() for s in sentences)
    assert "".join("".join(s.split()) for s in sentences) == "".join(text.split())


@BOUNDED
@given(before=junk_blocks, sentence=plain_sentences, after=junk_blocks)
def test_a_plain_sentence_among_junk_blocks_is_always_spoken(
    before: list[Block], sentence: str, after: list[Block]
) -> None:
    blocks = (*before, Block(sentence), *after)
    _, sections = split_sections(blocks, fallback_title="f")
    assert any(sentence in (t.written for t in s.sentences) for s in sections)


@BOUNDED
@given(blocks=junk_blocks)
def test_random_blocks_give_sections_or_nothing_to_speak(blocks: list[Block]) -> None:
    try:
        title, sections = split_sections(tuple(blocks), fallback_title="f")
    except AudiogenError:
        return
    assert title and sections
    assert [s.index for s in sections] == list(range(len(sections)))


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("hi", "मेला खुल गया। लोग आए।", ("मेला खुल गया।", "लोग आए।")),
        ("ur", "یہ کتاب ہے۔ وہ قلم ہے۔", ("یہ کتاب ہے۔", "وہ قلم ہے۔")),
        ("ar", "هل أنت بخير؟ نعم.", ("هل أنت بخير؟", "نعم.")),
        ("hy", "Սա գիրք է։ Դա գրիչ է։", ("Սա գիրք է։", "Դա գրիչ է։")),
        ("am", "ይህ መጽሐፍ ነው። ያ ብዕር ነው።", ("ይህ መጽሐፍ ነው።", "ያ ብዕር ነው።")),
        ("my", "ဒါစာအုပ်ပါ။ ဟိုဟာဘောပင်ပါ။", ("ဒါစာအုပ်ပါ။", "ဟိုဟာဘောပင်ပါ။")),
    ],
)
def test_full_stops_of_other_scripts_end_sentences(
    language: str, text: str, expected: tuple[str, ...]
) -> None:
    assert split_sentences(text, language) == expected
