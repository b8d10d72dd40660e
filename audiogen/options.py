"""What a build is asked to do: its options, checked the moment they are made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from audiogen import languages
from audiogen.audio.encode import BITRATES, DEFAULT_BITRATE
from audiogen.errors import BadInput
from audiogen.models import EpisodeSettings, Show

DASK_SCHEME = "dask://"


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build is asked to do, checked when it is made: a bad option is
    ``BadInput`` (exit 2) before any work."""

    output: Path = Path("output")
    engine: str | None = None  # None: the default engine for each article's language
    voice: str | None = None  # an engine's voice id, or ENGINE:VOICE
    quote_voice: str | None = None  # quotations in this voice; "auto": a contrasting one
    language: str | None = None  # None: what the article says, else English
    speed: float = 1.0
    deterministic: bool = False
    bitrate: int = DEFAULT_BITRATE
    show: Show = field(default_factory=Show)
    episode: EpisodeSettings = field(default_factory=EpisodeSettings)
    cover_file: Path | None = None  # the show's own cover; one is generated when None
    split: bool = False  # also write one MP3 per section
    # Sentences spoken at once, each engine on one core; None: one at a time, in this
    # process, the engine using cores as it likes (the CLI's default is every core).
    jobs: int | None = None
    cache_dir: Path | None = None  # the speech cache; None: a temporary one for this run
    executor: str | None = None  # None or "local": this machine; "dask://HOST:PORT": Dask
    lexicon: Path | None = None  # the user's pronunciations, over the built-in ones
    timeout: float = 15.0  # seconds, for pages, feeds and network engines
    # Each engine's own table from audiogen.toml ([engine.NAME]): (name, sorted pairs).
    engine_settings: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    follow_feed: bool = False  # a page that links its feed: narrate the feed's posts
    limit: int | None = None  # of a feed, only the newest N posts
    since: datetime | None = None  # of a feed, only posts from then on
    prune: bool = False  # drop episodes whose post left the source feed

    def __post_init__(self) -> None:
        check_options(self)


def check_options(options: BuildOptions) -> None:
    """Raise ``BadInput`` for the first option that cannot work."""
    if options.bitrate not in BITRATES:
        choices = ", ".join(map(str, BITRATES))
        raise BadInput(f"--bitrate {options.bitrate} is not an MP3 bitrate (choose {choices})")
    if not 0.5 <= options.speed <= 2.0:
        raise BadInput(f"--speed {options.speed} is out of range (0.5 to 2.0)")
    if options.jobs is not None and options.jobs < 1:
        raise BadInput(f"--jobs must be 1 or more, not {options.jobs}")
    if options.timeout <= 0:
        raise BadInput(f"--timeout must be more than 0 seconds, not {options.timeout}")
    if options.limit is not None and options.limit < 1:
        raise BadInput(f"--limit must be 1 or more, not {options.limit}")
    executor = options.executor
    if executor not in (None, "local") and not (
        executor.startswith(DASK_SCHEME) and len(executor) > len(DASK_SCHEME)
    ):
        raise BadInput(f"unknown executor {executor!r}: use local or dask://HOST:PORT")
    if options.language is not None and not languages.is_valid(options.language):
        raise BadInput(f"--language {options.language!r} is not a language tag (e.g. en, pt-BR)")
    for path, what in ((options.lexicon, "lexicon"), (options.cover_file, "cover")):
        if path is not None and not path.is_file():
            raise BadInput(f"{what} file not found: {path}")
    if options.output.exists() and not options.output.is_dir():
        raise BadInput(f"output {options.output} exists and is not a folder")
