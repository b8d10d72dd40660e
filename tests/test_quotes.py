"""Quoted speech apart from its attribution (audiogen.text.quotes), one row per case."""

from __future__ import annotations

import doctest
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiogen.models import NARRATOR, QUOTE, Article, Section, Sentence
from audiogen.text import quotes
from audiogen.text.quotes import Part, split_paragraph, split_speakers, voice_quotations

N, Q = NARRATOR, QUOTE

# One paragraph in, each sentence's parts out: (speaker, written text).
PARAGRAPHS: list[tuple[tuple[str, ...], list[list[tuple[str, str]]]]] = [
    # News style: attribution, then the quotation.
    (
        ('The mayor\'s spokeswoman Ann Lee said, "The bridge will open again on Monday."',),
        [
            [
                (N, "The mayor's spokeswoman Ann Lee said,"),
                (Q, '"The bridge will open again on Monday."'),
            ]
        ],
    ),
    # The quotation first, the attribution after.
    (
        ("“We have done what we promised,” the minister told reporters.",),
        [[(Q, "“We have done what we promised,”"), (N, "the minister told reporters.")]],
    ),
    # A whole sentence quoted, after an attributed sentence.
    (
        (
            "Officials agreed to reopen the crossings, the governor said.",
            '"The trains are already moving again."',
        ),
        [
            [(N, "Officials agreed to reopen the crossings, the governor said.")],
            [(Q, '"The trains are already moving again."')],
        ],
    ),
    # Quotation, attribution, quotation in one sentence.
    (
        ('"We will stay," she said, "until the work is finished."',),
        [[(Q, '"We will stay,"'), (N, "she said,"), (Q, '"until the work is finished."')]],
    ),
    # Attribution in the middle with a participle: saying, "...".
    (
        ('He is also pressing for talks, saying, "Our neighbours must be at the table too."',),
        [
            [
                (N, "He is also pressing for talks, saying,"),
                (Q, '"Our neighbours must be at the table too."'),
            ]
        ],
    ),
    # A colon introduces it.
    (
        ("The report ends bluntly: “Nothing has changed since last year.”",),
        [[(N, "The report ends bluntly:"), (Q, "“Nothing has changed since last year.”")]],
    ),
    # "according to" attribution stays the narrator's.
    (
        ('"Losses exceed two hundred million a day," according to the railway.',),
        [[(Q, '"Losses exceed two hundred million a day,"'), (N, "according to the railway.")]],
    ),
    # Across sentences: opened in one, closed two sentences later.
    (
        (
            'Kirby said, "We came to listen.',
            "We will talk about the flows.",
            'And we will act," he added.',
        ),
        [
            [(N, "Kirby said,"), (Q, '"We came to listen.')],
            [(Q, "We will talk about the flows.")],
            [(Q, 'And we will act,"'), (N, "he added.")],
        ],
    ),
    # Curly across sentences.
    (
        ("“It is over.", "Go home,” the coach said."),
        [[(Q, "“It is over.")], [(Q, "Go home,”"), (N, "the coach said.")]],
    ),
    # Scare quotes and titles of one to three words stay the narrator's.
    (("The so-called “experts” disagreed.",), [[(N, "The so-called “experts” disagreed.")]]),
    (
        ('Read the magazine "The Daily Planet" every week.',),
        [[(N, 'Read the magazine "The Daily Planet" every week.')]],
    ),
    (("He called the plan “dead on arrival.”",), [[(N, "He called the plan “dead on arrival.”")]]),
    (('"Experts" say otherwise.',), [[(N, '"Experts" say otherwise.')]]),
    (('He said "no".',), [[(N, 'He said "no".')]]),
    # Titles, capitalized as titles are, stay the narrator's at any length.
    (
        ("In her novel “The Long Road Home to the Sea,” she wrote about loss.",),
        [[(N, "In her novel “The Long Road Home to the Sea,” she wrote about loss.")]],
    ),
    (
        ('They watched "Gone with the Wind" twice.',),
        [[(N, 'They watched "Gone with the Wind" twice.')]],
    ),
    # ... while speech full of names is still speech.
    (
        ("“Barack Obama visited Kenya last week,” she said.",),
        [[(Q, "“Barack Obama visited Kenya last week,”"), (N, "she said.")]],
    ),
    # ... but short speech is speech.
    (('"No," she said.',), [[(Q, '"No,"'), (N, "she said.")]]),
    (("He answered: “Never.”",), [[(N, "He answered:"), (Q, "“Never.”")]]),
    (('She said, "No".',), [[(N, "She said,"), (Q, '"No".')]]),
    # Four words or more are a quotation wherever they stand.
    (
        ('The sign read "no entry after dark" in red.',),
        [[(N, "The sign read"), (Q, '"no entry after dark"'), (N, "in red.")]],
    ),
    # Nested quotations belong to the outer one.
    (
        ("“She told me ‘leave now’ and I did,” he said.",),
        [[(Q, "“She told me ‘leave now’ and I did,”"), (N, "he said.")]],
    ),
    (
        ('"He kept saying "not yet" to all of us," she said.',),
        [[(Q, '"He kept saying "not yet" to all of us,"'), (N, "she said.")]],
    ),
    (
        ("‘The sign said “closed” all week,’ she said.",),
        [[(Q, "‘The sign said “closed” all week,’"), (N, "she said.")]],
    ),
    # British single quotes.
    (
        ("‘We are not leaving,’ the chairman said.",),
        [[(Q, "‘We are not leaving,’"), (N, "the chairman said.")]],
    ),
    (
        ("'We are not leaving,' the chairman said.",),
        [[(Q, "'We are not leaving,'"), (N, "the chairman said.")]],
    ),
    # Punctuation outside the closing mark goes with the quotation.
    (("‘Never’, he said.",), [[(Q, "‘Never’,"), (N, "he said.")]]),
    (
        ('"We tried our very best", the coach said, "next year".',),
        [[(Q, '"We tried our very best",'), (N, "the coach said,"), (Q, '"next year".')]],
    ),
    # Apostrophes are not quotation marks.
    (("They didn't know it was Jones' car.",), [[(N, "They didn't know it was Jones' car.")]]),
    (
        ("Music from the '90s and ’80s came back.",),
        [[(N, "Music from the '90s and ’80s came back.")]],
    ),
    (("O’Brien’s team won the Joneses’ cup.",), [[(N, "O’Brien’s team won the Joneses’ cup.")]]),
    (("'Tis the season, rock 'n' roll fans.",), [[(N, "'Tis the season, rock 'n' roll fans.")]]),
    (
        ("‘I didn’t see the Joneses’ car that night,’ he said.",),
        [[(Q, "‘I didn’t see the Joneses’ car that night,’"), (N, "he said.")]],
    ),
    (
        ("\"It's the '90s all over again,\" she said of Jones' band.",),
        [[(Q, "\"It's the '90s all over again,\""), (N, "she said of Jones' band.")]],
    ),
    # Inch marks and lone marks.
    (('A 12" record sold for $40.',), [[(N, 'A 12" record sold for $40.')]]),
    (('The " key is broken.',), [[(N, 'The " key is broken.')]]),
    # Unbalanced: an opening mark that never closes is a stray.
    (
        ('He said "we will see and left.', "Nobody followed."),
        [[(N, 'He said "we will see and left.')], [(N, "Nobody followed.")]],
    ),
    # A stray closing mark changes nothing.
    (("The vote passed.” Then it was over.",), [[(N, "The vote passed.” Then it was over.")]]),
    # A stray before a real quotation does not swallow it.
    (
        ('\'Tis late, he said. "Go home now, all of you," she said.',),
        [[(N, "'Tis late, he said."), (Q, '"Go home now, all of you,"'), (N, "she said.")]],
    ),
    # French guillemets, with their spaces; punctuation outside the marks.
    (
        ("« Nous ne partirons pas », a déclaré le maire.",),
        [[(Q, "« Nous ne partirons pas »,"), (N, "a déclaré le maire.")]],
    ),
    (
        ("Le ministre a dit : « C'est fini. »",),
        [[(N, "Le ministre a dit :"), (Q, "« C'est fini. »")]],
    ),
    # German low-high marks.
    (
        ("„Wir bleiben hier“, sagte sie.",),
        [[(Q, "„Wir bleiben hier“,"), (N, "sagte sie.")]],
    ),
    # Brackets around a quotation go with it.
    (
        ("The note (“back in five minutes, maybe”) was still there.",),
        [[(N, "The note"), (Q, "(“back in five minutes, maybe”)"), (N, "was still there.")]],
    ),
    # Two quotations side by side are one run.
    (
        ('"Yes, of course," "no, never," came the answers.',),
        [[(Q, '"Yes, of course," "no, never,"'), (N, "came the answers.")]],
    ),
    # No quotation at all.
    (
        ("Mexico reported the figures in December.",),
        [[(N, "Mexico reported the figures in December.")]],
    ),
]

