"""Word timings through the pipeline: the sentence cache, the episode layout, the render
record and the WebVTT transcript (read back with webvtt-py), with an engine that gives them
(a tone engine here; Kokoro in the slow end-to-end test at the bottom)."""

from __future__ import annotations

import doctest
import hashlib
import re
import struct
from dataclasses import replace
from pathlib import Path

import pytest
import webvtt

from audiogen import pipeline
from audiogen.audio.cache import MAGIC, SpeechCache
from audiogen.audio.render import AudioRecord
from audiogen.audio.stitch import DEFAULT_PAUSES, EPISODE_RATE, Clip, plan
from audiogen.engines import words as words_module
from audiogen.errors import AudioFailed
from audiogen.models import (
    NARRATOR,
    QUOTE,
    Audio,
    Rendered,
    Show,
    Timing,
    Utterance,
    Word,
    WordTiming,
)
from audiogen.publish import transcript
from audiogen.publish.transcript import render_vtt
from tests.conftest import SAMPLE, ToneEngine, WordToneEngine, build_one

SHOW = Show(title="Words", base_url="https://example.com/pod/")
STAMP = re.compile(r"<(\d{2}):(\d{2}):(\d{2})\.(\d{3})>")


def test_doctests() -> None:
    for module in (words_module, transcript):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0


def stamps_ms(raw: str) -> list[int]:
    """The timestamp tags of a cue payload, in ms, in order."""
    return [
        ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)
        for h, m, s, ms in STAMP.findall(raw)
    ]


def ms(stamp: str) -> int:
    h, m, rest = stamp.split(":")
    return round(((int(h) * 60 + int(m)) * 60 + float(rest)) * 1000)


# -- the cache ------------------------------------------------------------------------------


