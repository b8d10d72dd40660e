from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from audiogen import pipeline
from audiogen.audio.loudness import normalize_loudness
from audiogen.audio.stitch import DEFAULT_PAUSES, EPISODE_RATE, Clip, Pauses, plan, stream, to_pcm
from audiogen.engines.base import Engine, EngineOptions, Voice
from audiogen.models import Article, Audio, Chapter, Episode, Timing, Unreadable, Utterance, Word
from audiogen.options import BuildOptions

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "examples" / "harbor-solar.md"


def require_tool(name: str) -> str:
    """The path of an external test oracle; missing is a failure in CI, a skip elsewhere."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path


class ToneEngine:
    """A test double that 'speaks' a tone whose length follows the text (60 ms a character).

    Real engines are exercised in their own tests and in the end-to-end build;
    this one keeps pipeline tests fast and their timings predictable.
    """

    name: ClassVar[str] = "tone"
    needs_network: ClassVar[bool] = False
    description: ClassVar[str] = "test tones"
    memory_mb: ClassVar[int] = 1
    rate = 22_050

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        self.calls: list[str] = []

    def check(self) -> None:
        return None

    def fingerprint(self) -> str:
        return "tone-1"

    def languages(self) -> frozenset[str] | None:
        return None

    def voices(self) -> tuple[Voice, ...]:
        return (Voice(self.name, "tone", "en", None),)

    def synthesize(self, text: str) -> Audio:
        self.calls.append(text)
        n = int(self.rate * 0.06 * len(text))
        t = np.arange(n) / self.rate
        # A warbling tone with a syllable-like envelope, so loudness gating sees speech-like audio.
        wave = np.sin(2 * np.pi * (180 + 40 * np.sin(2 * np.pi * 3 * t)) * t)
        envelope = 0.5 + 0.5 * np.abs(np.sin(2 * np.pi * 4 * t))
        return Audio((wave * envelope * 12000).astype("<i2").tobytes(), self.rate)


class WordToneEngine(ToneEngine):
    """ToneEngine's tones with word timings, as an engine with durations gives them: each word
    (one with a letter or digit) spans its own characters, at 60 ms a character."""

    name: ClassVar[str] = "tone-words"
    word_timings: ClassVar[bool] = True

    def fingerprint(self) -> str:
        return "tone-words-1"

    def synthesize(self, text: str) -> Audio:
        audio = super().synthesize(text)
        per_char = self.rate * 0.06
        words = tuple(
            Word(match.group(), int(per_char * match.start()), int(per_char * match.end()))
            for match in re.finditer(r"\S+", text)
            if any(c.isalnum() for c in match.group())
        )
        return Audio(audio.pcm, audio.sample_rate, words)


@pytest.fixture
def tone_engine() -> ToneEngine:
    return ToneEngine()


def build_one(
    source: str | Path,
    options: BuildOptions,
    *,
    engine: Engine | None = None,
    now: datetime | None = None,
) -> Episode:
    """Build one article through the library's entry point and return its episode."""
    result = pipeline.build([str(source)], options, engine=engine, now=now)
    assert len(result.episodes) == 1, result
    return result.episodes[0]


def prepared(source: str | Path, **options: Any) -> Article:
    """What the pipeline would say of one article file."""
    found = list(pipeline.preview([str(source)], BuildOptions(**options)))
    assert len(found) == 1 and not isinstance(found[0], Unreadable), found
    article = found[0]
    assert isinstance(article, Article)
    return article


@dataclass(frozen=True)
class Spoken:
    """An utterance with the audio the engine made for it, held in memory."""

    utterance: Utterance
    audio: Audio


@dataclass(frozen=True)
class Narration:
    """A whole episode stitched and normalized in memory: the reference the streamed render
    is checked against."""

    pcm: bytes
    sample_rate: int
    chapters: tuple[Chapter, ...]
    sentences: tuple[Timing, ...]
    loudness_lufs: float
    true_peak_dbtp: float

    @property
    def duration_ms(self) -> int:
        return round(1000 * (len(self.pcm) // 2) / self.sample_rate)


def check_words_follow_the_speech(audio: Audio, text: str, measured: str) -> None:
    """A neural voice's word timings for ``text`` hold its words in order, over its sound.

    ``measured`` gives, for the message, the share of sound inside the words seen when
    the bounds below were chosen.
    """
    from audiogen.engines.words import in_order

    words = audio.words
    assert [w.text for w in words] == [w for w in text.split() if any(c.isalnum() for c in w)]
    assert in_order(words, audio.samples) and words[0].start > 0
    samples = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)
    inside = np.zeros(len(samples), dtype=bool)
    for word in words:
        inside[word.start : word.end] = True
    # The words take most of the sentence, but not the pauses around and between them...
    assert 0.6 < inside.mean() < 0.9
    # ...and most of its sound lies inside them.
    share = (samples[inside] ** 2).sum() / (samples**2).sum()
    assert share > 0.75, f"{share:.0%} of the sound inside the words (measured: {measured})"
    # The sound starts near the first word: within 100 ms before its start.
    loud = np.flatnonzero(np.abs(samples) > 0.1 * np.abs(samples).max())
    assert words[0].start - 2400 <= loud[0] <= words[0].end
    # After the last word there is silence.
    assert np.abs(samples[words[-1].end :]).max(initial=0) < 0.05 * np.abs(samples).max()


def speak_directly(lines: tuple[Utterance, ...], engine: Engine) -> tuple[Spoken, ...]:
    """Every utterance spoken in memory, without the cache: for the whole-episode stitcher."""
    return tuple(Spoken(line, engine.synthesize(line.text)) for line in lines)


def stitch(
    spoken: tuple[Spoken, ...],
    chapter_titles: tuple[str, ...],
    pauses: Pauses = DEFAULT_PAUSES,
    rate: int = EPISODE_RATE,
    *,
    intro_music: Audio | None = None,
    outro_music: Audio | None = None,
) -> Narration:
    """Join utterances held in memory into one normalized narration, in memory, the plain way:
    the same layout as the pipeline, the whole signal normalized at once."""
    clips = [
        Clip(s.utterance, s.audio.sample_rate, s.audio.samples, lambda a=s.audio: a) for s in spoken
    ]
    layout = plan(
        clips, chapter_titles, pauses, rate, intro_music=intro_music, outro_music=outro_music
    )
    signal = np.concatenate([np.zeros(0), *stream(layout, clips)])
    narration, loudness, peak = normalize_loudness(signal, rate)
    return Narration(to_pcm(narration), rate, layout.chapters, layout.sentences, loudness, peak)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/ from what the code makes now (review the diff)",
    )


# Test modules marked as a whole, so `make test-fast` can leave them out of the edit loop.
MODULE_MARKS = {
    "test_player_browser": "browser",
    "test_interrupt": "processes",
    "test_dask": "processes",
    "test_gpodder": "processes",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        owner = getattr(item, "module", None)
        module = owner.__name__.rsplit(".", 1)[-1] if owner is not None else ""
        mark = MODULE_MARKS.get(module)
        if mark is not None:
            item.add_marker(getattr(pytest.mark, mark))
