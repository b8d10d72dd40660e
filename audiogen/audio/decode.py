"""Decode music files to PCM in-process, with miniaudio (no ffmpeg)."""

from __future__ import annotations

from pathlib import Path

from audiogen.errors import AudioFailed
from audiogen.models import Audio


def decode_file(path: Path, sample_rate: int) -> Audio:
    """Decode a music file (MP3, WAV, FLAC or Ogg Vorbis) to mono PCM at ``sample_rate``."""
    import miniaudio

    try:
        decoded = miniaudio.decode_file(
            str(path),
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=1,
            sample_rate=sample_rate,
        )
    except (miniaudio.DecodeError, OSError) as exc:
        raise AudioFailed(
            f"cannot decode {path}: use an MP3, WAV, FLAC or Ogg Vorbis file ({exc})"
        ) from exc
    if not decoded.samples:
        raise AudioFailed(f"{path} holds no audio")
    return Audio(bytes(decoded.samples), sample_rate)
