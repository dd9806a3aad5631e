# Pressroom. `make serve` and `make test` work from a fresh clone with only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PRESSROOM_DATA ?= $(CURDIR)/var

.PHONY: setup serve test lint sample clean

setup: $(VENV)/.installed
	$(BIN)/pressroom migrate --noinput -v 0

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

sample: setup
	$(BIN)/pressroom import sample --quiet

serve: sample
	$(BIN)/pressroom serve

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
