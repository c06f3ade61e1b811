"""The servers under test, each started fresh per scenario on a free loopback port.

``ours`` is ``main.py server`` with extra arguments per variant (store file or
``:memory:``, headless or the window offscreen); ``ngircd`` is the C IRC server with
a generated configuration: flood penalty off, no connection or channel limits.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 20.0
_LISTENING = re.compile(r"Listening on [^\s:]+:(\d+)")


class ServerUnavailable(Exception):
    """This server cannot run here; the text says why and what to do."""


@dataclass
class RunningServer:
    """A started server process and where it listens."""

    label: str
    protocol: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it does not stop in time; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode

    def log_tail(self, lines: int = 5) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass(frozen=True)
class ServerSpec:
    """How to start one server under test."""

    label: str
    protocol: str
    description: str
    start: Callable[[Path, list[str]], RunningServer]  # temp folder, extra arguments = field(compare=False)
    check: Callable[[], None] = field(compare=False)  # raises ServerUnavailable
    # The wire that drives the rooms scenarios on this server, given the one asked for ours ("text" or
    # "json"); raises ServerUnavailable if the server has no rooms.
    rooms_wire: Callable[[str], str] = field(compare=False)


# --- ours ----------------------------------------------------------------------------


@cache
def our_server_help() -> str:
    """``main.py server --help``: which options this checkout's server has."""
    done = subprocess.run([sys.executable, str(PROJECT / "main.py"), "server", "--help"],
                          capture_output=True, text=True, timeout=60, cwd=PROJECT)
    return done.stdout


def _our_env(tmp: Path, window: bool) -> dict[str, str]:
    env = dict(os.environ)
    # The server's settings and default database go to the scenario's temporary folder,
    # never to the user's.
    env["XDG_CONFIG_HOME"] = str(tmp / "config")
    env["XDG_DATA_HOME"] = str(tmp / "data")
    env["HOME"] = str(tmp)
    env["PYTHONUNBUFFERED"] = "1"
    if window:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _start_ours(label: str, extra: Callable[[Path], list[str]],
                window: bool) -> Callable[[Path, list[str]], RunningServer]:
    def start(tmp: Path, extra_args: list[str]) -> RunningServer:
        log_path = tmp / "server.log"
        out_path = tmp / "server.out"
        # The window may not print its port: it is given one picked here.
        port = free_port() if window else 0
        command = [sys.executable, str(PROJECT / "main.py"), "server", "--host", HOST, "--port", str(port),
                   "--max-clients", "0", "--log-level", "warning", *extra(tmp), *extra_args]
        if "--rate" in our_server_help():
            command += ["--rate", "0"]  # the flood limit is for people; ngircd's is switched off too
        if not window:
            command.insert(3, "--headless")
        with log_path.open("wb") as log, out_path.open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=log, stdin=subprocess.DEVNULL,
                                       cwd=PROJECT, env=_our_env(tmp, window))
        server = RunningServer(label, "json", port, process, log_path)
        try:
            if window:
                _wait_accepting(server)
            else:
                server.port = _wait_listening_line(server, out_path)
        except BaseException:
            server.stop()
            raise
        return server

    return start


def _check_ours(option: str | None, window: bool) -> Callable[[], None]:
    def check() -> None:
        text = our_server_help()
        if option and option not in text:
            raise ServerUnavailable(f"this checkout's server has no {option} option yet")
        if window:
            for module in ("chat_gui/launcher.py", "chat_gui/server_window/__init__.py"):
                if not (PROJECT / module).exists():
                    raise ServerUnavailable(f"this checkout has no {module} yet: the window cannot be measured")

    return check


OUR_ROOMS_WIRES = ("text", "json")
"""How the rooms scenarios can drive ours: text mode's commands (``/join #room``), the default, or
JSON version 2's requests."""


def _our_rooms_wire(wanted: str) -> str:
    """``wanted``, on a server that has rooms: it has the ``--max-rooms`` setting. Without it the scenario
    is not run."""
    if "--max-rooms" not in our_server_help():
        raise ServerUnavailable("this checkout's server has no rooms yet (no --max-rooms option)")
    if wanted not in OUR_ROOMS_WIRES:
        raise ServerUnavailable(f"no rooms wire {wanted!r} for ours: choose from {', '.join(OUR_ROOMS_WIRES)}")
    return wanted


def _db_file(tmp: Path) -> list[str]:
    return ["--db", str(tmp / "chat.sqlite3")] if "--db" in our_server_help() else []


def _db_memory(tmp: Path) -> list[str]:
    return ["--db", ":memory:"]


