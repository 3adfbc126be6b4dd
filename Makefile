# Sluss: `make run` starts the whole system with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
# One test process per core (pytest-xdist); TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto

.PHONY: install run test lint messages clean bench bench-smoke

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	PORT=$(PORT) $(BIN)/python manage.py serve 127.0.0.1:$(PORT)

test: install
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests: running with /usr/bin/chromium."; \
	else echo "Browser tests: SKIPPED, /usr/bin/chromium is missing (apt-get install chromium)."; fi
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# --- Benchmark (issue 8): not part of `make test`; bench/README.md says what it measures.
# `make bench` builds the data set (national by default), serves it with the production
# configuration and loads it on both databases; results in BENCH_OUT and beside it as .md.
# `make bench-smoke` is the small version CI runs (tiny data set, temporary databases).
BENCH_STAMP := $(VENV)/.installed-bench-stamp
BENCH_SCALE ?= national
BENCH_DATABASES ?= sqlite,postgresql
BENCH_OUT ?= bench/results.json

$(BENCH_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	BENCH_SCALE=$(BENCH_SCALE) BENCH_DATABASES=$(BENCH_DATABASES) BENCH_OUT=$(BENCH_OUT) \
		$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-smoke: $(BENCH_STAMP)
	BENCH_DATABASES=$(BENCH_DATABASES) $(BIN)/python bench/run.py --smoke $(BENCH_ARGS)

# Needs GNU gettext; the compiled .mo files are committed so nothing else does.
messages: install
	$(BIN)/python manage.py makemessages -l sv -l en --ignore=.venv --ignore=var --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
