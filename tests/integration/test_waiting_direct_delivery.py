"""When a direct message that waited for its recipient counts as delivered: once its bytes have left the server's
write buffer for the recipient's socket. A recipient that drops before that gets it again on its next join.

Real sockets on loopback: a backlog of waiting messages far larger than the kernel's buffers, and a recipient
that reads none of it and resets its connection mid-write.
"""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_rooms_json import Member, join

MakeRaw = Callable[[ChatServer], RawClient]
COUNT = 200
TEXT_CHARS = 60_000
"""200 messages of 60,000 characters: 12 MB, three times what the kernel buffers for a socket at most here."""
SMALL_RECEIVE_BUFFER = 4096


def waiting_texts() -> list[str]:
    return [f"{n:04d} " + "x" * (TEXT_CHARS - 5) for n in range(COUNT)]


def leave_messages_for_bob(server: ChatServer, make_raw: MakeRaw) -> Member:
    bob = join(make_raw, server, "bob")
    bob.send(type="exit")
    bob.raw.wait_closed()
    alice = join(make_raw, server, "alice")
    for n, text in enumerate(waiting_texts()):
        alice.send(type="chat", id=str(n), text=text, to="bob")
    last = alice.expect(type="ack", id=str(COUNT - 1))
    assert last["delivered_later"] is True
    assert sum(1 for o in alice.objects() if o["type"] == "ack" and o.get("delivered_later")) == COUNT
    return alice


def received_directs(member: Member) -> list[str]:
    """The direct messages to bob it was sent live (not as history), in order."""
    return [o["text"] for o in member.objects() if o["type"] == "message" and o.get("to") == "bob"
            and not o.get("history")]


def test_a_recipient_that_drops_mid_write_gets_the_waiting_messages_on_its_next_join(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(history_limit=0, rate_per_s=0, max_output_bytes=0)
    leave_messages_for_bob(server, make_raw)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_RECEIVE_BUFFER)  # it reads nothing anyway
    sock.connect(("127.0.0.1", server.server_port))
    hello = {"type": "hello", "version": 2, "name": "bob", "client_id": "id-of-bob", "last_seq": None}
    sock.sendall(json.dumps(hello).encode() + b"\n")

    def writing_to_bob() -> None:  # what the kernel does not take waits in the server's write buffer
        assert any(c.name == "bob" and c.transport.write_buffer_size > 0 for c in server._connections.values())

    qtbot.waitUntil(writing_to_bob, timeout=WAIT_MS)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # a reset, with megabytes still unwritten
    qtbot.waitUntil(lambda: not any(c.name == "bob" for c in server._connections.values()), timeout=WAIT_MS)

    back = join(make_raw, server, "bob")
    assert received_directs(back) == waiting_texts()
    back.send(type="exit")
    back.raw.wait_closed()
    again = join(make_raw, server, "bob")  # delivered now: it waits no more
    again.send(type="chat", id="x", text="thanks", to="alice")
    again.expect(type="ack", id="x")
    assert received_directs(again) == []


def test_a_recipient_that_reads_gets_the_waiting_messages_once(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw) -> None:
    server = make_server(history_limit=0, rate_per_s=0, max_output_bytes=0)
    leave_messages_for_bob(server, make_raw)
    bob = join(make_raw, server, "bob")
    assert received_directs(bob) == waiting_texts()
    bob.send(type="exit")  # at once: what it read counts as delivered
    bob.raw.wait_closed()
    again = join(make_raw, server, "bob")
    again.send(type="chat", id="x", text="thanks", to="alice")
    again.expect(type="ack", id="x")
    assert received_directs(again) == []
