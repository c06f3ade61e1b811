"""How a member's bytes move: a plain non-blocking socket on the reactor, or a QSslSocket for TLS.

A ClientConnection talks to one ``Transport`` and is called back through the
``TransportHandler`` methods (asyncio's names), so the connection layer is the same for
both. Plain TCP is the hot path: no QTcpSocket per member (its buffers and notifiers
cost 7-25 KiB and several system calls per write); a write is one ``send`` straight to
the kernel, and only what the kernel does not take waits here for the socket to drain.

Over 400 lines: the two transports behind one interface (and the plain server that hands them out) read together.
"""

from __future__ import annotations

import errno
import socket
from abc import ABC, abstractmethod
from collections import deque
from typing import Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtNetwork import QAbstractSocket, QSslSocket, QTcpServer

from chat_server.net.reactor import Reactor, TimerHandle
from chat_server.protocol.addresses import unmapped_host

RECV_BYTES = 64 * 1024
"""At most this much is read from one socket per pass; more waits in the kernel for the next pass."""

CLOSE_TIMEOUT_S = 30.0
"""A closing transport whose last output is not read within this long is aborted."""

ACCEPT_BATCH = 64
"""Accepted connections started (given a transport, and by the engine a session) per turn of the event loop, and
none while the reactor is behind: the others wait as bare descriptors, costing the kernel's memory, not ours."""

TLS_READ_BUFFER_BYTES = 128 * 1024
"""While a TLS member's reading is paused, Qt holds at most this much of its input; then TCP pushes back."""

# The peer is gone; a hang-up, not an error worth reporting (Qt's RemoteHostClosedError).
_HANG_UPS = {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED, errno.ENOTCONN}

class TransportHandler(Protocol):
    """What a transport calls on its owner."""

    def data_received(self, data: bytes) -> None:
        """Bytes arrived (only while reading is enabled, or when the connection is ending)."""

    def eof_received(self) -> None:
        """The peer will send nothing more; replies can still be written, then the owner closes."""

    def connection_lost(self, error: str) -> None:
        """The connection is gone (after ``close``, ``abort`` or a failure): ``error`` is "" unless it failed."""


class Transport(ABC):
    """One accepted connection's byte stream, whatever carries it."""

    __slots__ = ()
    peer_host: str
    peer_port: int

    @abstractmethod
    def attach(self, handler: TransportHandler) -> None:
        """Deliver to ``handler`` from now on, and start reading."""

    @abstractmethod
    def set_reading(self, enabled: bool) -> None:
        """Read the socket or leave its input in the kernel, so that TCP slows the sender down."""

    @abstractmethod
    def write(self, data: bytes) -> None:
        """Send ``data`` after everything written before; what the kernel does not take now is kept."""

    def write_if_drained(self, data: bytes) -> bool:
        """``write`` if nothing written before still waits for the kernel (True), else nothing (False): the
        fan-out's short way asks this once per member instead of ``write_buffer_size`` and then ``write``."""
        if self.write_buffer_size:
            return False
        self.write(data)
        return True

    @property
    @abstractmethod
    def write_buffer_size(self) -> int:
        """Bytes written and not yet taken by the kernel."""

    @property
    @abstractmethod
    def is_open(self) -> bool:
        """Not closed yet: ``write_buffer_size`` is still true (once closed, the unwritten output is dropped)."""

    @abstractmethod
    def close(self) -> None:
        """Close once the output is written (``connection_lost`` follows)."""

    @abstractmethod
    def abort(self) -> None:
        """Close now, dropping unwritten output (``connection_lost`` follows)."""


_OPEN, _CLOSING, _CLOSED = 0, 1, 2


