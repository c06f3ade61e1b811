"""A message the store refuses costs that message only; an unexpected error costs one connection, logged."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pytest

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.core.roster import Roster
from chat_server.core.sessions import Session
from chat_server.net.connection import ClientConnection
from chat_server.store import StoredMessage
from chat_server.store.sqlite import SqliteStore
from tests.conftest import RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

POISON = "poison"
NOT_STORED = "Error: Not sent: the server could not store it."


def _refuse_poison(db: Path) -> None:
    """A real store failure for one message: SQLite itself refuses to insert the text 'poison'."""
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON messages WHEN NEW.text = 'poison'"
                     " BEGIN SELECT RAISE(ABORT, 'this message is refused'); END")


def _stored(db: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT seq, sender, text FROM messages ORDER BY seq").fetchall()


def _json_lines(raw: RawClient, kind: str) -> list[dict[str, object]]:
    return [obj for obj in (json.loads(line) for line in raw.lines if line.startswith("{")) if obj["type"] == kind]


def test_a_message_the_store_refuses_costs_only_that_message(make_server: MakeServer, make_raw: MakeRaw,
                                                             tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    server = make_server(db_path=str(db))
    _refuse_poison(db)
    listener = make_raw(server)
    listener.send("here\n")  # announced: it hears the relays live
    listener.wait_line("here ACK")
    sender = make_raw(server)
    sender.send("hello\n")
    sender.wait_line("hello ACK")
    start = len(sender.lines)
    sender.send(f"one\n{POISON}\nthree\n")  # one read, one batch
    sender.wait_line("three ACK", start)
    sender.wait_line(NOT_STORED, start)
    assert sender.lines[start:] == ["one ACK", NOT_STORED, "three ACK"]  # in the order of the input
    listener.wait_line("Client02: three")
    relays = [line for line in listener.lines if line.startswith("Client02: ")]
    assert relays == ["Client02: hello", "Client02: one", "Client02: three"]
    assert _stored(db) == [(1, "Client01", "here"), (2, "Client02", "hello"), (3, "Client02", "one"),
                           (4, "Client02", "three")]
    assert server.cache.get(2) is not None and server.cache.get(2).messages == 3  # type: ignore[union-attr]
    start = len(sender.lines)
    sender.send(f"{POISON}\nfour\n")  # the sequence goes on from what was stored
    sender.wait_line("four ACK", start)
    assert sender.lines[start:] == [NOT_STORED, "four ACK"]
    assert _stored(db)[-1] == (5, "Client02", "four")


def test_a_copy_sent_in_the_same_write_is_not_acknowledged_when_the_first_was_not_stored(
        make_server: MakeServer, make_raw: MakeRaw, tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    server = make_server(db_path=str(db))
    _refuse_poison(db)
    member = make_raw(server)
    member.send(p.encode(p.Hello(name="alice", client_id="id-alice-0123456789")))
    member.wait_line(lambda line: line.startswith('{"type":"joined","name":"alice"'))
    chat = p.encode(p.Chat(id="p-1", text=POISON))
    member.send(chat + chat + p.encode(p.Chat(id="p-2", text="fine")) + p.encode(p.Chat(id="p-2", text="fine")))
    member.wait_line(lambda line: len(_json_lines(member, "ack")) + len(_json_lines(member, "error")) >= 4)
    assert [(a["id"], a["seq"]) for a in _json_lines(member, "ack")] == [("p-2", 1), ("p-2", 1)]
    assert [(e["code"], e["id"]) for e in _json_lines(member, "error")] == [("not_stored", "p-1")] * 2
    assert _stored(db) == [(1, "alice", "fine")]


class _BrokenLookups(SqliteStore):
    """A real store with a bug planted in one lookup: it raises what no handler expects."""

    def find(self, client_id: str, message_id: str) -> StoredMessage | None:
        if message_id == "boom":
            raise RuntimeError("a bug in the store")
        return super().find(client_id, message_id)


@pytest.fixture
def broken_server(make_server: Callable[..., ChatServer], tmp_path: Path) -> ChatServer:
    return make_server(max_clients=0, store=_BrokenLookups(tmp_path / "chat.sqlite3"))


def test_an_unexpected_error_is_logged_and_ends_only_the_connection_it_came_from(
        broken_server: ChatServer, make_raw: MakeRaw, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="chat_server")
    victim = make_raw(broken_server)
    victim.send(p.encode(p.Hello(name="alice", client_id="id-alice-0123456789")))
    victim.wait_line(lambda line: line.startswith('{"type":"joined","name":"alice"'))
    other = make_raw(broken_server)
    other.send("before\n")
    other.wait_line("before ACK")
    victim.send(p.encode(p.Chat(id="fine", text="stored")) + p.encode(p.Chat(id="boom", text="bang"))
                + b"hi\n")
    victim.wait_closed()
    goodbyes = _json_lines(victim, "goodbye")
    assert [g["reason"] for g in goodbyes] == ["error"]
    assert "The server ran into an error with your connection." in str(goodbyes[0]["text"])
    assert [a["id"] for a in _json_lines(victim, "ack")] == ["fine"]  # what came before the bug was stored
    other.wait_line("* alice was disconnected after an error (1 online)")
    other.send("after\n")
    other.wait_line("after ACK")
    assert "alice: stored" in other.lines
    records = [r for r in caplog.records if r.exc_info and "unexpected error while handling Chat" in r.getMessage()]
    assert len(records) == 1
    assert "a bug in the store" in str(records[0].exc_info[1])  # type: ignore[index]


def test_a_bug_before_any_event_is_handled_still_ends_only_that_connection(
        make_server: MakeServer, make_raw: MakeRaw, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The connection hands what it decoded to the dispatcher by a plain call: a bug in the dispatcher's work before
    the first event (here: looking whether the member's framing changed) must end that member cleanly too."""
    server = make_server(max_clients=0)
    caplog.set_level(logging.ERROR, logger="chat_server")
    victim = make_raw(server)
    victim.send(p.encode(p.Hello(name="alice")))
    victim.wait_line(lambda line: line.startswith('{"type":"joined","name":"alice"'))
    other = make_raw(server)
    other.send("before\n")
    other.wait_line("before ACK")
    regroup = Roster.regroup

    def broken_regroup(self: Roster, conn: ClientConnection) -> bool:
        if conn.name == "alice":
            raise RuntimeError("a bug before the events")
        return regroup(self, conn)

    monkeypatch.setattr(Roster, "regroup", broken_regroup)
    victim.send(p.encode(p.Chat(id="lost", text="never handled")))
    victim.wait_closed()
    assert [g["reason"] for g in _json_lines(victim, "goodbye")] == ["error"]
    assert _json_lines(victim, "ack") == []
    other.wait_line("* alice was disconnected after an error (1 online)")
    other.send("after\n")
    other.wait_line("after ACK")
    records = [r for r in caplog.records if r.exc_info and "unexpected error while handling what it sent from"
               in r.getMessage()]
    assert len(records) == 1 and "a bug before the events" in str(records[0].exc_info[1])  # type: ignore[index]


