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
number words too ("one hundred and five"), as are "x" and "by" ("1800 x 1920"),
"&" is "and", letters said one by one count as the written initialism ("B B C"
is "BBC", "U S" is "U.S.", "B B C's" is "BBC's"), and a word the normalizer
writes for an abbreviation counts as the abbreviation ("Mister" is "Mr.", after
the project's own table ``audiogen/text/data/abbreviations-en.toml``).

    precision = shared / spoken      (nothing extra was spoken)
    recall    = shared / reference   (nothing was lost)

The project's own pages (``tests/pages``, or ``--pages DIR``: ``NAME.html`` with
``NAME.toml``) are scored the same way against the reference their TOML names
(the text of the article's elements, in page order, less what a listener should
not hear), and each of their ``must_speak`` passages is looked for, as a run of
words read as above, in what is spoken; a ``must_not_speak`` passage found there
is counted too. For the shared corpus a second recall, ``r-nofig``, leaves the
reference's ``<figure>`` and ``<figcaption>`` elements out: the reference keeps
image captions, which audiogen does not speak by design.

F1 is the harmonic mean of precision and recall. The summary gives, per set of
pages, the mean precision and recall, the worst page's F1 and how many
must-be-spoken passages were spoken.

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
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
OWN_PAGES = REPO / "tests" / "pages"

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
    seventies eighties nineties g mg mm cm ml centimeter centimeters centimetre centimetres
    millimeter millimeters millimetre millimetres milliliter milliliters millilitre millilitres
    liter liters litre litres milligram milligrams degree degrees celsius fahrenheit c f
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

    Curly apostrophes count as straight ones, so "I’m" and "I'm" are the same word;
    "&" is "and" ("A&E" is said "A and E"); "x" and "by" between numbers are left
    out with them ("1800 x 1920" is said "1800 by 1920"); and a possessive of
    letters said one by one is the initialism's ("B B C's" is "BBC's").

    >>> tokens("The BBC's A&E, 1800 x 1920") == tokens("the B B C's A and E, 1800 by 1920")
    True
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("&", " and ")
    raw = _WORD_OR_NUMBER.findall(text)
    aliases = spoken_abbreviations()
    out: list[str] = []
    letters: list[str] = []
    for i, word in enumerate(raw):
        between_numbers = 0 < i < len(raw) - 1 and _is_number(raw[i - 1]) and _is_number(raw[i + 1])
        if word in ("and", "x", "by") and between_numbers:
            continue
        if len(word) == 1 and word.isalpha():
            letters.append(word)
            continue
        if letters and _LETTER_POSSESSIVE.fullmatch(word):
            out.extend(f"{w}'s" for w in _letters([*letters, word[0]]))
            letters = []
            continue
        out.extend(_letters(letters))
        letters = []
        if _is_number(word):
            continue
        out.append(aliases.get(word, word))
    out.extend(_letters(letters))
    return out


_LETTER_POSSESSIVE = re.compile(r"[^\W\d_]'s")


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

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Probes:
    """The must-be-spoken passages of a page that were spoken, and the must-not ones."""

    spoken: int = 0
    total: int = 0
    missing: tuple[str, ...] = ()
    unwanted: tuple[str, ...] = ()


def score(page: str, spoken: str, reference: str) -> Score:
    """Compare two texts as word multisets."""
    got, want = words(spoken), words(reference)
    return Score(page, sum(got.values()), sum(want.values()), sum((got & want).values()))


def reference_text(page_dir: Path) -> str:
    """The metadata title plus the text content of ``expected.html``."""
    meta = json.loads((page_dir / "expected-metadata.json").read_text(encoding="utf-8"))
    root = lxml.html.fromstring((page_dir / "expected.html").read_text(encoding="utf-8"))
    return f"{meta.get('title') or ''}\n\n{root.text_content()}"


def reference_without_figures(page_dir: Path) -> str:
    """``reference_text`` less the reference's ``<figure>`` and ``<figcaption>`` elements."""
    meta = json.loads((page_dir / "expected-metadata.json").read_text(encoding="utf-8"))
    root = lxml.html.fromstring((page_dir / "expected.html").read_text(encoding="utf-8"))
    for element in root.xpath("//figure | //figcaption"):
        if element.getparent() is not None:
            element.drop_tree()
    return f"{meta.get('title') or ''}\n\n{root.text_content()}"


def fixture_expectations(page: Path) -> dict[str, Any]:
    """The TOML beside an own page (``NAME.html`` -> ``NAME.toml``)."""
    with page.with_suffix(".toml").open("rb") as f:
        return tomllib.load(f)


def fixture_reference(page: Path, expected: dict[str, Any]) -> str:
    """The title plus the text of the ``reference`` elements, less ``reference_drop``."""
    root = lxml.html.document_fromstring(page.read_text(encoding="utf-8"))
    for element in [e for xpath in expected.get("reference_drop", []) for e in root.xpath(xpath)]:
        if element.getparent() is not None:
            element.drop_tree()
    order = {element: i for i, element in enumerate(root.iter())}
    kept = {e for xpath in expected["reference"] for e in root.xpath(xpath)}
    texts = [e.text_content() for e in sorted(kept, key=order.__getitem__)]
    return "\n\n".join([str(expected.get("title") or ""), *texts])


