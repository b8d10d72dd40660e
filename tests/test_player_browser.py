"""The player in a real browser: Debian's chromium driven by Playwright, against
``audiogen serve`` on 127.0.0.1, playing an episode the pipeline built.

No browser is downloaded: Playwright launches /usr/bin/chromium (``.ci/run``
installs it). Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from mutagen.mp3 import MP3
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from audiogen import pipeline
from audiogen.models import NARRATOR, QUOTE, Episode, FeedItem, Show, Timing
from audiogen.publish import player
from audiogen.publish.serve import make_server, server_url
from audiogen.publish.site import load_manifest
from audiogen.publish.transcript import render_vtt
from tests.conftest import REPO, SAMPLE, ToneEngine, WordToneEngine, build_one, require_tool

ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
HOSTILE = '</title><script>alert(1)</script> & <b>"friends"</b>'
HOSTILE_LINE = "<img src=x onerror=alert(2)> is not an image & <b>not bold</b>"
TIMEOUT_MS = 15_000

# Evaluated in the page: the player element and its shadow root.
PLAYER = "document.querySelector('audiogen-player')"
READY = f"""() => {{
    const p = {PLAYER};
    return !!p && !!p.audio && p.audio.readyState >= 1
        && p.shadowRoot.querySelectorAll('.cue').length > 0
        && p.shadowRoot.querySelectorAll('.chapter').length > 0;
}}"""
# At 'seeking' currentTime is the position asked for; by 'seeked' playback may have moved on.
RECORD_SEEKS = f"""() => {{
    window.seeks = [];
    {PLAYER}.audio.addEventListener('seeking', (e) => window.seeks.push(e.target.currentTime));
}}"""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Site:
    folder: Path
    url: str
    item: FeedItem
    episode: Episode
    hostile: FeedItem
    chapters: list[dict[str, Any]]
    cues: list[Cue]
    mp3_seconds: float

    @property
    def page_url(self) -> str:
        return self.url + player.page_path(self.item)


def parse_vtt(text: str) -> list[Cue]:
    """The test's own reading of the VTT file, independent of the player's parser."""
    cues = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = block.strip().split("\n")
        timing = next((n for n, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue
        start, end = (part.strip().split()[0] for part in lines[timing].split("-->"))
        cues.append(Cue(seconds(start), seconds(end), html.unescape(" ".join(lines[timing + 1 :]))))
    return cues


def seconds(stamp: str) -> float:
    total = 0.0
    for part in stamp.split(":"):
        total = total * 60 + float(part)
    return total


def mp3_length(path: Path) -> float:
    info = MP3(path).info  # type: ignore[no-untyped-call]
    assert info is not None
    return float(info.length)


def stamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def ensure_companions(folder: Path, item: FeedItem, episode: Episode) -> None:
    """Chapters and transcript from the episode's timings, for a pipeline that writes none."""
    chapters = folder / player.chapters_path(item)
    if not chapters.exists():
        data = {
            "version": "1.2.0",
            "chapters": [
                {"startTime": c.start_ms / 1000, "endTime": c.end_ms / 1000, "title": c.title}
                for c in episode.chapters
            ],
        }
        chapters.write_text(json.dumps(data), encoding="utf-8")
    vtt = folder / player.transcript_path(item)
    if not vtt.exists():
        blocks = [
            f"{stamp(s.start_ms)} --> {stamp(s.end_ms)}\n{html.escape(s.text, quote=False)}"
            for s in episode.sentences
        ]
        vtt.write_text("WEBVTT\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")


