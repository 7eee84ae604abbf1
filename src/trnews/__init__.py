"""trnews: Turkish news in English, side by side."""

import os

# Prefect's telemetry tries the network, which may not exist where trnews runs; opt in explicitly.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# torch's and CTranslate2's OpenMP threads spin while they wait for work unless told otherwise,
# taking the CPUs a neighbouring process (or another Dask worker) needs: set before either loads,
# inherited by every process trnews starts, unless the user chose a policy (trnews.resources).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
