"""The hibari engine: hibari-tts's bundled English voice, run for real (it takes milliseconds),
its audio held to hibari-tts's own and its word timings to the sound."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from audiogen.engines import hibari
from audiogen.engines.base import EngineOptions
from audiogen.engines.hibari import HibariEngine
from audiogen.engines.kokoro import to_pcm
from audiogen.engines.words import in_order
from audiogen.errors import BadInput, EngineUnavailable
from tests.conftest import check_words_follow_the_speech


def engine(**kwargs: object) -> HibariEngine:
    return HibariEngine(EngineOptions(threads=1, **kwargs))  # type: ignore[arg-type]


def rms(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


def test_speaks_a_sentence() -> None:
    subject = engine()
    subject.check()
    audio = subject.synthesize("Hello there, this is a short test.")
    assert audio.sample_rate == 24_000
    assert 1.0 < audio.duration_ms / 1000 < 5.0
    assert rms(audio.pcm) > 300


def test_same_text_same_samples() -> None:
    a = engine().synthesize("The same words twice.")
    b = engine().synthesize("The same words twice.")
    assert a.pcm == b.pcm


def test_speed_changes_the_length() -> None:
    text = "Speed changes how long this takes to say."
    normal = engine().synthesize(text).duration_ms
    fast = engine(speed=1.5).synthesize(text).duration_ms
    assert fast < 0.85 * normal


def test_nothing_to_say_gives_empty_audio() -> None:
    assert engine().synthesize("").samples == 0
    assert engine().synthesize("   ").samples == 0


def test_only_the_bundled_voice_and_english() -> None:
    with pytest.raises(EngineUnavailable, match="one voice, 'heart'"):
        engine(voice="emma").check()  # hibari-tts would download it from a hub: never
    with pytest.raises(EngineUnavailable, match="English only"):
        engine(language="fr").check()
    with pytest.raises(BadInput, match="speed"):
        engine(speed=3.0).check()
    engine(voice="heart", language="en-GB").check()


def test_voices_and_languages() -> None:
    (voice,) = engine().voices()
    assert (voice.engine, voice.id, voice.language, voice.gender) == (
        "hibari",
        "heart",
        "en-US",
        "female",
    )
    assert voice.installed and voice.license == "Apache-2.0"
    assert engine().languages() == {"en"}


def test_fingerprint_follows_speed() -> None:
    assert engine().fingerprint() == engine().fingerprint()
    assert engine().fingerprint() != engine(speed=1.2).fingerprint()


def test_a_changed_model_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hibari, "MODEL_SHA256", "0" * 64)
    with pytest.raises(EngineUnavailable, match="SHA-256"):
        engine().synthesize("Hello.")


def test_hibari_conforms() -> None:
    from audiogen.engines.testing import check_engine

    check_engine(HibariEngine)


# Sentences for the word timings: at three speeds, one hibari reads as two sentences
# ("U.S." ends one for it), and one long enough that hibari cuts it into two chunks.
LONG = (
    "The harbor's new solar array, finished in March after two years of delays, powers every "
    "crane along the quay, the pumps of the dry dock, the lights of the car park and the ferry "
    "terminal; and the port, which says it will add three more arrays before the winter storms "
    "arrive, expects to sell the surplus to the city, to the hospital on the hill, and to the "
    "school district, which has asked for a quote, although the council has not yet voted on it."
)
SPOKEN = [
    (1.0, "The harbor's new solar array, finished in March, powers every crane."),
    (1.4, "Officials said it cost five million dollars, a third less than planned."),
    (0.8, 'U.S. Officials Meet With Mexican President. "We stay," she said.'),
    (1.0, LONG),
    (1.3, LONG),
]


def plain_hibari() -> Any:
    """hibari-tts as it ships: its own session (six outputs) and its own from_ids."""
    from hibari import Hibari
    from hibari.voices import voice_path

    return Hibari(voice="heart", model=voice_path("heart", download_missing=False), threads=1)


def test_long_sentences_are_cut_by_hibari_into_chunks() -> None:
    tts = plain_hibari()
    assert len(tts.phonemize(LONG)) == 2
    assert len(tts.split_sentences(SPOKEN[2][1])) == 3  # "U.S.", the rest, the quotation


@pytest.mark.parametrize(("speed", "text"), SPOKEN)
def test_the_durations_output_changes_no_sample_of_the_audio(speed: float, text: str) -> None:
    subject = engine(speed=speed)
    audio = subject.synthesize(text)
    session = subject._load().tts.sess
    assert [o.name for o in session.get_outputs()] == [*hibari.FEATURES, hibari.DURATIONS]
    # hibari-tts's own call with the engine's noise seed is what the engine gave before.
    alone = plain_hibari()(text, speed, seed=hibari.NOISE_SEED)
    assert audio.pcm == to_pcm(alone)


@pytest.mark.parametrize(("speed", "text"), SPOKEN)
def test_word_timings_follow_the_speech(speed: float, text: str) -> None:
    audio = engine(speed=speed).synthesize(text)
    check_words_follow_the_speech(audio, text, measured="81-89%")


def test_words_of_a_later_chunk_are_counted_from_its_own_audio() -> None:
    tts = plain_hibari()
    first, _ = tts.phonemize(LONG)
    rng = np.random.default_rng(hibari.NOISE_SEED)
    first_samples = len(tts.from_ids(tts.ids(first), 1.0, rng))
    assert first.endswith("kwˈOt,")  # hibari cuts after "a quote,"
    words = engine().synthesize(LONG).words
    split = [w.text for w in words].index("quote,") + 1
    assert words[split - 1].end <= first_samples < words[split].start
    # The second chunk starts with the model's lead-in, as the first does.
    assert words[split].start - first_samples == pytest.approx(words[0].start, abs=1200)


def test_names_read_in_their_own_sounds_keep_their_word_timings() -> None:
    text = "Ask Ramón about Andrés Manuel López Obrador's plan, see [1] here."
    audio = engine(settings=(("origin_names", True),)).synthesize(text)
    assert [w.text for w in audio.words] == text.split()
    assert in_order(audio.words, audio.samples)


def test_frames_that_do_not_cover_the_audio_give_no_word_timings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "The council met on Tuesday."
    timed = engine().synthesize(text)
    monkeypatch.setattr(hibari, "SAMPLES_PER_FRAME", 300)  # half the frames' real length
    untimed = engine().synthesize(text)
    assert timed.words and untimed.words == ()
    assert untimed.pcm == timed.pcm