def write_hostile_episode(folder: Path, item: FeedItem, show: Show) -> FeedItem:
    """The same audio under a title, chapter and sentence made of markup (the pipeline's
    cleaning would strip tags from an article, so they are written here directly)."""
    hostile = replace(
        item,
        title=HOSTILE,
        chapters_file="episodes/hostile.chapters.json",
        vtt_file="episodes/hostile.vtt",
        player_file="episodes/hostile.html",
    )
    chapters = {"version": "1.2.0", "chapters": [{"startTime": 0, "title": HOSTILE_LINE}]}
    (folder / "episodes" / "hostile.chapters.json").write_text(json.dumps(chapters))
    cue = html.escape(HOSTILE_LINE, quote=False)
    (folder / "episodes" / "hostile.vtt").write_text(f"WEBVTT\n\n00:01.000 --> 00:02.000\n{cue}\n")
    player.write_player(folder, hostile, show)
    return hostile


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = make_server(folder, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server_url(server)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("player")
    folder = root / "site"
    folder.mkdir()
    server, url = serve(folder)
    show = Show(title="Harbor Weekly", author="Harbor Weekly", base_url=url)
    options = pipeline.BuildOptions(output=folder, show=show)
    when = datetime.fromisoformat("2024-05-01T08:00:00+00:00")
    episode = build_one(str(SAMPLE), options, engine=ToneEngine(), now=when)
    (item,) = load_manifest(folder)
    ensure_companions(folder, item, episode)
    if not (folder / player.page_path(item)).exists():
        player.write_player(folder, item, show)
    hostile = write_hostile_episode(folder, item, show)
    try:
        yield Site(
            folder=folder,
            url=url,
            item=item,
            episode=episode,
            hostile=hostile,
            chapters=json.loads((folder / player.chapters_path(item)).read_text())["chapters"],
            cues=parse_vtt((folder / player.transcript_path(item)).read_text(encoding="utf-8")),
            mp3_seconds=mp3_length(folder / item.audio),
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = require_tool("chromium")
    playwright: Playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Console:
    """Errors the page reports: console.error, uncaught exceptions, failed loads, dialogs."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} at {message.location}")

    def _dialog(self, dialog: Any) -> None:
        self.errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()


def open_page(
    browser: Browser, url: str, width: int = 1280, height: int = 900, **context: Any
) -> tuple[Page, Console]:
    page = browser.new_context(viewport={"width": width, "height": height}, **context).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    console = Console(page)
    page.goto(url)
    page.wait_for_function(READY)
    return page, console


@pytest.fixture
def opened(browser: Browser, site: Site) -> Iterator[Page]:
    """The episode's player page; the test fails if the page logs any error."""
    page, console = open_page(browser, site.page_url)
    yield page
    page.context.close()
    assert console.errors == []


def audio(page: Page, prop: str) -> Any:
    return page.evaluate(f"() => {PLAYER}.audio.{prop}")


def focused(page: Page) -> str:
    """The accessible label (or text) of what has keyboard focus inside the player."""
    return str(
        page.evaluate(
            f"""() => {{
                const el = {PLAYER}.shadowRoot.activeElement;
                return el ? (el.getAttribute('aria-label') || el.textContent.trim()) : '';
            }}"""
        )
    )


def test_metadata_loads_and_the_duration_matches_the_mp3(opened: Page, site: Site) -> None:
    duration = audio(opened, "duration")
    assert duration == pytest.approx(site.mp3_seconds, abs=0.1)
    total = opened.locator(".total").inner_text()
    assert total == f"{int(duration) // 60}:{int(duration) % 60:02d}"
    assert opened.locator(".title").inner_text() == site.item.title
    assert opened.locator(".chapter").count() == len(site.chapters) == 3
    assert opened.locator(".cue").count() == len(site.cues)
    assert opened.locator(".cue").all_inner_texts() == [c.text for c in site.cues]
    download = opened.get_by_label("Download MP3")
    assert download.evaluate("(a) => a.href") == site.url + site.item.audio


def test_clicking_chapter_2_moves_to_its_start(opened: Page, site: Site) -> None:
    opened.evaluate(RECORD_SEEKS)
    opened.get_by_role("tab", name="Chapters").click()
    second = site.chapters[1]
    opened.locator(".chapter").nth(1).click()
    opened.wait_for_function("() => window.seeks.length > 0")
    assert opened.evaluate("() => window.seeks[0]") == pytest.approx(second["startTime"], abs=0.01)
    assert opened.locator(".chapter").nth(1).get_attribute("aria-current") == "true"
    assert opened.locator(".now").inner_text() == second["title"]
    opened.wait_for_function(f"() => {PLAYER}.currentTime > {second['startTime'] + 0.2}")


@pytest.mark.parametrize("which", [1, 5, -1])
def test_seeking_highlights_the_sentence_whose_cue_spans_that_time(
    opened: Page, site: Site, which: int
) -> None:
    cue = site.cues[which]
    middle = (cue.start + cue.end) / 2
    opened.evaluate(f"() => {{ {PLAYER}.audio.currentTime = {middle}; }}")
    current = opened.locator(".cue.is-current")
    opened.wait_for_function(
        f"() => {PLAYER}.shadowRoot.querySelector('.cue.is-current')?.textContent === {json.dumps(cue.text)}"
    )
    assert current.count() == 1 and current.get_attribute("aria-current") == "true"
    # Scrolled into the transcript's view (smoothly, so wait), without scrolling the page.
    opened.wait_for_function(
        f"""() => {{
            const root = {PLAYER}.shadowRoot;
            const cue = root.querySelector('.cue.is-current').getBoundingClientRect();
            const panel = root.querySelector('.transcript').getBoundingClientRect();
            return cue.top >= panel.top && cue.bottom <= panel.bottom;
        }}"""
    )
    assert opened.evaluate("() => window.scrollY") == 0


def test_clicking_a_sentence_seeks_to_its_cue_start(opened: Page, site: Site) -> None:
    opened.evaluate(RECORD_SEEKS)
    cue = site.cues[6]
    opened.locator(".cue").nth(6).click()
    opened.wait_for_function("() => window.seeks.length > 0")
    assert opened.evaluate("() => window.seeks[0]") == pytest.approx(cue.start, abs=0.01)
    assert opened.locator(".cue.is-current").inner_text() == cue.text


def test_speed_control_sets_the_playback_rate(opened: Page) -> None:
    speed = opened.get_by_label("Playback speed")
    options = speed.locator("option")
    assert [options.nth(n).get_attribute("value") for n in range(options.count())] == [
        "0.75", "1", "1.25", "1.5", "1.75", "2",
    ]  # fmt: skip
    for rate in ("1.5", "2", "0.75"):
        speed.select_option(rate)
        assert audio(opened, "playbackRate") == float(rate)


def test_works_with_the_keyboard_alone(opened: Page) -> None:
    opened.keyboard.press("Tab")
    assert focused(opened) == "Play"
    # The focus ring is visible on what the keyboard reached.
    ring = opened.evaluate(
        f"() => getComputedStyle({PLAYER}.shadowRoot.activeElement).outlineStyle"
    )
    assert ring != "none"
    opened.keyboard.press("Space")
    opened.wait_for_function(f"() => {PLAYER}.currentTime > 0.3")
    assert focused(opened) == "Pause"
    opened.keyboard.press("k")
    opened.wait_for_function(f"() => {PLAYER}.audio.paused")

    order = []
    for _ in range(7):
        opened.keyboard.press("Tab")
        order.append(focused(opened))
    assert order[:6] == [
        "Seek",
        "Back 15 seconds",
        "Forward 30 seconds",
        "Playback speed",
        "Download MP3",
        "Transcript",
    ]
    assert order[6]  # a sentence of the transcript

    opened.keyboard.press("Shift+Tab")
    opened.keyboard.press("ArrowRight")  # Chapters tab
    assert focused(opened).startswith("Chapters")
    for _ in range(5):
        opened.keyboard.press("Shift+Tab")
    assert focused(opened) == "Seek"
    before = audio(opened, "currentTime")
    opened.keyboard.press("ArrowRight")
    assert audio(opened, "currentTime") == pytest.approx(before + 5, abs=0.01)
    opened.keyboard.press("End")
    assert audio(opened, "currentTime") == pytest.approx(audio(opened, "duration"), abs=0.01)


def test_position_is_remembered_and_resumed(opened: Page) -> None:
    opened.evaluate(f"() => {{ {PLAYER}.audio.currentTime = 40; }}")
    opened.wait_for_function(
        "() => Object.keys(localStorage).some((k) => k.startsWith('audiogen-player:'))"
    )
    opened.reload()
    opened.wait_for_function(READY)
    opened.wait_for_function(f"() => Math.abs({PLAYER}.currentTime - 40) < 0.05")
    assert "0:40" in opened.locator(".status").inner_text()


def test_plays_embedded_on_another_origin(browser: Browser, site: Site, tmp_path: Path) -> None:
    iframe, component = player.embed_snippets(
        site.item, Show(title="Harbor Weekly", base_url=site.url)
    )
    article = tmp_path / "article"
    article.mkdir()
    (article / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>News</title>"
        "<link rel='icon' href='data:,'></head><body><h1>An article</h1>"
        f"{iframe}\n<p>Text between.</p>\n{component}</body></html>",
        encoding="utf-8",
    )
    server, other = serve(article)
    try:
        assert other.split(":")[-1] != site.url.split(":")[-1]  # another origin: another port
        page = browser.new_context(viewport={"width": 1100, "height": 1400}).new_page()
        page.set_default_timeout(TIMEOUT_MS)
        console = Console(page)
        page.goto(other + "index.html")
        frame = page.locator("iframe").element_handle().content_frame()
        assert frame is not None and frame.url == site.page_url
        frame.wait_for_function(READY)
        assert frame.evaluate("() => document.documentElement.classList.contains('embedded')")
        frame.get_by_role("button", name="Play").click()
        frame.wait_for_function(f"() => {PLAYER}.currentTime > 0.5")

        # The web component fetches chapters and transcript across origins (CORS).
        page.wait_for_function(READY)
        page.get_by_role("button", name="Play").click()
        page.wait_for_function(f"() => {PLAYER}.currentTime > 0.5")
        assert page.locator(".cue").count() == len(site.cues)
        page.context.close()
        assert console.errors == []
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("name", "width", "scheme"),
    [("desktop", 1280, "light"), ("320px", 320, "light"), ("desktop-dark", 1280, "dark")],
)
def test_screenshots(browser: Browser, site: Site, name: str, width: int, scheme: str) -> None:
    page, console = open_page(browser, site.page_url, width=width, height=900, color_scheme=scheme)
    cue = site.cues[5]
    page.evaluate(f"() => {{ {PLAYER}.audio.currentTime = {(cue.start + cue.end) / 2}; }}")
    page.wait_for_timeout(700)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"player-{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # Usable at this width: nothing scrolls sideways, every control is on screen and big enough.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for label in ("Play", "Seek", "Back 15 seconds", "Forward 30 seconds", "Playback speed"):
        box = page.get_by_label(label, exact=True).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, label
        assert box["height"] >= 22, label
    background = page.evaluate(
        f"() => getComputedStyle({PLAYER}.shadowRoot.querySelector('.player')).backgroundColor"
    )
    red, green, blue = (int(v) for v in background[background.index("(") + 1 : -1].split(",")[:3])
    assert (red + green + blue < 150) == (scheme == "dark")
    page.context.close()
    assert console.errors == []


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_respects_reduced_motion(browser: Browser, site: Site, motion: str) -> None:
    page, console = open_page(browser, site.page_url, reduced_motion=motion)
    duration = page.evaluate(
        f"() => getComputedStyle({PLAYER}.shadowRoot.querySelector('.play')).transitionDuration"
    )
    assert (set(duration.replace(" ", "").split(",")) == {"0s"}) == (motion == "reduce")
    page.context.close()
    assert console.errors == []


def test_a_hostile_title_is_shown_as_text(browser: Browser, site: Site) -> None:
    page, console = open_page(browser, site.url + player.page_path(site.hostile))
    assert page.title() == f"{HOSTILE} · Harbor Weekly"
    assert page.locator(".title").inner_text() == HOSTILE
    assert page.locator(".cue").all_inner_texts() == [HOSTILE_LINE]
    assert page.locator(".chapter-title").all_inner_texts() == [HOSTILE_LINE]
    assert page.locator("img").count() == 1  # the artwork only
    page.context.close()
    assert console.errors == []  # an alert() would have been recorded as a dialog


def test_vtt_parser_reads_what_the_format_allows(opened: Page) -> None:
    vtt = (
        "\ufeffWEBVTT - a header\r\nKind: captions\r\n\r\n"
        "NOTE a comment --> with an arrow\r\n\r\n"
        "late\r\n00:00:05.000 --> 00:00:06.500 align:start\r\n<v Narrator>Fish &amp; chips</v>\r\n"
        "&lt;cheap&gt; &#x263A;\r\n\r\n"
        "00:01.000 --> 00:02.000\r\nFirst.\r\n\r\n"
        "01:00:00.000 --> 01:00:01.250\r\nAn hour in.\r\n\r\n"
        "00:03.000 --> 00:02.000\r\nEnds before it starts.\r\n\r\n"
        "0:03.000 --> 00:04.000\r\nBad minutes.\r\n"
    )
    cues = opened.evaluate("(text) => customElements.get('audiogen-player').parseVtt(text)", vtt)
    assert cues == [
        {"start": 1, "end": 2, "text": "First."},
        {"start": 5, "end": 6.5, "text": "Fish & chips <cheap> ☺"},
        {"start": 3600, "end": 3601.25, "text": "An hour in."},
    ]


# Sentences of the built episode read in the quotation voice, for the two-speaker transcript.
QUOTED = (2, 5)


@pytest.fixture(scope="module")
def voices(site: Site) -> FeedItem:
    """The same audio with a transcript in two voices, as ``render_vtt`` writes it."""
    item = replace(
        site.item,
        title="Two voices",
        vtt_file="episodes/voices.vtt",
        player_file="episodes/voices.html",
    )
    timings = tuple(
        Timing(s.text, s.start_ms, s.end_ms, QUOTE if n in QUOTED else NARRATOR)
        for n, s in enumerate(site.episode.sentences)
    )
    vtt = render_vtt(timings, site.episode.duration_ms)
    assert "<v Quote>" in vtt and "<v Narrator>" in vtt
    (site.folder / "episodes" / "voices.vtt").write_text(vtt, encoding="utf-8")
    player.write_player(site.folder, item, Show(title="Harbor Weekly", base_url=site.url))
    return item


CUE_STYLE = f"""(i) => {{
    const cue = {PLAYER}.shadowRoot.querySelectorAll('.cue')[i];
    const style = getComputedStyle(cue);
    const label = cue.querySelector('.voice-label');
    const box = label ? label.getBoundingClientRect() : null;
    return {{
        voice: cue.dataset.voice || null,
        apart: cue.classList.contains('other-voice'),
        italic: style.fontStyle === 'italic',
        color: style.color,
        label: label ? label.textContent : null,
        labelArea: box ? box.width * box.height : null,
        text: cue.textContent,
    }};
}}"""


def test_a_two_voice_transcript_sets_the_quotations_apart(
    browser: Browser, site: Site, voices: FeedItem
) -> None:
    page, console = open_page(browser, site.url + player.page_path(voices))
    texts = [s.text for s in site.episode.sentences]
    assert page.locator(".cue").count() == len(texts)
    styles = [page.evaluate(CUE_STYLE, n) for n in range(len(texts))]
    for n, style in enumerate(styles):
        quoted = n in QUOTED
        assert style["voice"] == ("Quote" if quoted else "Narrator"), n
        assert style["apart"] is quoted and style["italic"] is quoted, n
        # Screen readers hear who speaks; sighted readers see the style, not the label.
        assert style["label"] == ("Quote: " if quoted else None), n
        assert style["text"] == (f"Quote: {texts[n]}" if quoted else texts[n]), n
        if quoted:
            assert style["labelArea"] <= 1, n
    assert styles[2]["color"] != styles[1]["color"] == styles[3]["color"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "player-two-voices.png"), full_page=True)

    # Highlighting still follows the audio into a quotation, and wins over its colour.
    cue = site.cues[QUOTED[1]]
    page.evaluate(f"() => {{ {PLAYER}.audio.currentTime = {(cue.start + cue.end) / 2}; }}")
    page.wait_for_function(
        f"() => {PLAYER}.shadowRoot.querySelectorAll('.cue')[{QUOTED[1]}].classList.contains('is-current')"
    )
    # The colour eases over (a transition), so wait for it to arrive.
    page.wait_for_function(
        f"(i) => ({CUE_STYLE})(i).color !== {json.dumps(styles[QUOTED[1]]['color'])}", arg=QUOTED[1]
    )
    assert page.evaluate(CUE_STYLE, QUOTED[1])["italic"]
    page.context.close()
    assert console.errors == []


