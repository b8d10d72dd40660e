"""Builds killed with SIGKILL at chosen moments, and builds racing into one folder: the
published feed and episodes stay valid, and the next build finishes the job."""

from __future__ import annotations

import hashlib
import io
import signal
import subprocess
import sys
from pathlib import Path

import feedparser
import podcastparser
import pytest

from audiogen import pipeline
from audiogen.audio.synth import script
from audiogen.models import Show
from tests.conftest import REPO, ToneEngine, build_one, prepared

# Runs one build in a child process, with a fault made to stall at the named moment
# (printing a marker first) so the test can kill it exactly there.
CHILD = r"""
import os, sys, time, types
from pathlib import Path

import lameenc

from audiogen import pipeline
from audiogen.models import Show
from tests.conftest import ToneEngine

source, output, cache, fault = sys.argv[1:5]


class Engine(ToneEngine):
    def synthesize(self, text):
        print("synth", flush=True)
        if fault == "synthesis":
            time.sleep(0.4)
        return super().synthesize(text)


if fault == "encoding":
    import audiogen.audio.encode as encode

    real = lameenc.Encoder

    class StallingEncoder:
        def __init__(self):
            self._encoder = real()

        def __getattr__(self, name):
            return getattr(self._encoder, name)

        def encode(self, pcm):
            print("encoding", flush=True)
            time.sleep(0.4)
            return self._encoder.encode(pcm)

    encode.lameenc = types.SimpleNamespace(Encoder=StallingEncoder)

if fault == "feed":
    real_replace = os.replace

    def stalling_replace(src, dst):
        if str(dst).endswith("feed.xml"):
            print("feed", flush=True)
            time.sleep(120)
        real_replace(src, dst)

    os.replace = stalling_replace

engine = Engine()
options = pipeline.BuildOptions(output=Path(output), show=Show(), cache_dir=Path(cache))
pipeline.build([source], options, engine=engine)
print("done", len(engine.calls), flush=True)
"""

SECOND = "# Second Story\n\n" + "\n\n".join(
    f"Paragraph {w} of the second story has words. It has a second sentence too."
    for w in ("one", "two", "three", "four", "five", "six")
)


def child(source: Path, output: Path, cache: Path, fault: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(source), str(output), str(cache), fault],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An output folder with one episode, a speech cache, and a second article to build."""
    first = tmp_path / "first.md"
    first.write_text("# First Story\n\nThe first story is short.\n", encoding="utf-8")
    second = tmp_path / "second.md"
    second.write_text(SECOND, encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    options = pipeline.BuildOptions(output=out, show=Show(), cache_dir=cache)
    build_one(first, options, engine=ToneEngine())
    return out, cache, second


@pytest.mark.parametrize(
    ("fault", "marker", "count"),
    [("synthesis", "synth", 4), ("encoding", "encoding", 1), ("feed", "feed", 1)],
)
def test_sigkill_leaves_the_feed_valid_and_a_rerun_completes(
    published: tuple[Path, Path, Path], fault: str, marker: str, count: int
) -> None:
    out, cache, second = published
    feed_before = (out / "feed.xml").read_bytes()
    (first_mp3,) = (out / "episodes").glob("first-story.mp3")
    mp3_before = digest(first_mp3)

    proc = child(second, out, cache, fault)
    assert proc.stdout is not None
    seen = 0
    for line in proc.stdout:
        seen += line.strip() == marker
        if seen == count:
            break
    assert seen == count, proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # What was published is untouched and still parses, old episode and all.
    assert (out / "feed.xml").read_bytes() == feed_before
    assert digest(first_mp3) == mp3_before
    parsed = feedparser.parse(feed_before)
    assert not parsed.bozo and [e.title for e in parsed.entries] == ["First Story"]
    if fault != "feed":
        # Killed before its audio was finished: none of the new episode is in view.
        assert not [p for p in out.rglob("*") if p.is_file() and p.name.startswith("second-story")]

    # Building again finishes the job, speaking only what the killed build had not.
    rerun = child(second, out, cache, "none")
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    spoken_again = int(stdout.split()[-1])
    total = len(script(prepared(second)))
    if fault == "synthesis":
        assert 0 < spoken_again <= total - (count - 1)
    else:
        assert spoken_again == 0
    xml = (out / "feed.xml").read_bytes()
    episodes = podcastparser.parse("http://127.0.0.1:8000/feed.xml", io.BytesIO(xml))["episodes"]
    assert sorted(e["title"] for e in episodes) == ["First Story", "Second Story"]
    for episode in episodes:
        name = episode["enclosures"][0]["url"].rsplit("/", 1)[-1]
        assert episode["enclosures"][0]["file_size"] == (out / "episodes" / name).stat().st_size


def test_two_builds_at_once_both_land_in_one_valid_feed(
    published: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    out, cache, second = published
    third = tmp_path / "third.md"
    third.write_text(
        SECOND.replace("Second Story", "Third Story").replace("second", "third"), encoding="utf-8"
    )
    procs = [child(second, out, cache, "synthesis"), child(third, out, cache, "synthesis")]
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo
    assert sorted(e.title for e in parsed.entries) == ["First Story", "Second Story", "Third Story"]
    assert len({e.id for e in parsed.entries}) == 3
