"""Serve a built output folder over HTTP, to preview it in a podcast app or a browser.

Built on the standard library's ``http.server`` (its request parsing and threading
server), adding what podcast apps and audio elements need and ``SimpleHTTPRequestHandler``
lacks: byte ranges (players seek and resume downloads with them), podcast media types,
CORS (a player page on another origin can fetch audio, chapters and transcripts),
validators (ETag, Last-Modified, If-Range) so a file rebuilt mid-download is never
spliced, and a path check that keeps everything outside the folder unreachable.

Hidden names (``.audiogen/manifest.json`` with its local source paths, half-written
``.*.tmp`` files) are not served, and folders are never listed.
"""

from __future__ import annotations

import email.utils
import errno
import os
import re
import socket
import socketserver
import stat
import sys
from collections.abc import Callable
from datetime import UTC
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from audiogen.errors import BadInput

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Long enough for a phone on a slow network, short enough that a stalled or idle
# connection does not hold a thread for long.
DEFAULT_TIMEOUT = 30.0
INDEX = "index.html"

Log = Callable[[str], None]

# Longest suffix wins, so ``.chapters.json`` beats ``.json``. A fixed table rather than
# ``mimetypes``, whose answers depend on the machine's /etc/mime.types.
MEDIA_TYPES: dict[str, str] = {
    ".xml": "application/rss+xml",  # the only XML in a site is its feed
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".chapters.json": "application/json+chapters",  # Podcasting 2.0 JSON chapters
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
FALLBACK_TYPE = "application/octet-stream"

CORS_HEADERS: tuple[tuple[str, str], ...] = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges"),
)
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT_HEADERS = "Range, If-Range, If-None-Match, If-Modified-Since"

_RANGE = re.compile(r"([0-9]*)-([0-9]*)")
# Request lines are logged to a terminal: show control characters, never obey them.
_LOG_ESCAPES = str.maketrans({c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))})


class RangeNotSatisfiable(Exception):
    """The Range asks only for bytes past the end of the file (HTTP 416).

    An HTTP answer, not an audiogen failure: it never leaves this module.
    """


def media_type(name: str) -> str:
    """The Content-Type to send for a file name.

    >>> media_type("episode.chapters.json")
    'application/json+chapters'
    >>> media_type("data.JSON")
    'application/json'
    >>> media_type("feed.xml")
    'application/rss+xml'
    >>> media_type("README")
    'application/octet-stream'
    """
    lower = name.lower()
    matches = [suffix for suffix in MEDIA_TYPES if lower.endswith(suffix)]
    return MEDIA_TYPES[max(matches, key=len)] if matches else FALLBACK_TYPE


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The inclusive byte span ``(first, last)`` that a Range header asks of ``size`` bytes.

    None means "send the whole file": RFC 9110 lets a server ignore a Range with another
    unit, bad syntax, or several ranges (one range is all players use; multipart
    answers are not worth their complexity here). A last byte past the end is cut to
    the end; a suffix longer than the file means all of it. Raises RangeNotSatisfiable
    when the span starts at or past the end, or asks for an empty suffix; every range
    of an empty file is unsatisfiable.

    >>> parse_range("bytes=0-99", 1000), parse_range("bytes=900-", 1000)
    ((0, 99), (900, 999))
    >>> parse_range("bytes=-100", 1000), parse_range("bytes=500-5000", 1000)
    ((900, 999), (500, 999))
    >>> parse_range("bytes=-5000", 1000)
    (0, 999)
    >>> [parse_range(h, 1000) for h in ("items=0-1", "bytes=5-1", "bytes=0-1,4-5", "bytes=-")]
    [None, None, None, None]
    >>> for header in ("bytes=1000-", "bytes=-0"):
    ...     try:
    ...         parse_range(header, 1000)
    ...     except RangeNotSatisfiable as exc:
    ...         print(exc)
    bytes=1000- of 1000 bytes
    bytes=-0 of 1000 bytes
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    # [0-9] and not \d: int() would accept other scripts' digits, and "+1" or "1_0".
    match = _RANGE.fullmatch(spec.strip())
    if match is None or match.group(0) == "-":
        return None
    start, end = match.groups()
    if not start:
        suffix = int(end)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(f"{header} of {size} bytes")
        return max(size - suffix, 0), size - 1
    first = int(start)
    if end and int(end) < first:
        return None
    if first >= size:
        raise RangeNotSatisfiable(f"{header} of {size} bytes")
    return first, min(int(end), size - 1) if end else size - 1


