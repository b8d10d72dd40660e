"""Find engines by name through the ``audiogen.engines`` entry-point group.

Built-in engines register exactly as a third-party plugin would, in
``pyproject.toml``; nothing is imported until an engine is asked for.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from importlib.metadata import entry_points
from typing import Any

from audiogen import languages
from audiogen.engines.base import Engine, EngineOptions, Voice
from audiogen.errors import AudiogenError, BadInput, EngineUnavailable

GROUP = "audiogen.engines"
DEFAULT_ENGINE = "piper"


@dataclass(frozen=True)
class EngineStatus:
    name: str
    available: bool
    needs_network: bool
    description: str
    detail: str  # why unavailable, or the default voice when available
    languages: tuple[str, ...] = ()  # what it speaks (primary codes), when it can tell
    default_for: tuple[str, ...] = ()  # the languages it is the default engine of


def engine_names() -> list[str]:
    return sorted({ep.name for ep in entry_points(group=GROUP)})


def engine_class(name: str) -> type[Engine]:
    for ep in entry_points(group=GROUP):
        if ep.name == name:
            try:
                cls: type[Engine] = ep.load()
            except ImportError as exc:
                raise EngineUnavailable(f"engine {name!r} cannot be imported: {exc}") from exc
            return cls
    known = ", ".join(engine_names()) or "none"
    raise EngineUnavailable(f"unknown engine {name!r} (known engines: {known})")


def choose_voice(engine: str | None, voice: str | None, language: str) -> tuple[str, str | None]:
    """The engine and voice to load for ``language``: what the user named, else the default.

    A voice named ``ENGINE:VOICE`` chooses its engine too; a bare voice goes to
    the engine named, else to the language's default engine.
    """
    if voice is not None:
        named, voice = parse_voice(voice)
        if named is not None:
            if engine is not None and engine != named:
                raise BadInput(f"--voice {named}:{voice} is not a voice of --engine {engine}")
            return named, voice
    if engine is not None:
        return engine, voice
    default_engine, default = default_voice(language)
    if voice is None:
        return default_engine, default
    return owner_of(voice, default_engine), voice


def owner_of(voice: str, first: str) -> str:
    """The engine that offers ``voice`` (engine ``first`` asked first); a ``.onnx`` file is
    Piper's; a voice no engine lists goes to ``first``, which then says it has no such voice."""
    if voice.lower().endswith(".onnx"):
        return "piper"
    for name in [first, *(n for n in engine_names() if n != first)]:
        try:
            offered = engine_class(name)(EngineOptions()).voices()
        except AudiogenError:
            continue
        if any(v.id == voice for v in offered):
            return name
    return first


def contrasting_voice(
    engine: Engine, settings: Mapping[str, tuple[tuple[str, Any], ...]] | None = None
) -> tuple[str, str]:
    """A second voice for quotations, as (engine, voice id): an installed voice of the
    narrator's language that sounds different. The other gender comes first, where it is
    known; then the narrator's engine, the engines that are some language's default (the
    neural ones), and the other offline engines, each with its own ``settings``."""
    language = languages.primary(engine.options.language)
    own = engine.fingerprint()
    offered = engine.voices()
    mine = next((v for v in offered if v.id == engine.options.voice), None)
    if mine is None and len(offered) == 1:
        mine = offered[0]  # an engine of one voice speaks in it
    candidates: list[tuple[bool, int, type[Engine], EngineOptions, Voice]] = []
    for rank, factory in enumerate(_offline_engines(type(engine))):
        options = engine.options
        if factory is not type(engine):
            options = replace(options, settings=(settings or {}).get(factory.name, ()))
        for v in _voices_of(factory, options):
            if v.installed and languages.primary(v.language or "und") == language:
                same = mine is not None and mine.gender is not None and v.gender == mine.gender
                candidates.append((same, rank, factory, options, v))
    for _, _, factory, options, voice in sorted(candidates, key=lambda c: c[:2]):
        if factory(replace(options, voice=voice.id)).fingerprint() != own:
            return factory.name, voice.id
    raise EngineUnavailable(
        f"no second {language} voice for quotations is installed; name one with "
        "--quote-voice ENGINE:VOICE (see `audiogen voices`)"
    )


