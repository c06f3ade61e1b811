"""The simplest course-style socket client: it sends what was typed without a newline and reads exactly once.

Such a client prints whatever one ``recv(1024)`` returns after each send, so it stays in step only if
every line it sends gets exactly one reply write and nothing else arrives unasked.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.store import StoredMessage
from chat_server.store.sqlite import SqliteStore
from tests.conftest import WAIT_MS, RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

BIG = "x" * 10_000


class LockstepClient(threading.Thread):
    """Connects, reads once, then for each input sends it (no newline) and reads once; records every read."""

    def __init__(self, port: int, inputs: list[str]) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.inputs = inputs
        self.replies: list[bytes] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=WAIT_MS / 1000) as sock:
                self.replies.append(sock.recv(1024))
                for text in self.inputs:
                    sock.sendall(text.encode("utf-8"))
                    self.replies.append(sock.recv(1024))
                self.replies.append(sock.recv(1024))  # after an exit: the end of the stream
        except BaseException as exc:  # reported by the test, in the main thread
            self.error = exc


def _server_with_history(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> ChatServer:
    """A server whose store holds three messages, one of them 10,000 characters long; nobody online."""
    server = make_server()
    writer = make_raw(server)
    writer.send(f"first\n{BIG}\nlast\n")
    writer.wait_line("last ACK")
    writer.send("exit\n")
    writer.wait_closed()
    qtbot.waitUntil(lambda: server.online_count == 0, timeout=WAIT_MS)
    return server


def _play(qtbot: QtBot, server: ChatServer, inputs: list[str]) -> list[bytes]:
    client = LockstepClient(server.server_port, inputs)
    client.start()
    qtbot.waitUntil(lambda: not client.is_alive(), timeout=4 * WAIT_MS)
    assert client.error is None, f"the lockstep client failed: {client.error!r} after {client.replies!r}"
    return client.replies


def test_a_lockstep_client_gets_exactly_one_reply_per_line_it_sends(make_server: MakeServer, make_raw: MakeRaw,
                                                                    qtbot: QtBot) -> None:
    server = _server_with_history(make_server, make_raw, qtbot)
    replies = _play(qtbot, server, ["a", "b", "status", "exit"])
    session = server.cache.get(2)
    assert session is not None and session.state == "exit" and session.disconnected_at is not None
    greeting, a, b, status, goodbye, end = replies
    assert greeting == (b"Welcome Client02! Type a message, 'status' or 'exit'. "
                        b"3 earlier messages: type 'history' to read them.\n")
    assert a == b"a ACK\n"
    assert b == b"b ACK\n"
    lines = status.decode("utf-8").split("\n")
    assert lines[0] == f"Status: 1/3 online, 2 session(s) since {p.clock(server.cache.started_at)}"
    assert lines[1].split() == ["Name", "Address", "Connected", "at", "Disconnected", "at", "State", "Msgs"]
    assert lines[2].startswith("Client01 ") and lines[2].split()[-2:] == ["exit", "3"]
    assert lines[3].startswith("Client02 ") and lines[3].split()[-2:] == ["online", "2"]
    assert lines[4:] == [""]  # the whole table in the one read, and nothing after it
    assert goodbye == f"Goodbye Client02! Disconnected at {p.clock(session.disconnected_at)}.\n".encode()
    assert end == b""


def test_history_is_sent_on_request_in_one_write(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = _server_with_history(make_server, make_raw, qtbot)
    # (After the long reply the client is out of step for good: what it reads next is the rest of it.)
    replies = _play(qtbot, server, ["history 1", "HISTORY  2"])
    stored = server.store.recent(3)
    stamps = [f"[history {p.clock(m.time)}] Client01: " for m in stored]
    assert replies[1] == f"{stamps[2]}last\n".encode()
    # Two lines, the first 10,000 characters long: more than one read of 1024 bytes takes.
    assert replies[2] == f"{stamps[1]}{BIG}\n{stamps[2]}last\n".encode()[:1024]


def test_history_asks_for_at_most_the_servers_history_limit(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server(history_limit=2)
    writer = make_raw(server)
    writer.send("one\ntwo\nthree\n")
    writer.wait_line("three ACK")
    start = len(writer.lines)
    writer.send("history 50\nstatus\n")
    writer.wait_line(lambda line: line.startswith("Status:"), start)
    assert [line.split("] ", 1)[1] for line in writer.lines[start:start + 2]] == ["Client01: two", "Client01: three"]
    assert writer.lines[start + 2].startswith("Status:")


def test_history_on_an_empty_server_says_so(server: ChatServer, make_raw: MakeRaw) -> None:
    raw = make_raw(server)
    raw.send("history\n")
    raw.wait_line("No earlier messages.")
    assert raw.lines == ["Welcome Client01! Type a message, 'status' or 'exit'.", "No earlier messages."]


def test_json_members_still_get_the_history_and_their_own_join(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server()
    writer = make_raw(server)
    writer.send("one\n")
    writer.wait_line("one ACK")
    member = make_raw(server)
    member.send(p.encode(p.Hello(name="jay")))
    member.wait_line(lambda line: line.startswith('{"type":"joined","name":"jay"'))
    kinds = [line.split('"type":"', 1)[1].split('"', 1)[0] for line in member.lines[1:]]
    assert kinds == ["welcome", "message", "joined"]
    assert '"history":true' in member.lines[2] and '"text":"one"' in member.lines[2]


def test_the_greeting_counts_only_the_messages_kept_after_pruning(make_server: MakeServer, make_raw: MakeRaw,
                                                                 tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    store = SqliteStore(db)
    old = time.time() - 10 * 24 * 3600
    store.start_run(old)
    store.commit([StoredMessage(seq, old, "a", f"old {seq}") for seq in (1, 2, 3)], [])
    store.close()
    server = make_server(db_path=str(db), retention_days=7)  # deletes all but the newest (it keeps the sequence)
    raw = make_raw(server)
    raw.wait_line("Welcome Client01! Type a message, 'status' or 'exit'. 1 earlier message: type 'history' to read it.")
