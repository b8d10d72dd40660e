"""The speech cache: keys, atomic entries that are checked on every read, and builds
that ask the engine only for what changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from audiogen import pipeline
from audiogen.audio import render as render_module
from audiogen.audio.cache import SpeechCache, sentence_key
from audiogen.audio.synth import cache_keys, script
from audiogen.errors import AudioFailed
from audiogen.models import NARRATOR, Audio, Rendered, Show
from tests.conftest import ToneEngine, build_one, prepared

SHOW = Show(title="Cache Show", author="Desk", base_url="https://example.com/p/")

BASE = ("The quay was quiet.", "tone", "tone-1")
KEY_CASES = [
    ("same everything", BASE, True),
    ("another text", ("The quay was loud.", "tone", "tone-1"), False),
    ("spacing counts", ("The quay  was quiet.", "tone", "tone-1"), False),
    ("another engine", ("The quay was quiet.", "espeak", "tone-1"), False),
    ("another voice or speed", ("The quay was quiet.", "tone", "tone-1;speed=1.2"), False),
]


@pytest.mark.parametrize(
    ("args", "same"), [c[1:] for c in KEY_CASES], ids=[c[0] for c in KEY_CASES]
)
def test_key_covers_text_engine_and_settings(args: tuple[str, str, str], same: bool) -> None:
    assert (sentence_key(*args) == sentence_key(*BASE)) is same
    assert len(sentence_key(*args)) == 64


def _audio(samples: int = 2_000, rate: int = 22_050) -> Audio:
    return Audio(bytes(range(256)) * (samples * 2 // 256) + b"\x01\x02" * (samples % 128), rate)


def test_entry_round_trip(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "c")
    audio = _audio()
    entry = cache.put("ab" * 32, audio)
    assert (entry.sample_rate, entry.samples) == (22_050, audio.samples)
    assert cache.entry("ab" * 32) == entry
    assert cache.read("ab" * 32) == audio
    assert cache.entry("cd" * 32) is None
    assert not [p for p in (tmp_path / "c").rglob("*") if p.name.startswith(".tmp-")]


def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _other_format(path: Path) -> None:
    path.write_bytes(b"RIFF" + path.read_bytes()[4:])


@pytest.mark.parametrize("damage", [_flip_last_byte, _truncate, _empty, _other_format])
def test_a_damaged_entry_is_never_used_and_is_removed(tmp_path: Path, damage: object) -> None:
    cache = SpeechCache(tmp_path)
    cache.put("ef" * 32, _audio())
    assert callable(damage)
    damage(cache.path("ef" * 32))
    assert cache.entry("ef" * 32) is None
    assert not cache.path("ef" * 32).exists()
    with pytest.raises(AudioFailed, match="damaged"):
        cache.read("ef" * 32)


def test_segment_entries_are_checked_like_sentences(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    cache.put_blob("analysis", "cd" * 32, b"statistics" * 100)
    assert cache.blob("analysis", "cd" * 32) == b"statistics" * 100
    assert cache.blob("render", "cd" * 32) is None
    _truncate(cache.blob_path("analysis", "cd" * 32))
    assert cache.blob("analysis", "cd" * 32) is None
    assert not cache.blob_path("analysis", "cd" * 32).exists()


def test_info_and_clear_touch_only_the_caches_own_files(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    for n in range(3):
        cache.put(f"{n:064x}", _audio(1_000 + n))
    cache.put_blob("render", "ab" * 32, b"frames")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "sentences" / "00" / "keep.txt").write_text("mine too", encoding="utf-8")
    (tmp_path / "sentences" / "00" / ".tmp-abc.pcm").write_bytes(b"half a write")
    info = cache.info()
    assert (info.location, info.entries, info.segments) == (tmp_path, 3, 1)
    assert info.size_bytes == sum(
        path.stat().st_size
        for path in [cache.path(f"{n:064x}") for n in range(3)]
        + [cache.blob_path("render", "ab" * 32)]
    )
    assert cache.clear() == 3
    assert (cache.info().entries, cache.info().segments) == (0, 0)
    assert (tmp_path / "notes.txt").exists() and (
        tmp_path / "sentences" / "00" / "keep.txt"
    ).exists()
    assert not (tmp_path / "sentences" / "00" / ".tmp-abc.pcm").exists()
    assert SpeechCache(tmp_path / "never-made").clear() == 0


PARAGRAPHS = [
    f"Paragraph {word} opens here. It has a middle sentence about {word}. And it closes."
    for word in ("one", "two", "three", "four", "five", "six")
]


def _write(path: Path, paragraphs: list[str]) -> str:
    body = "\n\n".join(paragraphs[:3]) + "\n\n## Later\n\n" + "\n\n".join(paragraphs[3:])
    path.write_text(f"# The Cached Story\n\n{body}\n", encoding="utf-8")
    return str(path)


def _build(
    source: str, out: Path, cache: Path, engine: ToneEngine, **kw: object
) -> pipeline.Episode:
    settings: dict[str, object] = {"show": SHOW, **kw}
    options = pipeline.BuildOptions(output=out, cache_dir=cache, **settings)  # type: ignore[arg-type]
    return build_one(source, options, engine=engine)


@pytest.fixture
def built(tmp_path: Path) -> tuple[str, Path, Path, pipeline.Episode]:
    source = _write(tmp_path / "story.md", PARAGRAPHS)
    out, cache = tmp_path / "out", tmp_path / "cache"
    engine = ToneEngine()
    episode = _build(source, out, cache, engine)
    # Each sentence is spoken once, however often it is said ("And it closes." six times).
    spoken = [line.text for line in script(prepared(source))]
    assert engine.calls == list(dict.fromkeys(spoken)) and len(engine.calls) < len(spoken)
    return source, out, cache, episode


def test_unchanged_rebuild_asks_the_engine_for_nothing(
    built: tuple[str, Path, Path, pipeline.Episode],
) -> None:
    source, out, cache, first = built
    mp3 = out / first.path
    before = mp3.stat().st_mtime_ns
    engine = ToneEngine()
    options = pipeline.BuildOptions(output=out, show=SHOW, cache_dir=cache)
    result = pipeline.build([source], options, engine=engine)
    # The same article with the same settings: known by its digest, nothing is done at all.
    assert engine.calls == [] and result.episodes == ()
    (kept,) = result.unchanged
    assert (kept.chapters, kept.duration_ms, kept.guid) == (
        first.chapters,
        first.duration_ms,
        first.guid,
    )
    assert mp3.stat().st_mtime_ns == before
    # A setting that changes no sound and no tag goes through every stage, and the
    # render keeps the MP3 as it was.
    again = _build(source, out, cache, engine, show=replace(SHOW, description="Another one."))
    assert engine.calls == []
    assert mp3.stat().st_mtime_ns == before
    assert (again.chapters, again.sentences, again.duration_ms) == (
        first.chapters,
        first.sentences,
        first.duration_ms,
    )
    # With the MP3 gone, it is made again from the cache alone.
    mp3.unlink()
    engine = ToneEngine()
    remade = _build(source, out, cache, engine)
    assert engine.calls == []
    assert mp3.is_file()
    assert (remade.chapters, remade.sentences, remade.duration_ms) == (
        first.chapters,
        first.sentences,
        first.duration_ms,
    )


def test_editing_one_paragraph_speaks_only_its_sentences(
    built: tuple[str, Path, Path, pipeline.Episode],
) -> None:
    source, out, cache, first = built
    edited = list(PARAGRAPHS)
    edited[4] = "Paragraph five opens here. Its middle sentence changed today. And it closes."
    _write(Path(source), edited)
    before = set((cache / "segments").rglob("*.render"))
    engine = ToneEngine()
    episode = _build(source, out, cache, engine)
    # The episode keeps its gain, so only the edited paragraph's segment is encoded anew.
    assert len(set((cache / "segments").rglob("*.render")) - before) == 1
    # The paragraph's other sentences did not change: they come from the cache.
    assert engine.calls == ["Its middle sentence changed today."]
    assert [t.text for t in episode.sentences] == [
        t.text.replace("It has a middle sentence about five.", "Its middle sentence changed today.")
        for t in first.sentences
    ]


def test_corrupted_and_half_written_entries_are_spoken_again(
    built: tuple[str, Path, Path, pipeline.Episode],
) -> None:
    source, out, cache_dir, first = built
    lines = script(prepared(source))
    keys = dict(
        zip((line.text for line in lines), cache_keys(lines, {NARRATOR: ToneEngine()}), strict=True)
    )
    cache = SpeechCache(cache_dir)
    _flip_last_byte(cache.path(keys["It has a middle sentence about two."]))
    _truncate(cache.path(keys["It has a middle sentence about six."]))
    engine = ToneEngine()
    episode = _build(source, out / "again", cache_dir, engine)  # a new site: nothing to keep
    assert sorted(engine.calls) == [
        "It has a middle sentence about six.",
        "It has a middle sentence about two.",
    ]
    assert (episode.chapters, episode.duration_ms) == (first.chapters, first.duration_ms)
    assert cache.entry(keys["It has a middle sentence about two."]) is not None


def test_an_mp3_changed_since_the_build_is_made_again(
    built: tuple[str, Path, Path, pipeline.Episode], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, cache, first = built
    renders = []
    real = render_module.render

    def counting(*args: object, **kw: object) -> Rendered:
        renders.append(1)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(render_module, "render", counting)
    with (out / first.path).open("ab") as handle:
        handle.write(b"not audio")
    engine = ToneEngine()
    _build(source, out, cache, engine)
    assert (renders, engine.calls) == ([1], [])
    # A new show title changes only the tags: they are rewritten, the audio is kept.
    renamed = pipeline.BuildOptions(output=out, show=Show(title="Renamed"), cache_dir=cache)
    build_one(source, renamed, engine=engine)
    assert (renders, engine.calls) == ([1], [])
    assert str(ID3(out / first.path)["TALB"]) == "Renamed"


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiogen", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_cache_info_and_clear_from_the_command_line(tmp_path: Path) -> None:
    from_env, from_option = tmp_path / "env-cache", tmp_path / "option-cache"
    SpeechCache(from_env).put("aa" * 32, _audio())
    SpeechCache(from_env).put("bb" * 32, _audio())
    env = {"AUDIOGEN_CACHE_DIR": str(from_env)}
    result = _cli("cache", "info", "--json", env=env)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert (info["location"], info["entries"], info["segments"]) == (str(from_env), 2, 0)
    assert info["size_bytes"] > 8_000
    # --cache-dir wins over the environment.
    result = _cli("cache", "info", "--cache-dir", str(from_option), "--json", env=env)
    assert json.loads(result.stdout)["entries"] == 0
    result = _cli("cache", "clear", env=env)
    assert result.returncode == 0 and "removed 2 sentences" in result.stderr
    assert SpeechCache(from_env).info().entries == 0
    human = _cli("cache", "info", env=env).stdout
    assert f"location: {from_env}" in human and "0 sentences" in human
