"""How many CPUs this process may actually use, and how many of those other processes leave free.

`os.cpu_count()` is the machine's count; a container or a systemd unit is usually limited to fewer,
by CPU affinity (`taskset`, cpusets) or by a CFS quota (`docker --cpus`, Kubernetes limits).
Running more compute threads than that makes them wait on each other. On a shared machine (a
nightly job beside anything else) the CPUs others keep busy are no better: torch and CTranslate2
are given `free_cpus()` threads, measured when a model is loaded. How their OpenMP threads wait
is chosen per library (`trnews.openmp`): spinning waiters took the CPUs a neighbour needed and
slowed both by an order of magnitude.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_CGROUP = Path("/proc/self/cgroup")
# How long `free_cpus` watches the machine: once per model load, so a quarter second is cheap.
SAMPLE_SECONDS = 0.25


def usable_cpus(cgroup_root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> int:
    """The CPUs this process may use: its affinity mask, further limited by any cgroup CPU quota
    (rounded up: a quota of 1.5 CPUs still keeps two threads busy part of the time). At least 1."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = cgroup_cpu_quota(cgroup_root, proc_cgroup)
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(1, cpus)


def free_cpus() -> int:
    """`usable_cpus()`, less the CPUs other processes kept busy over the last `SAMPLE_SECONDS`
    (this process's own use is not counted against it). At least 1."""
    import psutil

    me = psutil.Process()
    me.cpu_percent(None)
    machine_busy = psutil.cpu_percent(interval=SAMPLE_SECONDS) / 100 * (psutil.cpu_count() or 1)
    own = me.cpu_percent(None) / 100
    return threads_beside(usable_cpus(), psutil.cpu_count() or 1, max(0.0, machine_busy - own))


def threads_beside(usable: int, machine_cpus: int, others_busy: float) -> int:
    """Compute threads for a process that may use `usable` of the machine's `machine_cpus` CPUs,
    while other processes keep `others_busy` CPUs busy: the free ones, at least 1."""
    return max(1, min(usable, round(machine_cpus - others_busy)))


def cgroup_cpu_quota(cgroup_root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> float | None:
    """The tightest CPU quota (in CPUs) on this process's cgroup and its ancestors, or None if none.

    Looks at cgroup v2 `cpu.max` ("max 100000" or "150000 100000") and cgroup v1
    `cpu.cfs_quota_us` / `cpu.cfs_period_us` (quota -1: unlimited)."""
    quotas = [q for folder in _cgroup_folders(cgroup_root, proc_cgroup) if (q := _quota_in(folder)) is not None]
    return min(quotas, default=None)


def _cgroup_folders(cgroup_root: Path, proc_cgroup: Path) -> Iterator[Path]:
    """Candidate folders holding CPU controller files, from the process's own cgroup up to the root.

    Inside a container the controller is often mounted at the container's own cgroup (so the
    mount root is the right folder) while /proc/self/cgroup names a host path: both are tried."""
    mounts = [cgroup_root, cgroup_root / "cpu", cgroup_root / "cpu,cpuacct", cgroup_root / "cpuacct,cpu"]
    relative: list[Path] = []
    try:
        for line in proc_cgroup.read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if controllers == "" or "cpu" in controllers.split(","):
                relative.append(Path(path.lstrip("/")))
    except (OSError, ValueError):
        pass
    seen: set[Path] = set()
    for mount in mounts:
        for path in relative:
            for folder in (mount / path, *(mount / parent for parent in path.parents)):
                if folder not in seen:
                    seen.add(folder)
                    yield folder
        if mount not in seen:
            seen.add(mount)
            yield mount


def _quota_in(folder: Path) -> float | None:
    try:
        quota, period = (folder / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota_us = int((folder / "cpu.cfs_quota_us").read_text())
        period_us = int((folder / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return None if quota_us <= 0 or period_us <= 0 else quota_us / period_us
