"""The load generator: N members on plain non-blocking sockets and one selector, in its own process.

It logs N members in, makes sure every one of them sees everything that happened
before (a barrier message), then lets the first S members send M messages each,
at most W of each sender's messages in flight. A message is in flight until the
server has ACKed it and every other member has received it, so both servers are
held to the same rule. With R rooms, member i also joins room i mod R, the barrier
is one message in each room, and each sender talks in its own room: a message is
then in flight until every other member of that room has it, and a copy that
reaches anyone else (or comes marked with another room) is counted as unexpected.
The server's CPU time and memory are read from /proc around the measured phase,
so the generator's own speed does not count.

Run by ``bench.runner`` as ``python -m bench.loadgen CONFIG_JSON``: prints one JSON
line of results, then holds the connections until its stdin closes (the runner
stops the server first, so nobody pays for thousands of members leaving).
"""

from __future__ import annotations

import json
import os
import resource
import selectors
import socket
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from bench import procstat
from bench import wire as w
from bench.records import Flight, Member, Results, percentiles

READ = selectors.EVENT_READ
WRITE = selectors.EVENT_WRITE
RECV_BYTES = 262144


@dataclass(frozen=True, slots=True)
class LoadConfig:
    """One run of the generator against a server that is already listening."""

    port: int
    protocol: str  # a key of bench.wire.WIRES: "json", "text" or "irc"
    members: int
    senders: int
    messages: int  # per sender
    window: int = 1
    server_pid: int = 0  # 0: do not read the server's /proc figures
    host: str = "127.0.0.1"
    text_bytes: int = 40
    hold_s: float = 0.0  # after the setup barrier, keep everyone connected this long, then check again
    rooms: int = 0  # besides the room everyone is in: member i also joins room i mod rooms
    # ngircd listens with a short accept queue: more logins at once than this make the
    # kernel drop connection attempts, each then retried a second later.
    max_pending_logins: int = 8
    login_timeout_s: float = 120.0
    stall_timeout_s: float = 15.0  # give up when nothing arrives for this long
    linger_timeout_s: float = 60.0