# Several paragraphs in; each paragraph, each sentence, its speakers out.
MULTI: list[tuple[tuple[tuple[str, ...], ...], list[list[list[str]]]]] = [
    # The newspaper convention: no closing mark at a paragraph's end, the next opens again.
    (
        (
            ('The chief said, "We searched every house.', "We found nothing."),
            ('"Then we searched again," she said.',),
        ),
        [[[N, Q], [Q]], [[Q, N]]],
    ),
    # Three paragraphs, curly marks.
    (
        (("“First we waited.",), ("“Then we walked.",), ("“Then we ran,” he said.",)),
        [[[Q]], [[Q]], [[Q, N]]],
    ),
    # An unclosed mark with no continuation: a stray, the next paragraph unaffected.
    (
        (('He said "we will see and left.',), ("The meeting ended.",)),
        [[[N]], [[N]]],
    ),
    # A continuing paragraph's short closing quotation is still the quotation.
    (
        (('"We came to stay.',), ('"Yes," he said.',)),
        [[[Q]], [[Q, N]]],
    ),
    # French continues with » at the paragraph's start.
    (
        (("« Nous sommes venus.",), ("» Nous resterons », a-t-il dit.",)),
        [[[Q]], [[Q, N]]],
    ),
    # A paragraph opening with a quotation after a closed one is a new one.
    (
        (('"Done," she said.',), ('"Next," he said.',)),
        [[[Q, N]], [[Q, N]]],
    ),
    # Kinds must match: an open straight quote does not run on into a guillemet paragraph.
    (
        (('Il a dit "nous verrons et partit.',), ("« Oui », dit-elle.",)),
        [[[N]], [[Q, N]]],
    ),
    # An empty paragraph breaks nothing.
    ((("Hello there.",), (), ('"Bye now, friends," he said.',)), [[[N]], [], [[Q, N]]]),
]


