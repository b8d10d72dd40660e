"""Join spoken utterances into one narration with natural pauses.

Everything is resampled to the episode rate, then joined as PCM (never by
concatenating separately encoded sentences), so every utterance's start and
end in the finished audio is known to the sample.

The join is planned before any audio is touched: ``plan`` needs only each
utterance's length, so chapters and timings are known up front, and it cuts
the episode into segments that can be processed and encoded apart (see
``audiogen.audio.render``). ``stream`` then produces the samples of the
episode, or of one segment, in order, one utterance at a time, with the
music beds mixed in where they fall: nothing holds the whole episode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from math import gcd

import numpy as np
import numpy.typing as npt

from audiogen.audio.loudness import BLOCK_SAMPLES, reblock
from audiogen.audio.music import intro_bed, outro_bed
from audiogen.errors import AudioFailed
from audiogen.models import Audio, Chapter, Timing, Utterance, Word, WordTiming

EPISODE_RATE = 44_100

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Pauses:
    """Silences in milliseconds; longer between sections than between sentences."""

    lead_in: int = 300
    after_title: int = 900
    after_heading: int = 600
    between_sentences: int = 320
    between_parts: int = 120  # a quotation and its attribution: one sentence, two voices
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
        if line.runs_on:
            return self.between_parts
        if line.ends_section:
            return self.between_sections
        if line.ends_paragraph:
            return self.between_paragraphs
        return self.between_sentences


DEFAULT_PAUSES = Pauses()


@dataclass(frozen=True)
class Clip:
    """An utterance's audio, known by its length until ``read`` loads it."""

    utterance: Utterance
    sample_rate: int
    samples: int
    read: Callable[[], Audio] = field(compare=False)
    words: tuple[Word, ...] = ()  # the engine's word timings, in samples at ``sample_rate``


