# The two commands of the README: `make run` (the main job) and `make test` (the whole suite).
# Both create the virtual environment first if it is missing or older than pyproject.toml.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# torch goes in first and pinned: left to the resolver, an unpinned torch pulls a multi-GB
# CUDA build. 2.13.0 is the CPU build these machines carry; on a GPU machine set TORCH_SPEC.
TORCH_SPEC ?= torch==2.13.0
INPUTS ?= examples/articles/

.PHONY: run test venv

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

venv: $(BIN)/.installed

run: $(BIN)/.installed
	$(BIN)/trnews run $(INPUTS)

test: $(BIN)/.installed
	$(BIN)/pytest
