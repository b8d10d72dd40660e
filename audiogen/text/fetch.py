"""Download an article page or a feed from an http:// or https:// address, politely.

Built on the standard library's ``urllib.request`` rather than requests: it
needs no extra dependency or type stubs, and its redirect handler is the one
place where every hop can be checked (the scheme of each target, the number of
hops). No proxy is taken from the environment: the library reads no
environment variables.

``fetch_url`` makes one request. ``Fetcher`` is what a build uses: it waits
between requests to the same host, sends conditional requests (ETag and
Last-Modified) and, given an ``HttpCache``, answers a "304 Not Modified" with
the body it kept from last time, so an unchanged feed or page costs one small
request and no download.

Every failure a user can meet (a wrong address, a dead or slow server, a page
too large or not a page at all) raises ``BadInput`` with one line saying what
happened and what to do.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import os
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.message import Message
from pathlib import Path
from typing import IO, Any

from audiogen import __version__
from audiogen.errors import BadInput

USER_AGENT = f"audiogen/{__version__} (turns articles into podcast episodes)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/rdf+xml;q=0.9,application/xml;q=0.9,text/xml;q=0.9,"
    "text/markdown;q=0.9,text/plain;q=0.8,*/*;q=0.1"
)
SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
# Content types taken as an article: web pages, and plain text or Markdown.
ARTICLE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown"}
)
# Feeds: sources recognise them by their content, so every XML type is let through.
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
CHUNK_SIZE = 64 * 1024
GZIP = ("gzip", "x-gzip")
DEFAULT_DELAY = 1.0  # seconds between two requests to the same host


@dataclass(frozen=True)
class Validators:
    """What a server said identifies the version it sent: sent back to ask "changed since?"."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The request headers of a conditional GET.

        >>> Validators('"v2"', "Tue, 01 Dec 2026 10:00:00 GMT").headers()
        {'If-None-Match': '"v2"', 'If-Modified-Since': 'Tue, 01 Dec 2026 10:00:00 GMT'}
        >>> Validators().headers()
        {}
        """
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass(frozen=True)
class FetchedPage:
    """What a server sent: the body as bytes, and how to read it.

    ``content_type`` is the media type alone (``"text/html"``), lower-case, or
    ``""`` when the server did not say; ``charset`` is the declared encoding,
    if any. ``final_url`` is the address after redirects. ``validators`` are
    the server's ETag and Last-Modified for this version. ``not_modified`` is
    True when the server answered 304 to a conditional request: ``body`` is
    then the copy kept from the last fetch, or empty when none was kept.
    """

    body: bytes
    content_type: str
    charset: str | None
    final_url: str
    validators: Validators = field(default_factory=Validators)
    not_modified: bool = False


Fetched = FetchedPage


def fetch_url(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = 10_000_000,
    validators: Validators | None = None,
) -> FetchedPage:
    """Download ``url`` and return its body, if it is an article or a feed.

    ``timeout`` (seconds) bounds connecting, each wait for data, and the whole
    download. Redirects are followed up to ``MAX_REDIRECTS`` times, and only to
    http:// and https:// addresses. With ``validators`` the request is
    conditional: a "304 Not Modified" answer comes back as an empty page with
    ``not_modified`` set. Raises ``BadInput`` for any other scheme, an
    unreachable or slow server, an error status (404, 500...), a body larger
    than ``max_bytes``, or a content type that is not a page, text or XML
    (an image, a PDF, a zip file).
    """
    check_scheme(url)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
    headers.update(validators.headers() if validators else {})
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),  # no proxies read from the environment
        _CheckedRedirects(),
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            received: Message = response.headers
            final_url: str = response.geturl()
            content_type = _content_type(received)
            if content_type and content_type not in ARTICLE_TYPES | FEED_TYPES:
                raise BadInput(
                    f"{final_url} is {content_type}, not a web page, text or feed: "
                    "give the address of an article page or a feed"
                )
            _check_declared_length(received, final_url, max_bytes)
            body = _read_capped(response, final_url, max_bytes, deadline, timeout)
    except BadInput:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and validators:
            exc.close()
            return _not_modified(exc.geturl() or url, validators)
        raise _status_error(url, exc) from None
    except urllib.error.URLError as exc:
        raise _network_error(url, exc.reason, timeout) from None
    except (OSError, http.client.HTTPException) as exc:
        raise _network_error(url, exc, timeout) from None
    return FetchedPage(
        body=body,
        content_type=content_type,
        charset=received.get_content_charset() if content_type else None,
        final_url=final_url,
        validators=Validators(received.get("ETag"), received.get("Last-Modified")),
    )


def _not_modified(url: str, validators: Validators) -> FetchedPage:
    return FetchedPage(b"", "", None, url, validators=validators, not_modified=True)


class HttpCache:
    """The last body and validators of every address fetched, kept in a folder between builds.

    One gzip file per address, named by its hash, written to a temporary name
    and renamed into place, so two builds sharing the folder never see half a
    file. Only answers that carry validators are kept: nothing else can be
    asked "changed since?".
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + ".json.gz")

    def get(self, url: str) -> FetchedPage | None:
        try:
            record = json.loads(gzip.decompress(self._path(url).read_bytes()))
            return FetchedPage(
                body=record["body"].encode("latin-1"),
                content_type=record["content_type"],
                charset=record["charset"],
                final_url=record["final_url"],
                validators=Validators(record["etag"], record["last_modified"]),
            )
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            return None  # missing or damaged: fetch it afresh

    def put(self, url: str, page: FetchedPage) -> None:
        record = {
            "body": page.body.decode("latin-1"),  # bytes as they came, one char a byte
            "content_type": page.content_type,
            "charset": page.charset,
            "final_url": page.final_url,
            "etag": page.validators.etag,
            "last_modified": page.validators.last_modified,
        }
        data = gzip.compress(json.dumps(record).encode("utf-8"), compresslevel=5)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, self._path(url))
        except OSError:
            pass  # a cache that cannot be written only costs a download next time


