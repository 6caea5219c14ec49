# The README's two commands: `make run` and `make test`. Each builds .venv by itself.
#
# Installs come only from the hash-locked files in requirements/, read by plain pip (no other tool):
#   requirements/run.txt  [project.dependencies]           `make run`, `make sim`, the Dockerfile
#   requirements/dev.txt  the same pins + the `dev` extra   `make test` and the other dev targets
# then the project itself, editable, with --no-deps. Each set has its own stamp, remade when its
# lock or pyproject.toml changes. `make lock` regenerates the locks after pyproject.toml changes
# (`make lock LOCK_ARGS=--upgrade` moves every pin to the newest allowed release).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

# The lock tool, needed only by `make lock`: uv, itself hash-locked, kept apart from the venv's
# packages (pip --target) so that it never ends up in what `make run` or `make test` use.
LOCK_TOOL := $(VENV)/lock-tool
UV := $(LOCK_TOOL)/bin/uv
COMPILE := $(UV) pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --custom-compile-command 'make lock'

.PHONY: run sim test browser lint lint-imports typecheck pytest bench bench-topology bench-shapes lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements/run.txt pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --require-hashes -r requirements/run.txt
	$(PIP) install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): requirements/dev.txt pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --require-hashes -r requirements/dev.txt
	$(PIP) install --quiet --no-deps -e .
	touch $@

run: $(RUN_STAMP)
	$(BIN)/dxgraph serve

sim: $(RUN_STAMP)
	$(BIN)/dxgraph sim --seed demo

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The architecture contracts of .importlinter: layers point down, no import cycles.
lint-imports: $(DEV_STAMP)
	$(BIN)/lint-imports

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: $(DEV_STAMP)
	$(BIN)/pytest -q

# The browser tests drive Debian's chromium (never a downloaded browser build).
browser:
	command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: lint typecheck lint-imports browser pytest

bench: $(DEV_STAMP)
	$(BIN)/python bench/dxsim_describe.py

bench-topology: $(DEV_STAMP)
	$(BIN)/python bench/topology.py

bench-shapes: $(DEV_STAMP)
	$(BIN)/python bench/shapes.py

$(UV): requirements/lock-tool.txt | $(BIN)/python
	$(PIP) install --quiet --require-hashes --upgrade --target $(LOCK_TOOL) \
		-r requirements/lock-tool.txt
	touch $@

# The dev lock is constrained by the runtime lock: tests run the exact versions production runs.
lock: $(UV)
	$(COMPILE) $(LOCK_ARGS) -o requirements/run.txt
	$(COMPILE) $(LOCK_ARGS) --extra dev -c requirements/run.txt -o requirements/dev.txt

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
