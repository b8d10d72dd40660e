from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audiogen import files
from audiogen.errors import PublishFailed
from audiogen.publish import site

HOLD = """
import sys, time
from pathlib import Path
from audiogen.publish import site
with site.locked(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(output: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(output), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_build_waits_for_the_lock(tmp_path: Path) -> None:
    proc = hold_lock(tmp_path, 1.0)
    start = time.monotonic()
    with site.locked(tmp_path, wait=30):
        waited = time.monotonic() - start
    proc.wait(timeout=30)
    assert waited > 0.3


def test_a_build_that_cannot_get_the_lock_fails_clearly(tmp_path: Path) -> None:
    proc = hold_lock(tmp_path, 5.0)
    try:
        with (
            pytest.raises(PublishFailed, match=rf"another build \(pid {proc.pid}\)"),
            site.locked(tmp_path, wait=0.3),
        ):
            pass
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    proc = hold_lock(tmp_path, 60.0)
    proc.kill()
    proc.wait()
    with site.locked(tmp_path, wait=2):
        pass


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("tab\tnew\nline\x00nul\x1b[31m", "tab-new-line-nul-31m"),
        ("</title><script>alert(1)</script>", "title-script-alert-1-script"),
        ("Ünïcödé Çafé", "unicode-cafe"),
        ("...", "episode"),
        ("日本語のニュース", "episode"),
        ("x" * 500, "x" * site.SLUG_MAX),
    ],
)
def test_slugs_are_safe_file_names(title: str, slug: str) -> None:
    result = site.slugify(title)
    assert result == slug
    assert (
        "/" not in result
        and "\\" not in result
        and ".." not in result
        and len(result) <= site.SLUG_MAX
    )


def test_write_atomic_replaces_whole_files_readable_by_a_web_server(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "feed.xml"
    files.write_atomic(path, b"old")
    files.write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in path.parent.iterdir()] == ["feed.xml"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "feed.xml"
    files.write_atomic(path, b"old")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(PublishFailed, match="No space left on device"):
        files.write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]
