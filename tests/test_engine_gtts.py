"""The gtts engine, offline: Google's answers are faked at the HTTP layer with `responses`.

The fake answers have the shape of Google's batchexecute replies, carrying a
real MP3: espeak-ng speech resampled to 24 kHz mono and encoded with LAME,
like Google's own audio.
"""

from __future__ import annotations

import base64
import io
import json
import re
from urllib.parse import parse_qs

import lameenc
import numpy as np
import pytest
import requests
import responses
import urllib3
from scipy.signal import resample_poly

from audiogen.engines.base import Engine, EngineOptions
from audiogen.engines.espeak import EspeakEngine
from audiogen.engines.gtts import GttsEngine, GttsSettings, resolve_language
from audiogen.engines.mp3 import DECODER_DELAY, decode_mp3
from audiogen.errors import AudioFailed, BadInput, EngineUnavailable, SynthesisFailed
from audiogen.models import Audio

SENTENCE = "The quick brown fox jumps over the lazy dog."
GOOGLE = re.compile(r"https://translate\.google\.[a-z.]+/_/TranslateWebserverUi/data/batchexecute")
RATE = 24_000


def encode_mp3(pcm: np.ndarray, rate: int = RATE, channels: int = 1) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(rate)  # else LAME drops to 22.05 kHz at 32 kbps
    encoder.set_channels(channels)
    encoder.set_quality(2)
    return bytes(encoder.encode(pcm.astype("<i2").tobytes()) + encoder.flush())


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """About 2.5 s of real speech at 24 kHz, int16."""
    spoken = EspeakEngine(EngineOptions()).synthesize(SENTENCE)
    assert spoken.sample_rate == 22_050
    at_22k = np.frombuffer(spoken.pcm, dtype="<i2").astype(np.float64)
    at_24k: np.ndarray = np.clip(resample_poly(at_22k, 160, 147), -32768, 32767)
    return at_24k.astype(np.int16)


@pytest.fixture(scope="module")
def mp3(speech: np.ndarray) -> bytes:
    return encode_mp3(speech)


def batchexecute(payload: str | None) -> str:
    """A reply in the format of Google's batchexecute endpoint (what gTTS parses).

    ``payload`` is the base64 audio, or None for a reply that carries no audio.
    """
    inner = json.dumps([payload]) if payload is not None else None
    result = json.dumps(
        [
            ["wrb.fr", "jQ1olc", inner, None, None, None, "generic"],
            ["di", 38],
            ["af.httprm", 37, "-3208456927513829962", 14],
        ],
        separators=(",", ":"),
    )
    trailer = json.dumps([["e", 4, None, None, len(result) + 2]], separators=(",", ":"))
    return f")]}}'\n\n{len(result)}\n{result}\n{len(trailer)}\n{trailer}\n"


def reply_with(mp3: bytes) -> str:
    return batchexecute(base64.b64encode(mp3).decode("ascii"))


def sent_parameters(call_index: int = 0) -> list[object]:
    """The [text, lang, slow, "null"] list gTTS put in a recorded request."""
    body = responses.calls[call_index].request.body
    text = body.decode() if isinstance(body, bytes) else str(body)
    rpc = json.loads(parse_qs(text)["f.req"][0])
    parameters: list[object] = json.loads(rpc[0][0][1])
    return parameters


def sent_url(call_index: int = 0) -> str:
    return str(responses.calls[call_index].request.url)


def sent_timeout(call_index: int = 0) -> object:
    """The timeout gTTS passed to requests for a recorded request."""
    request = responses.calls[call_index].request
    kwargs: dict[str, object] = request.req_kwargs  # type: ignore[attr-defined]
    return kwargs["timeout"]


def duration_ms(pcm: np.ndarray, rate: int = RATE) -> float:
    return 1000.0 * len(pcm) / rate


def gtts(**options: object) -> GttsEngine:
    return GttsEngine(EngineOptions(**options))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the engine's backoff pauses instead of waiting them out."""
    waited: list[float] = []
    monkeypatch.setattr("audiogen.engines.gtts.pause", waited.append)
    return waited


# --- success ------------------------------------------------------------------


@responses.activate
def test_decodes_googles_mp3_to_audio_of_the_right_length(speech: np.ndarray, mp3: bytes) -> None:
    responses.add(responses.POST, GOOGLE, body=reply_with(mp3))
    audio = gtts().synthesize(SENTENCE)
    assert audio.sample_rate == RATE
    assert abs(audio.duration_ms - duration_ms(speech)) <= 50
    decoded = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)
    source_rms = np.sqrt(np.mean(speech.astype(np.float64) ** 2))
    assert 0.7 < np.sqrt(np.mean(decoded**2)) / source_rms < 1.3


