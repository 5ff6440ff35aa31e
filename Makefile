# The two commands of the README: `make serve` and `make test`. Everything they need is installed from here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve editor test check build publish production clean deps build-deps system-deps apt-install bench-deps bench bench-search deploy-config

# Root installs Debian packages directly; anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# npm ci writes node_modules/.package-lock.json: newer than the lock file means node_modules is up to date.
NODE_STAMP := node_modules/.package-lock.json

$(BIN)/hasselthelpt: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: build-deps $(BIN)/hasselthelpt $(NODE_STAMP)
	$(BIN)/hasselthelpt serve --host $(HOST) --port $(PORT)

# The same, with the web editor at /admin/ (Decap CMS and decap-server from node_modules): docs/editor.md.
EDITOR_PORT ?= 8081
editor: build-deps $(BIN)/hasselthelpt $(NODE_STAMP)
	$(BIN)/hasselthelpt serve --editor --host $(HOST) --port $(PORT) --editor-port $(EDITOR_PORT)

check: $(BIN)/hasselthelpt
	$(BIN)/hasselthelpt check

build: $(BIN)/hasselthelpt $(NODE_STAMP)
	$(BIN)/hasselthelpt build

# A release under RELEASES (RELEASES/current is the live one), as the server's hourly timer makes it.
RELEASES ?= releases
publish: build-deps $(BIN)/hasselthelpt $(NODE_STAMP)
	$(BIN)/hasselthelpt publish --releases $(RELEASES)

production: build-deps $(BIN)/hasselthelpt $(NODE_STAMP)
	$(BIN)/hasselthelpt build --production

test: deps
	$(BIN)/python -m pytest

# What the browser, HTML and link checks need besides Python: Chromium, a Java runtime for the Nu HTML Checker
# (vnu.jar), and axe-core, vnu-jar and Lighthouse from npm into node_modules/ (versions pinned in
# package-lock.json; Lighthouse, the largest, is also what bench/benchmark.py runs). The form endpoint's tests
# start a throwaway PostgreSQL server from Debian's postgresql binaries (initdb, pg_ctl); the deployment tests a
# throwaway nginx (with the brotli_static module; openssl makes a test certificate), and check the units with
# systemd-analyze. The slides shape text with Pillow's raqm layout, which loads FriBidi (Debian's libfribidi0);
# WeasyPrint (the print PDFs) loads Pango, PangoFT2 and HarfBuzz's subsetter (embedded font subsets).
deps: system-deps $(BIN)/hasselthelpt $(NODE_STAMP)

# Debian packages, installed only when missing: what a build needs (run by `make serve` too), then the tests'.
BUILD_PKGS := libfribidi0 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
build-deps:
	@pkgs=""; \
	[ -x $(BIN)/python ] || $(PYTHON) -c 'import ensurepip' 2>/dev/null || pkgs="$$pkgs python3-venv"; \
	for p in $(BUILD_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || pkgs="$$pkgs $$p"; \
	done; \
	$(MAKE) --no-print-directory apt-install PKGS="$$pkgs"

system-deps: build-deps
	@pkgs=""; \
	command -v chromium >/dev/null 2>&1 || pkgs="$$pkgs chromium"; \
	command -v java >/dev/null 2>&1 || pkgs="$$pkgs default-jre-headless"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || pkgs="$$pkgs postgresql"; \
	[ -x /usr/sbin/nginx ] || pkgs="$$pkgs nginx"; \
	ls /usr/lib/nginx/modules/ngx_http_brotli_static_module.so >/dev/null 2>&1 || pkgs="$$pkgs libnginx-mod-http-brotli-static"; \
	command -v systemd-analyze >/dev/null 2>&1 || pkgs="$$pkgs systemd"; \
	command -v openssl >/dev/null 2>&1 || pkgs="$$pkgs openssl"; \
	$(MAKE) --no-print-directory apt-install PKGS="$$pkgs"

apt-install:
	@if [ -n "$(strip $(PKGS))" ]; then \
		echo "Installing Debian packages: $(strip $(PKGS))"; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(PKGS); \
	fi

# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; we use Debian's.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# What only the benchmark needs: Hugo, its peer for rebuilds (Debian's package, 0.111 on bookworm).
bench-deps:
	@$(MAKE) --no-print-directory apt-install PKGS="$$(command -v hugo >/dev/null 2>&1 || echo hugo)"

# The benchmark (bench/README.md); Lighthouse comes from node_modules/, like the tests'.
bench: deps bench-deps
	$(BIN)/python bench/benchmark.py $(BENCH_ARGS)

# Search index size and first-search bytes, sample and city scale (bench/README.md).
bench-search: deps
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

# The production configuration (nginx, systemd, cron) for one installation: docs/operators.md#install-on-a-server.
# Options after DEPLOY_ARGS, e.g. DEPLOY_ARGS="--endpoint-port 8001 --endpoint-port 8002".
DEPLOY_OUT ?= deploy-output
deploy-config: $(BIN)/hasselthelpt
	$(BIN)/hasselthelpt deploy-config --out $(DEPLOY_OUT) $(DEPLOY_ARGS)

clean:
	rm -rf output output-intranet cache