def probe(spoken: str, expected: dict[str, Any]) -> Probes:
    """Which ``must_speak`` passages are in ``spoken``, and which ``must_not_speak`` ones.

    >>> probe("Open daily, 9am to 5pm. Call us.", {"must_speak": ["open daily"],
    ...       "must_not_speak": ["call us", "share this"]})
    Probes(spoken=1, total=1, missing=(), unwanted=('call us',))
    """
    said = f" {' '.join(tokens(spoken))} "

    def found(passage: str) -> bool:
        return f" {' '.join(tokens(passage))} " in said

    must = [str(p) for p in expected.get("must_speak", [])]
    missing = tuple(p for p in must if not found(p))
    unwanted = tuple(str(p) for p in expected.get("must_not_speak", []) if found(str(p)))
    return Probes(len(must) - len(missing), len(must), missing, unwanted)


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
    args = _arguments(argv)
    command = shlex.split(args.audiogen)

    def speak(source: Path) -> str:
        return spoken_text_direct(source) if args.direct else spoken_text_cli(source, command)

    if args.diff:
        return _show_diff(args.corpus, args.diff, speak)
    pages = sorted(p.parent for p in args.corpus.glob("*/source.html"))
    own = sorted(args.pages.glob("*.html"))
    if not pages and not own:
        print(f"no pages (folders with source.html) in {args.corpus}", file=sys.stderr)
        return 1
    results = [
        (name, result)
        for name, result in (
            ("shared corpus", _score_corpus(pages, speak)),
            ("own pages", _score_own(own, speak)),
        )
        if result
    ]
    if all(not any(s.spoken for s, _ in result) for _, result in results):
        print("every page failed: nothing measured", file=sys.stderr)
        return 1
    for name, result in results:
        _summary(name, result)
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--pages", type=Path, default=OWN_PAGES, help="own pages with TOML probes (tests/pages)"
    )
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
    return parser.parse_args(argv)


Speak = Callable[[Path], str]
Result = list[tuple[Score, Probes | None]]


def _show_diff(corpus: Path, page: str, speak: Speak) -> int:
    page_dir = corpus / page
    if not (page_dir / "source.html").is_file():
        print(f"no page {page} (a folder with source.html) in {corpus}", file=sys.stderr)
        return 1
    for line in diff_lines(reference_text(page_dir), speak(page_dir / "source.html")):
        print(line)
    return 0


def _spoken_or_failed(name: str, source: Path, speak: Speak) -> str:
    try:
        return speak(source)
    except Exception as exc:  # one broken page must not hide the others' figures
        print(f"{name:<22} FAILED: {exc}")
        return ""


HEADER = f"{'page':<22} {'spoken':>7} {'ref':>7} {'precision':>9} {'recall':>7} {'F1':>6}"


def _row(s: Score, extra: str) -> str:
    return (
        f"{s.page:<22} {s.spoken:>7} {s.reference:>7} {s.precision:>9.3f} {s.recall:>7.3f}"
        f" {s.f1:>6.3f} {extra}"
    )


def _score_corpus(pages: list[Path], speak: Speak) -> Result:
    if not pages:
        return []
    print(f"{HEADER} {'r-nofig':>7}")
    result: Result = []
    nofig_recall = 0.0
    for page_dir in pages:
        spoken = _spoken_or_failed(page_dir.name, page_dir / "source.html", speak)
        s = score(page_dir.name, spoken, reference_text(page_dir))
        nofig = score(page_dir.name, spoken, reference_without_figures(page_dir))
        nofig_recall += nofig.recall
        print(_row(s, f"{nofig.recall:>7.3f}"))
        result.append((s, None))
    print(f"{'mean r-nofig':<22} {nofig_recall / len(pages):>48.3f}")
    return result


def _score_own(pages: list[Path], speak: Speak) -> Result:
    if not pages:
        return []
    print(f"\n{HEADER} {'must-speak':>10} {'must-not':>8}")
    result: Result = []
    for page in pages:
        expected = fixture_expectations(page)
        spoken = _spoken_or_failed(page.stem, page, speak)
        s = score(page.stem, spoken, fixture_reference(page, expected))
        probes = probe(spoken, expected)
        print(_row(s, f"{probes.spoken:>5}/{probes.total:<4} {len(probes.unwanted):>8}"))
        for passage in probes.missing:
            print(f"    not spoken: {passage}")
        for passage in probes.unwanted:
            print(f"    spoken, must not be: {passage}")
        result.append((s, probes))
    return result


def _summary(name: str, result: Result) -> None:
    scores = [s for s, _ in result]
    mean_p = sum(s.precision for s in scores) / len(scores)
    mean_r = sum(s.recall for s in scores) / len(scores)
    worst = min(scores, key=lambda s: s.f1)
    print(f"{name}: mean precision {mean_p:.3f}, mean recall {mean_r:.3f}, ", end="")
    print(f"worst F1 {worst.f1:.3f} ({worst.page})", end="")
    probes = [p for _, p in result if p is not None]
    if probes:
        spoken = sum(p.spoken for p in probes)
        total = sum(p.total for p in probes)
        unwanted = sum(len(p.unwanted) for p in probes)
        print(f", must-be-spoken {spoken}/{total}, must-not-be-spoken heard {unwanted}", end="")
    print()


if __name__ == "__main__":
    sys.exit(main())