@responses.activate
def test_request_carries_the_sentence_and_a_timeout(mp3: bytes) -> None:
    responses.add(responses.POST, GOOGLE, body=reply_with(mp3))
    gtts(language="de", timeout=7.5).synthesize("Guten Morgen, liebe Hörer.")
    assert len(responses.calls) == 1
    assert sent_url().startswith("https://translate.google.com/")
    assert sent_parameters()[:3] == ["Guten Morgen, liebe Hörer.", "de", None]
    assert sent_timeout() == 7.5  # gTTS alone would wait forever


@responses.activate
def test_regional_tag_and_slow_speed_reach_google(mp3: bytes) -> None:
    responses.add(responses.POST, GOOGLE, body=reply_with(mp3))
    gtts(language="en-GB", speed=0.5).synthesize(SENTENCE)
    assert sent_url().startswith("https://translate.google.co.uk/")
    assert sent_parameters()[1:3] == ["en", True]


@responses.activate
def test_long_text_is_sent_in_pieces_and_joined_as_pcm(speech: np.ndarray, mp3: bytes) -> None:
    responses.add(responses.POST, GOOGLE, body=reply_with(mp3))
    text = (
        "This first part of a long sentence is well under the limit of one hundred characters "
        "but this second part pushes the whole thing past it so gTTS has to make two requests"
    )
    audio = gtts().synthesize(text)
    assert len(responses.calls) == 2
    pieces = [str(sent_parameters(i)[0]) for i in (0, 1)]
    assert all(len(piece) <= 100 for piece in pieces)
    assert " ".join(pieces) == text
    one_piece = decode_mp3(mp3)
    assert audio.sample_rate == RATE
    assert audio.pcm == one_piece.pcm * 2
    assert abs(audio.duration_ms - 2 * duration_ms(speech)) <= 100


# --- failures -------------------------------------------------------------------


@responses.activate
def test_connection_error_says_google_is_unreachable() -> None:
    responses.add(responses.POST, GOOGLE, body=requests.ConnectionError("Name or service unknown"))
    with pytest.raises(EngineUnavailable) as caught:
        gtts().synthesize(SENTENCE)
    message = str(caught.value)
    assert "Google's TTS service is unreachable" in message
    assert "--engine piper" in message


@responses.activate
def test_timeout_says_how_long_it_waited() -> None:
    responses.add(responses.POST, GOOGLE, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(EngineUnavailable, match=r"unreachable \(no answer within 3 s\)"):
        gtts(timeout=3.0).synthesize(SENTENCE)
    assert sent_timeout() == 3.0


class _BrokenConnection(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        raise urllib3.exceptions.ProtocolError("Connection broken: IncompleteRead")


@responses.activate
def test_download_broken_off_says_google_is_unreachable() -> None:
    responses.add(responses.POST, GOOGLE, body=io.BufferedReader(_BrokenConnection()))
    with pytest.raises(EngineUnavailable, match="unreachable"):
        gtts().synthesize(SENTENCE)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (500, r"HTTP 500 Internal Server Error: a fault on Google's side"),
        (503, r"HTTP 503 Service Unavailable: a fault on Google's side"),
        (429, r"HTTP 429 Too Many Requests: it is limiting requests"),
        (403, r"HTTP 403 Forbidden: the web endpoint gTTS uses may have changed"),
    ],
)
@responses.activate
def test_http_errors_name_the_status(status: int, expected: str) -> None:
    responses.add(responses.POST, GOOGLE, status=status, body="")
    with pytest.raises(SynthesisFailed, match=expected) as caught:
        gtts().synthesize(SENTENCE)
    assert "--engine piper" in str(caught.value)


@responses.activate
def test_throttling_and_faults_are_retried_with_growing_jittered_pauses(
    mp3: bytes, pauses: list[float]
) -> None:
    responses.add(responses.POST, GOOGLE, status=503, body="")
    responses.add(responses.POST, GOOGLE, status=429, body="", headers={"Retry-After": "7"})
    responses.add(responses.POST, GOOGLE, body=requests.ReadTimeout("slow"))
    responses.add(responses.POST, GOOGLE, body=reply_with(mp3))
    audio = gtts().synthesize(SENTENCE)
    assert audio.samples > 0 and len(responses.calls) == 4
    base = GttsEngine.BACKOFF_BASE
    assert base <= pauses[0] <= 2 * base  # first pause: base plus up to as much jitter
    assert pauses[1] >= 7.0  # Retry-After is honoured
    assert 4 * base <= pauses[2] <= 8 * base


