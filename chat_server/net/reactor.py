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

PASS_READ_BYTES = 1024 * 1024
"""A pass stops reading once this much arrived (``Reactor.bytes_read``): what it read is committed and answered,
and the sockets still ready are read first in the next pass. So what one pass holds in memory (its batch, the
relays it queues for every member) is bounded however many sockets are ready at once."""

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
        self.bytes_read = 0  # in the current pass: the transports add what they read
        # While a handler's ``on_readable`` runs: the peer has finished sending (epoll's EPOLLRDHUP), so the
        # handler may read to the end at once and learn it is gone before anything is sent to it again.
        self.peer_finished = False
        self.behind = False  # the last pass stopped at its read budget with sockets still to read
        self._behind_changed: Callable[[bool], None] = lambda behind: None
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

    def set_behind_listener(self, changed: Callable[[bool], None]) -> None:
        """``changed(behind)`` is called when passes start or stop leaving ready sockets for the next pass
        (the listener stops accepting meanwhile: new connections wait in the kernel, not in our memory)."""
        self._behind_changed = changed

    def _note_behind(self, behind: bool) -> None:
        if behind != self.behind:
            self.behind = behind
            self._behind_changed(behind)

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

    def _ready(self, fd: int, readable: bool, writable: bool, finished: bool = False) -> None:
        handler = self._handlers.get(fd)
        try:
            if handler is not None and readable:
                self.peer_finished = finished
                handler.on_readable()
                handler = self._handlers.get(fd)  # it may have closed while reading
            if handler is not None and writable:
                handler.on_writable()
        except Exception:  # one socket's bug must not cost the pass: the others are read and the batch committed
            log.exception("unexpected error on socket %d", fd)
        finally:
            self.peer_finished = False

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
        self._carried: list[tuple[int, int]] = []  # ready sockets a pass over its read budget left for the next
        # The next pass comes at once even if the carried sockets are closed meanwhile (nothing else ready).
        self._carry_timer = QTimer(reactor)
        self._carry_timer.setSingleShot(True)
        self._carry_timer.setInterval(0)
        self._carry_timer.timeout.connect(self._on_notifier_activated)

    @staticmethod
    def _mask(read: bool, write: bool) -> int:
        return (select.EPOLLIN | select.EPOLLRDHUP if read else 0) | (select.EPOLLOUT if write else 0)

    def register(self, fd: int, read: bool, write: bool) -> None:
        self._epoll.register(fd, self._mask(read, write))

    def modify(self, fd: int, read: bool, write: bool) -> None:
        self._epoll.modify(fd, self._mask(read, write))

    def unregister(self, fd: int) -> None:
        with contextlib.suppress(OSError):  # already closed
            self._epoll.unregister(fd)

    def _on_notifier_activated(self) -> None:
        reactor = self._reactor
        with reactor._pass():
            try:
                self._read_pass(reactor)
            finally:
                reactor._note_behind(bool(self._carried))
                if self._carried:
                    self._carry_timer.start()

    def _read_pass(self, reactor: Reactor) -> None:
        """Read what is ready (what the last pass left first) within the read budget; then, if the engine asks,
        wait a moment for more."""
        readable = select.EPOLLIN | select.EPOLLERR | select.EPOLLHUP  # errors and hang-ups whatever the interest
        epoll = self._epoll
        can_wait = epoll.fileno() < _SELECT_LIMIT
        reactor.bytes_read = 0
        ready = epoll.poll(0)
        if self._carried:  # the ones the last pass did not reach go first
            carried, self._carried = self._carried, []
            seen = {fd for fd, _ in carried}
            ready = carried + [entry for entry in ready if entry[0] not in seen]
        started = time.perf_counter()
        rounds = 0
        while True:
            for index, (fd, events) in enumerate(ready):
                reactor._ready(fd, bool(events & readable), bool(events & select.EPOLLOUT),
                               bool(events & select.EPOLLRDHUP))
                if reactor.bytes_read >= PASS_READ_BYTES:
                    self._carried = ready[index + 1:]
                    return
            rounds += 1
            if ready and rounds < READ_ROUNDS:  # a burst may still be arriving: read it in this pass
                ready = epoll.poll(0)
                if ready:
                    continue
            if not can_wait:
                return
            wait = reactor._gather_budget_s() - (time.perf_counter() - started)
            if wait <= 0:
                return
            # epoll's own timeout counts whole milliseconds; select's counts microseconds.
            select.select([epoll.fileno()], [], [], wait)
            ready = epoll.poll(0)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        self._carry_timer.stop()
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
