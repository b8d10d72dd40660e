"""The ``audiogen`` command line. The only place that prints, exits or reads the environment."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from audiogen.config import Config
    from audiogen.models import Article, Episode, FeedItem, Unreadable
    from audiogen.options import BuildOptions

from audiogen import __version__
from audiogen.config import CONFIG_NAME
from audiogen.errors import AudiogenError

F = TypeVar("F", bound=Callable[..., Any])

INTERNAL_ERROR_EXIT = 70


def language_option(f: F) -> F:
    return click.option(
        "-l",
        "--language",
        metavar="CODE",
        help="Language of the article, e.g. en, de, fr-CA (default: from the page, else en).",
    )(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="audiogen")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Turn written articles into narrated podcast episodes.

    \b
    Example:
        audiogen build article.md          # output/episodes/<title>.mp3 + output/feed.xml
        audiogen sections article.md --json
    """


def timeout_option(f: F) -> F:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=15.0,
        show_default=True,
        help="Seconds to wait for a URL's server (connect, each read, and the whole download).",
    )(f)


def lexicon_option(f: F) -> F:
    return click.option(
        "--lexicon",
        type=click.Path(dir_okay=False, path_type=Path),
        help=(
            "Pronunciation lexicon (TOML): one table per language of word = spoken form, "
            'e.g. [en] "Nguyen" = "Win" and "NATO" = { say = "Nato", ipa = "ˈneɪtoʊ" }. '
            "Whole words; ALL-CAPS keys match only all-caps words. Your entries override the "
            "built-in list (NATO, NASA said as words; FBI, CIA spelled)."
        ),
    )(f)


def cache_dir_option(f: F) -> F:
    return click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help=(
            "Folder of the speech cache (default: $AUDIOGEN_CACHE_DIR, else your user cache "
            "folder, e.g. ~/.cache/audiogen)."
        ),
    )(f)


