"""Read an article from a file or stdin and decode it, whatever its encoding."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from charset_normalizer import from_bytes

from audiogen.errors import BadInput, NothingToSpeak
from audiogen.models import Document

if TYPE_CHECKING:
    from audiogen.text.fetch import FetchedPage

SUFFIX_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}

# Text has almost no control characters; decoded noise is full of them.
MAX_CONTROL_SHARE = 0.01
WESTERN = frozenset({"cp1252", "latin_1", "iso8859_15"})
WESTERN_CHAOS_MARGIN = 0.1
DECLARED_CHARSET = re.compile(
    rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_:.-]+)""", re.IGNORECASE
)

# Signatures of common binary formats people pass by mistake.
BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"%PDF",
    b"ID3",
    b"\x1f\x8b",
    b"RIFF",
    b"OggS",
    b"fLaC",
)


def is_url(source: str) -> bool:
    """True for sources that name a web address rather than a file.

    >>> [is_url(s) for s in ("https://example.com/a", "HTTP://x.org", "article.md", "ftp://x")]
    [True, True, False, False]
    """
    return source.lower().startswith(("http://", "https://"))


def read_url(url: str, *, timeout: float = 15.0, max_bytes: int = 10_000_000) -> Document:
    """Fetch an article page (http or https only) and decode it as the server says."""
    from audiogen.text.fetch import fetch_url

    return document_from_page(fetch_url(url, timeout=timeout, max_bytes=max_bytes))


def document_from_page(page: FetchedPage) -> Document:
    """A fetched page as a ``Document``, decoded and in the format its server declared."""
    text, encoding = decode_bytes(page.body, page.final_url, declared=page.charset)
    if page.content_type in ("text/plain", "text/markdown", "text/x-markdown"):
        fmt = "markdown" if "markdown" in page.content_type else "text"
    else:
        fmt = "html" if page.content_type else sniff_format(text)
    return Document(
        text=text, format=fmt, source=page.final_url, encoding=encoding, url=page.final_url
    )


def read_document(source: str, *, stdin: bytes | None = None) -> Document:
    """Read ``source`` (a path, or ``-`` for standard input) into a ``Document``."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source) and not is_url(source):
        raise BadInput(f"cannot read {source}: only http:// and https:// addresses are supported")
    if source == "-":
        data = stdin if stdin is not None else sys.stdin.buffer.read()
        text, encoding = decode_bytes(data, "standard input")
        return Document(text=text, format=sniff_format(text), source="-", encoding=encoding)
    path = Path(source)
    if not path.exists():
        raise BadInput(f"no such file: {source}")
    if path.is_dir():
        raise BadInput(f"{source} is a folder, not an article file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {source}: {exc.strerror}") from exc
    text, encoding = decode_bytes(data, source)
    fmt = SUFFIX_FORMATS.get(path.suffix.lower()) or sniff_format(text)
    return Document(text=text, format=fmt, source=str(path), encoding=encoding)


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Decode article bytes, refusing what is not text.

    >>> decode_bytes("café".encode("utf-8"), "x")
    ('café', 'utf-8')
    >>> decode_bytes("café".encode("latin-1"), "x")[0]
    'café'
    """
    text, encoding = _decode(data, name, declared)
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r\f\v")
    if controls > MAX_CONTROL_SHARE * len(text):
        raise BadInput(f"{name} is not text: it cannot be decoded as any text encoding")
    return text, encoding


def _decode(data: bytes, name: str, declared: str | None) -> tuple[str, str]:
    """UTF-8 first (strict), then a declared charset, then the detected encoding."""
    if not data.strip():
        raise NothingToSpeak(f"{name} is empty: nothing to speak")
    if data.startswith(BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise BadInput(f"{name} is a binary file, not a text article (.txt, .md or .html)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared or declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass
    matches = list(from_bytes(data))
    if not matches:
        raise BadInput(f"cannot decode {name}: not UTF-8 and no text encoding fits")
    # Detectors guess between near-identical 8-bit Latin code pages on short
    # texts; when Windows-1252 (the web's "Latin-1") is as plausible as the
    # best guess, it is by far the likelier one.
    best_chaos = matches[0].chaos
    for match in matches:
        if match.chaos <= best_chaos + WESTERN_CHAOS_MARGIN and WESTERN.intersection(
            match.could_be_from_charset
        ):
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                return data.decode("latin-1"), "latin-1"
    return str(matches[0]), matches[0].encoding


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first bytes, if any.

    >>> declared_charset(b'<meta charset="ISO-8859-1"><p>x</p>')
    'iso-8859-1'
    >>> declared_charset(b"plain text") is None
    True
    """
    match = DECLARED_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def sniff_format(text: str) -> str:
    """Guess the format of text whose name says nothing (stdin, unknown suffix).

    >>> sniff_format("<!doctype html><html><body><p>Hi</p></body></html>")
    'html'
    >>> sniff_format("# Title\\n\\nBody.")
    'markdown'
    >>> sniff_format("Just words.")
    'text'
    """
    head = text.lstrip()[:1000].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head:
        return "html"
    if any(line.startswith("#") for line in text.splitlines()[:200]):
        return "markdown"
    return "text"
