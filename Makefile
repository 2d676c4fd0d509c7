# `make run` and `make test` work from nothing on a machine with Python 3.11+ and make:
# they create .venv and install into it first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HEADLESS := SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

.PHONY: run test validate stats bench bench-frame soak lint plans clean

$(VENV)/.run-deps: requirements.txt
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-deps: $(VENV)/.run-deps requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.run-deps
	$(PY) main.py

test: $(VENV)/.dev-deps
	$(PY) -m ruff check .
	$(HEADLESS) $(PY) main.py validate
	$(HEADLESS) $(PY) -m pytest -q

validate: $(VENV)/.run-deps
	$(PY) main.py validate

stats: $(VENV)/.run-deps
	$(PY) main.py validate --stats

bench: $(VENV)/.dev-deps
	$(HEADLESS) $(PY) bench/engine.py
	$(HEADLESS) $(PY) bench/frame.py

bench-frame: $(VENV)/.dev-deps
	$(HEADLESS) $(PY) bench/frame.py

soak: $(VENV)/.dev-deps
	$(HEADLESS) $(PY) bench/kiosk_soak.py

plans: $(VENV)/.run-deps
	$(PY) tools/regenerate_plans.py

lint: $(VENV)/.dev-deps
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
