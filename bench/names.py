"""Benchmark: are names from other languages, and "U.S.", heard right with every offline engine?

Each engine reads the sentences below twice, once with ``origin_names = true``
(names read in their own language's sounds, moved to the nearest English ones) and
once with ``origin_names = false`` (every word through the engine's English rules).
The engines' defaults were chosen with these figures. The listening lab's Whisper
round trip transcribes both readings and the script prints, per engine and mode:

- names: how many of the name words (accents ignored) Whisper wrote down;
- U.S.: how many of the "U.S." were heard as "U.S."/"US" (said as letters);
- WER over all the sentences.

Build the lab once (``bash LAB/listen-lab-setup.sh``), then from the repository root::

    .venv/bin/python bench/names.py --lab LAB [--lab-venv VENV] [--voices-dir DIR]
    .venv/bin/python bench/names.py --lab LAB --engines hibari,piper

gTTS is left out: it needs the network, and the cloud voice reads names its own way.
Nothing is asserted: the figures are for a person to read.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import wave
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAUSE_S = 0.4

# (sentence, the name words to listen for). Written for this benchmark, in news style.
SENTENCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "President Andrés Manuel López Obrador spoke to reporters on Tuesday.",
        ("Andrés", "Manuel", "López", "Obrador"),
    ),
    ("The striker Raúl Jiménez scored twice in the second half.", ("Raúl", "Jiménez")),
    ("Pedro Sánchez, the prime minister, arrived late.", ("Sánchez",)),
    ("The actress Penélope Cruz thanked Pedro Almodóvar.", ("Penélope", "Almodóvar")),
    ("Former chancellor Gerhard Schröder met the mayor.", ("Schröder",)),
    ("The conductor Jürgen Müller gave his last concert.", ("Jürgen", "Müller")),
    ("Economists quoted François Villeroy de Galhau at length.", ("François", "Villeroy")),
    ("The novelist Michel Houellebecq met Jérôme Garcin.", ("Jérôme", "Garcin")),
    ("Lech Wałęsa led the strikes at the shipyard.", ("Lech", "Wałęsa")),
    ("The orchestra played Antonín Dvořák after the interval.", ("Antonín", "Dvořák")),
    ("The philosopher Søren Kierkegaard wrote under false names.", ("Søren", "Kierkegaard")),
    ("The author Gabriel García Márquez was born in Aracataca.", ("García", "Márquez")),
    ("Chef José Andrés fed thousands of people after the storm.", ("José", "Andrés")),
    ("The physicist Erwin Schrödinger described a famous cat.", ("Schrödinger",)),
    ("The painter Joan Miró lived in Barcelona for years.", ("Miró",)),
    ("The writer Günter Grass won the Nobel Prize.", ("Günter",)),
    ("Sebastián Piñera governed Chile twice.", ("Sebastián", "Piñera")),
    ("The director Alejandro González Iñárritu won the award.", ("González", "Iñárritu")),
    ("Prime Minister Viktor Orbán held a press conference.", ("Orbán",)),
    ("The footballer Zlatan Ibrahimović joined the club.", ("Zlatan", "Ibrahimović")),
    ("The actor Gérard Depardieu sold his house.", ("Gérard", "Depardieu")),
    ("The composer Frédéric Chopin was born near Warsaw.", ("Frédéric", "Chopin")),
    ("Protesters gathered in Bogotá and in Zürich.", ("Bogotá", "Zürich")),
    ("The coach José Mourinho left after two seasons.", ("José", "Mourinho")),
    ("The singer Beyoncé opened her tour in Paris.", ("Beyoncé",)),
    ("Tennis star Novak Đoković beat Rafael Nadal.", ("Novak", "Đoković")),
    ("Homeland Security Secretary Alejandro Mayorkas visited the border.", ("Mayorkas",)),
    ("The U.S. economy grew faster than the U.S. Treasury expected.", ()),
    ("Officials in the U.S. and Canada agreed on new rules.", ()),
)
DEFAULT_ENGINES = ("hibari", "kokoro:af_heart", "piper")


def fold(word: str) -> str:
    """Lower case, accents and punctuation off: how a name is compared with what was heard."""
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def synthesize(spec: str, origin_names: bool, voices_dir: str | None, wav: Path) -> str:
    """Every sentence read by one engine into ``wav``; the exact text read, for the lab."""
    sys.path.insert(0, str(REPO))
    import numpy as np

    from audiogen.engines.base import EngineOptions
    from audiogen.engines.registry import engine_class
    from audiogen.text.normalize import normalize_sentence

    name, _, voice = spec.partition(":")
    settings: dict[str, object] = {"origin_names": origin_names}
    if name == "kokoro" and voices_dir:
        settings["voices_dir"] = voices_dir
    options = EngineOptions(
        voice=voice or None, language="en-US", settings=EngineOptions.table(settings)
    )
    engine = engine_class(name)(options)
    engine.check()
    pieces, spoken, rate = [], [], 22050
    for written, _ in SENTENCES:
        text = normalize_sentence(written, "en")
        audio = engine.synthesize(text)
        rate = audio.sample_rate
        pieces.append(np.frombuffer(audio.pcm, dtype="<i2"))
        pieces.append(np.zeros(int(PAUSE_S * rate), dtype="<i2"))
        spoken.append(text)
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.concatenate(pieces).tobytes())
    return " ".join(spoken)


def listen(args: argparse.Namespace, wav: Path, text: str) -> dict:
    """The lab's Whisper round trip of one reading."""
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "spoken.txt"
        reference.write_text(text, encoding="utf-8")
        scores = Path(tmp) / "scores.json"
        command = [sys.executable, str(Path(args.lab) / "listen_lab.py"), str(wav)]
        command += ["--text-file", str(reference), "--no-mos", "--json", str(scores), "-q"]
        env = dict(os.environ, **({"LISTEN_LAB_VENV": args.lab_venv} if args.lab_venv else {}))
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        result: dict = json.loads(scores.read_text(encoding="utf-8"))["results"][0]["asr:base"]
    return result


