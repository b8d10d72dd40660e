"""The output folder: atomic writes, safe file names, and the episode manifest.

The feed is rendered from the manifest (``.audiogen/manifest.json``), never by
parsing the previous feed, so a rebuild keeps each episode's guid and date.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from audiogen.errors import PublishFailed
from audiogen.models import Chapter, FeedItem

MANIFEST = Path(".audiogen") / "manifest.json"
EPISODES_DIR = "episodes"
# A fixed namespace so the same article key gives the same guid on any machine.
GUID_NAMESPACE = uuid.UUID("5b0f4c8e-2f57-5d63-9f0c-6a75b1d1a7e3")
SLUG_MAX = 80


def slugify(title: str) -> str:
    """A safe, readable file name stem from a title.

    >>> slugify("U.S. Officials Meet With Mexican President")
    'u-s-officials-meet-with-mexican-president'
    >>> slugify("López Obrador: ¿qué sigue?")
    'lopez-obrador-que-sigue'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    >>> slugify("!!!")
    'episode'
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:SLUG_MAX].rstrip("-")
    return slug or "episode"


@dataclass(frozen=True)
class EpisodeFiles:
    """Where an episode's files live, relative to the output folder (always forward slashes)."""

    audio: str
    chapters: str
    vtt: str
    transcript: str
    player: str


def episode_files(slug: str) -> EpisodeFiles:
    stem = f"{EPISODES_DIR}/{slug}"
    return EpisodeFiles(
        audio=f"{stem}.mp3",
        chapters=f"{stem}.chapters.json",
        vtt=f"{stem}.vtt",
        transcript=f"{stem}.transcript.html",
        player=f"{stem}.html",
    )


def episode_guid(key: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes owner-only files; a site is read by a web server.
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PublishFailed(f"cannot write {path}: {exc.strerror or exc}") from exc


LOCK = Path(".audiogen") / "lock"
LOCK_WAIT_SECONDS = 600.0
LOCK_POLL_SECONDS = 0.1


@contextmanager
def locked(output: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the output folder's publishing lock: one build at a time updates the manifest and feed.

    A second build waits its turn (up to ``wait`` seconds, then fails clearly).
    The lock is an ``flock`` on a file, so a killed build never leaves it held.
    """
    path = output / LOCK
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+")
    except OSError as exc:
        raise PublishFailed(f"cannot lock {output}: {exc.strerror or exc}") from exc
    with handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise PublishFailed(
                        f"another build (pid {holder}) has been writing to {output} for over "
                        f"{wait:g} s; try again when it is done"
                    ) from None
                time.sleep(LOCK_POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_if_changed(path: Path, data: bytes) -> None:
    """Write only when the content differs, so unchanged files keep their dates (and caches)."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)


def load_manifest(output: Path) -> list[FeedItem]:
    path = output / MANIFEST
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [_item_from_json(entry) for entry in data["episodes"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PublishFailed(
            f"the manifest {path} is damaged ({exc}); remove it to start the feed afresh"
        ) from exc


def save_manifest(output: Path, items: list[FeedItem]) -> None:
    data = {"version": 1, "episodes": [asdict(item) for item in items]}
    write_atomic(output / MANIFEST, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))


def upsert(items: list[FeedItem], item: FeedItem) -> list[FeedItem]:
    """Add ``item``, or replace the entry with the same key keeping its guid and date.

    Returned newest first.
    """
    kept = []
    for existing in items:
        if existing.key == item.key:
            item = replace(item, guid=existing.guid, published=existing.published)
        else:
            kept.append(existing)
    kept.append(item)
    return sorted(kept, key=lambda i: i.published, reverse=True)


def unique_slug(items: list[FeedItem], key: str, slug: str) -> str:
    """The slug already used for ``key``, or ``slug`` made unique among the others."""
    for existing in items:
        if existing.key == key:
            return existing.slug
    taken = {existing.slug for existing in items}
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


def existing_item(items: list[FeedItem], key: str) -> FeedItem | None:
    return next((i for i in items if i.key == key), None)


def _item_from_json(entry: dict[str, Any]) -> FeedItem:
    fields = dict(entry)
    fields["chapters"] = tuple(
        c if isinstance(c, Chapter) else Chapter(**c) for c in fields.get("chapters", ())
    )
    return FeedItem(**fields)
