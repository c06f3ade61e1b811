"""Nothing grows without bound: refusals counted per address and minute, a bounded cache, paged status, retention."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from chat_server.core.sessions import Session
from chat_server.protocol import EndReason
from chat_server.store import StoredMessage
from chat_server.store.sqlite import SqliteStore
from tests.conftest import WAIT_MS, RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]
DAY = 86400.0


def _status(qtbot: QtBot, raw: RawClient, page: int = 1) -> dict[str, object]:
    start = len(raw.lines)
    raw.send(json.dumps({"type": "status", "page": page}) + "\n")
    line = raw.wait_line(lambda line: line.startswith('{"type":"status_report"'), start)
    report: dict[str, object] = json.loads(line)
    return report


def _connect_and_close(qtbot: QtBot, server: ChatServer, count: int) -> None:
    """``count`` connections opened and closed at once, in batches the listen backlog holds (the server runs
    in this thread, so it accepts only while the test waits)."""
    done = 0
    while done < count:
        batch = min(50, count - done)
        for _ in range(batch):
            socket.create_connection(("127.0.0.1", server.server_port)).close()
        done += batch
        qtbot.waitUntil(lambda done=done: server.cache.total == done and not server.cache.online(),  # type: ignore[misc]
                        timeout=WAIT_MS)


def _json_member(raw: RawClient, name: str) -> None:
    raw.send(json.dumps({"type": "hello", "version": 1, "name": name, "client_id": None, "last_seq": None}) + "\n")
    raw.wait_line(lambda line: line.startswith('{"type":"welcome"'))


def test_refused_connections_from_one_address_are_counted_in_one_row(make_server: MakeServer, make_raw: MakeRaw,
                                                                      qtbot: QtBot) -> None:
    # Issue 15, defect 10: each refused connection added a row to the cache, the store and every status.
    server = make_server(max_clients=1)
    member = make_raw(server)
    _json_member(member, "alice")
    for _ in range(30):
        refused = RawClient(qtbot, server.server_port)
        refused.wait_line("[refused: full] Server is full (1/1 online). Try again later.")
        refused.wait_closed()
        refused.close()
    report = _status(qtbot, member)
    sessions = report["sessions"]
    assert isinstance(sessions, list)
    refusals = [s for s in sessions if s["state"] == "refused: full"]
    assert 1 <= len(refusals) <= 2  # one row a minute: the 30 may straddle a minute's end
    assert sum(s["attempts"] for s in refusals) == 30
    assert all(s["host"] == "127.0.0.1" for s in refusals)
    assert report["total"] == 1 + len(refusals)


def test_the_cache_keeps_the_newest_ended_sessions_and_status_pages_through_all(make_server: MakeServer,
                                                                                 make_raw: MakeRaw,
                                                                                 qtbot: QtBot) -> None:
    # 2,000 connect/close cycles: the cache keeps 100 ended sessions and counts the rest; `status` sends a
    # page of 100 at a time, newest first, and pages back through every one of them.
    server = make_server(max_clients=0, cache_ended_sessions=100, join_grace_ms=0)
    cycles = 2000
    _connect_and_close(qtbot, server, cycles)
    assert len(server.cache) == 100 and server.cache.folded == cycles - 100
    assert server.cache.folded_states["dropped"] == cycles - 100
    checker = make_raw(server)
    _json_member(checker, "checker")
    newest = _status(qtbot, checker)
    assert (newest["total"], newest["page"], newest["pages"]) == (cycles + 1, 1, 21)
    assert len(checker.lines[-1].encode()) < 64 * 1024, "one page, not the whole history of the run"
    sessions = newest["sessions"]
    assert isinstance(sessions, list) and len(sessions) == 100
    assert sessions[-1]["name"] == "checker" and sessions[-1]["state"] == "online"
    oldest = _status(qtbot, checker, page=21)
    oldest_sessions = oldest["sessions"]
    assert isinstance(oldest_sessions, list) and len(oldest_sessions) == 1
    assert oldest_sessions[0]["name"] == "Client01" and oldest_sessions[0]["state"] == "dropped"


def test_text_status_is_paged_with_a_hint_for_the_next_page(make_server: MakeServer, make_raw: MakeRaw,
                                                            qtbot: QtBot) -> None:
    server = make_server(max_clients=0, join_grace_ms=0)
    _connect_and_close(qtbot, server, 150)
    netcat = make_raw(server)
    netcat.send("status\n")
    title = netcat.wait_line(lambda line: line.startswith("Status: "))
    assert title.endswith("151 session(s) since " + title.split(" since ")[1].split(";")[0]
                          + "; page 1 of 2, newest first ('status 2' for older ones)")
    start = len(netcat.lines)
    netcat.send("status 2\n")
    title = netcat.wait_line(lambda line: line.startswith("Status: "), start)
    assert title.endswith("; page 2 of 2, newest first")
    netcat.wait_line(lambda line: line.startswith("Client01 "), start)


def test_retention_deletes_old_sessions_and_messages_and_keeps_the_sequence(make_server: MakeServer,
                                                                             make_raw: MakeRaw,
                                                                             tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    store = SqliteStore(db)
    now = time.time()
    store.start_run(now - 30 * DAY)
    old, recent = now - 10 * DAY, now - 1 * DAY
    store.commit([StoredMessage(1, old, "a", "old one"), StoredMessage(2, recent, "a", "recent one"),
                  StoredMessage(3, old, "a", "old but the newest")],
                 [Session(id=1, host="192.0.2.1", port=1, connected_at=old, name="gone",
                          disconnected_at=old + 1, end=EndReason.EXIT),
                  Session(id=2, host="192.0.2.1", port=2, connected_at=recent, name="kept",
                          disconnected_at=recent + 1, end=EndReason.EXIT)])
    store.close()
    server = make_server(db_path=str(db), retention_days=7)
    newcomer = make_raw(server)
    assert newcomer.wait_line(lambda line: line.startswith("Welcome ")).endswith(
        "2 earlier messages: type 'history' to read them.")
    with sqlite3.connect(db) as reader:
        assert [row[0] for row in reader.execute("SELECT seq FROM messages ORDER BY seq")] == [2, 3]
        assert [row[0] for row in reader.execute("SELECT name FROM sessions WHERE run = 1")] == ["kept"]
    assert server.store.last_seq() == 3


def test_no_retention_keeps_everything(make_server: MakeServer, tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    store = SqliteStore(db)
    store.start_run(time.time() - 400 * DAY)
    store.commit([StoredMessage(1, time.time() - 400 * DAY, "a", "ancient"), StoredMessage(2, time.time(), "a", "x")],
                 [])
    store.close()
    make_server(db_path=str(db))
    with sqlite3.connect(db) as reader:
        assert reader.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 2


def test_hellos_refused_for_a_taken_name_are_counted_in_one_row_here_and_in_the_store(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot, tmp_path: Path) -> None:
    # A refused name is not slowed down like a wrong password: each one added a row without bound.
    db = tmp_path / "chat.sqlite3"
    server = make_server(db_path=str(db), max_clients=0)
    alice = make_raw(server)
    _json_member(alice, "alice")
    for _ in range(20):
        taker = RawClient(qtbot, server.server_port)
        taker.send(json.dumps({"type": "hello", "version": 1, "name": "alice", "client_id": None,
                               "last_seq": None}) + "\n")
        taker.wait_line(lambda line: '"code":"name_taken"' in line)
        taker.wait_closed()
        taker.close()
    report = _status(qtbot, alice)
    sessions = report["sessions"]
    assert isinstance(sessions, list)
    refusals = [s for s in sessions if s["state"] == "refused: name"]
    assert 1 <= len(refusals) <= 2 and sum(s["attempts"] for s in refusals) == 20
    assert report["total"] == 1 + len(refusals) and server.cache.total == 1 + len(refusals)
    with sqlite3.connect(db) as reader:
        rows = reader.execute("SELECT attempts FROM sessions WHERE state = 'refused: name'").fetchall()
    assert sum(attempts for (attempts,) in rows) == 20 and len(rows) == len(refusals)
