"""Tests for the pronunciation lexicon: loading, merging, matching, and errors."""

from __future__ import annotations

import doctest
import re
from pathlib import Path
from types import MappingProxyType

import pytest

from audiogen.errors import BadInput
from audiogen.text import lexicon as lexicon_module
from audiogen.text.lexicon import Lexicon, LexiconEntry, load_lexicon


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lexicon.toml"
    path.write_text(text, encoding="utf-8")
    return path


def make(entries: dict[str, str]) -> Lexicon:
    return Lexicon("en", MappingProxyType({k: LexiconEntry(v) for k, v in entries.items()}))


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(lexicon_module)
    assert result.attempted > 0
    assert result.failed == 0


# --- matching ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NATO met.", "Nato met."),
        ("NATO's chief", "Nato's chief"),
        ("NATO-led forces", "Nato-led forces"),
        ("(NATO)", "(Nato)"),
        ("NATOs", "NATOs"),
        ("SENATORS", "SENATORS"),
        ("Nato met", "Nato met"),
        ("The WHO said", "The W H O said"),
        ("who said", "who said"),
        ("Who said", "Who said"),
        ("the US and us", "the U S and us"),
        ("Nguyen and nguyen", "Win and Win"),
        ("NGUYEN said", "Win said"),
        ("NATO", "Nato"),
        ("NATO LEADERS", "NATO LEADERS"),
        ("NGUYEN LEADS", "Win LEADS"),
        ("Nguyens", "Nguyens"),
        ("New York Times and New York", "the Times and Big Apple"),
        ("New  York", "Big Apple"),
        ("WHO WILL WIN?", "WHO WILL WIN?"),
        ("", ""),
    ],
)
def test_apply_matches_whole_words_with_case_rules(text: str, expected: str) -> None:
    lex = make(
        {
            "NATO": "Nato",
            "WHO": "W H O",
            "US": "U S",
            "Nguyen": "Win",
            "New York": "Big Apple",
            "New York Times": "the Times",
        }
    )
    assert lex.apply(text) == expected


def test_apply_uses_ipa_only_when_asked() -> None:
    lex = Lexicon(
        "en",
        MappingProxyType({"Nguyen": LexiconEntry("Win", "wɪn"), "NATO": LexiconEntry("Nato")}),
    )
    assert lex.apply("Nguyen and NATO") == "Win and Nato"
    assert lex.apply("Nguyen and NATO", phonemes=lambda ipa: f"[[{ipa}]]") == "[[wɪn]] and Nato"


def test_empty_lexicon_changes_nothing() -> None:
    assert Lexicon("en").apply("NATO and the FBI") == "NATO and the FBI"


def test_replacement_text_is_not_reinterpreted() -> None:
    lex = make({"NASA": r"\1 Nasa \g<0>"})
    assert lex.apply("NASA") == r"\1 Nasa \g<0>"


# --- built-in defaults ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NATO and NASA and UNESCO", "Nato and Nasa and Unesco"),
        ("The FBI, the CIA and the EU", "The F B I, the C I A and the E U"),
        ("The UN and the WHO", "The U N and the W H O"),
        ("The NHS chief, a CEO", "The N H S chief, a C E O"),
        ("who is the CEO?", "who is the C E O?"),
        ("Xi met Zelenskyy in Kyiv", "Shee met Zelensky in Keev"),
    ],
)
def test_default_english_lexicon(text: str, expected: str) -> None:
    assert load_lexicon(None, "en").apply(text) == expected


def test_defaults_follow_english_regional_tags() -> None:
    assert load_lexicon(None, "en-GB").apply("NATO") == "Nato"
    assert load_lexicon(None, "en_US").apply("NATO") == "Nato"


def test_languages_without_defaults_start_empty() -> None:
    lex = load_lexicon(None, "fr")
    assert lex.entries == {}
    assert lex.apply("NATO") == "NATO"


def test_lexicon_is_frozen() -> None:
    lex = load_lexicon(None, "en")
    with pytest.raises(AttributeError):
        lex.language = "fr"  # type: ignore[misc]
    with pytest.raises(TypeError):
        lex.entries["NATO"] = LexiconEntry("x")  # type: ignore[index]


# --- user files -------------------------------------------------------------------------