def test_the_cache_keeps_word_timings_with_the_audio(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    words = (Word("Fish", 100, 900), Word("&", 1000, 1400), Word("“chips”", 1500, 2000))
    audio = Audio(bytes(4000), 16_000, words)
    assert cache.put("a" * 64, audio).words == words
    assert cache.read("a" * 64) == audio
    assert cache.entry("a" * 64) is not None and cache.entry("a" * 64).words == words  # type: ignore[union-attr]
    plain = Audio(bytes(4000), 16_000)
    cache.put("b" * 64, plain)
    assert cache.read("b" * 64) == plain and cache.read("b" * 64).words == ()


def test_an_entry_of_the_first_format_still_loads_without_words(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    pcm = bytes(range(200)) * 10
    header = struct.pack("<4sIIQ32s", MAGIC, 1, 22_050, len(pcm) // 2, hashlib.sha256(pcm).digest())
    path = cache.path("c" * 64)
    path.parent.mkdir(parents=True)
    path.write_bytes(header + pcm)  # as audiogen wrote entries before word timings
    assert cache.read("c" * 64) == Audio(pcm, 22_050)
    # And a sentence without words is still written in that format, byte for byte.
    cache.put("d" * 64, Audio(pcm, 22_050))
    assert cache.path("d" * 64).read_bytes() == header + pcm


def test_an_engine_that_gives_word_timings_has_its_entries_stored_timed(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    pcm = bytes(4000)
    # A sentence it could not time: format 2 with an empty list, unlike one from before.
    untimed = cache.put("a" * 64, Audio(pcm, 16_000), timed=True)
    assert untimed.timed and untimed.words == ()
    assert cache.path("a" * 64).read_bytes()[4:8] == struct.pack("<I", 2)
    assert cache.entry("a" * 64) == untimed and cache.read("a" * 64) == Audio(pcm, 16_000)
    timed = cache.put("b" * 64, Audio(pcm, 16_000, (Word("a", 0, 10),)))
    assert timed.timed and cache.entry("b" * 64) == timed
    plain = cache.put("c" * 64, Audio(pcm, 16_000))
    assert not plain.timed and cache.entry("c" * 64) == plain


def test_damaged_or_impossible_word_timings_are_never_used(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    cache.put("e" * 64, Audio(bytes(4000), 16_000, (Word("a", 0, 10),)))
    path = cache.path("e" * 64)
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01  # inside the words' JSON: the checksum no longer matches
    path.write_bytes(bytes(data))
    assert cache.entry("e" * 64) is None and not path.exists()
    with pytest.raises(AudioFailed, match="word timings"):
        cache.put("f" * 64, Audio(bytes(4000), 16_000, (Word("a", 0, 2001),)))  # past the end
    with pytest.raises(AudioFailed, match="word timings"):
        cache.put("f" * 64, Audio(bytes(4000), 16_000, (Word("a", 0, 50), Word("b", 40, 60))))


# -- the layout -----------------------------------------------------------------------------


def test_word_timings_are_placed_where_their_sentence_is_in_the_episode() -> None:
    rate = 24_000
    lines = (
        Utterance("Title", 0, "title"),
        Utterance("one two", 0, "sentence", display="1 2"),
        Utterance("three", 0, "sentence"),
    )
    words = ((), (Word("one", 2400, 7200), Word("two", 9600, 12000)), (Word("three", 0, 4800),))
    clips = [
        Clip(line, rate, 12_000, lambda: Audio(b"", rate), w)
        for line, w in zip(lines, words, strict=True)
    ]
    layout = plan(clips, ("Title",))
    title, first, second = layout.sentences
    assert title.words == ()
    # Each word is its sentence's start plus its own offset (resampled from 24 kHz).
    assert first.start_ms == 300 + 500 + DEFAULT_PAUSES.after_title
    assert first.words == (
        WordTiming("one", first.start_ms + 100, first.start_ms + 300),
        WordTiming("two", first.start_ms + 400, first.start_ms + 500),
    )
    assert second.words == (WordTiming("three", second.start_ms, second.start_ms + 200),)
    assert layout.rate == EPISODE_RATE


def test_the_render_record_keeps_word_timings() -> None:
    timing = Timing(
        "$5", 100, 900, QUOTE, (WordTiming("five", 150, 400), WordTiming("d", 450, 800))
    )
    rendered = Rendered((), (timing, Timing("x", 900, 1000)), 1000, -16.0, -1.5)
    record = AudioRecord("key", "tags", rendered, ())
    assert AudioRecord.from_json(record.to_json()) == record


# -- the transcript -------------------------------------------------------------------------


def timed(text: str, start: int, spoken: str, speaker: str = NARRATOR) -> Timing:
    """A sentence said from ``start`` ms, its spoken words 300 ms apart."""
    words = tuple(
        WordTiming(w, start + 200 + 300 * n, start + 450 + 300 * n)
        for n, w in enumerate(spoken.split())
    )
    return Timing(text, start, words[-1].end_ms + 100, speaker, words)


SENTENCES = (
    timed("It cost $5 million & <more>.", 0, "It cost five million dollars and more."),
    timed(
        "A long sentence that the transcript must wrap onto a second line because it is long.",
        3000,
        "A long sentence that the transcript must wrap onto a second line because it is long.",
    ),
    Timing("No word timings here.", 9000, 10_000),
)


def test_cues_with_word_timings_carry_a_timestamp_before_each_word() -> None:
    vtt = render_vtt(SENTENCES, 11_000)
    captions = webvtt.from_string(vtt)
    assert len(captions) == 3
    first = captions[0]
    # The cue text is the written sentence, escaped; the tags are only the timestamps.
    assert first.text == "It cost $5 million &amp; &lt;more&gt;."
    # "dollars" (1400) goes on with "million"; "&" is the "and" said at 1700.
    assert stamps_ms(first.raw_text) == [200, 500, 800, 1100, 1700, 2000]
    assert first.raw_text.startswith("<00:00:00.200>It <00:00:00.500>cost <00:00:00.800>$5 ")
    wrapped = captions[1]
    assert len(wrapped.lines) == 2 and wrapped.text.replace("\n", " ") == SENTENCES[1].text
    assert stamps_ms(wrapped.raw_text) == [w.start_ms for w in SENTENCES[1].words]
    assert captions[2].raw_text == "No word timings here."
    for caption in captions:
        found = stamps_ms(caption.raw_text)
        assert found == sorted(set(found))  # strictly increasing
        assert all(ms(caption.start) < t < ms(caption.end) for t in found)


def test_timestamps_sit_inside_the_voice_spans() -> None:
    sentences = (
        timed("The mayor said,", 0, "The mayor said,"),
        timed("“We stay.”", 2000, "We stay.", QUOTE),
    )
    captions = webvtt.from_string(render_vtt(sentences, 4000))
    assert [c.voice for c in captions] == ["Narrator", "Quote"]
    assert captions[1].raw_text == "<v Quote><00:00:02.200>“We <00:00:02.500>stay.”</v>"
    assert captions[1].text == "“We stay.”"


def test_a_timestamp_that_would_break_the_cue_rules_is_left_out() -> None:
    words = (WordTiming("a", 1000, 1100), WordTiming("b", 1000, 1200), WordTiming("c", 1900, 2100))
    cue = render_vtt((Timing("a b c", 1000, 1900, words=words),), 1900).split("\n")[4]
    # "a" starts with the cue, "b" no later than "a", "c" at the cue's end: no tag may say so.
    assert cue == "a b c"


# -- through the pipeline -------------------------------------------------------------------


def built_vtt(folder: Path) -> str:
    (vtt,) = (folder / "episodes").glob("*.vtt")
    return vtt.read_text(encoding="utf-8")


def built_mp3(folder: Path) -> bytes:
    (mp3,) = (folder / "episodes").glob("*.mp3")
    return mp3.read_bytes()


def check_timed_vtt(vtt: str, written: list[str]) -> int:
    """Every cue parses, keeps its written text, and has its timestamps inside it, in order;
    returns how many timestamps there are."""
    captions = webvtt.from_string(vtt)
    assert [" ".join(c.text.split()) for c in captions] == [
        transcript.cue_text(w).replace("\n", " ") for w in written
    ]
    count = 0
    for caption in captions:
        found = stamps_ms(caption.raw_text)
        assert found == sorted(set(found))
        assert all(ms(caption.start) < t < ms(caption.end) for t in found), caption
        count += len(found)
    return count


def test_a_build_with_word_timings_writes_them_in_the_vtt(tmp_path: Path) -> None:
    episode = build_one(
        SAMPLE, pipeline.BuildOptions(output=tmp_path / "out", show=SHOW), engine=WordToneEngine()
    )
    vtt = built_vtt(tmp_path / "out")
    spoken = [t for t in episode.sentences if t.words]
    assert len(spoken) == len(episode.sentences)
    words = sum(len(t.text.split()) for t in episode.sentences)
    # Every written word but the first of each cue (it starts with the cue) has a tag,
    # save where the written and spoken words differ.
    assert check_timed_vtt(vtt, [t.text for t in episode.sentences]) >= 0.9 * (
        words - len(episode.sentences)
    )
    for sentence in episode.sentences:
        assert all(
            sentence.start_ms <= w.start_ms < w.end_ms <= sentence.end_ms for w in sentence.words
        )

    # The same article without word timings: the same cues, no tags.
    plain = build_one(
        SAMPLE, pipeline.BuildOptions(output=tmp_path / "plain", show=SHOW), engine=ToneEngine()
    )
    assert [replace(t, words=()) for t in episode.sentences] == list(plain.sentences)
    assert STAMP.sub("", vtt) == built_vtt(tmp_path / "plain")


def test_quotations_in_a_second_voice_keep_their_word_timings(tmp_path: Path) -> None:
    article = tmp_path / "quotes.md"
    article.write_text(
        '# Quotes\n\nThe mayor said, "We will open the bridge on Monday." Nobody objected.\n',
        encoding="utf-8",
    )
    options = pipeline.BuildOptions(output=tmp_path / "out", show=SHOW, quote_voice="auto")
    episode = build_one(article, options, engine=WordToneEngine())
    vtt = built_vtt(tmp_path / "out")
    assert {t.speaker for t in episode.sentences} == {NARRATOR, QUOTE}
    assert "<v Quote>" in vtt and check_timed_vtt(vtt, [t.text for t in episode.sentences]) > 5


def test_a_rebuild_from_the_cache_keeps_the_word_timings(tmp_path: Path) -> None:
    options = pipeline.BuildOptions(output=tmp_path / "out", show=SHOW, cache_dir=tmp_path / "c")
    first = build_one(SAMPLE, options, engine=WordToneEngine())
    engine = WordToneEngine()
    again = build_one(SAMPLE, replace(options, output=tmp_path / "again"), engine=engine)
    assert engine.calls == []  # all from the cache
    assert again.sentences == first.sentences and any(t.words for t in again.sentences)


class EarlierWordToneEngine(WordToneEngine):
    """WordToneEngine as it was before it gave word timings: its name and fingerprint
    (so its cache keys), its audio, no words."""

    word_timings = False

    def synthesize(self, text: str) -> Audio:
        return replace(super().synthesize(text), words=())


class UntimedWordToneEngine(WordToneEngine):
    """WordToneEngine on sentences it cannot time: it gives word timings, here none."""

    def synthesize(self, text: str) -> Audio:
        return replace(super().synthesize(text), words=())


def test_sentences_cached_before_their_engine_gave_word_timings_are_spoken_again_once(
    tmp_path: Path,
) -> None:
    options = pipeline.BuildOptions(output=tmp_path / "old", show=SHOW, cache_dir=tmp_path / "c")
    before = EarlierWordToneEngine()
    old = build_one(SAMPLE, options, engine=before)
    assert not any(t.words for t in old.sentences) and not STAMP.search(built_vtt(tmp_path / "old"))
    # The engine now gives word timings: every sentence is said again, with them.
    engine = WordToneEngine()
    new = build_one(SAMPLE, replace(options, output=tmp_path / "new"), engine=engine)
    assert sorted(engine.calls) == sorted(before.calls)
    assert all(t.words for t in new.sentences) and STAMP.search(built_vtt(tmp_path / "new"))
    # The same audio: only the transcript changed.
    assert [replace(t, words=()) for t in new.sentences] == list(old.sentences)
    assert built_mp3(tmp_path / "new") == built_mp3(tmp_path / "old")
    # Once: the next build takes them all from the cache.
    again = WordToneEngine()
    assert build_one(SAMPLE, replace(options, output=tmp_path / "again"), engine=again) == new
    assert again.calls == []


def test_sentences_an_engine_could_not_time_are_not_spoken_again(tmp_path: Path) -> None:
    options = pipeline.BuildOptions(output=tmp_path / "one", show=SHOW, cache_dir=tmp_path / "c")
    first = UntimedWordToneEngine()
    build_one(SAMPLE, options, engine=first)
    assert first.calls
    again = UntimedWordToneEngine()
    build_one(SAMPLE, replace(options, output=tmp_path / "two"), engine=again)
    assert again.calls == []


@pytest.mark.slow
def test_a_kokoro_build_has_word_timestamps_inside_its_cues(tmp_path: Path) -> None:
    from audiogen.engines.base import EngineOptions
    from audiogen.engines.kokoro import KokoroEngine
    from tests.test_engine_kokoro import installed_voices

    options = EngineOptions(settings=(("voices_dir", str(installed_voices())),))
    episode = build_one(
        SAMPLE,
        pipeline.BuildOptions(output=tmp_path / "out", show=SHOW),
        engine=KokoroEngine(options),
    )
    # The seed's sentences all map word for word (a sentence that did not would have none).
    assert all(t.words for t in episode.sentences)
    for sentence in episode.sentences:
        assert all(
            sentence.start_ms < w.start_ms < w.end_ms <= sentence.end_ms for w in sentence.words
        )
    written = [t.text for t in episode.sentences]
    words = sum(len(text.split()) for text in written)
    # Nearly every written word gets its own tag (the first of a cue too: Kokoro starts
    # each sentence with a breath of silence).
    assert check_timed_vtt(built_vtt(tmp_path / "out"), written) >= 0.95 * words


@pytest.mark.slow
def test_a_build_with_the_default_english_voice_has_word_timestamps_inside_its_cues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from audiogen.audio.cache import sentence_key
    from audiogen.cli import cli
    from audiogen.engines import registry
    from audiogen.engines.base import EngineOptions
    from audiogen.engines.hibari import HibariEngine

    assert registry.default_voice("en") == ("hibari", "heart")
    monkeypatch.chdir(tmp_path)  # no audiogen.toml but the test's
    out, cache = tmp_path / "out", tmp_path / "cache"
    done = CliRunner().invoke(
        cli, ["build", str(SAMPLE), "-o", str(out), "--cache-dir", str(cache)]
    )
    assert done.exit_code == 0, done.output
    # hibari spoke it: its title is in the cache under hibari's key, with its words.
    title = "Harbor Town Votes to Put Solar Panels on Its Old Ferry Terminal"
    key = sentence_key(title, "hibari", HibariEngine(EngineOptions()).fingerprint())
    entry = SpeechCache(cache).entry(key)
    assert entry is not None and [w.text for w in entry.words] == title.split()
    captions = webvtt.from_string(built_vtt(out))
    assert len(captions) > 10 and captions[0].text == title
    tags = words = 0
    for caption in captions:
        found = stamps_ms(caption.raw_text)
        assert found == sorted(set(found)), caption.raw_text
        assert all(ms(caption.start) < t < ms(caption.end) for t in found), caption
        tags, words = tags + len(found), words + len(caption.text.split())
    # Nearly every written word has its own tag (hibari, like Kokoro, starts each sentence
    # with a breath of silence, so the first word of a cue gets one too).
    assert tags >= 0.95 * words
