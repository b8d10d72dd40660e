"""The Kokoro engine: its tables, phonemes, chunking, voice files, and (slow) the real model."""

from __future__ import annotations

import doctest
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from audiogen.engines import kokoro
from audiogen.engines.base import EngineOptions
from audiogen.engines.kokoro import (
    MAX_PHONEMES,
    STYLE_ROWS,
    STYLE_WIDTH,
    KokoroEngine,
    chunk_phonemes,
    espeak_phonemes,
    from_espeak,
    tables,
)
from audiogen.engines.words import in_order, phoneme_word_count
from audiogen.errors import BadInput, EngineUnavailable
from tests.conftest import check_words_follow_the_speech

VOICE_BYTES = STYLE_ROWS * STYLE_WIDTH * 4


def engine(folder: Path | None, **kwargs: Any) -> KokoroEngine:
    settings = (("voices_dir", str(folder)),) if folder is not None else ()
    return KokoroEngine(EngineOptions(settings=settings, **kwargs))


def fake_voice(folder: Path, voice: str) -> np.ndarray:
    """A voice file whose row N is filled with N, so the row the engine picks can be read back."""
    styles = np.repeat(np.arange(STYLE_ROWS, dtype="<f4")[:, None], STYLE_WIDTH, axis=1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{voice}.bin").write_bytes(styles.tobytes())
    return styles


def test_doctests() -> None:
    result = doctest.testmod(kokoro)
    assert result.attempted > 0 and result.failed == 0


def test_vocab_is_the_models_alphabet() -> None:
    vocab = tables().vocab
    assert len(vocab) == 114
    assert all(len(c) == 1 for c in vocab)
    assert len(set(vocab.values())) == len(vocab) and 0 not in vocab.values()
    assert max(vocab.values()) == 177
    # every letter a tie turns into is one the model knows
    assert all(letter in vocab for _, letter in tables().ties)


def test_voice_table_matches_the_package_listing() -> None:
    t = tables()
    assert len(t.voice_ids) == 54 and len(set(t.voice_ids)) == 54
    for entry in t.languages.values():
        assert entry.default in t.voice_ids and entry.default[0] == entry.letter
    assert {v[1] for v in t.voice_ids} == set(t.genders)


@pytest.mark.parametrize(
    ("ipa", "expected"),
    [
        ("t^ʃˈile", "ʧˈile"),
        ("d^ʒˈʌd^ʒ", "ʤˈʌʤ"),
        ("a^ɪ ˈo^ʊ", "I ˈO"),
        ("pˈit^sːa", "pˈiʦːa"),
        ("ʒə- mapˈɛl", "ʒə mapˈɛl"),
        ("(^e^n)wiːkˈɛnd(^f^r)", "wiːkˈɛnd"),
        ("  spaced   out ", "spaced out"),
    ],
)
def test_from_espeak(ipa: str, expected: str) -> None:
    assert from_espeak(ipa) == expected


def test_espeak_phonemes_keep_the_punctuation_kokoro_knows() -> None:
    assert espeak_phonemes("Hola, ¿qué tal?", "es") == "ˈola, kˈe tˈal?"
    assert espeak_phonemes("¡Vamos!", "es") == "bˈamos!"
    assert espeak_phonemes("...", "es") == "..."  # nothing to say but stops


def test_chunks_fit_the_model_and_cut_at_phrase_ends() -> None:
    phrase = "ðə kwˈɪk bɹˈWn fˈɑks ʤˈʌmps ˈOvəɹ ðə lˈAzi dˈɔɡ"
    long = ", ".join([phrase] * 30) + "."
    chunks = chunk_phonemes(long)
    assert len(chunks) > 1
    assert all(len(c) <= MAX_PHONEMES for c in chunks)
    assert all(c.endswith((",", ".")) for c in chunks)
    assert " ".join(chunks) == long


def test_check_without_voices_says_how_to_install_them(tmp_path: Path) -> None:
    for folder in (None, tmp_path):
        with pytest.raises(EngineUnavailable, match=r"`audiogen voices install`"):
            engine(folder).check()


def test_check_refuses_unknown_voices_languages_and_speeds(tmp_path: Path) -> None:
    fake_voice(tmp_path, "af_heart")
    fake_voice(tmp_path, "jf_alpha")
    engine(tmp_path).check()  # English, the default voice
    with pytest.raises(EngineUnavailable, match="no voice 'af_nobody'"):
        engine(tmp_path, voice="af_nobody").check()
    with pytest.raises(EngineUnavailable, match="no voice 'jf_alpha'"):  # no Japanese phonemizer
        engine(tmp_path, voice="jf_alpha").check()
    with pytest.raises(EngineUnavailable, match="speaks en-US, not 'es'"):
        engine(tmp_path, voice="af_heart", language="es").check()
    with pytest.raises(EngineUnavailable, match="no voice for language 'de'"):
        engine(tmp_path, language="de").check()
    with pytest.raises(BadInput, match="speed"):
        engine(tmp_path, speed=0.1).check()


def test_default_voice_follows_the_language(tmp_path: Path) -> None:
    assert engine(tmp_path, language="es-MX").voice_id() == "ef_dora"
    assert engine(tmp_path, language="en-GB").voice_id() == "bf_emma"
    assert engine(tmp_path, language="pt").voice_id() == "pm_alex"
    assert engine(tmp_path, language="en", voice="am_michael").voice_id() == "am_michael"


def test_voices_list_what_is_installed(tmp_path: Path) -> None:
    fake_voice(tmp_path, "ef_dora")
    voices = {v.id: v for v in engine(tmp_path).voices()}
    assert voices["ef_dora"].installed and not voices["af_heart"].installed
    assert voices["ef_dora"].language == "es" and voices["ef_dora"].gender == "female"
    assert voices["am_michael"].gender == "male" and voices["bf_emma"].language == "en-GB"
    assert voices["pf_dora"].language == "pt-BR" and voices["ff_siwis"].language == "fr-FR"
    assert all(v.license == "Apache-2.0" and v.engine == "kokoro" for v in voices.values())
    assert not any(v.startswith(("j", "z")) for v in voices)
    assert len(voices) == 54 - 5 - 8  # the Japanese and Mandarin voices are not offered


def test_languages() -> None:
    assert engine(None).languages() == {"en", "es", "fr", "it", "pt", "hi"}
    assert engine(None, voice="if_sara").languages() == {"it"}


def test_a_voice_file_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    tmp_path.joinpath("af_heart.bin").write_bytes(b"\0" * 100)
    with pytest.raises(EngineUnavailable, match="510 x 256"):
        engine(tmp_path).synthesize("Hello.")


def test_the_model_is_checked_against_its_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(kokoro.load_model_bytes()) == kokoro.MODEL_BYTES
    monkeypatch.setattr(kokoro, "MODEL_SHA256", "0" * 64)
    with pytest.raises(EngineUnavailable, match="reinstall"):
        kokoro.load_model_bytes()


def test_fingerprint_names_model_voice_and_speed(tmp_path: Path) -> None:
    fake_voice(tmp_path, "af_heart")
    fake_voice(tmp_path, "ef_dora")
    a = engine(tmp_path).fingerprint()
    assert a == engine(tmp_path).fingerprint()
    assert a != engine(tmp_path, speed=1.2).fingerprint()
    assert a != engine(tmp_path, voice="ef_dora", language="es").fingerprint()
    assert kokoro.MODEL_SHA256[:16] in a


class FakeSession:
    """Stands in for onnxruntime: records the inputs, answers one frame (600 samples) per
    token, the pads' frames ``lead`` and 1, as the real graph's two outputs."""

    def __init__(self, lead: int = 1) -> None:
        self.feeds: list[dict[str, np.ndarray]] = []
        self.lead = lead

    def run(self, outputs: None, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        self.feeds.append(feed)
        frames = np.ones((1, feed["tokens"].shape[1]), dtype=np.float32)
        frames[0, 0] = self.lead
        return [np.full(600 * int(frames.sum()), 0.5, dtype=np.float32), frames]


def test_long_sentences_go_to_the_model_in_pieces(tmp_path: Path) -> None:
    styles = fake_voice(tmp_path, "af_heart")
    subject = engine(tmp_path)
    session = FakeSession()
    subject._session, subject._styles = session, styles
    sentence = ", ".join(["the quick brown fox jumps over the lazy dog"] * 25) + "."
    audio = subject.synthesize(sentence)
    assert len(session.feeds) > 1
    for feed in session.feeds:
        tokens = feed["tokens"][0]
        assert len(tokens) <= MAX_PHONEMES + 2 and tokens[0] == tokens[-1] == 0
        # the style row is picked by the number of phonemes
        assert feed["style"].shape == (1, 256) and feed["style"][0, 0] == len(tokens) - 3
        assert feed["speed"].tolist() == [1.0]
    expected = sum(600 * f["tokens"].shape[1] for f in session.feeds)
    assert audio.sample_rate == 24_000 and audio.samples == expected
    assert np.frombuffer(audio.pcm, dtype="<i2")[0] == round(0.5 * 32767)
    # Every word of every piece keeps its place, counted on across the pieces.
    assert [w.text for w in audio.words] == sentence.split()
    assert in_order(audio.words, audio.samples)


def test_word_timings_come_from_the_frames_of_their_phonemes(tmp_path: Path) -> None:
    styles = fake_voice(tmp_path, "af_heart")
    subject = engine(tmp_path)
    subject._session, subject._styles = FakeSession(lead=3), styles
    phonemes = subject.phonemize("Hello there, world.")
    audio = subject.synthesize("Hello there, world.")
    # One frame per character after a lead of three: a word spans its own characters.
    expected = []
    for match in re.finditer(r"[^ ,.]+", phonemes):
        expected.append((600 * (3 + match.start()), 600 * (3 + match.end())))
    assert [(w.start, w.end) for w in audio.words] == expected
    assert [w.text for w in audio.words] == ["Hello", "there,", "world."]


def test_frames_that_do_not_cover_the_audio_give_no_word_timings(tmp_path: Path) -> None:
    class Short(FakeSession):
        def run(self, outputs: None, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
            audio, frames = super().run(outputs, feed)
            return [audio[:-1], frames]

    styles = fake_voice(tmp_path, "af_heart")
    subject = engine(tmp_path)
    subject._session, subject._styles = Short(), styles
    audio = subject.synthesize("Hello there, world.")
    assert audio.samples > 0 and audio.words == ()


@pytest.mark.parametrize(
    ("language", "text", "counts"),
    [
        ("en", 'They send "third-party cookies," said Mister McCartney.', (1, 1, 2, 1, 1, 1, 2)),
        ("es", "Hola, ¿qué tal? El mercado abre.", (1, 1, 1, 1, 1, 1)),
        ("fr", "C'est l'homme qui dit « bonjour ».", (1, 1, 1, 1, 0, 1, 0)),
    ],
)
def test_readings_count_the_phoneme_words_of_each_word(
    tmp_path: Path, language: str, text: str, counts: tuple[int, ...]
) -> None:
    voice = {"en": "af_heart", "es": "ef_dora", "fr": "ff_siwis"}[language]
    fake_voice(tmp_path, voice)
    reading = engine(tmp_path, voice=voice, language=language).read(text)
    assert reading.words == tuple(text.split()) and reading.counts == counts
    assert sum(counts) == phoneme_word_count(reading.phonemes)


@pytest.mark.parametrize(
    ("language", "voice", "text"),
    [
        ("en", "af_heart", "Ask Ramón about Andrés Manuel López Obrador's plan, see [1] here."),
        ("es", "ef_dora", "Habló con François Hollande."),  # the name's run ends in "Hollande."
    ],
)
def test_readings_of_names_in_their_own_sounds_are_in_the_texts_words(
    tmp_path: Path, language: str, voice: str, text: str
) -> None:
    fake_voice(tmp_path, voice)
    settings = (("origin_names", True), ("voices_dir", str(tmp_path)))
    subject = KokoroEngine(EngineOptions(voice=voice, language=language, settings=settings))
    plain = engine(tmp_path, voice=voice, language=language).read(text)
    reading = subject.read(text)
    assert reading.phonemes != plain.phonemes  # the names were read in their own sounds
    assert reading.words == tuple(text.split()) and reading.counts is not None
    assert sum(reading.counts) == phoneme_word_count(reading.phonemes)


@pytest.mark.parametrize(
    "text",
    [
        "Hello there, world.",
        'It cost $5 million in 2019, or 3.5% of the U.S. budget: "a-ha!" (really).',
        "Dr. Smith's co-owner — Rolfe McCartney — wasn't there at 5:30 p.m.",
        "",
    ],
)
def test_the_english_reading_says_what_the_phonemizer_says(tmp_path: Path, text: str) -> None:
    from hibari.g2p import G2P

    fake_voice(tmp_path, "af_heart")
    assert engine(tmp_path).read(text).phonemes == G2P()(text)


def test_nothing_to_say_gives_empty_audio(tmp_path: Path) -> None:
    styles = fake_voice(tmp_path, "af_heart")
    subject = engine(tmp_path)
    subject._session, subject._styles = FakeSession(), styles
    assert subject.synthesize("").samples == 0
    assert subject.synthesize("   ").samples == 0


def installed_voices() -> Path:
    """The voices `make install` put in the user's data folder; CI must have them."""
    import platformdirs

    root = Path(os.environ.get("AUDIOGEN_DATA_DIR") or platformdirs.user_data_path("audiogen"))
    folder = root / "voices" / "kokoro-js-1.2.1"
    if not (folder / "af_heart.bin").is_file():
        if os.environ.get("CI"):
            pytest.fail("the Kokoro voices are required in CI (make install installs them)")
        pytest.skip("Kokoro voices not installed (run `audiogen voices install`)")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize(
    ("voice", "language", "text"),
    [("af_heart", "en", "Hello there, world."), ("ef_dora", "es", "Hola, ¿qué tal?")],
)
def test_real_model_speaks(voice: str, language: str, text: str) -> None:
    subject = engine(installed_voices(), voice=voice, language=language, threads=1)
    subject.check()
    audio = subject.synthesize(text)
    assert audio.sample_rate == 24_000
    assert 0.6 < audio.duration_ms / 1000 < 4.0
    samples = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)
    assert np.sqrt(np.mean(samples**2)) > 300  # speech, not silence
    assert subject.synthesize(text).pcm == audio.pcm  # no random component


@pytest.mark.slow
def test_kokoro_conforms() -> None:
    from audiogen.engines.testing import check_engine

    check_engine(KokoroEngine, EngineOptions(settings=(("voices_dir", str(installed_voices())),)))


# Sentences for the real model: English at two speeds, Spanish, French.
SPOKEN = [
    ("af_heart", "en", 1.0, "The harbor's new solar array, finished in March, powers every crane."),
    (
        "am_michael",
        "en",
        1.4,
        "Officials said it cost five million dollars, a third less than planned.",
    ),
    ("ef_dora", "es", 0.8, "Hola, ¿qué tal? El mercado abre a las nueve de la mañana."),
    ("ff_siwis", "fr", 1.0, "La bibliothèque du quartier, fermée depuis deux ans, rouvre enfin."),
]


@pytest.mark.slow
def test_the_durations_output_changes_no_sample_of_the_audio() -> None:
    import onnxruntime

    folder = installed_voices()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    plain = onnxruntime.InferenceSession(
        kokoro.load_model_bytes(), options, providers=["CPUExecutionProvider"]
    )
    assert [o.name for o in plain.get_outputs()] == ["audio"]
    for voice, language, speed, text in SPOKEN:
        subject = engine(folder, voice=voice, language=language, speed=speed, threads=1)
        session, styles = subject._load()
        assert [o.name for o in session.get_outputs()] == ["audio", kokoro.DURATIONS]
        ids = kokoro.to_ids(subject.phonemize(text))
        feed = {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": kokoro.style_for(styles, len(ids)),
            "speed": np.array([speed], dtype=np.float32),
        }
        audio, frames = session.run(None, feed)
        (alone,) = plain.run(None, feed)
        assert np.array_equal(audio, alone), text
        # The frames, one per token with the two pads, cover the audio exactly.
        assert frames.shape == (1, len(ids) + 2) and frames.min() >= 1
        assert int(frames.sum()) * kokoro.SAMPLES_PER_FRAME == audio.size


@pytest.mark.slow
@pytest.mark.parametrize(("voice", "language", "speed", "text"), SPOKEN)
def test_real_word_timings_follow_the_speech(
    voice: str, language: str, speed: float, text: str
) -> None:
    subject = engine(installed_voices(), voice=voice, language=language, speed=speed, threads=1)
    audio = subject.synthesize(text)
    check_words_follow_the_speech(audio, text, measured="81-92%")
