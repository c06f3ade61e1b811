"""The client id: never stored as itself, the database readable by its owner only, no false ACKs under one id."""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.store.sqlite import SqliteStore
from tests.conftest import RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

ALICE_ID = "5f0c9e1d-alice-secret-id"


def _member(make_raw: MakeRaw, server: ChatServer, name: str, client_id: str) -> RawClient:
    raw = make_raw(server)
    raw.send(p.encode(p.Hello(name=name, client_id=client_id)))
    raw.wait_line(lambda line: line.startswith('{"type":"welcome"'))
    return raw


def _replies(raw: RawClient) -> list[dict[str, object]]:
    return [obj for obj in (json.loads(line) for line in raw.lines if line.startswith("{"))
            if obj["type"] in ("ack", "error")]


def _server_with_one_message(make_server: MakeServer, make_raw: MakeRaw, db: Path) -> ChatServer:
    """A server storing in ``db``, to which alice (with ALICE_ID) has said one acknowledged message."""
    server = make_server(db_path=str(db))
    alice = _member(make_raw, server, "alice", ALICE_ID)
    alice.send(p.encode(p.Chat(id="1", text="hello")))
    alice.wait_line(lambda line: line.startswith('{"type":"ack"'))
    return server


def test_the_database_is_created_readable_by_its_owner_only(make_server: MakeServer, make_raw: MakeRaw,
                                                           tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    _server_with_one_message(make_server, make_raw, db)
    for path in (db, db.with_name("chat.sqlite3-wal")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    SqliteStore(db).close()
    db.chmod(0o644)
    SqliteStore(db).close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_the_store_never_holds_the_client_id_itself(make_server: MakeServer, make_raw: MakeRaw,
                                                    tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    server = _server_with_one_message(make_server, make_raw, db)
    server.commit()
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("chat.sqlite3*"))
    assert ALICE_ID.encode() not in stored
    assert hashlib.sha256(ALICE_ID.encode()).hexdigest().encode() in stored


def test_a_second_client_with_the_same_id_cannot_suppress_the_first_ones_messages(
        make_server: MakeServer, make_raw: MakeRaw) -> None:
    """Whoever else presents the id (it leaked, or two clients chose the same one) cannot have a message of
    the real client ACKed and dropped, nor refused: a message id is bound to its text."""
    server = make_server(max_clients=0)
    listener = make_raw(server)
    impostor = _member(make_raw, server, "mallory", ALICE_ID)
    impostor.send(p.encode(p.Chat(id="p-1", text="sent first by someone else")))
    impostor.wait_line(lambda line: line.startswith('{"type":"ack"'))
    alice = _member(make_raw, server, "alice", ALICE_ID)
    alice.send(p.encode(p.Chat(id="p-1", text="what alice wrote")))
    alice.wait_line(lambda line: line.startswith(('{"type":"ack"', '{"type":"error"')))
    [reply] = _replies(alice)
    assert (reply["type"], reply["id"], reply["seq"]) == ("ack", "p-1", 2)
    listener.wait_line("alice: what alice wrote")
    # Resends of either message (same id, same text) are each acknowledged again with their own seq, once.
    alice.send(p.encode(p.Chat(id="p-1", text="what alice wrote")) + p.encode(p.Chat(id="p-2", text="mine"))
               + p.encode(p.Chat(id="p-2", text="mine")))
    alice.wait_line(lambda line: len(_replies(alice)) == 4)
    acks = [(r["type"], r["id"], r["seq"]) for r in _replies(alice)[1:]]
    assert acks == [("ack", "p-1", 2), ("ack", "p-2", 3), ("ack", "p-2", 3)]
    impostor.send(p.encode(p.Chat(id="p-1", text="sent first by someone else")))
    impostor.wait_line(lambda line: len(_replies(impostor)) == 2)
    assert [(r["type"], r["seq"]) for r in _replies(impostor)] == [("ack", 1), ("ack", 1)]
    server.commit()
    assert [m.text for m in server.store.recent(10)] == ["sent first by someone else", "what alice wrote", "mine"]
    assert [line for line in listener.lines if ": " in line and not line.startswith("*")] == [
        "mallory: sent first by someone else", "alice: what alice wrote", "alice: mine"]
