# Pressroom. `make serve` and `make test` work from a fresh clone with only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PRESSROOM_DATA ?= $(CURDIR)/var

.PHONY: setup serve test test-postgres lint sample clean

# Static files are collected and compressed here, once: again only when their sources change
# (a digest in $(PRESSROOM_DATA)/static.stamp), so `pressroom serve` starts at once.
setup: $(VENV)/.installed
	$(BIN)/pressroom migrate --noinput -v 0
	$(BIN)/pressroom prepare-static -v 0

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

# The whole suite again on PostgreSQL, with Redis for cache and counters: a fresh UTF-8
# database each run, a flushed Redis DB. Without a server (a laptop) it says so and skips;
# under CI (CI=true) a missing server is a failure, never a silent pass.
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_TEST_DB ?= pressroom_ci
REDIS_TEST_URL ?= redis://127.0.0.1:6379/9
PG_ADMIN := -h $(PG_HOST) -p $(PG_PORT) -U postgres

test-postgres: $(VENV)/.installed
	@if ! psql $(PG_ADMIN) -d postgres -Atqc 'select 1' >/dev/null 2>&1; then \
	  echo "SKIPPED: no PostgreSQL server at $(PG_HOST):$(PG_PORT) (user postgres):" \
	       "the PostgreSQL run of the test suite did NOT happen."; \
	  if [ "$$CI" = true ]; then exit 1; else exit 0; fi; fi; \
	dropdb $(PG_ADMIN) --if-exists --force $(PG_TEST_DB) && \
	createdb $(PG_ADMIN) -E UTF8 -T template0 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 $(PG_TEST_DB) && \
	if redis-cli -u $(REDIS_TEST_URL) ping >/dev/null 2>&1; then \
	  redis-cli -u $(REDIS_TEST_URL) flushdb >/dev/null; export REDIS_URL=$(REDIS_TEST_URL); \
	  echo "PostgreSQL run: database $(PG_TEST_DB), Redis $(REDIS_TEST_URL)"; \
	else \
	  echo "SKIPPED: no Redis at $(REDIS_TEST_URL): the PostgreSQL run goes on without Redis."; \
	  if [ "$$CI" = true ]; then exit 1; fi; fi; \
	DATABASE_URL=postgres://postgres@$(PG_HOST):$(PG_PORT)/$(PG_TEST_DB) \
	DATABASE_TEST_TEMPLATE=$(PG_TEST_DB) $(MAKE) --no-print-directory test

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
