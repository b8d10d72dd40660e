"""The one place that orders the stages: read -> clean -> sections -> speak -> stitch -> encode -> tag -> publish."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property, partial
from multiprocessing import get_context
from pathlib import Path
from types import TracebackType

from audiogen.audio.cache import SpeechCache
from audiogen.audio.decode import decode_file
from audiogen.audio.encode import DEFAULT_BITRATE
from audiogen.audio.parallel import Runner, make_runner
from audiogen.audio.render import AudioRecord, episode_key, file_state, render, unchanged
from audiogen.audio.stitch import EPISODE_RATE, Clip
from audiogen.audio.synth import cache_keys, script, synthesize_cached
from audiogen.audio.tags import TagInfo, write_tags
from audiogen.engines.base import Engine, EngineOptions
from audiogen.engines.registry import DEFAULT_ENGINE, load_engine
from audiogen.errors import BadInput, NothingToSpeak, PublishFailed
from audiogen.models import (
    Article,
    Audio,
    Episode,
    EpisodeSettings,
    FeedItem,
    Section,
    Show,
)
from audiogen.publish import site
from audiogen.publish.chapters import render_chapters
from audiogen.publish.cover import normalize_cover, render_cover
from audiogen.publish.feed import FEED_NAME, render_feed
from audiogen.publish.player import write_player
from audiogen.publish.transcript import render_transcript_html, render_vtt
from audiogen.text.clean import clean_blocks, extract_byline, parse_markdown, parse_plain_text
from audiogen.text.extract import extract_page, identify_language
from audiogen.text.lexicon import Lexicon, load_lexicon
from audiogen.text.normalize import normalize_sentence
from audiogen.text.read import is_url, read_document, read_url
from audiogen.text.sections import split_sections

Progress = Callable[[int], None]


@dataclass(frozen=True)
class BuildOptions:
    output: Path = Path("output")
    engine: str = DEFAULT_ENGINE
    voice: str | None = None
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


def prepare(
    source: str,
    *,
    language: str | None = None,
    lexicon: Path | None = None,
    fetch_timeout: float = 15.0,
) -> Article:
    """Read, clean, split and normalize an article (a file, ``-`` for stdin, or a
    URL) into what will be spoken.

    ``lexicon`` is the user's pronunciation file, applied over the built-in one.
    """
    url = None
    if is_url(source):
        document = read_url(source, timeout=fetch_timeout)
        url = document.source
    else:
        document = read_document(source)
    title_hint = _title_from_name(source)
    author = published = None
    detected: str | None = None
    if document.format == "html":
        page = extract_page(document.text, url or source)
        blocks = parse_markdown(page.markdown)
        title_hint = page.title or title_hint
        author, published, detected = page.author, page.published, page.language
    elif document.format == "markdown":
        blocks = parse_markdown(document.text)
    else:
        blocks = parse_plain_text(document.text)
    byline, blocks = extract_byline(blocks)
    author = author or byline
    blocks = clean_blocks(blocks)
    if detected is None:
        detected = identify_language(" ".join(b.text for b in blocks if not b.is_heading))
    lang = language or detected or "en"
    title, sections = split_sections(blocks, fallback_title=title_hint, language=lang)
    say = _speaker(lang, load_lexicon(lexicon, lang))
    return Article(
        title=title,
        spoken_title=say(title),
        sections=speakable(sections, say),
        language=lang,
        author=author,
        published=published,
        source=source,
        url=url,
    )


def _speaker(language: str, lexicon: Lexicon) -> Callable[[str], str]:
    def say(text: str) -> str:
        return lexicon.apply(normalize_sentence(text, language))

    return say


def speakable(sections: tuple[Section, ...], say: Callable[[str], str]) -> tuple[Section, ...]:
    """Sections with every sentence and heading in spoken form, keeping the written form beside it.

    A sentence with nothing left to say (only emoji, say) is dropped with its
    written twin, so the two stay aligned; so is a section left with nothing.
    """
    out: list[Section] = []
    for section in sections:
        spoken_paragraphs: list[tuple[str, ...]] = []
        written_paragraphs: list[tuple[str, ...]] = []
        for paragraph in section.paragraphs:
            pairs = [(say(s), s) for s in paragraph]
            pairs = [(spoken, written) for spoken, written in pairs if spoken.strip()]
            if pairs:
                spoken_paragraphs.append(tuple(p[0] for p in pairs))
                written_paragraphs.append(tuple(p[1] for p in pairs))
        if spoken_paragraphs:
            out.append(
                replace(
                    section,
                    index=len(out),
                    paragraphs=tuple(spoken_paragraphs),
                    written=tuple(written_paragraphs),
                    spoken_title=say(section.title) or section.title,
                )
            )
    if not out:
        raise NothingToSpeak("nothing to speak: no words are left after normalization")
    return tuple(out)


def _title_from_name(source: str) -> str:
    if source == "-" or is_url(source):
        return "Untitled"
    return Path(source).stem.replace("-", " ").replace("_", " ")


def chapter_titles(article: Article) -> tuple[str, ...]:
    return tuple(section.title for section in article.sections)


def build(
    source: str,
    options: BuildOptions,
    *,
    engine: Engine | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Episode:
    """Build one article into an episode in ``options.output`` and update the feed."""
    article = prepare(source, language=options.language)
    return build_article(article, options, engine=engine, progress=progress, now=now)


def load(options: BuildOptions, language: str) -> Engine:
    return load_engine(
        options.engine,
        EngineOptions(
            voice=options.voice,
            language=language,
            speed=options.speed,
            deterministic=options.deterministic,
            # --jobs 1 means one core; more jobs run in workers that get one each.
            threads=1 if options.jobs == 1 else None,
        ),
    )


ARTICLE_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
AUDIO_RECORDS = Path(".audiogen") / "audio"


def expand_sources(sources: Iterable[str]) -> list[str]:
    """The articles to build: each source as given, a folder as its articles in name order.

    A folder contributes its own ``.md``, ``.markdown``, ``.txt``, ``.html``
    and ``.htm`` files (not those of subfolders, nor hidden ones); a folder
    with none is bad input.
    """
    out: list[str] = []
    for source in sources:
        folder = Path(source)
        if source == "-" or is_url(source) or not folder.is_dir():
            out.append(source)
            continue
        found = sorted(
            str(path)
            for path in folder.iterdir()
            if path.is_file()
            and path.suffix.lower() in ARTICLE_SUFFIXES
            and not path.name.startswith(".")
        )
        if not found:
            raise BadInput(
                f"{source} is a folder with no articles in it "
                f"(looked for {', '.join(ARTICLE_SUFFIXES)} files)"
            )
        out.extend(found)
    return out


class Batch:
    """One build run over any number of articles into one output folder.

    It holds what the articles share: the manifest (read once; written once,
    with the feed, when the batch ends), the speech cache, the engines (one
    load per language) and the synthesis runner, whose worker processes stay
    up from one article to the next. Use it as a context manager; when it
    ends, even by an error, the episodes finished so far are published.
    """

    def __init__(
        self,
        options: BuildOptions,
        *,
        engine: Engine | None = None,
        runner: Runner | None = None,
    ) -> None:
        output = options.output
        if output.exists() and not output.is_dir():
            raise BadInput(f"output {output} exists and is not a folder")
        self.options = options
        self.items = site.load_manifest(output)  # as it was, plus this batch's episodes
        self.published: list[FeedItem] = []  # this batch's episodes, to publish at the end
        self._engine = engine
        self._engines: dict[str, Engine] = {}
        self._runner = runner
        self._cache: SpeechCache | None = None
        self._audio_workers: ProcessPoolExecutor | None = None
        self._stack = ExitStack()

    @property
    def cache(self) -> SpeechCache:
        if self._cache is None:
            root = self.options.cache_dir or Path(
                self._stack.enter_context(tempfile.TemporaryDirectory(prefix="audiogen-cache-"))
            )
            self._cache = SpeechCache(root)
        return self._cache

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

    @property
    def runner(self) -> Runner:
        if self._runner is None:
            self._runner = make_runner(self.options.executor, self.options.jobs or 1)
            self._stack.callback(self._runner.close)
        return self._runner

    @cached_property
    def cover(self) -> bytes:
        """The show's cover, made once per batch: it depends on the show, not the article."""
        cover_file = self.options.cover_file
        if cover_file is not None:
            return normalize_cover(cover_file.read_bytes(), str(cover_file))
        return render_cover(self.options.show.title)

    @cached_property
    def music(self) -> tuple[Audio | None, Audio | None]:
        """The intro and outro beds, decoded once per batch."""
        settings = self.options.episode
        return (
            decode_file(settings.intro_music, EPISODE_RATE) if settings.intro_music else None,
            decode_file(settings.outro_music, EPISODE_RATE) if settings.outro_music else None,
        )

    def engine(self, language: str) -> Engine:
        """The engine given to the batch, else the configured one for ``language`` (loaded once)."""
        if self._engine is not None:
            return self._engine
        if language not in self._engines:
            self._engines[language] = load(self.options, language)
        return self._engines[language]

    def build(
        self, article: Article, *, progress: Progress | None = None, now: datetime | None = None
    ) -> Episode:
        return build_article(
            article,
            self.options,
            engine=self.engine(article.language),
            progress=progress,
            now=now,
            batch=self,
        )

    def temporary(self, path: Path) -> Path:
        """A new empty file beside ``path`` to be renamed onto it; gone by the end of the batch."""
        tmp = _temporary(path)
        self._stack.callback(tmp.unlink, missing_ok=True)
        return tmp

    def publish(self) -> None:
        """Add the episodes built so far to the manifest and write it and the feed.

        Under the output folder's lock, the manifest is read again and this
        batch's episodes merged into it, so a build that published meanwhile
        keeps its episodes.
        """
        output = self.options.output
        with site.locked(output):
            items = site.load_manifest(output)
            for item in self.published:
                items = site.upsert(items, item)
            site.save_manifest(output, items)
            site.write_atomic(output / FEED_NAME, render_feed(self.options.show, items))

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Batch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self.published:
                self.publish()
        finally:
            self.close()


