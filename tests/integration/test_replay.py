"""History replay under load: streamed in pages, never counted against the output cap, fair to the others."""

from __future__ import annotations

import json
import re
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from chat_server.core.sessions import Session
from chat_server.net.connection import HELD_MAX
from chat_server.protocol import EndReason
from chat_server.store import StoredMessage
from chat_server.store.sqlite import SqliteStore
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_headless import TIMEOUT_S, LineSocket, read_port, start_headless, stop_process

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
        assert not member.closed, f"cut after {len(member.of_type('message'))} messages"
        messages = member.of_type("message")
        assert [m["seq"] for m in messages] == list(range(1, count + 2))
        assert all(m.get("history") is True for m in messages[:count])
        assert messages[-1]["text"] == "live one" and "history" not in messages[-1]
        assert server.cache.online()[0].name == "slow"
    finally:
        member.close()


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


REPLAYERS = 10
STORED = 20_000
RSS_GROWTH_MAX = 48 * 1024 * 1024


_UNREAD: dict[int, list[bytes]] = {}  # per socket: complete lines received after the one a call stopped at, and a tail


def _blocking_lines(sock: socket.socket, until: Callable[[dict[str, object]], bool]) -> list[dict[str, object]]:
    """Read JSON lines (skipping the plain greeting) until one satisfies ``until``; all of them. What arrived in
    the same chunk after that line is kept for the next call on ``sock`` (the welcome and the first messages of
    a replay often share a chunk)."""
    sock.setblocking(True)
    sock.settimeout(TIMEOUT_S)
    lines: list[dict[str, object]] = []
    *pending, buffer = _UNREAD.pop(sock.fileno(), [b""])
    while True:
        for index, raw in enumerate(pending):
            if raw.startswith(b"{"):
                lines.append(json.loads(raw))
                if until(lines[-1]):
                    _UNREAD[sock.fileno()] = [*pending[index + 1:], buffer]
                    return lines
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise EOFError(f"closed after {len(lines)} lines")
        *pending, buffer = (buffer + chunk).split(b"\n")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's RSS from /proc")
def test_members_that_ask_for_everything_and_never_read_cost_little_memory_and_nobody_waits(tmp_path: Path) -> None:
    # Issue 15, defect 2: ten hellos with last_seq 0 over 20,000 x 1 KB, their replies never read. The
    # server pages the history as each member reads, so it holds a window per member, not 20 MB, and a
    # message sent meanwhile by someone else is stored, acknowledged and, for a replaying member, part of
    # its replay: it arrives before the answer to the ping that member sent right after its hello.
    db = tmp_path / "chat.sqlite3"
    preload(db, STORED, 1024)
    server = start_headless("--port", "0", "--db", str(db), "--max-clients", "0")
    sockets: list[socket.socket] = []
    try:
        port = read_port(server)
        baseline = rss_bytes(server.pid)
        for number in range(REPLAYERS):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
            sock.connect(("127.0.0.1", port))
            sockets.append(sock)
            sock.sendall(json.dumps({"type": "hello", "version": 1, "name": f"reader{number}",
                                     "client_id": f"r{number}", "last_seq": 0}).encode() + b"\n"
                         + b'{"type":"ping","token":"after-hello"}\n')
            _blocking_lines(sock, lambda line: line["type"] == "welcome")  # then it stops reading
        talker = LineSocket(port)
        talker.line()
        talker.send("while they replay\n")
        assert talker.line_matching(r".* ACK") == "while they replay ACK"
        grown = rss_bytes(server.pid) - baseline
        assert grown < RSS_GROWTH_MAX, f"the server grew by {grown / 2**20:.0f} MiB"

        lines = _blocking_lines(sockets[0], lambda line: line["type"] == "pong")
        messages = [line for line in lines if line["type"] == "message"]
        assert [m["seq"] for m in messages] == list(range(1, STORED + 2)), "all of it, in order, no gaps"
        assert messages[-1]["text"] == "while they replay" and "history" not in messages[-1]

        server.send_signal(signal.SIGTERM)
        assert talker.line_matching(r"Server is shutting down\..*").startswith("Server is shutting down.")
        server.wait(timeout=TIMEOUT_S)
        assert server.returncode == 0
        talker.close()
    finally:
        for sock in sockets:
            sock.close()
        stop_process(server)


def preload_sessions(path: Path, count: int) -> None:
    """A store whose earlier run saw ``count`` connections, all ended."""
    store = SqliteStore(path)
    at = time.time() - 7200
    store.start_run(at)
    store.commit([], [Session(id=number, host="192.0.2.7", port=40000 + number % 20000, connected_at=at + number,
                              name=f"Client{number:05d}", disconnected_at=at + number + 1, end=EndReason.EXIT)
                      for number in range(1, count + 1)])
    store.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's RSS from /proc")
