from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from audiogen.batch import Batch
from audiogen.config import STARTER, find_config, load_config
from audiogen.engines.base import EngineOptions
from audiogen.engines.piper import PiperEngine
from audiogen.errors import BadInput
from audiogen.options import BuildOptions


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "audiogen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_starter_file_loads_and_fills_the_show(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, STARTER))
    assert config.show.title == "My Narrated Articles"
    assert config.show.base_url == "https://example.com/podcast/"
    assert config.show.explicit is False
    assert config.episode.type == "full" and config.episode.intro is None


def test_every_setting(tmp_path: Path) -> None:
    (tmp_path / "art.jpg").write_bytes(b"x")
    (tmp_path / "jingle.mp3").write_bytes(b"x")
    config = load_config(
        write(
            tmp_path,
            """
[show]
title = "Harbor Weekly"
description = "News."
author = "Harbor Desk"
email = "desk@example.com"
language = "de"
category = "News"
subcategory = "Daily News"
explicit = true
cover = "art.jpg"
base_url = "https://example.com/p/"
copyright = "2026 Harbor"
type = "serial"

[episode]
type = "bonus"
intro = "{show}. {title}, by {author}."
outro = "That was {show}."
intro_music = "jingle.mp3"

[build]
engine = "espeak"
voice = "de+f2"
output = "site"
""",
        )
    )
    show = config.show
    assert (show.title, show.owner_email, show.language, show.subcategory) == (
        "Harbor Weekly",
        "desk@example.com",
        "de",
        "Daily News",
    )
    assert show.explicit is True and show.type == "serial" and show.copyright == "2026 Harbor"
    assert config.cover_file == tmp_path / "art.jpg"
    assert config.episode.intro_music == tmp_path / "jingle.mp3"
    assert (config.episode.type, config.engine, config.voice) == ("bonus", "espeak", "de+f2")
    assert config.output == tmp_path / "site"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[show]\ntitle = "x"\ntitle = "y"\n', "audiogen.toml:3: malformed TOML"),
        (
            '[show]\ntitle = "ok"\n\nexplicit = "no"\n',
            "audiogen.toml:4: show.explicit must be true or false",
        ),
        ('[show]\ntitel = "typo"\n', "audiogen.toml:2: unknown key 'titel' in [show]"),
        ('[episode]\n\nintro = "{show} {nope}"\n', "audiogen.toml:3: unknown field {nope}"),
        ('[episode]\ntype = "weekly"\n', "audiogen.toml:2: episode type must be one of"),
        ('[show]\ncover = "missing.jpg"\n', "audiogen.toml:2: cover image not found"),
        ('[shows]\ntitle = "x"\n', "audiogen.toml:1: unknown section or key 'shows'"),
    ],
)
def test_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        load_config(write(tmp_path, text))
    assert message in str(caught.value)


def test_find_config(tmp_path: Path) -> None:
    assert find_config(None, tmp_path) is None
    path = write(tmp_path, "")
    assert find_config(None, tmp_path) == path
    with pytest.raises(BadInput, match="not found"):
        find_config(tmp_path / "other.toml", tmp_path)


def test_engine_tables_reach_the_engine(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, '[build]\nquote_voice = "auto"\n\n[engine.piper]\nnoise_scale = 0.4\n')
    )
    assert config.quote_voice == "auto"
    assert config.engine_settings == (("piper", (("noise_scale", 0.4),)),)
    options = BuildOptions(engine="piper", engine_settings=config.engine_settings)
    engine_options = Batch(replace(options, output=tmp_path / "out"))._engine_options(
        "piper", "en", None
    )
    assert engine_options.setting("noise_scale") == 0.4
    plain = PiperEngine(EngineOptions())
    tuned = PiperEngine(engine_options)
    assert plain.fingerprint() != tuned.fingerprint()  # the setting changes the sound


def test_an_engine_setting_outside_a_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"\[engine.piper\]"):
        load_config(write(tmp_path, "[engine]\nnoise_scale = 0.4\n"))
