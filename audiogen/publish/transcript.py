"""Transcripts timed from the synthesized audio: WebVTT captions and an HTML transcript.

Each sentence was spoken on its own and measured, so every cue starts and
ends where that sentence does in the MP3; nothing is estimated from text.

When more than the narrator speaks (quotations read in a second voice), every
cue names its speaker with a WebVTT voice span (``<v Narrator>``, ``<v Quote>``)
and the HTML transcript gives each speaker's parts a class of their own. With one
speaker both are exactly as they always were.

When the engine told where each spoken word is (Kokoro does), every cue also
carries WebVTT timestamp tags (``<00:00:01.250>``) before its words, for a
player that follows the speech word by word. The cue text stays the written
sentence; the spoken words' times are put on the written words by aligning
the two (``word_starts``), since what is said can differ from what is written
("five million dollars" for "$5 million"). Without word timings the cues are
exactly as before.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from difflib import SequenceMatcher

from audiogen.models import NARRATOR, QUOTE, Chapter, Timing, WordTiming

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
    return "\n".join(escape_cue(line) for line in lines)


def escape_cue(text: str) -> str:
    """Text with WebVTT's special characters escaped.

    >>> escape_cue("<b> & </b>")
    '&lt;b&gt; &amp; &lt;/b&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _key(word: str, n: int) -> str:
    """A word's letters and digits, case folded; a word of neither matches nothing."""
    key = "".join(c for c in word.casefold() if c.isalnum())
    return key or f"\x00{n}"


def word_starts(written: Sequence[str], spoken: Sequence[WordTiming]) -> list[int | None]:
    """When each written word starts being said, in ms; None where a word goes on with the
    one before it (nothing of it is said apart, as "-" or a word the speech left out).

    The written and the spoken words are aligned on their letters. Where they
    differ, a written word takes the start of the spoken words it became, and
    a spoken word that was never written (the "dollars" of "$5") belongs to
    the written word before it.

    >>> said = lambda *words: [WordTiming(w, 100 * n, 100 * n + 90) for n, w in enumerate(words)]
    >>> word_starts("It cost $5 million.".split(), said("It", "cost", "five", "million", "dollars."))
    [0, 100, 200, 300]
    >>> word_starts("Dr. Smith — 3.5% up".split(), said("Doctor", "Smith", "three", "point", "five", "percent", "up"))
    [0, 100, None, 200, 600]
    >>> word_starts(["“Harbor’s", "nine-to-five"], said("Harbor's", "nine-to-five"))
    [0, 100]
    >>> word_starts("$5 million & more".split(), said("five", "million", "dollars", "and", "more"))
    [0, 100, 300, 400]
    """
    keys = [_key(w, n) for n, w in enumerate(written)]
    matcher = SequenceMatcher(
        None, keys, [_key(w.text, -1 - n) for n, w in enumerate(spoken)], autojunk=False
    )
    starts: list[int | None] = [None] * len(written)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                starts[i] = spoken[j].start_ms
        elif tag == "replace":
            # The first written word with letters or digits was said first; a dash was not.
            # A symbol alone ("&") is the last of the words said there: those before it
            # ("dollars", of "$5") finish the written word before.
            said = [i for i in range(i1, i2) if not keys[i].startswith("\x00")]
            starts[said[0] if said else i1] = spoken[j1 if said else j2 - 1].start_ms
    return starts


def wrap_words(words: Sequence[str], width: int = CUE_LINE_WIDTH) -> list[list[int]]:
    """The words' indices in lines of at most ``width`` characters (a longer word alone).

    >>> wrap_words(["ab", "cd", "efghij", "k"], width=5)
    [[0, 1], [2], [3]]
    """
    lines: list[list[int]] = []
    length = 0
    for n, word in enumerate(words):
        if lines and length + 1 + len(word) <= width:
            lines[-1].append(n)
            length += 1 + len(word)
        else:
            lines.append([n])
            length = len(word)
    return lines


def timed_cue_text(sentence: Timing, end_ms: int, width: int = CUE_LINE_WIDTH) -> str:
    """Cue payload with a WebVTT timestamp tag before each written word said apart.

    A tag must lie after the cue's start, after the tag before it, and before
    the cue's end; a word whose start would break that goes on with the one before.

    >>> words = (WordTiming("five", 1300, 1600), WordTiming("million", 1650, 2000),
    ...          WordTiming("dollars", 2050, 2400), WordTiming("<b>", 2450, 2500))
    >>> print(timed_cue_text(Timing("$5 million <b>", 1000, 2600, words=words), 2600))
    <00:00:01.300>$5 <00:00:01.650>million <00:00:02.450>&lt;b&gt;
    """
    written = sentence.text.split()
    starts = word_starts(written, sentence.words)
    last = sentence.start_ms
    tagged = []
    for word, start in zip(written, starts, strict=True):
        text = escape_cue(word)
        if start is not None and last < start < end_ms:
            text = f"<{vtt_timestamp(start)}>{text}"
            last = start
        tagged.append(text)
    lines = wrap_words(written, width) or [[]]
    return "\n".join(" ".join(tagged[n] for n in line) for line in lines)


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

    With more than one speaker each cue's text is a voice span naming who says it;
    with word timings, its words carry timestamp tags (inside the voice span).
    """
    voiced = len(speakers(sentences)) > 1
    out = ["WEBVTT", ""]
    for n, sentence in enumerate(sentences, start=1):
        end = duration_ms if n == len(sentences) else sentence.end_ms
        body = timed_cue_text(sentence, end) if sentence.words else cue_text(sentence.text)
        text = f"<v {voice_name(sentence.speaker)}>{body}</v>" if voiced else body
        out += [str(n), f"{vtt_timestamp(sentence.start_ms)} --> {vtt_timestamp(end)}", text, ""]
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
