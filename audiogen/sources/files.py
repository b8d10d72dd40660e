"""Built-in sources for what is on this machine: a file, a folder of them, standard input."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from audiogen.errors import BadInput
from audiogen.sources.base import Read, SourceContext
from audiogen.text.read import is_url, read_document

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")


class StdinSource:
    """``-``: one article piped in, its format sniffed from its text."""

    name: ClassVar[str] = "stdin"
    description: ClassVar[str] = "standard input (-): Markdown, text or HTML"
    priority: ClassVar[int] = 100

    def recognises(self, target: str, head: bytes | None, context: SourceContext) -> bool:
        return target == "-"

    def read(self, target: str, context: SourceContext) -> Read:
        yield read_document("-")


class FileSource:
    """One article file: Markdown, plain text or HTML, by suffix, else by its content."""

    name: ClassVar[str] = "file"
    description: ClassVar[str] = "an article file (.md, .txt, .html)"
    priority: ClassVar[int] = 0  # the last resort: it reports a missing file clearly

    def recognises(self, target: str, head: bytes | None, context: SourceContext) -> bool:
        return target != "-" and not is_url(target)

    def read(self, target: str, context: SourceContext) -> Read:
        yield read_document(target)


class FolderSource:
    """A folder: its own article files in name order (not subfolders', not hidden ones)."""

    name: ClassVar[str] = "folder"
    description: ClassVar[str] = "a folder of article files"
    priority: ClassVar[int] = 90

    def recognises(self, target: str, head: bytes | None, context: SourceContext) -> bool:
        return not is_url(target) and target != "-" and Path(target).is_dir()

    def read(self, target: str, context: SourceContext) -> Read:
        for path in folder_articles(Path(target)):
            yield read_document(str(path))


def folder_articles(folder: Path) -> list[Path]:
    """The article files of ``folder`` in name order; a folder with none is bad input."""
    found = sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and path.suffix.lower() in ARTICLE_SUFFIXES
        and not path.name.startswith(".")
    )
    if not found:
        raise BadInput(
            f"{folder} is a folder with no articles in it "
            f"(looked for {', '.join(ARTICLE_SUFFIXES)} files)"
        )
    return found
