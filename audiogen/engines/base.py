"""The protocol every speech engine follows.

Engines turn one sentence of plain words into audio. They know nothing about
files, caching, sections or progress: the pipeline does that. Heavy imports
(onnxruntime, requests, the espeak library) happen inside the engine so that
``audiogen --help`` stays instant.

Everything parallel, cached and distributed synthesis needs is declared here:
an engine keeps the ``options`` it was made with (so a worker process or a
Dask worker can make the same engine again), its ``fingerprint`` keys the
speech cache, and ``memory_mb`` tells the pipeline how many copies fit in
memory side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

from audiogen.models import Audio


@dataclass(frozen=True)
class EngineOptions:
    """What the user chose for an engine; every engine reads what it understands."""

    voice: str | None = None  # a voice id or a model path, engine-specific
    language: str = "en"
    speed: float = 1.0  # 1.0 is the voice's natural rate
    deterministic: bool = False  # no random variation: same text, same samples
    timeout: float = 15.0  # seconds, for network engines
    retries: int = 4  # network engines: further tries after a 429, a 5xx or a timeout
    request_budget: int = 5000  # network engines: most requests one run may make
    # CPU threads the engine may compute with; None: its own default (often every core).
    # Parallel builds give each worker one. It never changes the sound, so fingerprints leave it out.
    threads: int | None = None
    # The engine's own table in audiogen.toml ([engine.NAME]), as sorted (key, value) pairs
    # so the options stay hashable and picklable.
    settings: tuple[tuple[str, Any], ...] = ()

    def setting(self, key: str, default: Any = None) -> Any:
        """One value of the engine's own ``[engine.NAME]`` table, or ``default``.

        >>> EngineOptions(settings=(("noise_scale", 0.5),)).setting("noise_scale")
        0.5
        >>> EngineOptions().setting("noise_scale", 0.667)
        0.667
        """
        return dict(self.settings).get(key, default)

    @staticmethod
    def table(values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
        """``settings`` from a TOML table.

        >>> EngineOptions.table({"b": 2, "a": 1})
        (('a', 1), ('b', 2))
        """
        return tuple(sorted(values.items()))


@dataclass(frozen=True)
class Voice:
    """One voice an engine offers: what ``audiogen voices`` lists and ``--voice`` takes."""

    engine: str
    id: str  # what --voice ENGINE:ID names
    language: str  # BCP 47 tag, e.g. en-US, pt-BR
    gender: str | None = None  # "female", "male", or None when unknown
    installed: bool = True
    description: str = ""
    license: str = ""


@runtime_checkable
class Engine(Protocol):
    name: ClassVar[str]
    needs_network: ClassVar[bool]
    description: ClassVar[str]
    # About how much memory one loaded copy takes, so parallel builds start no more
    # workers than fit; network engines, which load nothing, say 0.
    memory_mb: ClassVar[int]

    options: EngineOptions

    def __init__(self, options: EngineOptions) -> None: ...

    def check(self) -> None:
        """Raise ``EngineUnavailable`` with an install hint if this engine cannot run."""

    def fingerprint(self) -> str:
        """Everything that changes the sound (engine version, voice, settings)."""

    def languages(self) -> frozenset[str] | None:
        """Primary language codes this engine can speak with the chosen voice; None if unknown."""

    def voices(self) -> tuple[Voice, ...]:
        """Every voice this engine offers, installed or not."""

    def synthesize(self, text: str) -> Audio:
        """Speak one sentence of words.

        Text with nothing to say may give empty audio (no samples): the pipeline
        treats that as a short silence, never as a failure. Raise ``SynthesisFailed``
        when the engine itself fails.

        An engine that knows where each word is in its audio (from its model's
        durations, say) gives ``Audio.words``: the words of ``text`` as split on
        whitespace, in order, each with its first and end sample, none
        overlapping, all inside the audio; a word it could not place is left out,
        and a sentence it is not sure of gets none. They end up as word-level
        timestamps in the WebVTT transcript. Every other engine leaves them empty.

        Such an engine says so on its class with ``word_timings = True`` (see
        ``gives_word_timings``): sentences it spoke before it gave them are then
        spoken again once, not taken from the speech cache without their words.
        """


def gives_word_timings(engine: Engine | type[Engine]) -> bool:
    """Whether an engine (or engine class) declares that it gives ``Audio.words``.

    The declaration is optional, so an engine written before word timings
    (a plugin, say) still follows the protocol: it gives none.

    >>> class Plain: pass
    >>> class Timed: word_timings = True
    >>> gives_word_timings(Plain), gives_word_timings(Timed)
    (False, True)
    """
    return getattr(engine, "word_timings", False) is True
