# `make run` and `make test` work from nothing on a machine with Python 3.11+ and make:
# they create .venv and install into it first, exactly the versions in the lock files and only
# files whose hashes the lock files list (requirements*.lock, written by `make lock`).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps
# The tools that write the lock live inside .venv: ignored by git, removed by make clean.
LOCK_VENV := $(VENV)/lock-tools
UV     := $(LOCK_VENV)/bin/uv pip compile --universal --generate-hashes --python-version 3.11 \
          --custom-compile-command "make lock" --quiet
HEADLESS := SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

.PHONY: run test check-install validate stats bench bench-frame soak lint plans diagnostics-doc lock clean

$(VENV)/.python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	touch $@

$(VENV)/.run-deps: $(VENV)/.python requirements.lock
	$(PIP) -r requirements.lock
	touch $@

$(VENV)/.dev-deps: $(VENV)/.run-deps requirements-dev.lock
	$(PIP) -r requirements-dev.lock
	touch $@

# Refresh the lock files after editing requirements.txt, requirements-dev.txt or
# requirements-tools.txt (see "Refreshing the lock" in README.md). Versions already locked are
# kept unless `make lock UPGRADE=--upgrade`. The run lock is resolved within the dev lock, so
# both always name the same versions.
UPGRADE ?=
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements-tools.lock
	$(UV) $(UPGRADE) requirements-tools.txt -o requirements-tools.lock
	$(UV) $(UPGRADE) requirements-dev.txt -o requirements-dev.lock
	$(UV) -c requirements-dev.lock requirements.txt -o requirements.lock

# `make run ARGS='serve --class "Period 3" --host 0.0.0.0'` passes its arguments to main.py.
ARGS ?=
run: $(VENV)/.run-deps
	$(PY) main.py $(ARGS)

# The browser tests drive a real Chromium and the store tests start a throw-away PostgreSQL
# cluster: both are found (or installed, as root on Debian) first, or the run stops saying how.
test: $(VENV)/.dev-deps
	$(PY) -m ruff check .
	$(HEADLESS) $(PY) main.py validate
	CHROMIUM="$$($(PY) tools/find_chromium.py)" && PG_BIN="$$($(PY) tools/find_postgres.py)" && \
		export CHROMIUM PG_BIN && $(HEADLESS) $(PY) -m pytest -q

# What `pip install .` gives on any machine: a fresh venv with the locked dependencies and the
# package, whose `moscow-1956` command must validate and serve from outside the checkout.
INSTALL_CHECK := $(VENV)/install-check
check-install:
	rm -rf $(INSTALL_CHECK)
	$(PYTHON) -m venv $(INSTALL_CHECK)
	$(INSTALL_CHECK)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements.lock
	$(INSTALL_CHECK)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps .
	cd $(INSTALL_CHECK) && $(HEADLESS) bin/moscow-1956 validate
	cd $(INSTALL_CHECK) && bin/moscow-1956 serve --help > /dev/null
	@echo "The installed package validates and serves."

validate: $(VENV)/.run-deps
	$(PY) main.py validate

stats: $(VENV)/.run-deps
	$(PY) main.py validate --stats

# The speed table (bench/speed.py): each goal against its floor or peer, in about 5 minutes.
# `make bench SPEED_ARGS='--cycles 1000'` passes its options (see `python bench/speed.py --help`).
SPEED_ARGS ?=
bench: $(VENV)/.dev-deps
	$(HEADLESS) $(PY) bench/engine.py
	$(HEADLESS) $(PY) bench/frame.py
	$(HEADLESS) $(PY) bench/speed.py $(SPEED_ARGS)

bench-frame: $(VENV)/.dev-deps
	$(HEADLESS) $(PY) bench/frame.py

soak: $(VENV)/.dev-deps
	$(HEADLESS) $(PY) bench/kiosk_soak.py

plans: $(VENV)/.run-deps
	$(PY) tools/regenerate_plans.py

# docs/diagnostics.md is written from the table of codes (game/engine/diagnostic_codes.py), never by hand.
diagnostics-doc: $(VENV)/.run-deps
	$(PY) tools/generate_diagnostics_doc.py

lint: $(VENV)/.dev-deps
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
