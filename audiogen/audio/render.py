"""Render an episode's MP3 (and its section MP3s) from cached sentences: in flat
memory, in parallel, and again only where something changed.

The episode is laid out from the sentences' lengths alone and cut into
segments at pauses (``stitch.plan``): after each paragraph, on MP3 frame
boundaries, with the codec's delay accounted for. Each segment is measured
and then normalized, limited and encoded on its own, in any worker process,
and both results are cached under keys that cover everything that went into
them. The segments' MP3 frames are then joined: a frame never borrows bits
from a later one, the cuts lie in silence, and the next segment's decoded
audio begins exactly where the previous one was cut, so the joins are
seamless and every timing holds to the sample (a test decodes and checks).

One gain serves the whole episode, as loudness normalization requires. On a
rebuild after an edit, the gain of the last build is kept when the forecast
says the episode still lands within half the tolerance of the target; then
only the segments whose words changed are rendered, and the rest come from
the cache. The applying pass measures what it made (the segments' output
energies placed on the episode's 100 ms grid) and renders again with a
corrected gain if it missed.

When an episode's files were rendered from the same inputs and are as they
were left, the pipeline keeps them without rendering at all: see
``AudioRecord``.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import asdict, dataclass
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from audiogen import __version__
from audiogen.audio import loudness
from audiogen.audio.cache import SpeechCache
from audiogen.audio.encode import (
    CODEC_DELAY,
    DEFAULT_BITRATE,
    ENCODER_QUALITY,
    FRAME_SAMPLES,
    StreamEncoder,
    Target,
    encode_segment,
    frame_offsets,
)
from audiogen.audio.loudness import (
    MAX_PASSES,
    Analyzer,
    FloatArray,
    Forecast,
    Stats,
    TruePeakMeter,
    analyze,
    first_gain,
    limit,
    next_gain,
)
from audiogen.audio.stitch import (
    DEFAULT_PAUSES,
    EPISODE_RATE,
    Clip,
    Layout,
    Pauses,
    Segment,
    plan,
    stream,
    stream_placed,
    to_pcm,
)
from audiogen.errors import AudioFailed
from audiogen.files import write_atomic
from audiogen.models import (
    Audio,
    Chapter,
    EpisodeFiles,
    Mastering,
    Rendered,
    Take,
    Timing,
    Utterance,
    Word,
    WordTiming,
)

RECORD_VERSION = 3  # 3: sentences carry their word timings
SEGMENT_VERSION = 1

T = TypeVar("T")


@dataclass(frozen=True)
class SegmentJob:
    """Everything a worker process needs to measure or render one segment."""

    cache_root: str
    rate: int
    samples: int
    # Each clip: cache key, its text (for messages), sample rate, samples, first sample here.
    clips: tuple[tuple[str, str, int, int, int], ...]
    beds: tuple[tuple[int, bytes], ...]  # music: first sample here, 16-bit PCM at ``rate``

    @property
    def key(self) -> str:
        """A key over everything the segment's audio is made of."""
        description = [
            SEGMENT_VERSION,
            self.rate,
            self.samples,
            [[key, rate, samples, at] for key, _, rate, samples, at in self.clips],
            [[at, hashlib.sha256(pcm).hexdigest()] for at, pcm in self.beds],
        ]
        return hashlib.sha256(json.dumps(description).encode("utf-8")).hexdigest()

    def blocks(self) -> Iterator[FloatArray]:
        cache = SpeechCache(Path(self.cache_root))
        placed = [
            (at, Clip(_named(text), rate, samples, _reader(cache, key)))
            for key, text, rate, samples, at in self.clips
        ]
        beds = [(at, Audio(pcm, self.rate)) for at, pcm in self.beds]
        return stream_placed(self.rate, self.samples, placed, beds)


def _named(text: str) -> Utterance:
    return Utterance(text, 0, "sentence")


def _reader(cache: SpeechCache, key: str) -> Callable[[], Audio]:
    return lambda: cache.read(key)


def _pack(**arrays: Any) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _unpack(data: bytes) -> dict[str, Any]:
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        return {name: arrays[name] for name in arrays.files}


