"""Stitching, loudness, encoding and tagging, checked by measurement and read-back, never by bytes."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path

import miniaudio
import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from audiogen.audio.encode import encode_mp3
from audiogen.audio.loudness import integrated_loudness, normalize_loudness, true_peak_dbtp
from audiogen.audio.stitch import Pauses
from audiogen.audio.synth import script
from audiogen.audio.tags import TagInfo, write_tags
from audiogen.errors import AudioFailed
from audiogen.models import Article, Chapter, Section
from tests.conftest import ToneEngine, require_tool, speak_directly, stitch

ARTICLE = Article(
    title="A Title",
    sections=(
        Section.of(0, "A Title", (("One.", "Two two."), ("Three three three.",))),
        Section.of(1, "Second part", (("Four.",),)),
    ),
)


def test_script_orders_title_headings_and_sentences() -> None:
    lines = script(ARTICLE)
    assert [(line.kind, line.text) for line in lines] == [
        ("title", "A Title"),
        ("sentence", "One."),
        ("sentence", "Two two."),
        ("sentence", "Three three three."),
        ("heading", "Second part"),
        ("sentence", "Four."),
    ]
    assert [line.ends_paragraph for line in lines] == [False, False, True, True, False, True]
    assert [line.ends_section for line in lines] == [False, False, False, True, False, True]


def test_stitch_timings_follow_the_audio_and_pauses(tone_engine: ToneEngine) -> None:
    pauses = Pauses()
    narration = stitch(
        speak_directly(script(ARTICLE), tone_engine), ("A Title", "Second part"), pauses
    )
    timings = narration.sentences
    assert [t.text for t in timings] == [line.text for line in script(ARTICLE)]
    durations = [t.end_ms - t.start_ms for t in timings]
    # ToneEngine speaks 60 ms a character.
    assert durations == [pytest.approx(60 * len(t.text), abs=2) for t in timings]
    gaps = [b.start_ms - a.end_ms for a, b in itertools.pairwise(timings)]
    assert gaps == [
        pytest.approx(pauses.after_title, abs=2),
        pytest.approx(pauses.between_sentences, abs=2),
        pytest.approx(pauses.between_paragraphs, abs=2),
        pytest.approx(pauses.between_sections, abs=2),
        pytest.approx(pauses.after_heading, abs=2),
    ]
    assert timings[0].start_ms == pytest.approx(pauses.lead_in, abs=2)
    assert narration.duration_ms == pytest.approx(timings[-1].end_ms + pauses.tail, abs=2)
    assert narration.chapters == (
        Chapter("A Title", 0, timings[4].start_ms),
        Chapter("Second part", timings[4].start_ms, narration.duration_ms),
    )
    assert narration.sample_rate == 44_100


def _speechlike(seconds: float, rate: int = 44_100, level: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    rng = np.random.default_rng(7)
    bursts = (np.sin(2 * np.pi * 2.5 * t) > 0).astype(float)
    return level * bursts * (np.sin(2 * np.pi * 220 * t) + 0.3 * rng.standard_normal(len(t)))


@pytest.mark.parametrize("level", [0.02, 0.3, 0.99])
def test_loudness_is_normalized_to_podcast_target(level: float) -> None:
    samples = _speechlike(12, level=level)
    out, lufs, peak = normalize_loudness(samples, 44_100)
    assert integrated_loudness(out, 44_100) == pytest.approx(-16.0, abs=0.3)
    assert true_peak_dbtp(out) <= -1.0
    assert (lufs, peak) == (
        pytest.approx(integrated_loudness(out, 44_100)),
        pytest.approx(true_peak_dbtp(out)),
    )


def test_silence_cannot_be_normalized() -> None:
    with pytest.raises(AudioFailed, match="silent"):
        normalize_loudness(np.zeros(44_100 * 2), 44_100)


def test_encoded_mp3_is_cbr_mono_44k(tmp_path: Path) -> None:
    pcm = (_speechlike(6) * 20000).astype("<i2").tobytes()
    path = tmp_path / "a.mp3"
    path.write_bytes(encode_mp3(pcm, 44_100, 96))
    info = MP3(path).info
    assert (info.sample_rate, info.channels, info.bitrate) == (44_100, 1, 96_000)
    assert info.length == pytest.approx(6.0, abs=0.06)
    ffprobe = require_tool("ffprobe")
    out = subprocess.run(
        [
            ffprobe,
            "-v",
            "error",
            "-select_streams",
            "a",
            "-show_entries",
            "packet=size",
            "-of",
            "json",
            str(path),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sizes = {p["size"] for p in json.loads(out)["packets"]}
    # 96 kbit/s at 44.1 kHz: 1152 * 96000 / 8 / 44100 = 313.47 bytes, so 313 or 314 with padding; VBR varies widely.
    assert {int(s) for s in sizes} <= {313, 314}


def test_unsupported_bitrate() -> None:
    with pytest.raises(AudioFailed, match="bitrate"):
        encode_mp3(b"\x00\x00" * 100, 44_100, 100)


def _chapters(n: int) -> tuple[Chapter, ...]:
    # Titles of very different lengths: mutagen's default save would order CHAP frames by size.
    titles = ["A much much longer chapter title than the rest", "B", "Chapter three, medium", "D4"]
    return tuple(Chapter(titles[i % 4] + f" {i}", i * 5000, (i + 1) * 5000) for i in range(n))


def test_tags_read_back_with_chapters_in_time_order(tmp_path: Path) -> None:
    path = tmp_path / "ep.mp3"
    pcm = (_speechlike(40) * 20000).astype("<i2").tobytes()
    path.write_bytes(encode_mp3(pcm, 44_100))
    chapters = _chapters(8)
    cover = b"\xff\xd8\xff\xe0fakejpeg"
    write_tags(
        path,
        TagInfo(
            title="Ep <b>1</b>",
            artist="Jane Doe",
            album="The Show",
            date="2024-01-05",
            language="en",
            chapters=chapters,
            text="Every word.",
            cover=cover,
        ),
    )
    tag = ID3(path)
    assert tag.version[:2] == (2, 4)
    assert str(tag["TIT2"]) == "Ep <b>1</b>"
    assert (str(tag["TPE1"]), str(tag["TALB"]), str(tag["TDRC"]), str(tag["TLAN"])) == (
        "Jane Doe",
        "The Show",
        "2024-01-05",
        "eng",
    )
    assert tag.getall("APIC")[0].data == cover
    assert tag.getall("USLT")[0].text == "Every word."
    toc = tag.getall("CTOC")[0]
    assert toc.child_element_ids == [f"chp{i}" for i in range(8)]
    chaps = tag.getall("CHAP")
    assert sorted((c.start_time, c.end_time, str(c.sub_frames["TIT2"])) for c in chaps) == [
        (c.start_ms, c.end_ms, c.title) for c in chapters
    ]

    ffprobe = require_tool("ffprobe")
    out = subprocess.run(
        [ffprobe, "-v", "error", "-show_chapters", "-of", "json", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    listed = [
        (round(float(c["start_time"]) * 1000), c["tags"]["title"])
        for c in json.loads(out)["chapters"]
    ]
    assert listed == [(c.start_ms, c.title) for c in chapters]


def test_retagging_replaces_the_old_tag(tmp_path: Path) -> None:
    path = tmp_path / "ep.mp3"
    path.write_bytes(encode_mp3((_speechlike(3) * 20000).astype("<i2").tobytes(), 44_100))
    base = dict(artist="a", album="b", date="2024", language="de", chapters=_chapters(2))
    write_tags(path, TagInfo(title="first", **base))  # type: ignore[arg-type]
    write_tags(path, TagInfo(title="second", **base))  # type: ignore[arg-type]
    tag = ID3(path)
    assert str(tag["TIT2"]) == "second" and str(tag["TLAN"]) == "ger"
    decoded = miniaudio.decode_file(str(path))
    assert decoded.duration == pytest.approx(3.0, abs=0.06)
