"""trnews: Turkish news in English, side by side."""

import os

# Prefect's telemetry tries the network, which may not exist where trnews runs; opt in explicitly.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

__version__ = "0.1.0"
