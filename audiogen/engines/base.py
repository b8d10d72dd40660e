"""The protocol every speech engine follows.

Engines turn one sentence of plain words into audio. They know nothing about
files, caching, sections or progress: the pipeline does that. Heavy imports
(onnxruntime, requests, the espeak library) happen inside the engine so that
``audiogen --help`` stays instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable

from audiogen.models import Audio


@dataclass(frozen=True)
class EngineOptions:
    """What the user chose for an engine; every engine reads what it understands."""

    voice: str | None = None  # a voice name or a model path, engine-specific
    language: str = "en"
    speed: float = 1.0  # 1.0 is the voice's natural rate
    deterministic: bool = False  # no random variation: same text, same samples
    timeout: float = 15.0  # seconds, for network engines
    retries: int = 4  # network engines: further tries after a 429, a 5xx or a timeout
    request_budget: int = 5000  # network engines: most requests one run may make
    # CPU threads the engine may compute with; None: its own default (often every core).
    # Parallel builds give each worker one. It never changes the sound, so fingerprints leave it out.
    threads: int | None = None


@runtime_checkable
class Engine(Protocol):
    name: ClassVar[str]
    needs_network: ClassVar[bool]
    description: ClassVar[str]

    def __init__(self, options: EngineOptions) -> None: ...

    def check(self) -> None:
        """Raise ``EngineUnavailable`` with an install hint if this engine cannot run."""

    def fingerprint(self) -> str:
        """Everything that changes the sound (engine version, voice, settings)."""

    def languages(self) -> frozenset[str] | None:
        """Language codes this engine can speak with the chosen voice; None if unknown."""

    def synthesize(self, text: str) -> Audio:
        """Speak one sentence. Raise ``SynthesisFailed`` on failure."""