def resolve_cache_dir(option: Path | None) -> Path:
    """--cache-dir, else $AUDIOGEN_CACHE_DIR, else the platform's per-user cache folder."""
    if option is not None:
        return option
    env = os.environ.get("AUDIOGEN_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_cache_path("audiogen")


def config_option(f: F) -> F:
    return click.option(
        "-c",
        "--config",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Show settings file (default: ./{CONFIG_NAME} if present; `audiogen init` writes one).",
    )(f)


@cli.command()
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to build the podcast site into.  [default: output]",
)
@click.option(
    "-e", "--engine", help="Speech engine (see `audiogen engines`).  [default: by language]"
)
@click.option(
    "--voice",
    metavar="[ENGINE:]VOICE",
    help="Voice to speak in, e.g. kokoro:af_heart (see `audiogen voices`), or a Piper .onnx path.",
)
@click.option(
    "--quote-voice",
    metavar="auto|[ENGINE:]VOICE",
    help="Read quoted speech in a second voice; auto picks a contrasting voice of the same engine.",
)
@language_option
@click.option(
    "--speed",
    type=click.FloatRange(0.5, 2.0),
    default=1.0,
    show_default=True,
    help="Speaking rate.",
)
@click.option(
    "--deterministic",
    is_flag=True,
    help="No random variation in the voice (same text, same audio).",
)
@click.option(
    "--bitrate", type=int, default=96, show_default=True, help="CBR MP3 bitrate in kbit/s."
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the output folder will be served; makes the feed's URLs absolute.",
)
@click.option("--show-title", help="Title of the podcast (the feed's channel).")
@click.option("--author", help="Author of the show, and of episodes whose article names none.")
@click.option("--split", is_flag=True, help="Also write one MP3 per section.")
@click.option(
    "--follow-feed",
    is_flag=True,
    help="For a page that links its RSS/Atom feed: narrate the feed's posts, not the page.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), help="Of a feed, build only the newest N posts."
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Of a feed, build only posts published on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--prune", is_flag=True, help="Drop episodes whose post is no longer in its source feed."
)
@click.option(
    "--fetch-delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="Wait between two requests to one host (a feed's pages).",
)
@timeout_option
@lexicon_option
@config_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Sentences to speak at once, one core each.  [default: every core]",
)
@cache_dir_option
@click.option(
    "--executor",
    metavar="local|dask://HOST:PORT",
    help=(
        "Where sentences are spoken: this machine (local), or the Dask cluster whose scheduler "
        "is at HOST:PORT (needs audiogen[dask] and a --cache-dir every worker shares)."
    ),
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def build(articles: tuple[str, ...], quiet: bool, config: Path | None, **flags: Any) -> None:
    """Build each ARTICLE (a .md, .txt or .html file, a folder of them, a URL, an RSS or
    Atom feed, or - for stdin) into a narrated episode.

    Writes a tagged, chaptered MP3 to OUTPUT/episodes/ with its chapters
    (.chapters.json) and transcripts (.vtt, .transcript.html), and adds or
    updates it in OUTPUT/feed.xml. Show settings come from audiogen.toml;
    flags override them. An article unchanged since its last build is kept as
    it is; every sentence's audio is cached, so an edited article re-speaks
    only the sentences that changed. The feed is written once, at the end.

    \b
    Example:
        audiogen build article.md
        audiogen build https://example.com/story.html -o site --base-url https://example.com/podcast/
        audiogen build https://example.com/feed/ -o site --limit 20   # every post of a blog
        cat article.txt | audiogen build - --engine espeak --language de
        audiogen build article.md --voice kokoro:am_michael --quote-voice auto
        audiogen build article.md --lexicon words.toml   # words.toml: [en] "Nguyen" = "Win"
        audiogen build articles/ --jobs 4        # every .md/.txt/.html in articles/
        audiogen build articles/ --executor dask://10.0.0.5:8786 --cache-dir /shared/cache
    """
    from audiogen import pipeline
    from audiogen.config import find_config, load_config
    from audiogen.models import Show

    settings = load_config(find_config(config, Path.cwd()))
    options = build_options(settings, flags)
    result = pipeline.build(list(articles), options, reporter=_Printer(options.output, quiet))
    if options.show.base_url == Show().base_url and not quiet and result.episodes:
        click.echo(
            f"note: feed URLs point at {options.show.base_url}; set base_url (--base-url or "
            "audiogen.toml) to the address you publish at",
            err=True,
        )
    if result.failures:
        from audiogen.errors import PartlyBuilt

        raise PartlyBuilt(
            f"{len(result.failures)} of the articles could not be read (listed above); "
            "the others were built"
        )


def build_options(settings: Config, flags: dict[str, Any]) -> BuildOptions:
    """The build's options from audiogen.toml and the flags (flags win)."""
    from dataclasses import replace

    from audiogen.audio.parallel import available_cores
    from audiogen.options import BuildOptions

    show = settings.show
    for flag, name in (("base_url", "base_url"), ("show_title", "title"), ("author", "author")):
        if flags[flag]:
            show = replace(show, **{name: flags[flag]})
    since = flags["since"]
    return BuildOptions(
        output=flags["output"] or settings.output or Path("output"),
        engine=flags["engine"] or settings.engine,
        voice=flags["voice"] or settings.voice,
        quote_voice=flags["quote_voice"] or settings.quote_voice,
        language=flags["language"],
        speed=flags["speed"],
        deterministic=flags["deterministic"],
        bitrate=flags["bitrate"],
        show=show,
        episode=settings.episode,
        cover_file=settings.cover_file,
        split=flags["split"],
        jobs=flags["jobs"] or available_cores(),
        cache_dir=resolve_cache_dir(flags["cache_dir"]),
        executor=flags["executor"],
        lexicon=flags["lexicon"],
        timeout=flags["timeout"],
        engine_settings=all_engine_settings(settings.engine_settings),
        follow_feed=flags["follow_feed"],
        limit=flags["limit"],
        since=since.astimezone() if since is not None else None,
        prune=flags["prune"],
        fetch_delay=flags["fetch_delay"],
    )


def all_engine_settings(
    tables: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...],
) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """Each engine's settings: its [engine.NAME] table, over where this user keeps voices."""
    from audiogen.engines.catalog import engine_settings
    from audiogen.engines.registry import engine_names

    given = dict(tables)
    data_dir = resolve_data_dir()
    return tuple(
        (name, engine_settings(name, data_dir, dict(given.get(name, ()))))
        for name in sorted(set(engine_names()) | set(given))
    )