def analyze_segment(job: SegmentJob) -> Stats:
    """The measuring pass over one segment, from the cache when it was measured before."""
    cache = SpeechCache(Path(job.cache_root))
    stored = cache.blob("analysis", job.key)
    if stored is not None:
        return Stats.from_arrays(_unpack(stored))
    stats = analyze(job.blocks(), job.rate)
    cache.put_blob("analysis", job.key, _pack(**stats.to_arrays()))
    return stats


@dataclass(frozen=True)
class SegmentAudio:
    """A rendered segment: its MP3 frames are in the cache under ``key``."""

    key: str
    energy: FloatArray  # K-weighted energy of the output, per STATS_CHUNK
    peak: float  # true peak, linear


def render_key(job: SegmentJob, mastering: Mastering, bitrate: int) -> str:
    description = [
        job.key,
        repr(mastering.gain_db),
        repr(mastering.limit_db),
        bitrate,
        ENCODER_QUALITY,
        __version__,
    ]
    return hashlib.sha256(json.dumps(description).encode("utf-8")).hexdigest()


def render_segment(job: SegmentJob, mastering: Mastering, bitrate: int) -> SegmentAudio:
    """Normalize, limit and encode one segment into the cache (unless already there)."""
    cache = SpeechCache(Path(job.cache_root))
    key = render_key(job, mastering, bitrate)
    stored = cache.blob("render", key)
    if stored is not None:
        arrays = _unpack(stored)
        return SegmentAudio(key, arrays["energy"], float(arrays["peak"][0]))
    meter, peaks = Analyzer(job.rate, histogram=False), TruePeakMeter()
    pcm: list[bytes] = []
    for extended, core in limit(job.blocks(), job.rate, mastering.gain_db, mastering.limit_db):
        meter.add(extended, core)
        peaks.add(extended, core)
        pcm.append(to_pcm(extended[core]))
    mp3 = encode_segment(b"".join(pcm), job.rate, bitrate, frames=None)
    energy = meter.finish().energy
    cache.put_blob(
        "render",
        key,
        _pack(mp3=np.frombuffer(mp3, dtype=np.uint8), energy=energy, peak=np.array([peaks.peak])),
    )
    return SegmentAudio(key, energy, peaks.peak)


def _segment_mp3(cache: SpeechCache, key: str, frames: int | None) -> bytes:
    stored = cache.blob("render", key)
    if stored is None:
        raise AudioFailed(
            f"a rendered segment vanished from the cache {cache.root} during the build; build again"
        )
    mp3 = _unpack(stored)["mp3"].tobytes()
    if frames is None:
        return bytes(mp3)
    return bytes(mp3[: frame_offsets(mp3)[frames]])


def _map(
    executor: Executor | None, fn: Callable[..., T], jobs: Sequence[Any], *args: Any
) -> Iterator[T]:
    """``fn(job, *args)`` for every job, yielded in order; in ``executor`` when given."""
    if executor is None:
        return (fn(job, *args) for job in jobs)
    return executor.map(fn, jobs, *(repeat(arg) for arg in args))


def segment_jobs(
    layout: Layout, clips: Sequence[Clip], keys: Sequence[str], cache: SpeechCache
) -> list[SegmentJob]:
    jobs = []
    for segment in layout.segments:
        beds = tuple(
            (start - segment.fed_start, bed.pcm)
            for start, bed in ((0, layout.intro), (layout.outro_start, layout.outro))
            if bed is not None and start < segment.end and start + bed.samples > segment.fed_start
        )
        jobs.append(
            SegmentJob(
                str(cache.root),
                layout.rate,
                segment.samples,
                tuple(
                    (
                        keys[n],
                        clips[n].utterance.text,
                        clips[n].sample_rate,
                        clips[n].samples,
                        layout.starts[n] - segment.fed_start,
                    )
                    for n in segment.clips
                ),
                beds,
            )
        )
    return jobs


def _frames(segment: Segment) -> int | None:
    """How many of a segment's frames to keep: up to where the next one's audio begins."""
    if segment.last:
        return None
    frames, extra = divmod(segment.samples + CODEC_DELAY, FRAME_SAMPLES)
    if extra:
        raise AudioFailed("a segment does not end on an MP3 frame boundary")
    return frames


def _sections(layout: Layout) -> list[list[int]] | None:
    """The segments of each chapter, or None when a chapter starts inside a segment."""
    fed = [segment.fed_start for segment in layout.segments]
    firsts = [0] + [fed.index(s) if s in fed else -1 for s in layout.chapter_starts[1:]]
    if -1 in firsts:
        return None
    return [list(range(a, b)) for a, b in zip(firsts, [*firsts[1:], len(fed)], strict=True)]


