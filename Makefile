# Two commands for a newcomer:
#   make run   - set up .venv and start the app at http://localhost:8501
#   make test  - set up .venv (and a Chromium for the browser tests), then lint and run every test
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: run test lint bench setup

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) -m streamlit run app.py --server.port 8501

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: setup lint
	CHROMIUM="$$(bash scripts/ensure_chromium.sh $(PY))" $(PY) -m pytest

bench: setup
	$(PY) benchmarks/bench_train.py
