"""Parallel synthesis and batch builds: workers load their engine once each and the
episode comes out as a serial build makes it; network engines get a few threads;
a batch loads each engine once and writes the feed once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import feedparser
import pytest

from audiogen import batch as batch_module
from audiogen import pipeline
from audiogen.audio.cache import SpeechCache
from audiogen.audio.parallel import (
    NETWORK_CONCURRENCY,
    Job,
    LocalRunner,
    engine_spec,
    make_runner,
)
from audiogen.audio.synth import script
from audiogen.engines.base import EngineOptions
from audiogen.engines.piper import PiperEngine
from audiogen.errors import BadInput, SynthesisFailed
from audiogen.models import Audio, FeedItem, Show
from audiogen.publish import feed as feed_module
from audiogen.sources.files import folder_articles
from tests.conftest import ToneEngine, WordToneEngine, build_one, prepared

SHOW = Show(title="Parallel Show", author="Desk", base_url="https://example.com/p/")


class RecordingEngine:
    """ToneEngine's audio, with every load and sentence logged to files in the folder
    ``options.voice`` names, so work done in other processes can be counted."""

    name: ClassVar[str] = "recording"
    needs_network: ClassVar[bool] = False
    description: ClassVar[str] = "test tones, logged"
    memory_mb: ClassVar[int] = 1

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self._log("load", threads=options.threads)

    def _log(self, event: str, **data: object) -> None:
        assert self.options.voice is not None
        line = json.dumps({"event": event, "pid": os.getpid(), **data})
        with (Path(self.options.voice) / f"{os.getpid()}.log").open("a") as handle:
            handle.write(line + "\n")

    def check(self) -> None:
        return None

    def fingerprint(self) -> str:
        return "tone-1"  # sounds exactly like ToneEngine

    def languages(self) -> frozenset[str] | None:
        return None

    def synthesize(self, text: str) -> Audio:
        if text.startswith("Fail"):
            raise SynthesisFailed(f"cannot say {text!r}")
        self._log("say", text=text)
        return ToneEngine().synthesize(text)


def events(folder: Path) -> list[dict[str, object]]:
    return [
        json.loads(line) for log in folder.glob("*.log") for line in log.read_text().splitlines()
    ]


def article_file(folder: Path, name: str, title: str, sentences: int = 8) -> str:
    def para(n: int) -> str:
        return " ".join(f"{title} sentence number {n}{k} ends here." for k in range(sentences))

    path = folder / name
    path.write_text(
        f"# {title}\n\n{para(1)}\n\n{para(2)}\n\n## Second\n\n{para(3)}\n\n## Third\n\n{para(4)}\n",
        encoding="utf-8",
    )
    return str(path)


def test_workers_load_the_engine_once_each_and_keep_the_order(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    source = article_file(tmp_path, "a.md", "Alpha")
    engine = RecordingEngine(EngineOptions(voice=str(logs)))
    options = pipeline.BuildOptions(
        output=tmp_path / "out", show=SHOW, cache_dir=tmp_path / "cache", jobs=2
    )
    parallel = build_one(source, options, engine=engine)

    log = events(logs)
    said = [e["text"] for e in log if e["event"] == "say"]
    spoken = [line.text for line in script(prepared(source))]
    assert sorted(said) == sorted(set(spoken))  # every sentence once
    workers = {e["pid"] for e in log if e["event"] == "say"}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2
    loads = [e for e in log if e["event"] == "load" and e["pid"] != os.getpid()]
    assert sorted(e["pid"] for e in loads) == sorted(workers)  # one load per worker
    assert {e["threads"] for e in loads} == {1}  # each worker computes on one core

    serial = build_one(
        source,
        pipeline.BuildOptions(output=tmp_path / "serial", show=SHOW, jobs=1),
        engine=ToneEngine(),
    )
    assert parallel.sentences == serial.sentences  # same order, same timings
    assert (parallel.chapters, parallel.duration_ms) == (serial.chapters, serial.duration_ms)


def test_a_batch_loads_each_engine_once_and_writes_the_feed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    loaded: list[str] = []
    feeds: list[int] = []

    def load(name: str, options: EngineOptions) -> RecordingEngine:
        loaded.append(options.language)
        return RecordingEngine(EngineOptions(voice=str(logs), language=options.language))

    real_feed = feed_module.render_feed

    def render_feed(show: Show, items: list[FeedItem]) -> bytes:
        feeds.append(len(items))
        return real_feed(show, items)

    monkeypatch.setattr(batch_module, "load_engine", load)
    monkeypatch.setattr(feed_module, "render_feed", render_feed)
    sources = [article_file(tmp_path, f"{n}.md", f"Story {n}") for n in range(2)]
    german = tmp_path / "2.html"
    german.write_text(
        '<html lang="de"><body><article><h1>Story 2</h1><p>Die Geschichte ist kurz, '
        "aber sie hat genug Worte.</p></article></body></html>",
        encoding="utf-8",
    )
    options = pipeline.BuildOptions(
        output=tmp_path / "out", show=SHOW, cache_dir=tmp_path / "cache", jobs=2
    )
    pipeline.build([*sources, str(german)], options)
    assert loaded == ["en", "de"]
    assert feeds == [3]
    entries = feedparser.parse((tmp_path / "out" / "feed.xml").read_bytes()).entries
    assert sorted(e.title for e in entries) == ["Story 0", "Story 1", "Story 2"]
    # The worker processes outlived each article: at most one load per worker and language.
    worker_loads = [e for e in events(logs) if e["event"] == "load" and e["pid"] != os.getpid()]
    assert len(worker_loads) <= 4


def test_a_failing_batch_still_publishes_what_it_finished(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    good = article_file(tmp_path, "good.md", "Good")
    bad = tmp_path / "bad.md"
    bad.write_text("# Bad\n\nFail to say this one.\n", encoding="utf-8")
    options = pipeline.BuildOptions(output=tmp_path / "out", show=SHOW, jobs=2)
    engine = RecordingEngine(EngineOptions(voice=str(logs)))
    with pytest.raises(SynthesisFailed, match="Fail to say"):
        pipeline.build([good, str(bad)], options, engine=engine)
    entries = feedparser.parse((tmp_path / "out" / "feed.xml").read_bytes()).entries
    assert [e.title for e in entries] == ["Good"]
    assert not list((tmp_path / "out").rglob("*.tmp"))


class SlowNetworkEngine:
    """A web-service engine: every request takes a moment; counts requests in flight."""

    name: ClassVar[str] = "slownet"
    needs_network: ClassVar[bool] = True
    description: ClassVar[str] = "pretend web service"

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        self._lock = threading.Lock()
        self.in_flight = self.most = 0
        self.pids: set[int] = set()

    def check(self) -> None:
        return None

    def fingerprint(self) -> str:
        return "slownet-1"

    def languages(self) -> frozenset[str] | None:
        return None

    def synthesize(self, text: str) -> Audio:
        with self._lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            self.pids.add(os.getpid())
        time.sleep(0.05)
        with self._lock:
            self.in_flight -= 1
        return ToneEngine().synthesize(text)


def test_network_engines_get_a_few_threads_in_this_process(tmp_path: Path) -> None:
    engine = SlowNetworkEngine()
    cache = SpeechCache(tmp_path)
    jobs = [Job(f"{n:064x}", f"Sentence {n}.") for n in range(12)]
    done: list[Job] = []
    with LocalRunner(jobs=8) as runner:
        runner.speak(engine, jobs, cache, done.append)
    assert sorted(done, key=lambda j: j.key) == jobs
    assert 1 < engine.most <= NETWORK_CONCURRENCY
    assert engine.pids == {os.getpid()}
    assert all(cache.entry(job.key) is not None for job in jobs)


def test_an_engine_that_cannot_travel_runs_here(tmp_path: Path) -> None:
    class Local(ToneEngine):  # defined in a function: no worker could import it
        pass

    engine = Local()
    assert engine_spec(engine) is None
    source = article_file(tmp_path, "a.md", "Local")
    options = pipeline.BuildOptions(output=tmp_path / "out", show=SHOW, jobs=2)
    build_one(source, options, engine=engine)
    assert len(engine.calls) > 10


def test_unknown_executor_and_bad_jobs_are_bad_input() -> None:
    with pytest.raises(BadInput, match="unknown executor 'ssh://box'"):
        make_runner("ssh://box")
    with pytest.raises(BadInput, match="--jobs"):
        make_runner(None, 0)


def test_a_folder_means_its_articles_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("b.txt", "a.md", "c.html", "notes.pdf", ".hidden.md", "d.htm"):
        (folder / name).write_text("# T\n\nText.\n", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "e.md").write_text("# E\n\nText.\n", encoding="utf-8")
    assert folder_articles(folder) == [folder / n for n in ("a.md", "b.txt", "c.html", "d.htm")]
    (tmp_path / "empty").mkdir()
    with pytest.raises(BadInput, match="no articles"):
        folder_articles(tmp_path / "empty")


def test_building_a_folder_with_espeak_workers_from_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(2):
        article_file(folder, f"{n}.md", f"Folder story {n}", sentences=3)
    command = [sys.executable, "-m", "audiogen", "build", str(folder), "-e", "espeak", "-q"]
    command += ["--jobs", "2", "--cache-dir", str(tmp_path / "cache"), "-o", str(tmp_path / "out")]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.splitlines()) == 2
    entries = feedparser.parse((tmp_path / "out" / "feed.xml").read_bytes()).entries
    assert sorted(e.title for e in entries) == ["Folder story 0", "Folder story 1"]
    cached = SpeechCache(tmp_path / "cache").info().entries
    # Per article a title and four paragraphs of three; the headings Second and Third
    # are the same in both, and cached once.
    assert cached == 2 * (1 + 4 * 3) + 2
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    # Built again unchanged: each article is known by its digest, nothing is redone.
    assert again.returncode == 0
    assert again.stdout == "".join(
        f"{line.split()[0]}  unchanged\n" for line in first.stdout.splitlines()
    )
    assert SpeechCache(tmp_path / "cache").info().entries == cached


def test_piper_threads_never_change_the_cache_key() -> None:
    one = PiperEngine(EngineOptions(threads=1, deterministic=True))
    default = PiperEngine(EngineOptions(deterministic=True))
    assert one.fingerprint() == default.fingerprint()


@pytest.mark.slow
def test_piper_worker_voice_computes_on_one_thread() -> None:
    engine = PiperEngine(EngineOptions(threads=1, deterministic=True))
    audio = engine.synthesize("One thread is enough for one sentence.")
    assert 1.0 < audio.duration_ms / 1000 < 5.0
    options = engine._load().session.get_session_options()
    assert options.intra_op_num_threads == 1
    plain = PiperEngine(EngineOptions(deterministic=True)).synthesize(
        "One thread is enough for one sentence."
    )
    assert audio.samples == plain.samples


def test_word_timings_come_back_from_worker_processes(tmp_path: Path) -> None:
    source = article_file(tmp_path, "w.md", "Words")
    runs = {}
    for jobs in (1, 2):
        options = pipeline.BuildOptions(
            output=tmp_path / f"out{jobs}",
            show=SHOW,
            cache_dir=tmp_path / f"cache{jobs}",
            jobs=jobs,
        )
        engine = WordToneEngine()
        runs[jobs] = build_one(source, options, engine=engine)
        if jobs == 2:
            assert engine.calls == []  # every sentence was spoken in a worker
    assert all(t.words for t in runs[2].sentences)
    assert runs[2].sentences == runs[1].sentences
