"""The server's I/O reactor on Qt's event loop: every member socket behind one notifier, callbacks soon and later.

Qt's event dispatchers poll every socket notifier they know on every pass, and a
QTcpSocket enables and disables its write notifier around each write. With thousands
of members that per-pass cost dominates. Here the member sockets live in one epoll set
(Linux) and Qt watches only the epoll descriptor: one readiness check for all of them,
and an ``epoll_ctl`` only when a socket's interest really changes. Where there is no
epoll, each socket gets its own QSocketNotifier instead (same interface, Qt's cost).

``call_soon`` runs a callback when the current I/O pass ends (or in the next pass if
none is running), so what a pass read is committed and answered before the event loop
turns again; ``call_later`` keeps one timer for any number of deadlines.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import math
import select
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Slot

log = logging.getLogger(__name__)

MAX_SOON_ROUNDS = 8
"""Callbacks queued by callbacks run in the same pass this many rounds deep, then in the next pass."""

LATER_COMPACT_MIN = 64
"""Pending deadlines kept before cancelled ones are swept out of the heap."""

READ_ROUNDS = 3
"""A pass looks again for ready sockets this many times while it keeps finding some, before it commits."""

_SELECT_LIMIT = 1024
"""``select()`` takes descriptors below FD_SETSIZE; it is used for its microsecond timeout."""

_HAS_EPOLL = hasattr(select, "epoll")


class IoHandler(Protocol):
    """What the reactor calls when a registered socket is ready."""

    def on_readable(self) -> None: ...

    def on_writable(self) -> None: ...


class TimerHandle:
    """A callback due at a monotonic time; ``cancel`` stops it from running."""

    __slots__ = ("args", "callback", "cancelled", "when")

    def __init__(self, when: float, callback: Callable[..., object], args: tuple[Any, ...]) -> None:
        self.when = when
        self.callback = callback
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True
        self.args = ()


class Reactor(QObject):
    """Socket readiness, ``call_soon`` and ``call_later`` for one server engine, all on the Qt thread."""

    def __init__(self, parent: QObject | None = None, use_epoll: bool | None = None) -> None:
        super().__init__(parent)
        self._handlers: dict[int, IoHandler] = {}
        self._soon: deque[tuple[Callable[..., object], tuple[Any, ...]]] = deque()
        self._dispatching = False
        self._gather_budget_s: Callable[[], float] = lambda: 0.0
        self._soon_timer = QTimer(self)
        self._soon_timer.setSingleShot(True)
        self._soon_timer.setInterval(0)
        self._soon_timer.timeout.connect(self._on_soon_timer_timeout)
        self._later: list[tuple[float, int, TimerHandle]] = []
        self._later_order = itertools.count()
        self._compact_at = LATER_COMPACT_MIN  # heap size at which cancelled handles are swept out
        self._armed_for = math.inf  # the deadline the later timer is running for
        self._later_timer = QTimer(self)
        self._later_timer.setSingleShot(True)
        self._later_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._later_timer.timeout.connect(self._on_later_timer_timeout)
        self._backend: _EpollSet | _NotifierSet = (
            _EpollSet(self) if (_HAS_EPOLL if use_epoll is None else use_epoll) else _NotifierSet(self))

    @property
    def uses_epoll(self) -> bool:
        return isinstance(self._backend, _EpollSet)

    def set_gather_budget(self, budget_s: Callable[[], float]) -> None:
        """``budget_s()``, asked after each round of reads, says how long in all this pass may wait for more
        input before its ``call_soon`` callbacks run (0: run them now). Only the epoll set waits."""
        self._gather_budget_s = budget_s

    # --- sockets ------------------------------------------------------------------------------

    def register(self, fd: int, handler: IoHandler, read: bool, write: bool) -> None:
        self._handlers[fd] = handler
        self._backend.register(fd, read, write)

    def modify(self, fd: int, read: bool, write: bool) -> None:
        """Change what ``fd`` is watched for (the caller only calls this when it changed)."""
        self._backend.modify(fd, read, write)

    def unregister(self, fd: int) -> None:
        """Stop watching ``fd`` (before it is closed)."""
        if self._handlers.pop(fd, None) is not None:
            self._backend.unregister(fd)

    def _ready(self, fd: int, readable: bool, writable: bool) -> None:
        handler = self._handlers.get(fd)
        try:
            if handler is not None and readable:
                handler.on_readable()
                handler = self._handlers.get(fd)  # it may have closed while reading
            if handler is not None and writable:
                handler.on_writable()
        except Exception:  # one socket's bug must not cost the pass: the others are read and the batch committed
            log.exception("unexpected error on socket %d", fd)

    # --- callbacks ------------------------------------------------------------------------------

    def call_soon(self, callback: Callable[..., object], *args: Any) -> None:
        """Run ``callback(*args)`` when the current pass's I/O is done, or in the next pass."""
        self._soon.append((callback, args))
        if not self._dispatching and not self._soon_timer.isActive():
            self._soon_timer.start()

    def call_later(self, delay_s: float, callback: Callable[..., object], *args: Any) -> TimerHandle:
        """Run ``callback(*args)`` after ``delay_s`` seconds, unless the handle is cancelled first."""
        handle = TimerHandle(time.monotonic() + max(0.0, delay_s), callback, args)
        later = self._later
        if len(later) >= self._compact_at:  # restarted deadlines leave cancelled handles behind
            later[:] = [entry for entry in later if not entry[2].cancelled]
            heapq.heapify(later)
            self._compact_at = max(LATER_COMPACT_MIN, 2 * len(later))
        heapq.heappush(later, (handle.when, next(self._later_order), handle))
        if handle.when < self._armed_for and not self._dispatching:
            self._arm_later_timer()
        return handle

    @contextlib.contextmanager
    def _pass(self) -> Iterator[None]:
        """One dispatch: the callbacks queued during it run at its end."""
        if self._dispatching:
            yield
            return
        self._dispatching = True
        try:
            yield
            self._run_soon()
        finally:
            self._dispatching = False
            if self._soon and not self._soon_timer.isActive():
                self._soon_timer.start()
            self._arm_later_timer()

    def _run_soon(self) -> None:
        soon = self._soon
        for _ in range(MAX_SOON_ROUNDS):
            if not soon:
                return
            for _ in range(len(soon)):
                callback, args = soon.popleft()
                _run_logged(callback, args)

    def _arm_later_timer(self) -> None:
        later = self._later
        while later and later[0][2].cancelled:
            heapq.heappop(later)
        first = later[0][0] if later else math.inf
        if first == self._armed_for:
            return
        self._armed_for = first
        if first == math.inf:
            self._later_timer.stop()
        else:
            self._later_timer.start(max(0, math.ceil((first - time.monotonic()) * 1000)))

    @Slot()
    def _on_soon_timer_timeout(self) -> None:
        with self._pass():
            pass

    @Slot()
    def _on_later_timer_timeout(self) -> None:
        self._armed_for = math.inf
        with self._pass():
            now = time.monotonic()
            later = self._later
            while later and later[0][0] <= now:
                _, _, handle = heapq.heappop(later)
                if handle.cancelled:
                    continue
                callback, args = handle.callback, handle.args
                handle.cancel()  # done: a late cancel() changes nothing
                _run_logged(callback, args)

    def close(self) -> None:
        """Stop watching everything (the sockets themselves belong to their transports)."""
        for fd in list(self._handlers):
            self.unregister(fd)
        self._backend.close()
        self._soon_timer.stop()
        self._later_timer.stop()


