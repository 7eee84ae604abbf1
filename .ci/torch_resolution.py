"""Reads a `pip install --dry-run --report` of torch (`make check-torch`): prints what would be
installed and fails if that is a CUDA build (nvidia-* packages, triton), which the CPU set-up
must never pull."""

import json
import sys

CUDA_PACKAGES = ("nvidia-", "triton")

with open(sys.argv[1], encoding="utf-8") as file:
    report = json.load(file)
installs = {item["metadata"]["name"].lower(): item["metadata"]["version"] for item in report["install"]}
cuda = sorted(name for name in installs if name.startswith(CUDA_PACKAGES))
print(f"torch {installs.get('torch', '(not resolved)')}, {len(installs)} packages in all"
      + (f"; CUDA packages: {', '.join(cuda)}" if cuda else "; no CUDA package"))
sys.exit(1 if cuda or "torch" not in installs else 0)
