"""Search on a large store: generate one, then time searches from a real client socket against a real server on it.

    python -m bench.search_store generate --db /tmp/search.sqlite3            # 1,000,000 messages
    python -m bench.search_store measure --db /tmp/search.sqlite3             # 300 searches, p50/p95/p99
    python -m bench.search_store measure --db /tmp/search.sqlite3 --chat      # ... and a chat's ACKs meanwhile

``generate`` writes the store through the server's own SqliteStore (its schema, its FTS index kept by the same
triggers), 50,000 messages a transaction: words from a Zipf-like vocabulary (function words common, invented
words rare), said in #lobby, in 20 rooms and directly between 200 senders. The member the measurement logs in as
(client id ``bench-searcher``) is in 8 of the rooms and in some of the direct conversations, as a real member is.

``measure`` starts ``main.py server --headless`` on the file and times each search from the moment its request
leaves the client to the moment its reply has arrived, over varied queries: one common word, one rare word, two
words, a phrase-like pair, a room filter, a sender filter, a period and the second page. With ``--chat`` another
member sends a chat message every 20 ms throughout and its ACK times are reported too: a search must not hold the
others' messages up.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.servers import SERVERS, RunningServer
from chat_server.core.rooms import LOBBY_ID, Membership, RoomInfo, direct_conversation, room_conversation
from chat_server.store import StoredMessage, client_key
from chat_server.store.sqlite import SqliteStore

DEFAULT_MESSAGES = 1_000_000
DEFAULT_QUERIES = 300
BATCH = 50_000
ROOMS = 20
SENDERS = 200
SEARCHER_ID = "bench-searcher"
SEARCHER_NAME = "searcher"
SEARCHER_ROOMS = 8  # rooms 2..9 (and #lobby)
CHATTER_ID = "bench-chatter"
CHAT_EVERY_S = 0.02
REPLY_TIMEOUT_S = 30.0
START = 1_700_000_000.0  # the first message's time; one message every 3 s after it (about a month per million)
STEP_S = 3.0

_FUNCTION_TEXT = ("the a to is it and of in that you for on we this be are have not with do at can so but what will"
                  " just was get if me my all no up out there one about like now when how ok yes")
_SYLLABLE_TEXT = "ka ri to me sa lo ne vi du pa te mo ha ku zi be fo la ti gra sen dor mel pin tas ver qua lin"
FUNCTION_WORDS = tuple(_FUNCTION_TEXT.split())
SYLLABLES = tuple(_SYLLABLE_TEXT.split())


def vocabulary(size: int, seed: int = 7) -> list[str]:
    """Function words first (the commonest), then invented words of two or three syllables, all distinct."""
    rnd = random.Random(seed)
    words = list(FUNCTION_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.choice((2, 2, 3))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_weights(count: int) -> list[float]:
    return [1.0 / (rank + 1) for rank in range(count)]


@dataclass(frozen=True)
class Layout:
    """Who talks where: senders, rooms, and the searcher's place among them."""

    senders: list[tuple[str, str]]  # (name, member key)
    rooms: list[RoomInfo]
    searcher_key: str


def layout() -> Layout:
    senders = [(f"user{n:03d}", client_key(f"bench-user-{n}")) for n in range(SENDERS)]
    rooms = [RoomInfo(LOBBY_ID + 1 + n, f"#room{n + 1:02d}", f"#room{n + 1:02d}", "", False, None, START)
             for n in range(ROOMS)]
    return Layout(senders, rooms, client_key(SEARCHER_ID))


