"""How torch's and CTranslate2's OpenMP threads wait for work, chosen per library.

Both libraries ship their own copy of GNU libgomp, and each copy reads `OMP_WAIT_POLICY` and
`GOMP_SPINCOUNT` once, when it loads. Left alone, waiting threads spin for a while, taking the
CPUs a neighbouring process (or another Dask worker) needs. The right wait differs by library
(benchmarks/README.md, "Fair share"):

- CTranslate2 loses nothing measurable to passive waits alone and is fastest with them beside a
  busy neighbour.
- torch runs beam search as many small parallel regions: with passive waits every region wakes
  sleeping threads, 20-40 % slower alone. A short bounded spin keeps it as fast as the library's
  default alone and as polite as passive waits beside a neighbour.

torch can be imported from anywhere (transformers imports it), so its setting is the process's
default, set when trnews is imported and inherited by every process trnews starts; CTranslate2 is
imported only through `openmp_waits_for("ctranslate2")`, which switches to its setting while the
library loads. A policy the user set themselves is left as it is, for both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Literal

Library = Literal["torch", "ctranslate2"]

OPENMP_VARIABLES = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")
WAITS: dict[Library, dict[str, str]] = {
    "torch": {"GOMP_SPINCOUNT": "10000"},
    "ctranslate2": {"OMP_WAIT_POLICY": "PASSIVE"},
}
# Marks the variables above as trnews' own choice, so that a process trnews starts does not
# mistake its parent's defaults for the user's.
CHOSEN_BY_TRNEWS = "_TRNEWS_OPENMP_WAITS"


def user_chose_waits(environ: MutableMapping[str, str] = os.environ) -> bool:
    return CHOSEN_BY_TRNEWS not in environ and any(name in environ for name in OPENMP_VARIABLES)


def _apply(library: Library, environ: MutableMapping[str, str]) -> None:
    for name in OPENMP_VARIABLES:
        environ.pop(name, None)
    environ.update(WAITS[library])
    environ[CHOSEN_BY_TRNEWS] = library


def choose_default_waits(environ: MutableMapping[str, str] = os.environ) -> None:
    """Make torch's waits the process's default, unless the user chose a policy."""
    if not user_chose_waits(environ):
        _apply("torch", environ)


@contextmanager
def openmp_waits_for(library: Library, environ: MutableMapping[str, str] = os.environ) -> Iterator[None]:
    """`library`'s waits in the environment for the block (import the library inside it), then the
    environment as it was. Nothing changes where the user chose a policy."""
    if user_chose_waits(environ):
        yield
        return
    saved = {name: environ.get(name) for name in (*OPENMP_VARIABLES, CHOSEN_BY_TRNEWS)}
    _apply(library, environ)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value
