# The two commands of the README: `make serve` and `make test`. Everything they need is installed from here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test check build publish clean deps system-deps bench-deps bench bench-search

# Root installs Debian packages directly; anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# npm ci writes node_modules/.package-lock.json: newer than the lock file means node_modules is up to date.
NODE_STAMP := node_modules/.package-lock.json

$(BIN)/hasselthelpt: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/hasselthelpt
	$(BIN)/hasselthelpt serve --host $(HOST) --port $(PORT)

check: $(BIN)/hasselthelpt
	$(BIN)/hasselthelpt check

build: $(BIN)/hasselthelpt
	$(BIN)/hasselthelpt build

publish: $(BIN)/hasselthelpt
	$(BIN)/hasselthelpt build --production

test: deps
	$(BIN)/python -m pytest

# What the browser, HTML and link checks need besides Python: Chromium, a Java runtime for the Nu HTML Checker
# (vnu.jar), and axe-core, vnu-jar and Lighthouse from npm into node_modules/ (versions pinned in
# package-lock.json; Lighthouse, the largest, is also what bench/benchmark.py runs). The form
# endpoint's tests start a throwaway PostgreSQL server from Debian's postgresql binaries (initdb, pg_ctl). The
# slides shape text with Pillow's raqm layout, which loads FriBidi (Debian's libfribidi0) at run time.
deps: system-deps $(BIN)/hasselthelpt $(NODE_STAMP)

system-deps:
	@pkgs=""; \
	[ -x $(BIN)/python ] || $(PYTHON) -c 'import ensurepip' 2>/dev/null || pkgs="$$pkgs python3-venv"; \
	command -v chromium >/dev/null 2>&1 || pkgs="$$pkgs chromium"; \
	command -v java >/dev/null 2>&1 || pkgs="$$pkgs default-jre-headless"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || pkgs="$$pkgs postgresql"; \
	dpkg-query -W -f='$${Status}' libfribidi0 2>/dev/null | grep -q 'ok installed' || pkgs="$$pkgs libfribidi0"; \
	if [ -n "$$pkgs" ]; then \
		echo "Installing Debian packages:$$pkgs"; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$pkgs; \
	fi

# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; we use Debian's.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# What only the benchmark needs: Hugo, its peer for rebuilds (Debian's package, 0.111 on bookworm).
bench-deps:
	@if ! command -v hugo >/dev/null 2>&1; then \
		echo "Installing Debian packages: hugo"; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends hugo; \
	fi

# The benchmark (bench/README.md); Lighthouse comes from node_modules/, like the tests'.
bench: deps bench-deps
	$(BIN)/python bench/benchmark.py $(BENCH_ARGS)

# Search index size and first-search bytes, sample and city scale (bench/README.md).
bench-search: deps
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

clean:
	rm -rf output output-intranet cache
