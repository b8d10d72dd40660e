"""Loudness normalization to a podcast target (ITU-R BS.1770), streamed in blocks.

Apple's published target for spoken word is -16 LUFS integrated with true
peaks no higher than -1 dBTP. Gain alone cannot meet both on peaky speech, so
a look-ahead limiter holds the true peak down, and takes some loudness with it.

Memory stays flat however long the episode: audio arrives as a stream of
blocks and is read twice.

1. The measuring pass (``Analyzer``) runs the K-weighting filters with their
   state carried from block to block and keeps the energy of every 1152
   samples. Beside it, it keeps a small histogram of that energy by how loud
   the peaks around it are. A ``Forecast`` places such statistics (of one
   stream, or of many segments at their places in the episode) on BS.1770's
   100 ms grid, gates them, and forecasts the loudness the limiter will
   leave at any gain, so the gain that lands on the target is found without
   touching the audio again.
2. The applying pass amplifies, limits and measures what it produces. Should
   the forecast have missed by more than ``LOUDNESS_TOLERANCE_LU`` (or the
   true peak risen over the ceiling), the miss corrects the forecast and the
   pass runs again.

Both passes work block by block with a little context either side, so their
results equal processing the whole signal at once. scipy is imported only
when audio is processed: it takes most of a second, which an unchanged
rebuild does not need to spend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from audiogen.errors import AudioFailed

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TARGET_LUFS = -16.0
MAX_TRUE_PEAK_DBTP = -1.0
# Room left for the MP3 encoder, whose output overshoots the input's peaks a little.
ENCODER_HEADROOM_DB = 0.7
# The limiter aims a little under the ceiling: its smooth gain curve changes
# the waveform between samples, and the true peak can rise by a fraction of a dB.
LIMITER_MARGIN_DB = 0.3
OVERSAMPLE = 4
LIMITER_WINDOW_MS = 5.0
SILENCE_LUFS = -70.0
# How close to the target a pass must land; another pass costs a full re-encode.
LOUDNESS_TOLERANCE_LU = 0.2
MAX_PASSES = 4

BLOCK_SAMPLES = 1 << 15
# Samples of context each side of a block: covers the limiter's reach (1.5
# windows: 331 samples at 44.1 kHz) and the oversampling filter's (10 samples).
CONTEXT_SAMPLES = 1024

GATE_BLOCK_S = 0.4
STEPS_PER_SECOND = 10  # 75 % overlap: a gating block starts every 100 ms...
BINS_PER_GATE_BLOCK = 4  # ...and spans four 100 ms steps
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0

# Statistics are kept per 1152 samples, an MP3 frame: a segment measured on its
# own can then be placed on any frame boundary of an episode.
STATS_CHUNK = 1152
# The forecast's histogram: 1 dB buckets of peak level from -40 dBFS to 0 dBFS
# (quieter peaks share the lowest bucket: a limiter never reaches them), over
# chunks of 64 samples, each taking the peak of itself and its neighbours
# within the limiter's reach.
FORECAST_CHUNK = 64
FORECAST_FLOOR_DB = -40
FORECAST_BUCKETS = -FORECAST_FLOOR_DB + 1
_HALF = 10  # resample_poly's 4x filter reaches 10 input samples either side


@cache
def _phases() -> tuple[FloatArray, float]:
    """resample_poly's interpolation filter for 4x (Kaiser window, beta 5), arranged so
    that row ``i`` weighs input ``n - 10 + i`` and column ``p`` gives the reconstructed
    sample at ``n + p/4``; and the most a reconstructed sample can exceed the largest
    input within reach (each is a sum of 21 inputs weighted by one phase's taps)."""
    from scipy.signal import firwin

    taps = firwin(2 * _HALF * OVERSAMPLE + 1, 1.0 / OVERSAMPLE, window=("kaiser", 5.0))
    taps = taps * OVERSAMPLE
    phases = np.zeros((2 * _HALF + 1, OVERSAMPLE))
    for i in range(2 * _HALF + 1):
        for p in range(OVERSAMPLE):
            k = OVERSAMPLE * (2 * _HALF - i) + p
            if k < len(taps):
                phases[i, p] = taps[k]
    bound = max(1.0, float(np.max(np.sum(np.abs(phases), axis=0))))
    return phases, bound


def oversampling_bound() -> float:
    return _phases()[1]


def integrated_loudness(samples: FloatArray, rate: int) -> float:
    """Integrated loudness of a whole signal in memory, by pyloudnorm (the reference meter)."""
    import pyloudnorm

    meter = pyloudnorm.Meter(rate)
    # pyloudnorm needs at least one 400 ms gating block.
    if len(samples) < int(GATE_BLOCK_S * rate) + 1:
        samples = np.pad(samples, (0, int(GATE_BLOCK_S * rate) + 1 - len(samples)))
    return float(meter.integrated_loudness(samples))


def true_peak_dbtp(samples: FloatArray) -> float:
    """Peak of the signal reconstructed at 4x the sample rate (BS.1770 annex 2)."""
    from scipy.signal import resample_poly

    if len(samples) == 0:
        return -np.inf
    upsampled = resample_poly(samples, OVERSAMPLE, 1)
    peak = float(np.max(np.abs(upsampled)))
    return 20 * np.log10(peak) if peak > 0 else -np.inf


def oversampled_at(samples: FloatArray, indices: npt.NDArray[np.intp]) -> FloatArray:
    """The 4x reconstruction at ``indices``: row ``j`` holds the values at
    ``indices[j] + p/4`` for ``p`` in 0..3, exactly as ``resample_poly(samples, 4, 1)``
    has them (silence assumed beyond both ends)."""
    padded = np.pad(samples, _HALF)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * _HALF + 1)[indices]
    values: FloatArray = windows @ _phases()[0]
    return values


