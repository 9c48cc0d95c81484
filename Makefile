# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
# The browser of the end-to-end tests (tests/ui/test_browser.py): Debian's Chromium.
CHROMIUM ?= /usr/bin/chromium
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint benchmarks clean chromium

demo: $(VENV)/.installed
	$(BIN)/cartable demo

test: $(VENV)/.installed-dev chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

benchmarks: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/lineage.py
	$(BIN)/python benchmarks/pii_quality.py
	$(BIN)/python benchmarks/pii.py
	$(BIN)/python benchmarks/search.py

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.created pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

# Installed with apt when absent and we may (root, apt-get); otherwise the browser tests skip,
# or fail under CARTABLE_REQUIRE_SERVICES=1. The package lists are refreshed only if needed.
chromium: $(CHROMIUM)
	@:

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		export DEBIAN_FRONTEND=noninteractive; \
		install="apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 chromium"; \
		$$install >/dev/null 2>&1 || { apt-get update -qq && $$install >/dev/null; } \
			|| echo "Could not install chromium: the browser tests will skip (fail in CI)"; \
	else \
		echo "$(CHROMIUM) is absent (install Debian's chromium as root): the browser tests will skip (fail in CI)"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
