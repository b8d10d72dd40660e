"""Benchmark: what rebuilding a large, unchanged feed costs.

Run from the repository root (it is not part of ``make test``)::

    .venv/bin/python bench/feeds.py                  # 500 entries, espeak: a cold build first
    .venv/bin/python bench/feeds.py --entries 100
    .venv/bin/python bench/feeds.py --source-only    # no build: reading the feed alone

It writes a WordPress-style RSS feed of N entries with their full posts in
``content:encoded`` (seeded generated prose, two short paragraphs a post),
serves it from 127.0.0.1 with an ETag, as a blog host does, and prints:

1. reading the feed in this process (parse, order, clean, one Document per
   entry), the cold read and the conditional re-read, and the peak memory of
   this process;
2. unless ``--source-only``: a cold ``audiogen build URL`` with the espeak voice
   (in a fresh process), then an unchanged rebuild, each as wall seconds, the
   rebuild also as seconds beyond the start-up of ``audiogen --help``, and the
   rebuild process's peak resident memory (from ``wait4``).

Every figure is measured on the machine it runs on; nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
AUDIOGEN = str(Path(sys.executable).with_name("audiogen"))

# fmt: off
WHO = ["The harbour master", "A night-shift nurse", "Our allotment group", "The ferry crew",
       "A retired teacher", "The library volunteers", "Two young welders", "The bakery"]
DID = ["spent the week mending", "wrote a short history of", "argued at length about",
       "counted every one of", "quietly repainted", "measured and logged", "photographed"]
WHAT = ["the old sea wall", "the tide gauges", "the town's bicycles", "the chapel roof",
        "the winter storms", "the bus timetable", "the market stalls", "the lighthouse lamp"]
# fmt: on


def post(rng: random.Random) -> str:
    def sentence() -> str:
        return f"{rng.choice(WHO)} {rng.choice(DID)} {rng.choice(WHAT)}."

    return "".join(f"<p>{sentence()} {sentence()}</p>" for _ in range(2))


def make_feed(entries: int, server: str) -> bytes:
    rng = random.Random(12)
    start = datetime(2024, 1, 1, 8, tzinfo=UTC)
    items = []
    for i in reversed(range(entries)):  # newest first, as feeds list them
        when = format_datetime(start + timedelta(days=i))
        body = (
            post(rng)
            + f"<p>The post <a href='{server}/p/{i}'>Post {i}</a> appeared first on <a href='{server}/'>Bench</a>.</p>"
        )
        items.append(
            f"<item><title>Post number {i}</title><link>{server}/p/{i}</link>"
            f"<guid isPermaLink='false'>bench-{i}</guid><pubDate>{when}</pubDate>"
            f"<dc:creator>Bench Writer</dc:creator>"
            f"<content:encoded>{escape(body)}</content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench feed</title>'
        f"<link>{server}/</link><description>Generated</description><language>en</language>"
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")


@contextmanager
def serve_feed(entries: int) -> Iterator[tuple[str, list[int]]]:
    holder: dict[str, bytes] = {}
    hits = [0, 0]  # full answers, 304s

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = holder["feed"]
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                hits[1] += 1
                self.send_response(304)
                self.end_headers()
                return
            hits[0] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    holder["feed"] = make_feed(entries, url)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{url}/feed/", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def read_in_process(url: str, cache: Path) -> tuple[float, int]:
    from audiogen.models import Document
    from audiogen.sources.base import SourceContext
    from audiogen.sources.feed import FeedSource
    from audiogen.text.fetch import Fetcher, HttpCache

    context = SourceContext(Fetcher(delay=0, cache=HttpCache(cache)))
    started = time.perf_counter()
    count = sum(isinstance(d, Document) for d in FeedSource().read(url, context))
    return time.perf_counter() - started, count


def run(command: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak RSS (KiB) of one command in a fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 and process.stderr is not None:
        sys.stderr.write(process.stderr.read().decode(errors="replace")[-2000:])
    return elapsed, process.returncode, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--engine", default="espeak")
    parser.add_argument("--source-only", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiogen-bench-feeds-"))
    try:
        with serve_feed(args.entries) as (url, hits):
            cold, count = read_in_process(url, work / "http")
            warm, _ = read_in_process(url, work / "http")
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"feed of {count} entries, read in process: cold {cold:.3f} s, "
                  f"unchanged (304) {warm:.3f} s; peak RSS of this process {peak / 1024:.0f} MiB; "
                  f"server: {hits[0]} full answers, {hits[1]} not-modified")  # fmt: skip
            if not args.source_only:
                build(url, args.engine, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build(url: str, engine: str, work: Path) -> None:
    command = [AUDIOGEN, "build", url, "-o", str(work / "out"), "--engine", engine,
               "--cache-dir", str(work / "cache"), "-q"]  # fmt: skip
    startup = min(run([AUDIOGEN, "--help"])[0] for _ in range(3))
    cold, code, cold_rss = run(command)
    print(f"cold build: {cold:.1f} s (exit {code}), peak RSS {cold_rss / 1024:.0f} MiB")
    if code != 0:
        return
    again, code, rss = run(command)
    print(f"unchanged rebuild: {again:.2f} s (exit {code}); start-up (audiogen --help) "
          f"{startup:.2f} s; beyond start-up {again - startup:.2f} s (target: under 2 s); "
          f"peak RSS {rss / 1024:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
