"""Intro and outro music beds, ducked under the voice (pydub does the mixing).

The intro plays alone for a moment, then dips under the first words; the
outro rises from under the last words and fades out. Both are trimmed and
faded so a long track never swamps a short episode.
"""

from __future__ import annotations

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


def add_intro_music(speech: Audio, music: Audio) -> tuple[Audio, int]:
    """Mix ``music`` in before and under the start of ``speech``.

    Returns the mix and how far the speech moved later, in milliseconds.
    """
    voice, bed = segment(speech), _bed(segment(music))
    lead = min(INTRO_LEAD_MS, len(bed))
    bed = bed.fade(to_gain=DUCK_DB, start=max(0, lead - DUCK_FADE_MS), end=lead)
    total = max(len(bed), lead + len(voice))
    base = bed + AudioSegment.silent(duration=total - len(bed), frame_rate=speech.sample_rate)
    mixed = base.overlay(voice, position=lead)
    return to_audio(mixed), lead


def add_outro_music(speech: Audio, music: Audio) -> Audio:
    """Mix ``music`` in under the end of ``speech`` and let it play out after."""
    voice, bed = segment(speech), _bed(segment(music))
    overlap = min(OUTRO_OVERLAP_MS, len(voice), len(bed))
    bed = bed.fade(from_gain=DUCK_DB, to_gain=0, start=overlap, duration=DUCK_FADE_MS)
    start = len(voice) - overlap
    total = max(len(voice), start + len(bed))
    base = voice + AudioSegment.silent(duration=total - len(voice), frame_rate=speech.sample_rate)
    return to_audio(base.overlay(bed, position=start))
