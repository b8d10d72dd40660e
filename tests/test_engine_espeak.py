"""The espeak engine, against the real libespeak-ng from the espeakng-loader wheel."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from audiogen.engines.base import Engine, EngineOptions
from audiogen.engines.espeak import (
    RATE_MAX,
    RATE_MIN,
    EspeakEngine,
    EspeakVoice,
    parse_language_list,
    pick_voice,
    rate_for_speed,
)
from audiogen.errors import BadInput, EngineUnavailable, SynthesisFailed
from audiogen.models import Audio

SENTENCE = "The quick brown fox jumps over the lazy dog."


def engine(**options: object) -> EspeakEngine:
    built = EspeakEngine(EngineOptions(**options))  # type: ignore[arg-type]
    built.check()
    return built


def samples(audio: Audio) -> np.ndarray:
    return np.frombuffer(audio.pcm, dtype="<i2")


def rms(audio: Audio) -> float:
    return float(np.sqrt(np.mean(samples(audio).astype(np.float64) ** 2)))


# --- the pure helpers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\x02en-us\x00\x03en\x00\x00", ((2, "en-us"), (3, "en"))),
        (b"\x05de\x00\x00garbage\x00", ((5, "de"),)),  # stops at the double zero
        (b"\x00", ()),
        (b"", ()),
        (b"\x05de\x00\x04fr", ((5, "de"),)),  # cut short: the unfinished entry is dropped
    ],
)
def test_parse_language_list(raw: bytes, expected: tuple[tuple[int, str], ...]) -> None:
    assert parse_language_list(raw) == expected


VOICES = (
    EspeakVoice("German", "gmw/de", ((5, "de"),)),
    EspeakVoice("English (Caribbean)", "gmw/en-029", ((5, "en-029"), (10, "en"))),
    EspeakVoice("English (Great Britain)", "gmw/en", ((2, "en-gb"), (2, "en"))),
    EspeakVoice("English (America)", "gmw/en-US", ((2, "en-us"), (3, "en"))),
    EspeakVoice("Portuguese (Portugal)", "roa/pt", ((5, "pt"), (5, "pt-pt"))),
    EspeakVoice("Portuguese (Brazil)", "roa/pt-BR", ((5, "pt-br"), (6, "pt"))),
)


@pytest.mark.parametrize(
    ("language", "identifier"),
    [
        ("en", "gmw/en"),  # priority 2 beats 3 and 10
        ("en-US", "gmw/en-US"),
        ("en_us", "gmw/en-US"),
        (" EN-GB ", "gmw/en"),
        ("en-AU", "gmw/en"),  # unknown region: falls back to the base language
        ("de-AT", "gmw/de"),
        ("pt", "roa/pt"),  # priority 5 beats 6
        ("pt-BR", "roa/pt-BR"),
        ("xx", None),
        ("", None),
    ],
)
def test_pick_voice(language: str, identifier: str | None) -> None:
    voice = pick_voice(VOICES, language)
    assert (voice.identifier if voice else None) == identifier


@pytest.mark.parametrize(
    ("speed", "rate"),
    [(1.0, 175), (2.0, 350), (0.8, 140), (0.1, RATE_MIN), (5.0, RATE_MAX)],
)
def test_rate_for_speed(speed: float, rate: int) -> None:
    assert rate_for_speed(speed) == rate


@pytest.mark.parametrize("speed", [0.0, -1.0, float("nan"), float("inf")])
def test_rate_for_speed_rejects_nonsense(speed: float) -> None:
    with pytest.raises(BadInput, match="speed"):
        rate_for_speed(speed)


# --- the real library ---------------------------------------------------------


def test_follows_the_engine_protocol() -> None:
    built = engine()
    assert isinstance(built, Engine)
    assert EspeakEngine.name == "espeak"
    assert EspeakEngine.needs_network is False


def test_speaks_a_sentence() -> None:
    audio = engine().synthesize(SENTENCE)
    assert audio.sample_rate == 22050
    assert len(audio.pcm) % 2 == 0
    assert 500 <= audio.duration_ms <= 10_000
    assert rms(audio) > 500  # speech, not silence
    assert np.abs(samples(audio)).max() > 5000


def test_longer_text_gives_longer_audio() -> None:
    espeak = engine()
    short = espeak.synthesize("Hello.")
    long = espeak.synthesize(
        "Hello. This sentence goes on for quite a while longer than the first one did."
    )
    assert long.duration_ms > 2 * short.duration_ms


def test_same_text_gives_the_same_length() -> None:
    espeak = engine()
    first = espeak.synthesize(SENTENCE)
    second = espeak.synthesize(SENTENCE)
    # Not bit-identical (see the module notes): the pitch-flutter phase carries over.
    assert abs(first.duration_ms - second.duration_ms) < 0.01 * first.duration_ms


def test_german_voice() -> None:
    german = engine(language="de")
    audio = german.synthesize("Grüße aus München: die Straße ist schön.")
    assert "voice=gmw/de" in german.fingerprint()
    assert 500 <= audio.duration_ms <= 10_000
    assert rms(audio) > 500


def test_regional_tag_falls_back_to_the_language() -> None:
    assert "voice=gmw/de" in engine(language="de-AT").fingerprint()
    assert "voice=gmw/en-US" in engine(language="en_US").fingerprint()


def test_named_voice_with_variant() -> None:
    plain = engine(voice="en-us")
    female = engine(voice="en-us+f3")
    assert "voice=gmw/en-US+f3" in female.fingerprint()
    assert female.fingerprint() != plain.fingerprint()
    assert female.languages() == frozenset({"en-us", "en"})

    # The f3 variant speaks higher: more zero crossings per second.
    def crossings(audio: Audio) -> float:
        signal = samples(audio).astype(np.int32)
        return float(np.count_nonzero(np.diff(np.sign(signal)))) / audio.duration_ms

    assert crossings(female.synthesize(SENTENCE)) > crossings(plain.synthesize(SENTENCE))


def test_speed_changes_the_rate() -> None:
    normal = engine()
    fast = engine(speed=2.0)
    assert "rate=175" in normal.fingerprint()
    assert "rate=350" in fast.fingerprint()
    ratio = fast.synthesize(SENTENCE).duration_ms / normal.synthesize(SENTENCE).duration_ms
    assert 0.35 < ratio < 0.7


def test_fingerprint_names_the_library_version() -> None:
    assert engine().fingerprint().startswith("espeak-ng 1.")


def test_languages() -> None:
    every = engine().languages()
    assert {"en", "en-us", "de", "fr", "pt-br", "cmn"} <= every
    assert len(every) > 100
    german_only = engine(voice="de").languages()
    assert "de" in german_only
    assert "fr" not in german_only


@pytest.mark.parametrize("language", ["xx", "klingon", "", "zz-ZZ"])
def test_unknown_language_is_unavailable(language: str) -> None:
    with pytest.raises(EngineUnavailable) as caught:
        EspeakEngine(EngineOptions(language=language)).check()
    assert repr(language) in str(caught.value)
    assert "audiogen engines" in str(caught.value)


def test_unknown_voice_is_unavailable() -> None:
    with pytest.raises(EngineUnavailable, match="no voice 'no-such-voice'"):
        EspeakEngine(EngineOptions(voice="no-such-voice")).check()


def test_bad_speed_is_bad_input() -> None:
    with pytest.raises(BadInput):
        EspeakEngine(EngineOptions(speed=0)).check()


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_blank_text_fails(text: str) -> None:
    with pytest.raises(SynthesisFailed, match="no text"):
        engine().synthesize(text)


def test_unpronounceable_text_gives_a_little_silence() -> None:
    audio = engine().synthesize("...")
    assert 0 < audio.duration_ms < 200
    assert rms(audio) < 50


def test_nul_character_does_not_cut_the_text() -> None:
    espeak = engine()
    whole = espeak.synthesize("One two three four five six seven eight.")
    with_nul = espeak.synthesize("One two three\0four five six seven eight.")
    assert with_nul.duration_ms > 0.8 * whole.duration_ms


def test_threads_do_not_mix_their_audio() -> None:
    texts = ["Short one.", "A much longer sentence that takes several seconds to say aloud."]
    espeak = engine()
    alone = [espeak.synthesize(t).duration_ms for t in texts]
    results: dict[int, list[float]] = {0: [], 1: []}

    def work(index: int) -> None:
        for _ in range(5):
            results[index].append(espeak.synthesize(texts[index]).duration_ms)

    threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index in (0, 1):
        assert len(results[index]) == 5
        # Mixed-up audio would be off by whole words; a lone run varies under 1 %.
        assert all(abs(d - alone[index]) < 0.01 * alone[index] for d in results[index])