def build_article(
    article: Article,
    options: BuildOptions,
    *,
    engine: Engine | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
    batch: Batch | None = None,
) -> Episode:
    """Speak ``article`` and publish it into ``options.output``: MP3, chapters,
    transcripts, cover and feed. Files are written only once all audio is made.

    Within a ``batch`` the manifest and feed are written when the batch ends;
    on its own, before this returns.
    """
    if batch is None:
        with Batch(options, engine=engine) as one:
            return build_article(article, options, progress=progress, now=now, batch=one)
    output = options.output
    show, settings = options.show, options.episode
    items = batch.items
    key = article.url or article.title
    previous = site.existing_item(items, key)
    published = (
        previous.published
        if previous
        else (article.published or now or datetime.now(UTC)).isoformat(timespec="seconds")
    )
    author = article.author or show.author
    fields = {"show": show.title, "title": article.title, "author": author, "date": published[:10]}
    intro = settings.intro.format_map(fields) if settings.intro else None
    outro = settings.outro.format_map(fields) if settings.outro else None
    intro_music, outro_music = batch.music
    cover = batch.cover

    engine = engine or batch.engine(article.language)
    lines = script(article, intro=intro, outro=outro)
    slug = site.unique_slug(items, key, site.slugify(article.title))
    files = site.episode_files(slug)
    titles = chapter_titles(article)
    section_paths = (
        tuple(
            f"{site.EPISODES_DIR}/{slug}/{n:02d}-{site.slugify(title)}.mp3"
            for n, title in enumerate(titles, start=1)
        )
        if options.split
        else ()
    )
    keys = cache_keys(lines, engine)
    audio_key = episode_key(
        lines,
        keys,
        titles,
        bitrate=options.bitrate,
        intro_music=intro_music,
        outro_music=outro_music,
        split=options.split,
    )
    record_path = output / AUDIO_RECORDS / f"{slug}.json"
    record = _load_record(record_path)
    made: dict[str, Path] = {}  # new audio files (temporary names) by where they go
    if record is not None and record.key == audio_key and unchanged(output, record):
        narration = record.rendered  # the files there were made from exactly this
        if progress is not None:
            progress(len(lines))
    else:
        cache = batch.cache
        takes = synthesize_cached(lines, engine, cache, runner=batch.runner, progress=progress)
        clips = [
            Clip(
                t.utterance, t.entry.sample_rate, t.entry.samples, partial(cache.read, t.entry.key)
            )
            for t in takes
        ]
        for rel in (files.audio, *section_paths):
            made[rel] = batch.temporary(output / rel)
        narration = render(
            clips,
            keys,
            titles,
            made[files.audio],
            cache,
            section_files=[made[rel] for rel in section_paths],
            intro_music=intro_music,
            outro_music=outro_music,
            bitrate=options.bitrate,
            executor=batch.audio_workers,
            # The last build's gain, when it still fits, lets unchanged paragraphs be reused.
            previous=record.rendered.mastering if record is not None else None,
        )
        record = None

    description = _description(article)
    tags = TagInfo(
        title=article.title,
        artist=author,
        album=show.title,
        date=published[:10],
        language=article.language,
        chapters=narration.chapters,
        text="\n".join(t.text for t in narration.sentences),
        comment=description,
        url=article.url,
        cover=cover,
    )
    site.write_if_changed(output / show.cover, cover)
    site.write_atomic(
        output / files.chapters, render_chapters(narration.chapters, title=article.title)
    )
    site.write_atomic(
        output / files.vtt, render_vtt(narration.sentences, narration.duration_ms).encode()
    )
    site.write_atomic(
        output / files.transcript,
        render_transcript_html(
            article.title, narration.chapters, narration.sentences, article.language
        ).encode(),
    )
    tagged = {files.audio: tags} | {
        rel: _section_tags(tags, n, len(section_paths))
        for n, rel in enumerate(section_paths, start=1)
    }
    tags_digest = hashlib.sha256(repr(sorted(tagged.items())).encode("utf-8")).hexdigest()
    if record is None or record.tags != tags_digest:
        _place_tagged_mp3s(output, tagged, made)
        states = [file_state(output, rel) for rel in tagged]
        site.write_atomic(
            record_path,
            AudioRecord(
                audio_key, tags_digest, narration, tuple(s for s in states if s is not None)
            ).to_json(),
        )
    section_files = section_paths
    size = (output / files.audio).stat().st_size

    item = FeedItem(
        key=key,
        guid=previous.guid if previous else site.episode_guid(key),
        slug=slug,
        title=article.title,
        description=description,
        author=author,
        language=article.language,
        published=published,
        audio=files.audio,
        size_bytes=size,
        duration_ms=narration.duration_ms,
        chapters=narration.chapters,
        source=article.source,
        url=article.url,
        episode_type=settings.type,
        chapters_file=files.chapters,
        vtt_file=files.vtt,
        transcript_file=files.transcript,
        player_file=files.player,
        section_files=section_files,
    )
    # The player page is written last of the episode's files: it links the others.
    write_player(output, item, show)
    batch.items = site.upsert(items, item)
    batch.published.append(item)
    return Episode(
        article=article,
        slug=slug,
        guid=item.guid,
        path=files.audio,
        duration_ms=narration.duration_ms,
        size_bytes=size,
        chapters=narration.chapters,
        sentences=narration.sentences,
        engine=engine.name,
        voice=options.voice or "",
    )


