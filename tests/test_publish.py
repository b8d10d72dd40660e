"""Chapters, transcripts, section files, music and covers: every timing source agrees."""

from __future__ import annotations

import io
import json
import subprocess
import wave
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import feedparser
import numpy as np
import pytest
import webvtt
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from PIL import Image

from audiogen import pipeline
from audiogen.models import EpisodeSettings, Show, Timing
from audiogen.publish.cover import normalize_cover, render_cover
from audiogen.publish.transcript import CUE_LINE_WIDTH, render_vtt
from tests.conftest import ToneEngine, build_one, require_tool

SHOW = Show(title="Harbor Weekly", author="Desk", base_url="https://example.com/p/")
ARTICLE = """# The Harbor Story

The first paragraph has a rather long sentence that goes on and on past sixty-five characters, to wrap.
A short one.

## Costs

It costs money. Quite a lot of it, they said.

## Next

Work starts soon.
"""


def _ms(stamp: str) -> int:
    """WebVTT 'HH:MM:SS.mmm' in milliseconds (webvtt-py's *_in_seconds drop the milliseconds)."""
    hours, minutes, seconds = stamp.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, pipeline.Episode]:
    source = tmp_path / "story.md"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    episode = build_one(
        str(source), pipeline.BuildOptions(output=out, show=SHOW), engine=ToneEngine()
    )
    return out, episode


