"""A real full disk for tests, without root: a command run in a user and mount namespace of its own
(``unshare -rm``) where a tmpfs of a few KiB is mounted on a folder, so that its writes past the size fail with
ENOSPC from the kernel, as on a full disk. The network is the test's own (loopback included), so a server run
this way is reached as any other. Where the system does not allow such namespaces, ``tiny_disk_available()`` is
False and the tests that need one skip, saying so."""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

TINY_DISK_SCRIPT = 'mount -t tmpfs -o "size=$1" tmpfs "$2" && shift 2 && exec "$@"'
"""The shell run in the namespace: mount the tmpfs (size, folder), then become the command."""
PROBE_TIMEOUT_S = 10.0


def tiny_disk_command(folder: Path, size_bytes: int, command: Sequence[str]) -> list[str]:
    """``command`` run with a tmpfs of ``size_bytes`` (rounded up to whole pages) mounted on ``folder`` (which must
    exist); the mount is gone when the command ends."""
    return ["unshare", "-rm", "sh", "-c", TINY_DISK_SCRIPT, "sh", str(size_bytes), str(folder), *command]


@functools.cache
def tiny_disk_available() -> bool:
    """Whether this system lets an unprivileged user mount a tmpfs in a namespace of its own."""
    if shutil.which("unshare") is None:
        return False
    try:
        probe = subprocess.run(tiny_disk_command(Path("/tmp"), 4096, ["true"]), capture_output=True,
                               timeout=PROBE_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0
