"""Tests for audiogen.publish.serve against the real server on 127.0.0.1.

Each server runs in a thread of the test process on a port the system picks; no
test touches any other address. Requests go through http.client, which sends the
path exactly as written (no normalization), or through a raw socket for the
malformed ones.
"""

from __future__ import annotations

import doctest
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiogen.errors import BadInput
from audiogen.publish import serve
from audiogen.publish.serve import make_server, server_url
from tests.conftest import REPO

AUDIO = bytes(range(256)) * 40  # 10240 bytes; every offset's byte is known
SECRET = b"TOP SECRET outside the site"
FILES: dict[str, bytes] = {
    "feed.xml": b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"/>',
    "cover.jpg": b"\xff\xd8\xff\xe0 jpeg",
    "cover.png": b"\x89PNG\r\n\x1a\n png",
    "index.html": b"<!doctype html><title>Show</title>",
    "episodes/ep.mp3": AUDIO,
    "episodes/ep.vtt": b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello.\n",
    "episodes/ep.chapters.json": b'{"version": "1.2.0", "chapters": []}',
    "episodes/ep.json": b"{}",
    "episodes/ep.html": b"<!doctype html><title>Episode</title>",
    "episodes/empty.mp3": b"",
    "player/player.js": b"export {};\n",
    "player/player.css": b"body {}\n",
    "about/index.html": b"<!doctype html><title>About</title>",
    ".audiogen/manifest.json": b'{"episodes": [{"source": "/home/me/private.md"}]}',
}
TIMEOUT = 10  # seconds for any client operation; the server answers in milliseconds


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for name, data in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.txt").write_bytes(SECRET)
    (root / "episodes" / "leak.mp3").symlink_to(tmp_path / "secret.txt")
    (root / "outside").symlink_to(tmp_path / "private", target_is_directory=True)
    (root / "episodes" / "alias.mp3").symlink_to(root / "episodes" / "ep.mp3")
    return root


def _start(folder: Path, timeout: float = 5.0) -> Iterator[tuple[str, int]]:
    server = make_server(folder, "127.0.0.1", 0, timeout=timeout)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield str(host), int(port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


@pytest.fixture
def address(site: Path) -> Iterator[tuple[str, int]]:
    yield from _start(site)


Response = tuple[int, http.client.HTTPMessage, bytes]


def fetch(
    address: tuple[str, int], path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> Response:
    connection = http.client.HTTPConnection(*address, timeout=TIMEOUT)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def raw_exchange(address: tuple[str, int], data: bytes) -> bytes:
    """Send raw bytes and read until the server closes the connection."""
    with socket.create_connection(address, timeout=TIMEOUT) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_doctests() -> None:
    result = doctest.testmod(serve)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/feed.xml", "application/rss+xml"),
        ("/episodes/ep.mp3", "audio/mpeg"),
        ("/episodes/ep.vtt", "text/vtt; charset=utf-8"),
        ("/episodes/ep.chapters.json", "application/json+chapters"),
        ("/episodes/ep.json", "application/json"),
        ("/episodes/ep.html", "text/html; charset=utf-8"),
        ("/player/player.js", "text/javascript; charset=utf-8"),
        ("/player/player.css", "text/css; charset=utf-8"),
        ("/cover.jpg", "image/jpeg"),
        ("/cover.png", "image/png"),
    ],
)
def test_full_get_sends_the_file_with_its_media_type(
    address: tuple[str, int], path: str, content_type: str
) -> None:
    status, headers, body = fetch(address, path)
    assert status == 200
    assert body == FILES[path.lstrip("/")]
    assert headers["Content-Type"] == content_type
    assert headers["Content-Length"] == str(len(body))
    assert headers["Accept-Ranges"] == "bytes"
    assert "Content-Range" not in headers


def test_query_string_is_ignored_and_symlink_inside_is_served(address: tuple[str, int]) -> None:
    assert fetch(address, "/episodes/ep.mp3?t=10#x")[2] == AUDIO
    assert fetch(address, "/episodes/alias.mp3")[2] == AUDIO


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-0", 0, 0),  # what Safari asks first
        ("bytes=0-99", 0, 99),
        ("bytes=1000-2047", 1000, 2047),
        ("bytes=-100", 10140, 10239),
        ("bytes=10000-", 10000, 10239),
        ("bytes=0-", 0, 10239),
        ("bytes=10200-99999", 10200, 10239),  # last byte past the end is cut
        ("bytes=-99999", 0, 10239),  # suffix longer than the file is all of it
        ("BYTES = 5-9", 5, 9),
    ],
)
def test_range_gets_206_with_exactly_those_bytes(
    address: tuple[str, int], header: str, first: int, last: int
) -> None:
    status, headers, body = fetch(address, "/episodes/ep.mp3", headers={"Range": header})
    assert status == 206
    assert body == AUDIO[first : last + 1]
    assert headers["Content-Range"] == f"bytes {first}-{last}/{len(AUDIO)}"
    assert headers["Content-Length"] == str(last - first + 1)
    assert headers["Content-Type"] == "audio/mpeg"


