"""The publish stage for one episode: its companion files and its entry in the feed.

The MP3s are in place (the tag stage moved them); here the cover, the JSON
chapters, the WebVTT and HTML transcripts and the player page are written
beside them, and the episode becomes a ``FeedItem`` for the manifest. The
feed itself is written once, when the whole build ends (``site.publish``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audiogen.files import write_atomic, write_if_changed
from audiogen.models import Article, EpisodeSettings, FeedItem, Placement, Rendered, Show
from audiogen.publish.chapters import render_chapters
from audiogen.publish.player import write_player
from audiogen.publish.transcript import render_transcript_html, render_vtt


@dataclass(frozen=True)
class Provenance:
    """What an episode was made from, so an unchanged rebuild can keep it as it is."""

    document: str  # the document's digest
    recipe: str  # the build settings' digest


def publish_episode(
    output: Path,
    article: Article,
    placement: Placement,
    rendered: Rendered,
    show: Show,
    *,
    settings: EpisodeSettings,
    cover: bytes,
    provenance: Provenance,
) -> FeedItem:
    """Write the episode's companion files into ``output`` and return its feed entry."""
    files = placement.files
    write_if_changed(output / show.cover, cover)
    write_atomic(output / files.chapters, render_chapters(rendered.chapters, title=article.title))
    write_atomic(output / files.vtt, render_vtt(rendered.sentences, rendered.duration_ms).encode())
    transcript = render_transcript_html(
        article.title, rendered.chapters, rendered.sentences, article.language
    )
    write_atomic(output / files.transcript, transcript.encode())
    item = FeedItem(
        key=placement.key,
        guid=placement.guid,
        slug=placement.slug,
        title=article.title,
        description=article.summary(),
        author=article.author or show.author,
        language=article.language,
        published=placement.published,
        audio=files.audio,
        size_bytes=(output / files.audio).stat().st_size,
        duration_ms=rendered.duration_ms,
        chapters=rendered.chapters,
        source=article.source,
        url=article.url,
        episode_type=settings.type,
        chapters_file=files.chapters,
        vtt_file=files.vtt,
        transcript_file=files.transcript,
        player_file=files.player,
        section_files=files.sections,
        document_digest=provenance.document,
        recipe_digest=provenance.recipe,
        categories=article.categories,
        image=article.image,
    )
    # The player page is written last of the episode's files: it links the others.
    write_player(output, item, show)
    return item