class LoadGenerator:
    """Drives one scenario against one server through one protocol adapter."""

    def __init__(self, config: LoadConfig) -> None:
        self.config = config
        self.wire = w.WIRES[config.protocol]()
        if config.rooms and not self.wire.has_rooms:
            raise ValueError(f"the {config.protocol} wire cannot join rooms")
        self.selector = selectors.DefaultSelector()
        self.members: list[Member] = []
        self.flights: dict[str, Flight] = {}
        self.results = Results()
        self.ack_ns: list[int] = []
        self.relay_ns: list[int] = []
        self.completed = 0
        self.ready = 0  # members logged in
        self.recv_buffer = bytearray(RECV_BYTES)
        self.recv_view = memoryview(self.recv_buffer)
        self.last_progress = time.monotonic()
        # IRC has no ACK: the sender's receipt is the echo, which only a lone member asks for.
        self.acks = self.wire.has_acks
        self.echo = config.members == 1
        # How many members each room has: member i is in room i mod R.
        self.room_sizes = {w.room_name(r): len(range(r, config.members, config.rooms)) for r in range(config.rooms)}

    # --- the run ------------------------------------------------------------------

    def run(self) -> Results:
        c, r = self.config, self.results
        pid = c.server_pid
        if pid:
            r.rss_base_kib = procstat.rss_kib(pid)
            cpu0 = procstat.cpu(pid)
        started = time.monotonic()
        try:
            self._log_in()
            self._barrier("barrier0")
            r.setup_s = time.monotonic() - started
            if pid:
                r.rss_setup_kib = procstat.rss_kib(pid)
                cpu1 = procstat.cpu(pid)
                r.setup_server_cpu_s = procstat.cpu_delta_s(cpu0, cpu1)
            if c.hold_s > 0:
                self._pump_for(c.hold_s)
                self._barrier("barrier1")
            if c.senders and c.messages:
                self._send_all()
            r.ok = not r.problem
        except _Stop as stop:
            r.problem = str(stop)
        finally:
            if pid:
                cpu2 = procstat.cpu(pid)
                r.rss_end_kib = procstat.rss_kib(pid)
                if c.senders and c.messages and r.phase_s:
                    r.server_cpu_s = procstat.cpu_delta_s(cpu1, cpu2)
                    r.server_user_s = cpu2.user_s - cpu1.user_s
                    r.server_system_s = cpu2.system_s - cpu1.system_s
            usage = resource.getrusage(resource.RUSAGE_SELF)
            r.generator_cpu_s = usage.ru_utime + usage.ru_stime
            r.members_ready = sum(m.ready and not m.closed for m in self.members)
            r.members_lost = sum(m.closed for m in self.members)
        r.ack_p50_ms, r.ack_p99_ms = percentiles(self.ack_ns)
        r.relay_p50_ms, r.relay_p99_ms = percentiles(self.relay_ns)
        if r.ok and (r.acks != r.expected_acks or r.deliveries != r.expected_deliveries
                     or r.unexpected or r.members_lost or r.errors):
            r.ok = False
            r.problem = "counts do not match"
        if r.unexpected and r.problem:
            r.problem += f" ({r.unexpected} unexpected line(s), e.g. {r.unexpected_lines[0]!r})"
        if r.errors and r.problem:
            r.problem += f" (the server said: {r.errors[0][:200]})"
        return r

    def _log_in(self) -> None:
        c = self.config
        deadline = time.monotonic() + c.login_timeout_s
        while self.ready < c.members:
            while len(self.members) < c.members and len(self.members) - self.ready < c.max_pending_logins:
                self._connect()
            self._pump(0.05)
            if time.monotonic() > deadline:
                raise _Stop(f"only {self.ready} of {c.members} members logged in within {c.login_timeout_s:.0f} s")
            self._check_lost()

    def _connect(self) -> None:
        sock = socket.create_connection((self.config.host, self.config.port), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        index = len(self.members)
        room = w.room_name(index % self.config.rooms) if self.config.rooms else None
        member = Member(index, sock, room or "", self.wire.ready_token(room))
        self.members.append(member)
        self.selector.register(sock, READ, member)
        self._write(member, self.wire.login(member.name, room))

    def _barrier(self, token: str) -> None:
        """One message from member 0 (with rooms: from the first member of each room), seen by
        everyone it is for: all that came before has arrived."""
        rooms = self.config.rooms
        tokens = [f"{token}.r{index}" for index in range(rooms)] if rooms else [token]
        for leader, each in zip(self.members, tokens, strict=False):
            self._send(leader, each, measured=False)
        self._pump_until(lambda: not any(each in self.flights for each in tokens),
                         f"{token} did not reach every member")

    def _send_all(self) -> None:
        c, r = self.config, self.results
        senders = self.members[:c.senders]
        sent = c.senders * c.messages
        r.expected_acks = sent if self.acks or self.echo else 0
        r.expected_deliveries = 0 if self.echo else sum(
            c.messages * (self.room_sizes.get(sender.room, c.members) - 1) for sender in senders)
        started = time.monotonic()
        for sender in senders:
            self._fill(sender)
        self._pump_until(lambda: self.completed >= sent, "messages stopped arriving")
        r.phase_s = time.monotonic() - started

    def _fill(self, sender: Member) -> None:
        c = self.config
        while sender.in_flight < c.window and sender.sent < c.messages:
            sender.sent += 1
            self._send(sender, f"s{sender.index}.{sender.sent}", measured=True)

    def _send(self, sender: Member, token: str, measured: bool) -> None:
        text = token + " " + "x" * max(1, self.config.text_bytes - len(token) - 1)
        room = sender.room
        receivers = self.room_sizes[room] - 1 if room else self.config.members - 1
        due = 1 if self.echo else receivers + (1 if self.acks else 0)
        data = self.wire.chat(token, text, sender.name, to_self=self.echo, room=room or None)
        sender.in_flight += 1
        self.flights[token] = Flight(sender, time.perf_counter_ns(), due, measured, room)
        self._write(sender, data)

    # --- receiving ------------------------------------------------------------------

    def _on_line(self, member: Member, line: bytes) -> None:
        kind, token, _sender, room = self.wire.parse(line)
        if kind == w.OTHER:
            return
        if kind == w.READY:
            if not member.ready and (not member.ready_token or token == member.ready_token):
                member.ready = True
                self.ready += 1
            return
        if kind == w.PING:
            self._write(member, self.wire.pong(token))
            return
        if kind == w.ERROR:
            if len(self.results.errors) < 5:
                self.results.errors.append(f"{member.name}: {token}")
            else:
                self.results.errors[-1] = f"... and more: {member.name}: {token}"
            return
        flight = self.flights.get(token)
        if flight is None or (kind == w.ACK and flight.sender is not member) or (kind == w.RELAY and (
                flight.sender is member or room != flight.room or (room and member.room != room))):
            self._unexpected(member, line)
            return
        elapsed = time.perf_counter_ns() - flight.sent_ns
        if flight.measured:
            if kind == w.ACK:
                self.results.acks += 1
                self.ack_ns.append(elapsed)
            else:
                self.results.deliveries += 1
                self.relay_ns.append(elapsed)
        flight.due -= 1
        if flight.due == 0:
            del self.flights[token]
            flight.sender.in_flight -= 1
            self.last_progress = time.monotonic()
            if flight.measured:
                self.completed += 1
                self._fill(flight.sender)

    def _unexpected(self, member: Member, line: bytes) -> None:
        """A copy nobody should have had here: twice, too late, to another room or from another room."""
        self.results.unexpected += 1
        if len(self.results.unexpected_lines) < 3:
            self.results.unexpected_lines.append(f"{member.name} ({member.room or 'lobby'}) got "
                                                 f"{line[:120].decode('utf-8', 'replace')}")

    def _read(self, member: Member) -> None:
        try:
            # One reused buffer: a fresh 64 KiB+ bytes object per recv costs an mmap and
            # page faults each time, which made the generator slower than the servers.
            size = member.sock.recv_into(self.recv_buffer)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            size = 0
        if not size:
            self._lose(member)
            return
        buf = member.inbuf
        buf += self.recv_view[:size]
        end = buf.rfind(b"\n")
        if end < 0:
            return
        chunk = bytes(buf[:end])
        del buf[:end + 1]
        if not self.wire.worth_parsing(chunk):
            return
        for line in chunk.split(b"\n"):
            self._on_line(member, line)

    def _lose(self, member: Member) -> None:
        if not member.closed:
            member.closed = True
            self.selector.unregister(member.sock)
            member.sock.close()

    def _check_lost(self) -> None:
        lost = sum(m.closed for m in self.members)
        if lost:
            raise _Stop(f"the server closed {lost} member connection(s)")

    # --- sending ---------------------------------------------------------------------

    def _write(self, member: Member, data: bytes) -> None:
        if member.closed:
            return
        if member.outbuf:
            member.outbuf += data
            return
        try:
            sent = member.sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self._lose(member)
            return
        if sent < len(data):
            member.outbuf += data[sent:]
            self.selector.modify(member.sock, READ | WRITE, member)

    def _flush(self, member: Member) -> None:
        try:
            sent = member.sock.send(member.outbuf)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._lose(member)
            return
        del member.outbuf[:sent]
        if not member.outbuf:
            self.selector.modify(member.sock, READ, member)

    # --- the loop ----------------------------------------------------------------------

    def _pump(self, timeout: float) -> None:
        for key, mask in self.selector.select(timeout):
            member = key.data
            if mask & READ:
                self._read(member)
            if mask & WRITE and not member.closed:
                self._flush(member)

    def _pump_for(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self._pump(min(left, 0.1))
        self._check_lost()

    def _pump_until(self, done: Any, what: str) -> None:
        self.last_progress = time.monotonic()
        while not done():
            self._pump(0.1)
            self._check_lost()
            if time.monotonic() - self.last_progress > self.config.stall_timeout_s:
                raise _Stop(f"{what} (nothing completed for {self.config.stall_timeout_s:.0f} s)")

    def linger(self) -> None:
        """Keep reading (the server's goodbyes) until stdin closes or every member is gone."""
        self.selector.register(sys.stdin, READ, None)
        end = time.monotonic() + self.config.linger_timeout_s
        while time.monotonic() < end and not all(m.closed for m in self.members):
            for key, _ in self.selector.select(0.2):
                if key.data is None:
                    if not os.read(sys.stdin.fileno(), 4096):
                        return
                    continue
                self._read(key.data)

    def close(self) -> None:
        for member in self.members:
            if not member.closed:
                member.sock.close()
        self.selector.close()


class _Stop(Exception):
    """The run cannot go on; the text says why."""


def raise_file_limit() -> None:
    """Thousands of members need thousands of descriptors: the soft limit up to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main(argv: list[str]) -> int:
    config = LoadConfig(**json.loads(argv[0]))
    raise_file_limit()
    generator = LoadGenerator(config)
    try:
        results = generator.run()
        print(json.dumps(asdict(results)), flush=True)
        generator.linger()
    finally:
        generator.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
