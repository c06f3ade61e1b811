"""Random bytes from several connections at once while two members chat: nothing they say is lost.

The headless server runs as a subprocess; the fuzzers are seeded, bounded in rounds and bytes,
and talk only to 127.0.0.1.
"""

from __future__ import annotations

import json
import random
import socket
from pathlib import Path

from chat_server import protocol as p
from tests.integration.test_headless import LineSocket, read_port, start_headless, stop_process

FUZZERS = 4
ROUNDS = 150
MESSAGES = 60  # per well-behaved member
MEMORY_BOUND_KIB = 30 * 1024  # the server's growth in resident memory over the run

_PIECES = [
    b"\n", b"\r\n", b"{", b"}", b'{"type":"hello"}', b'{"type":"chat","id":"x","text":"t"}', b'"type"', b"status",
    b"exit", b"\x00", b"\xff\xfe", b"\xc3\x28", b"\x1b[31m", b"[" * 50, b'{"type":"chat","text":', b"ping",
    b'{"type":"hello","version":1,"name":"\\u0000"}', b" " * 100,
]


def _noise(rng: random.Random) -> bytes:
    parts = [rng.choice(_PIECES) if rng.random() < 0.6 else rng.randbytes(rng.randint(1, 64))
             for _ in range(rng.randint(1, 12))]
    return b"".join(parts)


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


class Fuzzer:
    """A connection that writes noise and reads whatever comes back; reconnects when the server closes it."""

    def __init__(self, port: int, rng: random.Random) -> None:
        self.port = port
        self.rng = rng
        self.reconnects = 0
        self.sock = self._open()

    def _open(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.setblocking(False)
        return sock

    def step(self) -> None:
        try:
            self.sock.send(_noise(self.rng))
            while self.sock.recv(1 << 16):
                pass
            self._reopen()  # recv returned b"": the server closed it (e.g. after a line that is too long)
        except BlockingIOError:
            pass
        except OSError:  # reset by the server
            self._reopen()

    def _reopen(self) -> None:
        self.sock.close()
        self.reconnects += 1
        self.sock = self._open()

    def close(self) -> None:
        self.sock.close()


def _member(port: int, name: str) -> LineSocket:
    member = LineSocket(port)
    member.send(p.encode(p.Hello(name=name, client_id=name)).decode())
    member.line_matching(r'\{"type":"welcome".*')
    return member


def test_noise_from_many_connections_does_not_disturb_two_members_chatting(tmp_path: Path) -> None:
    process = start_headless("--port", "0", "--max-clients", "0", "--log-level", "warning",
                             "--max-line-bytes", "4096", "--db", str(tmp_path / "chat.sqlite3"))
    fuzzers: list[Fuzzer] = []
    try:
        port = read_port(process)
        ann, bob = _member(port, "Ann"), _member(port, "Bob")
        ann.line_matching(r'\{"type":"joined","name":"Bob".*')
        rss_before = _rss_kib(process.pid)
        rng = random.Random(20261122)
        fuzzers = [Fuzzer(port, random.Random(rng.random())) for _ in range(FUZZERS)]
        heard: dict[str, list[str]] = {"Ann": [], "Bob": []}
        for round_ in range(ROUNDS):
            for fuzzer in fuzzers:
                fuzzer.step()
            if round_ < MESSAGES:
                for speaker, name in ((ann, "Ann"), (bob, "Bob")):
                    speaker.send(p.encode(p.Chat(id=str(round_), text=f"{name} says {round_}")).decode())
                    # Its ACK comes in its stream after what it was sent before; collect those on the way.
                    while True:
                        obj = json.loads(speaker.line_matching(r"\{.*"))
                        if obj["type"] == "message" and obj["sender"] in heard:
                            heard[name].append(obj["text"])
                        if obj["type"] == "ack" and obj["id"] == str(round_):
                            break
        for listener, name, other in ((ann, "Ann", "Bob"), (bob, "Bob", "Ann")):
            while len(heard[name]) < MESSAGES:
                obj = json.loads(listener.line_matching(r"\{.*"))
                if obj["type"] == "message" and obj["sender"] in heard:
                    heard[name].append(obj["text"])
            assert heard[name] == [f"{other} says {i}" for i in range(MESSAGES)]
        assert process.poll() is None, "the server died"
        growth = _rss_kib(process.pid) - rss_before
        assert growth < MEMORY_BOUND_KIB, f"the server grew by {growth} KiB"
        # The noise was read and answered, not simply refused: most of it reached the chat as text.
        assert sum(f.reconnects for f in fuzzers) < ROUNDS * FUZZERS
        ann.send(p.encode(p.StatusRequest()).decode())
        report = json.loads(ann.line_matching(r'\{"type":"status_report".*'))
        noisy = [s for s in report["sessions"] if s["name"] not in heard]
        assert len(noisy) >= FUZZERS and sum(s["messages"] for s in noisy) > 0
    finally:
        for fuzzer in fuzzers:
            fuzzer.close()
        stop_process(process)