def test_vtt_parser_reads_voices_only_when_there_are_two(opened: Page) -> None:
    vtt = (
        "WEBVTT\n\n"
        "00:01.000 --> 00:02.000\n<v Narrator>He said,</v>\n\n"
        '00:02.000 --> 00:03.000\n<v.loud Quote &amp; co>"We stay,"\nall of us.</v>\n\n'
        "00:03.000 --> 00:04.000\nNo voice here.\n"
    )
    cues = opened.evaluate("(text) => customElements.get('audiogen-player').parseVtt(text)", vtt)
    assert cues == [
        {"start": 1, "end": 2, "text": "He said,", "voice": "Narrator"},
        {"start": 2, "end": 3, "text": '"We stay," all of us.', "voice": "Quote & co"},
        {"start": 3, "end": 4, "text": "No voice here."},
    ]
    one = vtt.replace("Quote &amp; co", "Narrator")
    cues = opened.evaluate("(text) => customElements.get('audiogen-player').parseVtt(text)", one)
    assert all("voice" not in cue for cue in cues)


# -- word timings ---------------------------------------------------------------------------

STAMP = re.compile(r"<(\d{2}):(\d{2}):(\d{2}\.\d{3})>")


@dataclass(frozen=True)
class Worded:
    """The sample built with an engine that gives word timings, served on its own."""

    url: str
    item: FeedItem
    episode: Episode
    vtt: str

    @property
    def page_url(self) -> str:
        return self.url + player.page_path(self.item)

    def stamps(self) -> list[list[float]]:
        """Each cue's timestamp tags in seconds, read from the VTT file with a regex."""
        blocks = [b for b in self.vtt.split("\n\n") if "-->" in b]
        return [
            [int(h) * 3600 + int(m) * 60 + float(s) for h, m, s in STAMP.findall(block)]
            for block in blocks
        ]


