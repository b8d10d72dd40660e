"""Tests for audiogen.text.fetch against a real HTTP server on 127.0.0.1.

The server runs in a thread of the test process, on a port the system picks,
and is never reached from elsewhere; no test touches any other address.
"""

from __future__ import annotations

import doctest
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from audiogen.errors import BadInput
from audiogen.text import fetch
from audiogen.text.fetch import (
    MAX_REDIRECTS,
    USER_AGENT,
    FetchedPage,
    Fetcher,
    HttpCache,
    Validators,
    fetch_url,
)

ARTICLE = "<html><head><title>Tide clocks</title></head><body><p>They tick again.</p></body></html>"
LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT"
SLOW_SECONDS = 1.0  # how long the slow routes stall; tests use a 0.5 s timeout


class Handler(BaseHTTPRequestHandler):
    """Routes by path; each one plays a kind of server a user may meet."""

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean

    def send(self, status: int, body: bytes, content_type: str | None = "text/html") -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._write_quietly(body)

    def send_validated(
        self, body: bytes, etag: str | None = None, last_modified: str | None = None
    ) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if etag:
            self.send_header("ETag", etag)
        if last_modified:
            self.send_header("Last-Modified", last_modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._write_quietly(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path = self.path
        if path == "/article":
            self.send(200, ARTICLE.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/latin1":
            self.send(200, "<p>café</p>".encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif path == "/xhtml":
            self.send(200, ARTICLE.encode(), "application/xhtml+xml")
        elif path == "/plain":
            self.send(200, b"Tide clocks tick again.\n", "text/plain; charset=utf-8")
        elif path == "/markdown":
            self.send(200, b"# Tide clocks\n\nThey tick again.\n", "text/markdown")
        elif path == "/untyped":
            self.send(200, ARTICLE.encode(), content_type=None)
        elif path == "/user-agent":
            self.send(200, self.headers.get("User-Agent", "").encode(), "text/plain")
        elif path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
            else:
                self.send_validated(b"<p>Versioned.</p>", etag='"v1"')
        elif path == "/lastmod":
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self.send_response(304)
                self.end_headers()
            else:
                self.send_validated(b"<p>Dated.</p>", last_modified=LAST_MODIFIED)
        elif path in ("/gzip", "/gzip-bomb", "/gzip-damaged"):
            body = b"<p>" + b"x" * (5000 if path == "/gzip-bomb" else 50) + b"</p>"
            packed = gzip.compress(body)
            if path == "/gzip-damaged":
                packed = packed[:10] + b"\x00" * 8 + packed[18:]
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(packed)))
            self.end_headers()
            self._write_quietly(packed)
        elif path == "/feed":
            self.send(200, b"<rss version='2.0'><channel/></rss>", "application/rss+xml")
        elif path == "/missing":
            self.send(404, b"<p>Not here</p>")
        elif path == "/broken":
            self.send(500, b"<p>Oops</p>")
        elif path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        elif path == "/zip":
            self.send(200, b"PK\x03\x04" + bytes(64), "application/zip")
        elif path == "/moved":
            self.redirect("/article", 301)
        elif path == "/loop":
            self.redirect("/loop")
        elif path.startswith("/hops/"):
            left = int(path.rsplit("/", 1)[1])
            self.redirect(f"/hops/{left - 1}" if left > 0 else "/article")
        elif path == "/to-ftp":
            self.redirect("ftp://127.0.0.1/article.html")
        elif path == "/to-file":
            self.redirect("file:///etc/passwd")
        elif path == "/big-declared":
            self.send(200, b"x" * 5000, "text/html")
        elif path == "/big-streamed":
            # No Content-Length: the size is known only by reading.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self._write_quietly(b"<p>" + b"x" * 5000 + b"</p>")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self.send(200, ARTICLE.encode())
        elif path == "/trickle":
            # Answers at once, then sends a byte every 0.2 s: each read is in
            # time, the whole download is not.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(int(SLOW_SECONDS / 0.2) * 2):
                if not self._write_quietly(b"x"):
                    break
                time.sleep(0.2)
        else:
            self.send(404, b"unknown test route")

    def _write_quietly(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return False  # the client gave up, as it should
        return True


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_fetches_a_page(server: str) -> None:
    page = fetch_url(f"{server}/article")
    assert page == FetchedPage(
        body=ARTICLE.encode("utf-8"),
        content_type="text/html",
        charset="utf-8",
        final_url=f"{server}/article",
    )


def test_reports_the_declared_charset(server: str) -> None:
    page = fetch_url(f"{server}/latin1")
    assert page.charset == "iso-8859-1"
    assert page.body.decode(page.charset) == "<p>café</p>"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/plain", "text/plain"),
        ("/markdown", "text/markdown"),
        ("/xhtml", "application/xhtml+xml"),
        ("/untyped", ""),
    ],
)
def test_accepts_text_and_markdown_too(server: str, path: str, content_type: str) -> None:
    page = fetch_url(f"{server}{path}")
    assert page.content_type == content_type
    assert page.body


def test_sends_an_audiogen_user_agent(server: str) -> None:
    agent = fetch_url(f"{server}/user-agent").body.decode()
    assert agent == USER_AGENT
    assert agent.startswith("audiogen/")


def test_follows_a_redirect_and_reports_where_it_ended(server: str) -> None:
    page = fetch_url(f"{server}/moved")
    assert page.final_url == f"{server}/article"
    assert page.body == ARTICLE.encode()


def test_follows_up_to_the_redirect_limit(server: str) -> None:
    # /hops/N answers N+1 redirects before the article.
    page = fetch_url(f"{server}/hops/{MAX_REDIRECTS - 1}")
    assert page.final_url == f"{server}/article"


def test_stops_past_the_redirect_limit(server: str) -> None:
    with pytest.raises(BadInput, match=f"more than {MAX_REDIRECTS} redirects"):
        fetch_url(f"{server}/hops/{MAX_REDIRECTS}")


def test_redirect_loop(server: str) -> None:
    with pytest.raises(BadInput, match="redirect"):
        fetch_url(f"{server}/loop")


@pytest.mark.parametrize(("path", "target"), [("/to-ftp", "ftp://"), ("/to-file", "file://")])
def test_never_follows_a_redirect_to_another_scheme(server: str, path: str, target: str) -> None:
    with pytest.raises(BadInput, match=f"redirects to {target}.*only http:// and https://"):
        fetch_url(f"{server}{path}")


@pytest.mark.parametrize(("path", "status"), [("/missing", "404"), ("/broken", "500")])
def test_error_status_is_named(server: str, path: str, status: str) -> None:
    with pytest.raises(BadInput, match=f"answered {status}") as info:
        fetch_url(f"{server}{path}")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("path", "kind"), [("/image", "image/png"), ("/zip", "application/zip")])
