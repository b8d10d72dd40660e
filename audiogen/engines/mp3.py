"""Decode the MP3 that network engines answer with to PCM, in-process (miniaudio, no ffmpeg).

Their audio is decoded here and joined as PCM, then encoded once at the end:
MP3s are never concatenated as bytes.
"""

from __future__ import annotations

import numpy as np

from audiogen.errors import AudioFailed
from audiogen.models import Audio

# Every MP3 decoder's output lags the encoder's input by 529 samples (the
# synthesis filterbank's delay), before any delay the encoder itself adds.
# miniaudio does not drop them, so we do: they hold no signal.
DECODER_DELAY = 529


def decode_mp3(data: bytes) -> Audio:
    """Decode a whole MP3 to mono 16-bit PCM at the file's own sample rate.

    Stereo is mixed down by averaging the channels. The decoder's fixed
    529-sample delay is trimmed from the start; the encoder's own delay and
    the padding of the last frame (together about 25-40 ms with LAME) stay,
    since a stream without a LAME/Xing tag does not say how long they are.

    Raises ``AudioFailed`` if ``data`` is not MP3 or holds no audio.
    """
    import miniaudio

    try:
        decoded = miniaudio.mp3_read_s16(data)
    except miniaudio.DecodeError as exc:
        raise AudioFailed(f"cannot decode MP3 data ({len(data)} bytes): {exc}") from exc
    channels = int(decoded.nchannels)
    samples = np.frombuffer(decoded.samples, dtype=np.int16)
    if channels > 1:
        frames = samples[: len(samples) - len(samples) % channels].reshape(-1, channels)
        samples = np.round(frames.astype(np.int32).mean(axis=1)).astype(np.int16)
    samples = samples[DECODER_DELAY:]
    if samples.size == 0:
        raise AudioFailed(f"MP3 data ({len(data)} bytes) holds no audio")
    return Audio(pcm=samples.astype("<i2").tobytes(), sample_rate=int(decoded.sample_rate))
