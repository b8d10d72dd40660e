"""The pipeline end to end, with a tone engine for speed and the real Piper voice once."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import miniaudio
import numpy as np
import podcastparser
import pytest
import webvtt
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from audiogen import pipeline
from audiogen.audio.loudness import integrated_loudness, true_peak_dbtp
from audiogen.models import Audio, Document, Show
from audiogen.sources import registry
from audiogen.sources.base import SourceContext
from tests.conftest import SAMPLE, ToneEngine, build_one, require_tool

SHOW = Show(title="Test Show", author="Test Author", base_url="https://example.com/pod/")


def _article(
    tmp_path: Path, name: str, title: str, body: str = "Some words here. More words there."
) -> str:
    path = tmp_path / name
    path.write_text(
        f"# {title}\n\n{body}\n\n## Later\n\nThe end is near. It is here.\n", encoding="utf-8"
    )
    return str(path)


def _build(source: str, out: Path, engine: ToneEngine, when: str) -> pipeline.Episode:
    options = pipeline.BuildOptions(output=out, show=SHOW)
    return build_one(source, options, engine=engine, now=datetime.fromisoformat(when))


def test_build_writes_tagged_mp3_and_feed(tmp_path: Path, tone_engine: ToneEngine) -> None:
    out = tmp_path / "out"
    source = _article(tmp_path, "a.md", "Fish & Chips: 3 < 4")
    episode = _build(source, out, tone_engine, "2024-01-05T10:00:00+00:00")
    mp3 = out / episode.path
    assert mp3.is_file() and episode.path == "episodes/fish-chips-3-4.mp3"
    # The engine hears words, not symbols; titles and chapters keep the written form.
    assert tone_engine.calls[0] == "Fish and Chips: three is less than four"
    assert [c.title for c in episode.chapters] == ["Fish & Chips: 3 < 4", "Later"]
    tag = ID3(mp3)
    assert [str(f.sub_frames["TIT2"]) for f in tag.getall("CHAP")] == [
        "Fish & Chips: 3 < 4",
        "Later",
    ]
    assert MP3(mp3).info.length == pytest.approx(episode.duration_ms / 1000, abs=0.08)

    parsed = podcastparser.parse(
        "https://example.com/pod/feed.xml", io.BytesIO((out / "feed.xml").read_bytes())
    )
    (item,) = parsed["episodes"]
    assert item["title"] == "Fish & Chips: 3 < 4"
    assert item["enclosures"][0]["file_size"] == mp3.stat().st_size
    assert item["total_time"] == round(MP3(mp3).info.length)
    assert (out / "cover.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
    assert not list(out.rglob("*.tmp"))


def test_rebuild_keeps_guid_and_date_and_adds_new_episodes(
    tmp_path: Path, tone_engine: ToneEngine
) -> None:
    out = tmp_path / "out"
    a = _article(tmp_path, "a.md", "Story A")
    b = _article(tmp_path, "b.md", "Story B")
    first = _build(a, out, tone_engine, "2024-01-01T00:00:00+00:00")
    _build(b, out, tone_engine, "2024-01-02T00:00:00+00:00")
    before = feedparser.parse((out / "feed.xml").read_bytes())
    # Story A is edited and rebuilt later: same guid and date, still one entry for it.
    Path(a).write_text("# Story A\n\nA corrected sentence.\n", encoding="utf-8")
    again = _build(a, out, tone_engine, "2024-03-01T00:00:00+00:00")
    after = feedparser.parse((out / "feed.xml").read_bytes())
    assert again.guid == first.guid
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    assert [e.title for e in after.entries] == ["Story B", "Story A"]
    assert after.entries[1].published == before.entries[1].published
    assert len(list((out / "episodes").glob("*.mp3"))) == 2


class TwoPagesSource:
    """A source plugin of the test's own: two pages of the same title at two addresses."""

    name = "two-pages"
    description = "two pages of one title"
    priority = 1000

    def recognises(self, target: str, head: bytes | None, context: SourceContext) -> bool:
        return target == "two-pages"

    def read(self, target: str, context: SourceContext) -> Iterator[Document]:
        for n in (1, 2):
            text = f"# Same\n\nPage number {n} says something of its own.\n"
            yield Document(text, "markdown", target, url=f"https://a.example/{n}")


