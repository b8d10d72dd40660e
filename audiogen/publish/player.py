"""The web player: a page per episode, the shared script and styles, and embed snippets.

The player is plain HTML, CSS and JavaScript shipped in ``assets/`` (no framework,
no build step): ``audiogen-player.js`` defines the ``<audiogen-player>`` element,
which loads ``audiogen-player.css`` from beside itself. This module copies both into
``player/`` in the output folder, fills in the page template for each episode, and
writes the snippets a site pastes into its article page. Every value that comes
from an article is escaped with :func:`html.escape` on its way into markup.
"""

from __future__ import annotations

import html
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from string import Template
from urllib.parse import urljoin

from audiogen.errors import BadInput, PublishFailed
from audiogen.files import write_atomic
from audiogen.models import FeedItem, Show
from audiogen.publish.feed import ATOM, FEED_NAME, ITUNES, absolute
from audiogen.publish.site import slugify

PLAYER_DIR = "player"
SCRIPT_NAME = "audiogen-player.js"
STYLES_NAME = "audiogen-player.css"
PAGE_TEMPLATE = "page.html"
SCRIPT_PATH = f"{PLAYER_DIR}/{SCRIPT_NAME}"
STYLES_PATH = f"{PLAYER_DIR}/{STYLES_NAME}"
# Tall enough for the controls and a few lines of transcript; the page fills whatever it gets.
IFRAME_HEIGHT = 460
IFRAME_MAX_WIDTH = 760

Resolve = Callable[[str], str]


def asset(name: str) -> bytes:
    """One of the player's shipped files (package data)."""
    try:
        return resources.files("audiogen.publish").joinpath("assets", name).read_bytes()
    except OSError as exc:
        raise PublishFailed(
            f"the player file {name} is missing from the audiogen package; reinstall audiogen"
        ) from exc


def page_path(item: FeedItem) -> str:
    """Where the episode's player page goes, relative to the output folder:
    beside the MP3 as ``<audio name>.html`` unless the manifest says otherwise."""
    return item.player_file or _beside(item.audio, ".html")


def chapters_path(item: FeedItem) -> str:
    """The episode's JSON chapters, by the convention ``<audio name>.chapters.json``."""
    return item.chapters_file or _beside(item.audio, ".chapters.json")


def transcript_path(item: FeedItem) -> str:
    """The episode's WebVTT transcript, by the convention ``<audio name>.vtt``."""
    return item.vtt_file or _beside(item.audio, ".vtt")


def _beside(audio: str, suffix: str) -> str:
    """The audio's path with its extension replaced by ``suffix``.

    >>> _beside("episodes/a.b.mp3", ".vtt")
    'episodes/a.b.vtt'
    """
    stem, _ = posixpath.splitext(audio)
    return stem + suffix


def player_attributes(
    item: FeedItem,
    show: Show,
    resolve: Resolve,
    *,
    chapters: bool = True,
    transcript: bool = True,
) -> dict[str, str]:
    """The ``<audiogen-player>`` attributes for ``item``, with paths turned into URLs by ``resolve``.

    Values are raw text; :func:`render_attributes` escapes them.
    """
    return {
        "src": resolve(item.audio),
        "chapters": resolve(chapters_path(item)) if chapters else "none",
        "transcript": resolve(transcript_path(item)) if transcript else "none",
        "episode-title": item.title,
        "show-title": show.title,
        "artwork": resolve(show.cover),
        "duration": f"{item.duration_ms / 1000:.3f}",
    }


def render_attributes(attributes: dict[str, str]) -> str:
    """``name="value"`` pairs, every value escaped for a double-quoted attribute.

    >>> render_attributes({"episode-title": 'A "quoted" <b>title</b> & more'})
    'episode-title="A &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt; &amp; more"'
    """
    return " ".join(
        f'{name}="{html.escape(value, quote=True)}"' for name, value in attributes.items()
    )


def render_page(
    item: FeedItem, show: Show, *, chapters: bool = True, transcript: bool = True
) -> str:
    """The standalone player page for ``item``, with links relative to where it is written.

    Relative links keep the page working wherever the folder is served; only the
    ``og:`` and canonical URLs, which other sites read, are absolute.
    """
    page = page_path(item)
    folder = posixpath.dirname(page) or "."

    def relative(path: str) -> str:
        # A URL (say, a cover on a CDN) is used as it is.
        if "://" in path:
            return path
        return posixpath.relpath(path, folder)

    e = html.escape
    attributes = player_attributes(item, show, relative, chapters=chapters, transcript=transcript)
    about = [f'<a href="{e(relative(FEED_NAME))}">Subscribe to {e(show.title)} (RSS)</a>']
    if item.url:
        about.insert(0, f'<a href="{e(item.url)}">Read the article</a>')
    template = Template(asset(PAGE_TEMPLATE).decode("utf-8"))
    return template.substitute(
        language=e(item.language or show.language),
        title=e(item.title),
        show_title=e(show.title),
        description=e(item.description),
        page_url=e(absolute(show, page)),
        cover_url=e(absolute(show, show.cover)),
        audio_url=e(absolute(show, item.audio)),
        feed=e(relative(FEED_NAME)),
        icon=e(relative(show.cover)),
        styles=e(relative(STYLES_PATH)),
        script=e(relative(SCRIPT_PATH)),
        attributes=render_attributes(attributes),
        audio=e(relative(item.audio)),
        about=" · ".join(about),
    )


