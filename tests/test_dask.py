"""The Dask executor: sentences spoken on a Dask cluster (a LocalCluster on 127.0.0.1
here) make the same episode as speaking them locally."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from audiogen import pipeline
from audiogen.audio.parallel import DaskRunner, make_runner
from audiogen.errors import BadInput
from audiogen.models import Show
from tests.conftest import ToneEngine, WordToneEngine, build_one

distributed = pytest.importorskip("distributed")

SHOW = Show(title="Dask Show", author="Desk", base_url="https://example.com/p/")
ARTICLE = """# Spread Over a Cluster

The harbor board met on Monday. It heard three reports. Each one was long.

The first report covered the seawall. The second covered the ferry. The third covered money.

## What Next

A vote comes in June. Residents may write in before then.
"""


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A one-worker cluster in this process, reached over TCP like a remote one."""
    cluster = distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        yield str(cluster.scheduler_address).removeprefix("tcp://")
    finally:
        cluster.close()


def test_dask_builds_the_same_mp3_as_local(tmp_path: Path, scheduler: str) -> None:
    source = tmp_path / "story.md"
    source.write_text(ARTICLE, encoding="utf-8")
    local_engine, dask_engine = ToneEngine(), ToneEngine()
    local = build_one(
        str(source),
        pipeline.BuildOptions(output=tmp_path / "local", show=SHOW, jobs=1),
        engine=local_engine,
    )
    remote = build_one(
        str(source),
        pipeline.BuildOptions(
            output=tmp_path / "dask",
            show=SHOW,
            cache_dir=tmp_path / "shared-cache",
            executor=f"dask://{scheduler}",
        ),
        engine=dask_engine,
    )
    assert dask_engine.calls == []  # every sentence was spoken on the cluster
    assert len(local_engine.calls) == len(remote.sentences)
    assert (remote.duration_ms, remote.chapters, remote.sentences) == (
        local.duration_ms,
        local.chapters,
        local.sentences,
    )
    local_mp3, dask_mp3 = tmp_path / "local" / local.path, tmp_path / "dask" / remote.path
    assert MP3(dask_mp3).info.length == pytest.approx(MP3(local_mp3).info.length, abs=1e-6)
    chapters = [
        [(c.start_time, c.end_time, str(c.sub_frames["TIT2"])) for c in ID3(path).getall("CHAP")]
        for path in (local_mp3, dask_mp3)
    ]
    assert chapters[0] == chapters[1] and len(chapters[0]) == 2


def test_word_timings_come_back_from_the_cluster(tmp_path: Path, scheduler: str) -> None:
    source = tmp_path / "story.md"
    source.write_text(ARTICLE, encoding="utf-8")
    local = build_one(
        str(source),
        pipeline.BuildOptions(output=tmp_path / "local", show=SHOW, jobs=1),
        engine=WordToneEngine(),
    )
    engine = WordToneEngine()
    remote = build_one(
        str(source),
        pipeline.BuildOptions(
            output=tmp_path / "dask",
            show=SHOW,
            cache_dir=tmp_path / "shared-cache",
            executor=f"dask://{scheduler}",
        ),
        engine=engine,
    )
    assert engine.calls == [] and all(t.words for t in remote.sentences)
    assert remote.sentences == local.sentences


def test_an_unreachable_scheduler_is_bad_input() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(BadInput, match=f"127.0.0.1:{port}"):
        DaskRunner(f"tcp://127.0.0.1:{port}", timeout=1.0)


def test_without_dask_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    with pytest.raises(BadInput, match=r"audiogen\[dask\]"):
        make_runner("dask://127.0.0.1:8786")
