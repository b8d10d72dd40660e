"""The show config file, ``audiogen.toml``: what the CLI reads before it calls the library.

Every key is optional; command-line flags override the file. Errors name the
file and the line, so a typo is found without guessing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from audiogen.errors import BadInput
from audiogen.models import EpisodeSettings, Show

CONFIG_NAME = "audiogen.toml"
EPISODE_TYPES = ("full", "trailer", "bonus")
SHOW_TYPES = ("episodic", "serial")


@dataclass(frozen=True)
class Config:
    show: Show = field(default_factory=Show)
    episode: EpisodeSettings = field(default_factory=EpisodeSettings)
    cover_file: Path | None = None  # a user's cover image, copied into the site
    engine: str | None = None
    voice: str | None = None
    quote_voice: str | None = None
    output: Path | None = None
    engine_settings: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    source: Path | None = None  # the file this came from


SHOW_KEYS: dict[str, type] = {
    "title": str,
    "description": str,
    "author": str,
    "email": str,
    "language": str,
    "category": str,
    "subcategory": str,
    "explicit": bool,
    "cover": str,
    "base_url": str,
    "copyright": str,
    "type": str,
}
EPISODE_KEYS: dict[str, type] = {
    "type": str,
    "intro": str,
    "outro": str,
    "intro_music": str,
    "outro_music": str,
}
BUILD_KEYS: dict[str, type] = {"engine": str, "voice": str, "quote_voice": str, "output": str}


def find_config(explicit: Path | None, cwd: Path) -> Path | None:
    """The config to use: the one given, else ``audiogen.toml`` in ``cwd`` if there is one."""
    if explicit is not None:
        if not explicit.is_file():
            raise BadInput(f"config file not found: {explicit}")
        return explicit
    candidate = cwd / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(path: Path | None) -> Config:
    """The settings in the file at ``path`` (none: the defaults); ``BadInput`` names the line."""
    if path is None:
        return Config()
    raw, data = _parse(path)
    unknown = set(data) - {"show", "episode", "build", "engine"}
    if unknown:
        key = sorted(unknown)[0]
        raise BadInput(
            f"{path}:{_line_of(raw, key)}: unknown section or key {key!r} "
            "(expected [show], [episode], [build], [engine.NAME])"
        )
    build_data = _table(data, "build", BUILD_KEYS, path, raw)
    show, cover_file = _show(_table(data, "show", SHOW_KEYS, path, raw), path, raw)
    return Config(
        show=show,
        episode=_episode(_table(data, "episode", EPISODE_KEYS, path, raw), path, raw),
        cover_file=cover_file,
        engine=build_data.get("engine"),
        voice=build_data.get("voice"),
        quote_voice=build_data.get("quote_voice"),
        output=path.parent / build_data["output"] if "output" in build_data else None,
        engine_settings=_engine_tables(data.get("engine", {}), path, raw),
        source=path,
    )


def _parse(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read config {path}: {exc}") from exc
    try:
        return raw, tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = f":{where.group(1)}" if where else ""
        raise BadInput(f"{path}{line}: malformed TOML: {exc}") from exc


def _show(show_data: dict[str, Any], path: Path, raw: str) -> tuple[Show, Path | None]:
    changes: dict[str, Any] = {}
    for key, value in show_data.items():
        if key == "email":
            changes["owner_email"] = value
        elif key != "cover":
            changes[key] = value
    if changes.get("type", "episodic") not in SHOW_TYPES:
        raise BadInput(
            f"{path}:{_line_of(raw, 'type')}: show type must be one of {', '.join(SHOW_TYPES)}"
        )
    cover_file = path.parent / show_data["cover"] if "cover" in show_data else None
    if cover_file is not None and not cover_file.is_file():
        raise BadInput(f"{path}:{_line_of(raw, 'cover')}: cover image not found: {cover_file}")
    return replace(Show(), **changes), cover_file


def _episode(data: dict[str, Any], path: Path, raw: str) -> EpisodeSettings:
    base = path.parent
    episode = EpisodeSettings(
        type=data.get("type", "full"),
        intro=data.get("intro"),
        outro=data.get("outro"),
        intro_music=base / data["intro_music"] if "intro_music" in data else None,
        outro_music=base / data["outro_music"] if "outro_music" in data else None,
    )
    if episode.type not in EPISODE_TYPES:
        raise BadInput(
            f"{path}:{_line_of(raw, 'type')}: episode type must be one of {', '.join(EPISODE_TYPES)}"
        )
    for key in ("intro", "outro"):
        template = getattr(episode, key)
        if template is not None:
            check_template(template, f"{path}:{_line_of(raw, key)}")
    for key in ("intro_music", "outro_music"):
        music = getattr(episode, key)
        if music is not None and not music.is_file():
            raise BadInput(f"{path}:{_line_of(raw, key)}: music file not found: {music}")
    return episode


def _engine_tables(
    tables: Any, path: Path, raw: str
) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """``[engine.NAME]`` tables: each engine's own settings, passed to it as they are."""
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise BadInput(
            f"{path}:{_line_of(raw, 'engine')}: engine settings go in tables such as "
            "[engine.piper], one per engine"
        )
    return tuple(sorted((name, tuple(sorted(t.items()))) for name, t in tables.items()))