class SocketTransport(Transport):
    """A plain TCP connection on a non-blocking Python socket, watched by the reactor."""

    __slots__ = ("_backlog", "_close_timer", "_fd", "_handler", "_reactor", "_reading", "_sock", "_state",
                 "_watching", "peer_host", "peer_port")

    def __init__(self, sock: socket.socket, reactor: Reactor) -> None:
        sock.setblocking(False)
        try:
            # Chat lines are small and latency matters: without this, Nagle's algorithm meeting the
            # peer's delayed ACK holds some replies back for 40 ms.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            address = sock.getpeername()
            self.peer_host, self.peer_port = unmapped_host(str(address[0])), int(address[1])
        except OSError:  # reset before it was accepted: it reports its end on the first read
            self.peer_host, self.peer_port = "", 0
        self._sock = sock
        self._fd = sock.fileno()
        self._reactor = reactor
        self._handler: TransportHandler | None = None
        self._reading = False
        self._watching = (False, False)  # (read, write) interest the reactor has
        self._backlog = bytearray()  # written, not yet taken by the kernel
        self._state = _OPEN
        self._close_timer: TimerHandle | None = None
        reactor.register(self._fd, self, False, False)

    def attach(self, handler: TransportHandler) -> None:
        self._handler = handler
        self.set_reading(True)

    def set_reading(self, enabled: bool) -> None:
        self._reading = enabled
        self._watch()

    def _watch(self) -> None:
        wanted = (self._reading and self._handler is not None and self._state == _OPEN, bool(self._backlog))
        if wanted != self._watching and self._state != _CLOSED:
            self._watching = wanted
            self._reactor.modify(self._fd, *wanted)

    def write(self, data: bytes) -> None:
        if self._backlog:
            if self._state == _OPEN:
                self._backlog += data
            return
        self.write_if_drained(data)

    def write_if_drained(self, data: bytes) -> bool:
        if self._backlog:
            return False
        if self._state != _OPEN or not data:
            return True  # dropped, as ``write`` drops it: a closing transport takes nothing more
        try:
            sent = self._sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError as exc:
            self._lose(exc)
            return True
        if sent < len(data):
            self._backlog += memoryview(data)[sent:]
            self._watch()
        return True

    @property
    def write_buffer_size(self) -> int:
        return len(self._backlog)

    @property
    def is_open(self) -> bool:
        return self._state != _CLOSED

    def on_readable(self) -> None:
        # A peer that has finished sending is read to its end now: what it sent is handled in this pass, and it
        # is known to be gone before anything else is written to it (a storm of connections that send and close
        # never becomes a crowd of members that the server keeps writing to).
        to_the_end = self._reactor.peer_finished
        while self._state != _CLOSED:  # (a handler may have closed it, or taken its socket away: ``detach``)
            try:
                data = self._sock.recv(RECV_BYTES)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                self._lose(exc)
                return
            handler = self._handler
            if self._state != _OPEN or handler is None:
                if not data:  # closing and the peer has finished too: nothing will read the rest
                    self._lose(None)
                return
            if not data:
                self._reading = False
                self._watch()
                handler.eof_received()
                return
            self._reactor.bytes_read += len(data)
            handler.data_received(data)
            if not to_the_end:
                return

    def on_writable(self) -> None:
        backlog = self._backlog
        if backlog:
            try:
                sent = self._sock.send(backlog)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                self._lose(exc)
                return
            del backlog[:sent]
        if not backlog:
            self._backlog = bytearray()  # a drained buffer gives its memory back
            if self._state == _CLOSING:
                self._finish(None)
                return
        self._watch()

    def close(self) -> None:
        if self._state != _OPEN:
            return
        self._state = _CLOSING
        if not self._backlog:
            self._finish(None)
            return
        self._watch()
        self._close_timer = self._reactor.call_later(CLOSE_TIMEOUT_S, self.abort)

    def abort(self) -> None:
        if self._state != _CLOSED:
            self._finish(None)

    def detach(self) -> tuple[socket.socket, bytes]:
        """Give the socket away (a file transfer's thread takes it, chat_server/net/transfers.py): off the reactor,
        the handler never told; with the output not yet written, for the new owner to send first."""
        self._state = _CLOSED
        unsent, self._backlog = bytes(self._backlog), bytearray()
        if self._close_timer is not None:
            self._close_timer.cancel()
            self._close_timer = None
        self._reactor.unregister(self._fd)
        self._handler = None
        return self._sock, unsent

    def _lose(self, exc: OSError | None) -> None:
        error = "" if exc is None or exc.errno in _HANG_UPS else (exc.strerror or str(exc))
        self._finish(error)

    def _finish(self, error: str | None) -> None:
        """Close the socket and tell the handler, after the current pass (it may be mid-call into us)."""
        if self._state == _CLOSED:
            return
        self._state = _CLOSED
        self._backlog = bytearray()
        if self._close_timer is not None:
            self._close_timer.cancel()
            self._close_timer = None
        self._reactor.unregister(self._fd)
        self._sock.close()
        handler, self._handler = self._handler, None
        if handler is not None:
            self._reactor.call_soon(handler.connection_lost, error or "")


