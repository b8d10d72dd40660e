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
"""

from __future__ import annotations

import hashlib
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from audiogen import languages
from audiogen.engines import names
from audiogen.engines.base import EngineOptions, Voice
from audiogen.engines.kokoro import misaki_text, to_pcm
from audiogen.errors import BadInput, EngineUnavailable, SynthesisFailed
from audiogen.models import Audio

VOICE = "heart"
VOICE_LANGUAGE = "en-US"
# The bundled model file of hibari-tts 0.2.1 (its assets/voices.json lists the same hash).
MODEL_SHA256 = "5f70741d4e900f4e85d0037498736cc1b3e1b9a63a13546a5da1e63abf4fccd8"
INSTALL_HINT = "install it with: pip install hibari-tts==0.2.1"
NOISE_SEED = 0


class HibariEngine:
    """hibari-tts's bundled US English voice: ``--engine hibari`` (voice ``heart``)."""

    name: ClassVar[str] = "hibari"
    needs_network: ClassVar[bool] = False
    description: ClassVar[str] = (
        "hibari: tiny offline English neural voice (6M parameters, from Kokoro's heart), "
        "about 100x real time"
    )
    # Peak resident memory of a process that loaded the voice and read the seed article,
    # measured with bench/voices.py (322 MB; the phonemizer's tables are most of it).
    memory_mb: ClassVar[int] = 330

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self._tts: Any = None

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

    def _load(self) -> Any:
        if self._tts is None:
            model = self._model_path()
            digest = hashlib.sha256(model.read_bytes()).hexdigest()
            if digest != MODEL_SHA256:
                raise EngineUnavailable(
                    f"hibari's voice {model} has SHA-256 {digest[:12]}..., not the one "
                    f"hibari-tts 0.2.1 ships ({MODEL_SHA256[:12]}...); {INSTALL_HINT}"
                )
            from hibari import Hibari

            threads = self.options.threads or 1  # one core already gives ~100x real time
            try:
                self._tts = Hibari(voice=VOICE, model=str(model), threads=threads)
            except Exception as exc:  # onnxruntime raises its own exception types
                raise EngineUnavailable(f"cannot load hibari's voice {model}: {exc}") from exc
        return self._tts

    def synthesize(self, text: str) -> Audio:
        tts = self._load()
        rng = np.random.default_rng(NOISE_SEED)
        flat = " ".join(text.split())
        # Names from other languages read in their own sounds (see audiogen.engines.names).
        runs = (
            names.name_runs(flat, VOICE_LANGUAGE)
            if names.enabled(self.options, default=False)
            else None
        )
        try:
            pieces = [
                tts.from_ids(tts.ids(phonemes), self.options.speed, rng)
                for phonemes in tts.phonemize(misaki_text(flat, runs))
            ]
        except Exception as exc:  # the phonemizer's and onnxruntime's errors are not typed
            raise SynthesisFailed(f"hibari could not speak {text[:60]!r}: {exc}") from exc
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        return Audio(to_pcm(samples), int(tts.sample_rate))


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