def test_same_title_from_another_url_gets_its_own_file(
    tmp_path: Path, tone_engine: ToneEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    builtin = registry.sources()
    monkeypatch.setattr(registry, "sources", lambda: (TwoPagesSource(), *builtin))
    options = pipeline.BuildOptions(output=tmp_path / "out", show=SHOW)
    one, two = pipeline.build(["two-pages"], options, engine=tone_engine).episodes
    assert (one.path, two.path) == ("episodes/same.mp3", "episodes/same-2.mp3")
    assert one.guid != two.guid


@pytest.mark.slow
def test_sample_article_builds_with_piper_from_the_command_line(tmp_path: Path) -> None:
    """The bundled sample through the real CLI and the real default voice."""
    out = tmp_path / "site"
    started = int(datetime.now(UTC).timestamp())
    result = subprocess.run(
        [sys.executable, "-m", "audiogen", "build", str(SAMPLE), "-o", str(out), "--deterministic",
         "--base-url", "https://example.com/pod/"],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (mp3,) = (out / "episodes").glob("*.mp3")
    assert mp3.name == "harbor-town-votes-to-put-solar-panels-on-its-old-ferry-terminal.mp3"
    info = MP3(mp3).info
    assert (info.sample_rate, info.channels, info.bitrate) == (44_100, 1, 96_000)
    assert 40 < info.length < 180

    tag = ID3(mp3)
    assert str(tag["TIT2"]) == "Harbor Town Votes to Put Solar Panels on Its Old Ferry Terminal"
    assert tag.getall("APIC") and tag.getall("USLT")
    spoken = tag.getall("USLT")[0].text
    assert "Mayor Dana Whitfield" in spoken and "Residents can comment" in spoken
    for unwanted in ("Getty", "Subscribe", "What's Included", "<u>", "\\"):
        assert unwanted not in spoken

    ffprobe = require_tool("ffprobe")
    probed = json.loads(
        subprocess.run(
            [ffprobe, "-v", "error", "-show_chapters", "-of", "json", str(mp3)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    titles = [c["tags"]["title"] for c in probed["chapters"]]
    starts = [float(c["start_time"]) for c in probed["chapters"]]
    assert titles == [
        "Harbor Town Votes to Put Solar Panels on Its Old Ferry Terminal",
        "What It Costs",
        "What Comes Next",
    ]
    assert starts == sorted(starts) and starts[0] == 0

    decoded = miniaudio.decode_file(
        str(mp3), output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1
    )
    samples = np.asarray(decoded.samples, dtype=np.float64) / 32768
    assert integrated_loudness(samples, decoded.sample_rate) == pytest.approx(-16.0, abs=1.0)
    assert true_peak_dbtp(samples) <= -1.0

    xml = (out / "feed.xml").read_bytes()
    parsed = podcastparser.parse("https://example.com/pod/feed.xml", io.BytesIO(xml))
    (item,) = parsed["episodes"]
    assert item["title"] == titles[0]
    assert item["enclosures"][0]["file_size"] == mp3.stat().st_size
    assert item["enclosures"][0]["url"] == f"https://example.com/pod/episodes/{mp3.name}"
    assert item["total_time"] == round(info.length)
    assert feedparser.parse(xml).entries[0].itunes_duration == str(round(info.length))
    # The sample names no date: the episode is dated when it was built.
    assert started <= item["published"] <= datetime.now(UTC).timestamp()


class PickyEngine(ToneEngine):
    """Fails on text with nothing to say, as some real engines do."""

    def synthesize(self, text: str) -> Audio:
        if not any(c.isalnum() for c in text):
            raise AssertionError(f"the engine was sent {text!r}")
        return super().synthesize(text)


class SilentOnQuotesEngine(ToneEngine):
    """Answers some sentences with no audio at all, as Piper does for a lone symbol."""

    def synthesize(self, text: str) -> Audio:
        if "shrug" in text:
            return Audio(b"", self.rate)
        return super().synthesize(text)


def test_sentences_of_only_punctuation_never_reach_the_engine(tmp_path: Path) -> None:
    source = tmp_path / "quotes.md"
    source.write_text(
        '# Quotes\n\nShe turned left or right. " \n\nThen * * * came. — … !?\n\nThe end.\n',
        encoding="utf-8",
    )
    engine = PickyEngine()
    episode = build_one(source, pipeline.BuildOptions(output=tmp_path / "out"), engine=engine)
    assert episode.duration_ms > 0
    assert all(any(c.isalnum() for c in text) for text in engine.calls)
    assert "The end." in engine.calls


def test_an_engine_that_answers_with_no_audio_does_not_end_the_batch(tmp_path: Path) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text("# First\n\nHe gave a shrug. Then he spoke.\n", encoding="utf-8")
    second.write_text("# Second\n\nThe second story.\n", encoding="utf-8")
    options = pipeline.BuildOptions(output=tmp_path / "out")
    result = pipeline.build([str(first), str(second)], options, engine=SilentOnQuotesEngine())
    assert [e.article.title for e in result.episodes] == ["First", "Second"]
    shrug = next(t for t in result.episodes[0].sentences if "shrug" in t.text)
    assert 0 < shrug.end_ms - shrug.start_ms < 100  # a moment of silence holds its place


def test_quotations_in_a_second_voice_end_to_end(tmp_path: Path) -> None:
    source = tmp_path / "quotes.md"
    source.write_text(
        '# The Vote\n\n"We will build it," the mayor said. The council agreed.\n\n'
        "Nobody spoke against it.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "audiogen", "build", str(source), "-o", str(out), "-q",
         "-e", "espeak", "--quote-voice", "auto", "--cache-dir", str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (vtt,) = (out / "episodes").glob("*.vtt")
    captions = list(webvtt.read(str(vtt)))
    cues = [(c.voice, c.text) for c in captions]
    assert ("Quote", '"We will build it,"') in cues
    assert ("Narrator", "the mayor said.") in cues
    assert ("Narrator", "Nobody spoke against it.") in cues
    # The quotation and its attribution are one sentence: a breath between them, not a pause.
    at = {c.text: (_ms(c.start), _ms(c.end)) for c in captions}
    breath = at["the mayor said."][0] - at['"We will build it,"'][1]
    pause = at["The council agreed."][0] - at["the mayor said."][1]
    assert 0 < breath < pause


def _ms(stamp: str) -> int:
    hours, minutes, seconds = stamp.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)