def test_user_entries_are_added_and_override_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[en]\n"NATO" = "nay-toe"\n"Jerome Powell" = "Jay Powell"\n'
        '"Nguyen" = { say = "Nwen", ipa = "ŋwiən" }\n',
    )
    lex = load_lexicon(path, "en")
    assert lex.entries["NATO"] == LexiconEntry("nay-toe")
    assert lex.entries["Nguyen"] == LexiconEntry("Nwen", "ŋwiən")
    assert lex.apply("NATO, Jerome Powell and the FBI") == "nay-toe, Jay Powell and the F B I"


def test_override_is_by_case_insensitive_key(tmp_path: Path) -> None:
    lex = load_lexicon(write(tmp_path, '[en]\n"nato" = "Nayto"\n'), "en")
    assert "NATO" not in lex.entries
    assert lex.apply("NATO and nato") == "Nayto and Nayto"


def test_sections_are_per_language_with_regional_overrides(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[en]\n"tomato" = "tomayto"\n"NATO" = "Nato"\n'
        '[en-GB]\n"tomato" = "tomahto"\n'
        '[de]\n"NATO" = "Nahto"\n',
    )
    assert load_lexicon(path, "en").apply("tomato") == "tomayto"
    assert load_lexicon(path, "en-US").apply("tomato") == "tomayto"
    assert load_lexicon(path, "en-GB").apply("tomato") == "tomahto"
    assert load_lexicon(path, "en_gb").apply("tomato") == "tomahto"
    de = load_lexicon(path, "de")
    assert de.apply("NATO und tomato") == "Nahto und tomato"
    assert set(de.entries) == {"NATO"}


def test_file_without_the_language_keeps_defaults(tmp_path: Path) -> None:
    lex = load_lexicon(write(tmp_path, '[fr]\n"OTAN" = "Otan"\n'), "en")
    assert lex.apply("NATO") == "Nato"
    assert "OTAN" not in lex.entries


# --- errors -----------------------------------------------------------------------------


def error_for(tmp_path: Path, text: str, language: str = "en") -> str:
    path = write(tmp_path, text)
    with pytest.raises(BadInput) as caught:
        load_lexicon(path, language)
    message = str(caught.value)
    assert str(path) in message
    return message


def line_of(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    assert found, message
    return int(found.group(1))


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[en]\n"NATO" = "Nato"\n"FBI" = F B I\n', 3),
        ('[en]\n"NATO" = "Nato\n', 2),
        ('[en]\n\n\n"NATO" "Nato"\n', 4),
        ('[en\n"NATO" = "Nato"\n', 1),
        ('[en]\n"NATO" = "Nato"\n"NATO" = "Nayto"\n', 3),
    ],
)
def test_malformed_toml_names_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    message = error_for(tmp_path, text)
    assert line_of(message) == line
    assert "not valid TOML" in message


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ('[en]\n"NATO" = "Nato"\n\n"FBI" = 3\n', 4, "not int"),
        ('[en]\n"A" = "a"\n"B" = ["b"]\n', 3, "not list"),
        ('[en]\n"A" = "a"\nB = true\n', 3, "not bool"),
        ('[en]\n"NATO" = ""\n', 2, "empty spoken form"),
        ('[en]\n"X" = "x"\n"Nguyen" = { ipa = "wɪn" }\n', 3, "say"),
        ('[en]\n"Nguyen" = { say = "Win", sya = 1 }\n', 2, "sya"),
        ('[en]\n"Nguyen" = { say = "Win", ipa = 5 }\n', 2, "ipa"),
        ('"NATO" = "Nato"\n', 1, "language table"),
        ('[en]\n"A" = "a"\n[de]\n"B" = 1\n', 4, "[de]"),
        ("[en]\n'single quoted' = 2\n", 2, "single quoted"),
    ],
)
def test_wrong_value_types_name_file_and_line(
    tmp_path: Path, text: str, line: int, hint: str
) -> None:
    message = error_for(tmp_path, text)
    assert line_of(message) == line
    assert hint in message


def test_other_language_sections_are_checked_too(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[en]\n"A" = "a"\n[fr]\n"B" = 2\n', language="en")
    assert line_of(message) == 4


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        load_lexicon(tmp_path / "nope.toml", "en")


def test_undecodable_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[en]\n"café" = "cafe"\n'.encode("latin-1"))
    with pytest.raises(BadInput, match="cannot read"):
        load_lexicon(path, "en")