def test_fifty_status_all_in_one_write_are_answered_a_page_at_a_time_as_the_member_reads(tmp_path: Path) -> None:
    # Issue 15, defect 2: 50 `status all` in one write over 20,000 stored sessions stalled everyone and
    # built 50 full tables at once. Now each is one page, made when the asker has read the one before, so
    # another member's message is relayed to the asker long before its 50th table.
    db = tmp_path / "chat.sqlite3"
    preload_sessions(db, 20_000)
    server = start_headless("--port", "0", "--db", str(db), "--max-clients", "0")
    asker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        port = read_port(server)
        baseline = rss_bytes(server.pid)
        asker.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
        asker.connect(("127.0.0.1", port))
        asker.settimeout(TIMEOUT_S)
        asker.sendall(b"status all\n" * 50)
        received = b""
        while b"\nStatus: " not in received:  # the first table has begun: then it stops reading
            received += asker.recv(4096)
        talker = LineSocket(port)
        talker.line()
        talker.send("meanwhile\n")
        assert talker.line_matching(r".* ACK") == "meanwhile ACK"
        grown = rss_bytes(server.pid) - baseline
        assert grown < RSS_GROWTH_MAX, f"the server grew by {grown / 2**20:.0f} MiB"

        lines: list[str] = []
        buffer = received
        while sum(line.startswith("Status: ") for line in lines) < 50:
            *complete, buffer = buffer.split(b"\n")
            lines.extend(line.decode() for line in complete)
            if sum(line.startswith("Status: ") for line in lines) < 50:
                buffer += asker.recv(1 << 16)
        titles = [index for index, line in enumerate(lines) if line.startswith("Status: ")]
        relayed = lines.index("Client02: meanwhile")
        assert relayed < titles[-1], "the others are served between the pages"
        assert "[server to you] You are sending more than 20 messages a second: the server takes them more slowly " \
               "for a moment. Nothing is lost." in lines, "slowed down like a flooder, and told so"
        pattern = (r"Status: ([12]) online, 2000\1 session\(s\) in all runs \(this is run 2\); page 1 of 201, "
                   r"newest first \('status all 2' for older ones\)")  # before and after the talker came
        assert all(re.fullmatch(pattern, lines[i]) for i in titles), lines[titles[0]]
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=TIMEOUT_S)
        assert server.returncode == 0
        talker.close()
    finally:
        asker.close()
        stop_process(server)


def test_a_client_looping_hellos_without_reading_does_not_hold_up_the_others_or_the_stop(tmp_path: Path) -> None:
    # Issue 15, defect 2: one client sending hello with last_seq 0 on connection after connection, never
    # reading, held everyone's ACKs for seconds and SIGTERM for over a minute. Each hello now costs a
    # first page at most: the honest member is answered and the stop is prompt (the usual 2 s promise).
    db = tmp_path / "chat.sqlite3"
    preload(db, STORED, 1024)
    server = start_headless("--port", "0", "--db", str(db), "--max-clients", "0")
    try:
        port = read_port(server)
        talker = LineSocket(port)
        talker.line()
        hello = json.dumps({"type": "hello", "version": 1, "name": None, "client_id": None, "last_seq": 0})
        for _ in range(100):
            with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S) as looper:
                looper.sendall(hello.encode() + b"\n")
        talker.send("still there?\n")
        assert talker.line_matching(r"still there\? ACK") == "still there? ACK"
        server.send_signal(signal.SIGTERM)
        assert talker.line_matching(r"Server is shutting down\..*").startswith("Server is shutting down.")
        server.wait(timeout=TIMEOUT_S)
        assert server.returncode == 0
        talker.close()
    finally:
        stop_process(server)


def test_a_member_catching_up_that_lets_too_many_broadcasts_wait_is_disconnected_as_too_slow(
        make_server: MakeServer, qtbot: QtBot, tmp_path: Path) -> None:
    # Joins, leaves and notices wait for a member until its history is written; one that never reads it
    # must not keep them without bound.
    db = tmp_path / "chat.sqlite3"
    preload(db, STORED, 1024)  # far more than the kernel's buffers take: its replay cannot finish
    server = make_server(db_path=str(db))
    member = PacedJsonMember(server.server_port, rate_bps=0)
    try:
        member.send({"type": "hello", "version": 1, "name": "stuck", "client_id": "s-1", "last_seq": 0})
        qtbot.waitUntil(lambda: server.members() == ["stuck"], timeout=WAIT_MS)
        for number in range(HELD_MAX):
            server.send_notice(f"notice {number}")
        assert server.cache.online()[0].name == "stuck", "at the limit, not over it"
        server.send_notice("one too many")
        qtbot.waitUntil(lambda: not server.cache.online(), timeout=WAIT_MS)
        [session] = list(server.cache)
        assert session.state == "too slow"
    finally:
        member.close()