def test_a_number_beyond_what_the_store_can_hold_is_refused_at_decode(make_server: MakeServer,
                                                                     make_raw: MakeRaw) -> None:
    server = make_server()
    member = make_raw(server)
    member.send(b'{"type":"hello","version":1,"name":"alice","last_seq":-1000000000000000000000000000000}\n')
    member.wait_line(lambda line: line.startswith('{"type":"error"'))
    error = _json_lines(member, "error")[0]
    assert (error["code"], error["text"]) == ("bad_message", "hello: field 'last_seq' is out of range")
    member.send(p.encode(p.Hello(name="alice", last_seq=0)))
    member.wait_line(lambda line: line.startswith('{"type":"welcome"'))
    member.send(p.encode(p.Chat(id="1", text="still here")))
    member.wait_line(lambda line: line.startswith('{"type":"ack"'))


class _BuggyCommit(SqliteStore):
    """A real store with a bug planted in its commit: a batch holding the text 'bug' raises what no store should."""

    def commit(self, messages: Sequence[StoredMessage], sessions: Iterable[Session],
               pending: Sequence[tuple[str, int]] = (), counts: Sequence[Session] = ()) -> None:
        if any(m.text == "bug" for m in messages):
            raise RuntimeError("a bug in the store's commit")
        super().commit(messages, sessions, pending, counts)


def test_a_bug_in_the_stores_commit_refuses_that_message_only(make_server: MakeServer, make_raw: MakeRaw,
                                                              tmp_path: Path, caplog: pytest.LogCaptureFixture
                                                              ) -> None:
    # Not a StoreError: a bug. It must not cost the batch (nor leave its senders waiting for ACKs that never come):
    # the commit falls back to storing one by one, as for a failure of the store, and logs it.
    caplog.set_level(logging.ERROR, logger="chat_server")
    server = make_server(store=_BuggyCommit(tmp_path / "chat.sqlite3"))
    sender = make_raw(server)
    sender.send("hello\n")
    sender.wait_line("hello ACK")
    start = len(sender.lines)
    sender.send("one\nbug\nthree\n")  # one read, one batch
    sender.wait_line("three ACK", start)
    sender.wait_line(NOT_STORED, start)
    assert sender.lines[start:] == ["one ACK", NOT_STORED, "three ACK"]
    assert [m.text for m in server.store.recent(5)] == ["hello", "one", "three"]
    sender.send("after\n")
    sender.wait_line("after ACK")
    assert any("a bug in the store's commit" in r.getMessage() or (r.exc_info and "a bug in the store's commit"
               in str(r.exc_info[1])) for r in caplog.records), "logged"
