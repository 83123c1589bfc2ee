# The README's commands. `make run` serves the demo on SQLite; `make test` runs every check.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Unit and integration tests run on one pytest-xdist worker per core; the tests that start processes of
# their own (schedulers, Celery workers: marked slow) and the browser tests run alone after them.
TEST_WORKERS ?= auto

.PHONY: run test lint format serve scheduler worker migrate seed bench load browser clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PIP) install -q -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.runtime
	$(FLASK) db upgrade heads

seed: migrate
	$(FLASK) seed-demo --if-empty

run: system-packages seed
	@echo "Serving on http://$(HOST):$(PORT) (scheduler beside it); Ctrl-C stops both."
	$(FLASK) scheduler & SCHED=$$!; trap "kill $$SCHED 2>/dev/null" EXIT INT TERM; \
	$(VENV)/bin/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT) --workers 2 wsgi:app

serve: seed
	$(FLASK) run --host $(HOST) --port $(PORT)

# A Celery worker for the heavy jobs (needs CELERY_BROKER_URL; see docs/DEPLOYMENT.md).
worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A core.celery_app worker --hostname worker@%h

# Debian packages: Pango and the Noto CJK fonts that WeasyPrint embeds in the official notices
# (needed by the service), and Chromium for the browser tests (Playwright's own download cannot work).
SYSTEM_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 chromium
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
		|| echo "Could not install $$missing: notices (PDF) or the browser tests may fail or be skipped."; \
	fi

browser: system-packages

test: $(VENV)/.dev browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) -m "not e2e and not slow" $(PYTEST_ARGS)
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider -m slow tests/integration $(PYTEST_ARGS)
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider -m e2e tests/e2e $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Every bench/ module with main(argv) at moderate sizes -> bench/results.json (BENCH_ARGS="--full").
bench: $(VENV)/.dev
	$(PY) -m bench $(BENCH_ARGS)

# gunicorn (4 workers, gunicorn.conf.py) on PostgreSQL + scheduler, locust journeys stepped up until
# p95 crosses 300 ms, against a bare Flask page -> bench/load_results.json (LOAD_ARGS for longer).
load: $(VENV)/.dev
	$(PY) -m bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
