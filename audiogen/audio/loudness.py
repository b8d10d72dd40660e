"""Loudness normalization to a podcast target (ITU-R BS.1770 via pyloudnorm).

Apple's published target for spoken word is -16 LUFS integrated with true
peaks no higher than -1 dBTP. Gain alone cannot meet both on peaky speech, so
a look-ahead limiter holds the true peak down and the gain is settled again.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from audiogen.errors import AudioFailed

FloatArray = npt.NDArray[np.float64]

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


def integrated_loudness(samples: FloatArray, rate: int) -> float:
    meter = pyloudnorm.Meter(rate)
    # pyloudnorm needs at least one 400 ms gating block.
    if len(samples) < int(0.4 * rate) + 1:
        samples = np.pad(samples, (0, int(0.4 * rate) + 1 - len(samples)))
    return float(meter.integrated_loudness(samples))


def true_peak_dbtp(samples: FloatArray) -> float:
    """Peak of the signal reconstructed at 4x the sample rate (BS.1770 annex 2)."""
    if len(samples) == 0:
        return -np.inf
    upsampled = resample_poly(samples, OVERSAMPLE, 1)
    peak = float(np.max(np.abs(upsampled)))
    return 20 * np.log10(peak) if peak > 0 else -np.inf


def peak_envelope(samples: FloatArray) -> FloatArray:
    """Per-sample magnitude of the signal reconstructed at 4x, so intersample peaks count."""
    upsampled: FloatArray = np.abs(resample_poly(samples, OVERSAMPLE, 1))
    envelope: FloatArray = upsampled[::OVERSAMPLE].copy()
    for phase in range(1, OVERSAMPLE):
        np.maximum(envelope, upsampled[phase::OVERSAMPLE], out=envelope)
    return envelope


def limiter_gain(envelope: FloatArray, rate: int, ceiling_db: float) -> FloatArray:
    """A smooth gain curve that keeps ``envelope`` at or under ``ceiling_db``.

    The curve is the minimum over a window of twice the smoothing length, then
    smoothed, so it is at or below the needed gain at every sample and has no
    clicks.
    """
    ceiling = 10 ** (ceiling_db / 20)
    needed = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
    window = max(1, int(rate * LIMITER_WINDOW_MS / 1000))
    gain: FloatArray = uniform_filter1d(minimum_filter1d(needed, size=2 * window + 1), size=window)
    return gain


def normalize_loudness(
    samples: FloatArray,
    rate: int,
    target_lufs: float = TARGET_LUFS,
    max_true_peak: float = MAX_TRUE_PEAK_DBTP,
) -> tuple[FloatArray, float, float]:
    """Return the samples at ``target_lufs`` with true peak at most ``max_true_peak``.

    Also returns the measured loudness and true peak after processing. The
    peak envelope scales with gain, so it is measured once and each attempt
    at a gain only recomputes the limiter curve and the loudness.
    """
    loudness = integrated_loudness(samples, rate)
    if not np.isfinite(loudness) or loudness < SILENCE_LUFS:
        raise AudioFailed("the narration is silent: the engine produced no audible speech")
    ceiling = max_true_peak - ENCODER_HEADROOM_DB
    envelope = peak_envelope(samples)
    gain_db = target_lufs - loudness
    out = samples
    for _ in range(12):
        gain = 10 ** (gain_db / 20)
        out = samples * gain * limiter_gain(envelope * gain, rate, ceiling - LIMITER_MARGIN_DB)
        loudness = integrated_loudness(out, rate)
        if abs(loudness - target_lufs) < 0.1:
            break
        gain_db += target_lufs - loudness
    peak = true_peak_dbtp(out)
    if peak > ceiling:
        out = out * 10 ** ((ceiling - peak) / 20)
        loudness, peak = integrated_loudness(out, rate), true_peak_dbtp(out)
    return out, loudness, peak