class SslTransport(Transport):
    """A TLS connection: a QSslSocket (after its handshake), with Qt's buffering and notifiers."""

    def __init__(self, sock: QSslSocket, reactor: Reactor) -> None:
        # Accepted sockets are the server's children; the server is replaced when TLS is switched at a
        # restart, possibly while this member's goodbye is still going out, so the engine's reactor keeps it.
        sock.setParent(reactor)
        self._socket = sock
        self._reactor = reactor
        self.peer_host = unmapped_host(sock.peerAddress().toString())
        self.peer_port = sock.peerPort()
        self._handler: TransportHandler | None = None
        self._reading = False
        self._gone = False  # disconnected: the QSslSocket is being deleted
        self._error = ""
        self._close_timer: TimerHandle | None = None
        sock.setSocketOption(QAbstractSocket.SocketOption.LowDelayOption, 1)
        # When Qt holds this much unread input it stops reading the socket, and TCP pushes back.
        sock.setReadBufferSize(TLS_READ_BUFFER_BYTES)
        sock.readyRead.connect(self._on_socket_ready_read)
        sock.disconnected.connect(self._on_socket_disconnected)
        sock.errorOccurred.connect(self._on_socket_error_occurred)

    def attach(self, handler: TransportHandler) -> None:
        self._handler = handler
        self.set_reading(True)

    @property
    def socket(self) -> QSslSocket:
        """The QSslSocket (a file transfer watches how much of what it wrote has gone out)."""
        return self._socket

    def set_reading(self, enabled: bool) -> None:
        self._reading = enabled
        if enabled and not self._gone and self._socket.bytesAvailable():
            self._reactor.call_soon(self._on_socket_ready_read)  # what arrived while paused

    def write(self, data: bytes) -> None:
        if not self._gone and self._socket.state() == QAbstractSocket.SocketState.ConnectedState:
            self._socket.write(data)

    @property
    def write_buffer_size(self) -> int:
        return 0 if self._gone else self._socket.bytesToWrite()

    @property
    def is_open(self) -> bool:
        return not self._gone

    def close(self) -> None:
        if not self._gone and self._socket.state() != QAbstractSocket.SocketState.UnconnectedState:
            self._socket.disconnectFromHost()
            if not self._gone and self._close_timer is None:  # its output waits for a reader that may never read
                self._close_timer = self._reactor.call_later(CLOSE_TIMEOUT_S, self.abort)

    def abort(self) -> None:
        if not self._gone and self._socket.state() != QAbstractSocket.SocketState.UnconnectedState:
            self._socket.abort()

    def _on_socket_ready_read(self) -> None:
        if self._handler is None or not self._reading or self._gone or not self._socket.isOpen():
            return
        data = bytes(self._socket.readAll().data())
        if data:
            self._handler.data_received(data)

    def _on_socket_error_occurred(self, error: QAbstractSocket.SocketError) -> None:
        if error != QAbstractSocket.SocketError.RemoteHostClosedError:
            self._error = self._socket.errorString()

    def _on_socket_disconnected(self) -> None:
        if self._gone:
            return
        self._gone = True
        if self._close_timer is not None:
            self._close_timer.cancel()
            self._close_timer = None
        handler, self._handler = self._handler, None
        # What a client sent just before it hung up still counts, paused or not: nothing more can come.
        rest = bytes(self._socket.readAll().data()) if self._socket.isOpen() else b""
        self._socket.deleteLater()
        if handler is not None:
            self._reactor.call_soon(self._report_lost, handler, rest, self._error)

    @staticmethod
    def _report_lost(handler: TransportHandler, rest: bytes, error: str) -> None:
        if rest:
            handler.data_received(rest)
        handler.connection_lost(error)


class PlainTcpServer(QTcpServer):
    """A QTcpServer that hands out SocketTransports instead of QTcpSockets (``next_transport``).

    Qt accepts every connection the kernel has queued at once (up to the listen backlog); they are started
    ``ACCEPT_BATCH`` a turn, so that a storm of connections never becomes a thousand sessions in one go.
    """

    def __init__(self, reactor: Reactor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reactor = reactor
        self._waiting: deque[int] = deque()  # accepted descriptors not started yet
        self._started = 0  # in this turn of the event loop
        self._turn_timer = QTimer(self)
        self._turn_timer.setSingleShot(True)
        self._turn_timer.setInterval(0)
        self._turn_timer.timeout.connect(self._on_turn_timer_timeout)

    def incomingConnection(self, handle: int) -> None:
        self._waiting.append(handle)
        self.pendingConnectionAvailable.emit()

    def next_transport(self) -> Transport | None:
        if not self._waiting:
            return None
        if self._reactor.behind:
            return None  # offered again once it has caught up (``offer_waiting``)
        if not self._turn_timer.isActive():
            self._turn_timer.start()  # the count starts again next turn
        if self._started >= ACCEPT_BATCH:
            return None
        self._started += 1
        return SocketTransport(socket.socket(fileno=self._waiting.popleft()), self._reactor)

    def offer_waiting(self) -> None:
        """Tell the engine (again) that accepted connections wait to be started."""
        if self._waiting:
            self.pendingConnectionAvailable.emit()

    def _on_turn_timer_timeout(self) -> None:
        self._started = 0
        self.offer_waiting()

    def close(self) -> None:
        """Stop listening; connections accepted and not started are closed."""
        super().close()
        self._turn_timer.stop()
        while self._waiting:
            socket.socket(fileno=self._waiting.popleft()).close()
