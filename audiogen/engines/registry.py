"""Find engines by name through the ``audiogen.engines`` entry-point group.

Built-in engines register exactly as a third-party plugin would, in
``pyproject.toml``; nothing is imported until an engine is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib.metadata import entry_points

from audiogen import languages
from audiogen.engines.base import Engine, EngineOptions
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


def default_voice(language: str) -> tuple[str, str | None]:
    """The engine (and voice, None for the engine's own default) that speaks ``language``
    when the user names none."""
    return DEFAULT_ENGINE, None


def parse_voice(spec: str) -> tuple[str | None, str]:
    """``ENGINE:VOICE`` or a bare ``VOICE``, as ``--voice`` takes it.

    >>> parse_voice("kokoro:af_heart")
    ('kokoro', 'af_heart')
    >>> parse_voice("en-us")
    (None, 'en-us')
    >>> parse_voice("/voices/x.onnx")
    (None, '/voices/x.onnx')
    """
    engine, sep, voice = spec.partition(":")
    if sep and engine.isidentifier() and voice:
        return engine, voice
    return None, spec


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
    return default_engine, voice if voice is not None else default


def contrasting_voice(engine: Engine) -> str:
    """A second voice of ``engine`` for quotations: another installed voice of the same
    language that sounds different, of the other gender where there is one."""
    language = languages.primary(engine.options.language)
    own = engine.fingerprint()
    mine = next((v for v in engine.voices() if v.id == engine.options.voice), None)
    candidates = [
        v
        for v in engine.voices()
        if v.installed and languages.primary(v.language or "und") == language
    ]
    candidates.sort(key=lambda v: mine is not None and v.gender == mine.gender)
    for voice in candidates:
        other = type(engine)(replace(engine.options, voice=voice.id))
        if other.fingerprint() != own:
            return voice.id
    raise EngineUnavailable(
        f"the {engine.name} engine has no second {language} voice for quotations; "
        "name one with --quote-voice ENGINE:VOICE (see `audiogen voices`)"
    )


def load_engine(name: str, options: EngineOptions) -> Engine:
    """Build and check an engine; raises ``EngineUnavailable`` with a hint."""
    engine = engine_class(name)(options)
    engine.check()
    return engine


def engine_statuses(options: EngineOptions | None = None) -> list[EngineStatus]:
    options = options or EngineOptions()
    statuses = []
    for name in engine_names():
        try:
            cls = engine_class(name)
        except EngineUnavailable as exc:
            statuses.append(EngineStatus(name, False, False, "", str(exc)))
            continue
        try:
            cls(options).check()
            ok, detail = True, "ready"
        except AudiogenError as exc:
            ok, detail = False, str(exc)
        statuses.append(EngineStatus(name, ok, cls.needs_network, cls.description, detail))
    return statuses