def _offline_engines(first: type[Engine]) -> list[type[Engine]]:
    """``first``, then the offline engines that are a language's default, then the rest."""
    found = [first]
    defaults = {engine for engine, _ in default_table().values()}
    for name in sorted(engine_names(), key=lambda n: (n not in defaults, n)):
        try:
            cls = engine_class(name)
        except EngineUnavailable:
            continue
        if cls is not first and not cls.needs_network:
            found.append(cls)
    return found


def _voices_of(factory: type[Engine], options: EngineOptions) -> tuple[Voice, ...]:
    try:
        engine = factory(replace(options, voice=None))
        engine.check()
        return engine.voices()
    except AudiogenError:
        return ()


def load_engine(name: str, options: EngineOptions) -> Engine:
    """Build and check an engine; raises ``EngineUnavailable`` with a hint."""
    engine = engine_class(name)(options)
    engine.check()
    return engine


def engine_statuses(
    settings: Mapping[str, tuple[tuple[str, Any], ...]] | None = None,
) -> list[EngineStatus]:
    """Each registered engine, and whether it can run here with its own ``settings``."""
    statuses = []
    for name in engine_names():
        options = EngineOptions(settings=(settings or {}).get(name, ()))
        try:
            cls = engine_class(name)
        except EngineUnavailable as exc:
            statuses.append(EngineStatus(name, False, False, "", str(exc)))
            continue
        try:
            engine = cls(options)
            engine.check()
            ok, detail = True, "ready"
            spoken = engine.languages()
        except AudiogenError as exc:
            ok, detail, spoken = False, str(exc), None
        codes = tuple(sorted({languages.primary(c) for c in spoken or ()}))
        defaults = tuple(sorted(t for t, (e, _) in default_table().items() if e == name))
        statuses.append(
            EngineStatus(name, ok, cls.needs_network, cls.description, detail, codes, defaults)
        )
    return statuses


# -- default voices by language ---------------------------------------------------------------
_ENGINE_PART = re.compile(r"^[a-z][a-z0-9_-]+$")


def parse_voice(spec: str) -> tuple[str | None, str]:
    """``--voice ENGINE:VOICE`` as (engine or None, voice); the engine part is optional.

    >>> parse_voice("kokoro:af_heart")
    ('kokoro', 'af_heart')
    >>> parse_voice("af_heart")
    (None, 'af_heart')
    >>> parse_voice("piper:/voices/en_GB-alan-low.onnx")
    ('piper', '/voices/en_GB-alan-low.onnx')
    >>> parse_voice(r"C:\\voices\\alan.onnx")  # a drive letter is no engine
    (None, 'C:\\\\voices\\\\alan.onnx')
    >>> parse_voice("kokoro:")
    Traceback (most recent call last):
    ...
    audiogen.errors.BadInput: --voice 'kokoro:' names no voice (e.g. kokoro:af_heart; see `audiogen voices`)
    """
    text = spec.strip()
    engine, sep, voice = text.partition(":")
    if not sep or not _ENGINE_PART.match(engine):
        engine, voice = "", text
    if not voice.strip():
        raise BadInput(
            f"--voice {spec!r} names no voice (e.g. kokoro:af_heart; see `audiogen voices`)"
        )
    return (engine or None), voice.strip()


@functools.cache
def _defaults_data() -> tuple[str, tuple[tuple[str, str], ...]]:
    text = resources.files("audiogen.engines").joinpath("data", "defaults.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return str(data["fallback"]), tuple((k.lower(), str(v)) for k, v in data["voices"].items())


def default_table() -> dict[str, tuple[str, str | None]]:
    """Every language with a default voice of its own: tag -> (engine, voice id or None)."""
    _, entries = _defaults_data()
    out: dict[str, tuple[str, str | None]] = {}
    for tag, value in entries:
        engine, _, voice = value.partition(":")
        out[tag] = (engine, voice or None)
    return out


def default_voice(language: str) -> tuple[str, str | None]:
    """The engine and voice a build uses for ``language`` when the user chose neither.

    >>> default_voice("es-MX")
    ('kokoro', 'ef_dora')
    >>> default_voice("de")
    ('espeak', None)
    """
    table = default_table()
    for key in languages.lookup_order(language):
        if key in table:
            return table[key]
    fallback, _ = _defaults_data()
    return fallback, None
