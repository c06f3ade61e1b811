"""The scenarios from issue 8, and how their names and sizes are written on the command line."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Full runs aim at about this many relayed deliveries per scenario, but send at most FULL_MESSAGES
# messages in all; quick runs far fewer. The aim is a measured phase of seconds everywhere: at
# 100,000 deliveries the 100x10 and 500x10 phases lasted 0.3 s, and CPU figures that short moved by
# a third from run to run (one WAL checkpoint or scheduler hiccup more or less).
FULL_DELIVERIES = 1_000_000
FULL_MESSAGES = 10_000
QUICK_DELIVERIES = 2_000
FULL_ECHO_MESSAGES = 20_000
QUICK_ECHO_MESSAGES = 200
HOLD_S = 1.0

# Issue 18's rooms scenario: 1,000 members in 20 rooms of 50 (everyone also in the lobby),
# one sender per room. ``roomsRxM`` names another shape (R rooms of M members).
ROOMS = 20
ROOM_MEMBERS = 50

# held5000 is left out of the default run: our server needs minutes to let 5,000 members in,
# because every join is announced to everyone (see docs/performance.md). Ask for it by name.
DEFAULT_SCENARIOS = ("echo", "10x1", "100x10", "500x10", "rooms", "held2000")
QUICK_SCENARIOS = ("echo", "10x1", "100x10", "held200")

_SHAPE = re.compile(r"^(\d+)x(\d+)$")
_HELD = re.compile(r"^held(\d+)$")
_ROOMS = re.compile(r"^rooms(?:(\d+)x(\d+))?$")


@dataclass(frozen=True, slots=True)
class Scenario:
    """N members, S of them sending M messages each with at most W in flight; or N held idle.

    With ``rooms`` R > 0 the members are also spread over R rooms (member i in room i mod R,
    so the first R members are one per room), and each sender talks in its own room.
    """

    name: str
    members: int
    senders: int
    messages: int  # per sender
    window: int = 1
    hold_s: float = 0.0
    rooms: int = 0

    @property
    def held(self) -> bool:
        return self.senders == 0

    @property
    def shape(self) -> str:
        if self.held:
            return f"{self.members} idle"
        rooms = f"/{self.rooms}r" if self.rooms else ""
        return f"{self.members}m{rooms}/{self.senders}s x{self.messages} w{self.window}"

    @property
    def receivers(self) -> int:
        """How many members receive each message: the others in the sender's room (or on the server)."""
        return (self.members // self.rooms if self.rooms else self.members) - 1


def _messages_per_sender(receivers: int, senders: int, quick: bool) -> int:
    """About the same deliveries in every scenario (at most FULL_MESSAGES messages in all)."""
    if quick:
        return max(5, round(QUICK_DELIVERIES / (receivers * senders)))
    return max(5, round(min(FULL_DELIVERIES / receivers, FULL_MESSAGES) / senders))


def parse_scenario(name: str, quick: bool = False, messages: int | None = None, window: int = 1) -> Scenario:
    """``echo``, ``NxS`` (N members, S senders), ``rooms`` or ``roomsRxM`` (R rooms of M members,
    one sender each) or ``heldN``; sized for a full or quick run.

    ``messages`` (per sender) overrides the size chosen to give about the same number
    of deliveries in every scenario.
    """
    name = name.strip().lower()
    if name == "echo":
        count = messages or (QUICK_ECHO_MESSAGES if quick else FULL_ECHO_MESSAGES)
        return Scenario(name, 1, 1, count, window)
    if match := _HELD.match(name):
        return Scenario(name, int(match.group(1)), 0, 0, hold_s=0.2 if quick else HOLD_S)
    if match := _SHAPE.match(name):
        members, senders = int(match.group(1)), int(match.group(2))
        if not 1 <= senders <= members or members < 2:
            raise ValueError(f"{name}: need 2 or more members and 1 to {members} senders")
        if messages is None:
            messages = _messages_per_sender(members - 1, senders, quick)
        return Scenario(name, members, senders, messages, window)
    if match := _ROOMS.match(name):
        rooms = int(match.group(1) or ROOMS)
        size = int(match.group(2) or ROOM_MEMBERS)
        if rooms < 1 or size < 2:
            raise ValueError(f"{name}: need 1 or more rooms of 2 or more members")
        if messages is None:
            messages = _messages_per_sender(size - 1, rooms, quick)
        return Scenario(name, rooms * size, rooms, messages, window, rooms=rooms)
    raise ValueError(f"unknown scenario {name!r}: use echo, NxS (e.g. 100x10), rooms, roomsRxM (e.g. rooms20x50) "
                     "or heldN (e.g. held5000)")