class _Printer:
    """Tells the user how the build goes: a progress bar per article on stderr, a line per episode."""

    def __init__(self, output: Path, quiet: bool) -> None:
        self.output, self.quiet = output, quiet

    def speaking(
        self, article: Article, lines: int
    ) -> AbstractContextManager[Callable[[int], None]]:
        if self.quiet:
            return nullcontext(lambda done: None)
        return _progress_bar(lines, f"Speaking {article.title[:40]}")

    def built(self, episode: Episode) -> None:
        click.echo(
            f"{self.output / episode.path}  {episode.duration_ms / 1000:.1f} s, "
            f"{len(episode.chapters)} chapters, {episode.size_bytes / 1e6:.2f} MB"
        )

    def unchanged(self, item: FeedItem) -> None:
        click.echo(f"{self.output / item.audio}  unchanged")

    def unreadable(self, failure: Unreadable) -> None:
        click.echo(f"audiogen: error: {failure.title}: {failure.reason}", err=True)


@contextmanager
def _progress_bar(length: int, label: str) -> Iterator[Callable[[int], None]]:
    bar: ProgressBar[int]
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


@cli.group()
def cache() -> None:
    """Show or empty the speech cache (every sentence's audio, kept for rebuilds).

    \b
    Example:
        audiogen cache info
        audiogen cache clear --cache-dir /shared/audiogen-cache
    """


@cache.command("info")
@cache_dir_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"location", "entries", "segments", "size_bytes"}.',
)
def cache_info(cache_dir: Path | None, as_json: bool) -> None:
    """Show where the speech cache is, how many sentences (and rendered segments of
    episodes) it holds, and their size.

    \b
    Example:
        audiogen cache info
        AUDIOGEN_CACHE_DIR=/tmp/c audiogen cache info --json
    """
    from audiogen.audio.cache import SpeechCache

    info = SpeechCache(resolve_cache_dir(cache_dir)).info()
    if as_json:
        data = {
            "location": str(info.location),
            "entries": info.entries,
            "segments": info.segments,
            "size_bytes": info.size_bytes,
        }
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"location: {info.location}")
    click.echo(f"entries:  {info.entries} sentences, {info.segments} segment files")
    click.echo(f"size:     {info.size_bytes / 1e6:.1f} MB")


@cache.command("clear")
@cache_dir_option
def cache_clear(cache_dir: Path | None) -> None:
    """Delete everything in the speech cache (the next build speaks everything again).

    Only the cache's own files are deleted, whatever folder it is in.

    \b
    Example:
        audiogen cache clear
    """
    from audiogen.audio.cache import SpeechCache

    store = SpeechCache(resolve_cache_dir(cache_dir))
    removed = store.clear()
    click.echo(f"removed {removed} sentences from {store.root}", err=True)


