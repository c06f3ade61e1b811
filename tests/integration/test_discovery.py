"""Finding the server on the LAN (issue 19): real headless servers announcing with real zeroconf on loopback,
found by ``main.py discover`` (a real subprocess) and by a zeroconf browser in this process.

Other tests (and other people's runs) may announce servers on this machine's loopback at the same time: every
check picks its own server out by its port.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

from chat_server.core.auth import PASSWORD_ENV
from chat_server.protocol import SERVICE_TYPE
from tests.integration.test_headless import ROOT, TIMEOUT_S, LineSocket, read_port, start_headless, stop_process

LOOPBACK = "127.0.0.1"
SEARCH_S = 1.5  # each discover listens this long
DEADLINE_S = 25.0  # a server is found (or its change seen) within this long, or the test fails
FINGERPRINT = re.compile(r"TLS certificate SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\n")


def discover(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", "discover", "--timeout", str(SEARCH_S), "--interface", LOOPBACK,
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S + SEARCH_S,
                          stdin=subprocess.DEVNULL)


def discovered(port: int) -> list[dict[str, Any]]:
    """What ``discover --json`` lists for the server on ``port`` (whatever else it lists)."""
    result = discover("--json")
    assert result.returncode in (0, 1), result.stderr
    return [server for server in json.loads(result.stdout) if server["port"] == port]


def discover_until(port: int, wanted: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
    """Run ``discover --json`` until what it lists for ``port`` is as ``wanted`` (within ``DEADLINE_S``)."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        found = discovered(port)
        if wanted(found) or time.monotonic() > deadline:
            return found


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., tuple[subprocess.Popen[str], int]]]:
    processes: list[subprocess.Popen[str]] = []

    def start(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], int]:
        database = tmp_path / f"chat{len(processes)}.sqlite3"
        process = start_headless("--port", "0", "--advertise", "--db", str(database), *args,
                                 env={"XDG_DATA_HOME": str(tmp_path / "xdg"), **(env or {})})
        processes.append(process)
        return process, read_port(process)

    yield start
    for process in processes:
        stop_process(process)


def test_discover_finds_an_advertised_server_with_what_it_announces(
        start_server: Callable[..., tuple[subprocess.Popen[str], int]]) -> None:
    _, port = start_server("--name", "Third floor", "--max-clients", "7")
    found = discover_until(port, bool)
    assert found == [{"name": "Third floor", "host": LOOPBACK, "port": port, "version": 2, "tls": False,
                      "fingerprint": None, "password": False, "online": 0, "limit": 7}]
    result = discover()
    assert result.returncode == 0
    assert f"Third floor  127.0.0.1:{port}  no TLS  no password  0/7 online" in result.stdout.splitlines()


def test_two_servers_are_both_listed_the_tls_one_with_its_fingerprint_and_password(
        start_server: Callable[..., tuple[subprocess.Popen[str], int]], tmp_path: Path) -> None:
    _, plain_port = start_server("--name", "Same name", "--max-clients", "0")
    secure, secure_port = start_server("--name", "Same name", "--tls", env={PASSWORD_ENV: "sesame"})
    assert secure.stdout is not None
    match = FINGERPRINT.fullmatch(secure.stdout.readline())
    assert match, "no fingerprint line"
    deadline = time.monotonic() + DEADLINE_S
    while True:
        result = discover("--json")
        listed = {server["port"]: server for server in json.loads(result.stdout)}
        if {plain_port, secure_port} <= listed.keys() or time.monotonic() > deadline:
            break
    assert result.returncode == 0 and {plain_port, secure_port} <= listed.keys(), (result.stdout, result.stderr)
    assert listed[plain_port] == {"name": "Same name", "host": LOOPBACK, "port": plain_port, "version": 2,
                                  "tls": False, "fingerprint": None, "password": False, "online": 0, "limit": 0}
    assert listed[secure_port] == {"name": "Same name", "host": LOOPBACK, "port": secure_port, "version": 2,
                                   "tls": True, "fingerprint": match.group(1), "password": True, "online": 0,
                                   "limit": 3}
    lines = discover().stdout.splitlines()
    assert f"Same name  127.0.0.1:{plain_port}  no TLS  no password  0 online (no limit)" in lines
    assert f"Same name  127.0.0.1:{secure_port}  TLS {match.group(1)}  password  0/3 online" in lines


def test_the_member_count_is_updated(start_server: Callable[..., tuple[subprocess.Popen[str], int]]) -> None:
    _, port = start_server("--name", "Counting")
    assert [s["online"] for s in discover_until(port, bool)] == [0]
    members = [LineSocket(port), LineSocket(port)]
    try:
        for member in members:
            assert member.line().startswith("Welcome Client0")
        assert [s["online"] for s in discover_until(port, lambda f: f != [] and f[0]["online"] == 2)] == [2]
        members.pop().close()
        assert [s["online"] for s in discover_until(port, lambda f: f != [] and f[0]["online"] == 1)] == [1]
    finally:
        for member in members:
            member.close()


