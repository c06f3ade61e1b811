"""The headless server as a real subprocess, driven with plain sockets like any simple client."""

from __future__ import annotations

import os
import re
import selectors
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from chat_server.core.auth import PASSWORD_ENV

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 10.0


class LineSocket:
    """A blocking socket with a timeout that reads whole lines."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
        self._buffer = b""

    def send(self, text: str) -> None:
        self.sock.sendall(text.encode("utf-8"))

    def line(self) -> str:
        while b"\n" not in self._buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError(f"closed with {self._buffer!r} unread")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode("utf-8")

    def line_matching(self, pattern: str) -> str:
        while True:
            line = self.line()
            if re.fullmatch(pattern, line):
                return line

    def at_eof(self) -> bool:
        return self._buffer == b"" and self.sock.recv(4096) == b""

    def close(self) -> None:
        self.sock.close()


def read_port(process: subprocess.Popen[str]) -> int:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(TIMEOUT_S):
            raise TimeoutError("the server printed no 'Listening on' line")
    line = process.stdout.readline()
    match = re.fullmatch(r"Listening on 127\.0\.0\.1:(\d+)\n", line)
    assert match, line
    return int(match.group(1))


# Set by coverage (pytest --cov) so that child processes measure themselves too.
COVERAGE_ENV = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START")


def start_headless(*args: str, env: dict[str, str] | None = None, measured: bool = True) -> subprocess.Popen[str]:
    """``main.py server --headless`` with ``args`` and ``env`` added to a clean environment, its output piped.

    ``measured=False`` keeps coverage out of the child (for load tests, which it slows several times over).
    """
    dropped = {PASSWORD_ENV, *(() if measured else COVERAGE_ENV)}
    inherited = {key: value for key, value in os.environ.items() if key not in dropped}
    env = {**inherited, "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "main.py", "server", "--headless", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )


def stop_process(process: subprocess.Popen[str]) -> str:
    """Stop it with SIGTERM (a clean stop, which lets coverage save its data) or kill it if it does not
    stop in time; what it wrote to stderr."""
    if process.poll() is None:
        process.terminate()
        try:
            return process.communicate(timeout=TIMEOUT_S)[1] or ""
        except subprocess.TimeoutExpired:
            process.kill()
    return process.communicate(timeout=TIMEOUT_S)[1] or ""


@pytest.fixture
def headless(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    process = start_headless("--port", "0", "--max-clients", "2", "--db", str(tmp_path / "chat.sqlite3"))
    try:
        yield process, read_port(process)
    finally:
        stop_process(process)


def test_headless_server_chats_with_plain_sockets_and_stops_cleanly_on_sigterm(
        headless: tuple[subprocess.Popen[str], int]) -> None:
    process, port = headless
    one = LineSocket(port)
    assert one.line() == "Welcome Client01! Type a message, 'status' or 'exit'."
    one.send("Hello, Server!\n")
    assert one.line_matching(r".* ACK") == "Hello, Server! ACK"
    two = LineSocket(port)
    assert two.line() == "Welcome Client02! Type a message, 'status' or 'exit'. 1 earlier message: type 'history' to " \
                         "read it."
    two.send("hi one\n")
    assert two.line_matching(r"hi one ACK|Client01:.*") == "hi one ACK"
    assert one.line_matching(r"Client02: .*") == "Client02: hi one"
    full = LineSocket(port)
    assert full.line() == "[refused: full] Server is full (2/2 online). Try again later."
    assert full.at_eof()
    two.send("status\n")
    assert two.line_matching(r"Status: .*").startswith("Status: 2/2 online, 3 session(s) since ")
    two.line()  # the header
    assert two.line().split()[-2:] == ["online", "1"]
    assert two.line().split()[-2:] == ["online", "1"]
    assert two.line().split()[-2:] == ["full", "0"]  # "refused: full"

    process.send_signal(signal.SIGTERM)
    for member, name in ((one, "Client01"), (two, "Client02")):
        assert re.fullmatch(rf"Server is shutting down\. Goodbye {name}! Disconnected at [0-9: -]+\.",
                            member.line_matching(r"Server is shutting down\..*"))
        assert member.at_eof()
    _, err = process.communicate(timeout=TIMEOUT_S)
    assert process.returncode == 0
    assert "Client01 joined (1 online)" in err
    assert "refused 127.0.0.1" in err and "Server is full (2/2 online)" in err
    assert "SIGTERM received" in err
    for member in (one, two, full):
        member.close()


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    # A fixed terminal width, so that argparse wraps the help the same way everywhere.
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT_S, stdin=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "100"})


def test_help_lists_the_sub_commands() -> None:
    result = _main("--help")
    assert result.returncode == 0 and result.stderr == ""
    listed = re.findall(r"^ {4}(\w+) {2,}(\S.*)$", result.stdout, flags=re.MULTILINE)
    assert [command for command, _ in listed] == ["server", "client", "demo", "discover", "send", "download"]
    assert dict(listed)["server"] == "the server window (--headless: no window, log to the terminal)"
    result = _main("server", "--help")
    assert result.returncode == 0 and result.stderr == ""
    options = set(re.findall(r"^ {2}(--[a-z-]+)", result.stdout, flags=re.MULTILINE))
    assert {"--headless", "--host", "--port", "--max-clients", "--log-level", "--db", "--tls",
            "--password-file", "--rate", "--idle-timeout", "--name", "--advertise", "--no-advertise"} <= options


def test_a_port_in_use_is_reported_and_exits_non_zero(headless: tuple[subprocess.Popen[str], int]) -> None:
    _, port = headless
    command = [sys.executable, "main.py", "server", "--headless", "--port", str(port), "--db", ":memory:"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}: " in result.stderr


def test_the_listening_line_puts_an_ipv6_address_in_brackets(tmp_path: Path) -> None:
    process = start_headless("--host", "::1", "--port", "0", "--db", str(tmp_path / "chat.sqlite3"))
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(TIMEOUT_S), "the server printed no 'Listening on' line"
        line = process.stdout.readline()
        match = re.fullmatch(r"Listening on \[::1\]:(\d+)\n", line)
        assert match, line
        with socket.create_connection(("::1", int(match.group(1))), timeout=TIMEOUT_S) as sock:
            assert sock.recv(4096).startswith(b"Welcome ")
    finally:
        stop_process(process)
