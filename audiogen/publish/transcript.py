"""Transcripts timed from the synthesized audio: WebVTT captions and an HTML transcript.

Each sentence was spoken on its own and measured, so every cue starts and
ends where that sentence does in the MP3; nothing is estimated from text.
"""

from __future__ import annotations

import html
import textwrap

from audiogen.models import Chapter, Timing

VTT_MIME = "text/vtt"
HTML_MIME = "text/html"
CUE_LINE_WIDTH = 65


def vtt_timestamp(ms: int) -> str:
    """WebVTT time stamp.

    >>> vtt_timestamp(3_723_004)
    '01:02:03.004'
    """
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def cue_text(text: str, width: int = CUE_LINE_WIDTH) -> str:
    """Cue payload: wrapped to ``width`` characters a line, with WebVTT's special characters escaped.

    >>> cue_text("Fish & chips <cheap>")
    'Fish &amp; chips &lt;cheap&gt;'
    >>> cue_text("a --> b")
    'a --&gt; b'
    """
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=True) or [""]
    return "\n".join(
        line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for line in lines
    )


def render_vtt(sentences: tuple[Timing, ...], duration_ms: int) -> str:
    """One cue per spoken sentence; cues never overlap and the last one ends with the audio."""
    out = ["WEBVTT", ""]
    for n, sentence in enumerate(sentences, start=1):
        end = duration_ms if n == len(sentences) else sentence.end_ms
        out += [
            str(n),
            f"{vtt_timestamp(sentence.start_ms)} --> {vtt_timestamp(end)}",
            cue_text(sentence.text),
            "",
        ]
    return "\n".join(out)


def render_transcript_html(
    title: str, chapters: tuple[Chapter, ...], sentences: tuple[Timing, ...], language: str
) -> str:
    """A readable transcript page: chapter headings, then their sentences, each with its start time."""
    esc = html.escape
    body: list[str] = []
    chapter_iter = iter(chapters)
    next_chapter = next(chapter_iter, None)
    for sentence in sentences:
        while next_chapter is not None and sentence.start_ms >= next_chapter.start_ms:
            if body:
                body.append("</p>")
            body.append(f'<h2 id="t{next_chapter.start_ms}">{esc(next_chapter.title)}</h2>\n<p>')
            next_chapter = next(chapter_iter, None)
        body.append(
            f'<span data-start="{sentence.start_ms / 1000:.3f}">{esc(sentence.text)}</span> '
        )
    body.append("</p>")
    return (
        f'<!doctype html>\n<html lang="{esc(language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} (transcript)</title>\n"
        "<style>body{font:1.05rem/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}"
        "h2{font-size:1.15rem;margin-top:2rem}</style>\n"
        f"</head>\n<body>\n<h1>{esc(title)}</h1>\n{''.join(body)}\n</body>\n</html>\n"
    )