def resolve_path(root: Path, target: str) -> Path | None:
    """The file or folder under ``root`` that a request target names, or None.

    ``root`` must already be resolved. The target's path is split on ``/`` before
    percent-decoding, so an encoded slash or dot (``..%2f``, ``%2e%2e``) can never
    make a separator or a parent step; any ``..``, hidden name, NUL or backslash is
    refused; and the result, with symlinks followed, must still lie inside ``root``.
    Query strings and fragments are ignored; absolute-form targets
    (``http://host/path``) are taken by their path.

    >>> root = Path("/srv/site")
    >>> resolve_path(root, "/../etc/passwd") is None
    True
    >>> resolve_path(root, "/episodes/..%2f..%2fetc/passwd") is None
    True
    >>> resolve_path(root, "/%2Fetc/passwd") is None
    True
    """
    path = urlsplit(target).path
    if not path.startswith("/"):
        return None
    segments = []
    for raw in path.split("/"):
        segment = _decode(raw)
        if segment is None:
            return None
        if segment in ("", "."):
            continue
        if segment.startswith(".") or any(c in segment for c in "/\\\x00"):
            return None
        segments.append(segment)
    try:
        found = root.joinpath(*segments).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, or a symlink loop
        return None
    return found if found.is_relative_to(root) else None


def _decode(raw: str) -> str | None:
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None