def _section_tags(tags: TagInfo, n: int, count: int) -> TagInfo:
    chapter = tags.chapters[n - 1]
    return replace(
        tags, title=chapter.title, album=tags.title, chapters=(), text="", track=f"{n}/{count}"
    )


def _load_record(path: Path) -> AudioRecord | None:
    try:
        return AudioRecord.from_json(path.read_bytes())
    except OSError:
        return None


def _temporary(path: Path) -> Path:
    """A new empty file beside ``path``, hidden, readable by a web server, to be renamed onto it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, 0o644)
    os.close(fd)
    return Path(tmp)


def _place_tagged_mp3s(output: Path, tagged: dict[str, TagInfo], made: dict[str, Path]) -> None:
    """Tag each MP3 under its temporary name and only then move it into place, so no
    reader sees an untagged or partial file. Files not made afresh (kept from the
    last build) are copied, retagged and moved back the same way."""
    temps = dict(made)
    try:
        for rel, info in tagged.items():
            path = output / rel
            if rel not in temps:
                temps[rel] = _temporary(path)
                shutil.copyfile(path, temps[rel])
            write_tags(temps[rel], info)
        for rel in tagged:
            temps.pop(rel).replace(output / rel)
    except OSError as exc:
        raise PublishFailed(f"cannot write into {output}: {exc.strerror or exc}") from exc
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)


def _description(article: Article, limit: int = 400) -> str:
    """The first sentences of the article, up to about ``limit`` characters."""
    text = ""
    for sentence in (s for section in article.sections for s in section.written_sentences):
        if text and len(text) + len(sentence) > limit:
            break
        text = f"{text} {sentence}".strip()
    return text
