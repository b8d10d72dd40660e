"""The one place that orders the stages: read -> clean -> sections -> speak -> stitch -> encode -> tag -> publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from audiogen.audio.encode import DEFAULT_BITRATE, encode_mp3
from audiogen.audio.stitch import stitch
from audiogen.audio.synth import script, synthesize
from audiogen.audio.tags import TagInfo, write_tags
from audiogen.engines.base import Engine, EngineOptions
from audiogen.engines.registry import DEFAULT_ENGINE, load_engine
from audiogen.errors import BadInput, PublishFailed
from audiogen.models import Article, Episode, FeedItem, Show
from audiogen.publish import site
from audiogen.publish.cover import render_cover
from audiogen.publish.feed import FEED_NAME, render_feed
from audiogen.text.clean import clean_blocks, parse_markdown, parse_plain_text
from audiogen.text.extract import extract_page, identify_language
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


def prepare(source: str, *, language: str | None = None, fetch_timeout: float = 15.0) -> Article:
    """Read, clean and split an article (a file, ``-`` for stdin, or a URL) into what will be spoken."""
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
    blocks = clean_blocks(blocks)
    if detected is None:
        detected = identify_language(" ".join(b.text for b in blocks if not b.is_heading))
    lang = language or detected or "en"
    title, sections = split_sections(blocks, fallback_title=title_hint, language=lang)
    return Article(
        title=title,
        sections=sections,
        language=lang,
        author=author,
        published=published,
        source=source,
        url=url,
    )


def _title_from_name(source: str) -> str:
    if source == "-" or is_url(source):
        return "Untitled"
    return Path(source).stem.replace("-", " ").replace("_", " ")


def chapter_titles(article: Article) -> tuple[str, ...]:
    return tuple(section.title for section in article.sections)


def count_utterances(article: Article) -> int:
    return len(script(article))


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
        ),
    )


def build_article(
    article: Article,
    options: BuildOptions,
    *,
    engine: Engine | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Episode:
    output = options.output
    if output.exists() and not output.is_dir():
        raise BadInput(f"output {output} exists and is not a folder")
    engine = engine or load(options, article.language)
    show = options.show

    lines = script(article)
    spoken = synthesize(lines, engine, progress)
    narration = stitch(spoken, chapter_titles(article))
    mp3 = encode_mp3(narration.pcm, narration.sample_rate, options.bitrate)

    items = site.load_manifest(output)
    key = article.url or article.title
    slug = site.unique_slug(items, key, site.slugify(article.title))
    previous = site.existing_item(items, key)
    published = (
        previous.published
        if previous
        else (article.published or now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    )
    cover_path = output / show.cover
    if not cover_path.exists():
        site.write_atomic(cover_path, render_cover(show.title))
    audio_rel = f"{site.EPISODES_DIR}/{slug}.mp3"
    author = article.author or show.author
    description = _description(article)
    info = TagInfo(
        title=article.title,
        artist=author,
        album=show.title,
        date=published[:10],
        language=article.language,
        chapters=narration.chapters,
        text="\n".join(t.text for t in narration.sentences),
        comment=description,
        url=article.url,
        cover=cover_path.read_bytes(),
    )
    mp3_path = output / audio_rel
    _write_tagged_mp3(mp3_path, mp3, info)
    size = mp3_path.stat().st_size

    item = FeedItem(
        key=key,
        guid=previous.guid if previous else site.episode_guid(key),
        slug=slug,
        title=article.title,
        description=description,
        author=author,
        language=article.language,
        published=published,
        audio=audio_rel,
        size_bytes=size,
        duration_ms=narration.duration_ms,
        chapters=narration.chapters,
        source=article.source,
        url=article.url,
    )
    items = site.upsert(items, item)
    site.save_manifest(output, items)
    site.write_atomic(output / FEED_NAME, render_feed(show, items))
    return Episode(
        article=article,
        slug=slug,
        guid=item.guid,
        path=audio_rel,
        duration_ms=narration.duration_ms,
        size_bytes=size,
        chapters=narration.chapters,
        sentences=narration.sentences,
        engine=engine.name,
        voice=options.voice or "",
    )


def _write_tagged_mp3(path: Path, mp3: bytes, info: TagInfo) -> None:
    """Encode, tag and only then move into place, so no reader sees an untagged or partial file."""
    tmp = path.with_name(f".{path.name}.tmp")
    site.write_atomic(tmp, mp3)
    try:
        write_tags(tmp, info)
        tmp.replace(path)
    except OSError as exc:
        raise PublishFailed(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _description(article: Article, limit: int = 400) -> str:
    """The first sentences of the article, up to about ``limit`` characters."""
    text = ""
    for sentence in (s for section in article.sections for s in section.sentences):
        if text and len(text) + len(sentence) > limit:
            break
        text = f"{text} {sentence}".strip()
    return text
