"""The client id: never stored as itself, the database readable by its owner only, no false ACKs under one id."""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path

from chat_server import protocol as p
from chat_server.engine import ChatServer
from chat_server.sqlite_store import SqliteStore
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


def test_the_database_is_created_readable_by_its_owner_only(make_server: MakeServer, make_raw: MakeRaw,
                                                           tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    server = make_server(db_path=str(db))
    alice = _member(make_raw, server, "alice", ALICE_ID)
    alice.send(p.encode(p.Chat(id="1", text="hello")))
    alice.wait_line(lambda line: line.startswith('{"type":"ack"'))
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
    server = make_server(db_path=str(db))
    alice = _member(make_raw, server, "alice", ALICE_ID)
    alice.send(p.encode(p.Chat(id="1", text="hello")))
    alice.wait_line(lambda line: line.startswith('{"type":"ack"'))
    server.commit()
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("chat.sqlite3*"))
    assert ALICE_ID.encode() not in stored
    assert hashlib.sha256(ALICE_ID.encode()).hexdigest().encode() in stored


def test_a_message_id_used_for_another_text_is_refused_not_acknowledged(make_server: MakeServer,
                                                                        make_raw: MakeRaw) -> None:
    """Whoever else presents the id (it leaked) cannot have a message of the real client ACKed and dropped."""
    server = make_server(max_clients=0)
    impostor = _member(make_raw, server, "mallory", ALICE_ID)
    impostor.send(p.encode(p.Chat(id="p-1", text="sent first by someone else")))
    impostor.wait_line(lambda line: line.startswith('{"type":"ack"'))
    alice = _member(make_raw, server, "alice", ALICE_ID)
    alice.send(p.encode(p.Chat(id="p-1", text="what alice wrote")))
    alice.wait_line(lambda line: line.startswith(('{"type":"ack"', '{"type":"error"')))
    [reply] = _replies(alice)
    assert (reply["type"], reply["code"], reply["id"]) == ("error", "not_allowed", "p-1")
    # A true resend (same id, same text) is still acknowledged once, with the stored seq.
    alice.send(p.encode(p.Chat(id="p-2", text="mine")) + p.encode(p.Chat(id="p-2", text="mine")))
    alice.wait_line(lambda line: len(_replies(alice)) == 3)
    acks = [(r["id"], r["seq"]) for r in _replies(alice)[1:]]
    assert acks == [("p-2", 2), ("p-2", 2)]
