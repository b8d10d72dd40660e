"""The small immutable records that flow between pipeline stages.

read -> ``Document`` -> clean -> ``Draft`` (of ``Block``) -> split, normalize ->
``Article`` (of ``Section`` of ``Sentence``) -> script -> ``Utterance`` -> synthesize ->
``Take`` -> render -> ``Rendered`` -> tag, publish -> ``FeedItem`` and ``Episode``.
Where an episode goes is a ``Placement`` with its ``EpisodeFiles``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

NARRATOR = "narrator"
QUOTE = "quote"


@dataclass(frozen=True)
class Channel:
    """What a source feed says of itself: the show's defaults when the user sets none."""

    title: str | None = None
    description: str | None = None
    link: str | None = None
    image: str | None = None  # absolute URL of the feed's image
    language: str | None = None


@dataclass(frozen=True)
class Document:
    """One article as a source read it: its raw text, its format and what is known of it.

    A file, a page or entry 37 of a feed all arrive as a ``Document``; the
    stages after reading never know which. ``key`` is the article's identity
    across builds (a feed entry's guid); without one the pipeline uses the URL,
    else the title.
    """

    text: str
    format: str  # "markdown", "text" or "html"
    source: str  # the path, URL or "-" the user named (for a feed: the feed)
    encoding: str = "utf-8"
    url: str | None = None  # where the article lives, after redirects
    key: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    categories: tuple[str, ...] = ()
    image: str | None = None  # absolute URL of the article's own image
    # True when ``text`` is an article body alone (a feed entry's content), not a
    # whole page whose main text must first be found among navigation and ads.
    fragment: bool = False
    channel: Channel | None = None

    @property
    def digest(self) -> str:
        """A hash of everything read: equal digests mean the same article, word for word.

        >>> Document("Hi.", "text", "a.txt").digest == Document("Hi.", "text", "a.txt").digest
        True
        >>> Document("Hi.", "text", "a.txt").digest == Document("Hi!", "text", "a.txt").digest
        False
        """
        fields = [
            self.text, self.format, self.url, self.key, self.title, self.author,
            self.published.isoformat() if self.published else None, self.language,
            list(self.categories), self.image, self.fragment,
        ]  # fmt: skip
        encoded = json.dumps(fields, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class Unreadable:
    """A source's article that could not be read (its page failed): reported, then skipped."""

    source: str
    title: str
    reason: str


@dataclass(frozen=True)
class Block:
    """A heading (``level`` 1-6) or a paragraph (``level`` 0) of plain text.

    ``list_item`` marks a paragraph that was an item of a list in the source;
    ``links_only`` one whose every word was the text of a link (navigation or
    a "related" entry, never prose).
    """

    text: str
    level: int = 0
    list_item: bool = False
    links_only: bool = False

    @property
    def is_heading(self) -> bool:
        return self.level > 0


@dataclass(frozen=True)
class Draft:
    """An article after cleaning: its blocks of plain text and what is known of it."""

    document: Document
    blocks: tuple[Block, ...]
    title: str  # from the page's metadata, else the file name; the first heading may replace it
    language: str | None  # as declared or detected; None when nothing could tell
    author: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class Sentence:
    """One sentence, or one speaker's part of one: as written and as said.

    ``written`` is the article's own words, for transcripts and tags; ``spoken``
    is what the engine is given (the same words until normalization spells out
    numbers and symbols). ``runs_on`` marks a part the next one continues (a
    quotation and its attribution), joined with a breath, not a sentence's pause.
    """

    written: str
    spoken: str
    speaker: str = NARRATOR
    runs_on: bool = False

    @classmethod
    def of(cls, text: str) -> Sentence:
        """A sentence not yet normalized: said as written."""
        return cls(text, text)


@dataclass(frozen=True)
class Section:
    """One chapter of the episode: a heading and the paragraphs of sentences under it."""

    index: int
    title: str
    paragraphs: tuple[tuple[Sentence, ...], ...]
    spoken_title: str = ""  # the heading as said; empty: as written

    @classmethod
    def of(cls, index: int, title: str, paragraphs: tuple[tuple[str, ...], ...]) -> Section:
        """A section of sentences given as text, not yet normalized.

        >>> Section.of(0, "Intro", (("One.", "Two."),)).text
        'One. Two.'
        """
        return cls(index, title, tuple(tuple(map(Sentence.of, p)) for p in paragraphs))

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for paragraph in self.paragraphs for s in paragraph)

    @property
    def text(self) -> str:
        """What is said, a line per paragraph."""
        return "\n\n".join(" ".join(s.spoken for s in p) for p in self.paragraphs)

    @property
    def written_text(self) -> str:
        return "\n\n".join(" ".join(s.written for s in p) for p in self.paragraphs)


