"""Intro and outro music beds, ducked under the voice (pydub does the mixing).

The intro plays alone for a moment, then dips under the first words; the
outro rises from under the last words and fades out. Both are trimmed and
faded so a long track never swamps a short episode. Only the beds are shaped
here (they are short); ``stitch`` mixes them into the episode as it streams.
"""

from __future__ import annotations

import warnings

# pydub looks for an ffmpeg binary when it is imported and warns when there is none.
# It is only asked to mix PCM in memory here, which needs no ffmpeg: a warning on
# every build would read as a broken install.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Couldn't find ffmpeg or avconv", RuntimeWarning)
    warnings.filterwarnings("ignore", "Couldn't find ffprobe or avprobe", RuntimeWarning)
    from pydub import AudioSegment

from audiogen.models import Audio

DUCK_DB = -18.0  # music level under speech: clearly there, never competing
INTRO_LEAD_MS = 3000  # music alone before the first words
OUTRO_OVERLAP_MS = 1500  # music starts this long before the last words end
DUCK_FADE_MS = 600
MAX_BED_MS = 20_000
FADE_OUT_MS = 2500


def segment(audio: Audio) -> AudioSegment:
    return AudioSegment(data=audio.pcm, sample_width=2, frame_rate=audio.sample_rate, channels=1)


def to_audio(seg: AudioSegment) -> Audio:
    return Audio(bytes(seg.raw_data), int(seg.frame_rate))


def _bed(music: AudioSegment) -> AudioSegment:
    music = music[:MAX_BED_MS]
    return music.fade_out(min(FADE_OUT_MS, len(music) // 2))


def intro_bed(music: Audio) -> tuple[Audio, int]:
    """The intro bed, trimmed, faded out and ducked where the voice comes in.

    Returns the bed and how long it plays alone before the first words, in
    milliseconds. The bed starts at 0:00; the voice starts after the lead.
    """
    bed = _bed(segment(music))
    lead = min(INTRO_LEAD_MS, len(bed))
    bed = bed.fade(to_gain=DUCK_DB, start=max(0, lead - DUCK_FADE_MS), end=lead)
    return to_audio(bed), lead


def outro_bed(music: Audio, voice_ms: int) -> tuple[Audio, int]:
    """The outro bed for ``voice_ms`` of voice: ducked under the last words, then rising.

    Returns the bed and how far it overlaps the end of the voice, in
    milliseconds: the bed starts that long before the voice ends.
    """
    bed = _bed(segment(music))
    overlap = min(OUTRO_OVERLAP_MS, voice_ms, len(bed))
    bed = bed.fade(from_gain=DUCK_DB, to_gain=0, start=overlap, duration=DUCK_FADE_MS)
    return to_audio(bed), overlap
