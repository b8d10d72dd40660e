"""Benchmark: how much of each real article page audiogen speaks, and how much extra.

Run from the repository root::

    python bench/corpus.py [CORPUS_DIR] [--audiogen CMD]

``CORPUS_DIR`` (default ``../shared/corpus`` beside the repository) holds one folder
per page with ``source.html``, ``expected.html`` (the article body a careful reader
keeps) and ``expected-metadata.json``. For each page the script runs
``audiogen sections PAGE/source.html --json`` and compares the spoken words (title
plus every section's title and text) with the reference (metadata title plus the
text of ``expected.html``) as multisets of lower-case alphabetic words.

Number words and units are left out of both sides, so that a normalizer turning
"$200m" into "two hundred million dollars" does not count against extraction.

    precision = shared / spoken      (nothing extra was spoken)
    recall    = shared / reference   (nothing was lost)

This is a benchmark to read, not a test: it exits 0 whatever the figures, and 1
only when it cannot run at all. ``--direct`` skips the CLI and calls
``audiogen.text.extract.extract_page`` itself, to measure the extractor alone.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

# Words a text normalizer may add or spell differently ("3%" -> "three percent",
# "$10" -> "ten dollars", "21st" -> "twenty-first"); ignored on both sides.
NUMBER_WORDS = frozenset(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred thousand million billion trillion first second third fourth fifth
    sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth
    sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth fiftieth
    sixtieth seventieth eightieth ninetieth hundredth thousandth millionth st nd rd th s
    point oh percent per cent cents dollar dollars euro euros pound pounds yen m bn k km kg
    mb gb tb mph kph ft lb lbs kilometer kilometers kilometre kilometres meter meters metre
    metres mile miles kilogram kilograms gram grams foot feet inch inches megabyte megabytes
    gigabyte gigabytes terabyte terabytes pm p twenties thirties forties fifties sixties
    seventies eighties nineties
    """.split()  # noqa: SIM905 (a word table reads better as words)
)

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def words(text: str) -> Counter[str]:
    """Multiset of lower-case alphabetic words, number words and units left out.

    Curly apostrophes count as straight ones, so "I’m" and "I'm" are the same word.
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    return Counter(w for w in _WORD.findall(text) if w not in NUMBER_WORDS)


@dataclass(frozen=True)
class Score:
    page: str
    spoken: int
    reference: int
    shared: int

    @property
    def precision(self) -> float:
        return self.shared / self.spoken if self.spoken else 0.0

    @property
    def recall(self) -> float:
        return self.shared / self.reference if self.reference else 0.0


def score(page: str, spoken: str, reference: str) -> Score:
    """Compare two texts as word multisets."""
    got, want = words(spoken), words(reference)
    return Score(page, sum(got.values()), sum(want.values()), sum((got & want).values()))


def reference_text(page_dir: Path) -> str:
    """The metadata title plus the text content of ``expected.html``."""
    meta = json.loads((page_dir / "expected-metadata.json").read_text(encoding="utf-8"))
    root = lxml.html.fromstring((page_dir / "expected.html").read_text(encoding="utf-8"))
    return f"{meta.get('title') or ''}\n\n{root.text_content()}"


def spoken_text_cli(source: Path, command: list[str]) -> str:
    """Run ``audiogen sections SOURCE --json`` and join what would be spoken."""
    proc = subprocess.run(
        [*command, "sections", str(source), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or f"exit code {proc.returncode}")
    data = json.loads(proc.stdout)
    title = str(data.get("title") or "")
    parts = [title]
    for i, section in enumerate(data.get("sections", [])):
        heading = str(section.get("title") or "")
        # The opening section is named after the article, and that name is
        # not spoken twice (see models.Article.spoken_text).
        if i > 0 or heading != title:
            parts.append(heading)
        parts.append(str(section.get("text") or ""))
    return "\n\n".join(parts)


def spoken_text_direct(source: Path) -> str:
    """Title plus body Markdown (heading marks dropped) from the extractor alone."""
    from audiogen.text.extract import extract_page

    page = extract_page(source.read_bytes().decode("utf-8", errors="replace"))
    body = re.sub(r"^#+ ", "", page.markdown, flags=re.MULTILINE)
    return f"{page.title}\n\n{body}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--audiogen",
        default=f"{shlex.quote(sys.executable)} -m audiogen",
        help="command that runs the CLI (default: this Python's -m audiogen)",
    )
    parser.add_argument(
        "--direct", action="store_true", help="call extract_page instead of the CLI"
    )
    args = parser.parse_args(argv)

    pages = sorted(p for p in args.corpus.iterdir() if (p / "source.html").is_file())
    if not pages:
        print(f"no pages (folders with source.html) in {args.corpus}", file=sys.stderr)
        return 1
    command = shlex.split(args.audiogen)

    scores: list[Score] = []
    failures = 0
    print(f"{'page':<20} {'spoken':>7} {'ref':>7} {'precision':>9} {'recall':>7}")
    for page_dir in pages:
        source = page_dir / "source.html"
        try:
            direct = args.direct
            spoken = spoken_text_direct(source) if direct else spoken_text_cli(source, command)
        except Exception as exc:  # one broken page must not hide the others' figures
            print(f"{page_dir.name:<20} FAILED: {exc}")
            failures += 1
            spoken = ""
        s = score(page_dir.name, spoken, reference_text(page_dir))
        scores.append(s)
        print(f"{s.page:<20} {s.spoken:>7} {s.reference:>7} {s.precision:>9.3f} {s.recall:>7.3f}")

    if failures == len(pages):
        print("every page failed: nothing measured", file=sys.stderr)
        return 1
    mean_p = sum(s.precision for s in scores) / len(scores)
    mean_r = sum(s.recall for s in scores) / len(scores)
    print(f"{'mean':<20} {'':>7} {'':>7} {mean_p:>9.3f} {mean_r:>7.3f}")
    worst = min(scores, key=lambda s: min(s.precision, s.recall))
    print(f"worst page: {worst.page} (precision {worst.precision:.3f}, recall {worst.recall:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
