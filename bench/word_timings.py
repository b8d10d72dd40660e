"""Benchmark: what word timings cost, whether they change the audio, how close they are.

Run from the repository root (not part of ``make test``)::

    .venv/bin/python bench/word_timings.py --voices-dir DIR
    .venv/bin/python bench/word_timings.py --voices-dir DIR --lab-venv /tmp/listen-lab-venv
    .venv/bin/python bench/word_timings.py --engine hibari --lab-venv /tmp/listen-lab-venv

``--voices-dir`` is where ``audiogen voices install`` put the voices (``audiogen
voices --json`` prints it); ``--engine hibari`` measures hibari's voice instead
(English only, at speeds 1.0, 1.3 and 0.8; no voices folder needed). Printed:

1. load time and peak resident memory of a process that loads the model and
   speaks one sentence, with the durations output added and without it (each
   in a fresh process, best of three loads);
2. whether the audio is the same, sample for sample, with and without it, on
   the sample article's sentences (English) and on the Spanish and French ones
   (hibari: the engine's audio against hibari-tts's own call with its seed);
3. how the word timings sit in the sound: the share of each sentence's
   energy inside its words, and how far the sound's onset lies before the
   first word's start;
4. with ``--lab-venv`` (the listening lab's, which has faster-whisper and
   Whisper base), Whisper's own word timestamps on the same audio, and how far
   the engine's word starts are from them (median and 90th percentile).

Nothing is asserted: the figures are for a person to read.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from audiogen.engines import hibari, kokoro  # noqa: E402
from audiogen.engines.base import EngineOptions  # noqa: E402
from audiogen.engines.hibari import HibariEngine  # noqa: E402
from audiogen.engines.kokoro import KokoroEngine  # noqa: E402
from audiogen.engines.words import with_durations  # noqa: E402
from tests.conftest import SAMPLE, prepared  # noqa: E402

SPEEDS = (1.0, 1.3, 0.8)  # hibari's
ARTICLES = {
    "en": ("af_heart", SAMPLE),
    "es": ("ef_dora", REPO / "bench" / "articles" / "es-mercado.md"),
    "fr": ("ff_siwis", REPO / "bench" / "articles" / "fr-bibliotheque.md"),
}
WHISPER = """
import json, sys
from faster_whisper import WhisperModel
model = WhisperModel(sys.argv[1], device="cpu", compute_type="int8", cpu_threads=2)
out = []
for path in sys.argv[3:]:
    segments, _ = model.transcribe(path, language=sys.argv[2], word_timestamps=True, beam_size=5)
    out.append([[w.word, w.start, w.end] for s in segments for w in s.words])
print(json.dumps(out))
"""


def engine(folder: str, voice: str, language: str) -> KokoroEngine:
    settings = (("voices_dir", folder),)
    return KokoroEngine(EngineOptions(voice=voice, language=language, threads=1, settings=settings))


def load_figures(folder: str, durations: bool) -> dict[str, float]:
    """In this (fresh) process: load time and peak memory after one sentence."""
    import onnxruntime

    start = time.perf_counter()
    model = kokoro.load_model_bytes()
    if durations:
        model = with_durations(model, kokoro.DURATIONS, "the Kokoro model")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    loaded = time.perf_counter() - start
    subject = engine(folder, "af_heart", "en")
    ids = kokoro.to_ids(subject.phonemize("The harbor's solar array powers every crane."))
    styles = kokoro.read_styles(subject._voice_path())
    feed = {
        "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
        "style": kokoro.style_for(styles, len(ids)),
        "speed": np.array([1.0], dtype=np.float32),
    }
    session.run(None, feed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"load_s": loaded, "peak_mb": peak}


def hibari_load_figures(durations: bool) -> dict[str, float]:
    """In this (fresh) process: hibari's load time and peak memory after one sentence,
    through the engine (durations) or through hibari-tts as it ships (without)."""
    start = time.perf_counter()
    text = "The harbor's solar array powers every crane."
    if durations:
        HibariEngine(EngineOptions(threads=1)).synthesize(text)
    else:
        plain_hibari()(text, 1.0, seed=hibari.NOISE_SEED)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"load_s": time.perf_counter() - start, "peak_mb": peak}


def plain_hibari() -> Any:
    from hibari import Hibari
    from hibari.voices import voice_path

    return Hibari(voice="heart", model=voice_path("heart", download_missing=False), threads=1)


def fresh(folder: str | None, durations: bool) -> dict[str, float]:
    call = "hibari_load_figures(d)" if folder is None else "load_figures(sys.argv[3], d)"
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "from bench.word_timings import load_figures, hibari_load_figures; "
        f"d = sys.argv[2] == '1'; print(json.dumps({call}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(REPO), "1" if durations else "0", folder or ""],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(out.stdout)
    return figures


def sentences(language: str, path: Path) -> list[str]:
    article = prepared(path, language=language)
    return [s.spoken for section in article.sections for s in section.sentences]


def identical(folder: str, voice: str, language: str, texts: list[str]) -> tuple[int, int]:
    """(sentences whose audio is the same to the sample, sentences) with and without durations."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    plain = onnxruntime.InferenceSession(
        kokoro.load_model_bytes(), options, providers=["CPUExecutionProvider"]
    )
    subject = engine(folder, voice, language)
    session, styles = subject._load()
    same = 0
    for text in texts:
        results = []
        for run in (session, plain):
            pieces = []
            for chunk in kokoro.chunk_phonemes(subject.phonemize(text)):
                ids = kokoro.to_ids(chunk)
                feed = {
                    "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
                    "style": kokoro.style_for(styles, len(ids)),
                    "speed": np.array([1.0], dtype=np.float32),
                }
                pieces.append(run.run(None, feed)[0].reshape(-1))
            results.append(np.concatenate(pieces))
        same += bool(np.array_equal(results[0], results[1]))
    return same, len(texts)


