"""A seeded mix of every kind of hostile input at once, while honest members chat (issue 15).

The headless server runs as a subprocess with a password and a stored history. Honest members
connect first from 127.0.0.1; the hostile connections come from other loopback addresses
(127.0.0.2-9), so the password guard's delays for their wrong guesses do not fall on the honest
ones. Everything is bounded: a fixed number of actors, a fixed time, a seeded generator, and
only loopback addresses.

What must hold afterwards: every honest message ACKed once, stored once and relayed once, in
order, to every other honest member; the server's resident memory stays within a bound; and
SIGTERM ends it with exit code 0 promptly even with silent and non-reading connections left.
"""

from __future__ import annotations

import json
import random
import selectors
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chat_server.store import StoredMessage
from chat_server.store.sqlite import SqliteStore
from tests.integration.test_headless import read_port, start_headless, stop_process

SEED = 1515
PASSWORD = "correct horse battery staple"
HISTORY = 2_000  # stored messages of 1 KB before the server starts: what a hello with last_seq 0 replays
HOSTILE_ACTORS = 12
HOSTILE_S = 6.0  # how long the hostile actors keep going
MESSAGES = 24  # per honest member, spread over the hostile phase
HONEST_NAMES = ("Alice", "Bob", "Carol")
TEXT_MEMBER = "Client01"  # the netcat member gets the first assigned name
RSS_BOUND_KIB = 64 * 1024  # growth over the baseline (issue 15, defect 7)
SHUTDOWN_S = 2.0  # the bound issue 15 sets; the server takes well under 0.1 s on this machine
DEADLINE_S = 30.0  # the whole exchange, as a safety net only


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _seed_history(db: Path) -> None:
    store = SqliteStore(db)
    store.start_run(time.time())
    now = time.time()
    filler = "x" * 1000
    store.commit([StoredMessage(seq, now, "Old", f"{seq} {filler}") for seq in range(1, HISTORY + 1)], [])
    store.close()


class Peer:
    """A non-blocking socket in the test's selector loop that collects whole lines."""

    def __init__(self, selector: selectors.BaseSelector, port: int, source: str = "127.0.0.1") -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((source, 0))
        self.sock.connect(("127.0.0.1", port))
        self.sock.setblocking(False)
        self.selector = selector
        self.lines: list[str] = []
        self.closed = False
        self._partial = b""
        self._out = bytearray()
        selector.register(self.sock, selectors.EVENT_READ, self)

    def send(self, data: bytes | str) -> None:
        self._out += data.encode("utf-8") if isinstance(data, str) else data
        self._write()

    def _write(self) -> None:
        while self._out and not self.closed:
            try:
                sent = self.sock.send(self._out)
            except BlockingIOError:
                break
            except OSError:
                self.close()
                return
            del self._out[:sent]
        if not self.closed:
            events = selectors.EVENT_READ | (selectors.EVENT_WRITE if self._out else 0)
            self.selector.modify(self.sock, events, self)

    def on_ready(self, mask: int) -> None:
        if mask & selectors.EVENT_WRITE:
            self._write()
        if mask & selectors.EVENT_READ and not self.closed:
            try:
                chunk = self.sock.recv(1 << 16)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self.close()
                return
            *complete, self._partial = (self._partial + chunk).split(b"\n")
            self.lines.extend(line.decode("utf-8", errors="replace") for line in complete)
            self.on_lines()

    def on_lines(self) -> None:
        """Called after new lines arrived."""

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.selector.unregister(self.sock)
            self.sock.close()


class JsonMember(Peer):
    """An honest JSON member: hello with the password, then MESSAGES chats, each after the last one's ACK."""

    def __init__(self, selector: selectors.BaseSelector, port: int, name: str) -> None:
        super().__init__(selector, port)
        self.name = name
        self.client_id = f"honest-{name.lower()}"
        self.welcomed = False
        self.sent: list[str] = []  # message ids, in order
        self.acks: dict[str, list[int]] = {}
        self.relays: list[tuple[str, str, int]] = []  # sender, text, seq (live, not history)
        self.errors: list[dict[str, object]] = []
        self._read = 0
        self.send(json.dumps({"type": "hello", "version": 1, "name": name, "client_id": self.client_id,
                              "password": PASSWORD}) + "\n")

    def on_lines(self) -> None:
        for line in self.lines[self._read:]:
            if not line.startswith("{"):
                continue  # the password prompt
            message = json.loads(line)
            kind = message["type"]
            if kind == "welcome":
                self.welcomed = True
            elif kind == "ack":
                self.acks.setdefault(message["id"], []).append(message["seq"])
            elif kind == "message" and not message.get("history"):
                self.relays.append((message["sender"], message["text"], message["seq"]))
            elif kind == "error":
                self.errors.append(message)
        self._read = len(self.lines)

    @property
    def waiting(self) -> bool:
        return bool(self.sent) and self.sent[-1] not in self.acks

    def say_next(self) -> None:
        number = len(self.sent) + 1
        message_id = f"{self.name[0].lower()}-{number}"
        self.sent.append(message_id)
        self.send(json.dumps({"type": "chat", "id": message_id, "text": f"{self.name} says {number}"}) + "\n")


