"""The README documents every command, and the commands a new user runs."""

from __future__ import annotations

from audiogen.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    for name in cli.commands:
        assert f"audiogen {name}" in README, name


def test_readme_first_screen_has_the_two_commands_and_offline_note() -> None:
    first_screen = "\n".join(README.splitlines()[:40])
    assert "make demo" in first_screen and "make test" in first_screen
    assert "offline" in first_screen.lower()


def test_license_is_declared() -> None:
    assert "GPL-3.0-or-later" in README
    assert 'license = "GPL-3.0-or-later"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
