"""trnews: Turkish news in English, side by side."""

import os

from trnews.openmp import choose_default_waits

# Prefect's telemetry tries the network, which may not exist where trnews runs; opt in explicitly.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# Before torch or CTranslate2 can load: how their OpenMP threads wait (trnews.openmp).
choose_default_waits()

__version__ = "0.1.0"
