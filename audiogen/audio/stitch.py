"""Join spoken utterances into one narration with natural pauses.

Everything is resampled to the episode rate first, then joined as PCM (never
by concatenating encoded files), so every utterance's start and end in the
finished audio is known to the sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd

import numpy as np
import numpy.typing as npt
from scipy.signal import resample_poly

from audiogen.audio.loudness import normalize_loudness
from audiogen.audio.music import add_intro_music, add_outro_music
from audiogen.models import Audio, Chapter, Narration, Spoken, Timing, Utterance

EPISODE_RATE = 44_100


@dataclass(frozen=True)
class Pauses:
    """Silences in milliseconds; longer between sections than between sentences."""

    lead_in: int = 300
    after_title: int = 900
    after_heading: int = 600
    between_sentences: int = 320
    between_paragraphs: int = 650
    between_sections: int = 1300
    tail: int = 1000

    def after(self, line: Utterance, is_last: bool) -> int:
        if is_last:
            return self.tail
        if line.kind in ("title", "intro"):
            return self.after_title
        if line.kind == "heading":
            return self.after_heading
        if line.ends_section:
            return self.between_sections
        if line.ends_paragraph:
            return self.between_paragraphs
        return self.between_sentences


def to_float(audio: Audio, rate: int = EPISODE_RATE) -> npt.NDArray[np.float64]:
    """Mono float samples in [-1, 1] at ``rate``, resampled with a polyphase filter."""
    samples = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64) / 32768.0
    if audio.sample_rate != rate:
        common = gcd(audio.sample_rate, rate)
        samples = resample_poly(samples, rate // common, audio.sample_rate // common)
    return samples


def to_pcm(samples: npt.NDArray[np.float64]) -> bytes:
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2").tobytes()


def stitch(
    spoken: tuple[Spoken, ...],
    chapter_titles: tuple[str, ...],
    pauses: Pauses = Pauses(),
    rate: int = EPISODE_RATE,
    *,
    intro_music: Audio | None = None,
    outro_music: Audio | None = None,
) -> Narration:
    """Join utterances with pauses, add any music beds, normalize loudness, and
    record where everything starts.

    ``chapter_titles[i]`` names the chapter of section ``i``. Music must be at ``rate``.
    """
    pieces: list[npt.NDArray[np.float64]] = [np.zeros(rate * pauses.lead_in // 1000)]
    position = len(pieces[0])
    spans: list[tuple[str, int, int]] = []  # text, first sample, end sample
    section_starts: dict[int, int] = {}
    for i, item in enumerate(spoken):
        line = item.utterance
        samples = to_float(item.audio, rate)
        if line.section not in section_starts:
            section_starts[line.section] = position
        pieces.append(samples)
        spans.append((line.written, position, position + len(samples)))
        position += len(samples)
        gap = np.zeros(rate * pauses.after(line, i == len(spoken) - 1) // 1000)
        pieces.append(gap)
        position += len(gap)
    signal = np.concatenate(pieces)

    shift = 0  # samples the speech moved later to make room for intro music
    if intro_music is not None or outro_music is not None:
        mixed = Audio(to_pcm(signal), rate)
        if intro_music is not None:
            mixed, shift_ms = add_intro_music(mixed, intro_music)
            shift = rate * shift_ms // 1000
        if outro_music is not None:
            mixed = add_outro_music(mixed, outro_music)
        signal = to_float(mixed, rate)

    narration, loudness, peak = normalize_loudness(signal, rate)
    total = len(narration)
    sentences = tuple(
        Timing(text, _ms(start + shift, rate), _ms(end + shift, rate)) for text, start, end in spans
    )
    # The first chapter starts at zero, so a player at 0:00 (intro music included) is inside it.
    starts = [
        (index, 0 if n == 0 else start + shift)
        for n, (index, start) in enumerate(sorted(section_starts.items()))
    ]
    chapters = tuple(
        Chapter(
            chapter_titles[index],
            _ms(start, rate),
            _ms(starts[n + 1][1], rate) if n + 1 < len(starts) else _ms(total, rate),
        )
        for n, (index, start) in enumerate(starts)
    )
    return Narration(to_pcm(narration), rate, chapters, sentences, loudness, peak)


def _ms(samples: int, rate: int) -> int:
    return round(1000 * samples / rate)
