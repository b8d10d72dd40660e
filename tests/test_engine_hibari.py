"""The hibari engine: hibari-tts's bundled English voice, run for real (it takes milliseconds)."""

from __future__ import annotations

import numpy as np
import pytest

from audiogen.engines import hibari
from audiogen.engines.base import EngineOptions
from audiogen.engines.hibari import HibariEngine
from audiogen.errors import BadInput, EngineUnavailable


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
