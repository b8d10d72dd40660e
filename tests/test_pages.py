"""Whole pages in the shape of real sites: what must be spoken is, and nothing else.

Each page in ``tests/pages/`` (written for these tests, after the layouts of
common CMSes: a news site, WordPress, a static-site generator, a CMS marking its
blocks with data attributes) comes with a TOML file listing passages that must
be spoken (``must_speak``), passages that must not (``must_not_speak``) and
passages to be spoken exactly once (``spoken_once``). The page goes through the
same text stages as a build (``extract_page``, ``parse_markdown``,
``extract_byline``, ``clean_blocks``); passages are compared as runs of words,
ignoring case and punctuation, so a passage spans paragraphs when it says what
must be heard in a row.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from audiogen.text.clean import clean_blocks, extract_byline, parse_markdown
from audiogen.text.extract import extract_page

PAGES = Path(__file__).parent / "pages"
PAGE_NAMES = sorted(p.stem for p in PAGES.glob("*.html"))
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str) -> str:
    """Words of ``text`` in order, lower case, one space apart, with spaces around."""
    found = _WORD.findall(text.casefold().replace("’", "'"))
    return f" {' '.join(found)} "


def spoken_text(name: str) -> str:
    """What a build speaks of page ``name``: its title, then every block in order."""
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    page = extract_page(html, f"https://example.org/{name}")
    _author, blocks = extract_byline(parse_markdown(page.markdown))
    return "\n".join([page.title, *(b.text for b in clean_blocks(blocks))])


def expectations(name: str) -> dict[str, list[str]]:
    with (PAGES / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def test_every_page_has_expectations() -> None:
    assert len(PAGE_NAMES) >= 8
    for name in PAGE_NAMES:
        expected = expectations(name)
        assert expected["must_speak"] and expected["must_not_speak"], name


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_title(name: str) -> None:
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    assert extract_page(html).title == expectations(name)["title"]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_must_be_spoken(name: str) -> None:
    spoken = words(spoken_text(name))
    missing = [p for p in expectations(name)["must_speak"] if words(p) not in spoken]
    assert not missing, f"{name}: not spoken: {missing}\n--- spoken:\n{spoken_text(name)}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_must_not_be_spoken(name: str) -> None:
    spoken = words(spoken_text(name))
    extra = [p for p in expectations(name)["must_not_speak"] if words(p) in spoken]
    assert not extra, f"{name}: spoken: {extra}\n--- spoken:\n{spoken_text(name)}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_spoken_once(name: str) -> None:
    spoken = words(spoken_text(name))
    counts = {p: spoken.count(words(p)) for p in expectations(name).get("spoken_once", [])}
    assert all(n == 1 for n in counts.values()), f"{name}: {counts}"
