"""main.py as a user runs it: refused arguments, and ``main.py client`` joining a running server."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.test_headless import ROOT, TIMEOUT_S, read_port, start_headless, stop_process
from tests.integration.test_launcher import _launch

EXIT_WAIT_S = 10.0  # the goodbye takes milliseconds; EXIT_TIMEOUT_MS (2 s) is the most a close may wait


class LogReader:
    """Reads a child's stderr straight from its pipe (a buffered readline after select can sit on lines that
    arrived in one write, and wait for more that never comes)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        self._fd = process.stderr.fileno()
        self._buffer = b""
        self.lines: list[str] = []

    def wait_for(self, pattern: str) -> str:
        deadline = time.monotonic() + TIMEOUT_S * 3
        while True:
            for line in self.lines:
                if re.search(pattern, line):
                    self.lines = self.lines[self.lines.index(line) + 1:]
                    return line
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no log line like {pattern!r} in {self.lines!r}"
            if select.select([self._fd], [], [], remaining)[0]:
                chunk = os.read(self._fd, 65536)
                assert chunk, f"the log ended without a line like {pattern!r}: {self.lines!r}"
                *complete, self._buffer = (self._buffer + chunk).split(b"\n")
                self.lines.extend(line.decode("utf-8", errors="replace") for line in complete)


@pytest.mark.parametrize(("args", "error"), [
    (("--port", "70000"), "argument --port: a port is 0-65535 (0 picks a free one), not 70000"),
    (("--max-clients", "-1"), "argument --max-clients: must be 0 or more, not -1"),
    (("--rate", "nan"), "argument --rate: must be 0 or more, not nan"),
])
def test_out_of_range_options_are_refused_with_the_reason(args: tuple[str, ...], error: str) -> None:
    result = subprocess.run([sys.executable, "main.py", "server", "--headless", "--db", ":memory:", *args],
                            cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL,
                            env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"main.py server: error: {error}"


def test_a_certificate_without_its_key_is_refused(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("not used\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "main.py", "server", "--headless", "--db", ":memory:",
                             "--cert", str(cert)], cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr.strip() == \
        "error: --cert and --key go together: give both, or neither for a self-signed certificate."


def test_main_client_opens_a_window_that_joins_the_server_and_says_exit_on_sigterm(tmp_path: Path) -> None:
    server = start_headless("--port", "0", "--db", ":memory:")
    client = None
    try:
        port = read_port(server)
        log = LogReader(server)
        client = _launch(tmp_path, "client", "--port", str(port), "--name", "Zed")
        log.wait_for(r"Zed joined \(1 online\)")  # the client window logs nothing: the server does
        client.send_signal(signal.SIGTERM)  # as the close button: exit, then the goodbye
        log.wait_for(r"Zed left: exit \(0 online\)")
    finally:
        if client is not None and client.poll() is None:
            client.kill()
            client.communicate(timeout=TIMEOUT_S)
        stop_process(server)


def test_main_client_exits_after_its_window_closes(tmp_path: Path) -> None:
    server = start_headless("--port", "0", "--db", ":memory:")
    try:
        port = read_port(server)
        log = LogReader(server)
        client = _launch(tmp_path, "client", "--port", str(port), "--name", "Zed")
        log.wait_for(r"Zed joined \(1 online\)")
        client.send_signal(signal.SIGTERM)
        log.wait_for(r"Zed left: exit \(0 online\)")
        try:
            assert client.wait(timeout=EXIT_WAIT_S) == 0
        finally:
            if client.poll() is None:
                client.kill()
                client.communicate(timeout=TIMEOUT_S)
    finally:
        stop_process(server)


def test_the_open_file_limit_is_raised_from_a_low_soft_limit_to_the_hard_one() -> None:
    resource = pytest.importorskip("resource")
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY or hard <= 256:
        pytest.skip("needs a finite hard limit above 256")
    script = ("import resource; from chat_server.core.limits import raise_open_file_limit; "
              "before = resource.getrlimit(resource.RLIMIT_NOFILE)[0]; now = raise_open_file_limit(); "
              "print(before, now, *resource.getrlimit(resource.RLIMIT_NOFILE))")
    # Started as from a shell whose soft limit is low (`ulimit -Sn 256`), as many are.
    result = subprocess.run(["sh", "-c", 'ulimit -Sn 256 && exec "$0" -c "$1"', sys.executable, script], cwd=ROOT,
                            capture_output=True, text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["256", str(hard), str(hard), str(hard)]
