"""What the load generator keeps while it runs: its members, the messages in flight, and a run's results."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field


@dataclass(slots=True)
class Results:
    """What one run measured; percentiles in milliseconds, CPU in seconds."""

    ok: bool = False
    problem: str = ""
    members_ready: int = 0
    members_lost: int = 0
    expected_acks: int = 0
    acks: int = 0
    expected_deliveries: int = 0
    deliveries: int = 0
    unexpected: int = 0
    unexpected_lines: list[str] = field(default_factory=list)  # the first few, to say what went wrong
    errors: list[str] = field(default_factory=list)
    setup_s: float = 0.0
    setup_server_cpu_s: float = 0.0
    phase_s: float = 0.0
    server_cpu_s: float = 0.0
    server_user_s: float = 0.0
    server_system_s: float = 0.0
    generator_cpu_s: float = 0.0
    rss_base_kib: int = 0
    rss_setup_kib: int = 0
    rss_end_kib: int = 0
    ack_p50_ms: float | None = None
    ack_p99_ms: float | None = None
    relay_p50_ms: float | None = None
    relay_p99_ms: float | None = None


class Member:
    """One connection and what it has sent."""

    __slots__ = ("closed", "in_flight", "inbuf", "index", "name", "outbuf", "ready", "ready_token", "room", "sent",
                 "sock")

    def __init__(self, index: int, sock: socket.socket, room: str, ready_token: str) -> None:
        self.index = index
        self.name = f"m{index:05d}"
        self.room = room  # "" when only in the room everyone is in
        self.ready_token = ready_token
        self.sock = sock
        self.inbuf = bytearray()
        self.outbuf = bytearray()
        self.ready = False
        self.closed = False
        self.sent = 0
        self.in_flight = 0


class Flight:
    """A message on its way: when it left, where it was said, and how many receipts are still due."""

    __slots__ = ("due", "measured", "room", "sender", "sent_ns")

    def __init__(self, sender: Member, sent_ns: int, due: int, measured: bool, room: str) -> None:
        self.sender = sender
        self.room = room
        self.sent_ns = sent_ns
        self.due = due
        self.measured = measured


def percentiles(samples_ns: list[int]) -> tuple[float | None, float | None]:
    """The median and the 99th percentile of the samples, in milliseconds."""
    if not samples_ns:
        return None, None
    ordered = sorted(samples_ns)
    last = len(ordered) - 1
    return ordered[round(0.50 * last)] / 1e6, ordered[round(0.99 * last)] / 1e6