@pytest.fixture(scope="module")
def worded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worded]:
    folder = tmp_path_factory.mktemp("words") / "site"
    folder.mkdir()
    server, url = serve(folder)
    show = Show(title="Harbor Weekly", author="Harbor Weekly", base_url=url)
    options = pipeline.BuildOptions(output=folder, show=show)
    when = datetime.fromisoformat("2024-05-01T08:00:00+00:00")
    episode = build_one(str(SAMPLE), options, engine=WordToneEngine(), now=when)
    (item,) = load_manifest(folder)
    vtt = (folder / player.transcript_path(item)).read_text(encoding="utf-8")
    assert STAMP.search(vtt)
    try:
        yield Worded(url, item, episode, vtt)
    finally:
        server.shutdown()
        server.server_close()


# Chromium's own WebVTT parser: the episode's VTT as a <track>, each cue as the browser
# renders it (getCueAsHTML), its timestamps as "timestamp" processing instructions.
CHROMIUM_CUES = """async (src) => {
    const video = document.createElement('video');
    const track = document.createElement('track');
    track.kind = 'captions';
    track.src = src;
    video.append(track);
    document.body.append(video);
    track.track.mode = 'hidden';
    await new Promise((done, fail) => {
        track.addEventListener('load', done);
        track.addEventListener('error', () => fail(new Error('the track did not load')));
    });
    return Array.from(track.track.cues, (cue) => {
        const stamps = [];
        const voices = [];
        const walk = (node) => {
            if (node.nodeType === Node.PROCESSING_INSTRUCTION_NODE && node.target === 'timestamp') {
                stamps.push(node.data);
            }
            if (node.nodeType === Node.ELEMENT_NODE && node.title) voices.push(node.title);
            node.childNodes.forEach(walk);
        };
        const html = cue.getCueAsHTML();
        walk(html);
        return {start: cue.startTime, end: cue.endTime, text: html.textContent, stamps, voices};
    });
}"""