class Fetcher:
    """How a build fetches: politely, and remembering what it fetched.

    Calls to the same host are at least ``delay`` seconds apart (counted from
    the end of one response to the start of the next request); ``clock`` and
    ``sleep`` are injectable so tests need not wait. With a ``cache``, each
    request is conditional on the validators kept from the last fetch of the
    address, and a 304 answer returns the kept body (``not_modified`` set).
    Validators passed in explicitly win over the cache's. ``kept_ok`` says the
    caller knows nothing changed: a kept copy is returned without any request.
    """

    def __init__(
        self,
        *,
        timeout: float = 15.0,
        max_bytes: int = 10_000_000,
        delay: float = DEFAULT_DELAY,
        cache: HttpCache | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.delay = delay
        self.cache = cache
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}  # host -> when its last response ended
        self.requests = 0  # how many requests went out (tests and benchmarks count them)

    def __call__(
        self, url: str, *, validators: Validators | None = None, kept_ok: bool = False
    ) -> FetchedPage:
        kept = self.cache.get(url) if self.cache is not None else None
        if kept_ok and kept is not None:
            return replace(kept, not_modified=True)
        if validators is None and kept is not None:
            validators = kept.validators
        host = _host(url)
        self._wait_for(host)
        try:
            self.requests += 1
            page = fetch_url(
                url, timeout=self.timeout, max_bytes=self.max_bytes, validators=validators
            )
        finally:
            self._last[host] = self._clock()
        if page.not_modified:
            if kept is not None and kept.validators == validators:
                return replace(kept, not_modified=True)
            return page
        if self.cache is not None and page.validators:
            self.cache.put(url, page)
        return page

    def _wait_for(self, host: str) -> None:
        last = self._last.get(host)
        if last is None or self.delay <= 0:
            return
        left = last + self.delay - self._clock()
        if left > 0:
            self._sleep(left)


