from __future__ import annotations

import pytest

from audiogen.errors import NothingToSpeak
from audiogen.text.clean import Block
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
    assert sections[0].paragraphs == (("Intro one.", "Intro two."),)
    assert sections[1].paragraphs == (("A text.",), ("More A.",))


def test_no_subheadings_is_one_section() -> None:
    title, sections = split_sections(
        (Block("T", 2), Block("One."), Block("Two.")), fallback_title="f"
    )
    assert title == "T" and len(sections) == 1 and sections[0].sentences == ("One.", "Two.")


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