@cli.command()
@click.option(
    "--path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(CONFIG_NAME),
    show_default=True,
    help="Where to write the starter file.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented starter audiogen.toml (show title, author, feed URL, intro...).

    \b
    Example:
        audiogen init && $EDITOR audiogen.toml
    """
    from audiogen.config import STARTER
    from audiogen.errors import BadInput
    from audiogen.files import write_atomic

    if path.exists() and not force:
        raise BadInput(f"{path} already exists; pass --force to overwrite it")
    write_atomic(path, STARTER.encode("utf-8"))
    click.echo(f"wrote {path}: edit it, then run audiogen build ARTICLE", err=True)


@cli.command()
@click.argument("article")
@language_option
@lexicon_option
@timeout_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for other tools.")
def sections(
    article: str, language: str | None, lexicon: Path | None, timeout: float, as_json: bool
) -> None:
    """Show exactly what will be spoken for ARTICLE, section by section.

    With --json prints {"title", "language", "sections": [{"title", "text"}]},
    where text is what the engine is given after cleaning and normalization
    (for a feed or a folder, a list of them, one per article).

    \b
    Example:
        audiogen sections article.md
        audiogen sections page.html --json | jq '.sections[].title'
    """
    from audiogen import pipeline
    from audiogen.models import Unreadable
    from audiogen.options import BuildOptions

    options = BuildOptions(language=language, lexicon=lexicon, timeout=timeout)
    found = list(pipeline.preview([article], options))
    for failure in (f for f in found if isinstance(f, Unreadable)):
        click.echo(f"audiogen: error: {failure.title}: {failure.reason}", err=True)
    prepared = [a for a in found if not isinstance(a, Unreadable)]
    if as_json:
        data = [
            {
                "title": a.title,
                "language": a.language,
                "sections": [{"title": s.title, "text": s.text} for s in a.sections],
            }
            for a in prepared
        ]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
        return
    for a in prepared:
        click.echo(f"# {a.title}  [{a.language}]")
        for section in a.sections:
            click.echo(f"\n## {section.index + 1}. {section.title}\n")
            click.echo(section.text)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for other tools.")
def engines(as_json: bool) -> None:
    """List speech engines and whether they can run here.

    \b
    Example:
        audiogen engines
    """
    from audiogen.engines.registry import engine_statuses

    statuses = engine_statuses(dict(all_engine_settings(())))
    if as_json:
        click.echo(json.dumps([s.__dict__ for s in statuses], indent=2))
        return
    for s in statuses:
        mark = "yes" if s.available else "no "
        default = f" (default for {', '.join(s.default_for)})" if s.default_for else ""
        network = " [needs internet]" if s.needs_network else ""
        click.echo(f"{mark}  {s.name}{default}{network}: {s.description}")
        if not s.available:
            click.echo(f"      {s.detail}")


@cli.command()
@click.argument(
    "folder",
    required=False,
    default=Path("output"),
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks any free port.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets other machines (a phone on your Wi-Fi) in.",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not log each request.")
def serve(folder: Path, port: int, host: str, quiet: bool) -> None:
    """Serve FOLDER (default: output) over HTTP to preview the podcast.

    Subscribe to the feed in a podcast app, or open an episode's page in a browser.
    Supports seeking (byte ranges) and players on other origins (CORS); serves
    nothing outside FOLDER and lists no folders. Runs until Ctrl-C.

    \b
    Example:
        audiogen serve                       # http://127.0.0.1:8000/feed.xml
        audiogen serve site --port 8080
        audiogen serve --host 0.0.0.0        # reachable from other machines too
    """
    from audiogen.publish.serve import make_server, server_url

    def log(line: str) -> None:
        click.echo(line, err=True)

    server = make_server(folder, host, port, log=None if quiet else log)
    url = server_url(server)
    click.echo(f"Serving {folder} at {url} (feed: {url}feed.xml); Ctrl-C to stop", err=True)
    if not (folder / "feed.xml").is_file():
        click.echo(f"note: {folder} has no feed.xml yet; build an article into it", err=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


@cli.command()
@click.argument("episode")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder the episode was built into.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the folder is published (default: the address its feed was built for).",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"iframe", "component"} as JSON.')
def embed(episode: str, output: Path, base_url: str | None, as_json: bool) -> None:
    """Print the HTML that puts EPISODE's player on an article page.

    EPISODE is the episode's slug (its MP3's name without .mp3) or its title.
    Prints two snippets; paste either one: an <iframe> of the episode's player
    page, or the <audiogen-player> web component, which takes the page's width
    and can be themed with --ag-* CSS custom properties.

    \b
    Example:
        audiogen embed harbor-town-votes-to-put-solar-panels-on-its-old-ferry-terminal
        audiogen embed "Harbor Town Votes to Put Solar Panels on Its Old Ferry Terminal" -o site
        audiogen embed my-article --base-url https://example.com/podcast/ --json
    """
    from dataclasses import replace

    from audiogen.publish import player, site

    show = player.show_from_feed(output)
    if base_url:
        show = replace(show, base_url=base_url)
    item = player.find_episode(site.load_manifest(output), episode)
    iframe, component = player.embed_snippets(item, show)
    if as_json:
        click.echo(json.dumps({"iframe": iframe, "component": component}, indent=2))
        return
    click.echo(f"<!-- audiogen player for {item.slug}: an iframe -->\n{iframe}\n")
    click.echo(f"<!-- or the web component -->\n{component}")


def resolve_data_dir() -> Path:
    """$AUDIOGEN_DATA_DIR, else the platform's per-user data folder (~/.local/share/audiogen)."""
    env = os.environ.get("AUDIOGEN_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_data_path("audiogen")


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for other tools.")
@click.pass_context
def voices(ctx: click.Context, as_json: bool) -> None:
    """List every voice: engine, voice id, language, gender, installed, default for.

    `--voice ENGINE:VOICE` (e.g. kokoro:af_heart) picks any of them; the
    last column names the languages that voice reads when no voice is given.
    Kokoro's voices live in your data folder ($AUDIOGEN_DATA_DIR, else e.g.
    ~/.local/share/audiogen); `audiogen voices install` puts them there.

    \b
    Example:
        audiogen voices
        audiogen voices --json | jq '.[] | select(.language == "es")'
        audiogen voices install
    """
    if ctx.invoked_subcommand is not None:
        return
    from audiogen.engines.catalog import voice_rows

    rows = voice_rows(resolve_data_dir())
    if as_json:
        data = [{**row.voice.__dict__, "default_for": list(row.default_for)} for row in rows]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{'ENGINE':<8} {'VOICE':<22} {'LANGUAGE':<9} {'GENDER':<7} {'INSTALLED':<9} DEFAULT FOR"
    )
    for row in rows:
        v = row.voice
        click.echo(
            f"{v.engine:<8} {v.id:<22} {v.language:<9} {v.gender or '-':<7} "
            f"{'yes' if v.installed else 'no':<9} {', '.join(row.default_for)}"
        )


