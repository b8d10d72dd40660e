"""Encode PCM to a constant-bitrate MP3 in process (LAME through lameenc).

CBR, never VBR: players estimate positions in VBR files from an average and
land seconds away from chapter starts and transcript cues.
"""

from __future__ import annotations

import lameenc

from audiogen.errors import AudioFailed

DEFAULT_BITRATE = 96
BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
# LAME's quality knob: 2 is "high quality, slower" and still far faster than speech synthesis.
ENCODER_QUALITY = 2


def encode_mp3(pcm: bytes, sample_rate: int, bitrate: int = DEFAULT_BITRATE) -> bytes:
    """Mono 16-bit PCM in, CBR MPEG-1 Layer III out."""
    if bitrate not in BITRATES:
        raise AudioFailed(f"unsupported MP3 bitrate {bitrate} kbit/s (choose one of {BITRATES})")
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(ENCODER_QUALITY)
    try:
        data = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
    except Exception as exc:  # lameenc raises plain RuntimeError
        raise AudioFailed(f"MP3 encoding failed: {exc}") from exc
    if not data:
        raise AudioFailed("MP3 encoding produced no data")
    return data
