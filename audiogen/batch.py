"""One build run: what the articles of a run share, set up once and torn down at the end.

The manifest (read once; written once, with the feed, when the run ends), the
speech cache, the voices (loaded once per language), the worker processes
(kept up from one article to the next), the show's cover and music, the
output folder's temporary files, and what the run did. ``pipeline.build`` is
the recipe; this is its kitchen.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from functools import cached_property
from multiprocessing import get_context
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from audiogen.audio.cache import SpeechCache
from audiogen.audio.parallel import Runner, make_runner, start_worker_server
from audiogen.audio.render import RenderSettings
from audiogen.audio.synth import Framing, Voices, framing
from audiogen.engines.base import Engine, EngineOptions
from audiogen.engines.registry import choose_voice, contrasting_voice, load_engine
from audiogen.files import temporary_beside
from audiogen.models import (
    NARRATOR,
    QUOTE,
    Article,
    BuildResult,
    Channel,
    Document,
    Episode,
    FeedItem,
    Placement,
    Rendered,
    Unreadable,
)
from audiogen.options import BuildOptions
from audiogen.publish import site
from audiogen.publish.episode import Provenance
from audiogen.publish.feed import FEED_NAME
from audiogen.sources.base import SourceContext
from audiogen.sources.registry import memoized
from audiogen.text.fetch import Fetcher, HttpCache

if TYPE_CHECKING:
    from audiogen.pipeline import Reporter


class Batch:
    """One build run over any number of articles into one output folder.

    Use it as a context manager; when it ends, even by an error, the episodes
    finished so far are published.
    """

    def __init__(
        self, options: BuildOptions, *, engine: Engine | None = None, now: datetime | None = None
    ) -> None:
        self.options = options
        self.now = now or datetime.now(UTC)
        self.items = site.load_manifest(options.output)  # as it was, plus this run's episodes
        self.show = options.show  # with what a source feed says of itself, where unset
        self.published: list[FeedItem] = []  # this run's episodes, to publish at the end
        self.episodes: list[Episode] = []
        self.kept: list[FeedItem] = []
        self.failures: list[Unreadable] = []
        self.seen: set[tuple[str, str]] = set()  # (source, key) of every article read
        self.state: dict[str, Any] = {}  # what sources want kept for the next run
        self._engine = engine
        self._voices: dict[str, Voices] = {}
        self._runner: Runner | None = None
        self._audio_workers: ProcessPoolExecutor | None = None
        self._stack = ExitStack()
        saved = site.load_source_state(options.output)
        self.context = source_context(
            options, saved, self.state.__setitem__, listed=lambda *pair: self.seen.add(pair)
        )

    # --- reading ------------------------------------------------------------------

    def changed(
        self, documents: Iterable[Document | Unreadable], reporter: Reporter
    ) -> Iterator[Document]:
        """The documents to build: the unreadable reported, the unchanged kept as they are."""
        for document in documents:
            if isinstance(document, Unreadable):
                self.failures.append(document)
                reporter.unreadable(document)
                continue
            if document.channel is not None:
                self._take_defaults(document.channel)
            item = self.current(document)
            if item is None:
                yield document
                continue
            self.seen.add((item.source, item.key))
            self.kept.append(item)
            reporter.unchanged(item)

    def current(self, document: Document) -> FeedItem | None:
        """The episode already built from exactly this document and these settings, if
        its files are all still there."""
        item = self._built.get((document.source, document.digest))
        if item is None or item.recipe_digest != self.recipe:
            return None
        return item if site.files_intact(self.options.output, item) else None

    @cached_property
    def _built(self) -> dict[tuple[str, str], FeedItem]:
        """The manifest's episodes by what they were made from: one look-up per document,
        not a hash of it for every episode (a feed of 500 posts has 500 of each)."""
        return {(i.source, i.document_digest): i for i in self.items if i.document_digest}

    def _take_defaults(self, channel: Channel) -> None:
        """A source feed's title, description, link and language, for the show fields unset."""
        if self.show is not self.options.show:
            return  # the first feed of the run speaks for the show
        self.show = site.show_with_defaults(self.options.show, channel)
        self.__dict__.pop("recipe", None)

    @cached_property
    def recipe(self) -> str:
        from audiogen.pipeline import recipe_digest

        digest = recipe_digest(self.options, self.show)
        if self._engine is not None:  # an engine handed in: its own settings count too
            digest += f"+{self._engine.name}:{self._engine.fingerprint()}"
        return digest

    # --- speaking -----------------------------------------------------------------

    def load_voices(self, articles: list[Article]) -> None:
        """Load every voice the articles need (a missing engine or voice stops the run here),
        and start the worker processes' server if they will speak in parallel."""
        for language in dict.fromkeys(a.language for a in articles):
            self.voices_for(language)
        if articles and (self.options.jobs or 1) > 1 and self.options.executor is None:
            start_worker_server()

    def voices(self, article: Article) -> Voices:
        return self.voices_for(article.language)

    def voices_for(self, language: str) -> Voices:
        """The narrator's engine for ``language`` (and the quotations', if asked), loaded once."""
        if self._engine is not None:
            return {NARRATOR: self._engine}
        if language not in self._voices:
            options = self.options
            name, voice = choose_voice(options.engine, options.voice, language)
            narrator = load_engine(name, self._engine_options(name, language, voice))
            voices: dict[str, Engine] = {NARRATOR: narrator}
            if options.quote_voice == "auto":
                name, voice = contrasting_voice(narrator, dict(options.engine_settings))
                voices[QUOTE] = load_engine(name, self._engine_options(name, language, voice))
            elif options.quote_voice:
                name, voice = choose_voice(None, options.quote_voice, language)
                voices[QUOTE] = load_engine(name, self._engine_options(name, language, voice))
            self._voices[language] = voices
        return self._voices[language]

    def _engine_options(self, name: str, language: str, voice: str | None) -> EngineOptions:
        options = self.options
        return EngineOptions(
            voice=voice,
            language=language,
            speed=options.speed,
            deterministic=options.deterministic,
            timeout=options.timeout,
            # --jobs 1 means one core; more jobs run in workers that get one each.
            threads=1 if options.jobs == 1 else None,
            settings=dict(options.engine_settings).get(name, ()),
        )

    @cached_property
    def cache(self) -> SpeechCache:
        root = self.options.cache_dir or Path(
            self._stack.enter_context(tempfile.TemporaryDirectory(prefix="audiogen-cache-"))
        )
        return SpeechCache(root)

    @property
    def runner(self) -> Runner:
        if self._runner is None:
            self._runner = make_runner(self.options.executor, self.options.jobs or 1)
            self._stack.callback(self._runner.close)
        return self._runner

    # --- rendering ----------------------------------------------------------------

    def place(self, article: Article) -> Placement:
        self.seen.add((article.source, article.key))
        return site.place(self.items, article, self.now, split=self.options.split)

    def framing(self, article: Article, placement: Placement) -> Framing:
        fields = {
            "show": self.show.title,
            "title": article.title,
            "author": article.author or self.show.author,
            "date": placement.published[:10],
        }
        return framing(self.options.episode, fields)

    @cached_property
    def rendering(self) -> RenderSettings:
        from audiogen.audio.decode import decode_file
        from audiogen.audio.stitch import EPISODE_RATE

        settings = self.options.episode
        intro, outro = settings.intro_music, settings.outro_music
        return RenderSettings(
            bitrate=self.options.bitrate,
            intro_music=decode_file(intro, EPISODE_RATE) if intro else None,
            outro_music=decode_file(outro, EPISODE_RATE) if outro else None,
            executor=self.audio_workers,
        )

    @property
    def audio_workers(self) -> Executor | None:
        """Processes that measure and encode segments side by side; None with one job."""
        if (self.options.jobs or 1) < 2:
            return None
        if self._audio_workers is None:
            self._audio_workers = ProcessPoolExecutor(
                max_workers=self.options.jobs, mp_context=get_context("forkserver")
            )
            self._stack.callback(self._audio_workers.shutdown, wait=True, cancel_futures=True)
        return self._audio_workers

    def temporary(self, path: Path) -> Path:
        """A new empty file beside ``path`` to be renamed onto it; gone by the end of the run."""
        tmp = temporary_beside(path)
        self._stack.callback(tmp.unlink, missing_ok=True)
        return tmp

    @cached_property
    def cover(self) -> bytes:
        """The show's cover, made once per run: it depends on the show, not the article."""
        from audiogen.publish.cover import normalize_cover, render_cover

        cover_file = self.options.cover_file
        if cover_file is not None:
            return normalize_cover(cover_file.read_bytes(), str(cover_file))
        return render_cover(self.show.title)

    # --- publishing ---------------------------------------------------------------

    def provenance(self, article: Article) -> Provenance:
        return Provenance(document=article.digest, recipe=self.recipe)

    def add(self, item: FeedItem, article: Article, rendered: Rendered) -> Episode:
        """Take a finished episode into the run: the next article's slug sees it."""
        self.items = site.upsert(self.items, item)
        self.published.append(item)
        episode = Episode(
            article=article,
            slug=item.slug,
            guid=item.guid,
            path=item.audio,
            duration_ms=item.duration_ms,
            size_bytes=item.size_bytes,
            chapters=rendered.chapters,
            sentences=rendered.sentences,
            engine=self.voices(article)[NARRATOR].name,
            voice=self.voices(article)[NARRATOR].options.voice or "",
        )
        self.episodes.append(episode)
        return episode

    @property
    def result(self) -> BuildResult:
        return BuildResult(tuple(self.episodes), tuple(self.kept), tuple(self.failures))

    def publish(self, *, prune: bool) -> None:
        """Merge this run's episodes into the manifest (read again under the output folder's
        lock, so a build that published meanwhile keeps its episodes) and write the feed;
        with ``prune``, drop the episodes whose article left its source."""
        pruned = self.seen if prune else None
        site.publish(self.options.output, self.show, self.published, pruned, self.state)

    def __enter__(self) -> Batch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            # Pruning trusts that every source was read to its end: never after an error.
            prune = self.options.prune and error is None
            stale = self.kept and not (self.options.output / FEED_NAME).is_file()
            if self.published or self.state or stale or prune:
                self.publish(prune=prune)
        finally:
            self._stack.close()


def source_context(
    options: BuildOptions,
    state: dict[str, Any],
    save: Callable[[str, Any], None],
    listed: Callable[[str, str], None] = lambda source, key: None,
) -> SourceContext:
    """What sources get to read with: a fetch that downloads each address once, the bounds
    the user set, and what they saved on the last build."""
    return SourceContext(
        fetch=memoized(
            Fetcher(
                timeout=options.timeout,
                delay=options.fetch_delay,
                # Kept feeds and pages (for conditional requests) live beside the speech cache.
                cache=HttpCache(options.cache_dir / "http") if options.cache_dir else None,
            )
        ),
        follow_feed=options.follow_feed,
        limit=options.limit,
        since=options.since,
        state=state,
        save=save,
        listed=listed,
    )