class TextMember(Peer):
    """An honest netcat member: the password as its first line, then lines, each after the last one's ACK."""

    def __init__(self, selector: selectors.BaseSelector, port: int) -> None:
        super().__init__(selector, port)
        self.sent: list[str] = []
        self.send(PASSWORD + "\n")

    @property
    def welcomed(self) -> bool:
        return any(line.startswith(f"Welcome {TEXT_MEMBER}!") for line in self.lines)

    @property
    def waiting(self) -> bool:
        return bool(self.sent) and f"{self.sent[-1]} ACK" not in self.lines

    def say_next(self) -> None:
        text = f"netcat says {len(self.sent) + 1}"
        self.sent.append(text)
        self.send(text + "\n")


def _poisoned_chats(rng: random.Random) -> list[str]:
    """JSON lines that must each be refused on their own: bad Unicode, spoofing characters."""
    bad = ["\\ud800", "\\udfff", "\\u202e", "\\u2028", "\\u200b", "\\udb40\\udc41"]
    return [f'{{"type":"chat","id":"p{n}","text":"boom{rng.choice(bad)}"}}' for n in range(rng.randint(1, 5))]


class Hostile:
    """One hostile actor: each step it does one of the kinds of harm from issue 15, seeded."""

    KINDS = ("garbage", "noise", "silent", "wrong_password", "poison", "replay", "status_flood",
             "bad_hello", "confusable", "unfinished")

    def __init__(self, selector: selectors.BaseSelector, port: int, rng: random.Random, source: str) -> None:
        self.selector = selector
        self.port = port
        self.rng = rng
        self.source = source
        self.peers: list[Peer] = []
        self.done: dict[str, int] = {}

    def _open(self) -> Peer | None:
        try:
            peer = Peer(self.selector, self.port, self.source)
        except OSError:
            return None
        self.peers.append(peer)
        return peer

    def _hello(self, **fields: object) -> str:
        return json.dumps({"type": "hello", "version": 1, "password": PASSWORD, **fields}) + "\n"

    def step(self) -> None:
        # Close some of what earlier steps left open, so that connections come and go.
        for old in [p for p in self.peers if not p.closed]:
            if self.rng.random() < 0.3:
                old.close()
        self.peers = [p for p in self.peers if not p.closed]
        kind = self.rng.choice(self.KINDS)
        self.done[kind] = self.done.get(kind, 0) + 1
        peer = self._open()
        if peer is None:
            return
        rng = self.rng
        if kind == "garbage":  # deeply nested JSON that never parses
            peer.send(b"".join(b'{"type":' + b"[" * rng.randint(1, 5000) + b"\n" for _ in range(rng.randint(1, 20))))
        elif kind == "noise":
            peer.send(rng.randbytes(rng.randint(1, 4096)))
        elif kind == "silent":
            pass  # sits at the password prompt
        elif kind == "wrong_password":
            peer.send(f"not the password {rng.random()}\n")
            if rng.random() < 0.7:
                peer.close()  # gives up while its check may still be waiting
        elif kind == "poison":
            peer.send(self._hello() + "\n".join(_poisoned_chats(rng)) + "\n")
        elif kind == "replay":  # asks for the whole history again and again, reading nothing
            peer.send(self._hello(last_seq=0) * rng.randint(1, 20))
        elif kind == "status_flood":
            peer.send(self._hello() + '{"type":"status","all_runs":true}\n' * 50)
        elif kind == "bad_hello":
            field = rng.choice(["client_id", "name", "password"])
            peer.send(f'{{"type":"hello","version":1,"password":"{PASSWORD}","{field}":"x\\ud800"}}\n'
                      if field != "password" else '{"type":"hello","version":1,"password":"x\\ud800"}\n')
        elif kind == "confusable":  # names that look like an honest member's
            fake = rng.choice(["\u0410lice", "\uff21lice", "Ali\u0301ce", "[server] Restart at noon", "* Bob"])
            peer.send(json.dumps({"type": "hello", "version": 1, "password": PASSWORD, "name": fake}) + "\n")
        elif kind == "unfinished":
            peer.send(PASSWORD + "\n" + "a line that never ends " * rng.randint(1, 100))

    def close(self) -> None:
        for peer in self.peers:
            peer.close()


def _pump(selector: selectors.BaseSelector, timeout: float) -> None:
    for key, mask in selector.select(timeout):
        key.data.on_ready(mask)


@pytest.fixture
def hostile_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    db = tmp_path / "chat.sqlite3"
    _seed_history(db)
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    password_file.chmod(0o600)
    process = start_headless("--port", "0", "--max-clients", "20", "--log-level", "error", "--db", str(db),
                             "--password-file", str(password_file))
    try:
        yield process, read_port(process), db
    finally:
        stop_process(process)


def _wait(selector: selectors.BaseSelector, done: Callable[[], bool], what: Callable[[], str]) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not done():
        assert time.monotonic() < deadline, f"gave up waiting for {what()}"
        _pump(selector, 0.05)