@dataclass(frozen=True)
class Article:
    """A cleaned article ready to be spoken."""

    title: str
    sections: tuple[Section, ...]
    language: str = "en"
    author: str | None = None
    published: datetime | None = None
    source: str = ""
    url: str | None = None
    spoken_title: str = ""
    key: str = ""  # identity across builds: the source's key, else the URL, else the title
    digest: str = ""  # the document's digest: an unchanged article is not built again
    categories: tuple[str, ...] = ()
    image: str | None = None

    def summary(self, limit: int = 400) -> str:
        """The first sentences of the article as written, up to about ``limit`` characters."""
        text = ""
        for sentence in (s.written for section in self.sections for s in section.sentences):
            if text and len(text) + len(sentence) > limit:
                break
            text = f"{text} {sentence}".strip()
        return text

    @property
    def spoken_text(self) -> str:
        parts = [self.title]
        for section in self.sections:
            if section.index > 0 or section.title != self.title:
                parts.append(section.title)
            parts.append(section.text)
        return "\n\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Word:
    """Where one spoken word is in the audio that says it: from sample ``start`` up to
    ``end`` (exclusive), at that audio's rate. ``text`` is the word as the engine was given it."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit little-endian PCM.

    ``words`` are the spoken words' places in it, in order, when the engine could tell
    them (Kokoro's and hibari's durations do); empty when it could not: never a guess.
    """

    pcm: bytes
    sample_rate: int
    words: tuple[Word, ...] = ()

    @property
    def samples(self) -> int:
        return len(self.pcm) // 2

    @property
    def duration_ms(self) -> float:
        return 1000.0 * self.samples / self.sample_rate


@dataclass(frozen=True)
class WordTiming:
    """Where a spoken word sits in the finished audio, in milliseconds."""

    text: str  # as spoken, which may differ from the written words ("five dollars" for "$5")
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Timing:
    """Where a piece of text sits in the finished audio, in milliseconds."""

    text: str
    start_ms: int
    end_ms: int
    speaker: str = NARRATOR  # who says it: NARRATOR, or QUOTE for quoted speech
    # Its spoken words' places, when the engine gave them; empty: unknown.
    words: tuple[WordTiming, ...] = ()


@dataclass(frozen=True)
class Chapter:
    """A section's place in the finished audio."""

    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Episode:
    """A finished, tagged MP3 in the output folder."""

    article: Article
    slug: str
    guid: str
    path: str  # relative to the output folder, with forward slashes
    duration_ms: int
    size_bytes: int
    chapters: tuple[Chapter, ...]
    sentences: tuple[Timing, ...] = field(default=())
    engine: str = ""
    voice: str = ""


@dataclass(frozen=True)
class Utterance:
    """One piece of speech in episode order: the title, a heading, or a sentence."""

    text: str  # what the engine says
    section: int
    kind: str  # "intro", "title", "heading", "sentence" or "outro"
    ends_paragraph: bool = False
    ends_section: bool = False
    display: str = ""  # the words as written, for transcripts; empty: same as text
    speaker: str = NARRATOR  # NARRATOR, or QUOTE: said in the quotation voice
    # The next utterance goes on with this sentence (a quotation and its attribution):
    # join them with a breath, not a sentence's pause.
    runs_on: bool = False

    @property
    def written(self) -> str:
        return self.display or self.text


