"""A content-addressed store of synthesized sentences on disk.

Each sentence's audio is stored under a key made from everything that
changes its sound: the spoken text, the engine's name and the engine's
fingerprint (its version, voice, speed and settings). A rebuild of an
unchanged article finds every sentence here and asks the engine for nothing;
an edit to one paragraph misses only that paragraph's sentences.

An entry is one file: a fixed header (magic, format version, sample rate,
sample count, SHA-256 of the rest) followed by 16-bit mono PCM and, when the
engine gave them, the words' timings (format 2: JSON after the samples, in
the checksum; format 1, without them, is what every other entry is). An
engine that gives word timings has its entries written in format 2 even when
a sentence got none (an empty list), so a format 1 entry of such an engine is
one spoken before it gave them: the synthesize stage speaks it again once.
Entries
are written to a temporary name and renamed into place, and read back only
when the length and the checksum match, so a half-written, truncated or
corrupted entry is never used: it is dropped and the sentence is spoken
again. Several builds (or Dask workers on a shared folder) may fill one
cache at once; the last writer of a key wins, with audio that is just as good.

Beside the sentences, the cache keeps what rendering worked out about each
segment of an episode (its loudness statistics, and its MP3 frames at a
given gain) under keys covering everything that went into them, so an edit
re-renders only the segments it touched. Those entries are checked the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from audiogen.engines.words import in_order
from audiogen.errors import AudioFailed
from audiogen.files import write_atomic
from audiogen.models import Audio, Word

# The version in every key and segment entry; a sentence with word timings is stored
# as WORDS_VERSION, which changes no key: an entry of either format is found.
FORMAT_VERSION = 1
WORDS_VERSION = 2
MAGIC = b"AGSC"
_HEADER = struct.Struct("<4sIIQ32s")  # magic, version, sample rate, samples, sha256 of the rest
BLOB_MAGIC = b"AGSB"
_BLOB_HEADER = struct.Struct("<4sIQ32s")  # magic, version, length, sha256 of the data
SENTENCES_DIR = "sentences"
SEGMENTS_DIR = "segments"
SUFFIX = ".pcm"
_TEMP_PREFIX = ".tmp-"
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.(pcm|analysis|render)")


def sentence_key(text: str, engine: str, fingerprint: str) -> str:
    """The cache key of ``text`` spoken by ``engine`` as configured (its ``fingerprint``).

    Any change to any part gives another key, so nothing stale is ever
    reused. The text is taken exactly as the engine is given it: two texts
    that differ only in spacing may not sound the same to every engine.
    """
    canonical = json.dumps([FORMAT_VERSION, engine, fingerprint, text], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """A stored sentence: where to find it and how long it is."""

    key: str
    sample_rate: int
    samples: int
    words: tuple[Word, ...] = ()
    # Written with its word timings (format 2), even if there were none to write.
    timed: bool = False


@dataclass(frozen=True)
class CacheInfo:
    location: Path
    entries: int  # sentences
    size_bytes: int  # sentences and segments together
    segments: int = 0  # what rendering kept about stretches of episodes


class SpeechCache:
    """Synthesized sentences (and rendered segments) under ``root``, created on first write."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / SENTENCES_DIR / key[:2] / f"{key}{SUFFIX}"

    def blob_path(self, kind: str, key: str) -> Path:
        return self.root / SEGMENTS_DIR / key[:2] / f"{key}.{kind}"

    def put(self, key: str, audio: Audio, *, timed: bool = False) -> Entry:
        """Store ``audio`` (and its word timings) under ``key`` atomically and return its entry.

        ``timed``: the engine gives word timings, so the entry records that this
        sentence has the ones it has, none included.
        """
        if len(audio.pcm) % 2:
            raise AudioFailed(f"cannot cache audio of odd byte length {len(audio.pcm)}")
        if not in_order(audio.words, audio.samples):
            raise AudioFailed(
                f"the engine's word timings overlap or run past its audio ({audio.samples} samples)"
            )
        timed = timed or bool(audio.words)
        payload = audio.pcm + (_words_json(audio.words) if timed else b"")
        version = WORDS_VERSION if timed else FORMAT_VERSION
        digest = hashlib.sha256(payload).digest()
        header = _HEADER.pack(MAGIC, version, audio.sample_rate, audio.samples, digest)
        self._write(self.path(key), header, payload)
        return Entry(key, audio.sample_rate, audio.samples, audio.words, timed)

    def put_blob(self, kind: str, key: str, data: bytes) -> None:
        """Store ``data`` (``kind``: "analysis" or "render" of a segment) atomically."""
        digest = hashlib.sha256(data).digest()
        header = _BLOB_HEADER.pack(BLOB_MAGIC, FORMAT_VERSION, len(data), digest)
        self._write(self.blob_path(kind, key), header, data)

    def _write(self, path: Path, header: bytes, payload: bytes) -> None:
        # No fsync: a crash can leave a renamed but empty or torn file, which the
        # checksum catches on the next read; syncing every sentence would cost more.
        try:
            write_atomic(path, header, payload, sync=False, prefix=_TEMP_PREFIX, error=AudioFailed)
        except AudioFailed as exc:
            raise AudioFailed(
                f"{exc} (the speech cache; choose another folder with --cache-dir)"
            ) from exc

    def _read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise AudioFailed(
                f"cannot read the speech cache {self.root}: {exc.strerror or exc}"
            ) from exc

    def _load(self, key: str) -> tuple[Audio, bool] | None:
        """The stored audio, and whether it was stored timed, if the entry is whole and
        intact; a damaged entry is removed."""
        path = self.path(key)
        data = self._read(path)
        if data is None:
            return None
        found = _entry_audio(data)
        if found is None:
            path.unlink(missing_ok=True)
        return found

    def blob(self, kind: str, key: str) -> bytes | None:
        """The data stored under ``key`` if whole and intact; a damaged entry is removed."""
        path = self.blob_path(kind, key)
        data = self._read(path)
        if data is None:
            return None
        if len(data) >= _BLOB_HEADER.size:
            magic, version, length, digest = _BLOB_HEADER.unpack_from(data)
            payload = data[_BLOB_HEADER.size :]
            if (
                magic == BLOB_MAGIC
                and version == FORMAT_VERSION
                and len(payload) == length
                and hashlib.sha256(payload).digest() == digest
            ):
                return payload
        path.unlink(missing_ok=True)
        return None

    def entry(self, key: str) -> Entry | None:
        """The entry for ``key``, or None when it is missing or was damaged (and is now gone)."""
        found = self._load(key)
        if found is None:
            return None
        audio, timed = found
        return Entry(key, audio.sample_rate, audio.samples, audio.words, timed)

    def read(self, key: str) -> Audio:
        """The audio stored under ``key``; ``AudioFailed`` if it is missing or damaged."""
        found = self._load(key)
        if found is None:
            raise AudioFailed(
                f"the speech cache entry {key[:12]} in {self.root} vanished or was damaged "
                "during the build (is another process clearing the cache?); build again"
            )
        return found[0]

    def _files(self) -> list[Path]:
        return [
            path
            for folder in (self.root / SENTENCES_DIR, self.root / SEGMENTS_DIR)
            if folder.is_dir()
            for sub in folder.iterdir()
            if sub.is_dir() and len(sub.name) == 2
            for path in sub.iterdir()
            if path.is_file() and (_ENTRY_NAME.fullmatch(path.name) or _is_temp(path))
        ]

    def info(self) -> CacheInfo:
        """How many sentences and segments the cache holds and their size on disk
        (unfinished writes excluded)."""
        files = [p for p in self._files() if not _is_temp(p)]
        sentences = sum(p.suffix == SUFFIX for p in files)
        size = sum(p.stat().st_size for p in files)
        return CacheInfo(self.root, sentences, size, len(files) - sentences)

    def clear(self) -> int:
        """Delete every sentence and segment (and leftover temporary file); return
        how many sentences went.

        Only files this cache writes are touched, so a cache folder pointed at
        by mistake at a folder holding other things loses none of them.
        """
        removed = 0
        for path in self._files():
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise AudioFailed(f"cannot delete {path}: {exc.strerror or exc}") from exc
            removed += path.suffix == SUFFIX and not _is_temp(path)
        for folder in (self.root / SENTENCES_DIR, self.root / SEGMENTS_DIR):
            for sub in folder.iterdir() if folder.is_dir() else ():
                if sub.is_dir() and not any(sub.iterdir()):
                    sub.rmdir()
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return removed


