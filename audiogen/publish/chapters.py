"""Podcasting 2.0 JSON chapters (version 1.2.0), from the same timings as the ID3 chapters."""

from __future__ import annotations

import json

from audiogen.models import Chapter

CHAPTERS_MIME = "application/json+chapters"


def render_chapters(chapters: tuple[Chapter, ...], *, title: str | None = None) -> bytes:
    """The chapters file; times are seconds with millisecond precision, exactly the CHAP times.

    >>> render_chapters((Chapter("Intro", 0, 1500),)).decode()[:40]
    '{\\n  "version": "1.2.0",\\n  "chapters": [\\n'
    """
    data: dict[str, object] = {
        "version": "1.2.0",
        "chapters": [
            {"startTime": c.start_ms / 1000, "endTime": c.end_ms / 1000, "title": c.title}
            for c in chapters
        ],
    }
    if title:
        data["title"] = title
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