@responses.activate
def test_giving_up_names_the_sentence(pauses: list[float]) -> None:
    responses.add(responses.POST, GOOGLE, status=500, body="")
    with pytest.raises(SynthesisFailed, match="HTTP 500") as caught:
        gtts(retries=3).synthesize(SENTENCE)
    assert SENTENCE[:40] in str(caught.value) and "after 4 tries" in str(caught.value)
    assert len(responses.calls) == 4 and len(pauses) == 3


@responses.activate
def test_client_errors_and_refused_connections_are_not_retried(pauses: list[float]) -> None:
    responses.add(responses.POST, GOOGLE, status=403, body="")
    with pytest.raises(SynthesisFailed):
        gtts().synthesize(SENTENCE)
    assert len(responses.calls) == 1 and pauses == []


@responses.activate
def test_request_budget_stops_a_runaway_run(mp3: bytes) -> None:
    responses.add(responses.POST, GOOGLE, body=reply_with(mp3))
    engine = gtts(request_budget=2)
    engine.synthesize(SENTENCE)
    engine.synthesize(SENTENCE)
    with pytest.raises(SynthesisFailed, match="budget of 2 requests"):
        engine.synthesize(SENTENCE)
    assert len(responses.calls) == 2


@responses.activate
def test_reply_without_audio_fails() -> None:
    responses.add(responses.POST, GOOGLE, body=batchexecute(None))
    with pytest.raises(SynthesisFailed, match="without audio"):
        gtts().synthesize(SENTENCE)


@responses.activate
def test_reply_with_undecodable_audio_fails() -> None:
    responses.add(responses.POST, GOOGLE, body=reply_with(b"this is not an mp3 at all" * 20))
    with pytest.raises(SynthesisFailed, match="unreadable audio"):
        gtts().synthesize(SENTENCE)


@responses.activate
def test_reply_with_no_audio_lines_fails() -> None:
    responses.add(responses.POST, GOOGLE, body=')]}\'\n\n25\n[["e",4,null,null,25]]\n')
    with pytest.raises(SynthesisFailed, match="returned no audio"):
        gtts().synthesize(SENTENCE)


@pytest.mark.parametrize("text", ["", "  ", "\n"])
@responses.activate
def test_blank_text_fails_without_a_request(text: str) -> None:
    with pytest.raises(SynthesisFailed, match="no text"):
        gtts().synthesize(text)
    assert len(responses.calls) == 0


@responses.activate
def test_unpronounceable_text_gives_empty_audio_without_a_request() -> None:
    # Nothing to say is not a failure: the synthesize stage puts a moment of silence there.
    audio = gtts().synthesize("... !")
    assert audio.samples == 0 and audio.sample_rate == 24_000
    assert len(responses.calls) == 0


# --- check, languages, fingerprint: never the network -------------------------------


@responses.activate
def test_check_makes_no_network_call() -> None:
    engine = gtts(language="fr")
    engine.check()
    engine.fingerprint()
    engine.languages()
    assert isinstance(engine, Engine)
    assert GttsEngine.needs_network is True
    assert len(responses.calls) == 0


@pytest.mark.parametrize("language", ["xx", "klingon", "tlh-Latn", ""])
def test_unknown_language_is_unavailable(language: str) -> None:
    with pytest.raises(EngineUnavailable) as caught:
        gtts(language=language).check()
    assert repr(language) in str(caught.value)
    assert "audiogen engines" in str(caught.value)


@pytest.mark.parametrize("voice", ["co uk", "https://example.org", "../x"])
def test_voice_must_be_a_google_domain(voice: str) -> None:
    with pytest.raises(EngineUnavailable, match="not a Google domain ending"):
        gtts(voice=voice).check()


@pytest.mark.parametrize("speed", [0.0, -2.0, float("nan")])
def test_bad_speed_is_bad_input(speed: float) -> None:
    with pytest.raises(BadInput, match="speed"):
        gtts(speed=speed).check()


def test_languages_are_gtts_list() -> None:
    from gtts.lang import tts_langs

    languages = gtts().languages()
    assert languages == frozenset(tts_langs())
    assert {"en", "de", "zh-TW"} <= languages