TEMPLATE_FIELDS = ("show", "title", "author", "date")


def check_template(template: str, where: str) -> None:
    """Reject templates naming fields that do not exist, before any audio is made."""
    for name in re.findall(r"{([^{}]*)}", template):
        if name not in TEMPLATE_FIELDS:
            raise BadInput(
                f"{where}: unknown field {{{name}}} in template (use {', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)})"
            )


def _table(
    data: dict[str, Any], name: str, keys: dict[str, type], path: Path, raw: str
) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise BadInput(f"{path}:{_line_of(raw, name)}: [{name}] must be a table")
    for key, value in table.items():
        expected = keys.get(key)
        if expected is None:
            raise BadInput(
                f"{path}:{_line_of(raw, key)}: unknown key {key!r} in [{name}] (known: {', '.join(keys)})"
            )
        if not isinstance(value, expected):
            raise BadInput(
                f"{path}:{_line_of(raw, key)}: {name}.{key} must be {'true or false' if expected is bool else 'a string'}"
            )
    return dict(table)


def _line_of(raw: str, key: str) -> int:
    """The first line that assigns ``key`` (or opens table ``key``); 1 if none is found."""
    pattern = re.compile(
        rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|\[{re.escape(key)}\])\s*(?:=|$)"
    )
    for number, line in enumerate(raw.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


STARTER = """\
# audiogen show settings. Every key is optional; command-line flags win over this file.
# Paths are relative to this file.

[show]
title = "My Narrated Articles"
description = "Articles from my site, read aloud."
author = "Your Name"
# email = "you@example.com"        # owner e-mail (Apple asks for it; also locks the feed)
language = "en"
category = "News"                  # an Apple Podcasts category
# subcategory = "Daily News"
explicit = false
# cover = "cover.jpg"              # square RGB JPEG or PNG, 1400-3000 px; generated when absent
base_url = "https://example.com/podcast/"   # where the output folder is served
# copyright = "© 2026 Your Name"
type = "episodic"                  # or "serial"

[episode]
type = "full"                      # full, trailer or bonus
# intro = "{show}. {title}, by {author}."   # fields: {show} {title} {author} {date}
# outro = "You have been listening to {show}."
# intro_music = "intro.mp3"        # played first, then ducked under the voice
# outro_music = "outro.mp3"

[build]
# engine = "piper"                 # default: the best voice for the article's language
# voice = "kokoro:af_heart"        # ENGINE:VOICE (see: audiogen voices)
# quote_voice = "auto"             # quotations in a second, contrasting voice
# output = "output"

# Each engine's own settings, passed to it as they are (see the README's engine notes).
# [engine.piper]
# noise_scale = 0.5
"""