def generate(path: Path, count: int, seed: int = 1) -> None:
    """A store of ``count`` messages at ``path`` (replaced if it exists)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    plan = layout()
    store = SqliteStore(path)
    store.start_run(START)
    members = [Membership(room.id, plan.searcher_key) for room in plan.rooms[:SEARCHER_ROOMS]]
    members += [Membership(room.id, key) for room in plan.rooms for _, key in plan.senders[::7]]
    store.change_rooms(plan.rooms, members, [])
    words = vocabulary(5000)
    weights = zipf_weights(len(words))
    rnd = random.Random(seed)
    everyone = [*plan.senders, (SEARCHER_NAME, plan.searcher_key)]
    started = time.perf_counter()
    seq = 0
    while seq < count:
        batch: list[StoredMessage] = []
        for _ in range(min(BATCH, count - seq)):
            seq += 1
            name, key = rnd.choice(everyone)
            where = rnd.random()
            if where < 0.4:
                conversation = room_conversation(LOBBY_ID)
            elif where < 0.85:
                conversation = room_conversation(rnd.choice(plan.rooms).id)
            else:
                other = rnd.choice(everyone)[1]
                conversation = direct_conversation(key, other) if other != key else room_conversation(LOBBY_ID)
            text = " ".join(rnd.choices(words, weights, k=rnd.randint(3, 20)))
            batch.append(StoredMessage(seq, START + seq * STEP_S, name, text, None, "", conversation))
        store.commit(batch, [])
        print(f"  {seq:,} messages ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    store.close()


# --- measuring ---------------------------------------------------------------------------------


class LineClient:
    """A JSON member over a plain socket: sends objects, reads lines."""

    def __init__(self, port: int, name: str, client_id: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=REPLY_TIMEOUT_S)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = b""
        self.read_line()  # the greeting
        self.send({"type": "hello", "version": 2, "name": name, "client_id": client_id, "last_seq": None})
        self.until(lambda obj: obj.get("type") == "joined" and obj.get("name") == name and "room" not in obj)

    def send(self, obj: dict[str, object]) -> None:
        self.sock.sendall((json.dumps(obj) + "\n").encode())

    def read_line(self) -> bytes:
        while b"\n" not in self._buffer:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def until(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        while True:
            line = self.read_line()
            if line.startswith(b"{"):
                obj = json.loads(line)
                if wanted(obj):
                    return obj

    def close(self) -> None:
        self.sock.close()


def queries(count: int, seed: int = 3) -> list[tuple[str, dict[str, object]]]:
    """``count`` varied searches (kind, request), the same for every run."""
    rnd = random.Random(seed)
    words = vocabulary(5000)
    plan = layout()
    kinds = ["common", "rare", "two", "three", "room", "sender", "period", "page2"]
    made: list[tuple[str, dict[str, object]]] = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        common = rnd.choice(words[:40])
        middle = rnd.choice(words[40:400])
        rare = rnd.choice(words[1000:])
        request: dict[str, object] = {"type": "search", "query": middle}
        if kind == "common":
            request["query"] = common
        elif kind == "rare":
            request["query"] = rare
        elif kind == "two":
            request["query"] = f"{middle} {common}"
        elif kind == "three":
            request["query"] = f"{rnd.choice(words[40:400])} {middle} {common}"
        elif kind == "room":
            request["room"] = rnd.choice(plan.rooms[:SEARCHER_ROOMS]).display
        elif kind == "sender":
            request["sender"] = rnd.choice(plan.senders)[0]
        elif kind == "period":
            request["after"] = START + rnd.randint(0, 10**6)
            request["before"] = request["after"] + 7 * 86400  # type: ignore[operator]
        made.append((kind, request))
    return made


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def chat_acks_line(acks: list[float]) -> str:
    """What a chat's ACKs (ms) did while the benchmark's load ran: how many, p50, p99 and the slowest."""
    return (f"chat meanwhile: {len(acks)} ACKs, p50 {percentile(acks, 0.5):.1f} ms, "
            f"p99 {percentile(acks, 0.99):.1f} ms, max {max(acks):.1f} ms")


def _ack_of(chat_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda obj: obj.get("type") == "ack" and obj.get("id") == chat_id


def _chat(port: int, stop: threading.Event, acks_ms: list[float]) -> None:
    chatter = LineClient(port, "chatter", CHATTER_ID)
    try:
        n = 0
        while not stop.is_set():
            n += 1
            sent = time.perf_counter()
            chatter.send({"type": "chat", "id": str(n), "text": f"chatting along {n}"})
            chatter.until(_ack_of(str(n)))
            acks_ms.append((time.perf_counter() - sent) * 1000)
            stop.wait(CHAT_EVERY_S)
    finally:
        chatter.close()


@dataclass
class Figures:
    """What one measurement found (times in milliseconds)."""

    searches: int
    results: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    by_kind: dict[str, tuple[int, float, float]]  # kind -> (searches, p50, p95)
    chat_acks_ms: list[float]


def measure(path: Path, count: int, chat: bool) -> Figures:
    """Start a server on ``path`` and time ``count`` searches; the figures (milliseconds)."""
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        server: RunningServer = SERVERS["ours"].start(Path(tmp), ["--db", str(path), "--history", "0"])
        stop = threading.Event()
        acks_ms: list[float] = []
        chatter = threading.Thread(target=_chat, args=(server.port, stop, acks_ms), daemon=True) if chat else None
        try:
            client = LineClient(server.port, SEARCHER_NAME, SEARCHER_ID)
            if chatter is not None:
                chatter.start()
            by_kind: dict[str, list[float]] = {}
            found = 0
            for kind, request in queries(count):
                if kind == "page2":
                    client.send(request)
                    first = client.until(lambda obj: obj.get("type") in ("search_results", "error"))
                    results = first.get("results") or []
                    if not first.get("more") or not results:
                        continue
                    request = {**request, "before_seq": results[-1]["seq"]}
                started = time.perf_counter()
                client.send(request)
                reply = client.until(lambda obj: obj.get("type") in ("search_results", "error"))
                elapsed = (time.perf_counter() - started) * 1000
                if reply.get("type") == "error":
                    raise RuntimeError(f"the server refused {request}: {reply}")
                found += len(reply.get("results") or [])
                by_kind.setdefault(kind, []).append(elapsed)
            client.close()
        finally:
            stop.set()
            if chatter is not None:
                chatter.join(timeout=REPLY_TIMEOUT_S)
            server.stop()
    every = [ms for values in by_kind.values() for ms in values]
    return Figures(len(every), found, percentile(every, 0.5), percentile(every, 0.95), percentile(every, 0.99),
                   {kind: (len(values), statistics.median(values), percentile(values, 0.95))
                    for kind, values in by_kind.items()}, acks_ms)


def report(figures: Figures) -> str:
    lines = [f"searches: {figures.searches} ({figures.results} results in all)",
             f"first page, request leaving to reply arriving: p50 {figures.p50_ms:.1f} ms, "
             f"p95 {figures.p95_ms:.1f} ms, p99 {figures.p99_ms:.1f} ms"]
    for kind, (n, p50, p95) in figures.by_kind.items():
        lines.append(f"  {kind:<7} n={n:<4} p50 {p50:.1f} ms  p95 {p95:.1f} ms")
    if figures.chat_acks_ms:
        lines.append(chat_acks_line(figures.chat_acks_ms))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_store", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="write a store of N messages")
    make.add_argument("--db", type=Path, required=True)
    make.add_argument("--messages", type=int, default=DEFAULT_MESSAGES)
    timing = commands.add_parser("measure", help="time searches against a server on the store")
    timing.add_argument("--db", type=Path, required=True)
    timing.add_argument("--queries", type=int, default=DEFAULT_QUERIES)
    timing.add_argument("--chat", action="store_true", help="another member chats meanwhile: its ACK times too")
    timing.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(args.db, args.messages)
        return 0
    figures = measure(args.db, args.queries, args.chat)
    print(json.dumps(dataclasses.asdict(figures), indent=2) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