def render(
    clips: Sequence[Clip],
    keys: Sequence[str],
    chapter_titles: tuple[str, ...],
    mp3: Path,
    cache: SpeechCache,
    *,
    section_files: Sequence[Path] = (),
    pauses: Pauses = DEFAULT_PAUSES,
    rate: int = EPISODE_RATE,
    intro_music: Audio | None = None,
    outro_music: Audio | None = None,
    bitrate: int = DEFAULT_BITRATE,
    executor: Executor | None = None,
    previous: Mastering | None = None,
) -> Rendered:
    """Stitch, normalize and encode ``clips`` (whose audio is in ``cache`` under
    ``keys``) into ``mp3``; with ``section_files`` (one per chapter) also each chapter
    on its own.

    Write to temporary names and rename into place: the files are complete
    only when this returns. Music must be at ``rate``. Segments are worked on
    in ``executor`` when given. ``previous`` is the mastering of the episode's
    last build, kept when it still fits (so unchanged segments are reused).
    """
    layout = plan(
        clips,
        chapter_titles,
        pauses,
        rate,
        intro_music=intro_music,
        outro_music=outro_music,
        cut=(CODEC_DELAY, FRAME_SAMPLES),
    )
    if section_files and len(section_files) != len(layout.chapters):
        raise AudioFailed(f"{len(section_files)} section files for {len(layout.chapters)} chapters")
    jobs = segment_jobs(layout, clips, keys, cache)
    forecast = Forecast(rate, layout.length)
    for segment, stats in zip(layout.segments, _map(executor, analyze_segment, jobs), strict=True):
        forecast.place(stats, segment.fed_start)  # then let it go: only the sums are kept
    made, level, peak, mastering = _master(layout, jobs, forecast, previous, bitrate, executor)
    _join(cache, layout, made, mp3, section_files, clips, mastering, bitrate)
    return Rendered(layout.chapters, layout.sentences, layout.duration_ms, level, peak, mastering)


def _starting_gain(forecast: Forecast, previous: Mastering | None) -> tuple[float, float]:
    """The forecast's gain, or the last build's when it still lands within half the tolerance."""
    if previous is not None:
        landing = forecast.forecast(previous.gain_db, previous.limit_db) + previous.miss
        if abs(landing - loudness.TARGET_LUFS) <= loudness.LOUDNESS_TOLERANCE_LU / 2:
            return previous.gain_db, previous.limit_db
    return first_gain(forecast)


def _master(
    layout: Layout,
    jobs: Sequence[SegmentJob],
    forecast: Forecast,
    previous: Mastering | None,
    bitrate: int,
    executor: Executor | None,
) -> tuple[list[str], float, float, Mastering]:
    """Render every segment at one gain, measure what came out, and render again with a
    corrected gain if it missed: the segments' keys, loudness, true peak and mastering."""
    gain_db, limit_db = _starting_gain(forecast, previous)
    for _ in range(MAX_PASSES):
        mastering = Mastering(gain_db, limit_db)
        made: list[str] = []  # the rendered segments' cache keys
        measured, top = Forecast(layout.rate, layout.length), 0.0
        renders = _map(executor, render_segment, jobs, mastering, bitrate)
        for segment, audio in zip(layout.segments, renders, strict=True):
            measured.place(Stats.energy_only(segment.samples, audio.energy), segment.fed_start)
            made.append(audio.key)
            top = max(top, audio.peak)
        level, peak = measured.loudness(), loudness.dbtp(top)
        following = next_gain(forecast, gain_db, limit_db, level, peak)
        if following is None:
            break
        gain_db, limit_db = following
    mastering = Mastering(gain_db, limit_db, level - forecast.forecast(gain_db, limit_db))
    return made, level, peak, mastering


