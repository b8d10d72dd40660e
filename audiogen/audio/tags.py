"""Write ID3v2.4 tags with mutagen: episode metadata, cover, text and chapters.

Chapters are one CHAP frame per section plus a top-level CTOC. mutagen sorts
frames by size when it saves, which puts chapters out of time order for
readers that list CHAP frames as they appear in the file (ffprobe among
them), so the tag is saved by a subclass that keeps chapters in time order.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TRCK,
    USLT,
    WOAS,
    CTOCFlags,
    Encoding,
    ID3NoHeaderError,
    PictureType,
)
from mutagen.id3._tags import save_frame

from audiogen import languages
from audiogen.audio.render import EpisodeAudio, save_record
from audiogen.errors import AudioFailed, PublishFailed
from audiogen.files import temporary_beside
from audiogen.models import Article, Chapter, EpisodeFiles, Placement, Rendered, Show

# ISO 639-1 (what feeds and HTML use) to ISO 639-2/B (what ID3 TLAN, USLT and COMM use).
ISO639_2 = {
    "ar": "ara", "bg": "bul", "ca": "cat", "cs": "cze", "cy": "wel", "da": "dan", "de": "ger",
    "el": "gre", "en": "eng", "eo": "epo", "es": "spa", "et": "est", "eu": "baq", "fa": "per",
    "fi": "fin", "fr": "fre", "ga": "gle", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun",
    "id": "ind", "is": "ice", "it": "ita", "ja": "jpn", "ko": "kor", "lt": "lit", "lv": "lav",
    "nb": "nob", "nl": "dut", "no": "nor", "pl": "pol", "pt": "por", "ro": "rum", "ru": "rus",
    "sk": "slo", "sl": "slv", "sr": "srp", "sv": "swe", "sw": "swa", "th": "tha", "tr": "tur",
    "uk": "ukr", "vi": "vie", "zh": "chi",
}  # fmt: skip


def iso639_2(language: str) -> str:
    """``en`` / ``en-US`` -> ``eng``; unknown languages -> ``und`` (undetermined)."""
    return ISO639_2.get(languages.primary(language), "und")


@dataclass(frozen=True)
class TagInfo:
    title: str
    artist: str
    album: str
    date: str  # ISO 8601, e.g. 2024-01-05
    language: str
    chapters: tuple[Chapter, ...]
    text: str = ""
    comment: str = ""
    url: str | None = None
    cover: bytes | None = None
    cover_mime: str = "image/jpeg"
    genre: str = "Podcast"
    track: str | None = None  # "3/7" for a section file


class _TimeOrderedID3(ID3):
    """An ID3 tag that writes frames in the order they were added.

    mutagen's own save orders frames by size; for CHAP frames the order in the
    file is the order many readers list chapters in.
    """

    def _write(self, config: Any) -> bytes:
        return b"".join(save_frame(frame, config=config) for frame in self._ordered)

    def add_in_order(self, frame: Any) -> None:
        self.add(frame)
        self._ordered.append(frame)

    def __init__(self) -> None:
        super().__init__()
        self._ordered: list[Any] = []


def chapter_id(index: int) -> str:
    return f"chp{index}"


def write_tags(path: Path, info: TagInfo) -> None:
    """Replace any tag on the MP3 at ``path`` with an ID3v2.4 tag built from ``info``."""
    lang = iso639_2(info.language)
    tag = _TimeOrderedID3()
    add = tag.add_in_order
    add(TIT2(encoding=Encoding.UTF8, text=[info.title]))
    add(TPE1(encoding=Encoding.UTF8, text=[info.artist]))
    add(TALB(encoding=Encoding.UTF8, text=[info.album]))
    add(TDRC(encoding=Encoding.UTF8, text=[info.date]))
    add(TLAN(encoding=Encoding.UTF8, text=[lang]))
    add(TCON(encoding=Encoding.UTF8, text=[info.genre]))
    if info.track:
        add(TRCK(encoding=Encoding.UTF8, text=[info.track]))
    if info.url:
        add(WOAS(url=info.url))
    if info.comment:
        add(COMM(encoding=Encoding.UTF8, lang=lang, desc="", text=[info.comment]))
    if info.chapters:
        add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=[chapter_id(i) for i in range(len(info.chapters))],
                sub_frames=[TIT2(encoding=Encoding.UTF8, text=["Chapters"])],
            )
        )
    for i, chapter in enumerate(info.chapters):
        add(
            CHAP(
                element_id=chapter_id(i),
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                # 0xFFFFFFFF: "offsets not used", per the ID3 chapter addendum.
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=Encoding.UTF8, text=[chapter.title])],
            )
        )
    if info.text:
        add(USLT(encoding=Encoding.UTF8, lang=lang, desc="", text=info.text))
    if info.cover:
        add(
            APIC(
                encoding=Encoding.UTF8,
                mime=info.cover_mime,
                type=PictureType.COVER_FRONT,
                desc="Cover",
                data=info.cover,
            )
        )
    try:
        with contextlib.suppress(ID3NoHeaderError):
            ID3(path).delete(path)
        tag.save(path, v2_version=4)
    except Exception as exc:  # mutagen raises MutagenError and OSError subclasses
        raise AudioFailed(f"cannot write tags to {path}: {exc}") from exc


def episode_tags(
    article: Article, placement: Placement, rendered: Rendered, show: Show, cover: bytes
) -> dict[str, TagInfo]:
    """The tags of the episode's MP3 and of each section MP3, by where each file goes."""
    info = TagInfo(
        title=article.title,
        artist=article.author or show.author,
        album=show.title,
        date=placement.published[:10],
        language=article.language,
        chapters=rendered.chapters,
        text="\n".join(t.text for t in rendered.sentences),
        comment=article.summary(),
        url=article.url,
        cover=cover,
    )
    sections = placement.files.sections
    return {placement.files.audio: info} | {
        rel: _section_tags(info, n, len(sections)) for n, rel in enumerate(sections, start=1)
    }


def _section_tags(tags: TagInfo, n: int, count: int) -> TagInfo:
    chapter = tags.chapters[n - 1]
    return replace(
        tags, title=chapter.title, album=tags.title, chapters=(), text="", track=f"{n}/{count}"
    )


def tag_episode(
    output: Path, files: EpisodeFiles, audio: EpisodeAudio, tagged: Mapping[str, TagInfo]
) -> None:
    """The tag stage: tag each MP3 under its temporary name and only then move it into place,
    so no reader sees an untagged or partial file.

    Files kept from the last build are left alone when their tags are unchanged,
    else copied, retagged and moved back the same way.
    """
    digest = hashlib.sha256(repr(sorted(tagged.items())).encode("utf-8")).hexdigest()
    if audio.kept is not None and audio.kept.tags == digest:
        return
    temps = dict(audio.made)
    try:
        for rel, info in tagged.items():
            if rel not in temps:
                temps[rel] = temporary_beside(output / rel)
                shutil.copyfile(output / rel, temps[rel])
            write_tags(temps[rel], info)
        for rel in tagged:
            temps.pop(rel).replace(output / rel)
    except OSError as exc:
        raise PublishFailed(f"cannot write into {output}: {exc.strerror or exc}") from exc
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    save_record(output, files, audio, digest)
