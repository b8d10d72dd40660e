"""Speak an article utterance by utterance, keeping each one's audio apart.

Keeping sentences apart is what gives transcripts, chapters and the player
real timings, measured from the audio rather than guessed from text length.
It is also what makes builds incremental: each sentence's audio is cached
on its own (``audiogen.audio.cache``), so an edit re-speaks only what changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from audiogen.audio.cache import Entry, SpeechCache, sentence_key
from audiogen.audio.parallel import Job, LocalRunner, Runner
from audiogen.engines.base import Engine
from audiogen.errors import SynthesisFailed
from audiogen.models import Article, Spoken, Utterance


def script(
    article: Article, *, intro: str | None = None, outro: str | None = None
) -> tuple[Utterance, ...]:
    """Everything to be said, in order: an intro, the title, each section's heading
    and sentences, an outro.

    The opening section's heading is not said when it is the article title
    (it was just said). The intro belongs to the first chapter, the outro to the last.
    """
    lines = [Utterance(intro, 0, "intro")] if intro else []
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
        written = section.written or section.paragraphs
        for p, (paragraph, paragraph_written) in enumerate(
            zip(section.paragraphs, written, strict=True)
        ):
            last_paragraph = p == len(section.paragraphs) - 1
            for s, (sentence, sentence_written) in enumerate(
                zip(paragraph, paragraph_written, strict=True)
            ):
                last_sentence = s == len(paragraph) - 1
                lines.append(
                    Utterance(
                        sentence,
                        section.index,
                        "sentence",
                        ends_paragraph=last_sentence,
                        ends_section=last_sentence and last_paragraph,
                        display=sentence_written,
                    )
                )
    if outro:
        lines.append(Utterance(outro, article.sections[-1].index, "outro"))
    return tuple(lines)


def synthesize(
    lines: tuple[Utterance, ...],
    engine: Engine,
    progress: Callable[[int], None] | None = None,
) -> tuple[Spoken, ...]:
    """Have ``engine`` speak every utterance; ``progress`` is told after each one."""
    spoken = []
    for line in lines:
        audio = engine.synthesize(line.text)
        if audio.samples == 0:
            raise SynthesisFailed(
                f"the {engine.name} engine returned no audio for {line.text[:60]!r}"
            )
        spoken.append(Spoken(line, audio))
        if progress is not None:
            progress(1)
    return tuple(spoken)


@dataclass(frozen=True)
class Take:
    """An utterance and the cache entry holding its audio."""

    utterance: Utterance
    entry: Entry


def cache_keys(lines: tuple[Utterance, ...], engine: Engine) -> tuple[str, ...]:
    """Each utterance's cache key with ``engine`` as it is set up."""
    fingerprint = engine.fingerprint()
    return tuple(sentence_key(line.text, engine.name, fingerprint) for line in lines)


def synthesize_cached(
    lines: tuple[Utterance, ...],
    engine: Engine,
    cache: SpeechCache,
    *,
    runner: Runner | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Take, ...]:
    """Make sure ``cache`` holds every utterance's audio, asking the engine only
    for what it lacks; return the entries in script order.

    A sentence said twice is spoken once. ``runner`` decides where the engine
    runs (default: here, one sentence at a time). ``progress`` is told how
    many utterances are done as they finish, cached ones first.
    """
    keys = cache_keys(lines, engine)
    found: dict[str, Entry] = {}
    missing: dict[str, Job] = {}
    for line, key in zip(lines, keys, strict=True):
        if key in found or key in missing:
            continue
        entry = cache.entry(key)
        if entry is None:
            missing[key] = Job(key, line.text)
        else:
            found[key] = entry
    uses = Counter(keys)
    if progress is not None and found:
        progress(sum(uses[key] for key in found))

    def done(job: Job) -> None:
        if progress is not None:
            progress(uses[job.key])

    if missing:
        own = runner is None
        runner = runner or LocalRunner(jobs=1)
        try:
            runner.speak(engine, list(missing.values()), cache, done)
        finally:
            if own:
                runner.close()
        for key, job in missing.items():
            entry = cache.entry(key)
            if entry is None:
                raise SynthesisFailed(
                    f"the audio for {job.text[:60]!r} is not in the speech cache {cache.root} "
                    "after synthesis: with --executor dask://, the cache folder must be one "
                    "path that every worker and this machine share"
                )
            found[key] = entry
    return tuple(Take(line, found[key]) for line, key in zip(lines, keys, strict=True))