def resampled_length(samples: int, source_rate: int, rate: int) -> int:
    """How many samples ``resample_poly`` makes of ``samples`` at ``source_rate``
    when taking them to ``rate`` (it rounds up)."""
    common = gcd(source_rate, rate)
    up, down = rate // common, source_rate // common
    return -(-samples * up // down)


def to_float(audio: Audio, rate: int = EPISODE_RATE) -> FloatArray:
    """Mono float samples in [-1, 1] at ``rate``, resampled with a polyphase filter."""
    samples = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64) / 32768.0
    if audio.sample_rate != rate:
        from scipy.signal import resample_poly  # slow to import: only when audio is made

        common = gcd(audio.sample_rate, rate)
        samples = resample_poly(samples, rate // common, audio.sample_rate // common)
    return samples


def to_pcm(samples: FloatArray) -> bytes:
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2").tobytes()


@dataclass(frozen=True)
class Segment:
    """A stretch of the episode processed and encoded on its own.

    It starts at ``start``; after a cut the first ``lead`` samples are the
    silence the codec's delay will fill, and the ``samples`` after them are
    what it encodes. Segments cut only in pauses, with ``samples`` chosen so
    that each one but the last ends on an MP3 frame boundary.
    """

    start: int
    lead: int
    samples: int
    clips: tuple[int, ...]  # indices of the clips in it
    last: bool

    @property
    def fed_start(self) -> int:
        return self.start + self.lead

    @property
    def end(self) -> int:
        return self.start + self.lead + self.samples


@dataclass(frozen=True, eq=False)
class Layout:
    """Where everything goes in the episode, in samples at ``rate``."""

    rate: int
    length: int
    starts: tuple[int, ...]  # where each clip starts
    chapters: tuple[Chapter, ...]
    sentences: tuple[Timing, ...]
    segments: tuple[Segment, ...]
    chapter_starts: tuple[int, ...]  # the sample each chapter starts at (the first at 0)
    intro: Audio | None = None  # the shaped intro bed, from sample 0
    outro: Audio | None = None  # the shaped outro bed, from ``outro_start``
    outro_start: int = 0

    @property
    def duration_ms(self) -> int:
        return _ms(self.length, self.rate)


# Cut a long paragraph after this many sentences, so no segment grows without bound.
SENTENCES_PER_SEGMENT = 12


def _cuts_after(line: Utterance, run: int) -> bool:
    """Whether a segment may end after ``line``, the ``run``-th utterance since the last cut."""
    return line.ends_paragraph or line.kind in ("title", "intro") or run >= SENTENCES_PER_SEGMENT


def plan(
    clips: Sequence[Clip],
    chapter_titles: tuple[str, ...],
    pauses: Pauses = DEFAULT_PAUSES,
    rate: int = EPISODE_RATE,
    *,
    intro_music: Audio | None = None,
    outro_music: Audio | None = None,
    cut: tuple[int, int] | None = None,
) -> Layout:
    """Lay the clips out with pauses and music beds, from their lengths alone.

    ``chapter_titles[i]`` names the chapter of section ``i``. Music must be at
    ``rate``. The intro bed plays alone for a moment before the voice starts;
    the outro bed starts under the last words and may run past them.

    Without ``cut`` the episode is one segment and every pause is exactly
    as long as ``pauses`` says. With ``cut = (delay, frame)`` it is cut into
    segments after each paragraph (and the title, and every
    ``SENTENCES_PER_SEGMENT`` sentences of a long paragraph), outside the
    music: each segment but the last encodes a whole number of ``frame``
    samples less ``delay``, and the next one's first ``delay`` samples are
    silence. A pause at a cut is lengthened or shortened by at most half a
    frame (13 ms at 44.1 kHz) to make that so; the next segment then starts
    with the next utterance, so a segment's audio depends only on its own
    utterances, wherever an edit earlier in the article moves it.
    """
    limit = None  # where the outro bed starts: no cut may come after it
    for _ in range(8):
        layout = _place(clips, chapter_titles, pauses, rate, intro_music, outro_music, cut, limit)
        if layout.outro is None or all(seg.start <= layout.outro_start for seg in layout.segments):
            return layout
        limit = layout.outro_start if limit is None else min(limit, layout.outro_start)
    raise AudioFailed(f"cannot place the outro music in an episode of {len(clips)} utterances")


def _place(
    clips: Sequence[Clip],
    chapter_titles: tuple[str, ...],
    pauses: Pauses,
    rate: int,
    intro_music: Audio | None,
    outro_music: Audio | None,
    cut: tuple[int, int] | None,
    limit: int | None,
) -> Layout:
    intro, shift = None, 0  # shift: samples the speech moves later to make room for the intro
    if intro_music is not None:
        intro, lead_ms = intro_bed(intro_music)
        shift = rate * lead_ms // 1000
    intro_end = intro.samples if intro is not None else 0
    placer = _Placer(rate, pauses, cut, limit, intro_end, shift + rate * pauses.lead_in // 1000)
    for i, clip in enumerate(clips):
        placer.add(clip, last=i == len(clips) - 1)
    total = max(placer.position, intro_end)
    outro, outro_start = None, 0
    if outro_music is not None:
        outro, overlap_ms = outro_bed(outro_music, _ms(total, rate))
        outro_start = total - rate * overlap_ms // 1000
        total = max(total, outro_start + outro.samples)
    segments = placer.close(total)
    sentences = tuple(
        Timing(text, _ms(start, rate), _ms(end, rate), speaker, words)
        for text, start, end, speaker, words in placer.spans
    )
    chapters, chapter_starts = _chapters(placer.section_starts, chapter_titles, total, rate)
    return Layout(
        rate,
        total,
        tuple(placer.starts),
        chapters,
        sentences,
        segments,
        chapter_starts,
        intro,
        outro,
        outro_start,
    )


class _Placer:
    """Places clips one after another with their pauses, cutting segments where allowed."""

    def __init__(
        self,
        rate: int,
        pauses: Pauses,
        cut: tuple[int, int] | None,
        limit: int | None,
        intro_end: int,
        position: int,
    ) -> None:
        self.rate, self.pauses, self.cut, self.limit = rate, pauses, cut, limit
        self.intro_end, self.position = intro_end, position
        self.starts: list[int] = []
        self.spans: list[tuple[str, int, int, str, tuple[WordTiming, ...]]] = []
        self.section_starts: dict[int, int] = {}
        self.segments: list[Segment] = []
        self.seg_start, self.seg_lead, self.seg_clips = 0, 0, list[int]()

    def add(self, clip: Clip, last: bool) -> None:
        line = clip.utterance
        length = resampled_length(clip.samples, clip.sample_rate, self.rate)
        self.section_starts.setdefault(line.section, self.position)
        self.starts.append(self.position)
        self.seg_clips.append(len(self.starts) - 1)
        words = placed_words(clip, self.position, self.rate)
        self.spans.append(
            (line.written, self.position, self.position + length, line.speaker, words)
        )
        self.position += length
        pause = self.rate * self.pauses.after(line, last) // 1000
        if self.cut is None or last or not _cuts_after(line, len(self.seg_clips)):
            self.position += pause
            return
        delay, frame = self.cut
        fed = self.position + pause - delay - (self.seg_start + self.seg_lead)
        fed -= (fed + delay + frame // 2) % frame - frame // 2  # to the nearest frame boundary
        at = self.seg_start + self.seg_lead + fed
        if at < self.intro_end or (self.limit is not None and at + delay > self.limit):
            self.position += pause
            return
        self.segments.append(
            Segment(self.seg_start, self.seg_lead, fed, tuple(self.seg_clips), last=False)
        )
        self.seg_start, self.seg_lead, self.seg_clips = at, delay, []
        self.position = at + delay

    def close(self, total: int) -> tuple[Segment, ...]:
        length = total - self.seg_start - self.seg_lead
        last = Segment(self.seg_start, self.seg_lead, length, tuple(self.seg_clips), last=True)
        return (*self.segments, last)


def placed_words(clip: Clip, start: int, rate: int) -> tuple[WordTiming, ...]:
    """The clip's word timings in the episode, in milliseconds, for a clip that starts at
    sample ``start`` of an episode at ``rate`` (resampling stretches them with the audio).

    >>> clip = Clip(Utterance("a b", 0, "sentence"), 24_000, 48_000, list, (Word("a", 2400, 12000),))
    >>> placed_words(clip, 44_100, 44_100)
    (WordTiming(text='a', start_ms=1100, end_ms=1500),)
    """
    return tuple(
        WordTiming(
            word.text,
            _ms(start * clip.sample_rate + word.start * rate, rate * clip.sample_rate),
            _ms(start * clip.sample_rate + word.end * rate, rate * clip.sample_rate),
        )
        for word in clip.words
    )


def _chapters(
    section_starts: dict[int, int], titles: tuple[str, ...], total: int, rate: int
) -> tuple[tuple[Chapter, ...], tuple[int, ...]]:
    """Each section's chapter, and the chapters' first samples.

    The first chapter starts at zero, so a player at 0:00 (intro music
    included) is inside it.
    """
    first = sorted(section_starts.items())
    bounds = [(index, 0 if n == 0 else start) for n, (index, start) in enumerate(first)]
    chapters = tuple(
        Chapter(
            titles[index],
            _ms(start, rate),
            _ms(bounds[n + 1][1], rate) if n + 1 < len(bounds) else _ms(total, rate),
        )
        for n, (index, start) in enumerate(bounds)
    )
    return chapters, tuple(start for _, start in bounds)


def stream(
    layout: Layout,
    clips: Sequence[Clip],
    block: int = BLOCK_SAMPLES,
    segment: Segment | None = None,
) -> Iterator[FloatArray]:
    """The episode's samples in order (or those a ``segment`` encodes), in blocks of
    ``block`` samples (the last shorter)."""
    lo, hi = (0, layout.length) if segment is None else (segment.fed_start, segment.end)
    indices = range(len(clips)) if segment is None else segment.clips
    placed = [(layout.starts[n] - lo, clips[n]) for n in indices]
    beds = [
        (start - lo, bed)
        for start, bed in ((0, layout.intro), (layout.outro_start, layout.outro))
        if bed is not None and start < hi and start + bed.samples > lo
    ]
    return stream_placed(layout.rate, hi - lo, placed, beds, block)


def stream_placed(
    rate: int,
    length: int,
    placed: Sequence[tuple[int, Clip]],
    beds: Sequence[tuple[int, Audio]] = (),
    block: int = BLOCK_SAMPLES,
) -> Iterator[FloatArray]:
    """``length`` samples at ``rate``: each clip from its first sample, in order,
    silence between, in blocks of ``block`` samples (the last shorter).

    Each clip is read (and resampled) only when its turn comes. Music beds
    (at ``rate``, and from their first sample, which may come before 0) are
    added to the voice, clipped to full scale as mixing into 16-bit audio would.
    """
    return reblock(_mixed(rate, length, placed, beds, block), block)


def _pieces(
    rate: int, length: int, placed: Sequence[tuple[int, Clip]], block: int
) -> Iterator[FloatArray]:
    position = 0
    for start, clip in placed:
        yield from _silence(start - position, block)
        samples = to_float(clip.read(), rate)
        expected = resampled_length(clip.samples, clip.sample_rate, rate)
        if len(samples) != expected:
            raise AudioFailed(
                f"the audio for {clip.utterance.text[:60]!r} changed length during the build "
                f"({len(samples)} samples, {expected} expected); build again"
            )
        yield samples
        position = start + len(samples)
    yield from _silence(length - position, block)


def _silence(samples: int, block: int) -> Iterator[FloatArray]:
    while samples > 0:
        size = min(samples, block)
        yield np.zeros(size)
        samples -= size


def _mixed(
    rate: int,
    length: int,
    placed: Sequence[tuple[int, Clip]],
    beds: Sequence[tuple[int, Audio]],
    block: int,
) -> Iterator[FloatArray]:
    floats = [(start, to_float(bed, rate)) for start, bed in beds]
    position = 0
    for piece in _pieces(rate, length, placed, block):
        end = position + len(piece)
        mixed = False
        for start, bed in floats:
            first, stop = max(position, start), min(end, start + len(bed))
            if first < stop:
                if not mixed:
                    piece = piece.copy()
                    mixed = True
                piece[first - position : stop - position] += bed[first - start : stop - start]
        if mixed:
            np.clip(piece, -1.0, 1.0, out=piece)
        yield piece
        position = end


def _ms(samples: int, rate: int) -> int:
    return round(1000 * samples / rate)