def _words_json(words: tuple[Word, ...]) -> bytes:
    rows = [[word.text, word.start, word.end] for word in words]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _entry_audio(data: bytes) -> tuple[Audio, bool] | None:
    """A sentence entry's audio with its word timings, and whether it is of the format
    that has them; None unless it is whole and intact."""
    if len(data) < _HEADER.size:
        return None
    magic, version, rate, samples, digest = _HEADER.unpack_from(data)
    payload = data[_HEADER.size :]
    pcm, rest = payload[: 2 * samples], payload[2 * samples :]
    if (
        magic != MAGIC
        or version not in (FORMAT_VERSION, WORDS_VERSION)
        or rate <= 0
        or len(pcm) != 2 * samples
        or (version == FORMAT_VERSION) != (not rest)
        or hashlib.sha256(payload).digest() != digest
    ):
        return None
    words = _read_words(rest) if rest else ()
    if words is None or not in_order(words, samples):
        return None
    return Audio(pcm, int(rate), words), version == WORDS_VERSION


def _read_words(data: bytes) -> tuple[Word, ...] | None:
    try:
        rows = json.loads(data.decode("utf-8"))
        return tuple(Word(str(text), int(start), int(end)) for text, start, end in rows)
    except (ValueError, TypeError):
        return None


def _is_temp(path: Path) -> bool:
    return path.name.startswith(_TEMP_PREFIX)
