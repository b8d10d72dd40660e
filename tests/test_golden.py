"""Golden files: the feed and the WebVTT transcript of the bundled sample, reviewed in diffs.

A change to either shows up here as a diff against ``tests/golden/``. When the
change is meant, regenerate them with ``pytest tests/test_golden.py --regen-golden``
and review the diff before committing. The feed is compared in XML canonical
form, so attribute order and quoting do not count.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from audiogen import pipeline
from audiogen.models import Show
from tests.conftest import SAMPLE, ToneEngine, build_one

GOLDEN = Path(__file__).parent / "golden"
SHOW = Show(title="Golden Show", author="The Desk", base_url="https://example.com/pod/")
WHEN = datetime.fromisoformat("2024-03-05T09:30:00+00:00")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "out"
    build_one(SAMPLE, pipeline.BuildOptions(output=out, show=SHOW), engine=ToneEngine(), now=WHEN)
    return out


def canonical_xml(data: bytes) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    return etree.tostring(etree.fromstring(data, parser), method="c14n")  # type: ignore[no-any-return]


def compare(name: str, made: bytes, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / name
    if request.config.getoption("--regen-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(made)
    assert golden.is_file(), f"no golden {name}: run pytest {__file__} --regen-golden"
    assert made == golden.read_bytes(), f"{name} changed: review, then --regen-golden"


def test_feed_matches_its_golden_file(site: Path, request: pytest.FixtureRequest) -> None:
    feed = canonical_xml((site / "feed.xml").read_bytes())
    golden = GOLDEN / "feed.xml"
    if request.config.getoption("--regen-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes((site / "feed.xml").read_bytes())
    assert feed == canonical_xml(golden.read_bytes()), (
        "feed.xml changed: review, then --regen-golden"
    )


def test_vtt_matches_its_golden_file(site: Path, request: pytest.FixtureRequest) -> None:
    (vtt,) = (site / "episodes").glob("*.vtt")
    compare("harbor-solar.vtt", vtt.read_bytes(), request)
