"""main.py's window commands as real subprocesses (offscreen), with their own data and settings folders."""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF

from tests.integration.test_headless import ROOT

TIMEOUT_S = 30.0  # a window process starts slower than the headless one, more so on a busy machine


def _launch(tmp_path: Path, *args: str, platform: str = "offscreen") -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": platform, "PYTHONUNBUFFERED": "1",
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    return subprocess.Popen([sys.executable, "main.py", *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_for_log(process: subprocess.Popen[str], pattern: str) -> list[str]:
    """Read the process's log until a line matches ``pattern``; the lines read so far.

    Read with os.read, not readline: lines that arrive together would otherwise wait in the file
    object's buffer, where the selector does not see them.
    """
    assert process.stderr is not None
    fd = process.stderr.fileno()
    lines: list[str] = []
    pending = b""
    deadline = time.monotonic() + TIMEOUT_S
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(max(0.0, deadline - time.monotonic())):
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                *complete, pending = (pending + chunk).split(b"\n")
                for raw in complete:
                    line = raw.decode("utf-8", errors="replace") + "\n"
                    lines.append(line)
                    if re.search(pattern, line):
                        return lines
    raise AssertionError(f"no log line like {pattern!r} in {lines!r}")


def _terminate(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=TIMEOUT_S)
    finally:
        if process.poll() is None:
            process.kill()
    return err


def test_demo_opens_the_server_window_and_connected_client_windows(tmp_path: Path) -> None:
    process = _launch(tmp_path, "demo", "--clients", "2", "--port", "0", "--db", ":memory:")
    lines = _wait_for_log(process, r"Client02 joined \(2 online\)")
    assert any(re.search(r"listening on 127\.0\.0\.1:\d+", line) for line in lines)
    err = _terminate(process)
    assert process.returncode == 0, err
    assert "Client01 left: server stopped" in err and "Client02 left: server stopped" in err


def test_no_arguments_gives_a_working_chat_even_if_the_default_port_is_taken(tmp_path: Path) -> None:
    # Whether this server gets 12345 or something else already has it, the port is taken.
    first = _launch(tmp_path, "server", "--port", "12345", "--db", ":memory:")
    try:
        _wait_for_log(first, r"listening on|Cannot listen")
        second = _launch(tmp_path)  # the server window and one client window
        lines = _wait_for_log(second, r"Client01 joined \(1 online\)")
        ports = [int(m.group(1)) for line in lines if (m := re.search(r"listening on 127\.0\.0\.1:(\d+)", line))]
        assert ports and ports[-1] != 12345
        assert any("Cannot listen on 127.0.0.1:12345" in line for line in lines)
        assert list((tmp_path / "data").rglob("chat.sqlite3"))  # history went to the isolated data folder
        _terminate(second)
        assert second.returncode == 0
    finally:
        _terminate(first)
    assert first.returncode == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_bare_command_takes_the_server_options(tmp_path: Path) -> None:
    port = _free_port()
    process = _launch(tmp_path, "--port", str(port), "--db", ":memory:", "--max-clients", "1")
    lines = _wait_for_log(process, r"Client01 joined \(1 online\)")
    assert any(f"listening on 127.0.0.1:{port}" in line for line in lines), lines
    err = _terminate(process)
    assert process.returncode == 0, err
    assert not list((tmp_path / "data").rglob("chat.sqlite3"))  # --db :memory: was used


def test_the_bare_command_keeps_a_port_asked_for_even_if_it_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        process = _launch(tmp_path, "--port", str(port), "--db", ":memory:")
        lines = _wait_for_log(process, rf"Cannot listen on 127\.0\.0\.1:{port}")
        err = _terminate(process)
    assert not any("listening on" in line for line in lines + err.splitlines())


@pytest.mark.parametrize(("args", "error"), [
    (("--port", "70000"), "main.py: error: argument --port: a port is 0-65535 (0 picks a free one), not 70000"),
    (("--port", "23410", "server"), "main.py: error: options go after the command: main.py server [options]"),
    (("--headless",), "main.py: error: unrecognized arguments: --headless"),
])
def test_the_bare_command_refuses_what_it_cannot_use(args: tuple[str, ...], error: str) -> None:
    result = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=TIMEOUT_S, stdin=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == error


PLACED = re.compile(r"(\w+Window) opens at (-?\d+),(-?\d+) (\d+)x(\d+) "
                    r"in the screen's available (\d+),(\d+) (\d+)x(\d+)")


def _screen(tmp_path: Path, width: int, height: int) -> str:
    """A QT_QPA_PLATFORM value: the offscreen platform with one screen of this size."""
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{"name": "test", "x": 0, "y": 0, "width": width, "height": height,
                                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}),
                      encoding="utf-8")
    return f"offscreen:configfile={config}"


@pytest.mark.parametrize(("width", "height"), [(1600, 1000), (1024, 768)])
def test_the_demo_tiles_its_windows_within_the_screen(tmp_path: Path, width: int, height: int) -> None:
    process = _launch(tmp_path, "demo", "--clients", "3", "--port", "0", "--db", ":memory:", "--log-level", "debug",
                      platform=_screen(tmp_path, width, height))
    lines = _wait_for_log(process, r"Client03 joined \(3 online\)")
    _terminate(process)
    placed = [match.groups() for line in lines if (match := PLACED.search(line))]
    # The server window is placed as it opens, then once more with the clients in the grid: its last place counts.
    placements: dict[str, list[QRectF]] = {}
    for kind, *numbers in placed:
        placements.setdefault(kind, []).append(QRectF(*map(float, numbers[:4])))
        area = QRectF(*map(float, numbers[4:]))
        assert area == QRectF(0, 0, width, height)
    assert len(placements["ClientWindow"]) == 3 and len(placements["ServerWindow"]) == 2
    frames = [placements["ServerWindow"][-1], *placements["ClientWindow"]]
    assert all(area.contains(frame) for frame in frames), frames
    if width == 1600:  # room for four windows at their least sizes: side by side in a 2 x 2 grid
        assert not any(a.intersects(b) for i, a in enumerate(frames) for b in frames[i + 1:]), frames
        assert [(frame.x(), frame.y()) for frame in frames] == [(0, 0), (804, 0), (0, 504), (804, 504)]
