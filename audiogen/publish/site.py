"""The output folder: atomic writes, safe file names, and the episode manifest.

The feed is rendered from the manifest (``.audiogen/manifest.json``), never by
parsing the previous feed, so a rebuild keeps each episode's guid and date.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from audiogen.errors import PublishFailed
from audiogen.files import write_atomic
from audiogen.models import Article, Channel, Chapter, EpisodeFiles, FeedItem, Placement, Show

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


AUDIO_RECORDS = ".audiogen/audio"


def episode_files(slug: str, section_titles: tuple[str, ...] = ()) -> EpisodeFiles:
    """Every file of an episode, by where it lives: the one place that spells the layout out.

    ``section_titles`` (with ``--split``) names one MP3 per chapter.

    >>> files = episode_files("a-story", ("Intro", "What next?"))
    >>> files.audio, files.vtt, files.record
    ('episodes/a-story.mp3', 'episodes/a-story.vtt', '.audiogen/audio/a-story.json')
    >>> files.sections
    ('episodes/a-story/01-intro.mp3', 'episodes/a-story/02-what-next.mp3')
    """
    stem = f"{EPISODES_DIR}/{slug}"
    return EpisodeFiles(
        audio=f"{stem}.mp3",
        chapters=f"{stem}.chapters.json",
        vtt=f"{stem}.vtt",
        transcript=f"{stem}.transcript.html",
        player=f"{stem}.html",
        record=f"{AUDIO_RECORDS}/{slug}.json",
        sections=tuple(
            f"{stem}/{n:02d}-{slugify(title)}.mp3" for n, title in enumerate(section_titles, 1)
        ),
    )


def place(
    items: list[FeedItem], article: Article, when: datetime, *, split: bool = False
) -> Placement:
    """Where ``article`` is published: the slug, guid and date it had, else new ones.

    ``when`` dates an article that gives no date of its own.
    """
    previous = existing_item(items, article.key)
    slug = unique_slug(items, article.key, slugify(article.title))
    titles = tuple(section.title for section in article.sections) if split else ()
    return Placement(
        key=article.key,
        slug=slug,
        guid=previous.guid if previous else episode_guid(article.key),
        published=previous.published
        if previous
        else (article.published or when).isoformat(timespec="seconds"),
        files=episode_files(slug, titles),
    )


def episode_guid(key: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, key))


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
    fields["section_files"] = tuple(fields.get("section_files", ()))
    fields["categories"] = tuple(fields.get("categories", ()))
    return FeedItem(**fields)


SOURCE_STATE = Path(".audiogen") / "sources.json"


def load_source_state(output: Path) -> dict[str, Any]:
    """What sources saved on the last build (a feed's validators); empty when none or unreadable."""
    try:
        data = json.loads((output / SOURCE_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def files_intact(output: Path, item: FeedItem) -> bool:
    """Whether every file of ``item`` is still in ``output``, its MP3 at the size it was built."""
    try:
        if (output / item.audio).stat().st_size != item.size_bytes:
            return False
    except OSError:
        return False
    companions = (item.chapters_file, item.vtt_file, item.transcript_file, item.player_file)
    paths = [p for p in companions if p] + list(item.section_files)
    return all((output / p).is_file() for p in paths)


def show_with_defaults(show: Show, channel: Channel) -> Show:
    """``show`` with its unset fields (those still at their defaults) taken from a source feed.

    >>> show_with_defaults(Show(author="Ann"), Channel(title="Blog", language="de")).title
    'Blog'
    >>> show_with_defaults(Show(title="Mine"), Channel(title="Blog")).title
    'Mine'
    """
    default = Show()
    # The channel's image is not offered: a podcast cover must be a square of 1400 px or
    # more, which a feed's logo seldom is (the show's cover is generated instead).
    offered = {
        "title": channel.title,
        "description": channel.description,
        "language": channel.language,
        "link": channel.link,
    }
    changes: dict[str, Any] = {
        name: value
        for name, value in offered.items()
        if value and getattr(show, name) == getattr(default, name)
    }
    return replace(show, **changes)


def prune(items: list[FeedItem], seen: set[tuple[str, str]]) -> list[FeedItem]:
    """``items`` without the episodes of a source read this run whose article it no longer has.

    >>> keep = FeedItem("k1", "g", "s", "T", "", "", "en", "2024", "a.mp3", 1, 1, (), source="f")
    >>> gone = replace(keep, key="k2")
    >>> other = replace(keep, key="k3", source="elsewhere")
    >>> [i.key for i in prune([keep, gone, other], {("f", "k1")})]
    ['k1', 'k3']
    """
    sources = {source for source, _ in seen}
    return [i for i in items if i.source not in sources or (i.source, i.key) in seen]


def publish(
    output: Path,
    show: Show,
    published: list[FeedItem],
    seen: set[tuple[str, str]] | None,
    state: dict[str, Any],
) -> None:
    """Merge ``published`` into the manifest, under the output folder's lock, and write the feed.

    The manifest is read again under the lock, so a build that published
    meanwhile keeps its episodes. With ``seen`` (``--prune``), episodes whose
    article left its source are dropped from the feed (their files stay until
    ``audiogen`` is asked to clean up, so a mistake is undone by a rebuild).
    """
    from audiogen.publish.feed import FEED_NAME, render_feed

    with locked(output):
        items = load_manifest(output)
        for item in published:
            items = upsert(items, item)
        if seen is not None:
            items = prune(items, seen)
        # The feed first: a build killed between the two leaves a manifest without the
        # episode, and the next build publishes it again; the other way round, the next
        # build would find the episode current and never write it into the feed.
        write_atomic(output / FEED_NAME, render_feed(show, items))
        save_manifest(output, items)
        if state:
            merged = load_source_state(output) | state
            write_atomic(output / SOURCE_STATE, json.dumps(merged, indent=2).encode("utf-8"))
