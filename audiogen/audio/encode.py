"""Encode PCM to a constant-bitrate MP3 in process (LAME through lameenc).

CBR, never VBR: players estimate positions in VBR files from an average and
land seconds away from chapter starts and transcript cues.

``Mp3Writer`` encodes chunk by chunk straight into a file, so a stream of
any length is encoded without being held in memory, as PCM or as MP3;
``StreamEncoder`` feeds one PCM stream to several files, each a sample range
of it. Episodes are encoded in segments (``encode_segment``) whose frames
join seamlessly; see ``audiogen.audio.render``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

import lameenc

from audiogen.errors import AudioFailed

DEFAULT_BITRATE = 96
BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
# LAME's quality knob (0 best and slowest .. 9). Speech at 96 kbit/s mono gains nothing
# audible from the slow settings: a hibari reading of the seed (208 s) encoded at 2, 5
# and 7 and decoded scored Distill-MOS 4.71, 4.72 and 4.73 and the same Whisper round
# trip, while 5 encodes three times faster than 2 (100x against 35x real time on one
# core). With a voice as fast as hibari the encoder is most of a build's time.
ENCODER_QUALITY = 5
FRAME_SAMPLES = 1152  # an MPEG-1 Layer III frame
# How many samples later than its input a decoded MP3 plays, when nothing trims the
# delay: LAME's encoder delay (576) plus the decoder's synthesis filterbank (529).
CODEC_DELAY = 576 + 529


def _encoder(sample_rate: int, bitrate: int) -> Any:
    if bitrate not in BITRATES:
        raise AudioFailed(f"unsupported MP3 bitrate {bitrate} kbit/s (choose one of {BITRATES})")
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(ENCODER_QUALITY)
    return encoder


def encode_mp3(pcm: bytes, sample_rate: int, bitrate: int = DEFAULT_BITRATE) -> bytes:
    """Mono 16-bit PCM in, CBR MPEG-1 Layer III out."""
    encoder = _encoder(sample_rate, bitrate)
    try:
        data = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
    except Exception as exc:  # lameenc raises plain RuntimeError
        raise AudioFailed(f"MP3 encoding failed: {exc}") from exc
    if not data:
        raise AudioFailed("MP3 encoding produced no data")
    return data


def frame_offsets(data: bytes) -> list[int]:
    """Where each frame of a CBR MPEG-1 Layer III stream starts, and where the last ends.

    Raises ``AudioFailed`` if ``data`` is not a run of such frames (no tags).
    """
    offsets, position = [], 0
    while position < len(data):
        if position + 4 > len(data):
            raise AudioFailed(f"MP3 data ends inside a frame header at byte {position}")
        header = int.from_bytes(data[position : position + 4], "big")
        sync, version, layer = header >> 21, (header >> 19) & 3, (header >> 17) & 3
        bitrate_index, rate_index = (header >> 12) & 15, (header >> 10) & 3
        if sync != 0x7FF or version != 3 or layer != 1 or not 0 < bitrate_index < 15:
            raise AudioFailed(f"no MPEG-1 Layer III frame at byte {position}")
        kbps = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)[bitrate_index]
        rate = (44_100, 48_000, 32_000, 0)[rate_index]
        if not rate:
            raise AudioFailed(f"bad sample rate in the MP3 frame at byte {position}")
        offsets.append(position)
        position += 144 * kbps * 1000 // rate + ((header >> 9) & 1)
    if position != len(data):
        raise AudioFailed("MP3 data ends inside a frame")
    offsets.append(position)
    return offsets


def encode_segment(pcm: bytes, sample_rate: int, bitrate: int, frames: int | None) -> bytes:
    """Encode one segment of an episode on its own, keeping its first ``frames`` frames
    (all of them for None).

    Segments encoded apart join without a gap or a glitch when each one but
    the last is cut where the decoded audio of the next one begins: after
    ``(samples + CODEC_DELAY) / FRAME_SAMPLES`` frames, in silence. A frame's
    data never lives in a later frame (the bit reservoir only reaches back),
    so the frames kept decode the same without the ones dropped.
    """
    data = encode_mp3(pcm, sample_rate, bitrate)
    if frames is None:
        return data
    offsets = frame_offsets(data)
    if len(offsets) - 1 < frames:
        raise AudioFailed(f"the encoder made {len(offsets) - 1} frames, {frames} were needed")
    return data[: offsets[frames]]


class Mp3Writer:
    """Encode mono 16-bit PCM, written in pieces, into the MP3 file at ``path``.

    The file is created (or emptied) on opening and complete only after
    ``close``; write it under a temporary name and rename it into place.
    """

    def __init__(self, path: Path, sample_rate: int, bitrate: int = DEFAULT_BITRATE) -> None:
        self.path = path
        self._encoder = _encoder(sample_rate, bitrate)
        self.size = 0
        try:
            self._file: BinaryIO = path.open("wb")
        except OSError as exc:
            raise AudioFailed(f"cannot write {path}: {exc.strerror or exc}") from exc

    def _put(self, data: bytes) -> None:
        try:
            self._file.write(data)
        except OSError as exc:
            raise AudioFailed(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self.size += len(data)

    def write(self, pcm: bytes) -> None:
        try:
            data = bytes(self._encoder.encode(pcm))
        except Exception as exc:  # lameenc raises plain RuntimeError
            raise AudioFailed(f"MP3 encoding failed: {exc}") from exc
        self._put(data)

    def close(self) -> None:
        """Flush the encoder and close the file; idempotent."""
        if self._file.closed:
            return
        try:
            self._put(bytes(self._encoder.flush()))
        except Exception as exc:
            self._file.close()
            if isinstance(exc, AudioFailed):
                raise
            raise AudioFailed(f"MP3 encoding failed: {exc}") from exc
        self._file.close()
        if self.size == 0:
            raise AudioFailed("MP3 encoding produced no data")

    def __enter__(self) -> Mp3Writer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self._file.close()


@dataclass(frozen=True)
class Target:
    """A file to encode part of a PCM stream into: samples ``first`` up to ``end``."""

    path: Path
    first: int = 0
    end: int | None = None  # None: to the end of the stream


class StreamEncoder:
    """Encode one mono 16-bit PCM stream, written in pieces, into each target's range."""

    def __init__(self, targets: Sequence[Target], sample_rate: int, bitrate: int) -> None:
        self._targets = list(targets)
        self._writers: list[Mp3Writer] = []
        try:
            for target in self._targets:
                self._writers.append(Mp3Writer(target.path, sample_rate, bitrate))
        except BaseException:
            self.abort()
            raise
        self._position = 0

    def write(self, pcm: bytes) -> None:
        start, end = self._position, self._position + len(pcm) // 2
        for writer, target in zip(self._writers, self._targets, strict=True):
            lo = max(start, target.first)
            hi = end if target.end is None else min(end, target.end)
            if lo < hi:
                writer.write(pcm[2 * (lo - start) : 2 * (hi - start)])
        self._position = end

    def close(self) -> None:
        try:
            for writer in self._writers:
                writer.close()
        finally:
            self.abort()

    def abort(self) -> None:
        for writer in self._writers:
            writer.__exit__(AudioFailed, None, None)