def _reach(magnitude: FloatArray) -> FloatArray:
    """The largest magnitude each reconstructed sample between ``n`` and ``n + 1`` draws on."""
    from scipy.ndimage import maximum_filter1d

    peaks: FloatArray = maximum_filter1d(magnitude, size=2 * _HALF + 1, mode="constant")
    return peaks


def limiter_gain(
    samples: FloatArray, gain: float, rate: int, ceiling_db: float
) -> FloatArray | None:
    """The smooth gain curve that keeps ``samples * gain`` under ``ceiling_db`` true peak;
    None when it would be 1 throughout.

    The needed gain is the ceiling over the 4x-reconstructed magnitude, worked
    out only where that magnitude could reach the ceiling (elsewhere it is 1).
    Its minimum over a window of twice the smoothing length, smoothed, is at or
    below the needed gain at every sample and has no clicks.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20)
    magnitude = np.abs(samples) * gain
    candidates = np.flatnonzero(_reach(magnitude) * oversampling_bound() > ceiling)
    if candidates.size == 0:
        return None
    envelope = np.max(np.abs(oversampled_at(samples, candidates)), axis=1) * gain
    needed = np.ones(len(samples))
    needed[candidates] = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
    window = max(1, int(rate * LIMITER_WINDOW_MS / 1000))
    curve: FloatArray = uniform_filter1d(minimum_filter1d(needed, size=2 * window + 1), size=window)
    return curve


def reblock(pieces: Iterable[FloatArray], size: int = BLOCK_SAMPLES) -> Iterator[FloatArray]:
    """The samples of ``pieces`` (any sizes) again, in blocks of exactly ``size`` but the last."""
    pending: list[FloatArray] = []
    held = 0
    for piece in pieces:
        while len(piece):
            take = min(size - held, len(piece))
            pending.append(piece[:take])
            held += take
            piece = piece[take:]
            if held == size:
                yield pending[0] if len(pending) == 1 else np.concatenate(pending)
                pending, held = [], 0
    if held:
        yield np.concatenate(pending)


def with_context(
    blocks: Iterable[FloatArray], margin: int = CONTEXT_SAMPLES
) -> Iterator[tuple[FloatArray, slice]]:
    """Each block with up to ``margin`` samples of its neighbours either side.

    Yields ``(extended, core)``: ``extended[core]`` is the block itself. At the
    start and end of the stream there is nothing to add, exactly as at the
    edges of a whole signal. Blocks must be at least ``margin`` long but the last.
    """
    previous: FloatArray | None = None
    current: FloatArray | None = None
    for block in blocks:
        if current is not None:
            yield _extend(previous, current, block, margin)
        previous, current = current, block
    if current is not None:
        yield _extend(previous, current, None, margin)


def _extend(
    before: FloatArray | None, block: FloatArray, after: FloatArray | None, margin: int
) -> tuple[FloatArray, slice]:
    head = before[-margin:] if before is not None else np.zeros(0)
    tail = after[:margin] if after is not None else np.zeros(0)
    return np.concatenate([head, block, tail]), slice(len(head), len(head) + len(block))


def gated_loudness(step_energy: FloatArray, samples: int, rate: int) -> float:
    """BS.1770 integrated loudness from the K-weighted energy of each 100 ms step.

    Gating blocks are four steps long and start every step, as pyloudnorm
    counts them; signals shorter than one block count as padded with silence.
    """
    samples = max(samples, int(GATE_BLOCK_S * rate) + 1)
    count = round((samples / rate - GATE_BLOCK_S) * STEPS_PER_SECOND) + 1
    needed = count + BINS_PER_GATE_BLOCK - 1
    if len(step_energy) < needed:
        step_energy = np.pad(step_energy, (0, needed - len(step_energy)))
    window = np.lib.stride_tricks.sliding_window_view(step_energy, BINS_PER_GATE_BLOCK)[:count]
    energy = window.sum(axis=1) / (GATE_BLOCK_S * rate)
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(energy)
    above = energy[levels >= ABSOLUTE_GATE_LUFS]
    if above.size == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(above.mean()) + RELATIVE_GATE_LU
    gated = energy[(levels > relative) & (levels > ABSOLUTE_GATE_LUFS)]
    if gated.size == 0:
        return float("-inf")
    return float(-0.691 + 10 * np.log10(gated.mean()))


def _step_end(index: int, rate: int) -> int:
    """Where 100 ms step ``index`` ends, in samples."""
    return (index + 1) * rate // STEPS_PER_SECOND


class KWeighting:
    """BS.1770's K-weighting filters (pyloudnorm's, so the meters agree), with their
    state carried from one call to the next."""

    def __init__(self, rate: int) -> None:
        from pyloudnorm.iirfilter import IIRfilter
        from scipy.signal import lfilter

        self._lfilter = lfilter
        self._filters = [
            (np.asarray(f.b, dtype=np.float64), np.asarray(f.a, dtype=np.float64), f.passband_gain)
            for f in (
                IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
                IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"),
            )
        ]
        self._states = [np.zeros(2) for _ in self._filters]

    def squares(self, samples: FloatArray) -> FloatArray:
        """The K-weighted samples, squared."""
        filtered = samples
        for n, (b, a, passband_gain) in enumerate(self._filters):
            filtered, self._states[n] = self._lfilter(b, a, filtered, zi=self._states[n])
            filtered = filtered * passband_gain
        squared: FloatArray = filtered * filtered
        return squared


class LoudnessMeter:
    """BS.1770-4 integrated loudness of a mono signal fed block by block, exactly.

    Only the energy of each 100 ms step is kept: 36,000 numbers for an hour.
    """

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.samples = 0
        self._weighting = KWeighting(rate)
        self._steps: list[float] = []
        self._partial = 0.0

    def add(self, samples: FloatArray) -> None:
        squares = self._weighting.squares(samples)
        start, offset = self.samples, 0
        while offset < len(squares):
            end = _step_end(len(self._steps), self.rate)
            take = min(len(squares) - offset, end - (start + offset))
            self._partial += float(np.sum(squares[offset : offset + take]))
            offset += take
            if start + offset == end:
                self._steps.append(self._partial)
                self._partial = 0.0
        self.samples += len(samples)

    def loudness(self) -> float:
        """The integrated loudness in LUFS so far; ``-inf`` for silence."""
        steps = np.array([*self._steps, self._partial], dtype=np.float64)
        return gated_loudness(steps, self.samples, self.rate)


@dataclass(frozen=True)
class Stats:
    """What the measuring pass keeps of a stream: its K-weighted energy per
    ``STATS_CHUNK`` samples, and the forecast histogram as (chunk, bucket, energy)
    entries, in compact types (a few bytes per entry, about three per chunk)."""

    samples: int
    energy: FloatArray
    chunks: npt.NDArray[np.int32]
    buckets: npt.NDArray[np.int8]
    weights: npt.NDArray[np.float32]

    def to_arrays(self) -> dict[str, Any]:
        return {
            "samples": np.array([self.samples]),
            "energy": self.energy,
            "chunks": self.chunks,
            "buckets": self.buckets,
            "weights": self.weights,
        }

    @classmethod
    def from_arrays(cls, arrays: Any) -> Stats:
        return cls(
            int(arrays["samples"][0]),
            np.asarray(arrays["energy"], dtype=np.float64),
            np.asarray(arrays["chunks"], dtype=np.int32),
            np.asarray(arrays["buckets"], dtype=np.int8),
            np.asarray(arrays["weights"], dtype=np.float32),
        )

    @classmethod
    def energy_only(cls, samples: int, energy: FloatArray) -> Stats:
        return cls(
            samples,
            energy,
            np.zeros(0, np.int32),
            np.zeros(0, np.int8),
            np.zeros(0, np.float32),
        )


class Analyzer:
    """The measuring pass over one stream, fed as ``with_context`` blocks.

    Blocks must start on ``FORECAST_CHUNK`` boundaries (``BLOCK_SAMPLES`` do).
    With ``histogram=False`` only the energy is kept (to measure an output).
    """

    def __init__(self, rate: int, histogram: bool = True) -> None:
        self.rate = rate
        self.samples = 0
        self._weighting = KWeighting(rate)
        self._histogram = histogram
        self._energy: list[FloatArray] = []
        self._partial = 0.0
        window = max(1, int(rate * LIMITER_WINDOW_MS / 1000))
        # Chunks either side whose peaks count as nearby: the limiter's reach.
        self._reach = max(1, round(window / FORECAST_CHUNK))
        # Chunks waiting for their right neighbours' peaks, and the last settled peaks.
        self._pending_start = 0
        self._peaks = np.zeros(0)
        self._weights = np.zeros(0)
        self._left = np.zeros(self._reach)
        self._entries: list[tuple[IntArray, IntArray, FloatArray]] = []

    def add(self, extended: FloatArray, core: slice) -> None:
        samples = extended[core]
        if not len(samples):
            return
        squares = self._weighting.squares(samples)
        self._add_energy(squares)
        if self._histogram:
            self._add_peaks(extended, core, squares)
        self.samples += len(samples)

    def _add_energy(self, squares: FloatArray) -> None:
        into = self.samples % STATS_CHUNK
        head = min(len(squares), STATS_CHUNK - into) if into else 0
        self._partial += float(np.sum(squares[:head]))
        rest = squares[head:]
        if into and into + head == STATS_CHUNK:
            self._energy.append(np.array([self._partial]))
            self._partial = 0.0
        whole = len(rest) // STATS_CHUNK * STATS_CHUNK
        if whole:
            self._energy.append(rest[:whole].reshape(-1, STATS_CHUNK).sum(axis=1))
        self._partial += float(np.sum(rest[whole:]))

    def _add_peaks(self, extended: FloatArray, core: slice, squares: FloatArray) -> None:
        samples = extended[core]
        magnitude = np.abs(samples)
        edges = np.arange(0, len(samples), FORECAST_CHUNK)
        peaks = np.maximum.reduceat(magnitude, edges)
        # Between samples the waveform can rise above them, most likely beside
        # each chunk's largest sample: reconstruct there (about 3 % of samples).
        full = len(samples) // FORECAST_CHUNK
        loudest = magnitude[: full * FORECAST_CHUNK].reshape(full, FORECAST_CHUNK).argmax(axis=1)
        spots = [edges[:full] + loudest]
        if full < len(edges):
            spots.append(np.array([edges[-1] + int(np.argmax(magnitude[edges[-1] :]))]))
        at = np.concatenate(spots)
        around = np.concatenate([at, np.maximum(at - 1, 0)]) + core.start
        between = np.abs(oversampled_at(extended, around)).max(axis=1)
        peaks = np.maximum(peaks, np.maximum(between[: len(at)], between[len(at) :]))
        self._peaks = np.concatenate([self._peaks, peaks])
        self._weights = np.concatenate([self._weights, np.add.reduceat(squares, edges)])
        ready = len(self._peaks) - self._reach
        if ready > 0:
            self._settle(ready, self._peaks[ready:])

    def _settle(self, count: int, right: FloatArray) -> None:
        """File the first ``count`` pending chunks in the histogram, ``right`` after them."""
        from scipy.ndimage import maximum_filter1d

        peaks, weights = self._peaks[:count], self._weights[:count]
        padded = np.concatenate([self._left, peaks, right, np.zeros(self._reach - len(right))])
        around = maximum_filter1d(padded, size=2 * self._reach + 1)
        around = around[self._reach : self._reach + count]
        with np.errstate(divide="ignore"):
            level = 20 * np.log10(np.maximum(around, 1e-12))
        buckets = np.clip(np.floor(level) - FORECAST_FLOOR_DB + 1, 0, FORECAST_BUCKETS - 1)
        firsts = self._pending_start + FORECAST_CHUNK * np.arange(count)
        chunks = firsts // STATS_CHUNK
        flat = (chunks - chunks[0]) * FORECAST_BUCKETS + buckets.astype(np.int64)
        sums = np.bincount(flat, weights=weights)
        nonzero = np.flatnonzero(sums).astype(np.int64)
        entry_chunks: IntArray = int(chunks[0]) + nonzero // FORECAST_BUCKETS
        entry_buckets: IntArray = nonzero % FORECAST_BUCKETS
        entry_weights: FloatArray = np.asarray(sums[nonzero], dtype=np.float64)
        self._entries.append((entry_chunks, entry_buckets, entry_weights))
        self._left = np.concatenate([self._left, peaks])[-self._reach :]
        self._peaks, self._weights = self._peaks[count:], self._weights[count:]
        self._pending_start += FORECAST_CHUNK * count

    def finish(self) -> Stats:
        if self._histogram and len(self._peaks):
            self._settle(len(self._peaks), np.zeros(0))
        energy = self._energy + ([np.array([self._partial])] if self.samples % STATS_CHUNK else [])
        empty: tuple[IntArray, IntArray, FloatArray] = (
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            np.zeros(0),
        )
        entries = self._entries or [empty]
        return Stats(
            self.samples,
            np.concatenate(energy) if energy else np.zeros(0),
            np.concatenate([e[0] for e in entries]).astype(np.int32),
            np.concatenate([e[1] for e in entries]).astype(np.int8),
            np.concatenate([e[2] for e in entries]).astype(np.float32),
        )


class Forecast:
    """Loudness of an episode from the ``Stats`` of its parts, and forecast after
    any gain and limiter ceiling.

    Each part is placed at its first sample's place in the episode. Its chunk
    energies are spread over the 100 ms steps they overlap, evenly within a
    chunk, which is what makes the result approximate: within a few thousandths
    of a LU of measuring the whole signal. The histogram (41 numbers a step,
    6 MB for an hour) says how the energy spreads over the level of the peaks
    near it; a forecast turns each bit of energy down by what its nearby peak
    needs, which is close to, not exactly, what the limiter does.
    """

    def __init__(self, rate: int, samples: int = 0) -> None:
        """``samples``, when known, sizes the arrays once for an episode that long."""
        self.rate = rate
        self.samples = 0
        self._steps = np.zeros(samples * STEPS_PER_SECOND // rate + 1)
        self._histogram: npt.NDArray[np.float32] | None = None  # made for the first histogram

    def _grow(self, steps: int, histogram: bool) -> None:
        if steps > len(self._steps):
            size = max(steps, 2 * len(self._steps))
            self._steps = np.concatenate([self._steps, np.zeros(size - len(self._steps))])
        if histogram and (self._histogram is None or len(self._histogram) < len(self._steps)):
            grown = np.zeros((len(self._steps), FORECAST_BUCKETS), dtype=np.float32)
            if self._histogram is not None:
                grown[: len(self._histogram)] = self._histogram
            self._histogram = grown

    def place(self, stats: Stats, offset: int) -> None:
        """Add a part whose first sample is sample ``offset`` of the episode."""
        end = offset + stats.samples
        self.samples = max(self.samples, end)
        if not stats.samples:
            return
        first, last = (
            offset * STEPS_PER_SECOND // self.rate,
            (end - 1) * STEPS_PER_SECOND // self.rate,
        )
        self._grow(last + 1, histogram=len(stats.chunks) > 0)
        edges = np.minimum(offset + STATS_CHUNK * np.arange(len(stats.energy) + 1), end)
        cumulative = np.concatenate([[0.0], np.cumsum(stats.energy)])
        bounds = np.clip(np.arange(first, last + 2) * self.rate // STEPS_PER_SECOND, offset, end)
        at = np.interp(bounds, edges, cumulative)
        self._steps[first : last + 1] += np.diff(at)
        if len(stats.chunks) and self._histogram is not None:
            middles = offset + STATS_CHUNK * stats.chunks.astype(np.int64) + STATS_CHUNK // 2
            steps = np.minimum(middles, end - 1) * STEPS_PER_SECOND // self.rate
            np.add.at(self._histogram, (steps, stats.buckets), stats.weights)

    def loudness(self) -> float:
        return gated_loudness(self._steps, self.samples, self.rate)

    def forecast(self, gain_db: float, ceiling_db: float) -> float:
        """The loudness after ``gain_db`` and a limiter holding peaks to ``ceiling_db``."""
        levels = np.arange(FORECAST_BUCKETS) + FORECAST_FLOOR_DB - 0.5
        kept = np.minimum(1.0, 10 ** ((ceiling_db - gain_db - levels) / 20)) ** 2
        lost = np.zeros(len(self._steps))
        if self._histogram is not None:
            lost = (self._histogram @ (1.0 - kept).astype(np.float32)).astype(np.float64)
        after = np.maximum(self._steps - lost, 0.0) * 10 ** (gain_db / 10)
        return gated_loudness(after, self.samples, self.rate)

    def gain_for(self, target: float, ceiling_db: float, offset: float = 0.0) -> float:
        """The gain (dB) whose forecast, plus ``offset``, is ``target``: found by bisection.

        The forecast grows with the gain, and limiting only takes loudness
        away, so the answer is at least the plain gain to the target.
        """
        low = target - offset - self.loudness()
        while self.forecast(low, ceiling_db) + offset > target and low > -200:
            low -= 10.0  # an offset can place the answer under the plain gain
        high = low + 40.0
        if self.forecast(high, ceiling_db) + offset < target:
            return high
        for _ in range(40):
            middle = (low + high) / 2
            if self.forecast(middle, ceiling_db) + offset < target:
                low = middle
            else:
                high = middle
            if high - low < 0.005:
                break
        return (low + high) / 2


class TruePeakMeter:
    """The true peak (4x oversampled) of a signal fed as ``with_context`` blocks.

    Only samples within reach of a magnitude that could beat the peak found so
    far are reconstructed (see ``oversampling_bound``); the answer is the same
    as oversampling everything.
    """

    def __init__(self) -> None:
        self.peak = 0.0

    def add(self, extended: FloatArray, core: slice) -> None:
        magnitude = np.abs(extended)
        self.peak = max(self.peak, float(np.max(magnitude[core], initial=0.0)))
        reach = _reach(magnitude)[core]
        candidates = np.flatnonzero(reach * oversampling_bound() > self.peak) + core.start
        if candidates.size:
            values = oversampled_at(extended, candidates)
            self.peak = max(self.peak, float(np.max(np.abs(values))))

    def dbtp(self) -> float:
        return dbtp(self.peak)


def dbtp(peak: float) -> float:
    return 20 * float(np.log10(peak)) if peak > 0 else float("-inf")


def limit(
    blocks: Iterable[FloatArray], rate: int, gain_db: float, ceiling_db: float
) -> Iterator[tuple[FloatArray, slice]]:
    """The blocks amplified by ``gain_db``, with the look-ahead limiter holding true
    peaks to ``ceiling_db``; yielded with context, as ``with_context`` does."""
    gain = 10 ** (gain_db / 20)
    for extended, core in with_context(blocks):
        curve = limiter_gain(extended, gain, rate, ceiling_db)
        amplified = extended * gain
        if curve is not None:
            amplified *= curve
        yield amplified, core


def analyze(blocks: Iterable[FloatArray], rate: int) -> Stats:
    """The measuring pass over a stream of ``BLOCK_SAMPLES`` blocks."""
    analyzer = Analyzer(rate)
    for extended, core in with_context(blocks):
        analyzer.add(extended, core)
    return analyzer.finish()


def first_gain(
    forecast: Forecast, target_lufs: float = TARGET_LUFS, max_true_peak: float = MAX_TRUE_PEAK_DBTP
) -> tuple[float, float]:
    """The gain and limiter ceiling (dB) the forecast says reach ``target_lufs``.

    Raises ``AudioFailed`` for silence.
    """
    loudness = forecast.loudness()
    if not np.isfinite(loudness) or loudness < SILENCE_LUFS:
        raise AudioFailed("the narration is silent: the engine produced no audible speech")
    limit_db = max_true_peak - ENCODER_HEADROOM_DB - LIMITER_MARGIN_DB
    return forecast.gain_for(target_lufs, limit_db), limit_db


def next_gain(
    forecast: Forecast,
    gain_db: float,
    limit_db: float,
    loudness: float,
    peak_dbtp: float,
    target_lufs: float = TARGET_LUFS,
    max_true_peak: float = MAX_TRUE_PEAK_DBTP,
) -> tuple[float, float] | None:
    """After a pass at ``gain_db``/``limit_db`` that measured ``loudness`` and
    ``peak_dbtp``: None when it hit the target, else the gain and ceiling to try next."""
    ceiling = max_true_peak - ENCODER_HEADROOM_DB
    if abs(loudness - target_lufs) <= LOUDNESS_TOLERANCE_LU and peak_dbtp <= ceiling:
        return None
    miss = loudness - forecast.forecast(gain_db, limit_db)
    if peak_dbtp > ceiling:
        limit_db -= peak_dbtp - ceiling + 0.1
    return forecast.gain_for(target_lufs, limit_db, miss), limit_db


class Sink(Protocol):
    """Where normalized blocks go; a pass that misses the target starts it again."""

    def begin(self) -> None: ...

    def write(self, block: FloatArray) -> None: ...

    def end(self) -> None: ...


def normalize_stream(
    source: Callable[[], Iterable[FloatArray]],
    rate: int,
    sink: Sink,
    target_lufs: float = TARGET_LUFS,
    max_true_peak: float = MAX_TRUE_PEAK_DBTP,
) -> tuple[float, float]:
    """Write the audio ``source()`` streams to ``sink`` at ``target_lufs`` with true
    peaks at most ``max_true_peak`` less the encoder's headroom.

    ``source`` is called once per pass and must give the same samples each
    time, in blocks of ``BLOCK_SAMPLES`` (but the last). Returns the loudness
    and true peak of what the sink received. Raises ``AudioFailed`` for silence.
    """
    forecast = Forecast(rate)
    forecast.place(analyze(source(), rate), 0)
    gain_db, limit_db = first_gain(forecast, target_lufs, max_true_peak)
    loudness = peak = float("nan")
    for _ in range(MAX_PASSES):
        meter, peaks = LoudnessMeter(rate), TruePeakMeter()
        sink.begin()
        for extended, core in limit(source(), rate, gain_db, limit_db):
            block = extended[core]
            meter.add(block)
            peaks.add(extended, core)
            sink.write(block)
        sink.end()
        loudness, peak = meter.loudness(), peaks.dbtp()
        following = next_gain(
            forecast, gain_db, limit_db, loudness, peak, target_lufs, max_true_peak
        )
        if following is None:
            break
        gain_db, limit_db = following
    return loudness, peak


class _Collect:
    def __init__(self) -> None:
        self.blocks: list[FloatArray] = []

    def begin(self) -> None:
        self.blocks = []

    def write(self, block: FloatArray) -> None:
        self.blocks.append(block)

    def end(self) -> None:
        return None


def normalize_loudness(
    samples: FloatArray,
    rate: int,
    target_lufs: float = TARGET_LUFS,
    max_true_peak: float = MAX_TRUE_PEAK_DBTP,
) -> tuple[FloatArray, float, float]:
    """``normalize_stream`` for a signal already in memory: returns the samples at
    ``target_lufs`` with true peak at most ``max_true_peak``, their loudness and true peak.
    """
    sink = _Collect()
    loudness, peak = normalize_stream(
        lambda: reblock([samples]), rate, sink, target_lufs, max_true_peak
    )
    out = np.concatenate(sink.blocks) if sink.blocks else np.zeros(0)
    return out, loudness, peak
