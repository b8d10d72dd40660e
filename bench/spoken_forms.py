"""Benchmark: how often French, German, Spanish, Italian and Portuguese normalization
says a clock time, a sum of money, an ordinal or a decimal the expected way.

Run from the repository root::

    python bench/spoken_forms.py [--root CHECKOUT] [--show-misses]

The cases are phrases in the shape of each language's news writing, written for this
benchmark after ``text/spoken_forms.py`` but without trying them on it first, and
kept apart from ``tests/test_spoken_forms.py`` (no row is shared). About one in six
needs no change and must come out as it went in. Comparison is lenient, as in
``bench/normalize.py``: case, hyphens and punctuation are ignored. ``--root`` imports
``audiogen`` from another checkout (an export of an older commit) to measure the code
before a change.

A benchmark to read, not a test: it exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections import defaultdict
from pathlib import Path

# fmt: off
CASES: list[tuple[str, str, str, str]] = [
    # (language, kind, written, spoken)
    ("fr", "time", "Le conseil se réunit à 20 h 30.", "Le conseil se réunit à vingt heures trente."),
    ("fr", "time", "Fermeture à 22h.", "Fermeture à vingt-deux heures."),
    ("fr", "time", "Départ prévu à 6 h 15 demain.", "Départ prévu à six heures quinze demain."),
    ("fr", "time", "Le vote a lieu à 14:00.", "Le vote a lieu à quatorze heures."),
    ("fr", "money", "Le litre d’essence coûte 1,85 €.", "Le litre d’essence coûte un euro quatre-vingt-cinq."),
    ("fr", "money", "Une prime de 300 € par salarié.", "Une prime de trois cents euros par salarié."),
    ("fr", "money", "Un contrat de 12 M€.", "Un contrat de douze millions d’euros."),
    ("fr", "money", "Le billet vaut 45 CHF.", "Le billet vaut quarante-cinq francs suisses."),
    ("fr", "ordinal", "Le 1er ministre a parlé.", "Le premier ministre a parlé."),
    ("fr", "ordinal", "Elle a fini 3e du classement.", "Elle a fini troisième du classement."),
    ("fr", "ordinal", "C’est sa 2e victoire.", "C’est sa deuxième victoire."),
    ("fr", "ordinal", "Au 20e siècle, la ville a grandi.", "Au vingtième siècle, la ville a grandi."),
    ("fr", "plain", "Il y a 12 candidats.", "Il y a douze candidats."),
    ("fr", "plain", "Le score final est 3 à 1.", "Le score final est trois à un."),
    ("de", "time", "Die Sitzung beginnt um 19:30 Uhr.", "Die Sitzung beginnt um neunzehn Uhr dreißig."),
    ("de", "time", "Geöffnet bis 18.00 Uhr.", "Geöffnet bis achtzehn Uhr."),
    ("de", "time", "Der Bus kam um 7:45.", "Der Bus kam um sieben Uhr fünfundvierzig."),
    ("de", "money", "Ein Kaffee kostet 3,20 €.", "Ein Kaffee kostet drei Euro zwanzig."),
    ("de", "money", "Die Miete steigt auf 950 €.", "Die Miete steigt auf neunhundertfünfzig Euro."),
    ("de", "money", "Das Projekt kostet 2,7 Mio. €.", "Das Projekt kostet zwei Komma sieben Millionen Euro."),
    ("de", "money", "Der Eintritt kostet 15 CHF.", "Der Eintritt kostet fünfzehn Franken."),
    ("de", "ordinal", "Am 9. November fiel die Mauer.", "Am neunten November fiel die Mauer."),
    ("de", "ordinal", "Vom 1. Juli an gilt die Regel.", "Vom ersten Juli an gilt die Regel."),
    ("de", "ordinal", "Sie gewann zum 4. Mal.", "Sie gewann zum vierten Mal."),
    ("de", "ordinal", "Der 2. Platz ging an Köln.", "Der zweite Platz ging an Köln."),
    ("de", "plain", "Es kamen 40 Gäste.", "Es kamen vierzig Gäste."),
    ("de", "plain", "Das Spiel endete 2:1.", "Das Spiel endete zwei zu eins."),
    ("es", "time", "El pleno empieza a las 10:30.", "El pleno empieza a las diez y treinta."),
    ("es", "time", "Abre a las 9:15.", "Abre a las nueve y quince."),
    ("es", "money", "El café cuesta 1,40 €.", "El café cuesta un euro con cuarenta."),
    ("es", "money", "Una ayuda de 600 € al mes.", "Una ayuda de seiscientos euros al mes."),
    ("es", "money", "Un fondo de 3 millones de €.", "Un fondo de tres millones de euros."),
    ("es", "ordinal", "Terminó en 2.º lugar.", "Terminó en segundo lugar."),
    ("es", "ordinal", "Es la 5ª edición del festival.", "Es la quinta edición del festival."),
    ("es", "ordinal", "El 1.er premio fue para ella.", "El primer premio fue para ella."),
    ("es", "decimal", "El paro bajó al 11,7 %.", "El paro bajó al once coma siete por ciento."),
    ("es", "decimal", "Creció un 2,5 por ciento.", "Creció un dos coma cinco por ciento."),
    ("es", "plain", "Llegaron 25 personas.", "Llegaron veinticinco personas."),
    ("it", "time", "La riunione è alle 17:30.", "La riunione è alle diciassette e trenta."),
    ("it", "time", "Il museo apre alle 10:00.", "Il museo apre alle dieci."),
    ("it", "money", "Il biglietto costa 2,20 €.", "Il biglietto costa due euro e venti."),
    ("it", "money", "Un bonus di 500 € per famiglia.", "Un bonus di cinquecento euro per famiglia."),
    ("it", "ordinal", "È arrivata 2ª nella gara.", "È arrivata seconda nella gara."),
    ("it", "ordinal", "Il 4º posto è del Milan.", "Il quarto posto è del Milan."),
    ("it", "plain", "Sono arrivati 30 turisti.", "Sono arrivati trenta turisti."),
    ("pt", "time", "A reunião começa às 9h30.", "A reunião começa às nove horas e trinta."),
    ("pt", "time", "O jogo começa às 21h.", "O jogo começa às vinte e uma horas."),
    ("pt", "money", "O café custa 1,20 €.", "O café custa um euro e vinte."),
    ("pt", "money", "Uma multa de 250 €.", "Uma multa de duzentos e cinquenta euros."),
    ("pt-BR", "money", "A passagem custa R$ 4,40.", "A passagem custa quatro reais e quarenta."),
    ("pt-BR", "money", "Um salário de R$ 2.500.", "Um salário de dois mil e quinhentos reais."),
    ("pt-BR", "time", "O voo sai às 16h45.", "O voo sai às dezesseis horas e quarenta e cinco."),
    ("pt", "ordinal", "Ficou em 2º lugar.", "Ficou em segundo lugar."),
    ("pt", "ordinal", "É a 3ª vez.", "É a terceira vez."),
    ("pt", "plain", "Chegaram 15 pessoas.", "Chegaram quinze pessoas."),
]
# fmt: on


def _key(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="import audiogen from this checkout")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    if args.root:
        sys.path.insert(0, str(args.root.resolve()))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    normalize = importlib.import_module("audiogen.text.normalize")
    print(f"normalizer: {normalize.__file__}")
    right: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for language, kind, written, spoken in CASES:
        said = normalize.normalize_sentence(written, language)
        ok = _key(said) == _key(spoken)
        right[(language.split("-")[0], kind)].append(ok)
        if args.show_misses and not ok:
            print(f"  miss [{language}] {written!r}\n       said {said!r}\n   expected {spoken!r}")
    print(f"{'language':9} {'kind':8} {'cases':>5} {'right':>6}")
    for (language, kind), oks in sorted(right.items()):
        print(f"{language:9} {kind:8} {len(oks):5} {sum(oks) / len(oks):6.0%}")
    total = [ok for oks in right.values() for ok in oks]
    print(f"{'overall':18} {len(total):5} {sum(total) / len(total):6.1%}")


if __name__ == "__main__":
    main()
