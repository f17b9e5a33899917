# Everyday commands. `make run` and `make test` set up everything from requirements.txt first.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
# Local development and tests run with DEBUG on; production sets DJANGO_DEBUG=0 and a secret key.
export DJANGO_DEBUG ?= 1

.PHONY: install run test lint migrations-check ci messages clean backup restore load

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# The database (without sessions) and the uploaded files, into TRACKER_BACKUP_DIR (default backups/).
backup: install
	$(PY) manage.py dbbackup --noinput --compress
	mkdir -p media  # an install without uploads yet still gets an (empty) media archive
	$(PY) manage.py mediabackup --noinput --compress

# The latest backup into an empty install (a new database: SQLite file absent, or `createdb`).
restore: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py dbrestore --noinput --uncompress
	$(PY) manage.py mediarestore --noinput --uncompress

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache

# The public pages and the search at 100,000 proposals, beside the admin, raw SQL and hello-world
# (PostgreSQL; BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tracker_bench, is
# filled with synthetic data on the first run). Not part of `make test`. Results: BENCHMARKS.md.
.PHONY: bench
bench: install
	DJANGO_DEBUG=0 $(PY) benchmarks/bench_public.py

# Two locust mixes (anonymous, logged-in department) at 32 users for 60 s each against gunicorn on
# loopback, PostgreSQL with synthetic data (LOAD_DATABASE_URL, default …/tracker_load, filled on the
# first run; LOAD_ARGS="--proposals 10000" for a smaller one). Fails on any error. See BENCHMARKS.md.
LOAD_ARGS ?=
load: install
	$(PY) benchmarks/load.py $(LOAD_ARGS)
