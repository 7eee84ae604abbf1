# The two commands of the README: `make run` (the main job) and `make test` (the whole suite).
# Both create the virtual environment first if it is missing or older than pyproject.toml.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# torch goes in first, pinned, from PyTorch's CPU wheel index: from the default index, torch on
# Linux is the CUDA build (about 17 nvidia-* packages, several GB). Where that index cannot be
# reached (a network with only a PyPI mirror), the default index is tried instead. On a GPU
# machine, point TORCH_INDEX at the CUDA index you want (https://download.pytorch.org/whl/cu128)
# or leave it empty for the default index's build.
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
TORCH_REPORT ?= torch-resolution.json
INPUTS ?= examples/articles/
# Test files run on this many workers (pytest-xdist), a file's tests together on one worker: they
# share its fixtures (tiny models, the Prefect server each worker starts).
TEST_WORKERS ?= 2

# $(call install_torch,PIP,EXTRA ARGUMENTS): torch from TORCH_INDEX, else from the default index.
define install_torch
$(1) install --quiet --timeout 30 --retries 1 $(if $(TORCH_INDEX),--index-url "$(TORCH_INDEX)") $(2) "$(TORCH_SPEC)" \
	|| { echo "torch: $(TORCH_INDEX) could not be used; trying the default index" >&2; \
	     $(1) install --quiet $(2) "$(TORCH_SPEC)"; }
endef

.PHONY: run test venv check-torch

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(call install_torch,$(BIN)/pip,)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

venv: $(BIN)/.installed

run: $(BIN)/.installed
	$(BIN)/trnews run $(INPUTS)

test: $(BIN)/.installed
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# What `make venv` would install for torch on this machine, resolved but not installed: fails
# if it would pull CUDA packages (nvidia-*, triton). Needs no virtual environment.
check-torch:
	$(call install_torch,$(PYTHON) -m pip,--dry-run --ignore-installed --report "$(TORCH_REPORT)")
	$(PYTHON) .ci/torch_resolution.py "$(TORCH_REPORT)"
