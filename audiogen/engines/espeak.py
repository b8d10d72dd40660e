"""Offline speech in every language espeak-ng knows.

The voice is robotic, but it is fast (hundreds of times faster than real
time), needs no network and no model download, and speaks 100+ languages.

It talks to ``libespeak-ng`` through ``ctypes``: the shared library and its
data come inside the ``espeakng-loader`` wheel, so nothing is installed with
apt and no program is started.

libespeak-ng keeps all of its state in process globals and is not thread
safe, so this module loads and initializes it once per process and runs
every call into it under one lock.

Repeatability: the same text gives the same words, pauses and length (to a
few samples), and the first synthesis in a fresh process is bit-identical
from run to run. Later calls in the same process are not bit-identical to
earlier ones, because the library carries its pitch-flutter phase from one
call to the next in a static variable that no API resets.
"""

from __future__ import annotations

import ctypes
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar
from xml.sax.saxutils import escape

from audiogen import languages
from audiogen.engines import names
from audiogen.engines.base import EngineOptions, Voice
from audiogen.errors import BadInput, EngineUnavailable, SynthesisFailed
from audiogen.models import Audio

# Values from espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_SSML = 0x10  # espeakSSML: the text is SSML (for <voice xml:lang> around a name)
_PARAM_RATE = 1
_EE_OK = 0
_PHONEMES_IPA = 0x02  # espeak_TextToPhonemes: IPA, not espeak's ASCII names
_PHONEMES_TIE = 0x80  # ... with bits 8-23 as the tie inside two-letter sounds

RATE_NORMAL = 175  # words per minute at speed 1.0 (espeakRATE_NORMAL)
RATE_MIN = 80  # espeakRATE_MINIMUM
RATE_MAX = 450  # espeakRATE_MAXIMUM

_HINT = "run `audiogen engines` to see the engines and what they speak"


@dataclass(frozen=True)
class EspeakVoice:
    """One espeak-ng voice and the languages it speaks, most preferred first.

    ``languages`` holds ``(priority, code)`` pairs as espeak-ng reports them:
    a lower priority means the voice is a better choice for that code.
    """

    name: str
    identifier: str  # file name under espeak-ng-data/voices, e.g. "gmw/en-US"
    languages: tuple[tuple[int, str], ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for _, code in self.languages)


def parse_language_list(raw: bytes) -> tuple[tuple[int, str], ...]:
    """Decode espeak-ng's packed ``languages`` field into ``(priority, code)`` pairs.

    The field is a run of entries, each one priority byte followed by a
    zero-terminated UTF-8 code, and the run ends with an extra zero byte:
    ``b"\\x02en-us\\x00\\x03en\\x00\\x00"`` -> ``((2, "en-us"), (3, "en"))``.
    Bytes after the terminating zero are ignored; a field cut short ends the
    list at the last complete entry.
    """
    entries: list[tuple[int, str]] = []
    pos = 0
    while pos < len(raw) and raw[pos] != 0:
        end = raw.find(b"\0", pos + 1)
        if end < 0:
            break
        entries.append((raw[pos], raw[pos + 1 : end].decode("utf-8", "replace")))
        pos = end + 1
    return tuple(entries)


def normalize_language(language: str) -> str:
    """Lower-case a language tag and use hyphens: ``"en_US"`` -> ``"en-us"``."""
    return languages.canonical(language).lower() if language.strip() else ""


def pick_voice(voices: Iterable[EspeakVoice], language: str) -> EspeakVoice | None:
    """The voice espeak-ng prefers for ``language``, or None if it has none.

    Matching ignores case and accepts ``_`` for ``-``. A tag with a region
    that no voice lists falls back to its base language (``"de-AT"`` ->
    ``"de"``). Among voices listing the code, the lowest priority wins and
    ties go to the voice listed first, as espeak-ng itself does, so ``"en"``
    gives British English and ``"en-US"`` American.
    """
    tag = normalize_language(language)
    if not tag:
        return None
    voices = tuple(voices)
    candidates = [tag]
    base = tag.split("-", 1)[0]
    if base != tag:
        candidates.append(base)
    for code in candidates:
        best: tuple[int, int, EspeakVoice] | None = None
        for order, voice in enumerate(voices):
            for priority, voice_code in voice.languages:
                if voice_code == code and (best is None or (priority, order) < best[:2]):
                    best = (priority, order, voice)
        if best is not None:
            return best[2]
    return None