def test_chromium_reads_every_word_timestamp(browser: Browser, worded: Worded) -> None:
    page, console = open_page(browser, worded.page_url)
    cues = page.evaluate(CHROMIUM_CUES, worded.url + player.transcript_path(worded.item))
    sentences = worded.episode.sentences
    assert len(cues) == len(sentences)
    assert [" ".join(c["text"].split()) for c in cues] == [
        " ".join(s.text.split()) for s in sentences
    ]
    for cue, ours in zip(cues, worded.stamps(), strict=True):
        # Chromium writes the time back from a double, truncating: 64.201 may come back 64.200.
        assert [seconds(stamp) for stamp in cue["stamps"]] == pytest.approx(ours, abs=0.0011)
        assert all(cue["start"] < t < cue["end"] for t in ours)
    assert sum(len(c["stamps"]) for c in cues) > 50
    page.context.close()
    assert console.errors == []


def test_chromium_reads_timestamps_inside_voice_spans(
    browser: Browser, worded: Worded, tmp_path: Path
) -> None:
    timings = tuple(
        replace(s, speaker=QUOTE if n in QUOTED else NARRATOR)
        for n, s in enumerate(worded.episode.sentences)
    )
    vtt = render_vtt(timings, worded.episode.duration_ms)
    folder = tmp_path / "voices"
    folder.mkdir()
    (folder / "voices.vtt").write_text(vtt, encoding="utf-8")
    (folder / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    server, url = serve(folder)
    try:
        page = browser.new_context().new_page()
        page.goto(url + "index.html")
        cues = page.evaluate(CHROMIUM_CUES, url + "voices.vtt")
        page.context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert [c["voices"] for c in cues] == [
        ["Quote" if n in QUOTED else "Narrator"] for n in range(len(timings))
    ]
    assert all(c["stamps"] for c in cues[1:])


SAID = f"""() => {{
    const word = {PLAYER}.shadowRoot.querySelector('.word.is-said');
    return word ? {{
        text: word.textContent,
        index: Number(word.dataset.word),
        cue: word.closest('.cue').dataset.index,
        aria: word.getAttributeNames().filter((name) => name.startsWith('aria') || name === 'role'),
    }} : null;
}}"""


def test_the_player_highlights_the_word_being_said(browser: Browser, worded: Worded) -> None:
    page, console = open_page(browser, worded.page_url)
    cue_index = 3
    sentence = worded.episode.sentences[cue_index]
    stamps = worded.stamps()[cue_index]
    written = sentence.text.split()
    # The word whose tag is the third of the cue, seeked into the middle of its stretch.
    at = (stamps[2] + stamps[3]) / 2
    page.evaluate(f"() => {{ {PLAYER}.audio.currentTime = {at}; }}")
    page.wait_for_function(f"() => ({SAID})() !== null && ({SAID})().cue === '{cue_index}'")
    said = page.evaluate(SAID)
    line = next(b for b in worded.vtt.split("\n\n") if b.startswith(f"{cue_index + 1}\n"))
    third = STAMP.split(line.split("\n", 2)[2])[4 * 3].split()[0]  # the text after the third tag
    assert said["text"] == html.unescape(third) and said["aria"] == []
    # The sentence is still the one marked current, for everyone; the word is a look only.
    current = page.locator(".cue.is-current")
    assert current.get_attribute("aria-current") == "true"
    assert " ".join(current.inner_text().split()) == " ".join(written)
    assert (
        page.evaluate(
            f"() => getComputedStyle({PLAYER}.shadowRoot.querySelector('.word.is-said')).textDecorationLine"
        )
        == "underline"
    )

    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # the highlight's colour eases in
    page.screenshot(path=str(ARTIFACTS / "player-words.png"), full_page=True)

    # Clicking a word plays from that word.
    page.evaluate(RECORD_SEEKS)
    page.locator(f'.cue[data-index="{cue_index}"] .word[data-word="{said["index"] + 1}"]').click()
    page.wait_for_function("() => window.seeks.length > 0")
    assert page.evaluate("() => window.seeks[0]") == pytest.approx(stamps[3], abs=0.01)

    # While it plays the highlight moves on from word to word, not only every 250 ms.
    page.wait_for_function(f"() => (({SAID})() || {{index: -1}}).index > {said['index'] + 2}")
    page.context.close()
    assert console.errors == []


def test_word_timings_change_nothing_a_screen_reader_gets(
    browser: Browser, site: Site, worded: Worded
) -> None:
    snapshots = []
    for url in (site.page_url, worded.page_url):
        page, console = open_page(browser, url)
        snapshots.append(page.locator(".transcript").aria_snapshot())
        page.context.close()
        assert console.errors == []
    plain, timed = snapshots
    assert "paragraph" in plain and timed == plain
