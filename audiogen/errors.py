"""One family of errors, each carrying the exit code the CLI turns it into.

The library raises these and nothing else for expected failures; the CLI
translates them to one line on stderr in a single place (``cli.main``).
"""

from __future__ import annotations


class AudiogenError(Exception):
    """Base of every expected failure. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class BadInput(AudiogenError):
    """The article, URL, config or option given cannot be used."""

    exit_code = 2


class NothingToSpeak(BadInput):
    """After cleaning, the article holds no text to narrate."""

    exit_code = 3


class EngineUnavailable(AudiogenError):
    """The engine (or voice, or language) asked for cannot run here."""

    exit_code = 4


class SynthesisFailed(AudiogenError):
    """The engine ran but did not produce audio for a sentence."""

    exit_code = 5


class AudioFailed(AudiogenError):
    """Stitching, encoding or tagging the MP3 failed."""

    exit_code = 6


class PublishFailed(AudiogenError):
    """Writing the feed or the site into the output folder failed."""

    exit_code = 7


class PartlyBuilt(AudiogenError):
    """Some articles of a source (a feed's posts) could not be read; the rest were built."""

    exit_code = 8
