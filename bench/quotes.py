"""Benchmark: which quotations of real articles the second voice would read.

Run from the repository root::

    python bench/quotes.py ARTICLE... [--list]

Each ARTICLE is a file audiogen reads (a saved page, Markdown or text; for the
corpus: ``../shared/corpus/*/source.html``). For each the script reads, cleans
and splits it as a build does (before normalization), then splits each sentence
into narrator and quotation parts with ``audiogen.text.quotes``. It prints, per
article: sentences, quotations voiced apart (one per run of quoted parts), and
sentences that keep double quotation marks in the narrator's voice (scare
quotes, titles, stray marks). ``--list`` prints every voiced quotation and every
sentence left to the narrator with marks in it, to read them over.

This is a benchmark to read, not a test: it exits 0 whatever the figures, and 1
only when an article cannot be read at all.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from audiogen.batch import source_context
from audiogen.errors import AudiogenError
from audiogen.models import QUOTE, Document
from audiogen.options import BuildOptions
from audiogen.pipeline import read
from audiogen.text.clean import clean_document
from audiogen.text.quotes import Part, split_speakers
from audiogen.text.sections import split_article

MARKS = '"“”‘’«»„'
# Double marks only: single ones are mostly apostrophes (it’s).
DOUBLE_MARKS = '"“”«»„'


def quotations(sentences: list[tuple[Part, ...]]) -> list[str]:
    """The voiced quotations; one running over sentences or paragraphs counts once."""
    runs: list[str] = []
    inside = False
    for parts in sentences:
        for n, part in enumerate(parts):
            if part.speaker != QUOTE:
                inside = False
                continue
            if inside and n == 0:
                runs[-1] += " " + part.text
            else:
                runs.append(part.text)
            # A quotation still open at its sentence's end goes on in the next.
            closed = part.text.rstrip(",.;!?…)]")[-1:] in MARKS
            inside = n == len(parts) - 1 and not closed
    return runs


def measure(source: str, document: Document, listing: bool) -> None:
    article = split_article(clean_document(document), None)
    sentences: list[tuple[Part, ...]] = []
    for section in article.sections:
        written = tuple(tuple(s.written for s in p) for p in section.paragraphs)
        for paragraph in split_speakers(written, language=article.language):
            sentences.extend(paragraph)
    voiced = quotations(sentences)
    kept = [
        parts[0].text
        for parts in sentences
        if len(parts) == 1
        and parts[0].speaker != QUOTE
        and any(m in parts[0].text for m in DOUBLE_MARKS)
    ]
    print(f"{source}: {len(sentences)} sentences, {len(voiced)} quotations voiced apart, "
          f"{len(kept)} sentences keep marks in the narrator's voice")  # fmt: skip
    if listing:
        for text in voiced:
            print(f"  quote:    {text}")
        for text in kept:
            print(f"  narrator: {text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="+")
    parser.add_argument("--list", action="store_true", help="print each quotation")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    failed = False
    context = source_context(BuildOptions(), {}, lambda name, value: None)
    for source in args.articles:
        try:
            for document in read([source], context):
                if isinstance(document, Document):
                    measure(source, document, args.list)
                else:
                    print(f"{source}: {document.reason}", file=sys.stderr)
                    failed = True
        except AudiogenError as error:
            print(f"{source}: {error}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
