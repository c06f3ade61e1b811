"""When queued output is written: one ``send`` per connection per pass, presence lines a little later.

The connection queues bytes and asks ``WriteScheduler.schedule`` for a write; the scheduler knows
connections only as ``Writer`` (something with ``flush()``), so it imports neither the connection
nor the roster that fans out through it.
"""

from __future__ import annotations

from typing import Protocol

from chat_server.net.reactor import Reactor, TimerHandle

# How long queued output may wait; a connection's whole queue goes out when its most pressing part is due.
NOW = 3  # at the end of this pass
DEFERRED = 2  # relays kept back a moment for those of messages on their way (chat_server/core/gathering.py)
LAZY = 1  # join, leave and rename lines (PRESENCE_DELAY_MS)

PRESENCE_DELAY_MS = 50
"""Join, leave and rename lines may wait this long, so that a storm of joins costs a write per member per interval."""
PRESENCE_DELAY_PER_MEMBER_MS = 0.1
"""In a big room they wait longer, to keep writing them (about 10 µs a member) near a tenth of the server's time."""
PRESENCE_DELAY_MAX_MS = 1000
RELAY_DEFER_MS = 10
"""Relays kept back for those of other members' messages on their way go out within this long anyway."""


class Writer(Protocol):
    """What the scheduler writes: a connection with output queued."""

    def flush(self) -> None:
        """Write what is queued (what the kernel does not take waits for the socket to drain)."""
        ...


class WriteScheduler:
    """Collects the connections that have output queued and writes each once, when the pass's I/O is done.

    A member that receives ten relays in one pass gets one ``send`` of all ten: the Python
    cost per socket write is paid per member per pass, not per message.
    Output that can wait (presence lines) is written within ``PRESENCE_DELAY_MS`` instead,
    or sooner with the member's next urgent output; a connection's bytes never change order.
    """

    def __init__(self, reactor: Reactor) -> None:
        self._reactor = reactor
        self._pending: list[Writer] = []
        self._deferred: list[Writer] = []
        self._lazy: list[Writer] = []
        self._flush_due = False
        self._deferred_timer: TimerHandle | None = None
        self._lazy_timer: TimerHandle | None = None
        self._lazy_delay_s = PRESENCE_DELAY_MS / 1000

    @property
    def deferring(self) -> bool:
        """Some relays are being kept back (``release_deferred`` or their deadline writes them)."""
        return bool(self._deferred)

    def schedule(self, conn: Writer, due: int = NOW) -> None:
        """``conn`` has output queued, to be written at the end of this pass or (``DEFERRED``, ``LAZY``) soon."""
        if due == NOW:
            self._pending.append(conn)
            if not self._flush_due:
                self._flush_due = True
                self._reactor.call_soon(self.flush)
        elif due == DEFERRED:
            self._deferred.append(conn)
            if self._deferred_timer is None:
                self._deferred_timer = self._reactor.call_later(RELAY_DEFER_MS / 1000, self.release_deferred)
        else:
            self._lazy.append(conn)
            if self._lazy_timer is None:
                self._lazy_timer = self._reactor.call_later(self._lazy_delay_s, self.flush_all)

    def release_deferred(self) -> None:
        """Write the urgent output and the relays kept back."""
        if self._deferred_timer is not None:
            self._deferred_timer.cancel()
            self._deferred_timer = None
        self.flush()
        deferred, self._deferred = self._deferred, []
        for conn in deferred:
            conn.flush()

    def flush(self) -> None:
        """Write the urgent output."""
        self._flush_due = False
        pending, self._pending = self._pending, []
        for conn in pending:
            conn.flush()

    def flush_all(self) -> None:
        """Write everything queued, the output that could wait included."""
        if self._lazy_timer is not None:
            self._lazy_timer.cancel()
            self._lazy_timer = None
        self.release_deferred()
        lazy, self._lazy = self._lazy, []
        for conn in lazy:
            conn.flush()
        delay_ms = round(len(lazy) * PRESENCE_DELAY_PER_MEMBER_MS)
        self._lazy_delay_s = min(PRESENCE_DELAY_MAX_MS, max(PRESENCE_DELAY_MS, delay_ms)) / 1000
