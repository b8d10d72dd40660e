"""Find engines by name through the ``audiogen.engines`` entry-point group.

Built-in engines register exactly as a third-party plugin would, in
``pyproject.toml``; nothing is imported until an engine is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points

from audiogen.engines.base import Engine, EngineOptions
from audiogen.errors import AudiogenError, EngineUnavailable

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