def test_fingerprint_has_version_language_domain_and_speed() -> None:
    from importlib.metadata import version

    assert gtts().fingerprint() == f"gtts {version('gTTS')} lang=en tld=com slow=False"
    assert gtts(language="pt-BR", speed=0.6).fingerprint().endswith("lang=pt tld=com.br slow=True")
    assert gtts(voice="com.au").fingerprint().endswith("lang=en tld=com.au slow=False")


@pytest.mark.parametrize(
    ("options", "settings"),
    [
        ({}, GttsSettings("en", "com", False)),
        ({"language": "en-US"}, GttsSettings("en", "us", False)),
        ({"language": "en-AU", "voice": "co.in"}, GttsSettings("en", "co.in", False)),
        ({"language": "fr_ca"}, GttsSettings("fr-CA", "com", False)),
        ({"language": "he"}, GttsSettings("iw", "com", False)),
        ({"speed": 0.75}, GttsSettings("en", "com", True)),
        ({"speed": 0.76}, GttsSettings("en", "com", False)),
        ({"speed": 1.5}, GttsSettings("en", "com", False)),
    ],
)
def test_settings(options: dict[str, object], settings: GttsSettings) -> None:
    assert gtts(**options).settings() == settings


KNOWN = ("en", "de", "fr", "fr-CA", "pt", "pt-PT", "zh-TW", "iw")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("en", None)),
        ("EN", ("en", None)),
        ("en-GB", ("en", "co.uk")),
        ("en_gb", ("en", "co.uk")),
        ("en-NZ", ("en", None)),  # no Google accent for it: plain English
        ("de-AT", ("de", None)),
        ("fr-CA", ("fr-CA", None)),  # Google lists it as a language of its own
        ("pt-BR", ("pt", "com.br")),
        ("pt-pt", ("pt-PT", None)),
        ("zh-tw", ("zh-TW", None)),
        ("he-IL", ("iw", None)),
        ("xx", None),
        ("", None),
    ],
)
def test_resolve_language(language: str, expected: tuple[str, str | None] | None) -> None:
    assert resolve_language(language, KNOWN) == expected


# --- decode_mp3 ----------------------------------------------------------------------


def test_decode_mp3_keeps_rate_and_length(speech: np.ndarray, mp3: bytes) -> None:
    audio = decode_mp3(mp3)
    assert audio.sample_rate == RATE
    # What stays is LAME's own delay and the last frame's padding.
    assert 0 <= audio.duration_ms - duration_ms(speech) <= 50


def test_decode_mp3_trims_the_decoder_delay() -> None:
    # A burst of noise at a known place: after decoding it sits 576 samples
    # (LAME's encoder delay) later, and no longer DECODER_DELAY more on top.
    noise = np.zeros(RATE, dtype=np.int16)
    noise[3000:7000] = np.random.default_rng(7).normal(0, 6000, 4000).astype(np.int16)
    decoded = np.frombuffer(decode_mp3(encode_mp3(noise)).pcm, dtype="<i2").astype(np.float64)
    reference = noise[2000:8000].astype(np.float64)
    lag = int(np.argmax(np.correlate(decoded, reference, "valid"))) - 2000
    assert lag == 576
    assert DECODER_DELAY == 529


def test_decode_mp3_mixes_stereo_down_to_mono() -> None:
    left = (np.sin(np.arange(RATE) * 2 * np.pi * 440 / RATE) * 8000).astype(np.int16)
    right = np.zeros_like(left)
    stereo = np.column_stack([left, right]).reshape(-1)
    audio = decode_mp3(encode_mp3(stereo, channels=2))
    mono = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)
    assert abs(audio.duration_ms - 1000) <= 60
    # Half of a full-scale-8000 sine: RMS about 8000 / 2 / sqrt(2).
    assert 2400 < np.sqrt(np.mean(mono[2000:-2000] ** 2)) < 3300


@pytest.mark.parametrize("data", [b"", b"not an mp3" * 50, bytes(1000)])
def test_decode_mp3_rejects_what_is_not_mp3(data: bytes) -> None:
    with pytest.raises(AudioFailed):
        decode_mp3(data)


def test_decode_mp3_returns_audio() -> None:
    one_frame = encode_mp3(np.zeros(1152, dtype=np.int16))
    assert isinstance(decode_mp3(one_frame), Audio)


# --- live ---------------------------------------------------------------------------


@pytest.mark.net
def test_live_google() -> None:
    audio = gtts(timeout=10.0).synthesize("Hello from the audiogen test suite.")
    assert audio.sample_rate == RATE
    assert 500 < audio.duration_ms < 10_000
