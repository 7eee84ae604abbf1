"""Each OpenMP library gets its own waits (trnews.openmp), read by the library itself when it loads:
checked through libgomp's own report of its settings (`OMP_DISPLAY_ENV`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from trnews.openmp import CHOSEN_BY_TRNEWS, OPENMP_VARIABLES, choose_default_waits, openmp_waits_for

LOAD = {
    "torch": "import torch",
    "ctranslate2": "from trnews.translation.ctranslate2_engine import _import_ctranslate2; _import_ctranslate2()",
}


def settings_each_library_read(order: list[str], **environ: str) -> dict[str, dict[str, str]]:
    """Load the libraries in `order` in a fresh process; what each one's libgomp says it read."""
    script = "import sys, trnews\n" + "".join(
        f"{LOAD[name]}\nprint('loaded {name}', file=sys.stderr, flush=True)\n" for name in order
    )
    env = {k: v for k, v in os.environ.items() if k not in (*OPENMP_VARIABLES, CHOSEN_BY_TRNEWS)}
    done = subprocess.run([sys.executable, "-c", script], env={**env, "OMP_DISPLAY_ENV": "VERBOSE", **environ},
                          capture_output=True, text=True, check=True)
    read, block = {}, ""
    for line in done.stderr.splitlines():
        if line.startswith("loaded "):
            read[line.removeprefix("loaded ")] = dict(re.findall(r"^\s*(\w+) = '([^']*)'", block, re.M))
            block = ""
        else:
            block += line + "\n"
    assert list(read) == order
    return read


@pytest.mark.parametrize("order", [["torch", "ctranslate2"], ["ctranslate2", "torch"]])
def test_torch_spins_briefly_and_ctranslate2_waits_passively_whichever_loads_first(order):
    read = settings_each_library_read(order)
    assert read["torch"]["GOMP_SPINCOUNT"] == "10000"
    assert read["ctranslate2"]["OMP_WAIT_POLICY"] == "PASSIVE"
    assert read["ctranslate2"]["GOMP_SPINCOUNT"] == "0"


def test_a_policy_the_user_set_holds_for_both_libraries():
    read = settings_each_library_read(["torch", "ctranslate2"], OMP_WAIT_POLICY="ACTIVE")
    assert read["torch"]["OMP_WAIT_POLICY"] == read["ctranslate2"]["OMP_WAIT_POLICY"] == "ACTIVE"


def test_a_process_trnews_starts_chooses_per_library_too_and_the_users_choice_is_never_overwritten():
    inherited: dict[str, str] = {}
    choose_default_waits(inherited)  # the parent's defaults, as a child inherits them
    with openmp_waits_for("ctranslate2", inherited):
        assert inherited["OMP_WAIT_POLICY"] == "PASSIVE" and "GOMP_SPINCOUNT" not in inherited
    assert inherited["GOMP_SPINCOUNT"] == "10000" and "OMP_WAIT_POLICY" not in inherited

    users = {"GOMP_SPINCOUNT": "500"}
    choose_default_waits(users)
    with openmp_waits_for("ctranslate2", users):
        assert users == {"GOMP_SPINCOUNT": "500"}
    assert users == {"GOMP_SPINCOUNT": "500"}