class SiteServer(ThreadingHTTPServer):
    """A threading HTTP server for one folder. Worker threads are daemons, so Ctrl-C stops at once."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        *,
        family: socket.AddressFamily,
        timeout: float,
        log: Log | None,
    ) -> None:
        self.address_family = family
        self.root = root
        self.request_timeout = timeout
        self.log = log
        super().__init__(address, SiteHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's full DNS name, which can stall for
        # seconds on a machine without a resolver; the name is never used here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: object, client_address: object) -> None:
        # The default prints a traceback to stderr; a client that hangs up mid-file
        # (a player seeking) is normal, anything else goes to the log.
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        if self.log is not None:
            self.log(f"error while serving {client_address}: {type(exc).__name__}: {exc}")


class SiteHandler(BaseHTTPRequestHandler):
    """GET, HEAD and OPTIONS on the files of ``server.root``; nothing else, nothing outside it."""

    server: SiteServer
    # Keep-alive, so a player's many range requests reuse one connection.
    protocol_version = "HTTP/1.1"
    server_version = "audiogen-serve"
    sys_version = ""  # no Python version in the Server header
    # The stdlib's default, HTTP/0.9, answers a request line it cannot parse with a
    # bare body and no status line; answer it with a proper 400 instead.
    default_request_version = "HTTP/1.0"
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s\n"

    def setup(self) -> None:
        super().setup()
        # A slow or silent client times out instead of holding its thread forever.
        self.connection.settimeout(self.server.request_timeout)

    def end_headers(self) -> None:
        for name, value in CORS_HEADERS:
            self.send_header(name, value)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log is not None:
            line = f"{self.address_string()} {format % args}"
            self.server.log(line.translate(_LOG_ESCAPES))

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", ALLOWED_METHODS)
        self.send_header("Access-Control-Allow-Methods", ALLOWED_METHODS)
        self.send_header("Access-Control-Allow-Headers", PREFLIGHT_HEADERS)
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, *, body: bool) -> None:
        found = resolve_path(self.server.root, self.path)
        if found is not None and found.is_dir():
            requested = urlsplit(self.path).path
            # Rebuilt from the checked segments, so a Location never starts with "//"
            # (which a browser would read as another host).
            folder = "/".join(s for s in requested.split("/") if s not in ("", "."))
            path = f"/{folder}/" if folder else "/"
            found = resolve_path(self.server.root, path + INDEX)
            if found is not None and not requested.endswith("/"):
                # Relative links in the index page need the trailing slash.
                self._redirect(path)
                return
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        try:
            handle = found.open("rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        with handle:
            # fstat of the open file: a rebuild renames a new file into place, and the
            # size, validators and bytes sent must all be those of one version.
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self._send_file(handle, found.name, info, body=body)

    def _send_file(self, handle: BinaryIO, name: str, info: os.stat_result, *, body: bool) -> None:
        size = info.st_size
        etag = f'"{info.st_mtime_ns:x}-{size:x}"'
        modified = int(info.st_mtime)
        if self._not_modified(etag, modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._validators(etag, modified)
            self.end_headers()
            return
        span: tuple[int, int] | None = None
        header = self.headers.get("Range")
        if header is not None and self._if_range_holds(etag, modified):
            try:
                span = parse_range(header, size)
            except RangeNotSatisfiable:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        first, last = span if span is not None else (0, size - 1)
        length = last - first + 1
        self.send_response(HTTPStatus.OK if span is None else HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", media_type(name))
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        if span is not None:
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self._validators(etag, modified)
        self.end_headers()
        if body and length > 0:
            self.connection.sendfile(handle, offset=first, count=length)

    def _validators(self, etag: str, modified: int) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
        # Revalidate every time: a preview must show the latest build (304s keep it cheap).
        self.send_header("Cache-Control", "no-cache")

    def _not_modified(self, etag: str, modified: int) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            # Weak comparison, as RFC 9110 asks for If-None-Match.
            tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
            return "*" in tags or etag in tags
        since = _http_date(self.headers.get("If-Modified-Since"))
        return since is not None and modified <= since

    def _if_range_holds(self, etag: str, modified: int) -> bool:
        """False when If-Range names another version: then the whole new file is sent."""
        condition = self.headers.get("If-Range")
        if condition is None:
            return True
        condition = condition.strip()
        if condition.startswith(('"', "W/")):
            return condition == etag  # strong comparison; a weak tag never matches
        return _http_date(condition) == modified

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _http_date(value: str | None) -> int | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.astimezone(UTC).timestamp())


def make_server(
    folder: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    log: Log | None = None,
) -> ThreadingHTTPServer:
    """A server for ``folder`` listening on ``host:port`` (port 0: any free port).

    Call ``serve_forever()`` on it (in a thread, for tests) and ``shutdown()`` then
    ``server_close()`` to stop. ``timeout`` bounds how long a connection may stay
    silent; ``log`` receives one line per request and per unexpected error.
    """
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise BadInput(
            f"{folder} {what}; build a site into it first: audiogen build ARTICLE -o {folder}"
        )
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BadInput(f"cannot listen on {host!r}: {exc.strerror}; pass an IP address") from exc
    family, _, _, _, address = infos[0]
    try:
        return SiteServer(
            (str(address[0]), int(address[1])),
            folder.resolve(),
            family=family,
            timeout=timeout,
            log=log,
        )
    except OSError as exc:
        hint = " (0 picks any free port)" if exc.errno == errno.EADDRINUSE else ""
        raise BadInput(
            f"cannot listen on {host} port {port}: {exc.strerror or exc}; "
            f"pick another with --port{hint}"
        ) from exc


def server_url(server: ThreadingHTTPServer) -> str:
    """The address to open in a browser for a running server, e.g. ``http://127.0.0.1:8000/``."""
    host, port = server.server_address[:2]
    return url_for(str(host), int(port))


def url_for(host: str, port: int) -> str:
    """The URL of a server bound to ``host``; a wildcard bind shows the loopback address.

    >>> url_for("127.0.0.1", 8000), url_for("0.0.0.0", 80)
    ('http://127.0.0.1:8000/', 'http://127.0.0.1:80/')
    >>> url_for("::", 8000), url_for("fe80::1", 8000)
    ('http://[::1]:8000/', 'http://[fe80::1]:8000/')
    """
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


__all__ = [
    "MEDIA_TYPES",
    "SiteHandler",
    "SiteServer",
    "make_server",
    "media_type",
    "parse_range",
    "resolve_path",
    "server_url",
    "url_for",
]