def score(heard: str) -> tuple[int, int, int, int]:
    """(names heard, name words, "U.S." heard, "U.S." said) for one transcript."""
    words = [fold(w) for w in heard.split()]
    wanted = [fold(w) for _, names in SENTENCES for w in names]
    remaining = list(words)
    hits = 0
    for word in wanted:
        if word in remaining:
            remaining.remove(word)
            hits += 1
    said = sum(written.count("U.S.") for written, _ in SENTENCES)
    heard_us = len(re.findall(r"\bU\.?\s?S\b\.?", heard))
    return hits, len(wanted), min(heard_us, said), said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lab", required=True, help="folder of the listening lab")
    parser.add_argument("--lab-venv", help="the lab's venv (default: the lab's own default)")
    parser.add_argument("--voices-dir", help="Kokoro voices (default: the user's data folder)")
    parser.add_argument("--engines", default=",".join(DEFAULT_ENGINES), help="ENGINE[:VOICE],...")
    parser.add_argument("--show", action="store_true", help="print what Whisper heard")
    args = parser.parse_args()
    if args.voices_dir is None:  # where `audiogen voices install` puts them
        sys.path.insert(0, str(REPO))
        from audiogen.cli import resolve_data_dir
        from audiogen.engines.catalog import voices_folder

        args.voices_dir = str(voices_folder(resolve_data_dir()))
    print(f"{'engine':18} {'names':>12} {'names off':>12} {'U.S.':>6} {'WER':>7} {'WER off':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.engines.split(","):
            row = []
            for origin_names in (True, False):
                wav = Path(tmp) / f"{spec.replace(':', '-')}-{origin_names}.wav"
                result = listen(args, wav, synthesize(spec, origin_names, args.voices_dir, wav))
                if args.show:
                    print(f"  {spec} origin_names={origin_names}: {result['hyp']}", file=sys.stderr)
                row.append((score(result["hyp"]), result["wer"]))
            (hits, total, us, said), wer = row[0]
            (hits_off, _, _, _), wer_off = row[1]
            print(
                f"{spec:18} {hits:>5}/{total:<6} {hits_off:>5}/{total:<6} {us}/{said:<4} "
                f"{wer:>6.1%} {wer_off:>8.1%}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