@voices.command("install")
@click.option("--force", is_flag=True, help="Fetch and unpack again even if already installed.")
@click.option(
    "--registry",
    default="https://registry.npmjs.org",
    show_default=True,
    help="npm registry to fetch the kokoro-js package from.",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True)
def voices_install(force: bool, registry: str, timeout: float) -> None:
    """Install the Kokoro voices (npm package kokoro-js 1.2.1, 27 MB) into your data folder.

    The registry's integrity hash is checked before anything is unpacked, and
    only the voice files are kept. Running it again when they are installed
    does nothing.

    \b
    Example:
        audiogen voices install
    """
    from audiogen.engines.catalog import install_voices, voices_folder

    result = install_voices(
        voices_folder(resolve_data_dir()), registry=registry, timeout=timeout, force=force
    )
    state = "already installed" if result.already else "installed"
    click.echo(f"{len(result.voices)} Kokoro voices {state} in {result.folder}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI, turning every expected error into one line on stderr and its exit code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or bool(os.environ.get("AUDIOGEN_DEBUG"))
    try:
        cli.main(args=args, prog_name="audiogen", standalone_mode=False)
    except AudiogenError as exc:
        if debug:
            raise
        click.echo(f"audiogen: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("audiogen: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("audiogen: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"audiogen: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            err=True,
        )
        sys.exit(INTERNAL_ERROR_EXIT)
    sys.exit(0)