def _shape(parts: tuple[tuple[Part, ...], ...]) -> list[list[tuple[str, str]]]:
    return [[(p.speaker, p.text) for p in sentence] for sentence in parts]


@pytest.mark.parametrize(("sentences", "expected"), PARAGRAPHS)
def test_paragraph(sentences: tuple[str, ...], expected: list[list[tuple[str, str]]]) -> None:
    assert _shape(split_paragraph(sentences)) == expected


@pytest.mark.parametrize(("paragraphs", "expected"), MULTI)
def test_paragraphs(
    paragraphs: tuple[tuple[str, ...], ...], expected: list[list[list[str]]]
) -> None:
    out = split_speakers(paragraphs)
    assert [[[p.speaker for p in s] for s in para] for para in out] == expected


# The quotation's own marks are not for the engine; nested ones and apostrophes stay.
BARE = [
    ('"We will stay," she said.', ["We will stay,", "she said."]),
    (
        "“She told me ‘leave now’ and I did,” he said.",
        ["She told me ‘leave now’ and I did,", "he said."],
    ),
    (
        "« Nous ne partirons pas », a déclaré le maire.",
        ["Nous ne partirons pas,", "a déclaré le maire."],
    ),
    (
        "‘I didn’t see the Joneses’ car that night,’ he said.",
        ["I didn’t see the Joneses’ car that night,", "he said."],
    ),
    ("The so-called “experts” disagreed.", ["The so-called “experts” disagreed."]),
    ('She said, "No".', ["She said,", "No."]),
]


