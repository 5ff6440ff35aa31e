# The two commands of the README: `make serve` and `make test`. Everything they need is installed from here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test check build publish clean

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

test: $(BIN)/hasselthelpt
	$(BIN)/python -m pytest

clean:
	rm -rf output cache
