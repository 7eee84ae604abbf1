"""usable_cpus: affinity and cgroup quotas, read from fake cgroup folders; free_cpus: what others leave."""

import os
from pathlib import Path

import pytest

from trnews.resources import cgroup_cpu_quota, free_cpus, threads_beside, usable_cpus

AFFINITY = len(os.sched_getaffinity(0))


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.mark.parametrize(
    ("proc", "files", "quota"),
    [
        ("0::/\n", {"cpu.max": "max 100000\n"}, None),  # v2, unlimited
        ("0::/\n", {"cpu.max": "150000 100000\n"}, 1.5),  # v2, docker --cpus 1.5
        # v2, a limit on an ancestor of the process's own cgroup counts too
        ("0::/kubepods/pod1/c1\n", {"cpu.max": "max 100000", "kubepods/pod1/cpu.max": "50000 100000",
                                     "kubepods/pod1/c1/cpu.max": "max 100000"}, 0.5),
        ("2:cpu,cpuacct:/\n", {"cpu,cpuacct/cpu.cfs_quota_us": "-1\n", "cpu,cpuacct/cpu.cfs_period_us": "100000\n"},
         None),  # v1, unlimited
        ("1:cpu:/\n", {"cpu/cpu.cfs_quota_us": "300000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 3.0),  # v1
        ("0::/\n", {}, None),  # no cgroup files at all (macOS, or not mounted)
    ],
)
def test_cgroup_quota(tmp_path: Path, proc: str, files: dict[str, str], quota: float | None):
    _write(tmp_path / "fs", files)
    (tmp_path / "cgroup").write_text(proc)
    assert cgroup_cpu_quota(tmp_path / "fs", tmp_path / "cgroup") == quota


def test_usable_cpus_is_the_smaller_of_affinity_and_quota_rounded_up(tmp_path: Path):
    (tmp_path / "cgroup").write_text("0::/\n")
    _write(tmp_path, {"cpu.max": "50000 100000"})
    assert usable_cpus(tmp_path, tmp_path / "cgroup") == 1
    _write(tmp_path, {"cpu.max": f"{(AFFINITY + 8) * 100000} 100000"})
    assert usable_cpus(tmp_path, tmp_path / "cgroup") == AFFINITY
    _write(tmp_path, {"cpu.max": "max 100000"})
    assert usable_cpus(tmp_path, tmp_path / "cgroup") == AFFINITY


def test_usable_cpus_follows_the_affinity_mask(tmp_path: Path):
    (tmp_path / "cgroup").write_text("0::/\n")
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        assert usable_cpus(tmp_path, tmp_path / "cgroup") == 1
    finally:
        os.sched_setaffinity(0, before)


@pytest.mark.parametrize(("usable", "machine", "others_busy", "threads"), [
    (2, 2, 0.1, 2),  # an idle machine: every usable CPU
    (2, 2, 2.0, 1),  # a neighbour keeps both CPUs busy: one thread, never none
    (2, 2, 0.9, 1),  # one CPU taken
    (4, 64, 30.0, 4),  # a container's quota on a big, half-busy host
    (8, 8, 5.4, 3),
])
def test_threads_are_the_cpus_others_leave_free(usable, machine, others_busy, threads):
    assert threads_beside(usable, machine, others_busy) == threads


def test_free_cpus_never_exceeds_the_usable_ones_and_is_never_zero():
    assert 1 <= free_cpus() <= usable_cpus()