class Watcher:
    """A zeroconf browser on loopback in this process: the services of ``SERVICE_TYPE`` it has seen come and go."""

    def __init__(self) -> None:
        self.zeroconf = Zeroconf(interfaces=[LOOPBACK], ip_version=IPVersion.V4Only)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.ports: dict[str, int] = {}  # service name -> port, while it is announced
        self.browser = ServiceBrowser(self.zeroconf, SERVICE_TYPE, handlers=[self._on_change])

    def _on_change(self, zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange) -> None:
        info = zeroconf.get_service_info(service_type, name, 1000) if state_change is ServiceStateChange.Added \
            else None
        with self._changed:
            if state_change is ServiceStateChange.Removed:
                self.ports.pop(name, None)
            elif info is not None and info.port is not None:
                self.ports[name] = info.port
            self._changed.notify_all()

    def wait_for(self, check: Callable[[dict[str, int]], bool], timeout_s: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: check(self.ports), timeout_s)

    def close(self) -> None:
        self.browser.cancel()
        self.zeroconf.close()


@pytest.fixture
def watcher() -> Iterator[Watcher]:
    watching = Watcher()
    yield watching
    watching.close()


GOODBYE_S = 10.0
"""A goodbye reaches a browser at once (it drops the service a second later); without one the service would stay
for its records' TTL (two minutes for the address, 75 for the name): a bound well under that, with room for a busy
machine."""


def test_a_server_disappears_when_it_stops_on_sigterm(
        start_server: Callable[..., tuple[subprocess.Popen[str], int]], watcher: Watcher) -> None:
    process, port = start_server("--name", "Leaving soon")
    assert watcher.wait_for(lambda ports: port in ports.values(), DEADLINE_S)
    assert discovered(port) != []
    stderr = stop_process(process)
    assert process.returncode == 0, stderr
    assert watcher.wait_for(lambda ports: port not in ports.values(), GOODBYE_S), f"no goodbye after SIGTERM: {stderr}"
    assert discovered(port) == []


def test_without_advertise_a_loopback_server_is_not_announced(tmp_path: Path) -> None:
    """The default on 127.0.0.1: nobody else could connect, so nothing is announced (and the log says why)."""
    process = start_headless("--port", "0", "--db", str(tmp_path / "chat.sqlite3"))
    try:
        port = read_port(process)
    finally:
        stderr = stop_process(process)
    assert port > 0
    assert "not announced on the network: it listens on loopback only (--advertise announces it there)" in stderr
    assert "announced on the network as" not in stderr


def test_discover_with_nothing_found_exits_1() -> None:
    result = subprocess.run([sys.executable, "main.py", "discover", "--timeout", "0.2", "--interface", LOOPBACK,
                             "--json"], cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S,
                            stdin=subprocess.DEVNULL)
    # Another test's server may be announced at this moment: only the empty answer is pinned down.
    if result.stdout.strip() == "[]":
        assert result.returncode == 1
    else:
        assert result.returncode == 0 and json.loads(result.stdout) != []


def test_discover_says_so_when_multicast_cannot_be_used() -> None:
    result = subprocess.run([sys.executable, "main.py", "discover", "--timeout", "0.2", "--interface", "203.0.113.5"],
                            cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and result.stdout == ""
    assert "WARNING cannot look for servers: multicast DNS cannot be used here (" in result.stderr
    assert "connect with the server's address and port instead" in result.stderr


def test_a_garbled_announcement_is_not_listed_and_says_why(watcher: Watcher) -> None:
    """Anyone may announce anything: a record that does not read is left out, with its reason in the log."""
    port = 40000 + os.getpid() % 20000  # nothing listens there: it is only what the forger claims
    name = f"Forged {os.getpid()}.{SERVICE_TYPE}"
    info = ServiceInfo(SERVICE_TYPE, name, port=port, addresses=[socket.inet_aton(LOOPBACK)],
                       properties={"v": "two", "tls": "no", "password": "no", "online": "0", "limit": "0"},
                       server=f"forger-{os.getpid()}.local.")
    watcher.zeroconf.register_service(info)
    try:
        reason = f"INFO ignored an announcement: '{name}': the TXT record's 'v' is not a version number ('two')\n"
        deadline = time.monotonic() + DEADLINE_S
        while True:
            result = discover("--json")
            if reason in result.stderr or time.monotonic() > deadline:
                break
        assert reason in result.stderr
        assert [server for server in json.loads(result.stdout) if server["port"] == port] == []
    finally:
        watcher.zeroconf.unregister_service(info)
