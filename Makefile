# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# python3.10 on PATH, or the newest pyenv 3.10 (the pyenv shim exists but fails when 3.10 is not global).
PYTHON310 := $(shell if python3.10 -c '' 2>/dev/null; then command -v python3.10; else ls -d $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10 2>/dev/null | tail -n 1; fi)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

TRAINING_INPUTS := $(shell find bot data -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' \) 2>/dev/null)

.PHONY: install run test test-unit lint types shell interactive rasa-test test-prerequisites bench clean train \
	catalogue translations-report audit fuzz

install: $(VENV)/.installed catalogue var/spacy-blank/meta.json node_modules/.package-lock.json

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON310)" || { echo "python3.10 is needed (Rasa 3.6 supports < 3.11)"; exit 1; }
	$(PYTHON310) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==24.2" "setuptools==70.3.0" "wheel==0.45.1"
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/rasa telemetry disable >/dev/null 2>&1 || true
	touch $@

# axe-core for the accessibility test, from the npm registry.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

catalogue: $(VENV)/.installed
	@if [ -n "$$DATABASE_URL" ] || [ ! -f var/catalogue.db ]; then $(BIN)/python -m services_catalogue seed; fi

var/spacy-blank/meta.json: $(VENV)/.installed tools/spacy_blank.py
	$(BIN)/python -m tools.spacy_blank var/spacy-blank

# flock: several test sessions on one machine never train into the same file at once.
models/.trained: $(TRAINING_INPUTS) | install
	mkdir -p models
	flock models/.lock $(BIN)/rasa train --config bot/config.yml --domain bot/domain --data data --out models \
		--fixed-model-name assistant
	touch $@

train: models/.trained

run: install train
	$(BIN)/python -m tools.stack

# Debian's chromium, nginx and openssl installed, PostgreSQL and Redis running (scripts/test-prerequisites).
test-prerequisites:
	bash scripts/test-prerequisites

test: install train test-prerequisites lint types
	$(BIN)/pip check
	$(BIN)/python -m pytest

# Everyday work: the tests that need no trained model, database server, Redis or browser (about a minute).
test-unit: install
	$(BIN)/python -m pytest -q -m "not model and not stack and not postgres and not redis and not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy

# Rasa's own commands with our settings and the action server beside them (tools/rasa_cli.py).
shell: install train
	$(BIN)/python -m tools.rasa_cli shell

interactive: install train
	$(BIN)/python -m tools.rasa_cli interactive

rasa-test: install train
	$(BIN)/python -m tools.rasa_cli test

# At least 10,000 random requests at every HTTP endpoint (tests/fuzz/); `make test` runs a seeded few hundred.
fuzz: install train test-prerequisites
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/fuzz -q

bench: install train
	$(BIN)/python -m bench.catalogue_query
	$(BIN)/python -m bench.rest_latency
	$(BIN)/python -m bench.rest_latency --catalogue --skip-default
	$(BIN)/python -m bench.scale_out
	$(BIN)/python -m bench.sms_latency
	$(BIN)/python -m bench.web_exit
	$(BIN)/python -m bench.widget_size
	$(BIN)/python -m bench.training_time
	$(BIN)/python -m bench.danger_recall
	$(BIN)/python -m bench.situation_report

translations-report: install
	$(BIN)/python -m tools.translations_report var/translations.csv

# Known vulnerabilities in the packages installed in .venv (docs/dependency-audit.md). pip-audit has a venv of its
# own: its dependencies conflict with Rasa's pins. It asks PyPI's vulnerability data, so it needs the network; with
# --strict a package it could not check fails the audit. Accepted findings are the IDs in the doc's table.
AUDIT_VENV := .venv-audit
PIP_AUDIT_VERSION := 2.10.1
ACCEPTED_VULNS = $(shell sed -n 's/^| *\(\(CVE\|GHSA\|PYSEC\)-[^ |]*\) *|.*/--ignore-vuln \1/p' docs/dependency-audit.md)

$(AUDIT_VENV)/.pip-audit-$(PIP_AUDIT_VERSION):
	@test -n "$(PYTHON310)" || { echo "python3.10 is needed"; exit 1; }
	$(PYTHON310) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet "pip==24.2" "pip-audit==$(PIP_AUDIT_VERSION)"
	touch $@

audit: $(VENV)/.installed $(AUDIT_VENV)/.pip-audit-$(PIP_AUDIT_VERSION)
	mkdir -p var
	$(BIN)/pip freeze --all --exclude-editable > var/requirements-frozen.txt
	$(AUDIT_VENV)/bin/pip-audit --requirement var/requirements-frozen.txt --no-deps --disable-pip --strict \
		--aliases on --progress-spinner off $(ACCEPTED_VULNS)

clean:
	rm -rf $(VENV) $(AUDIT_VENV) var models
