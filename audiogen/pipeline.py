"""The recipe: the one place that orders the stages.

read (sources/) -> clean -> split -> normalize (text/) -> synthesize -> render -> tag
(audio/) -> publish (publish/). ``build`` below is the whole of it, each line a
stage's function from its own module; ``Batch`` holds what the articles of one
run share (the manifest, the speech cache, the loaded voices, worker processes,
the output folder's temporaries) and publishes the feed once, when the run ends.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict
from datetime import datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

from audiogen import __version__
from audiogen.audio.render import render_episode
from audiogen.audio.synth import script, synthesize
from audiogen.audio.tags import episode_tags, tag_episode
from audiogen.batch import Batch, source_context
from audiogen.engines.base import Engine
from audiogen.engines.registry import GROUP
from audiogen.models import (
    Article,
    BuildResult,
    Document,
    Episode,
    FeedItem,
    Show,
    Unreadable,
)
from audiogen.options import BuildOptions
from audiogen.publish.episode import publish_episode
from audiogen.sources.base import SourceContext
from audiogen.sources.registry import read_all
from audiogen.text.clean import clean_document
from audiogen.text.lexicon import load_lexicon
from audiogen.text.normalize import normalize_article, normalize_sentence
from audiogen.text.quotes import voice_quotations
from audiogen.text.sections import split_article

Progress = Callable[[int], None]


class Reporter(Protocol):
    """What a build tells its caller as it goes (the CLI prints it)."""

    def speaking(self, article: Article, lines: int) -> AbstractContextManager[Progress]:
        """Progress while ``article``'s ``lines`` utterances are spoken."""

    def built(self, episode: Episode) -> None:
        """An episode is finished."""

    def unchanged(self, item: FeedItem) -> None:
        """An article is as it was when its episode was built: kept without work."""

    def unreadable(self, failure: Unreadable) -> None:
        """An article of a source could not be read; the others go on."""


class Silent:
    """A reporter that tells no one."""

    def speaking(self, article: Article, lines: int) -> AbstractContextManager[Progress]:
        return nullcontext(lambda done: None)

    def built(self, episode: Episode) -> None:
        pass

    def unchanged(self, item: FeedItem) -> None:
        pass

    def unreadable(self, failure: Unreadable) -> None:
        pass


__all__ = ["BuildOptions", "BuildResult", "Reporter", "Silent", "build", "prepare", "preview"]


def build(
    targets: Sequence[str],
    options: BuildOptions,
    *,
    engine: Engine | None = None,
    reporter: Reporter | None = None,
    now: datetime | None = None,
) -> BuildResult:
    """Build every article of ``targets`` (files, folders, ``-``, URLs, feeds) into
    ``options.output`` and publish its feed.

    Every article is read and prepared, and every voice loaded, before a word is
    spoken: a bad article or a missing voice stops the run before any work is
    lost. An article unchanged since its episode was built costs a hash. ``engine``
    (tests, plugins) replaces the configured engines for every article.
    """
    reporter = reporter or Silent()
    with Batch(options, engine=engine, now=now) as batch:
        documents = batch.changed(read(targets, batch.context), reporter)
        articles = [prepare(document, options) for document in documents]
        batch.load_voices(articles)  # a missing engine or voice stops the run here
        for article in articles:
            placement = batch.place(article)
            lines = script(article, batch.framing(article, placement))
            with reporter.speaking(article, len(lines)) as progress:
                takes = synthesize(
                    lines,
                    batch.voices(article),
                    batch.cache,
                    runner=batch.runner,
                    progress=progress,
                )
            titles = tuple(section.title for section in article.sections)
            audio = render_episode(
                takes, titles, options.output, placement.files, batch.cache,
                batch.rendering, batch.temporary,
            )  # fmt: skip
            tags = episode_tags(article, placement, audio.rendered, batch.show, batch.cover)
            tag_episode(options.output, placement.files, audio, tags)
            item = publish_episode(
                options.output, article, placement, audio.rendered, batch.show,
                settings=options.episode, cover=batch.cover, provenance=batch.provenance(article),
            )  # fmt: skip
            reporter.built(batch.add(item, article, audio.rendered))
    return batch.result


def read(targets: Sequence[str], context: SourceContext) -> Iterator[Document | Unreadable]:
    """The read stage: each target's articles, from the source that recognises it."""
    return read_all(targets, context)


def preview(targets: Sequence[str], options: BuildOptions) -> Iterator[Article | Unreadable]:
    """What would be said of each article of ``targets``, building nothing."""
    context = source_context(options, {}, lambda name, value: None)
    for document in read(targets, context):
        yield document if isinstance(document, Unreadable) else prepare(document, options)


def prepare(document: Document, options: BuildOptions) -> Article:
    """The text stages: what will be said of ``document``, cleaned, split (with quotations
    apart when they have a voice of their own) and normalized."""
    draft = clean_document(document)
    article = split_article(draft, options.language)
    if options.quote_voice:
        article = voice_quotations(article)
    lexicon = load_lexicon(options.lexicon, article.language)

    def say(text: str) -> str:
        return lexicon.apply(normalize_sentence(text, article.language))

    return normalize_article(article, say)


# Options that decide where and how fast, or which articles, never what an episode holds.
UNHEARD_OPTIONS: tuple[str, ...] = ("output", "jobs", "cache_dir", "executor", "timeout")
UNHEARD_OPTIONS += ("follow_feed", "limit", "since", "prune", "fetch_delay")


def recipe_digest(options: BuildOptions, show: Show) -> str:
    """A digest of every setting that shapes an episode's files, beyond the article itself.

    Paths of the inputs count by their content; where the output goes, how many
    jobs run and on which machines do not count: they never change a byte.
    """
    wanted = asdict(options)
    for name in UNHEARD_OPTIONS:
        del wanted[name]
    wanted["show"] = asdict(show)
    inputs = [options.lexicon, options.cover_file]
    inputs += [options.episode.intro_music, options.episode.outro_music]
    if options.voice and Path(options.voice).is_file():  # a voice given as a model file
        inputs.append(Path(options.voice))
    description = {
        "audiogen": __version__,
        "options": wanted,
        "inputs": [_file_digest(path) for path in inputs],
        "engines": engine_distributions(),
    }
    encoded = json.dumps(description, default=str, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _file_digest(path: Path | None) -> str | None:
    return None if path is None else hashlib.sha256(path.read_bytes()).hexdigest()


def engine_distributions() -> list[str]:
    """Each engine's package and version: upgrading an engine builds every article again."""
    found = set()
    for ep in entry_points(group=GROUP):
        dist = ep.dist
        found.add(f"{ep.name}={dist.name}-{dist.version}" if dist else ep.name)
    return sorted(found)
