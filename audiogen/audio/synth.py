"""Speak an article utterance by utterance, keeping each one's audio apart.

Keeping sentences apart is what gives transcripts, chapters and the player
real timings, measured from the audio rather than guessed from text length.
It is also what makes builds incremental: each sentence's audio is cached
on its own (``audiogen.audio.cache``), so an edit re-speaks only what changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from audiogen.audio.cache import Entry, SpeechCache, sentence_key
from audiogen.audio.parallel import Job, LocalRunner, Runner
from audiogen.engines.base import Engine, gives_word_timings
from audiogen.errors import SynthesisFailed
from audiogen.models import NARRATOR, Article, EpisodeSettings, Section, Take, Utterance

Progress = Callable[[int], None]
# The engine (with its voice) for each speaker: NARRATOR always, QUOTE when quotations
# have a voice of their own.
Voices = Mapping[str, Engine]


@dataclass(frozen=True)
class Framing:
    """What is said around the article: the show's spoken intro and outro, if any."""

    intro: str | None = None
    outro: str | None = None


def framing(settings: EpisodeSettings, fields: Mapping[str, str]) -> Framing:
    """The intro and outro templates filled in (``{show}``, ``{title}``, ``{author}``, ``{date}``).

    >>> framing(EpisodeSettings(intro="{show}: {title}."), {"show": "S", "title": "T"})
    Framing(intro='S: T.', outro=None)
    """
    return Framing(
        settings.intro.format_map(fields) if settings.intro else None,
        settings.outro.format_map(fields) if settings.outro else None,
    )


def script(article: Article, frame: Framing = Framing()) -> tuple[Utterance, ...]:
    """Everything to be said, in order: an intro, the title, each section's heading
    and sentences, an outro.

    The opening section's heading is not said when it is the article title
    (it was just said). The intro belongs to the first chapter, the outro to the last.
    """
    lines = [Utterance(frame.intro, 0, "intro")] if frame.intro else []
    lines.append(
        Utterance(article.spoken_title or article.title, 0, "title", display=article.title)
    )
    for section in article.sections:
        if section.index > 0 or section.title != article.title:
            lines.append(
                Utterance(
                    section.spoken_title or section.title,
                    section.index,
                    "heading",
                    display=section.title,
                )
            )
        lines.extend(_sentences(section))
    if frame.outro:
        lines.append(Utterance(frame.outro, article.sections[-1].index, "outro"))
    return tuple(lines)


def _sentences(section: Section) -> list[Utterance]:
    lines = []
    for p, paragraph in enumerate(section.paragraphs):
        last_paragraph = p == len(section.paragraphs) - 1
        for s, sentence in enumerate(paragraph):
            last = s == len(paragraph) - 1
            lines.append(
                Utterance(
                    sentence.spoken,
                    section.index,
                    "sentence",
                    ends_paragraph=last,
                    ends_section=last and last_paragraph,
                    display=sentence.written,
                    speaker=sentence.speaker,
                    runs_on=sentence.runs_on,
                )
            )
    return lines


def voice_of(line: Utterance, voices: Voices) -> Engine:
    """The engine that says ``line``: its speaker's, else the narrator's."""
    return voices.get(line.speaker) or voices[NARRATOR]


def cache_keys(lines: tuple[Utterance, ...], voices: Voices) -> tuple[str, ...]:
    """Each utterance's cache key with the engine and voice that say it, as set up."""
    prints = {speaker: engine.fingerprint() for speaker, engine in voices.items()}
    keys = []
    for line in lines:
        speaker = line.speaker if line.speaker in voices else NARRATOR
        keys.append(sentence_key(line.text, voices[speaker].name, prints[speaker]))
    return tuple(keys)


def synthesize(
    lines: tuple[Utterance, ...],
    voices: Voices,
    cache: SpeechCache,
    *,
    runner: Runner | None = None,
    progress: Progress | None = None,
) -> tuple[Take, ...]:
    """The synthesize stage: make sure ``cache`` holds every utterance's audio, asking
    the engines only for what it lacks; return the takes in script order.

    A sentence said twice is spoken once. ``runner`` decides where the engines
    run (default: here, one sentence at a time). ``progress`` is told how many
    utterances are done as they finish, cached ones first.
    """
    keys = cache_keys(lines, voices)
    found, missing = _lookup(lines, keys, voices, cache)
    uses = Counter(keys)
    if progress is not None and found:
        progress(sum(uses[key] for key in found))
    if missing:
        _speak(missing, cache, runner, lambda job: progress(uses[job.key]) if progress else None)
        found |= _collect(missing, cache)
    return tuple(
        Take(line, key, found[key].sample_rate, found[key].samples, found[key].words)
        for line, key in zip(lines, keys, strict=True)
    )


Missing = dict[str, tuple[Engine, Job]]


def _lookup(
    lines: tuple[Utterance, ...], keys: tuple[str, ...], voices: Voices, cache: SpeechCache
) -> tuple[dict[str, Entry], Missing]:
    """What the cache has, and what each engine must still speak."""
    found: dict[str, Entry] = {}
    missing: Missing = {}
    for line, key in zip(lines, keys, strict=True):
        if key in found or key in missing:
            continue
        engine = voice_of(line, voices)
        entry = cache.entry(key)
        # An engine that now gives word timings says its sentences from before again
        # (once: they are stored timed, with or without words).
        if entry is None or (gives_word_timings(engine) and not entry.timed):
            missing[key] = (engine, Job(key, line.text))
        else:
            found[key] = entry
    return found, missing


def _speak(
    missing: Missing, cache: SpeechCache, runner: Runner | None, done: Callable[[Job], None]
) -> None:
    own = runner is None
    runner = runner or LocalRunner(jobs=1)
    by_engine: dict[int, tuple[Engine, list[Job]]] = {}
    for engine, job in missing.values():
        by_engine.setdefault(id(engine), (engine, []))[1].append(job)
    try:
        for engine, jobs in by_engine.values():
            runner.speak(engine, jobs, cache, done)
    finally:
        if own:
            runner.close()


def _collect(missing: Missing, cache: SpeechCache) -> dict[str, Entry]:
    found = {}
    for key, (_, job) in missing.items():
        entry = cache.entry(key)
        if entry is None:
            raise SynthesisFailed(
                f"the audio for {job.text[:60]!r} is not in the speech cache {cache.root} "
                "after synthesis: with --executor dask://, the cache folder must be one "
                "path that every worker and this machine share"
            )
        found[key] = entry
    return found
