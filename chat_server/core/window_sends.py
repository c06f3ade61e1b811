"""Which messages each window of a member sent in this run: a window back after a drop is replayed what the
member's other windows said meanwhile, but not what it sent itself (it sends those again, and is acknowledged).

The store keeps a message's client id, not which window of that client sent it, so this is kept in memory: the
newest few seqs of each window (client id and instance) seen in this run. A window it does not know (before a
restart of the server, or forgotten since) is left out all of its client id's messages, as a client with one
window is.
"""

from __future__ import annotations

from collections import OrderedDict, deque

WINDOWS_REMEMBERED = 1024
"""Windows (client id and instance) whose messages are remembered; the one seen longest ago is forgotten first."""
SEQS_PER_WINDOW = 256
"""A window's newest seqs remembered: more than it could have sent without their ACKs before a drop."""

Window = tuple[str, str]
"""A window: its client id (the digest the server keeps) and its instance."""


class SentSeqs:
    """The seqs of the newest messages one window sent (oldest forgotten first)."""

    __slots__ = ("_order", "_seqs")

    def __init__(self) -> None:
        self._order: deque[int] = deque()
        self._seqs: set[int] = set()

    def add(self, seq: int) -> None:
        self._order.append(seq)
        self._seqs.add(seq)
        if len(self._order) > SEQS_PER_WINDOW:
            self._seqs.discard(self._order.popleft())

    def __contains__(self, seq: object) -> bool:
        return seq in self._seqs


class WindowSends:
    """The messages each window sent in this run, by window."""

    def __init__(self) -> None:
        self._windows: OrderedDict[Window, SentSeqs] = OrderedDict()

    def joined(self, client_id: str | None, instance: str | None) -> SentSeqs | None:
        """A window is online: what it sent earlier in this run (the same object gains what it sends from now on),
        or None if this run does not know it (it is remembered from now on) or it is not a window (no client id or
        no instance)."""
        if client_id is None or instance is None:
            return None
        sent = self._windows.get((client_id, instance))
        if sent is None:
            self._remember((client_id, instance))
            return None
        self._windows.move_to_end((client_id, instance))
        return sent

    def sent(self, client_id: str | None, instance: str | None, seq: int) -> None:
        """A window's message was given ``seq``."""
        if client_id is None or instance is None:
            return
        sent = self._windows.get((client_id, instance))
        if sent is None:  # forgotten while online: known again from now on
            sent = self._remember((client_id, instance))
        sent.add(seq)

    def _remember(self, window: Window) -> SentSeqs:
        sent = self._windows[window] = SentSeqs()
        if len(self._windows) > WINDOWS_REMEMBERED:
            self._windows.popitem(last=False)
        return sent