@pytest.mark.parametrize(
    ("path", "header"),
    [
        ("/episodes/ep.mp3", "bytes=10240-"),
        ("/episodes/ep.mp3", "bytes=99999-100000"),
        ("/episodes/ep.mp3", "bytes=-0"),
        ("/episodes/empty.mp3", "bytes=0-"),
    ],
)
def test_unsatisfiable_range_gets_416(address: tuple[str, int], path: str, header: str) -> None:
    status, headers, body = fetch(address, path, headers={"Range": header})
    size = len(FILES[path.lstrip("/")])
    assert (status, headers["Content-Range"], body) == (416, f"bytes */{size}", b"")


@pytest.mark.parametrize(
    "header", ["bytes=9-5", "items=0-9", "bytes=0-1,5-6", "bytes=x-y", "bytes=-"]
)
def test_range_the_server_may_ignore_gets_the_whole_file(
    address: tuple[str, int], header: str
) -> None:
    status, headers, body = fetch(address, "/episodes/ep.mp3", headers={"Range": header})
    assert (status, body) == (200, AUDIO)
    assert "Content-Range" not in headers


def test_head_sends_the_headers_of_get_without_a_body(address: tuple[str, int]) -> None:
    get = fetch(address, "/episodes/ep.mp3")
    head = fetch(address, "/episodes/ep.mp3", method="HEAD")
    assert head[0] == 200 and head[2] == b""
    for name in ("Content-Type", "Content-Length", "Accept-Ranges", "ETag", "Last-Modified"):
        assert head[1][name] == get[1][name], name
    status, headers, body = fetch(
        address, "/episodes/ep.mp3", method="HEAD", headers={"Range": "bytes=10-19"}
    )
    assert (status, headers["Content-Range"], headers["Content-Length"], body) == (
        206,
        "bytes 10-19/10240",
        "10",
        b"",
    )


def test_keep_alive_serves_several_ranges_on_one_connection(address: tuple[str, int]) -> None:
    connection = http.client.HTTPConnection(*address, timeout=TIMEOUT)
    try:
        for first in (0, 5000, 10000):
            connection.request("GET", "/episodes/ep.mp3", headers={"Range": f"bytes={first}-"})
            response = connection.getresponse()
            assert (response.status, response.read()) == (206, AUDIO[first:])
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path", ["/feed.xml", "/episodes/ep.mp3", "/episodes/ep.vtt", "/episodes/ep.chapters.json"]
)
def test_cors_headers_let_a_player_on_another_origin_read_the_file(
    address: tuple[str, int], path: str
) -> None:
    origin = {"Origin": "https://player.example"}
    for headers in (origin, {**origin, "Range": "bytes=0-3"}):
        _, response_headers, _ = fetch(address, path, headers=headers)
        assert response_headers["Access-Control-Allow-Origin"] == "*"
        exposed = {h.strip() for h in response_headers["Access-Control-Expose-Headers"].split(",")}
        assert {"Content-Length", "Content-Range", "Accept-Ranges"} <= exposed


def test_preflight_is_answered(address: tuple[str, int]) -> None:
    status, headers, body = fetch(
        address,
        "/episodes/ep.mp3",
        method="OPTIONS",
        headers={
            "Origin": "https://player.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "range",
        },
    )
    assert (status, body) == (204, b"")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in headers["Access-Control-Allow-Methods"]
    assert "range" in headers["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/episodes/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/episodes/..%2f..%2fsecret.txt",
        "/episodes/..%2f..%2fetc/passwd",
        "/episodes/" + "..%2f" * 30 + "etc/passwd",
        "/" + "%2e%2e%2f" * 30 + "etc/passwd",
        "/%2Fetc/passwd",
        "//etc/passwd",
        "/etc/passwd",
        "/episodes/..\\..\\secret.txt",
        "/episodes/%5c..%5c..%5csecret.txt",
        "/episodes/leak.mp3",  # a symlink to a file outside
        "/outside/secret.txt",  # through a symlink to a folder outside
        "/.audiogen/manifest.json",  # hidden: holds local source paths
        "/episodes/ep.mp3%00.txt",
        "http://127.0.0.1/../secret.txt",
        "secret.txt",
    ],
)
def test_nothing_outside_the_folder_is_reachable(address: tuple[str, int], path: str) -> None:
    for method in ("GET", "HEAD"):
        status, _, body = fetch(address, path, method=method)
        assert status in (400, 404), (method, status)
        assert SECRET not in body and b"root:" not in body and b"private.md" not in body


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/", 200, FILES["index.html"]),
        ("/about/", 200, FILES["about/index.html"]),
        ("/player/", 404, None),  # a folder without index.html: no listing
        ("/player", 404, None),
        ("/episodes/", 404, None),
    ],
)
def test_folders_serve_their_index_or_404(
    address: tuple[str, int], path: str, status: int, body: bytes | None
) -> None:
    got_status, headers, got_body = fetch(address, path)
    assert got_status == status
    if body is not None:
        assert got_body == body and headers["Content-Type"] == "text/html; charset=utf-8"
    else:
        assert b"player.js" not in got_body and b"ep.mp3" not in got_body


