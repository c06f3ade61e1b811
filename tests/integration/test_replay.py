"""History replay under load: streamed in pages, never counted against the output cap, fair to the others."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_server.engine import ChatServer
from chat_server.sqlite_store import SqliteStore
from chat_server.store import StoredMessage
from tests.conftest import RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

READ_RATE_BPS = 4_000_000
"""A member on a slow link."""
REPLAY_WAIT_MS = 30_000


def preload(path: Path, count: int, size: int) -> None:
    """A store with ``count`` messages of about ``size`` bytes, seq 1..count, as an earlier run left it."""
    store = SqliteStore(path)
    store.start_run(time.time() - 3600)
    at = time.time() - 3000
    store.commit([StoredMessage(seq, at + seq / 1000, "earlier", f"{seq:06d} " + "x" * (size - 7))
                  for seq in range(1, count + 1)], [])
    store.close()


class PacedJsonMember:
    """A JSON member on a plain socket with a small receive buffer, reading no faster than it is told to."""

    def __init__(self, port: int, rate_bps: float | None = READ_RATE_BPS) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        self.sock.connect(("127.0.0.1", port))
        self.sock.setblocking(False)
        self.rate_bps = rate_bps
        self.started = time.monotonic()
        self.taken = 0
        self.closed = False
        self.lines: list[dict[str, object]] = []
        self._partial = b""

    def send(self, message: dict[str, object]) -> None:
        self.sock.sendall(json.dumps(message).encode() + b"\n")

    def read(self) -> None:
        """Read what the pace allows now (called from waitUntil callbacks)."""
        while not self.closed:
            allowed = 65536
            if self.rate_bps is not None:
                allowed = min(allowed, int((time.monotonic() - self.started) * self.rate_bps) - self.taken)
            if allowed <= 0:
                return
            try:
                chunk = self.sock.recv(allowed)
            except BlockingIOError:
                return
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.closed = True
                return
            self.taken += len(chunk)
            *complete, self._partial = (self._partial + chunk).split(b"\n")
            self.lines.extend(json.loads(line) for line in complete if line.startswith(b"{"))

    def of_type(self, kind: str) -> list[dict[str, object]]:
        return [line for line in self.lines if line["type"] == kind]

    def close(self) -> None:
        self.sock.close()


# The kernel takes several MiB of a loopback socket's output (tcp_wmem) before anything waits in the
# server, so the history here is twice the 5,000 x 1 KB, read at 2.5 times the pace.
@pytest.mark.parametrize("max_output_bytes", [1024 * 1024, 32 * 1024])
def test_a_slow_member_resuming_from_zero_gets_its_whole_history_and_live_messages_without_being_cut(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot, tmp_path: Path, max_output_bytes: int) -> None:
    # Issue 15, defect 5: thousands of 1 KB messages missed, read at 1.6 MB/s, and one live message on the
    # way: the history it asked for must never count against the output cap, however small the cap.
    db = tmp_path / "chat.sqlite3"
    count = 10_000
    preload(db, count, 1024)
    server = make_server(db_path=str(db), max_output_bytes=max_output_bytes)
    member = PacedJsonMember(server.server_port)
    try:
        member.send({"type": "hello", "version": 1, "name": "slow", "client_id": "slow-1", "last_seq": 0})

        def started() -> None:
            member.read()
            assert member.of_type("message"), member.lines

        qtbot.waitUntil(started, timeout=REPLAY_WAIT_MS)
        talker = make_raw(server)
        talker.send("live one\n")
        talker.wait_line("live one ACK")

        def finished() -> None:
            member.read()
            assert member.closed or any(m["seq"] == count + 1 for m in member.of_type("message")), len(member.lines)

        qtbot.waitUntil(finished, timeout=REPLAY_WAIT_MS)
        assert not member.closed, f"cut after {len(member.of_type('message'))} messages: {member.lines[-3:]}"
        messages = member.of_type("message")
        assert [m["seq"] for m in messages] == list(range(1, count + 2))
        assert all(m.get("history") is True for m in messages[:count])
        assert messages[-1]["text"] == "live one" and "history" not in messages[-1]
        assert server.cache.online()[0].name == "slow"
    finally:
        member.close()