def _join(
    cache: SpeechCache,
    layout: Layout,
    made: Sequence[str],
    mp3: Path,
    section_files: Sequence[Path],
    clips: Sequence[Clip],
    mastering: Mastering,
    bitrate: int,
) -> None:
    """Write the episode (and section) MP3s from the segments' frames, one segment at a time."""
    groups = _sections(layout) if section_files else []
    try:
        with mp3.open("wb") as episode:
            for segment, audio in zip(layout.segments, made, strict=True):
                episode.write(_segment_mp3(cache, audio, _frames(segment)))
        if groups is None:
            _encode_sections(layout, clips, section_files, mastering, bitrate)
            return
        for path, group in zip(section_files, groups, strict=True):
            with path.open("wb") as section:
                for n in group:
                    section.write(_segment_mp3(cache, made[n], _frames(layout.segments[n])))
    except OSError as exc:
        raise AudioFailed(f"cannot write {mp3.parent}: {exc.strerror or exc}") from exc


def _encode_sections(
    layout: Layout,
    clips: Sequence[Clip],
    section_files: Sequence[Path],
    mastering: Mastering,
    bitrate: int,
) -> None:
    """Sections that do not start on segment boundaries (music under a chapter
    start): encode them from the normalized stream, cut at their samples."""
    targets = [
        Target(path, round(c.start_ms * layout.rate / 1000), round(c.end_ms * layout.rate / 1000))
        for path, c in zip(section_files, layout.chapters, strict=True)
    ]
    encoder = StreamEncoder(targets, layout.rate, bitrate)
    try:
        blocks = stream(layout, clips)
        for extended, core in limit(blocks, layout.rate, mastering.gain_db, mastering.limit_db):
            encoder.write(to_pcm(extended[core]))
    except BaseException:
        encoder.abort()
        raise
    encoder.close()


def _digest(audio: Audio | None) -> str | None:
    if audio is None:
        return None
    return f"{audio.sample_rate}:{hashlib.sha256(audio.pcm).hexdigest()}"