def test_folder_without_slash_redirects_to_it(address: tuple[str, int]) -> None:
    status, headers, _ = fetch(address, "/about")
    assert (status, headers["Location"]) == (301, "/about/")


def test_conditional_requests(address: tuple[str, int]) -> None:
    _, headers, _ = fetch(address, "/feed.xml")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert fetch(address, "/feed.xml", headers={"If-None-Match": etag})[0] == 304
    assert fetch(address, "/feed.xml", headers={"If-None-Match": '"other"'})[0] == 200
    assert fetch(address, "/feed.xml", headers={"If-Modified-Since": modified})[0] == 304
    # If-Range naming this version honours the Range; naming another sends the whole file.
    ranged = {"Range": "bytes=0-3"}
    _, headers, _ = fetch(address, "/episodes/ep.mp3")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    for validator in (etag, modified):
        status, _, body = fetch(
            address, "/episodes/ep.mp3", headers={**ranged, "If-Range": validator}
        )
        assert (status, body) == (206, AUDIO[:4])
    for validator in ('"stale"', "W/" + etag, "Mon, 01 Jan 2001 00:00:00 GMT"):
        status, _, body = fetch(
            address, "/episodes/ep.mp3", headers={**ranged, "If-Range": validator}
        )
        assert (status, body) == (200, AUDIO)


def test_rebuilt_file_gets_a_new_etag(address: tuple[str, int], site: Path) -> None:
    before = fetch(address, "/episodes/ep.mp3")[1]["ETag"]
    path = site / "episodes" / "ep.mp3"
    path.write_bytes(AUDIO[::-1])
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
    status, headers, body = fetch(address, "/episodes/ep.mp3", headers={"If-None-Match": before})
    assert (status, body) == (200, AUDIO[::-1]) and headers["ETag"] != before


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /feed.xml HTTP/1.1 extra\r\n\r\n",
        b"GET /feed.xml HTTP/x.y\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",  # TLS to a plain HTTP port
    ],
)
def test_malformed_request_line_gets_400_and_the_server_keeps_serving(
    address: tuple[str, int], request_bytes: bytes
) -> None:
    reply = raw_exchange(address, request_bytes)
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:80]
    status, _, body = fetch(address, "/feed.xml")
    assert (status, body) == (200, FILES["feed.xml"])


def test_other_methods_are_refused(address: tuple[str, int]) -> None:
    for method in ("POST", "PUT", "DELETE"):
        assert fetch(address, "/feed.xml", method=method)[0] == 501
    assert fetch(address, "/feed.xml")[0] == 200


def test_a_silent_client_neither_blocks_others_nor_holds_on(site: Path) -> None:
    for address in _start(site, timeout=0.5):
        with socket.create_connection(address, timeout=TIMEOUT) as stalled:
            stalled.sendall(b"GET /fe")  # and nothing more
            started = time.monotonic()
            assert fetch(address, "/feed.xml")[0] == 200
            assert time.monotonic() - started < 0.4  # answered while the other one stalls
            assert stalled.recv(1024) == b""  # the server hung up on the silent client
            assert time.monotonic() - started < TIMEOUT / 2


def test_make_server_refuses_a_missing_folder_and_a_taken_port(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        make_server(tmp_path / "nope", "127.0.0.1", 0)
    (tmp_path / "file").write_text("x")
    with pytest.raises(BadInput, match="is not a folder"):
        make_server(tmp_path / "file", "127.0.0.1", 0)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(BadInput, match=f"port {port}.*--port"):
            make_server(tmp_path, "127.0.0.1", port)


def test_make_server_reports_its_url_and_logs_requests(site: Path) -> None:
    lines: list[str] = []
    server = make_server(site, "127.0.0.1", 0, log=lines.append)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = server.server_address[1]
        assert server_url(server) == f"http://127.0.0.1:{port}/"
        assert fetch(("127.0.0.1", port), "/feed.xml")[0] == 200
        # A terminal escape in the path (clear screen) must reach the log shown, not obeyed.
        raw_exchange(("127.0.0.1", port), b"GET /\x1b[2J HTTP/1.1\r\nConnection: close\r\n\r\n")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)
    assert any('"GET /feed.xml HTTP/1.1" 200' in line for line in lines), lines
    assert any("\\x1b[2J" in line for line in lines), lines
    assert not any("\x1b" in line for line in lines)


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "audiogen", *args],
        cwd=REPO,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_cli_serves_until_ctrl_c(site: Path) -> None:
    process = _cli("serve", str(site), "--port", "0")
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.startswith(f"Serving {site} at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        assert f"(feed: {url}feed.xml); Ctrl-C to stop" in line
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        assert fetch(("127.0.0.1", port), "/feed.xml")[2] == FILES["feed.xml"]
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()
        process.wait(TIMEOUT)
    assert process.returncode == 130
    assert "Traceback" not in err


def test_cli_serve_of_a_missing_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    process = _cli("serve", str(tmp_path / "nope"), "--port", "0")
    _, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 2
    assert err.strip().count("\n") == 0 and "does not exist" in err
