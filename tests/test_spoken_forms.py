"""Table tests for clock times, money and ordinals in French, German, Spanish, Italian
and Portuguese (audiogen.text.spoken_forms), through the whole normalizer."""

from __future__ import annotations

import doctest

import pytest

from audiogen.text import spoken_forms
from audiogen.text.normalize import normalize_sentence


def test_doctests() -> None:
    result = doctest.testmod(spoken_forms)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Rendez-vous à 18 h 45.", "Rendez-vous à dix-huit heures quarante-cinq."),
        ("fr", "Ouvert de 9h à 17h.", "Ouvert de neuf heures à dix-sept heures."),
        ("fr", "Le train part à 7:05.", "Le train part à sept heures cinq."),
        ("fr", "Il est 1 h du matin.", "Il est une heure du matin."),
        ("fr", "Vers 21h30, la foule est partie.", "Vers vingt et une heures trente, la foule est partie."),
        ("de", "Der Zug fährt um 18:45 Uhr.", "Der Zug fährt um achtzehn Uhr fünfundvierzig."),
        ("de", "Geöffnet ab 8.30 Uhr.", "Geöffnet ab acht Uhr dreißig."),
        ("de", "Anpfiff ist um 20:00.", "Anpfiff ist um zwanzig Uhr."),
        ("de", "Es war 1:10 Uhr nachts.", "Es war ein Uhr zehn nachts."),
        ("es", "La reunión es a las 18:45.", "La reunión es a las dieciocho y cuarenta y cinco."),
        ("es", "Abre a la 1:30.", "Abre a la una y treinta."),
        ("es", "El vuelo sale a las 7:00.", "El vuelo sale a las siete en punto."),
        ("it", "Il treno parte alle 18:45.", "Il treno parte alle diciotto e quarantacinque."),
        ("it", "Apre alle 9:00.", "Apre alle nove."),
        ("pt", "A sessão começa às 18h45.", "A sessão começa às dezoito horas e quarenta e cinco."),
        ("pt-BR", "O jogo é às 16h.", "O jogo é às dezesseis horas."),
        ("pt", "Chegou às 2h10.", "Chegou às duas horas e dez."),
    ],
)  # fmt: skip
def test_clock_times(language: str, text: str, expected: str) -> None:
    assert normalize_sentence(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Le ticket coûte 1,90 €.", "Le ticket coûte un euro quatre-vingt-dix."),
        ("fr", "Un loyer de 850 € par mois.", "Un loyer de huit cent cinquante euros par mois."),
        ("fr", "Une amende de 1 500 €.", "Une amende de mille cinq cents euros."),
        ("fr", "Un budget de 2,5 M€.", "Un budget de deux virgule cinq millions d’euros."),
        ("fr", "Il gagne 20 CHF de l’heure.", "Il gagne vingt francs suisses de l’heure."),
        ("fr", "Le prix est de 1 €.", "Le prix est de un euro."),
        ("de", "Das Ticket kostet 2,90 €.", "Das Ticket kostet zwei Euro neunzig."),
        ("de", "Eine Strafe von 1.500 Euro und 30 €.", "Eine Strafe von eintausendfünfhundert Euro und dreißig Euro."),
        ("de", "Der Umsatz lag bei 4,2 Mrd. €.", "Der Umsatz lag bei vier Komma zwei Milliarden Euro."),
        ("de", "Es kostet 12 CHF.", "Es kostet zwölf Franken."),
        ("de", "Nur 1 € pro Tag.", "Nur ein Euro pro Tag."),
        ("es", "El billete cuesta 2,50 €.", "El billete cuesta dos euros con cincuenta."),
        ("es", "Pagó 1 € y 300 $.", "Pagó un euro y trescientos dólares."),
        ("es", "Una multa de 1.200 €.", "Una multa de mil doscientos euros."),
        ("it", "Il biglietto costa 1,50 €.", "Il biglietto costa un euro e cinquanta."),
        ("it", "Un premio di 2.000 €.", "Un premio di duemila euro."),
        ("pt-BR", "O ingresso custa R$ 45,90.", "O ingresso custa quarenta e cinco reais e noventa."),
        ("pt-BR", "Ganhou R$ 1.000.", "Ganhou mil reais."),
        ("pt", "Custa 3 €.", "Custa três euros."),
    ],
)  # fmt: skip
def test_money(language: str, text: str, expected: str) -> None:
    assert normalize_sentence(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Le 1er mai est férié.", "Le premier mai est férié."),
        ("fr", "C’est la 1re fois.", "C’est la première fois."),
        ("fr", "Il habite le 11e arrondissement.", "Il habite le onzième arrondissement."),
        ("fr", "Elle finit 2ème.", "Elle finit deuxième."),
        ("de", "Am 3. Oktober ist Feiertag.", "Am dritten Oktober ist Feiertag."),
        ("de", "Der 1. Mai fällt auf einen Montag.", "Der erste Mai fällt auf einen Montag."),
        ("de", "Zum 5. Mal gewann sie.", "Zum fünften Mal gewann sie."),
        ("de", "Seit dem 12. März gilt das Gesetz.", "Seit dem zwölften März gilt das Gesetz."),
        ("de", "Bis 24. Dezember bleibt es offen.", "Bis vierundzwanzigste Dezember bleibt es offen."),
        ("es", "Quedó en 3.er lugar.", "Quedó en tercer lugar."),
        ("es", "Es el 1.er día.", "Es el primer día."),
        ("es", "Llegó 1º y ella 2ª.", "Llegó primero y ella segunda."),
        ("es", "Es su 4.ª temporada.", "Es su cuarta temporada."),
        ("it", "È arrivato 3º.", "È arrivato terzo."),
        ("it", "La 2ª edizione.", "La seconda edizione."),
        ("pt", "Ficou em 1º lugar.", "Ficou em primeiro lugar."),
        ("pt", "A 3ª tentativa.", "A terceira tentativa."),
    ],
)  # fmt: skip
def test_ordinals(language: str, text: str, expected: str) -> None:
    assert normalize_sentence(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Il a 15 ans et 3 enfants."),
        ("fr", "Une pause de 2,5 h."),
        ("fr", "Le score était 2:1."),
        ("de", "Auf Seite 3. Dann geht es weiter."),
        ("de", "Es kamen 1.500 Gäste."),
        ("es", "Es el 3,500 por ciento."),
        ("it", "Ha 3 figli."),
        ("pt", "São 2 irmãos."),
    ],
)
def test_ordinary_numbers_are_not_times_sums_or_ordinals(language: str, text: str) -> None:
    spoken = normalize_sentence(text, language)
    for word in ("heure", "Uhr", "hora", "euro", "Euro", "ième", "dritte", "ersten"):
        assert word not in spoken


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Subió un 3,5 %.", "Subió un tres coma cinco por ciento."),
        ("Mide 1,75 metros.", "Mide uno coma setenta y cinco metros."),
        ("Un 0,5 más.", "Un cero coma cinco más."),
    ],
)
def test_spanish_says_its_decimal_comma(text: str, expected: str) -> None:
    assert normalize_sentence(text, "es") == expected


def test_english_is_left_to_its_own_rules() -> None:
    assert spoken_forms.expand_money("5,50 €", "en") == "5,50 €"
    assert spoken_forms.expand_clock_times("15:30", "en") == "15:30"
