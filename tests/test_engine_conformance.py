"""Every built-in engine passes the conformance check a plugin author runs on theirs."""

from __future__ import annotations

import pytest
import responses

from audiogen.engines.espeak import EspeakEngine
from audiogen.engines.gtts import GttsEngine
from audiogen.engines.piper import PiperEngine
from audiogen.engines.testing import check_engine
from tests.test_engine_gtts import GOOGLE, mp3, reply_with, speech  # noqa: F401 (fixtures)


@pytest.mark.slow
def test_piper_conforms() -> None:
    check_engine(PiperEngine)


def test_espeak_conforms() -> None:
    check_engine(EspeakEngine)


@responses.activate
def test_gtts_conforms_offline(mp3: bytes) -> None:  # noqa: F811 (the fixture)
    responses.add(responses.POST, GOOGLE, body=reply_with(mp3))
    check_engine(GttsEngine)


def test_the_check_names_what_a_broken_engine_breaks() -> None:
    class Nameless(EspeakEngine):
        memory_mb = -1  # type: ignore[misc]

    with pytest.raises(AssertionError, match="memory_mb"):
        check_engine(Nameless)

    class Local(EspeakEngine):
        pass

    with pytest.raises(AssertionError, match="cannot be sent to a worker"):
        check_engine(Local)


class ClaimsWordTimings(EspeakEngine):
    """espeak-ng, which gives no word timings, saying that it does."""

    word_timings = True


def test_an_engine_that_says_it_gives_word_timings_must_give_them() -> None:
    with pytest.raises(AssertionError, match="word_timings = True"):
        check_engine(ClaimsWordTimings)