def _run_logged(callback: Callable[..., object], args: tuple[Any, ...]) -> None:
    """Run a callback; an exception is logged with its traceback and the pass goes on with the next one."""
    try:
        callback(*args)
    except Exception:
        log.exception("unexpected error in %s", getattr(callback, "__qualname__", callback))


class _EpollSet:
    """Every socket in one epoll set; Qt watches the set's descriptor."""

    def __init__(self, reactor: Reactor) -> None:
        self._reactor = reactor
        self._epoll = select.epoll()
        self._notifier = QSocketNotifier(self._epoll.fileno(), QSocketNotifier.Type.Read, reactor)
        self._notifier.activated.connect(self._on_notifier_activated)

    @staticmethod
    def _mask(read: bool, write: bool) -> int:
        return (select.EPOLLIN if read else 0) | (select.EPOLLOUT if write else 0)

    def register(self, fd: int, read: bool, write: bool) -> None:
        self._epoll.register(fd, self._mask(read, write))

    def modify(self, fd: int, read: bool, write: bool) -> None:
        self._epoll.modify(fd, self._mask(read, write))

    def unregister(self, fd: int) -> None:
        with contextlib.suppress(OSError):  # already closed
            self._epoll.unregister(fd)

    def _on_notifier_activated(self) -> None:
        reactor = self._reactor
        # Errors and hang-ups are reported whatever the interest: the read path finds out which.
        readable = select.EPOLLIN | select.EPOLLERR | select.EPOLLHUP
        epoll = self._epoll
        can_wait = epoll.fileno() < _SELECT_LIMIT
        with reactor._pass():
            ready = epoll.poll(0)
            started = time.perf_counter()
            rounds = 0
            while True:
                for fd, events in ready:
                    reactor._ready(fd, bool(events & readable), bool(events & select.EPOLLOUT))
                rounds += 1
                if ready and rounds < READ_ROUNDS:  # a burst may still be arriving: read it in this pass
                    ready = epoll.poll(0)
                    if ready:
                        continue
                if not can_wait:
                    break
                wait = reactor._gather_budget_s() - (time.perf_counter() - started)
                if wait <= 0:
                    break
                # epoll's own timeout counts whole milliseconds; select's counts microseconds.
                select.select([epoll.fileno()], [], [], wait)
                ready = epoll.poll(0)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        self._epoll.close()


class _NotifierSet:
    """One QSocketNotifier per socket and direction: where there is no epoll (macOS, Windows)."""

    def __init__(self, reactor: Reactor) -> None:
        self._reactor = reactor
        self._notifiers: dict[int, tuple[QSocketNotifier, QSocketNotifier]] = {}

    def register(self, fd: int, read: bool, write: bool) -> None:
        reactor = self._reactor
        reader = QSocketNotifier(fd, QSocketNotifier.Type.Read, reactor)
        writer = QSocketNotifier(fd, QSocketNotifier.Type.Write, reactor)
        reader.activated.connect(lambda: self._on_activated(fd, True))
        writer.activated.connect(lambda: self._on_activated(fd, False))
        self._notifiers[fd] = (reader, writer)
        self.modify(fd, read, write)

    def _on_activated(self, fd: int, readable: bool) -> None:
        with self._reactor._pass():
            self._reactor._ready(fd, readable, not readable)

    def modify(self, fd: int, read: bool, write: bool) -> None:
        reader, writer = self._notifiers[fd]
        reader.setEnabled(read)
        writer.setEnabled(write)

    def unregister(self, fd: int) -> None:
        for notifier in self._notifiers.pop(fd, ()):
            notifier.setEnabled(False)
            notifier.deleteLater()

    def close(self) -> None:
        for fd in list(self._notifiers):
            self.unregister(fd)
