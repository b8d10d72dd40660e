"""Benchmark: how fast, how incremental, how lean and how parallel audiogen builds are.

Run from the repository root (it is not part of ``make test``)::

    .venv/bin/python bench/perf.py                 # the Piper voice, about 15-25 minutes
    .venv/bin/python bench/perf.py --minutes 1,5   # a quicker look (no 60-minute article)
    .venv/bin/python bench/perf.py --engine espeak
    .venv/bin/python bench/perf.py --engine all --minutes 3   # every installed offline engine

With ``--engine all`` (or a comma list) each engine is measured in turn and a
table of the key figures of all of them closes the run. Kokoro speaks at about
real time on these cores, so give it short articles (``--minutes 3``).

It writes generated English articles (varied prose from a seeded generator) of
about 1, 10 and 60 minutes of speech, builds each with the real command line
in a fresh process, and prints:

1. the raw engine's speed (seconds of audio per wall second: the engine
   called directly, in one process with its own default threading, on the
   very sentences the 10-minute build speaks, load time excluded) beside
   audiogen's end-to-end speed on the same article (cold cache, every core,
   process start included), and their ratio;
2. an unchanged rebuild as a fraction of the cold build (and, for reference,
   the same rebuild with the MP3 deleted, so only the sentence cache helps);
3. a rebuild after rewriting one paragraph of the ten-paragraph (10-minute)
   article, as a fraction of the cold build;
4. the peak resident memory of the 10- and 60-minute builds: the main
   process, where the episode's audio flows, and the sum of every process's
   peak (engine workers and the encoder included), read from /proc (Linux);
5. the speed-up of ``--jobs 2`` over ``--jobs 1`` on the 10-minute article.

Every figure is measured on the machine it runs on; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Piper's en_US-joe-medium says about 16 characters of this prose a second, pauses included.
CHARS_PER_SECOND = 15.8

# fmt: off
SUBJECTS = [
    "The harbor council", "A small bakery on the corner", "The new library director",
    "Most of the fishermen", "A retired engineer", "The school board", "Our reporter",
    "The ferry company", "A group of volunteers", "The mayor's office", "Nobody in the town",
    "The regional water authority", "A visiting scientist", "The old lighthouse keeper",
    "Several shop owners", "The youth football club", "The county planners",
]
VERBS = [
    "argued about", "quietly approved", "spent the winter repairing", "asked questions about",
    "refused to comment on", "published a report on", "held an open meeting about",
    "raised money for", "set aside a budget for", "changed its mind about", "wrote letters about",
    "took a second look at", "voted to delay", "celebrated", "began to measure",
]
OBJECTS = [
    "the seawall", "the ferry timetable", "a plan for solar panels", "the price of bread",
    "the flooded car park", "a new bicycle lane", "the summer festival", "rising insurance costs",
    "the empty warehouse by the pier", "a community garden", "late buses on the coast road",
    "the oyster beds", "the town's oldest oak tree", "a shortage of nurses", "the night market",
]
CLOSERS = [
    "after months of debate", "before the autumn storms", "for the third year running",
    "despite a tight budget", "with surprising speed", "in front of a packed hall",
    "without much fuss", "to the relief of many residents", "while the tide was out",
    "as the sun went down over the bay", "in a vote of six to one", "over two long evenings",
]
ASIDES = [
    "Nobody expected that.", "It was not the first time.", "The room went quiet.",
    "Some people laughed.", "Others were less sure.", "The numbers tell a mixed story.",
    "It rained all afternoon.", "Coffee ran out by noon.", "Questions went on until late.",
]
QUOTES = [
    "We have waited long enough", "This is about the next generation", "Nobody asked us first",
    "It will pay for itself in a decade", "We need to see the figures", "The sea does not wait",
]
PEOPLE = ["Dana Whitfield", "Ray Okafor", "Mira Castellano", "Tom Hale", "Priya Natarajan"]
HEADINGS = ["What Happened", "The Cost", "What People Said", "Looking Back", "What Comes Next"]
# fmt: on


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.12:
        return rng.choice(ASIDES)
    if kind < 0.25:
        return f'"{rng.choice(QUOTES)}," said {rng.choice(PEOPLE)}.'
    if kind < 0.35:
        amount = rng.choice([12, 40, 310, 1_400, 25_000])
        return f"The figure in question was {amount} pounds, {rng.choice(CLOSERS)}."
    sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        sentence += f" {rng.choice(CLOSERS)}"
    if rng.random() < 0.3:
        sentence += (
            f", and {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        )
    return sentence + "."


def paragraph(rng: random.Random, chars: int) -> str:
    sentences: list[str] = []
    while sum(len(s) + 1 for s in sentences) < chars:
        sentences.append(_sentence(rng))
    return " ".join(sentences)


def article(minutes: float, seed: int, paragraphs: int | None = None) -> list[str]:
    """Markdown lines of an article of about ``minutes`` of speech, one paragraph a line.

    With ``paragraphs`` the article has exactly that many; otherwise about one
    per 40 seconds. A heading starts a new chapter every few paragraphs.
    """
    rng = random.Random(seed)
    count = paragraphs or max(2, round(minutes * 60 / 40))
    chars = int(minutes * 60 * CHARS_PER_SECOND / count)
    lines = [f"# A Generated Article of {minutes:g} Minutes", ""]
    for n in range(count):
        if n and n % 4 == 0:
            lines += [f"## {HEADINGS[(n // 4) % len(HEADINGS)]}, Part {n // 4}", ""]
        lines += [paragraph(rng, chars), ""]
    return lines


def write_article(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def rewrite_one_paragraph(lines: list[str], which: int, seed: int) -> list[str]:
    """The article with its ``which``-th paragraph replaced by new prose of the same length."""
    out = list(lines)
    indices = [i for i, line in enumerate(lines) if line and not line.startswith("#")]
    target = indices[which]
    out[target] = paragraph(random.Random(seed), len(lines[target]))
    return out


@dataclass
class Run:
    wall: float
    main_kb: int
    total_kb: int
    stdout: str


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_build(args: list[str], env: dict[str, str]) -> Run:
    """Run ``audiogen ARGS`` in a fresh process, timing it and watching every process's peak RSS."""
    command = [sys.executable, "-m", "audiogen", *args]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    peaks: dict[int, int] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for pid in {process.pid} | _descendants(process.pid):
                peaks[pid] = max(peaks.get(pid, 0), _peak_kb(pid))
            done.wait(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}): {' '.join(command)}\n{stderr}")
    return Run(wall, peaks.get(process.pid, 0), sum(peaks.values()), stdout)


