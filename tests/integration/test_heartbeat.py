"""After a SIGKILL, the killed run's sessions are closed when it was last seen alive, not when the next run starts."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from chat_server.store.sqlite import SqliteStore
from tests.integration.test_headless import LineSocket, read_port, start_headless, stop_process

HEARTBEAT_S = "0.2"


def _wait_for_heartbeat(process_stderr: object) -> None:
    """Read the server's log until it notes a heartbeat (event-driven: the line arrives when it is written)."""
    assert hasattr(process_stderr, "readline")
    while True:
        line = process_stderr.readline()
        assert line, "the server ended without a heartbeat"
        if "alive at" in line:
            return


def test_a_killed_runs_sessions_end_at_its_last_heartbeat(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    process = start_headless("--port", "0", "--db", str(db), "--heartbeat", HEARTBEAT_S, "--log-level", "debug")
    try:
        port = read_port(process)
        member = LineSocket(port)
        assert member.line().startswith("Welcome Client01!")
        member.send("hello\n")
        assert member.line_matching(r".* ACK") == "hello ACK"
        _wait_for_heartbeat(process.stderr)
        _wait_for_heartbeat(process.stderr)  # one written after the member was in
        process.kill()
        process.wait()
        member.close()
    finally:
        stop_process(process)
    with sqlite3.connect(db) as check:
        [(alive_at,)] = check.execute("SELECT alive_at FROM runs").fetchall()
        [(connected_at,)] = check.execute("SELECT connected_at FROM sessions").fetchall()
    assert alive_at > connected_at

    next_start = time.time()
    store = SqliteStore(db)
    store.start_run(next_start)
    [killed] = store.past_sessions()
    store.close()
    assert (killed.state, killed.disconnected_at) == ("server stopped", alive_at)
    assert killed.disconnected_at is not None and killed.disconnected_at < next_start