def rate_for_speed(speed: float) -> int:
    """espeak-ng's words per minute for a speed factor (1.0 = 175 wpm).

    The result is clamped to the 80..450 wpm espeak-ng accepts, so speeds
    under about 0.46 or over about 2.57 sound the same as those limits.
    Raises ``BadInput`` for a speed that is not a positive number.
    """
    if not math.isfinite(speed) or speed <= 0:
        raise BadInput(f"speed must be a positive number (1.0 is normal), not {speed!r}")
    return max(RATE_MIN, min(RATE_MAX, round(RATE_NORMAL * speed)))


class _VoiceStruct(ctypes.Structure):
    # espeak_VOICE from speak_lib.h; "languages" is packed bytes, not one string.
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


# int callback(short *wav, int numsamples, espeak_EVENT *events)
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


def _voice_from_struct(struct: _VoiceStruct) -> EspeakVoice:
    # The packed language list has no length; 256 bytes covers every voice shipped.
    raw = ctypes.string_at(struct.languages, 256) if struct.languages else b""
    return EspeakVoice(
        name=(struct.name or b"").decode("utf-8", "replace"),
        identifier=(struct.identifier or b"").decode("utf-8", "replace"),
        languages=parse_language_list(raw),
    )


# The C signatures of the libespeak-ng calls used: (name, argument types, result type).
_SIGNATURES: tuple[tuple[str, list[Any], Any], ...] = (
    ("espeak_Initialize", [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
    ("espeak_Info", [ctypes.POINTER(ctypes.c_char_p)], ctypes.c_char_p),
    ("espeak_SetSynthCallback", [_SYNTH_CALLBACK], None),
    ("espeak_ListVoices", [ctypes.POINTER(_VoiceStruct)], ctypes.POINTER(ctypes.POINTER(_VoiceStruct))),
    ("espeak_SetVoiceByName", [ctypes.c_char_p], ctypes.c_int),
    ("espeak_GetCurrentVoice", [], ctypes.POINTER(_VoiceStruct)),
    ("espeak_SetParameter", [ctypes.c_int, ctypes.c_int, ctypes.c_int], ctypes.c_int),
    (
        "espeak_Synth",
        # text, size, position, position_type, end_position, flags, unique_identifier, user_data
        [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
         ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p],
        ctypes.c_int,
    ),
    # text pointer (advanced clause by clause), textmode, phonememode
    ("espeak_TextToPhonemes", [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int], ctypes.c_char_p),
)  # fmt: skip


def _declare(lib: ctypes.CDLL) -> None:
    """Tell ctypes the signatures, so arguments are converted and results read right."""
    for name, argtypes, restype in _SIGNATURES:
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype


class _Library:
    """The one initialized libespeak-ng of this process. Call only under ``_LOCK``."""

    def __init__(self) -> None:
        try:
            import espeakng_loader

            library_path = espeakng_loader.get_library_path()
            data_path = espeakng_loader.get_data_path()
            lib = ctypes.CDLL(library_path)
        except (ImportError, OSError, RuntimeError) as exc:
            raise EngineUnavailable(
                f"espeak-ng cannot be loaded ({exc}); reinstall it with "
                "`pip install --force-reinstall espeakng-loader`"
            ) from exc

        _declare(lib)

        # buflength 0 = the library's default chunk size; the path is the data folder itself.
        rate = int(lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), 0))
        if rate <= 0:
            raise EngineUnavailable(
                f"espeak-ng could not start with its data in {data_path}; reinstall it with "
                "`pip install --force-reinstall espeakng-loader`"
            )
        self._lib = lib
        self.sample_rate = rate
        info = lib.espeak_Info(None)
        self.version = info.decode("ascii", "replace") if info else "unknown"

        self._chunks: list[bytes] = []
        # Kept on self: if ctypes freed the callback, the library would call freed memory.
        self._callback = _SYNTH_CALLBACK(self._collect)
        lib.espeak_SetSynthCallback(self._callback)

        # espeak_ng_SetRandSeed (1.52+) pins the noise of the Klatt voices.
        self._set_seed = getattr(lib, "espeak_ng_SetRandSeed", None)
        if self._set_seed is not None:
            self._set_seed.argtypes = [ctypes.c_long]
            self._set_seed.restype = ctypes.c_int

        self.voices = self._list_voices()

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: int) -> int:
        if wav and count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # 0 = go on synthesizing

    def _list_voices(self) -> tuple[EspeakVoice, ...]:
        array = self._lib.espeak_ListVoices(None)
        voices = []
        index = 0
        while array[index]:
            voices.append(_voice_from_struct(array[index].contents))
            index += 1
        return tuple(voices)

    def select(self, name: str) -> EspeakVoice | None:
        """Make ``name`` the current voice; return what espeak-ng chose, or None."""
        if "\0" in name or not name.strip():
            return None
        if int(self._lib.espeak_SetVoiceByName(name.encode("utf-8"))) != _EE_OK:
            return None
        current = self._lib.espeak_GetCurrentVoice()
        return _voice_from_struct(current.contents) if current else None

    def speak(self, voice: str, rate: int, text: str, ssml: bool = False) -> bytes:
        """16-bit PCM for ``text`` (SSML if ``ssml``) spoken by voice ``voice`` at ``rate`` wpm."""
        if self.select(voice) is None:
            raise SynthesisFailed(f"espeak-ng could not select voice {voice!r}")
        self._lib.espeak_SetParameter(_PARAM_RATE, rate, 0)
        if self._set_seed is not None:
            self._set_seed(0)
        # A NUL would end the C string early and silently drop the rest of the text.
        data = text.replace("\0", " ").encode("utf-8") + b"\0"
        self._chunks = []
        try:
            status = int(
                self._lib.espeak_Synth(
                    data,
                    len(data),
                    0,
                    _POS_CHARACTER,
                    0,
                    _CHARS_UTF8 | (_SSML if ssml else 0),
                    None,
                    None,
                )
            )
            pcm = b"".join(self._chunks)
        finally:
            self._chunks = []
        if status != _EE_OK:
            raise SynthesisFailed(f"espeak-ng failed (status {status}) on {text[:60]!r}")
        return pcm

    def phonemes(self, voice: str, text: str, tie: str | None) -> list[str]:
        """IPA of ``text`` read by ``voice``, one string per clause (punctuation is dropped)."""
        if self.select(voice) is None:
            raise SynthesisFailed(f"espeak-ng could not select voice {voice!r}")
        mode = _PHONEMES_IPA | ((_PHONEMES_TIE | (ord(tie) << 8)) if tie else 0)
        buffer = ctypes.create_string_buffer(text.replace("\0", " ").encode("utf-8") + b"\0")
        pointer = ctypes.c_void_p(ctypes.addressof(buffer))
        clauses = []
        # The library moves the pointer past each clause it reads and sets it to NULL at the end.
        while pointer.value:
            out = self._lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, mode)
            if out:
                clauses.append(out.decode("utf-8", "replace"))
        return clauses