def duration_of(run: Run) -> float:
    """Seconds of audio, from the build's own report line ('PATH  123.4 s, ...')."""
    return sum(float(line.split("  ", 1)[1].split(" s,")[0]) for line in run.stdout.splitlines())


def raw_engine_speed(engine: str, source: Path, env: dict[str, str]) -> tuple[float, float]:
    """(audio seconds, wall seconds) of the engine speaking the article's sentences directly."""
    code = f"""
import json, sys, time
from audiogen import pipeline
from audiogen.audio.synth import script
from audiogen.cli import resolve_data_dir
from audiogen.engines.base import EngineOptions
from audiogen.engines.catalog import engine_settings
from audiogen.engines.registry import load_engine
(article,) = pipeline.preview([{str(source)!r}], pipeline.BuildOptions())
settings = engine_settings({engine!r}, resolve_data_dir())
engine = load_engine({engine!r}, EngineOptions(language=article.language, settings=settings))
lines = script(article)
engine.synthesize(lines[0].text)  # load the voice outside the timing
start = time.perf_counter()
audio = sum(engine.synthesize(line.text).duration_ms for line in lines) / 1000
print(json.dumps([audio, time.perf_counter() - start]))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    audio, wall = json.loads(result.stdout.strip().splitlines()[-1])
    return float(audio), float(wall)


OFFLINE_ENGINES = ("hibari", "kokoro", "piper", "espeak")


def installed(engine: str) -> bool:
    """Whether ``engine`` can run here (its model and voices are installed)."""
    code = f"""
