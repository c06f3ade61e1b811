"""One client's socket on the server: bytes in through the decoder, messages out in its framing."""

from __future__ import annotations

import math
import time
from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket

from chat_server.limits import TokenBucket
from chat_server.protocol import EndReason, Event, Framing, Message, ServerDecoder, encode
from chat_server.sessions import Session
from chat_server.settings import ServerSettings

if TYPE_CHECKING:
    from chat_server.roster import WriteScheduler

BACKED_UP_BYTES = 64 * 1024
"""Unsent output beyond what the kernel took; a member that reads leaves next to nothing there."""

# Whether a connection's queued output is on the write scheduler's list, and which.
_NOT_SCHEDULED, _LAZY, _URGENT = 0, 1, 2


class ClientConnection(QObject):
    """Wraps one accepted QTcpSocket; the engine decides what its messages mean.

    Signals carry batches: everything decoded from one read arrives as one list, so a
    burst costs one signal, not one per message.
    """

    events_received = Signal(object)  # list[Message | DecodeError]
    join_due = Signal()  # the grace period after accept ended without a first line
    throttled = Signal()  # over its message rate: reading paused until the rate allows more
    overflowed = Signal()  # its unread output passed the cap: it does not read fast enough
    closed = Signal()  # the socket is gone, whoever closed it

    def __init__(self, socket: QTcpSocket, session: Session, settings: ServerSettings,
                 writes: WriteScheduler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.socket = socket
        socket.setParent(self)
        # Chat lines are small and latency matters: without this, Nagle's algorithm meeting the
        # peer's delayed ACK holds some replies back for 40 ms.
        socket.setSocketOption(QAbstractSocket.SocketOption.LowDelayOption, 1)
        self._writes = writes
        self._out: list[bytes] = []  # queued this event-loop pass, written once by ``flush``
        self._scheduled = _NOT_SCHEDULED
        self.writable = True  # the socket is connected and not closing: kept as a bool, it is asked per message
        self.session = session
        self.decoder = ServerDecoder(settings.max_line_bytes)
        # Admission on a server with a password: until it is given the connection has no name and hears nothing.
        self.awaiting_password = False
        self.awaiting_since: float | None = None  # monotonic; the watchdog closes it if no attempt comes in time
        self.after_auth: list[Event] | None = None  # while a (delayed) password check waits: what came after it
        self.reading_held = False  # the engine asked not to read more for now
        self.announced = False  # the other members were told this member joined
        self.listed_framing = Framing.TEXT  # the framing the roster encodes its broadcasts in
        self.hello_done = False
        self.client_id: str | None = None  # from the hello: recognises resends across reconnects
        self.resume_from: int | None = None  # from the hello: the last sequence number it saw
        self.ending: EndReason | None = None  # set when the server ends the session itself
        self.error_text = ""
        self._closed = False
        self._held: list[Message] = []  # broadcasts that arrived before the announcement
        # Watched by the engine (monotonic times): silence, unfinished lines, pings.
        self.heard_at = self.pinged_at = time.monotonic()
        self.partial_since: float | None = None
        # Flood control: decoded messages over the rate wait here, and the socket is not read meanwhile.
        self._limiter = TokenBucket(settings.rate_per_s, settings.rate_burst, self.heard_at) \
            if settings.rate_per_s > 0 else None
        self._backlog: deque[Event] = deque()
        self.paused = False
        self._resume_timer = QTimer(self)
        self._resume_timer.setSingleShot(True)
        self._resume_timer.timeout.connect(self._on_resume_timer_timeout)
        # When Qt holds this much unread input it stops reading the socket, and TCP pushes back.
        socket.setReadBufferSize(settings.max_line_bytes + 4096)
        # Output cap; replies the member asked for (history, status) are allowed on top until read.
        self._max_output = settings.max_output_bytes
        self._requested = 0

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(settings.text_flush_ms)
        self._flush_timer.timeout.connect(self._on_flush_timer_timeout)
        self._join_timer = QTimer(self)
        self._join_timer.setSingleShot(True)
        self._join_timer.setInterval(settings.join_grace_ms)
        self._join_timer.timeout.connect(self.join_due)

        socket.readyRead.connect(self._on_socket_ready_read)
        socket.disconnected.connect(self._on_socket_disconnected)
        socket.errorOccurred.connect(self._on_socket_error_occurred)

    def start(self) -> None:
        """Begin the grace period and read anything that arrived before we were ready."""
        self._join_timer.start()
        if self.socket.bytesAvailable():
            self._on_socket_ready_read()

    @property
    def name(self) -> str:
        return self.session.name

    @property
    def framing(self) -> Framing:
        return self.decoder.framing

    @property
    def output_framing(self) -> Framing:
        """Undecided connections are read as text: netcat users who have not typed yet."""
        return Framing.JSON if self.decoder.framing is Framing.JSON else Framing.TEXT

    def send(self, message: Message) -> None:
        self.send_bytes(encode(message, self.output_framing))

    def send_requested(self, message: Message) -> None:
        """A reply the member asked for (its history, a status report): not counted against the output cap."""
        data = encode(message, self.output_framing)
        self._requested += len(data)
        self.send_bytes(data)

    def send_bytes(self, data: bytes, urgent: bool = True) -> None:
        """Queue ``data``, to be written with everything queued in this event-loop pass (or soon, if not urgent)."""
        if data and self.writable:
            self._out.append(data)
            if self._scheduled != _URGENT and (urgent or self._scheduled == _NOT_SCHEDULED):
                self._scheduled = _URGENT if urgent else _LAZY
                self._writes.schedule(self, urgent)

    def flush(self) -> None:
        """Write what was queued, in one call; over the output cap, drop it and report ``overflowed``."""
        self._scheduled = _NOT_SCHEDULED
        if self._out:
            data = self._out[0] if len(self._out) == 1 else b"".join(self._out)
            self._out = []
            if self.writable:
                if self._max_output and self._over_cap():
                    self.writable = False
                    self.overflowed.emit()
                    return
                self.socket.write(data)

    def _over_cap(self) -> bool:
        # What earlier passes wrote and the kernel has not taken: the member is not reading it.
        unread = self.socket.bytesToWrite()
        # Requested replies still count as allowance only as far as they are still unread.
        self._requested = min(self._requested, unread)
        return unread - self._requested > self._max_output

    @property
    def bytes_queued(self) -> int:
        """Output not yet taken by the kernel: queued here plus Qt's write buffer."""
        return sum(map(len, self._out)) + self.socket.bytesToWrite()

    @property
    def backed_up(self) -> bool:
        """Far behind in reading: more is waiting in Qt's buffer than a reading member would leave there."""
        return self.socket.bytesToWrite() > BACKED_UP_BYTES

    def hold(self, message: Message) -> None:
        """Keep a broadcast for later: the member has not been announced yet."""
        self._held.append(message)

    def take_held(self) -> list[Message]:
        held, self._held = self._held, []
        return held

    def hold_reading(self) -> None:
        """Leave further input unread (in Qt's bounded buffer, then in TCP's) until ``release_reading``."""
        self.reading_held = True

    def release_reading(self) -> None:
        """Read again, starting with whatever arrived while reading was held."""
        self.reading_held = False
        if not self._closed and not self.paused and self.socket.bytesAvailable():
            self._on_socket_ready_read()

    def send_line(self, text: str) -> None:
        """A plain-text line, whatever the framing (the greeting and the refusals)."""
        self.send_bytes((text + "\n").encode("utf-8"))

    def close(self) -> None:
        """Close after everything written so far has gone out."""
        self._join_timer.stop()
        self._flush_timer.stop()
        self._resume_timer.stop()
        self.flush()
        self.writable = False
        if not self._closed:
            self.socket.disconnectFromHost()

    def abort(self) -> None:
        self._out = []
        self.writable = False
        if not self._closed:
            self.socket.abort()

    @Slot()
    def _on_socket_ready_read(self) -> None:
        if not self.socket.isOpen() or self.paused or self.reading_held:
            return  # paused or held: what it sends waits in Qt's bounded buffer and then in TCP's
        data = bytes(self.socket.readAll().data())
        if not data or self.ending is not None:
            return
        now = self.heard_at = time.monotonic()
        events = self.decoder.feed(data)
        if not self.decoder.has_partial:
            self.partial_since = None
        elif self.partial_since is None or b"\n" in data:
            self.partial_since = now  # the unfinished line began in this read
        if self.decoder.flushable:
            self._flush_timer.start()
        else:
            self._flush_timer.stop()
        if events:
            self._deliver(events)

    @Slot()
    def _on_flush_timer_timeout(self) -> None:
        events = self.decoder.flush()
        if not self.decoder.has_partial:
            self.partial_since = None
        if events and self.ending is None:
            self._deliver(events)

    def _deliver(self, events: list[Event]) -> None:
        """Hand decoded messages to the engine, as many as the rate allows; pause reading for the rest."""
        self._join_timer.stop()
        if self._limiter is None and not self._backlog:
            self.events_received.emit(events)
            return
        self._backlog.extend(events)
        self._drain()

    def _drain(self) -> None:
        backlog = self._backlog
        count = len(backlog) if self._limiter is None else self._limiter.take(len(backlog), time.monotonic())
        if count:
            batch = [backlog.popleft() for _ in range(count)]
            self.events_received.emit(batch)
        if self.ending is not None or self._closed:
            backlog.clear()
        if backlog and self._limiter is not None:
            if not self.paused:
                self.paused = True
                self.throttled.emit()
            self._resume_timer.start(max(1, math.ceil(self._limiter.wait_s(time.monotonic()) * 1000)))
        elif self.paused:
            self.paused = False
            self.heard_at = time.monotonic()  # its silence while paused was ours
            if self.socket.bytesAvailable():
                self._on_socket_ready_read()

    @Slot()
    def _on_resume_timer_timeout(self) -> None:
        self._drain()

    @Slot(QAbstractSocket.SocketError)
    def _on_socket_error_occurred(self, error: QAbstractSocket.SocketError) -> None:
        self.writable = False  # a connected TCP socket's errors are all fatal; ``disconnected`` follows
        if error != QAbstractSocket.SocketError.RemoteHostClosedError:
            self.error_text = self.socket.errorString()

    @Slot()
    def _on_socket_disconnected(self) -> None:
        if self._closed:
            return
        # What a client sent just before it hung up (``printf hi | nc``, the rest of a flood) still counts:
        # the rate no longer matters, since nothing more can come.
        if self.ending is None:
            self._limiter = None
            self._resume_timer.stop()
            self.paused = self.reading_held = False
            self._on_socket_ready_read()
            self._on_flush_timer_timeout()
            if self._backlog:
                self._drain()
        self._closed = True
        self.writable = False
        self._out = []
        self._join_timer.stop()
        self._flush_timer.stop()
        self.closed.emit()