# --- ngircd -----------------------------------------------------------------------------

NGIRCD_INSTALL_HINT = "install it: sudo apt-get install -y ngircd (or as root: python -m bench run --install-ngircd)"


def ngircd_path() -> str | None:
    return shutil.which("ngircd") or next(
        (str(p) for p in (Path("/usr/sbin/ngircd"), Path("/usr/local/sbin/ngircd")) if p.exists()), None)


def _check_ngircd() -> None:
    if ngircd_path() is None:
        raise ServerUnavailable(f"ngircd is not installed; {NGIRCD_INSTALL_HINT}")


def ngircd_config(tmp: Path, port: int) -> str:
    """A configuration for benchmarking: loopback only, no limits, no flood penalty, no lookups."""
    include = tmp / "conf.d"
    include.mkdir(exist_ok=True)
    owner = "ServerUID = 0\nServerGID = 0\n" if os.geteuid() == 0 else ""
    return f"""[Global]
Name = bench.local
Info = benchmark peer
AdminInfo1 = benchmark
AdminInfo2 = loopback only
AdminEMail = bench@localhost
Listen = {HOST}
Ports = {port}
MotdPhrase = bench
PidFile = {tmp / "ngircd.pid"}
{owner}
[Limits]
MaxConnections = 0
MaxConnectionsIP = 0
MaxJoins = 0
MaxNickLength = 30
# 0 turns the flood penalty off altogether (ngircd warns that this is not recommended).
MaxPenaltyTime = 0
PingTimeout = 3600
PongTimeout = 3600

[Options]
DNS = no
Ident = no
PAM = no
IncludeDir = {include}
"""


def _start_ngircd(tmp: Path, extra_args: list[str]) -> RunningServer:
    binary = ngircd_path()
    if binary is None:
        raise ServerUnavailable(f"ngircd is not installed; {NGIRCD_INSTALL_HINT}")
    port = free_port()
    conf = tmp / "ngircd.conf"
    conf.write_text(ngircd_config(tmp, port))
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([binary, "--nodaemon", "--config", str(conf)], stdout=log, stderr=log,
                                   stdin=subprocess.DEVNULL, cwd=tmp)
    server = RunningServer("ngircd", "irc", port, process, log_path)
    try:
        _wait_accepting(server)
    except BaseException:
        server.stop()
        raise
    return server


def _ngircd_rooms_wire(wanted: str) -> str:
    return "irc"  # a room is a channel, whatever wire ours is driven with


def install_ngircd() -> str:
    """apt-get install ngircd, only as root; what happened, in words."""
    if ngircd_path() is not None:
        return "ngircd is already installed"
    if os.geteuid() != 0:
        return f"not root: {NGIRCD_INSTALL_HINT}"
    done = subprocess.run(["apt-get", "install", "-y", "ngircd"], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return f"apt-get install ngircd failed: {done.stderr.strip()[-300:]}"
    return "installed ngircd with apt-get"


# --- helpers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _wait_listening_line(server: RunningServer, out_path: Path) -> int:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        match = _LISTENING.search(out_path.read_text(errors="replace"))
        if match:
            return int(match.group(1))
        if server.process.poll() is not None:
            break
        time.sleep(0.05)
    raise ServerUnavailable(f"{server.label} did not say where it listens: {server.log_tail()}")


def _wait_accepting(server: RunningServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with socket.create_connection((HOST, server.port), timeout=1):
                pass
        except OSError:
            time.sleep(0.05)
            continue
        # A probe that connects and hangs up is a short-lived member the server may still be
        # processing: give it a moment before the measured run begins.
        time.sleep(0.5)
        return
    raise ServerUnavailable(f"{server.label} did not start listening on port {server.port}: {server.log_tail()}")


SERVERS: dict[str, ServerSpec] = {
    spec.label: spec for spec in (
        ServerSpec("ours", "json", "main.py server --headless, store in a SQLite file",
                   _start_ours("ours", _db_file, window=False), _check_ours(None, window=False), _our_rooms_wire),
        ServerSpec("ours-memory", "json", "main.py server --headless --db :memory:",
                   _start_ours("ours-memory", _db_memory, window=False), _check_ours("--db", window=False),
                   _our_rooms_wire),
        ServerSpec("ours-window", "json", "main.py server (the window, offscreen), store in a SQLite file",
                   _start_ours("ours-window", _db_file, window=True), _check_ours(None, window=True),
                   _our_rooms_wire),
        ServerSpec("ngircd", "irc", "ngircd, flood penalty off, no limits",
                   _start_ngircd, _check_ngircd, _ngircd_rooms_wire),
    )
}
