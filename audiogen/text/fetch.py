"""Download an article page from an http:// or https:// address.

Built on the standard library's ``urllib.request`` rather than requests: it
needs no extra dependency or type stubs, and its redirect handler is the one
place where every hop can be checked (the scheme of each target, the number of
hops). No proxy is taken from the environment: the library reads no
environment variables.

Every failure a user can meet (a wrong address, a dead or slow server, a page
too large or not a page at all) raises ``BadInput`` with one line saying what
happened and what to do.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import IO

from audiogen import __version__
from audiogen.errors import BadInput

USER_AGENT = f"audiogen/{__version__} (turns articles into podcast episodes)"
ACCEPT = "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8,*/*;q=0.1"
SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
# Content types taken as an article: web pages, and plain text or Markdown.
ARTICLE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown"}
)
CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class FetchedPage:
    """What a server sent: the body as bytes, and how to read it.

    ``content_type`` is the media type alone (``"text/html"``), lower-case, or
    ``""`` when the server did not say; ``charset`` is the declared encoding,
    if any. ``final_url`` is the address after redirects.
    """

    body: bytes
    content_type: str
    charset: str | None
    final_url: str


def fetch_url(url: str, *, timeout: float = 15.0, max_bytes: int = 10_000_000) -> FetchedPage:
    """Download ``url`` and return its body, if it is an article.

    ``timeout`` (seconds) bounds connecting, each wait for data, and the whole
    download. Redirects are followed up to ``MAX_REDIRECTS`` times, and only to
    http:// and https:// addresses. Raises ``BadInput`` for any other scheme,
    an unreachable or slow server, an error status (404, 500...), a body larger
    than ``max_bytes``, or a content type that is not a page or text (an
    image, a PDF, a zip file).
    """
    check_scheme(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT})
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),  # no proxies read from the environment
        _CheckedRedirects(),
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            headers: Message = response.headers
            final_url: str = response.geturl()
            content_type = _content_type(headers)
            if content_type and content_type not in ARTICLE_TYPES:
                raise BadInput(
                    f"{final_url} is {content_type}, not a web page or text: "
                    "give the address of an article page"
                )
            _check_declared_length(headers, final_url, max_bytes)
            body = _read_capped(response, final_url, max_bytes, deadline, timeout)
    except BadInput:
        raise
    except urllib.error.HTTPError as exc:
        raise _status_error(url, exc) from None
    except urllib.error.URLError as exc:
        raise _network_error(url, exc.reason, timeout) from None
    except (OSError, http.client.HTTPException) as exc:
        raise _network_error(url, exc, timeout) from None
    return FetchedPage(
        body=body,
        content_type=content_type,
        charset=headers.get_content_charset() if content_type else None,
        final_url=final_url,
    )


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
    """Read the body in chunks; stop as soon as it passes ``max_bytes`` or the deadline."""
    chunks: list[bytes] = []
    size = 0
    while True:
        # read1 returns what has arrived; read would wait for a whole chunk.
        chunk = response.read1(CHUNK_SIZE)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise BadInput(_too_large(url, max_bytes))
        if time.monotonic() > deadline:
            raise BadInput(f"cannot fetch {url}: the download took longer than {timeout:g} s")
        chunks.append(chunk)


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