def test_refuses_what_is_not_a_page(server: str, path: str, kind: str) -> None:
    with pytest.raises(BadInput, match=f"is {kind}, not a web page"):
        fetch_url(f"{server}{path}")


@pytest.mark.parametrize("path", ["/big-declared", "/big-streamed"])
def test_refuses_a_body_over_the_size_cap(server: str, path: str) -> None:
    with pytest.raises(BadInput, match="larger than 1,000 bytes"):
        fetch_url(f"{server}{path}", max_bytes=1000)


def test_a_body_at_the_cap_is_fine(server: str) -> None:
    assert len(fetch_url(f"{server}/big-declared", max_bytes=5000).body) == 5000


def test_slow_server_times_out(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(BadInput, match=r"no answer within 0\.5 s"):
        fetch_url(f"{server}/slow", timeout=0.5)
    assert time.monotonic() - started < SLOW_SECONDS


def test_trickling_server_times_out(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(BadInput, match=r"longer than 0\.5 s"):
        fetch_url(f"{server}/trickle", timeout=0.5)
    assert time.monotonic() - started < SLOW_SECONDS


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port now that the socket is closed.
    with pytest.raises(BadInput, match="connection refused") as info:
        fetch_url(f"http://127.0.0.1:{port}/article", timeout=2)
    assert str(info.value).startswith(f"cannot fetch http://127.0.0.1:{port}/article")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1/article", "only http:// and https://"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("javascript:alert(1)", "only http:// and https://"),
        ("127.0.0.1/article", "only http:// and https://"),
        ("http://", "no host name"),
        ("http://[::1/article", "not a valid address"),
    ],
)
def test_refuses_what_is_not_a_web_address(url: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        fetch_url(url)


def test_accepts_a_feed(server: str) -> None:
    assert fetch_url(f"{server}/feed").content_type == "application/rss+xml"


def test_reports_the_validators(server: str) -> None:
    assert fetch_url(f"{server}/etag").validators == Validators(etag='"v1"')
    assert fetch_url(f"{server}/lastmod").validators == Validators(last_modified=LAST_MODIFIED)
    assert not fetch_url(f"{server}/article").validators


@pytest.mark.parametrize(
    ("path", "validators"),
    [("/etag", Validators(etag='"v1"')), ("/lastmod", Validators(last_modified=LAST_MODIFIED))],
)
def test_a_conditional_request_is_answered_not_modified(
    server: str, path: str, validators: Validators
) -> None:
    page = fetch_url(f"{server}{path}", validators=validators)
    assert page.not_modified
    assert page.body == b""
    assert not fetch_url(f"{server}{path}", validators=Validators(etag='"old"')).not_modified


def test_fetcher_answers_not_modified_from_its_cache(server: str, tmp_path: Path) -> None:
    fetcher = Fetcher(delay=0, cache=HttpCache(tmp_path))
    first = fetcher(f"{server}/etag")
    assert not first.not_modified
    again = Fetcher(delay=0, cache=HttpCache(tmp_path))(f"{server}/etag")  # the next build
    assert again.not_modified
    assert again.body == first.body == b"<p>Versioned.</p>"
    assert again.validators == Validators(etag='"v1"')


def test_fetcher_returns_a_kept_copy_without_asking_when_told(server: str, tmp_path: Path) -> None:
    Fetcher(delay=0, cache=HttpCache(tmp_path))(f"{server}/etag")
    fetcher = Fetcher(delay=0, cache=HttpCache(tmp_path))
    page = fetcher(f"{server}/etag", kept_ok=True)
    assert page.body == b"<p>Versioned.</p>"
    assert fetcher.requests == 0
    assert not fetcher(f"{server}/article", kept_ok=True).not_modified  # nothing kept: fetched
    assert fetcher.requests == 1


def test_fetcher_without_a_kept_copy_passes_304_on(server: str, tmp_path: Path) -> None:
    fetcher = Fetcher(delay=0, cache=HttpCache(tmp_path))
    page = fetcher(f"{server}/etag", validators=Validators(etag='"v1"'))
    assert page.not_modified
    assert page.body == b""


def test_a_damaged_cache_entry_means_a_fresh_download(server: str, tmp_path: Path) -> None:
    Fetcher(delay=0, cache=HttpCache(tmp_path))(f"{server}/etag")
    for kept in tmp_path.iterdir():
        kept.write_bytes(b"not gzip")
    page = Fetcher(delay=0, cache=HttpCache(tmp_path))(f"{server}/etag")
    assert not page.not_modified
    assert page.body == b"<p>Versioned.</p>"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_fetcher_spaces_requests_to_one_host(server: str) -> None:
    clock = FakeClock()
    fetcher = Fetcher(delay=1.0, clock=clock, sleep=clock.sleep)
    fetcher(f"{server}/article")
    fetcher(f"{server}/plain")
    clock.now += 0.25
    fetcher(f"{server}/markdown")
    assert clock.slept == [1.0, 0.75]
    assert fetcher.requests == 3


def test_fetcher_does_not_wait_between_hosts_or_after_the_delay(server: str) -> None:
    clock = FakeClock()
    fetcher = Fetcher(delay=1.0, clock=clock, sleep=clock.sleep)
    fetcher(f"{server}/article")
    fetcher(server.replace("127.0.0.1", "localhost") + "/article")
    clock.now += 5
    fetcher(f"{server}/article")
    assert clock.slept == []


def test_fetcher_counts_a_failed_request_towards_the_delay(server: str) -> None:
    clock = FakeClock()
    fetcher = Fetcher(delay=2.0, clock=clock, sleep=clock.sleep)
    with pytest.raises(BadInput, match="404"):
        fetcher(f"{server}/missing")
    fetcher(f"{server}/article")
    assert clock.slept == [2.0]


def test_doctests() -> None:
    result = doctest.testmod(fetch)
    assert result.attempted > 0 and result.failed == 0


def test_unpacks_a_gzip_body(server: str) -> None:
    assert fetch_url(f"{server}/gzip").body == b"<p>" + b"x" * 50 + b"</p>"


def test_the_size_cap_bounds_what_gzip_unpacks_to(server: str) -> None:
    with pytest.raises(BadInput, match="larger than 1,000 bytes"):
        fetch_url(f"{server}/gzip-bomb", max_bytes=1000)
    assert len(fetch_url(f"{server}/gzip-bomb", max_bytes=5007).body) == 5007


def test_a_damaged_gzip_body_is_one_clear_error(server: str) -> None:
    with pytest.raises(BadInput, match="damaged compressed body"):
        fetch_url(f"{server}/gzip-damaged")
