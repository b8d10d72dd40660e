"""Benchmark: which voice to default to, per language, by what a listener would hear.

Each candidate voice reads the same article; the listening lab then
transcribes the reading with Whisper base (offline) and scores its predicted
quality with Distill-MOS. Printed per voice:

- WER: the round trip's word error rate against the exact words spoken;
- MOS: Distill-MOS's predicted quality (1..5);
- x real time: seconds of audio per second of synthesis, one thread, the
  model already loaded (load time is printed apart);
- peak memory of the process that loaded the engine and spoke the article.

The listening lab is a separate tool with its own virtual environment (torch,
faster-whisper, distillmos: none of them audiogen dependencies). Build it once::

    bash LAB/listen-lab-setup.sh                      # venv in /tmp/listen-lab-venv
    LISTEN_LAB_VENV=/tmp/lab bash LAB/listen-lab-setup.sh   # or anywhere else

then run, from the repository root::

    .venv/bin/python bench/voices.py --lab LAB --seed SEED.txt --voices-dir DIR
    .venv/bin/python bench/voices.py --lab LAB --lab-venv /tmp/lab --only es,fr

``--voices-dir`` is where ``audiogen voices install`` put the Kokoro voices
(``audiogen voices --json`` prints it). English is read from ``--seed`` (any
article; the project's measurements use the seed article of its shared
corpus); the other languages from the articles in ``bench/articles/``.
Nothing is asserted: the figures are for a person to read.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "articles"
PAUSE_S = 0.3  # between sentences, as a build would leave

# language -> (article, voices as ENGINE:VOICE); English's article is --seed.
CANDIDATES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "en": (
        None,
        (
            "piper:en_US-joe-medium",
            "hibari:heart",
            "kokoro:af_heart",
            "kokoro:af_bella",
            "kokoro:am_michael",
            "kokoro:bf_emma",
        ),
    ),
    "es": ("es-mercado.md", ("kokoro:ef_dora", "kokoro:em_alex", "espeak:es")),
    "fr": ("fr-bibliotheque.md", ("kokoro:ff_siwis", "espeak:fr")),
    "it": ("it-treno.md", ("kokoro:if_sara", "kokoro:im_nicola")),
    "pt": ("pt-praia.md", ("kokoro:pf_dora", "kokoro:pm_alex")),
    "hi": (
        "hi-mela.md",
        ("kokoro:hf_alpha", "kokoro:hf_beta", "kokoro:hm_omega", "kokoro:hm_psi", "espeak:hi"),
    ),
}


def spoken_sentences(article: Path, language: str) -> list[str]:
    """What a build would say for the article: its title, then every sentence."""
    sys.path.insert(0, str(REPO))
    from audiogen import pipeline
    from audiogen.models import Article
    from audiogen.options import BuildOptions

    (prepared,) = pipeline.preview([str(article)], BuildOptions(language=language))
    assert isinstance(prepared, Article), f"{article} is unreadable: {prepared}"
    out = [prepared.spoken_title or prepared.title]
    for section in prepared.sections:
        if section.index > 0:
            out.append(section.spoken_title or section.title)
        out.extend(sentence.spoken for sentence in section.sentences)
    return [s for s in out if s.strip()]


def worker(spec: str, language: str, sentences: list[str], wav: Path, voices_dir: str) -> dict:
    """Load one voice, speak every sentence into ``wav``; timings and peak memory."""
    sys.path.insert(0, str(REPO))
    import numpy as np

    from audiogen.engines.base import EngineOptions
    from audiogen.engines.registry import engine_class

    engine_name, _, voice = spec.partition(":")
    voice_option = None if engine_name == "piper" else voice  # Piper's default is joe
    settings = (("voices_dir", voices_dir),) if engine_name == "kokoro" else ()
    options = EngineOptions(voice=voice_option, language=language, threads=1, settings=settings)
    started = time.perf_counter()
    engine = engine_class(engine_name)(options)
    engine.check()
    engine.synthesize(sentences[0].split()[0])  # one word: loads the model
    load_s = time.perf_counter() - started
    pieces, audio_s, synth_s = [], 0.0, 0.0
    for sentence in sentences:
        t0 = time.perf_counter()
        audio = engine.synthesize(sentence)
        synth_s += time.perf_counter() - t0
        audio_s += audio.duration_ms / 1000
        pieces.append(np.frombuffer(audio.pcm, dtype="<i2"))
        pieces.append(np.zeros(int(PAUSE_S * audio.sample_rate), dtype="<i2"))
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.sample_rate)
        out.writeframes(np.concatenate(pieces).tobytes())
    return {
        "voice": spec,
        "audio_s": round(audio_s, 2),
        "synth_s": round(synth_s, 2),
        "x_realtime": round(audio_s / synth_s, 1) if synth_s else None,
        "load_s": round(load_s, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "fingerprint": engine.fingerprint(),
    }


def run_voice(spec: str, language: str, sentences: list[str], wav: Path, voices_dir: str) -> dict:
    """The worker in a fresh process, so each voice's memory is its own."""
    job = wav.with_suffix(".job.json")
    job.write_text(json.dumps({"sentences": sentences}), encoding="utf-8")
    command = [sys.executable, __file__, "--worker", spec, "--language", language]
    command += ["--job", str(job), "--wav", str(wav), "--voices-dir", voices_dir]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"voice": spec, "error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def listen(lab: Path, lab_venv: str | None, wavs: list[Path], text: str, language: str) -> dict:
    """The lab's WER and Distill-MOS for each file, by file name."""
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "spoken.txt"
        reference.write_text(text, encoding="utf-8")
        scores = Path(tmp) / "scores.json"
        command = [sys.executable, str(lab / "listen_lab.py"), *map(str, wavs)]
        command += ["--text-file", str(reference), "--language", language, "--no-dnsmos"]
        command += ["--json", str(scores), "-q"]
        env = dict(os.environ, **({"LISTEN_LAB_VENV": lab_venv} if lab_venv else {}))
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        rows = json.loads(scores.read_text(encoding="utf-8"))["results"]
    return {Path(row["file"]).name: row for row in rows}


