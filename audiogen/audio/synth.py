"""Speak an article utterance by utterance, keeping each one's audio apart.

Keeping sentences apart is what gives transcripts, chapters and the player
real timings, measured from the audio rather than guessed from text length.
"""

from __future__ import annotations

from collections.abc import Callable

from audiogen.engines.base import Engine
from audiogen.errors import SynthesisFailed
from audiogen.models import Article, Spoken, Utterance


def script(article: Article) -> tuple[Utterance, ...]:
    """Everything to be said, in order: the title, then each section's heading and sentences.

    The opening section's heading is not said when it is the article title
    (it was just said).
    """
    lines = [Utterance(article.title, 0, "title")]
    for section in article.sections:
        if section.index > 0 or section.title != article.title:
            lines.append(Utterance(section.title, section.index, "heading"))
        for p, paragraph in enumerate(section.paragraphs):
            last_paragraph = p == len(section.paragraphs) - 1
            for s, sentence in enumerate(paragraph):
                last_sentence = s == len(paragraph) - 1
                lines.append(
                    Utterance(
                        sentence,
                        section.index,
                        "sentence",
                        ends_paragraph=last_sentence,
                        ends_section=last_sentence and last_paragraph,
                    )
                )
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
