"""What a process has cost so far, read from /proc: CPU time and resident memory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class CpuSample:
    """CPU time of a process: user and system from /proc/PID/stat (clock ticks, 10 ms steps)
    and the scheduler's nanosecond total over its threads from /proc/PID/task/*/schedstat."""

    user_s: float
    system_s: float
    sched_ns: int | None  # None when the kernel does not keep schedstat

    @property
    def total_s(self) -> float:
        """The precise figure when the kernel keeps it, else user + system."""
        if self.sched_ns is not None:
            return self.sched_ns / 1e9
        return self.user_s + self.system_s


def cpu(pid: int) -> CpuSample:
    """CPU time used so far by ``pid`` (all its threads)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # Fields after the command name, which is in parentheses and may hold spaces.
    fields = stat[stat.rindex(")") + 2:].split()
    user, system = int(fields[11]), int(fields[12])
    return CpuSample(user / _TICKS_PER_SECOND, system / _TICKS_PER_SECOND, _sched_ns(pid))


def _sched_ns(pid: int) -> int | None:
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except FileNotFoundError:  # the thread ended meanwhile
                continue
    except OSError:
        return None
    return total


def cpu_delta_s(before: CpuSample, after: CpuSample) -> float:
    """Seconds of CPU between two samples of the same process."""
    if before.sched_ns is not None and after.sched_ns is not None:
        return (after.sched_ns - before.sched_ns) / 1e9
    return (after.user_s + after.system_s) - (before.user_s + before.system_s)


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` in KiB (VmRSS from /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise ValueError(f"no VmRSS for process {pid}")
