"""The headless server's memory under a storm of garbage from 20 connections opening and closing (issue 15, defect 7).

Each connection sends a few lines of ``{"type":`` followed by up to 5,000 ``[`` (or random bytes), closes and
comes back. Before the fix this took a server without a member limit from 55 MiB to 4 GiB within seconds: a
pass of the reactor read everything ready at once, and every broadcast held for each connection not yet
announced was encoded again for each. The resident size is read from /proc; the run is bounded (a seed, 20
connections, a few seconds, loopback only) and the server gets an address-space limit as a safety net.
The last test checks one of the bounds on its own: what waits for a connection not yet announced.
"""

from __future__ import annotations

import random
import resource
import signal
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_server.core.engine import ChatServer
from chat_server.net.connection import GRACE_HELD_MAX as HELD_FOR_ANNOUNCE
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_headless import TIMEOUT_S, LineSocket, read_port, start_headless, stop_process

ON_PROC = Path("/proc/self/status").exists()

SEED = 715
CONNECTIONS = 20
GARBAGE_S = 8.0
GROWTH_BOUND_MIB = 64  # the target, over the baseline, at any moment
SETTLED_BOUND_MIB = 32  # once the storm is over and the server has caught up
ADDRESS_SPACE_LIMIT = 3 << 30  # so that a regression fails this test rather than the machine


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _garbage_line(rng: random.Random) -> bytes:
    if rng.random() < 0.8:
        return b'{"type":' + b"[" * rng.randint(1, 5000) + b"\n"
    return bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 2000))).replace(b"\n", b"") + b"\n"


def _storm(port: int, seed: int, until: float, counts: list[int]) -> None:
    """One of the 20: connect, send 1-20 garbage lines, close, again, until ``until``."""
    rng = random.Random(seed)
    while time.monotonic() < until:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S) as sock:
                for _ in range(rng.randint(1, 20)):
                    sock.sendall(_garbage_line(rng))
        except OSError:
            continue  # reset by the server (a full line limit, a close): come back as a stranger would
        counts[seed - SEED] += 1


@pytest.mark.skipif(not ON_PROC, reason="reads the resident size from /proc")
def test_garbage_from_20_connections_keeps_the_memory_bounded_and_gives_it_back(tmp_path: Path) -> None:
    process = start_headless("--port", "0", "--db", str(tmp_path / "chat.sqlite3"), "--max-clients", "0",
                             "--log-level", "error")
    try:
        port = read_port(process)
        resource.prlimit(process.pid, resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))
        first = LineSocket(port)  # the server has served someone before its baseline is taken
        first.send("warm up\n")
        assert first.line_matching(r".* ACK") == "warm up ACK"
        first.close()
        baseline = _rss_mib(process.pid)

        until = time.monotonic() + GARBAGE_S
        counts = [0] * CONNECTIONS
        storm = [threading.Thread(target=_storm, args=(port, SEED + n, until, counts)) for n in range(CONNECTIONS)]
        for thread in storm:
            thread.start()
        peak = baseline
        while any(thread.is_alive() for thread in storm):
            peak = max(peak, _rss_mib(process.pid))
            for thread in storm:
                thread.join(0.05)
        assert process.poll() is None, "the server died under the storm"
        assert sum(counts) > 100  # the storm really happened
        assert peak - baseline < GROWTH_BOUND_MIB, f"grew by {peak - baseline:.0f} MiB over {baseline:.0f} MiB"

        # Once it has caught up (an honest member is served), the memory goes back near where it was.
        after = LineSocket(port)
        after.send("after the storm\n")
        assert after.line_matching(r"after the storm ACK") == "after the storm ACK"
        settled = _rss_mib(process.pid)
        after.close()
        assert settled - baseline < SETTLED_BOUND_MIB, f"still {settled - baseline:.0f} MiB over the baseline"

        process.send_signal(signal.SIGTERM)
        assert process.wait(TIMEOUT_S) == 0
    finally:
        stop_process(process)


def test_a_connection_not_yet_announced_is_announced_once_64_broadcasts_wait_for_it(
        make_server: Callable[..., ChatServer], make_client: Callable[..., ChatClient],
        make_raw: Callable[[ChatServer], RawClient], qtbot: QtBot) -> None:
    # A grace period long enough that only the pile of broadcasts can end it.
    server = make_server(join_grace_ms=600_000, history_limit=0)
    alice = make_client(server, "alice")
    silent = make_raw(server)  # a netcat user who has typed nothing yet
    silent.wait_line("Welcome Client01! Type a message, 'status' or 'exit'.")
    with qtbot.waitSignal(alice.member_joined, timeout=WAIT_MS) as joined:
        for number in range(HELD_FOR_ANNOUNCE):
            alice.send(f"message {number}")
    assert joined.args == ["Client01", 2]
    silent.wait_line(f"alice: message {HELD_FOR_ANNOUNCE - 1}")
    relayed = [line for line in silent.lines if line.startswith("alice: ")]
    assert relayed == [f"alice: message {number}" for number in range(HELD_FOR_ANNOUNCE)]
    alice.abort()
