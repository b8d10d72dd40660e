"""Benchmark: how much of each real article page audiogen speaks, and how much extra.

Run from the repository root::

    python bench/corpus.py [CORPUS_DIR] [--audiogen CMD]

``CORPUS_DIR`` (default ``../shared/corpus`` beside the repository) holds one folder
per page with ``source.html``, ``expected.html`` (the article body a careful reader
keeps) and ``expected-metadata.json``. For each page the script runs
``audiogen sections PAGE/source.html --json`` and compares the spoken words (title
plus every section's title and text) with the reference (metadata title plus the
text of ``expected.html``) as multisets of lower-case alphabetic words.

Both sides are read the same way so that saying a thing differently is not
counted as saying something else: number words and units are left out (a
normalizer turns "$200m" into "two hundred million dollars"), an "and" between
number words too ("one hundred and five"), letters said one by one count as the
written initialism ("B B C" is "BBC", "U S" is "U.S."), and a word the normalizer
writes for an abbreviation counts as the abbreviation ("Mister" is "Mr.", after
the project's own table ``audiogen/text/data/abbreviations-en.toml``).

    precision = shared / spoken      (nothing extra was spoken)
    recall    = shared / reference   (nothing was lost)

This is a benchmark to read, not a test: it exits 0 whatever the figures, and 1
only when it cannot run at all. ``--direct`` skips the CLI and calls
``audiogen.text.extract.extract_page`` itself, to measure the extractor alone.
``--diff PAGE`` prints, for one page, each run of reference words that was not
spoken and each run of spoken words the reference lacks, with the words before
it for context: the place to start when a page scores low.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shlex
import subprocess
import sys
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
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
_WORD_OR_NUMBER = re.compile(rf"\d+|{_WORD.pattern}")
ABBREVIATIONS = REPO / "audiogen" / "text" / "data" / "abbreviations-en.toml"


@cache
def spoken_abbreviations() -> dict[str, str]:
    """Spoken word -> the abbreviation it stands for ("mister" -> "mr"), one word each."""
    table = tomllib.loads(ABBREVIATIONS.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for entries in table.values():
        if not isinstance(entries, dict):
            continue
        for written, spoken in entries.items():
            w, s = _WORD.findall(written.lower()), _WORD.findall(str(spoken).lower())
            if len(w) == 1 and len(s) == 1 and w != s:
                aliases.setdefault(s[0], w[0])
    return aliases


def tokens(text: str) -> list[str]:
    """Lower-case alphabetic words in order, read as described in the module docstring.

    Curly apostrophes count as straight ones, so "I’m" and "I'm" are the same word.
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    raw = _WORD_OR_NUMBER.findall(text)
    aliases = spoken_abbreviations()
    out: list[str] = []
    letters: list[str] = []
    for i, word in enumerate(raw):
        if len(word) == 1 and word.isalpha():
            letters.append(word)
            continue
        out.extend(_letters(letters))
        letters = []
        between_numbers = 0 < i < len(raw) - 1 and _is_number(raw[i - 1]) and _is_number(raw[i + 1])
        if _is_number(word) or (word == "and" and between_numbers):
            continue
        out.append(aliases.get(word, word))
    out.extend(_letters(letters))
    return out


def _is_number(word: str) -> bool:
    return word.isdigit() or word in NUMBER_WORDS


def _letters(run: list[str]) -> list[str]:
    """Letters said one by one are one written initialism; a lone letter is itself."""
    if len(run) > 1:
        return ["".join(run)]
    return [w for w in run if w not in NUMBER_WORDS]


def words(text: str) -> Counter[str]:
    """Multiset of the words of ``tokens``."""
    return Counter(tokens(text))


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


def diff_lines(reference: str, spoken: str, context: int = 6) -> list[str]:
    """Runs of words lost (``-``) and added (``+``) by ``spoken``, each after its context.

    >>> diff_lines("the cat sat on the mat", "the cat sat on a mat")
    ['-[1] ...the cat sat on || the', '+[1] ...the cat sat on || a']
    """
    want, got = tokens(reference), tokens(spoken)
    lines = []
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before = " ".join(want[max(0, i1 - context) : i1])
        if i2 > i1:
            lines.append(f"-[{i2 - i1}] ...{before} || {' '.join(want[i1:i2])}")
        if j2 > j1:
            lines.append(f"+[{j2 - j1}] ...{before} || {' '.join(got[j1:j2])}")
    return lines


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
    parser.add_argument(
        "--diff", metavar="PAGE", help="show the words one page lost and added, in context"
    )
    args = parser.parse_args(argv)
    command = shlex.split(args.audiogen)

    if args.diff:
        page_dir = args.corpus / args.diff
        if not (page_dir / "source.html").is_file():
            print(
                f"no page {args.diff} (a folder with source.html) in {args.corpus}", file=sys.stderr
            )
            return 1
        source = page_dir / "source.html"
        spoken = spoken_text_direct(source) if args.direct else spoken_text_cli(source, command)
        for line in diff_lines(reference_text(page_dir), spoken):
            print(line)
        return 0

    pages = sorted(p for p in args.corpus.iterdir() if (p / "source.html").is_file())
    if not pages:
        print(f"no pages (folders with source.html) in {args.corpus}", file=sys.stderr)
        return 1

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