@dataclass(frozen=True)
class Take:
    """A line of the script with its audio: in the speech cache under ``key``, ``samples`` long."""

    line: Utterance
    key: str
    sample_rate: int
    samples: int
    words: tuple[Word, ...] = ()  # the engine's word timings, in samples; empty: none


@dataclass(frozen=True)
class Mastering:
    """The gain and limiter ceiling an episode was rendered with, and how far its
    measured loudness landed from the forecast (the next forecast's correction)."""

    gain_db: float
    limit_db: float
    miss: float = 0.0


@dataclass(frozen=True)
class Rendered:
    """What rendering made of an episode, besides its files: where everything is, how loud."""

    chapters: tuple[Chapter, ...]
    sentences: tuple[Timing, ...]
    duration_ms: int
    loudness_lufs: float
    true_peak_dbtp: float
    mastering: Mastering | None = None


@dataclass(frozen=True)
class EpisodeFiles:
    """Where an episode's files live, relative to the output folder (always forward slashes)."""

    audio: str
    chapters: str
    vtt: str
    transcript: str
    player: str
    record: str  # what its audio was rendered from, to keep it when nothing changed
    sections: tuple[str, ...] = ()  # one MP3 per chapter, with --split

    @property
    def mp3s(self) -> tuple[str, ...]:
        return (self.audio, *self.sections)


@dataclass(frozen=True)
class Placement:
    """Where and as what an article is published, decided before a word of it is spoken.

    A rebuilt article keeps its slug, guid and date; a new one gets a slug no
    other episode has.
    """

    key: str
    slug: str
    guid: str
    published: str  # ISO 8601 with time zone
    files: EpisodeFiles


@dataclass(frozen=True)
class Show:
    """The podcast the episodes belong to (the feed's channel)."""

    title: str = "audiogen narrations"
    description: str = "Articles narrated by audiogen."
    author: str = "audiogen"
    owner_email: str | None = None
    language: str = "en"
    category: str = "News"
    subcategory: str | None = None
    explicit: bool = False
    base_url: str = "http://127.0.0.1:8000/"
    copyright: str | None = None
    type: str = "episodic"  # or "serial"
    cover: str = "cover.jpg"  # relative to the output folder
    link: str | None = None  # the show's website (a source feed's link); None: the podcast site


@dataclass(frozen=True)
class EpisodeSettings:
    """How each episode is framed: its type, spoken intro/outro templates and music beds."""

    type: str = "full"  # full, trailer or bonus
    intro: str | None = None  # e.g. "{show}. {title}, by {author}."
    outro: str | None = None
    intro_music: Path | None = None
    outro_music: Path | None = None


@dataclass(frozen=True)
class FeedItem:
    """One episode as the feed and the site know it (stored in the manifest)."""

    key: str  # what identifies the article across rebuilds (its URL, else its title)
    guid: str
    slug: str
    title: str
    description: str
    author: str
    language: str
    published: str  # ISO 8601 with time zone
    audio: str  # path of the MP3, relative to the output folder
    size_bytes: int
    duration_ms: int
    chapters: tuple[Chapter, ...]
    source: str = ""
    url: str | None = None
    episode_type: str = "full"
    # Companion files, relative to the output folder.
    chapters_file: str | None = None
    vtt_file: str | None = None
    transcript_file: str | None = None
    player_file: str | None = None
    section_files: tuple[str, ...] = ()
    # What the episode was made from: the document's digest and the build settings'.
    # Both equal on a rebuild (and the files intact): the article is not built again.
    document_digest: str = ""
    recipe_digest: str = ""
    categories: tuple[str, ...] = ()
    image: str | None = None


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the episodes it made, those it kept as they were, the articles it could not read."""

    episodes: tuple[Episode, ...]
    unchanged: tuple[FeedItem, ...]
    failures: tuple[Unreadable, ...]
