"""The headless server as a subprocess under connection storms, and its shutdown.

Plain sockets on loopback, bounded in count; every loop has a deadline.
"""

from __future__ import annotations

import json
import re
import selectors
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chat_server import protocol as p
from chat_server.core.limits import raise_open_file_limit
from tests.integration.test_headless import TIMEOUT_S, LineSocket, read_port, start_headless, stop_process

STORM = 1000
HELD = 5000
# A server busy announcing thousands of joins leaves its backlog full for a while; on a loaded machine that
# can outlast TIMEOUT_S, so the held members' connects wait for the kernel's SYN retries (1, 3, 7, 15, 31 s).
HELD_CONNECT_TIMEOUT_S = 60.0


def _server(*args: str, measured: bool = True) -> tuple[subprocess.Popen[str], int]:
    # Warnings only: a storm logged at info level would fill the stderr pipe nobody reads meanwhile.
    process = start_headless("--port", "0", "--max-clients", "0", "--log-level", "warning", *args, measured=measured)
    return process, read_port(process)


@pytest.fixture
def storm_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    process, port = _server("--db", str(tmp_path / "chat.sqlite3"))
    try:
        yield process, port
    finally:
        stop_process(process)


def _json_member(port: int, name: str) -> tuple[LineSocket, dict[str, object]]:
    member = LineSocket(port)
    member.send(p.encode(p.Hello(name=name)).decode())
    welcome = json.loads(member.line_matching(r'\{"type":"welcome".*'))
    return member, welcome


def _status(member: LineSocket, page: int = 1) -> dict[str, object]:
    member.send(p.encode(p.StatusRequest(page=page)).decode())
    return json.loads(member.line_matching(r'\{"type":"status_report".*'))


def _all_sessions(member: LineSocket) -> list[dict[str, Any]]:
    """Every session of this run, oldest first, page by page (page 1 is the newest)."""
    first = _status(member)
    pages = first["pages"]
    assert isinstance(pages, int)
    sessions: list[dict[str, Any]] = []
    for page in range(pages, 0, -1):
        report = first if page == 1 else _status(member, page)
        assert isinstance(report["sessions"], list)
        sessions.extend(report["sessions"])
    assert len(sessions) == first["total"]
    return sessions


def _say(member: LineSocket, text: str, message_id: str) -> dict[str, object]:
    member.send(p.encode(p.Chat(id=message_id, text=text)).decode())
    return json.loads(member.line_matching(rf'\{{"type":"ack","id":"{message_id}".*'))


def test_a_storm_of_short_connections_leaves_the_server_responsive_and_its_cache_right(
        storm_server: tuple[subprocess.Popen[str], int]) -> None:
    process, port = storm_server
    for _ in range(STORM):  # open and close, as fast as the kernel lets us
        socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S).close()
    checker, _ = _json_member(port, "Checker")
    deadline = time.monotonic() + 30
    while True:  # the server takes the last closes in its own time; they are the newest, on page 1
        report = _status(checker)
        newest = report["sessions"]
        assert isinstance(newest, list)
        if all(s["state"] == "dropped" for s in newest[:-1]) or time.monotonic() > deadline:
            break
    sessions = _all_sessions(checker)
    states = [s["state"] for s in sessions]
    assert len(sessions) == STORM + 1 and report["total"] == STORM + 1 and report["online"] == 1
    assert states.count("dropped") == STORM and states[-1] == "online"
    for session in sessions[:-1]:
        assert session["disconnected_at"] >= session["connected_at"] and session["messages"] == 0
    assert [s["name"] for s in sessions[:3]] == ["Client01", "Client02", "Client03"]
    ack = _say(checker, "still answering", "1")
    assert ack["seq"] == 1
    assert process.poll() is None


