"""Telling when a connection's output has left the server: the kernel took it (``ClientConnection.when_written``).

The transport does not report its progress, so the connection looks after each write, when it closes, and
every ``WRITTEN_CHECK_MS`` while something waits; a connection with nothing watched has no timer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from chat_server.net.reactor import Reactor, TimerHandle

WRITTEN_CHECK_MS = 50
"""While some output is watched, how often the connection looks whether the kernel has taken it."""


class WrittenWatch:
    """Callbacks waiting for the kernel to take a connection's output up to their offset in its stream."""

    __slots__ = ("_look", "_reactor", "_timer", "_waiting")

    def __init__(self, reactor: Reactor, look: Callable[[], None]) -> None:
        """``look``: the connection's check, called every ``WRITTEN_CHECK_MS`` while callbacks wait."""
        self._reactor = reactor
        self._look = look
        self._waiting: deque[tuple[int, Callable[[], None]]] = deque()
        self._timer: TimerHandle | None = None

    def add(self, offset: int, done: Callable[[], None]) -> None:
        """Call ``done`` once the bytes before ``offset`` (counted from the stream's start) are taken."""
        self._waiting.append((offset, done))
        self._schedule()

    def taken(self, offset: int) -> bool:
        """The kernel has taken the stream up to ``offset``: call what waited for that; True if none waits now."""
        waiting = self._waiting
        while waiting and waiting[0][0] <= offset:
            waiting.popleft()[1]()
        if waiting:
            self._schedule()
        return not waiting

    def cancel(self) -> None:
        """Forget the callbacks (the connection ended: where its output stood is no longer known)."""
        self._waiting.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _schedule(self) -> None:
        if self._timer is None:
            self._timer = self._reactor.call_later(WRITTEN_CHECK_MS / 1000, self._on_timer_timeout)

    def _on_timer_timeout(self) -> None:
        self._timer = None
        self._look()