def episode_key(
    lines: Sequence[Utterance],
    keys: Sequence[str],
    chapter_titles: tuple[str, ...],
    *,
    timings: Sequence[tuple[Word, ...]] = (),
    pauses: Pauses = DEFAULT_PAUSES,
    rate: int = EPISODE_RATE,
    bitrate: int = DEFAULT_BITRATE,
    intro_music: Audio | None = None,
    outro_music: Audio | None = None,
    split: bool = False,
) -> str:
    """A key over everything that shapes an episode's files and timings.

    ``keys`` are the lines' sentence cache keys (which cover the engine and
    its settings); ``timings`` their word timings. The written words are included because the timings carry
    them; so are audiogen's version and the loudness and encoder settings, so
    a new release never keeps audio an older one made.
    """
    description = {
        "record": RECORD_VERSION,
        "audiogen": __version__,
        "rate": rate,
        "bitrate": bitrate,
        "quality": ENCODER_QUALITY,
        "loudness": [
            loudness.TARGET_LUFS,
            loudness.MAX_TRUE_PEAK_DBTP,
            loudness.ENCODER_HEADROOM_DB,
            loudness.LIMITER_MARGIN_DB,
        ],
        "pauses": asdict(pauses),
        "lines": [
            [key, line.kind, line.section, line.ends_paragraph, line.ends_section, line.written]
            for line, key in zip(lines, keys, strict=True)
        ],
        # An entry spoken again with word timings has the same key, not the same timings.
        "words": [[[w.text, w.start, w.end] for w in words] for words in timings],
        "chapters": list(chapter_titles),
        "intro": _digest(intro_music),
        "outro": _digest(outro_music),
        "split": split,
    }
    return hashlib.sha256(json.dumps(description).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AudioRecord:
    """What an episode's audio files were rendered from, kept beside the output.

    ``files`` holds each file's path (relative to the output folder), size
    and modification time as left by the build, so a file changed or
    replaced since is noticed and rendered again. ``tags`` is a digest of the
    tags written, so unchanged tags are not rewritten either.
    """

    key: str
    tags: str
    rendered: Rendered
    files: tuple[tuple[str, int, int], ...]

    def to_json(self) -> bytes:
        return json.dumps({"version": RECORD_VERSION, **asdict(self)}, ensure_ascii=False).encode(
            "utf-8"
        )

    @classmethod
    def from_json(cls, data: bytes) -> AudioRecord | None:
        """The record in ``data``, or None when it is unreadable or from another version."""
        try:
            raw: dict[str, Any] = json.loads(data)
            if raw.get("version") != RECORD_VERSION:
                return None
            r = raw["rendered"]
            m = r.get("mastering")
            rendered = Rendered(
                chapters=tuple(Chapter(**c) for c in r["chapters"]),
                sentences=tuple(_timing(t) for t in r["sentences"]),
                duration_ms=int(r["duration_ms"]),
                loudness_lufs=float(r["loudness_lufs"]),
                true_peak_dbtp=float(r["true_peak_dbtp"]),
                mastering=None if m is None else Mastering(**m),
            )
            files = tuple((str(p), int(s), int(t)) for p, s, t in raw["files"])
            return cls(str(raw["key"]), str(raw["tags"]), rendered, files)
        except (ValueError, KeyError, TypeError):
            return None


def _timing(raw: dict[str, Any]) -> Timing:
    words = tuple(WordTiming(**w) for w in raw.get("words", ()))
    return Timing(**{**raw, "words": words})


def file_state(output: Path, relative: str) -> tuple[str, int, int] | None:
    """``(relative, size, mtime_ns)`` of a file in ``output``; None if it is not there."""
    try:
        stat = (output / relative).stat()
    except OSError:
        return None
    return relative, stat.st_size, stat.st_mtime_ns


def unchanged(output: Path, record: AudioRecord) -> bool:
    """Whether every file ``record`` lists is still as the build left it."""
    return all(
        file_state(output, path) == (path, size, mtime) for path, size, mtime in record.files
    )


@dataclass(frozen=True)
class RenderSettings:
    """How every episode of a build is rendered: the same for all of them."""

    bitrate: int = DEFAULT_BITRATE
    intro_music: Audio | None = None  # at EPISODE_RATE
    outro_music: Audio | None = None
    executor: Executor | None = None  # worker processes for segments; None: here


@dataclass(frozen=True)
class EpisodeAudio:
    """An episode's MP3s: made afresh under temporary names, or kept as the last build left them."""

    rendered: Rendered
    key: str  # ``episode_key`` of what they were made from
    made: tuple[tuple[str, Path], ...]  # (where each goes, its temporary file); empty: kept
    kept: AudioRecord | None = None  # the record of the files kept


def render_episode(
    takes: Sequence[Take],
    chapter_titles: tuple[str, ...],
    output: Path,
    files: EpisodeFiles,
    cache: SpeechCache,
    settings: RenderSettings,
    temporary: Callable[[Path], Path],
) -> EpisodeAudio:
    """The render stage: the episode's MP3 (and its section MP3s) from the takes.

    When the files in ``output`` were rendered from exactly these takes and
    settings and are as they were left, they are kept without rendering. Fresh
    files are written to names from ``temporary`` and moved into place, tagged,
    by the tag stage.
    """
    keys = tuple(t.key for t in takes)
    key = episode_key(
        tuple(t.line for t in takes),
        keys,
        chapter_titles,
        timings=tuple(t.words for t in takes),
        bitrate=settings.bitrate,
        intro_music=settings.intro_music,
        outro_music=settings.outro_music,
        split=bool(files.sections),
    )
    record = load_record(output / files.record)
    if record is not None and record.key == key and unchanged(output, record):
        return EpisodeAudio(record.rendered, key, (), record)
    made = tuple((rel, temporary(output / rel)) for rel in files.mp3s)
    clips = [
        Clip(t.line, t.sample_rate, t.samples, partial(cache.read, t.key), t.words) for t in takes
    ]
    rendered = render(
        clips,
        keys,
        chapter_titles,
        made[0][1],
        cache,
        section_files=[path for _, path in made[1:]],
        intro_music=settings.intro_music,
        outro_music=settings.outro_music,
        bitrate=settings.bitrate,
        executor=settings.executor,
        # The last build's gain, when it still fits, lets unchanged paragraphs be reused.
        previous=record.rendered.mastering if record is not None else None,
    )
    return EpisodeAudio(rendered, key, made)


def load_record(path: Path) -> AudioRecord | None:
    try:
        return AudioRecord.from_json(path.read_bytes())
    except OSError:
        return None


def save_record(output: Path, files: EpisodeFiles, audio: EpisodeAudio, tags: str) -> None:
    """Note what the episode's files (as they are now in ``output``) were made from."""
    states = [file_state(output, rel) for rel in files.mp3s]
    record = AudioRecord(audio.key, tags, audio.rendered, tuple(s for s in states if s))
    write_atomic(output / files.record, record.to_json())
