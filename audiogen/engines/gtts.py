"""Google Translate's voice, through the gTTS library. Needs the internet.

gTTS posts the text to Google's web endpoint (splitting it into pieces of
at most 100 characters) and gets back one low-bitrate MP3 (24 kHz mono) per
piece. Each piece is decoded to PCM here and the pieces are joined as PCM.

Network failures become one clear error that points at the offline engine.
``check()`` never touches the network, so ``audiogen engines`` stays fast
and honest about what it knows: gTTS is installed and the language is one
Google speaks, not that Google is reachable right now.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from audiogen import languages
from audiogen.engines.base import EngineOptions, Voice
from audiogen.engines.retry import Retrier, Retryable, retry_after
from audiogen.errors import AudioFailed, BadInput, EngineUnavailable, SynthesisFailed
from audiogen.models import Audio

if TYPE_CHECKING:
    from gtts import gTTSError

# gTTS has two speeds, normal and slow (roughly half speed); asking for this
# factor or less picks slow, anything faster is spoken at normal speed.
SLOW_AT_OR_BELOW = 0.75
GTTS_RATE = 24_000  # Google's voice comes as 24 kHz mono MP3

# Regional accents come from the Google domain asked, not from the language
# code (the localized accents table in gTTS's documentation).
REGION_TLDS: dict[str, str] = {
    "en-au": "com.au",
    "en-gb": "co.uk",
    "en-uk": "co.uk",
    "en-us": "us",
    "en-ca": "ca",
    "en-in": "co.in",
    "en-ie": "ie",
    "en-za": "co.za",
    "en-ng": "com.ng",
    "fr-fr": "fr",
    "pt-br": "com.br",
    "es-mx": "com.mx",
    "es-es": "es",
    "es-us": "us",
}

# Current ISO 639-1 codes for languages Google still lists under old ones.
LANGUAGE_ALIASES: dict[str, str] = {"he": "iw", "jv": "jw", "fil": "tl"}

_TLD = re.compile(r"[a-z]{2,3}(\.[a-z]{2,3})?")
_OFFLINE_HINT = "use `--engine piper`, which works offline"


@dataclass(frozen=True)
class GttsSettings:
    """What gTTS is asked for: language code, Google domain, slow or not."""

    lang: str
    tld: str
    slow: bool


def resolve_language(language: str, known: Collection[str]) -> tuple[str, str | None] | None:
    """gTTS's code for ``language`` and the Google domain of its accent.

    ``known`` is gTTS's language list. Matching ignores case and accepts
    ``_`` for ``-`` (``"zh_tw"`` -> ``"zh-TW"``). A tag gTTS does not list
    falls back to its base language, keeping the region as an accent where
    Google has one: ``"en-GB"`` -> ``("en", "co.uk")``, ``"de-AT"`` ->
    ``("de", None)``. Old codes Google still uses are mapped (``"he"`` ->
    ``"iw"``). Returns None when gTTS does not speak the language at all.
    """
    tag = languages.canonical(language).lower() if language.strip() else ""
    if not tag:
        return None
    by_lower = {code.lower(): code for code in known}
    if tag in by_lower:
        return by_lower[tag], None
    base = LANGUAGE_ALIASES.get(tag.split("-", 1)[0], tag.split("-", 1)[0])
    if base in by_lower:
        return by_lower[base], REGION_TLDS.get(tag)
    return None


def _unreachable(exc: BaseException | None, timeout: float) -> EngineUnavailable:
    import requests

    if isinstance(exc, requests.Timeout):
        why = f"no answer within {timeout:g} s"
    elif exc is not None:
        why = type(exc).__name__
    else:
        why = "connection failed"
    return EngineUnavailable(
        f"Google's TTS service is unreachable ({why}): check the internet connection, "
        f"or {_OFFLINE_HINT}"
    )


def _http_failure(error: gTTSError, lang: str) -> SynthesisFailed:
    status = int(error.rsp.status_code)
    reason = error.rsp.reason or ""
    answered = f"Google's TTS service answered HTTP {status} {reason}".rstrip()
    if status == 200:
        return SynthesisFailed(
            f"Google's TTS service answered without audio (language {lang!r} may not be "
            f"spoken any more); {_OFFLINE_HINT}"
        )
    if status == 429:
        return SynthesisFailed(
            f"{answered}: it is limiting requests from this address; wait a while and "
            f"run again, or {_OFFLINE_HINT}"
        )
    if status >= 500:
        return SynthesisFailed(
            f"{answered}: a fault on Google's side; try again later, or {_OFFLINE_HINT}"
        )
    return SynthesisFailed(
        f"{answered}: the web endpoint gTTS uses may have changed; try "
        f"`pip install -U gTTS`, or {_OFFLINE_HINT}"
    )


def pause(seconds: float) -> None:
    """Wait between tries (a seam the tests replace, so they need not wait)."""
    time.sleep(seconds)


class GttsEngine:
    """Google Translate's voice via gTTS: natural, many languages, online only.

    ``options.language`` picks the language and, for a regional tag such as
    ``"en-GB"``, the accent. ``options.voice``, if given, is the Google domain
    that sets the accent (``"co.uk"``, ``"com.au"``, ``"ca"``...). Speeds at
    or below 0.75 ask for Google's slow voice; other speeds are normal.
    ``options.timeout`` bounds each HTTP request (gTTS alone waits forever).

    Empty or whitespace-only text, and text with nothing to pronounce
    (``"..."``), gives empty audio without asking Google, which has none for it.
    """

    name: ClassVar[str] = "gtts"
    needs_network: ClassVar[bool] = True
    description: ClassVar[str] = "Google Translate's voice via gTTS (needs the internet)"
    memory_mb: ClassVar[int] = 0  # it loads no model: the voice is Google's

    # Backoff between tries: BACKOFF_BASE * 2**try seconds plus up to as much again at
    # random, so many clients that failed together do not retry together.
    BACKOFF_BASE: ClassVar[float] = 1.0
    BACKOFF_MAX: ClassVar[float] = 30.0

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self._retrier = Retrier(
            retries=options.retries,
            budget=options.request_budget,
            base=self.BACKOFF_BASE,
            cap=self.BACKOFF_MAX,
            pause=lambda seconds: pause(seconds),  # looked up at each call: tests replace it
        )

    def settings(self) -> GttsSettings:
        """Resolve the options to what gTTS is asked; raises ``EngineUnavailable``."""
        try:
            from gtts.lang import tts_langs
        except ImportError as exc:
            raise EngineUnavailable(
                f"gTTS is not installed ({exc}); `pip install gTTS`, or {_OFFLINE_HINT}"
            ) from exc
        speed = self.options.speed
        if not math.isfinite(speed) or speed <= 0:
            raise BadInput(f"speed must be a positive number (1.0 is normal), not {speed!r}")
        resolved = resolve_language(self.options.language, tts_langs())
        if resolved is None:
            raise EngineUnavailable(
                f"Google's TTS (gtts) does not speak language {self.options.language!r}; "
                "run `audiogen engines` to see the engines and what they speak"
            )
        lang, accent_tld = resolved
        tld = (self.options.voice or accent_tld or "com").strip().lower()
        if not _TLD.fullmatch(tld):
            raise EngineUnavailable(
                f"gtts voice {self.options.voice!r} is not a Google domain ending such as "
                "'com', 'co.uk' or 'com.au'"
            )
        return GttsSettings(lang=lang, tld=tld, slow=speed <= SLOW_AT_OR_BELOW)

    def check(self) -> None:
        self.settings()

    def fingerprint(self) -> str:
        from importlib.metadata import version

        s = self.settings()
        return f"gtts {version('gTTS')} lang={s.lang} tld={s.tld} slow={s.slow}"

    def voices(self) -> tuple[Voice, ...]:
        """One voice per language gTTS lists (the accent is chosen by --voice TLD)."""
        from gtts.lang import tts_langs

        return tuple(
            Voice(self.name, code, code, None, True, name, "Google's terms of service")
            for code, name in sorted(tts_langs().items())
        )

    def languages(self) -> frozenset[str]:
        """gTTS's language codes as it spells them (``"en"``, ``"zh-TW"``)."""
        from gtts.lang import tts_langs

        return frozenset(tts_langs())

    def synthesize(self, text: str) -> Audio:
        """Speak ``text``, retrying throttled, failed and timed-out requests with backoff.

        The final error names the sentence, so a user knows where a build stopped.
        """
        if not text.strip():
            raise SynthesisFailed("gtts was given no text to speak (empty or blank sentence)")
        return self._retrier.call(lambda: self._synthesize_once(text), text, _OFFLINE_HINT)

    @property
    def requests_made(self) -> int:
        return self._retrier.requests_made

    def _synthesize_once(self, text: str) -> Audio:
        settings = self.settings()

        import requests
        from gtts import gTTS, gTTSError

        from audiogen.engines.mp3 import decode_mp3

        tts = gTTS(
            text,
            tld=settings.tld,
            lang=settings.lang,
            slow=settings.slow,
            lang_check=False,  # already checked, and it warns on every old code
            timeout=self.options.timeout,
        )
        pieces: list[Audio] = []
        try:
            for mp3 in tts.stream():
                pieces.append(decode_mp3(mp3))
        except gTTSError as exc:
            if exc.rsp is None:
                error: Exception = _unreachable(exc.__context__, self.options.timeout)
                if isinstance(exc.__context__, requests.Timeout):
                    raise Retryable(error, None) from exc
                raise error from exc
            failure = _http_failure(exc, settings.lang)
            status = int(exc.rsp.status_code)
            if status == 429 or status >= 500:
                raise Retryable(failure, retry_after(exc.rsp.headers.get("Retry-After"))) from exc
            raise failure from exc
        except requests.Timeout as exc:  # were gTTS to stream the body
            raise Retryable(_unreachable(exc, self.options.timeout), None) from exc
        except requests.RequestException as exc:
            raise _unreachable(exc, self.options.timeout) from exc
        except AudioFailed as exc:
            raise SynthesisFailed(f"Google's TTS service sent unreadable audio: {exc}") from exc
        except AssertionError:  # gTTS asserts there is something left to say
            return Audio(b"", GTTS_RATE)  # nothing to say is not a failure
        if not pieces:
            raise SynthesisFailed(f"Google's TTS service returned no audio for {text[:60]!r}")
        rates = {piece.sample_rate for piece in pieces}
        if len(rates) > 1:
            raise SynthesisFailed(f"Google's TTS service mixed sample rates {sorted(rates)}")
        return Audio(pcm=b"".join(p.pcm for p in pieces), sample_rate=pieces[0].sample_rate)
