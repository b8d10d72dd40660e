"""hibari: a tiny, very fast offline English voice (hibari-tts's bundled "heart").

The ``hibari-tts`` wheel carries a 6M-parameter model (7.9 MB, Apache-2.0)
distilled from Kokoro-82M's ``af_heart`` voice, and the port of Kokoro's
English phonemizer (misaki) that feeds it. It runs about a hundred times
faster than real time on one core. Only the bundled voice is offered: the
package's other voices are downloaded from a model hub on first use, which
audiogen never does.

The model adds a little shaped noise to the sound; it is drawn from a
generator seeded the same way for every sentence, so the same text always
gives the same samples.

The model predicts how many frames each phoneme lasts, as Kokoro's does, and
the engine reads word timings from that tensor the same way: it is added as
one more output of the graph (after the hash check), and the engine runs the
session itself and hands the six spectral outputs to hibari's own vocoder
(``hibari.dsp.synth``), as ``Hibari.from_ids`` would. The sentences, their
phonemes and the chunks long ones are cut into are still hibari's own, so the
audio is the same, sample for sample.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from audiogen import languages
from audiogen.engines import names
from audiogen.engines.base import EngineOptions, Voice
from audiogen.engines.kokoro import (
    Reading,
    english_reading,
    joined_readings,
    misaki_text,
    sentence_words,
    to_pcm,
)
from audiogen.engines.words import chunk_spans, with_durations
from audiogen.errors import BadInput, EngineUnavailable, SynthesisFailed
from audiogen.models import Audio

VOICE = "heart"
VOICE_LANGUAGE = "en-US"
# The bundled model file of hibari-tts 0.2.1 (its assets/voices.json lists the same hash).
MODEL_SHA256 = "5f70741d4e900f4e85d0037498736cc1b3e1b9a63a13546a5da1e63abf4fccd8"
INSTALL_HINT = "install it with: pip install hibari-tts==0.2.1"
NOISE_SEED = 0
# The graph's outputs: the five parts of the spectrum and F0 the vocoder takes, in its
# order, and the frames per token (the two pads included) of the duration predictor.
FEATURES = ("lh", "theta", "ln", "lr", "phi", "f0")
DURATIONS = "/Clip_output_0"
# A duration frame is two of the vocoder's 300-sample hops: every run checks they add up.
SAMPLES_PER_FRAME = 600


class SentenceReader:
    """hibari's G2P as ``Hibari.phonemize`` calls it (once a sentence, in order), keeping
    how many phoneme words each word of each sentence became."""

    def __init__(self, g2p: Any) -> None:
        self.g2p = g2p
        self.readings: list[Reading] = []

    def __call__(self, sentence: str) -> str:
        # english_reading joins the phonemes exactly as the G2P's own call does.
        reading = english_reading(self.g2p, sentence)
        self.readings.append(reading)
        return reading.phonemes


@dataclass(frozen=True)
class Loaded:
    """The voice as loaded: hibari's object (its session has the durations output) and
    the G2P it reads sentences through."""

    tts: Any
    reader: SentenceReader


class HibariEngine:
    """hibari-tts's bundled US English voice: ``--engine hibari`` (voice ``heart``)."""

    name: ClassVar[str] = "hibari"
    needs_network: ClassVar[bool] = False
    description: ClassVar[str] = (
        "hibari: tiny offline English neural voice (6M parameters, from Kokoro's heart), "
        "about 100x real time"
    )
    # Peak resident memory of a process that loaded the voice and read the seed article,
    # measured with bench/voices.py: 339-340 MB (326-327 MB before the durations output,
    # whose onnx import and model copies add 13 MB; the phonemizer's tables are most of it).
    memory_mb: ClassVar[int] = 350
    word_timings: ClassVar[bool] = True

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self._loaded: Loaded | None = None

    def check(self) -> None:
        speed = self.options.speed
        if not math.isfinite(speed) or not 0.5 <= speed <= 2.0:
            raise BadInput(f"hibari's speed must be between 0.5 and 2.0, not {speed!r}")
        if self.options.voice not in (None, VOICE):
            raise EngineUnavailable(
                f"hibari has one voice, {VOICE!r}, not {self.options.voice!r}; "
                "for other English voices use --engine kokoro"
            )
        if languages.primary(self.options.language) != "en":
            raise EngineUnavailable(
                f"hibari speaks English only, not {self.options.language!r}; "
                "use --engine kokoro or --engine espeak"
            )
        self._model_path()

    def _model_path(self) -> Path:
        try:
            from hibari.voices import voice_path
        except ImportError as exc:
            raise EngineUnavailable(f"hibari-tts is not installed ({exc}); {INSTALL_HINT}") from exc
        # download_missing=False: the bundled voice never downloads; anything else must fail.
        return Path(voice_path(VOICE, download_missing=False))

    def fingerprint(self) -> str:
        return (
            f"hibari-tts={_version('hibari-tts')};voice={VOICE}:{MODEL_SHA256[:16]};"
            f"seed={NOISE_SEED};speed={self.options.speed};"
            f"{names.fingerprint(names.enabled(self.options, default=False))}"
        )

    def languages(self) -> frozenset[str]:
        return frozenset({"en"})

    def voices(self) -> tuple[Voice, ...]:
        try:
            installed = self._model_path().is_file()
        except (EngineUnavailable, OSError):
            installed = False
        return (
            Voice(
                engine=self.name,
                id=VOICE,
                language=VOICE_LANGUAGE,
                gender="female",
                installed=installed,
                description="hibari-tts bundled voice, distilled from Kokoro's af_heart",
                license="Apache-2.0",
            ),
        )

    def _load(self) -> Loaded:
        if self._loaded is None:
            model = self._model_path()
            data = model.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest != MODEL_SHA256:
                raise EngineUnavailable(
                    f"hibari's voice {model} has SHA-256 {digest[:12]}..., not the one "
                    f"hibari-tts 0.2.1 ships ({MODEL_SHA256[:12]}...); {INSTALL_HINT}"
                )
            from hibari import Hibari
            from hibari.g2p import G2P
            from hibari.voices import VOICES

            timed = with_durations(data, DURATIONS, f"hibari's voice {model}")
            reader = SentenceReader(G2P(british=VOICES[VOICE]["british"]))
            threads = self.options.threads or 1  # one core already gives ~100x real time
            try:
                # onnxruntime takes the model's bytes where hibari passes it a path.
                tts = Hibari(voice=VOICE, model=timed, threads=threads, g2p=reader)
            except Exception as exc:  # onnxruntime raises its own exception types
                raise EngineUnavailable(f"cannot load hibari's voice {model}: {exc}") from exc
            self._loaded = Loaded(tts, reader)
        return self._loaded

    def synthesize(self, text: str) -> Audio:
        loaded = self._load()
        flat = " ".join(text.split())
        # Names from other languages read in their own sounds (see audiogen.engines.names).
        runs = (
            names.name_runs(flat, VOICE_LANGUAGE)
            if names.enabled(self.options, default=False)
            else None
        )
        try:
            loaded.reader.readings = []
            chunks = loaded.tts.phonemize(misaki_text(flat, runs))
            reading = joined_readings(loaded.reader.readings).in_words_of(flat)
            samples, spans = self._speak(loaded.tts, chunks)
        except Exception as exc:  # the phonemizer's and onnxruntime's errors are not typed
            raise SynthesisFailed(f"hibari could not speak {text[:60]!r}: {exc}") from exc
        words = sentence_words(reading, spans) if spans is not None else ()
        return Audio(to_pcm(samples), int(loaded.tts.sample_rate), words)

    def _speak(
        self, tts: Any, chunks: list[str]
    ) -> tuple[np.ndarray, list[tuple[int, int]] | None]:
        """The chunks' audio, one after the other, and each phoneme word's samples in it
        (None when a run's frames do not account for its audio).

        What ``Hibari.from_ids`` does, with the durations read from the same run: one noise
        generator for the whole sentence, drawn from in the same order, so the samples are
        the same.
        """
        from hibari import dsp

        rng = np.random.default_rng(NOISE_SEED)
        pieces: list[np.ndarray] = []
        spans: list[tuple[int, int]] | None = []
        at = 0
        for phonemes in chunks:
            ids = tts.ids(phonemes)
            if len(ids) < 3:  # the two pads alone: hibari says nothing, draws no noise
                continue
            feed = {
                "ids": np.asarray([ids], np.int64),
                "speed": np.asarray([self.options.speed], np.float32),
            }
            *features, frames = tts.sess.run([*FEATURES, DURATIONS], feed)
            audio = dsp.synth(*(f[0] for f in features), rng)
            fed = "".join(c for c in phonemes if c in tts.vocab)
            found = chunk_spans(fed, frames, len(audio), SAMPLES_PER_FRAME)
            if spans is not None and found is not None:
                spans.extend((at + a, at + b) for a, b in found)
            else:
                spans = None
            pieces.append(audio)
            at += len(audio)
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        return samples, spans


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