def hibari_identical(texts: list[str], speed: float) -> tuple[int, int]:
    """(sentences whose audio is the engine's to the sample, sentences): the engine against
    hibari-tts's own call with the engine's noise seed."""
    plain = plain_hibari()
    subject = HibariEngine(EngineOptions(threads=1, speed=speed))
    same = sum(
        subject.synthesize(text).pcm == kokoro.to_pcm(plain(text, speed, seed=hibari.NOISE_SEED))
        for text in texts
    )
    return same, len(texts)


def placement(audio: Any) -> tuple[float, float]:
    """(share of the energy inside the words, ms from the sound's onset to the first word)."""
    samples = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)
    inside = np.zeros(len(samples), dtype=bool)
    for word in audio.words:
        inside[word.start : word.end] = True
    share = float((samples[inside] ** 2).sum() / (samples**2).sum())
    onset = int(np.flatnonzero(np.abs(samples) > 0.1 * np.abs(samples).max())[0])
    return share, 1000 * (audio.words[0].start - onset) / audio.sample_rate


def write_wav(path: Path, audio: Any) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.sample_rate)
        out.writeframes(audio.pcm)


def key(word: str) -> str:
    return "".join(c for c in word.casefold() if c.isalnum())


def whisper_offsets(lab: str, language: str, audios: list[Any]) -> list[float]:
    """The engine's word starts minus Whisper's, in ms, for the words both found."""
    model = str(Path(lab) / "share" / "listen-lab" / "whisper-base")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n, audio in enumerate(audios):
            paths.append(Path(folder) / f"{n}.wav")
            write_wav(paths[-1], audio)
        out = subprocess.run(
            [str(Path(lab) / "bin" / "python"), "-c", WHISPER, model, language, *map(str, paths)],
            check=True,
            capture_output=True,
            text=True,
        )
    offsets = []
    for audio, heard in zip(audios, json.loads(out.stdout), strict=True):
        ours = [(key(w.text), 1000 * w.start / audio.sample_rate) for w in audio.words]
        theirs = [(key(text), 1000 * start) for text, start, _ in heard]
        matcher = SequenceMatcher(
            None, [k for k, _ in ours], [k for k, _ in theirs], autojunk=False
        )
        for block in matcher.get_matching_blocks():
            for n in range(block.size):
                offsets.append(ours[block.a + n][1] - theirs[block.b + n][1])
    return offsets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("kokoro", "hibari"), default="kokoro")
    parser.add_argument("--voices-dir", help="Kokoro's voices (required for kokoro)")
    parser.add_argument("--lab-venv", default=None)
    args = parser.parse_args()
    if args.engine == "kokoro" and not args.voices_dir:
        parser.error("--voices-dir is required for kokoro")

    print("1. load time and peak memory (fresh process, one sentence, best of 3)")
    folder = args.voices_dir if args.engine == "kokoro" else None
    for durations in (False, True):
        runs = [fresh(folder, durations) for _ in range(3)]
        load = min(r["load_s"] for r in runs)
        peak = min(r["peak_mb"] for r in runs)
        label = "with durations   " if durations else "without (as was) "
        print(f"   {label} load {load:.2f} s   peak RSS {peak:.0f} MB")

    print("2. audio with and without the durations output")
    if args.engine == "hibari":
        hibari_main(args.lab_venv)
        return
    texts = {lang: sentences(lang, path) for lang, (_, path) in ARTICLES.items()}
    for lang, (voice, _) in ARTICLES.items():
        same, total = identical(args.voices_dir, voice, lang, texts[lang])
        print(f"   {lang} {voice}: {same} of {total} sentences identical to the sample")

    print("3. where the words sit in the sound")
    for lang, (voice, _) in ARTICLES.items():
        subject = engine(args.voices_dir, voice, lang)
        audios = [subject.synthesize(text) for text in texts[lang]]
        print_placement(lang, lang, audios, args.lab_venv)


def hibari_main(lab_venv: str | None) -> None:
    texts = sentences("en", SAMPLE)
    for speed in SPEEDS:
        same, total = hibari_identical(texts, speed)
        print(f"   en hibari:heart at {speed}: {same} of {total} sentences identical to the sample")
    print("3. where the words sit in the sound")
    for speed in SPEEDS:
        subject = HibariEngine(EngineOptions(threads=1, speed=speed))
        audios = [subject.synthesize(text) for text in texts]
        print_placement(f"en at {speed}", "en", audios, lab_venv)


def print_placement(label: str, language: str, audios: list[Any], lab_venv: str | None) -> None:
    """Where the words sit in the sound, and (with the lab) how far Whisper puts them."""
    timed = [a for a in audios if a.words]
    shares, onsets = zip(*(placement(a) for a in timed), strict=True)
    print(
        f"   {label}: {len(timed)} of {len(audios)} sentences timed; energy inside words "
        f"{min(shares):.0%}-{max(shares):.0%}; onset before first word "
        f"{min(onsets):.0f}-{max(onsets):.0f} ms (median {statistics.median(onsets):.0f})"
    )
    if lab_venv:
        offsets = whisper_offsets(lab_venv, language, timed)
        spread = sorted(abs(o) for o in offsets)
        print(
            f"      vs Whisper base word starts ({len(offsets)} words): median |d| "
            f"{statistics.median(spread):.0f} ms, 90th percentile "
            f"{spread[int(0.9 * (len(spread) - 1))]:.0f} ms, mean d (ours - Whisper) "
            f"{statistics.mean(offsets):+.0f} ms"
        )


if __name__ == "__main__":
    main()