def write_player(output: Path, item: FeedItem, show: Show) -> None:
    """Write ``item``'s player page and the shared player script and styles into ``output``.

    A chapters or transcript file that is not in the folder is left out of the
    page, so the player does not ask the server for it.
    """
    chapters = (output / chapters_path(item)).is_file()
    transcript = (output / transcript_path(item)).is_file()
    for name in (SCRIPT_NAME, STYLES_NAME):
        write_atomic(output / PLAYER_DIR / name, asset(name))
    page = render_page(item, show, chapters=chapters, transcript=transcript)
    write_atomic(output / page_path(item), page.encode("utf-8"))


def embed_snippets(item: FeedItem, show: Show) -> tuple[str, str]:
    """HTML to paste into an article page: ``(iframe snippet, web component snippet)``.

    Both use absolute URLs under ``show.base_url``. The iframe needs nothing from
    the host page; the web component inherits the page's fonts and can be themed
    with ``--ag-*`` CSS custom properties, but its chapters and transcript are
    fetched across origins, so the audio host must send CORS headers.
    """
    e = html.escape

    def url(path: str) -> str:
        return absolute(show, path)

    iframe = (
        f'<iframe src="{e(url(page_path(item)))}" title="{e("Audio player: " + item.title)}" '
        f'width="100%" height="{IFRAME_HEIGHT}" loading="lazy" '
        f'style="display:block;width:100%;max-width:{IFRAME_MAX_WIDTH}px;'
        f'height:{IFRAME_HEIGHT}px;border:0"></iframe>'
    )
    component = (
        f'<script src="{e(url(SCRIPT_PATH))}" defer></script>\n'
        f"<audiogen-player {render_attributes(player_attributes(item, show, url))}>\n"
        f'  <audio controls preload="none" src="{e(url(item.audio))}"></audio>\n'
        "</audiogen-player>"
    )
    return iframe, component


def find_episode(items: list[FeedItem], query: str) -> FeedItem:
    """The episode whose slug or title is ``query`` (titles compared without case).

    Raises :class:`BadInput` naming the episodes there are when none matches,
    or when a title is shared by several.
    """
    if not items:
        raise BadInput("no episodes have been built here yet; run: audiogen build ARTICLE")
    wanted = query.strip()
    for item in items:
        if item.slug == wanted:
            return item
    by_title = [i for i in items if i.title.casefold() == wanted.casefold()]
    if not by_title:
        by_title = [i for i in items if i.slug == slugify(wanted)]
    if len(by_title) == 1:
        return by_title[0]
    choices = ", ".join(sorted(i.slug for i in (by_title or items)))
    if by_title:
        raise BadInput(f"several episodes are called {query!r}; name one by its slug: {choices}")
    raise BadInput(f"no episode {query!r}; give the slug or title of one of: {choices}")


def show_from_feed(output: Path, show: Show | None = None) -> Show:
    """``show`` (default: the defaults) with the title, address and cover the built feed declares.

    The manifest does not record where the folder is published; the feed does, in
    its ``atom:link rel="self"``. Without a readable feed ``show`` is returned as is.
    """
    show = show or Show()
    path = output / FEED_NAME
    try:
        channel = ET.parse(path).getroot().find("channel")
    except (OSError, ET.ParseError):
        return show
    if channel is None:
        return show
    title = channel.findtext("title")
    if title:
        show = replace(show, title=title)
    for link in channel.findall(f"{{{ATOM}}}link"):
        href = link.get("href")
        if link.get("rel") == "self" and href:
            show = replace(show, base_url=urljoin(href, "."))
    image = channel.find(f"{{{ITUNES}}}image")
    cover = image.get("href", "") if image is not None else ""
    if cover:
        # Inside the folder it is kept relative, so a different --base-url moves it too.
        base = absolute(show, "")
        show = replace(show, cover=cover[len(base) :] if cover.startswith(base) else cover)
    return show