_LOCK = threading.Lock()
_LIBRARY: _Library | None = None


def _library() -> _Library:
    """The process's libespeak-ng, started on first use. Call only under ``_LOCK``."""
    global _LIBRARY
    if _LIBRARY is None:
        _LIBRARY = _Library()
    return _LIBRARY


def ipa(text: str, voice: str, tie: str | None = None) -> str:
    """The International Phonetic Alphabet espeak-ng reads ``text`` as, with voice ``voice``.

    Clauses are joined by one space and their punctuation is not kept: callers
    that need it split the text at punctuation first. ``tie``, if given, joins
    the letters of a two-letter sound (``"t^ʃ"`` for ``tie="^"``). Words espeak-ng
    takes for another language come with a marker such as ``(en)``.
    Raises ``EngineUnavailable`` if the library cannot be loaded.
    """
    with _LOCK:
        return " ".join(_library().phonemes(voice, text, tie))


def with_names(text: str, language: str) -> str | None:
    """SSML that reads each name from another language in that language; None if there is none.

    The text is escaped: it is the article's, never markup.

    >>> with_names("Ask Ramón <now> & López.", "en")
    '<speak>Ask <voice xml:lang="es-419">Ramón</voice> &lt;now&gt; &amp; <voice xml:lang="es-419">López</voice>.</speak>'
    >>> with_names("No names here.", "en") is None
    True
    """
    runs = names.name_runs(text, language)
    if not names.has_foreign_names(runs):
        return None
    body = "".join(
        f'<voice xml:lang="{run.espeak}">{escape(run.text)}</voice>'
        if run.espeak
        else escape(run.text)
        for run in runs
    )
    return f"<speak>{body}</speak>"


