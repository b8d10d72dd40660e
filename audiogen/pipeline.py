"""The one place that orders the stages: read -> clean -> sections -> speak -> stitch -> encode -> tag -> publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from audiogen.audio.decode import decode_file
from audiogen.audio.encode import DEFAULT_BITRATE, encode_mp3
from audiogen.audio.stitch import EPISODE_RATE, stitch
from audiogen.audio.synth import script, synthesize
from audiogen.audio.tags import TagInfo, write_tags
from audiogen.engines.base import Engine, EngineOptions
from audiogen.engines.registry import DEFAULT_ENGINE, load_engine
from audiogen.errors import BadInput, NothingToSpeak, PublishFailed
from audiogen.models import (
    Article,
    Episode,
    EpisodeSettings,
    FeedItem,
    Narration,
    Section,
    Show,
)
from audiogen.publish import site
from audiogen.publish.chapters import render_chapters
from audiogen.publish.cover import normalize_cover, render_cover
from audiogen.publish.feed import FEED_NAME, render_feed
from audiogen.publish.transcript import render_transcript_html, render_vtt
from audiogen.text.clean import clean_blocks, parse_markdown, parse_plain_text
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
    """Speak ``article`` and publish it into ``options.output``: MP3, chapters,
    transcripts, cover and feed. Files are written only once all audio is made."""
    output = options.output
    if output.exists() and not output.is_dir():
        raise BadInput(f"output {output} exists and is not a folder")
    show, settings = options.show, options.episode
    items = site.load_manifest(output)
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
    intro_music = decode_file(settings.intro_music, EPISODE_RATE) if settings.intro_music else None
    outro_music = decode_file(settings.outro_music, EPISODE_RATE) if settings.outro_music else None
    cover = (
        normalize_cover(options.cover_file.read_bytes(), str(options.cover_file))
        if options.cover_file
        else render_cover(show.title)
    )

    engine = engine or load(options, article.language)
    lines = script(article, intro=intro, outro=outro)
    spoken = synthesize(lines, engine, progress)
    narration = stitch(
        spoken, chapter_titles(article), intro_music=intro_music, outro_music=outro_music
    )
    mp3 = encode_mp3(narration.pcm, narration.sample_rate, options.bitrate)

    slug = site.unique_slug(items, key, site.slugify(article.title))
    files = site.episode_files(slug)
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
    section_files = (
        _write_sections(output, slug, narration, tags, options.bitrate) if options.split else ()
    )
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
    _write_tagged_mp3(output / files.audio, mp3, tags)
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
        section_files=section_files,
    )
    items = site.upsert(items, item)
    site.save_manifest(output, items)
    site.write_atomic(output / FEED_NAME, render_feed(show, items))
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


def _write_sections(
    output: Path, slug: str, narration: Narration, tags: TagInfo, bitrate: int
) -> tuple[str, ...]:
    """One MP3 per chapter, cut from the finished narration at the chapter boundaries."""
    paths = []
    rate = narration.sample_rate
    for n, chapter in enumerate(narration.chapters, start=1):
        start, end = rate * chapter.start_ms // 1000 * 2, rate * chapter.end_ms // 1000 * 2
        rel = f"{site.EPISODES_DIR}/{slug}/{n:02d}-{site.slugify(chapter.title)}.mp3"
        part = encode_mp3(narration.pcm[start:end], rate, bitrate)
        section_tags = replace(
            tags,
            title=chapter.title,
            album=tags.title,
            chapters=(),
            text="",
            track=f"{n}/{len(narration.chapters)}",
        )
        _write_tagged_mp3(output / rel, part, section_tags)
        paths.append(rel)
    return tuple(paths)


def _write_tagged_mp3(path: Path, mp3: bytes, info: TagInfo) -> None:
    """Encode, tag and only then move into place, so no reader sees an untagged or partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
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
    for sentence in (s for section in article.sections for s in section.written_sentences):
        if text and len(text) + len(sentence) > limit:
            break
        text = f"{text} {sentence}".strip()
    return text
