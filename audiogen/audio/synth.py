"""Speak an article utterance by utterance, keeping each one's audio apart.

Keeping sentences apart is what gives transcripts, chapters and the player
real timings, measured from the audio rather than guessed from text length.
"""

from __future__ import annotations

from collections.abc import Callable

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
