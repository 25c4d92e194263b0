# Cluster Portal — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo messages check clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

## Create .venv, install, migrate the SQLite database, load the demo data, serve on 127.0.0.1:8000.
run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

## The whole test suite (SQLite unless DATABASE_URL is set); browser tests need /usr/bin/chromium.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

## Rebuild the Russian catalogue after changing UI strings.
messages: install
	$(PY) manage.py makemessages -l ru --no-obsolete --ignore=.venv --ignore=test-output --ignore=staticfiles --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles var test-output
