"""Atomic files: the one place that knows how to write so that no reader sees half a file.

Every file audiogen leaves behind (episodes, feeds, manifests, cache entries)
is written to a hidden temporary name beside its place and renamed onto it, so
a reader, or a build killed midway, sees the old file or the new one, never
part of either.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from audiogen.errors import AudiogenError, PublishFailed


def temporary_beside(path: Path, prefix: str | None = None) -> Path:
    """A new empty file next to ``path``, hidden, readable by a web server, to be renamed onto it.

    Raises ``OSError`` when the folder cannot be made or written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=prefix or f".{path.name}.", suffix=path.suffix or ".tmp", dir=path.parent
    )
    # mkstemp makes owner-only files; a site is read by a web server.
    os.fchmod(fd, 0o644)
    os.close(fd)
    return Path(tmp)


def write_atomic(
    path: Path,
    *parts: bytes,
    sync: bool = True,
    prefix: str | None = None,
    error: type[AudiogenError] = PublishFailed,
) -> None:
    """Write ``parts`` one after another to ``path``: readers see the old file or the new, never half.

    ``sync`` makes the data durable before the rename (skip it for data whose
    checksum catches a torn write). A failure raises ``error`` with the reason.
    """
    tmp: Path | None = None
    try:
        tmp = temporary_beside(path, prefix)
        with tmp.open("wb") as handle:
            for part in parts:
                handle.write(part)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise error(f"cannot write {path}: {exc.strerror or exc}") from exc


def write_if_changed(path: Path, data: bytes) -> None:
    """Write only when the content differs, so unchanged files keep their dates (and caches)."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)