from audiogen.cli import resolve_data_dir
from audiogen.engines.base import EngineOptions
from audiogen.engines.catalog import engine_settings
from audiogen.engines.registry import load_engine
load_engine({engine!r}, EngineOptions(settings=engine_settings({engine!r}, resolve_data_dir())))
"""
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def workers_line(engine: str) -> str:
    """The engine's declared memory and how many workers of it a build starts here."""
    code = f"""
import os
from audiogen.audio.parallel import workers_that_fit
from audiogen.engines.registry import engine_class
memory = engine_class({engine!r}).memory_mb
print(memory, workers_that_fit(memory, len(os.sched_getaffinity(0))))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    memory, workers = done.stdout.split()
    return f"{workers} of {memory} MB each"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", default="piper", help="an engine, a comma list, or all")
    parser.add_argument("--minutes", default="1,10,60", help="article lengths, comma-separated")
    parser.add_argument("--work", type=Path, help="keep the work files here (default: a temp dir)")
    options = parser.parse_args()
    wanted = OFFLINE_ENGINES if options.engine == "all" else tuple(options.engine.split(","))
    summary: list[tuple[str, list[tuple[str, str]]]] = []
    for engine in wanted:
        if not installed(engine):
            print(f"{engine}: not installed here, skipped", flush=True)
            continue
        options.engine = engine
        summary.append((engine, measure(options)))
    if len(summary) > 1:
        print("\nall engines:")
        for engine, rows in summary:
            print(f"  {engine:8} " + "; ".join(f"{label.strip()} {value}" for label, value in rows))


def measure(options: argparse.Namespace) -> list[tuple[str, str]]:
    """Every figure for one engine (printed as it goes); the key ones returned for the summary."""
    minutes = [float(m) for m in options.minutes.split(",")]
    main_minutes = 10.0 if 10.0 in minutes else sorted(minutes)[len(minutes) // 2]
    work = options.work or Path(tempfile.mkdtemp(prefix="audiogen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "AUDIOGEN_CACHE_DIR": str(work / "unused-cache")}
    base = ["-e", options.engine, "-q"]

    def build(source: Path, name: str, *extra: str) -> Run:
        return run_build(
            ["build", str(source), "-o", str(work / name / "out"), "--cache-dir",
             str(work / name / "cache"), *base, *extra],
            env,
        )  # fmt: skip

    def fresh(name: str) -> None:
        shutil.rmtree(work / name, ignore_errors=True)

    print(f"audiogen benchmark: engine {options.engine}, {os.cpu_count()} cores, work in {work}")
    rows: list[tuple[str, str]] = []
    lines_main = article(main_minutes, seed=10, paragraphs=10)
    source_main = write_article(work / "main.md", lines_main)

    fresh("main")
    cold = build(source_main, "main")
    audio = duration_of(cold)
    print(f"  cold build, {audio / 60:.1f} min of speech: {cold.wall:.1f} s", flush=True)
    raw_audio, raw_wall = raw_engine_speed(options.engine, source_main, env)
    print(f"  raw engine: {raw_audio:.0f} s of audio in {raw_wall:.1f} s", flush=True)
    rebuild = build(source_main, "main")
    episode = next((work / "main" / "out" / "episodes").glob("*.mp3"))
    episode.unlink()
    cache_only = build(source_main, "main")
    write_article(source_main, rewrite_one_paragraph(lines_main, 4, seed=99))
    edit = build(source_main, "main")
    write_article(source_main, lines_main)
    fresh("jobs1")
    one_job = build(source_main, "jobs1", "--jobs", "1")
    if len(os.sched_getaffinity(0)) == 2:
        two_jobs = cold  # every core is two here: the cold build already ran with --jobs 2
    else:
        fresh("jobs2")
        two_jobs = build(source_main, "jobs2", "--jobs", "2")

    raw_speed, e2e_speed = raw_audio / raw_wall, audio / cold.wall
    rows += [
        ("1. raw engine speed (audio s / wall s)", f"{raw_speed:.2f}"),
        ("   audiogen end-to-end speed, cold", f"{e2e_speed:.2f}"),
        ("   audiogen / raw (aim >= 0.9)", f"{e2e_speed / raw_speed:.2f}"),
        ("2. unchanged rebuild / cold (aim <= 0.03)", f"{rebuild.wall / cold.wall:.3f}"),
        ("   same, MP3 deleted: sentence cache only", f"{cache_only.wall / cold.wall:.3f}"),
        ("3. one paragraph of ten rewritten / cold (aim <= 0.2)", f"{edit.wall / cold.wall:.3f}"),
    ]
    memory: dict[float, Run] = {main_minutes: cold}
    for length in minutes:
        if length == main_minutes:
            continue
        name = f"len{length:g}"
        fresh(name)
        run = build(write_article(work / f"{name}.md", article(length, seed=int(length))), name)
        memory[length] = run
        print(
            f"  cold build, {duration_of(run) / 60:.1f} min of speech: {run.wall:.1f} s "
            f"({duration_of(run) / run.wall:.2f}x real time)",
            flush=True,
        )
    for length in sorted(memory):
        run = memory[length]
        rows.append(
            (
                f"4. peak RSS, {duration_of(run) / 60:.0f}-minute build: main / all processes",
                f"{run.main_kb / 1024:.0f} MB / {run.total_kb / 1024:.0f} MB",
            )
        )
    if 10.0 in memory and 60.0 in memory:
        growth = (memory[60.0].main_kb - memory[10.0].main_kb) / 1024
        rows.append(("   main process, 60-min minus 10-min (aim <= 50 MB)", f"{growth:+.0f} MB"))
    rows.append(
        ("5. --jobs 2 speed-up over --jobs 1 (aim >= 1.7)", f"{one_job.wall / two_jobs.wall:.2f}x")
    )
    rows.append(
        ("   wall times: cold / rebuild / edit / jobs 1 / jobs 2",
         f"{cold.wall:.1f} / {rebuild.wall:.1f} / {edit.wall:.1f} / {one_job.wall:.1f} / "
         f"{two_jobs.wall:.1f} s"),
    )  # fmt: skip

    rows.append(("6. engine workers a parallel build starts here", workers_line(options.engine)))

    width = max(len(label) for label, _ in rows)
    print(f"\nengine: {options.engine}; main article: {audio / 60:.1f} min, 10 paragraphs")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    if options.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return [rows[0], rows[1], rows[2], rows[-1]]


if __name__ == "__main__":
    main()