def measure(language: str, args: argparse.Namespace, workdir: Path) -> list[dict]:
    name, voices = CANDIDATES[language]
    voices = tuple(v for v in voices if not args.voice or v in args.voice)
    article = Path(args.seed) if name is None else ARTICLES / name
    sentences = spoken_sentences(article, language)
    rows, wavs = [], []
    for spec in voices:
        wav = workdir / f"{language}-{spec.replace(':', '-')}.wav"
        row = run_voice(spec, language, sentences, wav, args.voices_dir)
        print(f"  {language} {spec}: {row}", file=sys.stderr, flush=True)
        rows.append(row)
        if "error" not in row:
            wavs.append(wav)
    if args.no_listen:
        return rows
    scores = listen(Path(args.lab), args.lab_venv, wavs, " ".join(sentences), language)
    for row, wav in zip([r for r in rows if "error" not in r], wavs, strict=True):
        score = scores[wav.name]
        row["wer"] = score["asr:base"]["wer"]
        row["errors"] = score["asr:base"]["errors"]
        row["mos"] = score["distillmos"]
    return rows


def print_table(language: str, rows: list[dict]) -> None:
    print(
        f"\n{language}: WER (Whisper base)  MOS (Distill-MOS)  x real time (1 thread)  load  peak"
    )
    for row in sorted(rows, key=lambda r: (r.get("wer", 9), -r.get("mos", 0))):
        if "error" in row:
            print(f"  {row['voice']:<24} failed: {row['error']}")
            continue
        if "wer" not in row:
            row = {**row, "wer": float("nan"), "mos": float("nan")}
        print(
            f"  {row['voice']:<24} {100 * row['wer']:5.1f}%  {row['mos']:5.2f}  "
            f"{row['x_realtime']:7.1f}x  {row['load_s']:5.2f} s  {row['peak_mb']:5d} MB"
            f"  ({row['audio_s']:.0f} s of audio)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lab", help="folder of the listening lab (listen_lab.py)")
    parser.add_argument("--lab-venv", help="the lab's venv (default: the lab's own default)")
    parser.add_argument("--seed", help="the English article to read")
    parser.add_argument(
        "--voices-dir", help="folder of the Kokoro voices (default: where install puts them)"
    )
    parser.add_argument("--only", help="comma list of languages (default: en,es,fr,it,pt,hi)")
    parser.add_argument("--voice", action="append", help="measure only these ENGINE:VOICE")
    parser.add_argument(
        "--no-listen", action="store_true", help="speed and memory only (no lab needed)"
    )
    parser.add_argument("--keep", help="keep the readings (WAV) and figures (JSON) in this folder")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--language", help=argparse.SUPPRESS)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--wav", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.voices_dir:
        import platformdirs

        sys.path.insert(0, str(REPO))
        from audiogen.engines.catalog import voices_folder

        args.voices_dir = str(voices_folder(platformdirs.user_data_path("audiogen")))
    if args.worker:
        sentences = json.loads(Path(args.job).read_text(encoding="utf-8"))["sentences"]
        row = worker(args.worker, args.language, sentences, Path(args.wav), args.voices_dir)
        print(json.dumps(row))
        return 0
    if not args.no_listen and not (args.lab and (Path(args.lab) / "listen_lab.py").is_file()):
        parser.error("--lab must name the listening lab's folder (it holds listen_lab.py)")
    wanted = (args.only or ",".join(CANDIDATES)).split(",")
    if "en" in wanted and not (args.seed and Path(args.seed).is_file()):
        parser.error("--seed must name the English article to read")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = {language: measure(language, args, workdir) for language in wanted}
        if args.keep:
            (workdir / "voices.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    for language, rows in results.items():
        print_table(language, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
