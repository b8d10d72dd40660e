"""Speakers in the transcripts: WebVTT voice spans, read back with webvtt-py, and HTML classes."""

from __future__ import annotations

import doctest
from html.parser import HTMLParser

import webvtt

from audiogen.models import NARRATOR, QUOTE, Chapter, Timing
from audiogen.publish import transcript
from audiogen.publish.transcript import render_transcript_html, render_vtt

# A sentence said in two voices: the attribution, then the quotation, then a plain sentence.
TWO_VOICES = (
    Timing("The mayor said,", 0, 900, NARRATOR),
    Timing(
        '"The bridge & the <old> rail line will both open again on Monday, whatever the weather."',
        900,
        4200,
        QUOTE,
    ),
    Timing("Traffic was light.", 4500, 5600, NARRATOR),
    Timing("“No,”", 5900, 6300, QUOTE),
    Timing("she said.", 6300, 6900, NARRATOR),
)

ONE_VOICE = (
    Timing("Fish & chips <cheap>.", 0, 1200),
    Timing("A second sentence.", 1500, 2500),
)


def test_single_speaker_vtt_is_unchanged() -> None:
    assert render_vtt(ONE_VOICE, 3000) == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:01.200\nFish &amp; chips &lt;cheap&gt;.\n\n"
        "2\n00:00:01.500 --> 00:00:03.000\nA second sentence.\n"
    )
    assert all(caption.voice is None for caption in webvtt.from_string(render_vtt(ONE_VOICE, 3000)))


def test_a_quotation_only_transcript_still_has_one_speaker() -> None:
    only_quotes = tuple(Timing(t.text, t.start_ms, t.end_ms, QUOTE) for t in ONE_VOICE)
    assert "<v " not in render_vtt(only_quotes, 3000)


def test_every_cue_names_its_speaker() -> None:
    captions = webvtt.from_string(render_vtt(TWO_VOICES, 7000))
    assert [c.voice for c in captions] == ["Narrator", "Quote", "Narrator", "Quote", "Narrator"]
    assert [c.start for c in captions] == [
        "00:00:00.000",
        "00:00:00.900",
        "00:00:04.500",
        "00:00:05.900",
        "00:00:06.300",
    ]
    assert captions[-1].end == "00:00:07.000"


def test_voice_spans_close_after_wrapped_lines_and_keep_escapes() -> None:
    captions = webvtt.from_string(render_vtt(TWO_VOICES, 7000))
    quote = captions[1]
    assert len(quote.lines) == 2  # wrapped: the span opens on the first line, closes on the last
    assert quote.lines[0].startswith("<v Quote>") and quote.lines[-1].endswith("</v>")
    assert quote.text.replace("\n", " ") == (
        '"The bridge &amp; the &lt;old&gt; rail line will both open again on Monday, whatever'
        ' the weather."'
    )


class _Spans(HTMLParser):
    """The transcript's sentence spans: (class or None, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[str | None, str]] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span":
            self._inside = True
            self.spans.append((dict(attrs).get("class"), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            cls, text = self.spans[-1]
            self.spans[-1] = (cls, text + data)


def _spans(page: str) -> list[tuple[str | None, str]]:
    parser = _Spans()
    parser.feed(page)
    return parser.spans


CHAPTERS = (Chapter("News", 0, 7000),)


def test_html_transcript_marks_quoted_parts() -> None:
    page = render_transcript_html("News", CHAPTERS, TWO_VOICES, "en")
    assert _spans(page) == [
        ("speaker-narrator", "The mayor said,"),
        ("speaker-quote", TWO_VOICES[1].text),
        ("speaker-narrator", "Traffic was light."),
        ("speaker-quote", "“No,”"),
        ("speaker-narrator", "she said."),
    ]
    assert transcript.SPEAKER_STYLE in page
    assert "&lt;old&gt;" in page and "<old>" not in page


def test_single_speaker_html_is_unchanged() -> None:
    page = render_transcript_html("News", CHAPTERS, ONE_VOICE, "en")
    assert _spans(page) == [(None, "Fish & chips <cheap>."), (None, "A second sentence.")]
    assert 'class="speaker' not in page and transcript.SPEAKER_STYLE not in page
    assert (
        '<h2 id="t0">News</h2>\n<p><span data-start="0.000">Fish &amp; chips &lt;cheap&gt;.</span>'
        ' <span data-start="1.500">A second sentence.</span> </p>'
    ) in page


def test_doctests() -> None:
    assert doctest.testmod(transcript).failed == 0
