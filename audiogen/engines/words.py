"""Word timings from a model's phoneme durations: which stretch of a sentence's audio says which word.

A model that predicts how long each phoneme lasts (Kokoro and hibari do, to
place their acoustic frames) knows where every word of its phoneme string
begins and ends. Their ONNX exports keep that tensor inside the graph;
``with_durations`` adds it as an output of the same run that makes the audio.
Turning it into the words of the text the model was given takes two steps:

- ``phoneme_spans``: each phoneme word's first and end frame, from the
  durations of the characters fed to the model (``chunk_spans``: in samples,
  for one run of the model);
- ``word_counts``: how many phoneme words each word of the text became
  ("third-party" becomes two, "$5" two), from what the phonemizer says it made
  of each piece of text, aligned with the text's words.

When the two do not add up, the sentence gets no word timings at all: a wrong
timing is worse than none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher

import numpy as np

from audiogen.errors import EngineUnavailable
from audiogen.models import Word

# A piece of text as the phonemizer read it, and how many phoneme words it made of it.
Group = tuple[str, int]


def is_mark(char: str) -> bool:
    """Whether a phoneme character is a space or punctuation, not a sound of a word.

    >>> is_mark(","), is_mark(" "), is_mark("ˈ"), is_mark("ɹ"), is_mark("↗")
    (True, True, False, False, False)
    """
    return char.isspace() or unicodedata.category(char).startswith("P")


def phoneme_word_count(phonemes: str) -> int:
    """How many words a phoneme string says: pieces between spaces with a sound in them.

    >>> phoneme_word_count("həlˈO wˈɜɹld, ðɪs — ɪz.")
    4
    >>> phoneme_word_count("... —")
    0
    """
    return sum(any(not is_mark(c) for c in piece) for piece in phonemes.split())


def phoneme_spans(phonemes: str, frames: Sequence[int]) -> list[tuple[int, int]] | None:
    """Each phoneme word's (first frame, end frame), counting from the first character.

    ``frames[i]`` is how long character ``i`` of ``phonemes`` lasts. A word's
    span covers its sounds, not the punctuation at its edges (a comma's pause
    belongs to no word). None when the lengths disagree.

    >>> phoneme_spans("ab, c", [1, 2, 3, 1, 4])
    [(0, 3), (7, 11)]
    >>> phoneme_spans("“ab” . c", [1, 1, 1, 1, 1, 1, 1, 2])
    [(1, 3), (7, 9)]
    >>> phoneme_spans("ab", [1]) is None
    True
    """
    if len(phonemes) != len(frames):
        return None
    spans: list[tuple[int, int]] = []
    position = 0
    first = last = -1
    for char, length in zip(phonemes, frames, strict=True):
        if char.isspace():
            if first >= 0:
                spans.append((first, last))
            first = last = -1
        elif not is_mark(char):
            first = position if first < 0 else first
            last = position + length
        position += length
    if first >= 0:
        spans.append((first, last))
    return spans


def chunk_spans(
    fed: str, frames: np.ndarray, samples: int, samples_per_frame: int
) -> list[tuple[int, int]] | None:
    """Each phoneme word's samples in one run's audio, from the frames of its tokens.

    The tokens are ``fed``'s characters between two pads; None unless the
    frames cover exactly the audio (``samples_per_frame`` each) and every
    token has one.

    >>> chunk_spans("ab c", np.array([2, 1, 1, 3, 2, 1.0]), 6000, 600)
    [(1200, 2400), (4200, 5400)]
    >>> chunk_spans("ab c", np.array([2, 1, 1, 3, 2, 1.0]), 6001, 600) is None
    True
    """
    counts = [int(n) for n in np.rint(frames.reshape(-1))]
    if len(counts) != len(fed) + 2 or sum(counts) * samples_per_frame != samples:
        return None
    found = phoneme_spans(fed, counts[1:-1])
    if found is None:
        return None
    lead = counts[0]
    return [((lead + a) * samples_per_frame, (lead + b) * samples_per_frame) for a, b in found]


def with_durations(model: bytes, tensor: str, what: str) -> bytes:
    """An ONNX ``model`` with its inner ``tensor`` (the frames per token) as one more output.

    Only the list of outputs changes: every node and weight is as it was, so
    the audio is too (each engine's tests compare it sample for sample).
    ``what`` names the model in errors.
    """
    try:
        import onnx
    except ImportError as exc:
        raise EngineUnavailable(
            f"word timings need the onnx package ({exc}); install it with: pip install onnx==1.17.0"
        ) from exc
    graph = onnx.load_model_from_string(model)
    info = next((v for v in graph.graph.value_info if v.name == tensor), None)
    if info is None:
        raise EngineUnavailable(f"{what} has no {tensor} tensor; reinstall it")
    graph.graph.output.append(info)
    data: bytes = graph.SerializeToString()
    return data


def word_key(word: str) -> str:
    """What two spellings of a word share: its letters and digits, case folded.

    >>> word_key("“Harbor’s,"), word_key("HARBORS"), word_key("—")
    ('harbors', 'harbors', '—')
    """
    key = "".join(c for c in word.casefold() if c.isalnum())
    return key or word


def word_counts(groups: Sequence[Group], words: Sequence[str]) -> list[int] | None:
    """How many phoneme words each of ``words`` became, from the phonemizer's ``groups``.

    The groups are aligned with the words on their letters: a group that is
    a word (or one of as many, in order) gives that word its count; several
    groups that are one word add up. None when a group with sounds matches no
    single word, since then nobody can tell whose sounds they are.

    >>> word_counts([("third-party", 2), ("cookies", 1)], ["third-party", "cookies."])
    [2, 1]
    >>> word_counts([("U", 1), ("S", 1), ("is", 1)], ["U.S.", "is"])
    [2, 1]
    >>> word_counts([("Mister", 1), ("Reeves", 1)], ["Mr.", "Reeves"])
    [1, 1]
    >>> word_counts([("a", 1), ("—", 0)], ["a", "b", "—"])
    [1, 0, 0]
    >>> word_counts([("vicepresident", 1)], ["vice", "president"]) is None
    True

    A group that is several words and made as many phoneme words gives one to
    each (a name read from given phonemes is one token of several words):

    >>> word_counts([("Ask", 1), ("Andrés Manuel's", 2)], ["Ask", "Andrés", "Manuel's"])
    [1, 1, 1]
    """
    keys = [word_key(text) for text, _ in groups]
    matcher = SequenceMatcher(None, keys, [word_key(w) for w in words], autojunk=False)
    counts = [0] * len(words)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        said = [count for _, count in groups[i1:i2]]
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            counts[j1:j2] = said
        elif tag == "replace" and j2 - j1 == 1:
            counts[j1] = sum(said)
        elif tag == "replace" and said == [j2 - j1]:
            counts[j1:j2] = [1] * (j2 - j1)
        elif sum(said):
            return None
    return counts


def timed_words(
    words: Sequence[str], counts: Sequence[int], spans: Sequence[tuple[int, int]]
) -> tuple[Word, ...]:
    """The words with the spans of the phoneme words each became; empty when the
    counts and the spans disagree, or the spans run backwards.

    >>> timed_words(["a", "—", "bc"], [1, 0, 2], [(0, 5), (6, 8), (9, 12)])
    (Word(text='a', start=0, end=5), Word(text='bc', start=6, end=12))
    >>> timed_words(["a"], [1], [(0, 5), (6, 8)])
    ()
    """
    if sum(counts) != len(spans) or len(counts) != len(words):
        return ()
    out: list[Word] = []
    at = 0
    for word, count in zip(words, counts, strict=True):
        if count:
            out.append(Word(word, spans[at][0], spans[at + count - 1][1]))
            at += count
    if not in_order(out):
        return ()
    return tuple(out)


def in_order(words: Sequence[Word], samples: int | None = None) -> bool:
    """Whether ``words`` follow each other without overlapping (inside ``samples``, if given).

    >>> in_order([Word("a", 0, 5), Word("b", 5, 9)], samples=9)
    True
    >>> in_order([Word("a", 0, 5), Word("b", 4, 9)]), in_order([Word("a", 3, 3)])
    (False, False)
    """
    end = 0
    for word in words:
        if word.start < end or word.end <= word.start:
            return False
        end = word.end
    return samples is None or end <= samples