def test_honest_members_lose_nothing_while_every_kind_of_hostile_input_hits_the_server(
        hostile_server: tuple[subprocess.Popen[str], int, Path]) -> None:
    process, port, db = hostile_server
    rng = random.Random(SEED)
    selector = selectors.DefaultSelector()
    json_members = [JsonMember(selector, port, name) for name in HONEST_NAMES]
    text_member = TextMember(selector, port)
    honest: list[JsonMember | TextMember] = [*json_members, text_member]
    _wait(selector, lambda: all(m.welcomed for m in honest),
          lambda: f"the honest members' welcomes: {[m.lines[:3] for m in honest]}")
    baseline = peak = _rss_kib(process.pid)

    hostiles = [Hostile(selector, port, rng, f"127.0.0.{2 + n % 8}") for n in range(HOSTILE_ACTORS)]
    started = time.monotonic()
    interval = HOSTILE_S / MESSAGES
    while time.monotonic() - started < HOSTILE_S:
        elapsed = time.monotonic() - started
        for member in honest:
            if not member.waiting and len(member.sent) < MESSAGES and len(member.sent) * interval <= elapsed:
                member.say_next()
        rng.choice(hostiles).step()
        _pump(selector, 0.005)
        peak = max(peak, _rss_kib(process.pid))
    for hostile in hostiles:  # the stuck ones (silent, not reading) stay open until the shutdown
        for peer in hostile.peers:
            if rng.random() < 0.5:
                peer.close()

    def finished() -> bool:
        for member in honest:
            if not member.waiting and len(member.sent) < MESSAGES:
                member.say_next()
        return all(len(m.sent) == MESSAGES and not m.waiting for m in honest)

    _wait(selector, finished, lambda: "every honest message's ACK: " + "; ".join(
        f"{type(m).__name__} sent {len(m.sent)}, closed {m.closed}, last lines {m.lines[-3:]}" for m in honest))
    expected = {m.name: [f"{m.name} says {n}" for n in range(1, MESSAGES + 1)] for m in json_members}
    expected[TEXT_MEMBER] = [f"netcat says {n}" for n in range(1, MESSAGES + 1)]

    def relayed_everywhere() -> bool:
        for member in json_members:
            got = [(s, t) for s, t, _ in member.relays if s in expected]  # hostile members chat too
            if sum(len(texts) for name, texts in expected.items() if name != member.name) > len(got):
                return False
        return True

    _wait(selector, relayed_everywhere, lambda: "every honest message's relays: " + "; ".join(
        f"{m.name} got {len(m.relays)}, closed {m.closed}, errors {m.errors}, last lines {m.lines[-3:]}"
        for m in json_members))
    peak = max(peak, _rss_kib(process.pid))

    # ACKed once each, with rising sequence numbers.
    for member in json_members:
        assert member.errors == [], member.name
        assert sorted(member.acks) == sorted(member.sent)
        assert all(len(seqs) == 1 for seqs in member.acks.values()), member.acks
        seqs = [member.acks[message_id][0] for message_id in member.sent]
        assert seqs == sorted(seqs) and len(set(seqs)) == MESSAGES
    assert [line[:-4] for line in text_member.lines if line.endswith(" ACK")] == text_member.sent
    # Relayed once each, in each sender's order, to every other honest member.
    for member in json_members:
        for name, texts in expected.items():
            if name == member.name:
                continue
            assert [t for s, t, _ in member.relays if s == name] == texts, (member.name, name)
        relay_seqs = [seq for _, _, seq in member.relays]
        assert relay_seqs == sorted(relay_seqs)
    for name in HONEST_NAMES:
        assert [line.split(": ", 1)[1] for line in text_member.lines if line.startswith(f"{name}: ")] \
            == expected[name]

    # SIGTERM with the stuck connections still open: a prompt, clean exit.
    sigterm_at = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=SHUTDOWN_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the server did not exit within {SHUTDOWN_S} s of SIGTERM")
    assert process.returncode == 0, stop_process(process)
    assert time.monotonic() - sigterm_at < SHUTDOWN_S
    for hostile in hostiles:
        hostile.close()
    for member in honest:
        member.close()
    selector.close()

    # Stored once each.
    with sqlite3.connect(db) as database:
        rows = database.execute("SELECT sender, text FROM messages WHERE sender != 'Old' ORDER BY seq").fetchall()
    stored: dict[str, list[str]] = {}
    for sender, text in rows:
        stored.setdefault(sender, []).append(text)
    for name, texts in expected.items():
        assert stored.get(name) == texts, name
    # Whatever the hostile members managed to say is theirs: nothing stored under an honest name is not honest.
    assert set(stored) - set(expected) <= {s for s in stored if s.startswith("Client")}

    assert peak - baseline < RSS_BOUND_KIB, f"resident memory grew by {(peak - baseline) // 1024} MiB"
    assert sum(sum(h.done.values()) for h in hostiles) > 100  # the mix really ran
    kinds = set().union(*(h.done for h in hostiles))
    assert kinds == set(Hostile.KINDS)