def test_chapters_agree_everywhere(built: tuple[Path, pipeline.Episode]) -> None:
    out, episode = built
    stem = out / "episodes" / episode.slug
    from_json = [
        (round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["title"])
        for c in json.loads((stem.with_suffix(".chapters.json")).read_text())["chapters"]
    ]
    tag = ID3(out / episode.path)
    from_id3 = sorted(
        (c.start_time, c.end_time, str(c.sub_frames["TIT2"])) for c in tag.getall("CHAP")
    )
    ffprobe = require_tool("ffprobe")
    probed = json.loads(
        subprocess.run(
            [ffprobe, "-v", "error", "-show_chapters", "-of", "json", str(out / episode.path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )["chapters"]
    from_ffprobe = [
        (
            round(float(c["start_time"]) * 1000),
            round(float(c["end_time"]) * 1000),
            c["tags"]["title"],
        )
        for c in probed
    ]
    expected = [(c.start_ms, c.end_ms, c.title) for c in episode.chapters]
    assert [t for _, _, t in expected] == ["The Harbor Story", "Costs", "Next"]
    assert from_json == from_id3 == from_ffprobe == expected
    # Chapter 2 starts exactly where its heading is spoken in the transcript.
    cues = webvtt.read(str(stem.with_suffix(".vtt")))
    heading = next(c for c in cues if c.text == "Costs")
    assert _ms(heading.start) == expected[1][0]


def test_vtt_is_timed_from_audio_and_ends_with_it(built: tuple[Path, pipeline.Episode]) -> None:
    out, episode = built
    cues = webvtt.read(str(out / "episodes" / f"{episode.slug}.vtt"))
    assert [c.text.replace("\n", " ") for c in cues] == [t.text for t in episode.sentences]
    assert [(_ms(c.start), c.identifier) for c in cues] == [
        (t.start_ms, str(n)) for n, t in enumerate(episode.sentences, start=1)
    ]
    ends = [_ms(c.end) for c in cues]
    starts = [_ms(c.start) for c in cues]
    assert all(s < e for s, e in zip(starts, ends, strict=True))
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))
    assert ends[-1] == episode.duration_ms
    assert MP3(out / episode.path).info.length == pytest.approx(
        episode.duration_ms / 1000, abs=0.08
    )
    assert max(len(line) for c in cues for line in c.text.splitlines()) <= CUE_LINE_WIDTH
    assert any("\n" in c.text for c in cues)  # the long sentence wrapped


def test_vtt_escapes_markup() -> None:
    vtt = render_vtt((Timing("a <b> & --> c", 0, 1000),), 1500)
    assert "a &lt;b&gt; &amp; --&gt; c" in vtt and "00:00:00.000 --> 00:00:01.500" in vtt


def test_feed_links_chapters_and_transcripts(built: tuple[Path, pipeline.Episode]) -> None:
    out, episode = built
    xml = (out / "feed.xml").read_text(encoding="utf-8")
    base = f"https://example.com/p/episodes/{episode.slug}"
    assert (
        f'<podcast:chapters url="{base}.chapters.json" type="application/json+chapters" />' in xml
    )
    assert (
        f'<podcast:transcript url="{base}.vtt" type="text/vtt" language="en" rel="captions" />'
        in xml
    )
    assert (
        f'<podcast:transcript url="{base}.transcript.html" type="text/html" language="en" />' in xml
    )
    html = (out / "episodes" / f"{episode.slug}.transcript.html").read_text(encoding="utf-8")
    assert "<h2" in html and "Work starts soon." in html


def test_split_writes_one_tagged_mp3_per_section(tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    options = pipeline.BuildOptions(output=out, show=SHOW, split=True)
    episode = build_one(str(source), options, engine=ToneEngine())
    parts = sorted((out / "episodes" / episode.slug).glob("*.mp3"))
    assert [p.name for p in parts] == ["01-the-harbor-story.mp3", "02-costs.mp3", "03-next.mp3"]
    for part, chapter in zip(parts, episode.chapters, strict=True):
        assert MP3(part).info.length == pytest.approx(
            (chapter.end_ms - chapter.start_ms) / 1000, abs=0.08
        )
        assert str(ID3(part)["TIT2"]) == chapter.title
    assert str(ID3(parts[1])["TRCK"]) == "2/3"


def _wav(path: Path, seconds: float, rate: int = 44_100) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.4 * np.sin(2 * np.pi * 330 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(samples.tobytes())
    return path


def test_intro_outro_speech_and_music(tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    source.write_text(ARTICLE, encoding="utf-8")
    plain = build_one(
        str(source),
        pipeline.BuildOptions(output=tmp_path / "plain", show=SHOW),
        engine=ToneEngine(),
    )
    settings = EpisodeSettings(
        intro="{show}. {title}, by {author}.",
        outro="That was {show}.",
        intro_music=_wav(tmp_path / "in.wav", 8),
        outro_music=_wav(tmp_path / "out.wav", 6),
    )
    engine = ToneEngine()
    framed = build_one(
        str(source),
        pipeline.BuildOptions(output=tmp_path / "framed", show=SHOW, episode=settings),
        engine=engine,
    )
    assert engine.calls[0] == "Harbor Weekly. The Harbor Story, by Desk."
    assert engine.calls[-1] == "That was Harbor Weekly."
    # The voice starts after 3 s of intro music; the chapters still start at zero.
    assert framed.sentences[0].start_ms == pytest.approx(300 + 3000, abs=2)
    assert framed.chapters[0].start_ms == 0
    assert framed.duration_ms > plain.duration_ms + 3000
    # Under the voice the intro music is ducked: quieter than where it plays alone.
    pcm = np.frombuffer(_decode(tmp_path / "framed" / framed.path), dtype="<i2").astype(float)
    alone = np.sqrt(np.mean(pcm[int(0.5 * 44100) : int(2.0 * 44100)] ** 2))
    gap = (
        framed.sentences[0].end_ms,
        framed.sentences[1].start_ms,
    )  # music only, ducked, between lines
    under = np.sqrt(np.mean(pcm[int((gap[0] + 100) * 44.1) : int((gap[1] - 100) * 44.1)] ** 2))
    assert under < alone / 4


def _decode(path: Path) -> bytes:
    import miniaudio

    decoded = miniaudio.decode_file(
        str(path), output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=44_100
    )
    return bytes(decoded.samples)


def test_three_articles_make_one_feed_and_a_rebuild_keeps_guids(tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = pipeline.BuildOptions(output=out, show=SHOW)
    sources = []
    for n in range(3):
        path = tmp_path / f"a{n}.md"
        path.write_text(f"# Article {n}\n\nBody of article {n}.\n", encoding="utf-8")
        sources.append(str(path))
        build_one(
            str(path),
            options,
            engine=ToneEngine(),
            now=datetime.fromisoformat(f"2024-01-0{n + 1}T08:00:00+00:00"),
        )
    before = feedparser.parse((out / "feed.xml").read_bytes())
    # An edited article is built again and keeps its guid and its first date.
    Path(sources[1]).write_text("# Article 1\n\nA new body of article 1.\n", encoding="utf-8")
    build_one(
        sources[1],
        options,
        engine=ToneEngine(),
        now=datetime.fromisoformat("2024-05-01T08:00:00+00:00"),
    )
    after = feedparser.parse((out / "feed.xml").read_bytes())
    assert len(after.entries) == 3
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    assert [e.title for e in after.entries] == ["Article 2", "Article 1", "Article 0"]


def test_generated_cover_meets_apple_rules() -> None:
    image = Image.open(io.BytesIO(render_cover("A Show")))
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1400, 1400))


def test_user_cover_is_made_square_and_large_enough() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (800, 600), (10, 20, 30, 255)).save(out, format="PNG")
    fixed = Image.open(io.BytesIO(normalize_cover(out.getvalue(), "art.png")))
    assert (fixed.format, fixed.mode, fixed.size) == ("JPEG", "RGB", (1400, 1400))
    good = render_cover("ok")
    assert normalize_cover(good, "ok.jpg") == good


def test_show_cover_from_config_lands_in_the_site(tmp_path: Path) -> None:
    art = tmp_path / "art.jpg"
    art.write_bytes(render_cover("Mine"))
    source = tmp_path / "s.md"
    source.write_text("# T\n\nText here.\n", encoding="utf-8")
    out = tmp_path / "out"
    episode = build_one(
        str(source),
        pipeline.BuildOptions(output=out, show=SHOW, cover_file=art),
        engine=ToneEngine(),
    )
    assert (out / "cover.jpg").read_bytes() == art.read_bytes()
    assert ID3(out / episode.path).getall("APIC")[0].data == art.read_bytes()
    assert replace(SHOW).cover == "cover.jpg"
