"""Transcripts timed from the synthesized audio: WebVTT captions and an HTML transcript.

Each sentence was spoken on its own and measured, so every cue starts and
ends where that sentence does in the MP3; nothing is estimated from text.

When more than the narrator speaks (quotations read in a second voice), every
cue names its speaker with a WebVTT voice span (``<v Narrator>``, ``<v Quote>``)
and the HTML transcript gives each speaker's parts a class of their own. With one
speaker both are exactly as they always were.
"""

from __future__ import annotations

import html
import textwrap

from audiogen.models import NARRATOR, QUOTE, Chapter, Timing

VTT_MIME = "text/vtt"
HTML_MIME = "text/html"
CUE_LINE_WIDTH = 65
# The names voice spans and transcript classes give each speaker.
VOICE_NAMES = {NARRATOR: "Narrator", QUOTE: "Quote"}


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


def voice_name(speaker: str) -> str:
    """The name a voice span gives a speaker: letters, digits and spaces only.

    >>> voice_name("quote"), voice_name("narrator"), voice_name("guest_2 <b>")
    ('Quote', 'Narrator', 'Guest 2 b')
    """
    if speaker in VOICE_NAMES:
        return VOICE_NAMES[speaker]
    words = "".join(ch if ch.isalnum() else " " for ch in speaker).split()
    return " ".join(words).capitalize() or VOICE_NAMES[NARRATOR]


def voiced_cue_text(text: str, speaker: str) -> str:
    """A cue payload inside a voice span naming its speaker.

    >>> voiced_cue_text('"We will <not> go," she said', "quote")
    '<v Quote>"We will &lt;not&gt; go," she said</v>'
    """
    return f"<v {voice_name(speaker)}>{cue_text(text)}</v>"


def speakers(sentences: tuple[Timing, ...]) -> tuple[str, ...]:
    """The speakers of a transcript, in the order they first speak.

    >>> speakers((Timing("a", 0, 1), Timing("b", 1, 2, "quote"), Timing("c", 2, 3)))
    ('narrator', 'quote')
    """
    return tuple(dict.fromkeys(t.speaker for t in sentences))


def render_vtt(sentences: tuple[Timing, ...], duration_ms: int) -> str:
    """One cue per spoken sentence; cues never overlap and the last one ends with the audio.

    With more than one speaker each cue's text is a voice span naming who says it.
    """
    voiced = len(speakers(sentences)) > 1
    out = ["WEBVTT", ""]
    for n, sentence in enumerate(sentences, start=1):
        end = duration_ms if n == len(sentences) else sentence.end_ms
        text = voiced_cue_text(sentence.text, sentence.speaker) if voiced else None
        out += [
            str(n),
            f"{vtt_timestamp(sentence.start_ms)} --> {vtt_timestamp(end)}",
            text or cue_text(sentence.text),
            "",
        ]
    return "\n".join(out)


# Quoted speech set apart from the narration, as the second voice sets it apart in the audio.
SPEAKER_STYLE = ".speaker-quote{font-style:italic;color:#1d4f7a}"


def speaker_class(speaker: str) -> str:
    """The HTML class of a speaker's parts in the transcript.

    >>> speaker_class("quote"), speaker_class("Guest 2")
    ('speaker-quote', 'speaker-guest-2')
    """
    return "speaker-" + "-".join(voice_name(speaker).lower().split())


def render_transcript_html(
    title: str, chapters: tuple[Chapter, ...], sentences: tuple[Timing, ...], language: str
) -> str:
    """A readable transcript page: chapter headings, then their sentences, each with its start time.

    With more than one speaker each sentence's span has the class ``speaker-<id>``
    (``speaker-quote`` for quoted speech), styled apart.
    """
    esc = html.escape
    voiced = len(speakers(sentences)) > 1
    body: list[str] = []
    chapter_iter = iter(chapters)
    next_chapter = next(chapter_iter, None)
    for sentence in sentences:
        while next_chapter is not None and sentence.start_ms >= next_chapter.start_ms:
            if body:
                body.append("</p>")
            body.append(f'<h2 id="t{next_chapter.start_ms}">{esc(next_chapter.title)}</h2>\n<p>')
            next_chapter = next(chapter_iter, None)
        css_class = f' class="{speaker_class(sentence.speaker)}"' if voiced else ""
        body.append(
            f'<span data-start="{sentence.start_ms / 1000:.3f}"{css_class}>'
            f"{esc(sentence.text)}</span> "
        )
    body.append("</p>")
    return (
        f'<!doctype html>\n<html lang="{esc(language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} (transcript)</title>\n"
        "<style>body{font:1.05rem/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}"
        "h2{font-size:1.15rem;margin-top:2rem}"
        f"{SPEAKER_STYLE if voiced else ''}</style>\n"
        f"</head>\n<body>\n<h1>{esc(title)}</h1>\n{''.join(body)}\n</body>\n</html>\n"
    )