class EspeakEngine:
    """espeak-ng through libespeak-ng: offline, instant, 100+ languages.

    ``options.voice`` is any name espeak-ng accepts (``"en-us"``,
    ``"gmw/de"``, ``"English (America)"``, with an optional ``+variant`` such
    as ``"en-us+f3"``); without one, the voice is picked for
    ``options.language``. ``options.speed`` scales the rate of 175 words per
    minute. ``options.deterministic`` changes nothing: there is no random
    variation to turn off (see the module notes on repeatability).

    Empty or whitespace-only text raises ``SynthesisFailed``: the pipeline
    never sends it, so receiving it is a bug upstream worth surfacing.
    Text with nothing to pronounce (``"..."``) gives a few milliseconds of
    silence.
    """

    name: ClassVar[str] = "espeak"
    needs_network: ClassVar[bool] = False
    description: ClassVar[str] = "espeak-ng: offline, robotic, very fast, 100+ languages"
    memory_mb: ClassVar[int] = 30  # measured: about 24 MB resident

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self._voice: EspeakVoice | None = None

    def _resolve_voice(self, lib: _Library) -> EspeakVoice:
        if self._voice is not None:
            return self._voice
        wanted = self.options.voice
        if wanted:
            voice = lib.select(wanted)
            if voice is None:
                raise EngineUnavailable(f"espeak-ng has no voice {wanted!r}; {_HINT}")
        else:
            voice = pick_voice(lib.voices, self.options.language)
            if voice is None:
                raise EngineUnavailable(
                    f"espeak-ng has no voice for language {self.options.language!r}; {_HINT}"
                )
        self._voice = voice
        return voice

    def check(self) -> None:
        rate_for_speed(self.options.speed)
        with _LOCK:
            self._resolve_voice(_library())

    def fingerprint(self) -> str:
        rate = rate_for_speed(self.options.speed)
        with _LOCK:
            lib = _library()
            voice = self._resolve_voice(lib)
            return (
                f"espeak-ng {lib.version} voice={voice.identifier} rate={rate} "
                f"{names.fingerprint(names.enabled(self.options, default=False))}"
            )

    def voices(self) -> tuple[Voice, ...]:
        """Every espeak-ng voice, under the language code it prefers."""
        with _LOCK:
            listed = _library().voices
        return tuple(
            Voice(
                self.name,
                v.identifier,
                v.codes[0] if v.codes else "",
                None,
                True,
                v.name,
                "GPL-3.0-or-later",
            )
            for v in listed
        )

    def languages(self) -> frozenset[str]:
        """Lower-case espeak-ng codes (``"en-us"``): the chosen voice's, or every voice's."""
        with _LOCK:
            lib = _library()
            if self.options.voice:
                return frozenset(self._resolve_voice(lib).codes)
            return frozenset(code for voice in lib.voices for code in voice.codes)

    def synthesize(self, text: str) -> Audio:
        if not text.strip():
            raise SynthesisFailed("espeak-ng was given no text to speak (empty or blank sentence)")
        rate = rate_for_speed(self.options.speed)
        with _LOCK:
            lib = _library()
            voice = self._resolve_voice(lib)
            ssml = (
                with_names(text, self.options.language)
                if names.enabled(self.options, default=False)
                else None
            )
            if ssml is None:
                pcm = lib.speak(voice.identifier, rate, text)
            else:
                pcm = lib.speak(voice.identifier, rate, ssml, ssml=True)
            sample_rate = lib.sample_rate
        return Audio(pcm=pcm, sample_rate=sample_rate)