def _host(url: str) -> str:
    """The host (and port) requests are spaced out for.

    >>> _host("https://Example.org:8443/feed/"), _host("http://example.org/a")
    ('example.org:8443', 'example.org')
    """
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def check_scheme(url: str) -> None:
    """Raise ``BadInput`` unless ``url`` is an http:// or https:// address with a host.

    >>> check_scheme("https://example.org/a")
    >>> check_scheme("ftp://example.org/a")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    audiogen.errors.BadInput: cannot fetch ftp://example.org/a: only http:// and https://...
    """
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise BadInput(f"cannot fetch {url}: not a valid address") from None
    if parts.scheme.lower() not in SCHEMES:
        raise BadInput(f"cannot fetch {url}: only http:// and https:// addresses are supported")
    if not host:
        raise BadInput(f"cannot fetch {url}: the address has no host name")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most ``MAX_REDIRECTS`` hops, and only to http(s) addresses."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
    ) -> IO[bytes] | None:
        # Checked here, before urllib's own check, which refuses file:// but
        # would follow ftp:// and reports a refusal as a bare HTTP error.
        location = headers.get("Location") or headers.get("URI")
        if location:
            target = urllib.parse.urljoin(req.full_url, location)
            if urllib.parse.urlsplit(target).scheme.lower() not in SCHEMES:
                fp.close()
                raise BadInput(
                    f"{req.full_url} redirects to {target}: "
                    "only http:// and https:// addresses are followed"
                )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _content_type(headers: Message) -> str:
    # Message.get_content_type() says "text/plain" when the header is missing;
    # "the server did not say" is kept apart so the caller can sniff the body.
    if headers.get("Content-Type") is None:
        return ""
    return headers.get_content_type().lower()


def _check_declared_length(headers: Message, url: str, max_bytes: int) -> None:
    length = headers.get("Content-Length")
    if length is not None and length.strip().isdigit() and int(length) > max_bytes:
        raise BadInput(_too_large(url, max_bytes))


def _read_capped(
    response: http.client.HTTPResponse, url: str, max_bytes: int, deadline: float, timeout: float
) -> bytes:
    """Read the body in chunks; stop as soon as it passes ``max_bytes`` or the deadline.

    A gzip-compressed body is unpacked as it arrives, and ``max_bytes`` bounds
    what it unpacks to as well, so a small "zip bomb" is refused like a big body.
    """
    gzipped = (response.headers.get("Content-Encoding") or "").strip().lower() in GZIP
    unpack = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    chunks: list[bytes] = []
    size = received = 0
    while True:
        # read1 returns what has arrived; read would wait for a whole chunk.
        chunk = response.read1(CHUNK_SIZE)
        if not chunk:
            return b"".join(chunks)
        received += len(chunk)
        if unpack is not None:
            chunk = _unpack(unpack, chunk, max_bytes - size, url)
        size += len(chunk)
        if size > max_bytes or received > max_bytes:
            raise BadInput(_too_large(url, max_bytes))
        if time.monotonic() > deadline:
            raise BadInput(f"cannot fetch {url}: the download took longer than {timeout:g} s")
        chunks.append(chunk)


def _unpack(unpack: Any, chunk: bytes, room: int, url: str) -> bytes:
    """Unpack a chunk of gzip, at most ``room + 1`` bytes (one more says "too large")."""
    try:
        out: bytes = unpack.decompress(chunk, room + 1)
    except zlib.error:
        raise BadInput(f"cannot fetch {url}: the server sent a damaged compressed body") from None
    return out


def _too_large(url: str, max_bytes: int) -> str:
    return (
        f"{url} is larger than {max_bytes:,} bytes: that is not an article page; "
        "save the article and pass the file instead"
    )


def _status_error(url: str, exc: urllib.error.HTTPError) -> BadInput:
    exc.close()
    if 300 <= exc.code < 400 and "loop" in str(exc.msg):
        return BadInput(
            f"cannot fetch {url}: more than {MAX_REDIRECTS} redirects (a redirect loop?)"
        )
    hint = "check the address" if exc.code < 500 else "the site has a problem; try again later"
    reason = exc.reason if isinstance(exc.reason, str) else ""
    answer = f"{exc.code} {reason}".strip()
    return BadInput(f"cannot fetch {url}: the server answered {answer}; {hint}")


def _network_error(url: str, reason: object, timeout: float) -> BadInput:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        what = f"no answer within {timeout:g} s"
    elif isinstance(reason, ConnectionRefusedError):
        what = "connection refused (is the address right, and the server up?)"
    elif isinstance(reason, socket.gaierror):
        what = "host name not found (check the address and your connection)"
    elif isinstance(reason, ssl.SSLError):
        what = f"secure connection failed ({getattr(reason, 'reason', None) or reason})"
    elif isinstance(reason, http.client.InvalidURL):
        what = "not a valid address"
    elif isinstance(reason, (ConnectionResetError, http.client.HTTPException)):
        what = "the server closed the connection without a proper answer"
    else:
        what = str(reason) or type(reason).__name__
    return BadInput(f"cannot fetch {url}: {what}")
