"""Benchmark: sentence splitting of a generated 20 MB article, audiogen vs pysbd alone.

Run from the repository root::

    python bench/split.py [--megabytes 20] [--no-pysbd] [--sample 1]

The article is generated from a fixed seed: news-style sentences with titles,
initialisms, clock times, amounts, decimals, quotations (double and single),
parentheses, questions, ellipses, e-mail and web addresses, in paragraphs of a few
hundred characters, with one paragraph in two hundred the size of a chapter
(20-80 kB: a transcript or an e-book pasted without breaks).

It prints the seconds (wall clock, and CPU time of this process, which is the fairer
figure on a shared machine) ``audiogen.text.sections.split_sentences`` takes over every
paragraph, and (unless ``--no-pysbd``) the seconds pysbd alone takes on the same
paragraphs, as the splitter called it before. It also prints how far the two agree
on a sample of ``--sample`` MB (the share of pysbd's sentences that audiogen returns
unchanged): the fast path must not move boundaries. ``--show-diffs N`` prints paragraphs
where the two differ, to judge which one is right.

A benchmark to read, not a test: it exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pysbd

from audiogen.text.sections import split_sentences

# fmt: off
TITLES = ["Mr.", "Mrs.", "Dr.", "Prof.", "Sen.", "Gov.", "Gen.", "St."]
NAMES = ["Hale", "Okafor", "Castellano", "Whitfield", "Natarajan", "Berg", "Lind", "Park"]
FIRST = ["Dana", "Ray", "Mira", "Tom", "Priya", "Anna", "Ken", "Lea"]
PLACES = ["Portland", "the harbor", "Austin", "the old mill", "Leeds", "the coast road"]
VERBS = ["visited", "criticized", "praised", "studied", "left", "reopened", "measured"]
THINGS = ["the seawall", "the ferry timetable", "a plan for solar panels", "the night market",
          "the price of bread", "a new bicycle lane", "the oyster beds", "the empty warehouse"]
QUOTES = ["We have waited long enough", "This is about the next generation",
          "Nobody asked us first", "The sea does not wait", "It will pay for itself"]
# fmt: on


def _name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(TITLES)} {rng.choice(NAMES)}"
    return f"{rng.choice(FIRST)} {rng.choice('ABCDEFGHJK')}. {rng.choice(NAMES)}"


def _plain(rng: random.Random) -> str:
    words = (
        f"{rng.choice(FIRST)} {rng.choice(VERBS)} {rng.choice(THINGS)} near {rng.choice(PLACES)}"
    )
    return words + rng.choice([".", ".", ".", "?", "!"])


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    n = rng.randint(2, 9999)
    if kind < 0.45:
        return _plain(rng)
    if kind < 0.55:
        return f"{_name(rng)} {rng.choice(VERBS)} {rng.choice(THINGS)} at {n % 12 + 1} p.m. on Jan. {n % 28 + 1}."
    if kind < 0.63:
        return f"It cost ${n}.{n % 100:02d}, about {n % 50}.{n % 10} percent more than in the U.S. last year."
    if kind < 0.71:
        return f'"{rng.choice(QUOTES)}," said {_name(rng)}.'
    if kind < 0.76:
        return f"{rng.choice(FIRST)} said, 'I saw {rng.choice(THINGS)}.' Then {rng.choice(FIRST)} left."
    if kind < 0.81:
        return f"The plan (first drafted in {1900 + n % 120}. Or so they say.) was {rng.choice(VERBS)}."
    if kind < 0.85:
        return f"Write to {rng.choice(FIRST).lower()}.{n}@example.org or see www.example.com/{n}."
    if kind < 0.89:
        return f"Well... {rng.choice(FIRST)} was not sure, e.g. about No. {n % 40} and so on."
    if kind < 0.93:
        return f"{rng.choice(FIRST)} {rng.choice(VERBS)} {rng.choice(THINGS)}, etc. in {n} days."
    if kind < 0.97:
        return f'{rng.choice(FIRST)} said, "Turn left or right. "'
    return f"{rng.choice(FIRST)} moved to the E.U. {rng.choice(FIRST)} stayed."


def paragraph(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    size = 0
    while size < chars:
        out.append(_sentence(rng))
        size += len(out[-1]) + 1
    return " ".join(out)


def article(megabytes: float, seed: int = 13) -> list[str]:
    """Paragraphs totalling about ``megabytes`` million characters."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < megabytes * 1_000_000:
        huge = rng.random() < 0.005
        chars = rng.randint(20_000, 80_000) if huge else int(rng.lognormvariate(6.2, 0.6))
        paragraphs.append(paragraph(rng, chars))
        total += len(paragraphs[-1])
    return paragraphs


def _pysbd(paragraphs: list[str]) -> list[tuple[str, ...]]:
    segmenter = pysbd.Segmenter(language="en", clean=False)
    return [tuple(s for s in (x.strip() for x in segmenter.segment(p)) if s) for p in paragraphs]


def _timed(label: str, run: object, paragraphs: list[str]) -> list[tuple[str, ...]]:
    start, cpu = time.perf_counter(), time.process_time()
    result: list[tuple[str, ...]] = run(paragraphs)  # type: ignore[operator]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    count = sum(len(s) for s in result)
    print(f"{label:<34} {seconds:7.1f} s wall {cpu:7.1f} s CPU   {count:>9,} sentences")
    return result


def agreement(ours: list[tuple[str, ...]], theirs: list[tuple[str, ...]]) -> float:
    """The share of pysbd's sentences that audiogen returns as they are."""
    shared = total = 0
    for a, b in zip(ours, theirs, strict=True):
        mine = Counter(a)
        for sentence in b:
            total += 1
            if mine[sentence] > 0:
                mine[sentence] -= 1
                shared += 1
    return shared / total if total else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=20.0)
    parser.add_argument("--sample", type=float, default=1.0, help="MB compared with pysbd")
    parser.add_argument("--no-pysbd", action="store_true", help="skip the slow pysbd run")
    parser.add_argument("--show-diffs", type=int, default=0, help="print N paragraphs that differ")
    options = parser.parse_args()

    paragraphs = article(options.megabytes)
    size = sum(len(p) for p in paragraphs)
    longest = max(len(p) for p in paragraphs)
    print(
        f"article: {size / 1e6:.1f} MB, {len(paragraphs):,} paragraphs, longest {longest:,} chars"
    )
    ours = _timed("audiogen split_sentences (after)", _ours, paragraphs)
    if not options.no_pysbd:
        _timed("pysbd alone (before)", _pysbd, paragraphs)

    sample = [p for p in article(options.sample, seed=14) if len(p) < 20_000]
    ours = _ours(sample)
    theirs = _pysbd(sample)
    print(f"agreement with pysbd on {sum(map(len, sample)) / 1e6:.1f} MB of ordinary paragraphs:")
    print(f"  {agreement(ours, theirs):.2%} of pysbd's sentences returned unchanged")
    shown = 0
    for a, b in zip(ours, theirs, strict=True):
        if a != b and shown < options.show_diffs:
            shown += 1
            print("  pysbd:   ", [x for x in b if x not in a][:2])
            print("  audiogen:", [x for x in a if x not in b][:3])


def _ours(paragraphs: list[str]) -> list[tuple[str, ...]]:
    return [split_sentences(p, "en") for p in paragraphs]


if __name__ == "__main__":
    main()