@pytest.mark.timeout(300)  # its own deadlines: 240 s for the announcements, after the 5,000 connects
def test_five_thousand_members_held_at_once(tmp_path: Path) -> None:
    if raise_open_file_limit() < HELD + 200:
        pytest.skip(f"this machine lets a process open fewer than {HELD + 200} files (ulimit -Hn)")
    # Not measured by coverage: traced, the server accepts too slowly for 5,000 connections in a row (the
    # kernel's backlog fills and connects time out), and every path it runs is measured by smaller tests.
    process, port = _server("--db", ":memory:", "--history", "0", measured=False)
    held: list[socket.socket] = []
    selector = selectors.DefaultSelector()

    def drain(timeout: float) -> None:
        # What the held members are sent (everybody's join line) is read and dropped.
        for key, _ in selector.select(timeout):
            try:
                if not key.fileobj.recv(1 << 16):  # type: ignore[union-attr]
                    raise AssertionError("the server closed a held connection")
            except BlockingIOError:
                pass

    try:
        for i in range(HELD):
            sock = socket.create_connection(("127.0.0.1", port), timeout=HELD_CONNECT_TIMEOUT_S)
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ)
            held.append(sock)
            if i % 50 == 0:
                drain(0)
        checker = LineSocket(port)
        checker.send(p.encode(p.Hello(name="Checker")).decode())
        checker.sock.settimeout(0.05)
        online = 0
        deadline = time.monotonic() + 240
        while online < HELD + 1:  # every held member is announced, each with the count after it
            assert time.monotonic() < deadline, f"only {online} of {HELD + 1} members announced"
            drain(0)
            try:
                line = checker.line()
            except TimeoutError:
                continue
            if line.startswith(('{"type":"joined"', '{"type":"welcome"')):
                online = json.loads(line)["online"]
        checker.sock.settimeout(TIMEOUT_S)
        # Responsive: a message is acknowledged, and the cache lists everyone as online.
        assert _say(checker, "5,000 of you", "1")["seq"] == 1
        report = _status(checker)  # the newest page of them
        sessions = report["sessions"]
        assert isinstance(sessions, list)
        assert report["online"] == HELD + 1 and report["total"] == HELD + 1 and len(sessions) == 100
        assert all(session["state"] == "online" for session in sessions)
        assert process.poll() is None
    finally:
        for sock in held:
            sock.close()
        stop_process(process)


def test_sigterm_says_goodbye_to_everyone_stores_everything_and_exits_within_2_s(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    process, port = _server("--db", str(db))
    try:
        text_member = LineSocket(port)
        text_member.send("status\n")  # its first line announces it
        text_member.line_matching(r"Status: 1 online, .*")
        json_member, _ = _json_member(port, "Jay")
        # A member that reads nothing: a few hundred KiB wait for it in the kernel's buffers, ahead of its
        # goodbye. (The kernel takes them all, so the server itself holds nothing back for it; the aborts
        # of a member the server cannot write to are tested in-process in test_shutdown.py.)
        sleeper = socket.socket()
        sleeper.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sleeper.connect(("127.0.0.1", port))
        sleeper.sendall(p.encode(p.Hello(name="Sleeper")))
        json_member.line_matching(r'\{"type":"joined","name":"Sleeper".*')
        big = "z" * 60_000
        for i in range(6):  # a few hundred KiB: more than its receive buffer, less than the 1 MiB cap
            _say(json_member, f"{i} {big}", str(i))
            text_member.line_matching(f"Jay: {i} z+")
        text_member.send("last words\n")
        text_member.line_matching("last words ACK")

        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=TIMEOUT_S) == 0
        elapsed = time.monotonic() - started
        goodbye = json.loads(json_member.line_matching(r'\{"type":"goodbye".*'))
        assert goodbye["reason"] == "server stopped" and goodbye["text"].startswith("Server is shutting down.")
        assert re.fullmatch(r"Server is shutting down\. Goodbye Client01! Disconnected at [0-9: -]+\.",
                            text_member.line_matching(r"Server is shutting down\..*"))
        assert json_member.at_eof() and text_member.at_eof()
        assert elapsed < 2.0, f"the server took {elapsed:.2f} s to stop"
        sleeper.close()
    finally:
        stop_process(process)
    with sqlite3.connect(db) as store:
        ended = store.execute("SELECT name, state, disconnected_at IS NOT NULL FROM sessions ORDER BY id").fetchall()
        texts = [row[0] for row in store.execute("SELECT text FROM messages ORDER BY seq")]
    assert ended == [("Client01", "server stopped", 1), ("Jay", "server stopped", 1),
                     ("Sleeper", "server stopped", 1)]
    assert len(texts) == 7 and texts[-1] == "last words"
