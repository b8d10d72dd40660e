from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from audiogen.engines.base import EngineOptions
from audiogen.models import Audio

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

    def synthesize(self, text: str) -> Audio:
        self.calls.append(text)
        n = int(self.rate * 0.06 * len(text))
        t = np.arange(n) / self.rate
        # A warbling tone with a syllable-like envelope, so loudness gating sees speech-like audio.
        wave = np.sin(2 * np.pi * (180 + 40 * np.sin(2 * np.pi * 3 * t)) * t)
        envelope = 0.5 + 0.5 * np.abs(np.sin(2 * np.pi * 4 * t))
        return Audio((wave * envelope * 12000).astype("<i2").tobytes(), self.rate)


@pytest.fixture
def tone_engine() -> ToneEngine:
    return ToneEngine()
