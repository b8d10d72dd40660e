"""A blog host on 127.0.0.1 serving the feeds and pages of ``tests/feeds`` (written for these tests).

``@SERVER@`` in a fixture becomes the server's own address and ``@SECRET@`` the
path of the secret file an XXE feed tries to read. Every answer carries an ETag
(and Last-Modified) and a matching conditional request gets 304, as a well-kept
blog host does. ``hits`` counts requests by path (304s counted apart in
``not_modified``), and ``replace`` swaps the body of a route for the test's own.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = Path(__file__).resolve().parent / "feeds"
LAST_MODIFIED = "Mon, 30 Nov 2026 12:00:00 GMT"
RSS = "application/rss+xml"
ATOM = "application/atom+xml"
HTML = "text/html; charset=utf-8"

ROUTES = {
    "/wp/feed/": ("wordpress.xml", RSS),
    "/blog/": ("page-with-feed.html", HTML),
    "/blog/atom.xml": ("atom-summaries.xml", ATOM),
    "/blog/posts/clock.html": ("blog/clock.html", HTML),
    "/blog/posts/radio.html": ("blog/radio.html", HTML),
    "/rdf/feed": ("rdf.xml", "application/rdf+xml"),
    "/rel/feed": ("relative.xml", "text/xml"),
    "/three/feed": ("broken-page.xml", RSS),
    "/xxe/feed": ("xxe.xml", RSS),
    "/bomb/feed": ("bomb.xml", RSS),
    "/not-a-feed": ("not-a-feed.xml", "application/xml"),
    "/malformed": ("malformed.xml", RSS),
}


class FeedServer:
    def __init__(self, secret: Path) -> None:
        self.secret = secret
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.bodies: dict[str, tuple[bytes, str]] = {}
        self.url = ""

    def body(self, path: str) -> tuple[bytes, str] | None:
        if path in self.bodies:
            return self.bodies[path]
        if path not in ROUTES:
            return None
        name, kind = ROUTES[path]
        return self.fixture(name), kind

    def fixture(self, name: str) -> bytes:
        text = (FEEDS / name).read_text(encoding="utf-8")
        return text.replace("@SERVER@", self.url).replace("@SECRET@", str(self.secret)).encode()

    def replace(self, path: str, body: bytes, kind: str = RSS) -> None:
        self.bodies[path] = (body, kind)


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            server.hits[path] += 1
            if path == "/error/500":
                return self._send(500, b"<p>Internal error</p>", HTML)
            found = server.body(path)
            if found is None:
                return self._send(404, b"<p>Not found</p>", HTML)
            body, kind = found
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                server.not_modified[path] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return None
            return self._send(200, body, kind, etag)

        def _send(self, status: int, body: bytes, kind: str, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    return Handler


@contextmanager
def serve(secret: Path) -> Iterator[FeedServer]:
    state = FeedServer(secret)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