@pytest.mark.parametrize(("sentence", "expected"), BARE)
def test_bare_drops_the_quotations_own_marks(sentence: str, expected: list[str]) -> None:
    assert [p.bare for p in split_paragraph((sentence,))[0]] == expected


def test_bare_of_a_quotation_over_sentences() -> None:
    out = split_paragraph(('Kirby said, "We came.', 'We stayed," he added.'))
    assert [[p.bare for p in s] for s in out] == [
        ["Kirby said,", "We came."],
        ["We stayed,", "he added."],
    ]


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_row_keeps_every_character_in_order() -> None:
    for sentences, _ in PARAGRAPHS:
        for sentence, parts in zip(sentences, split_paragraph(sentences), strict=True):
            assert _squash("".join(p.text for p in parts)) == _squash(sentence)


TEXT = st.text(alphabet=st.sampled_from(list("ab .,:;!?'\"“”‘’«»„-()\n")), max_size=60)


@given(st.lists(st.lists(TEXT.map(str.strip), max_size=4).map(tuple), max_size=4))
def test_random_text_keeps_its_words_and_alternates_speakers(
    paragraphs: list[tuple[str, ...]],
) -> None:
    out = split_speakers(tuple(paragraphs))
    assert len(out) == len(paragraphs)
    for sentences, parsed in zip(paragraphs, out, strict=True):
        assert len(parsed) == len(sentences)
        for sentence, parts in zip(sentences, parsed, strict=True):
            assert parts, sentence
            assert _squash("".join(p.text for p in parts)) == _squash(sentence)
            speakers = [p.speaker for p in parts]
            assert all(a != b for a, b in itertools.pairwise(speakers))
            assert set(speakers) <= {N, Q}


def test_a_news_story_voices_exactly_its_quotations() -> None:
    # Written in the seed article's style (not its text): four quotations of speech, one
    # magazine title in quotes that stays the narrator's.
    story = (
        ("Officials from both countries met on Tuesday to discuss the crossings.",),
        (
            'A spokesman, Tom Reed, said, "The visit is about the flows and what more we can do together."',
            "Pressure had built after two crossings closed.",
        ),
        (
            "Both sides agreed to reopen the bridges, the president said.",
            '"This agreement has been reached, and the bridges are opening."',
        ),
        (
            'He is also urging talks, saying, "We are helping reach agreements with other countries."',
            'He added, saying, "We have already proposed a dialogue to the president."',
        ),
        ('Subscribers can read more in the pages of "The Weekly Courier" magazine.',),
    )
    quoted = [p.text for para in split_speakers(story) for s in para for p in s if p.speaker == Q]
    assert quoted == [
        '"The visit is about the flows and what more we can do together."',
        '"This agreement has been reached, and the bridges are opening."',
        '"We are helping reach agreements with other countries."',
        '"We have already proposed a dialogue to the president."',
    ]


def test_voice_quotations_makes_one_sentence_per_part() -> None:
    article = Article(
        "Talks",
        (
            Section.of(
                0, "Talks", (('Kirby said, "We came to listen.', 'We will act," he added.'),)
            ),
            Section.of(1, "Later", (("Nothing was said.",), ("“Yes,” she said.",))),
        ),
        language="en",
    )
    out = voice_quotations(article)
    assert [s.title for s in out.sections] == ["Talks", "Later"]
    assert out.sections[0].paragraphs == (
        (
            Sentence("Kirby said,", "Kirby said,", N, runs_on=True),
            Sentence('"We came to listen.', "We came to listen.", Q),
            Sentence('We will act,"', "We will act,", Q, runs_on=True),
            Sentence("he added.", "he added.", N),
        ),
    )
    assert out.sections[1].paragraphs == (
        (Sentence("Nothing was said.", "Nothing was said.", N),),
        (Sentence("“Yes,”", "Yes,", Q, runs_on=True), Sentence("she said.", "she said.", N)),
    )


def test_doctests() -> None:
    assert doctest.testmod(quotes).failed == 0
