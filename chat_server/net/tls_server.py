"""Accepting TLS: every connection's handshake on its own, with a short deadline, none of them holding up the others.

Qt's QSslServer counts connections still in their handshake against its pending-connection
limit (30) and stops accepting while that is full, each stalled handshake holding its place
for 5 s: 40 silent connections delayed every new TLS member by seconds, 150 by 20 s and more.
Here an accepted connection is first watched until its first byte (chat_server/net/tls_sniff.py:
a plain client is told to use TLS); a TLS client's handshake then starts at once, whatever the
others do. One not done within ``HANDSHAKE_TIMEOUT_S`` is aborted, and when ``MAX_HANDSHAKES``
are under way the oldest gives way to the newcomer (an honest handshake takes milliseconds, so
the oldest is the one least likely to finish).
"""

from __future__ import annotations

from collections import OrderedDict, deque

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QSslConfiguration, QSslSocket, QTcpServer

from chat_server.net.reactor import Reactor, TimerHandle
from chat_server.net.tls_sniff import FirstByteSniffer
from chat_server.net.transport import SslTransport, Transport
from chat_server.protocol.addresses import host_port, unmapped_host
from chat_server.protocol.textmode import not_tls_line

HANDSHAKE_TIMEOUT_S = 3.0
"""A TLS handshake not finished this long after its first byte arrived is aborted."""

MAX_HANDSHAKES = 256
"""TLS handshakes under way at once; one more makes the oldest give way."""


class _Handshake:
    """One accepted socket until its handshake is done, failed or given up."""

    __slots__ = ("__weakref__", "address", "server", "socket", "timer")  # PySide6 holds slots weakly

    def __init__(self, server: TlsServer, sock: QSslSocket, timer: TimerHandle) -> None:
        self.server = server
        self.socket = sock
        self.timer = timer
        self.address = host_port(unmapped_host(sock.peerAddress().toString()), sock.peerPort())
        sock.encrypted.connect(self.on_encrypted)
        sock.errorOccurred.connect(self.on_error_occurred)
        sock.disconnected.connect(self.on_disconnected)

    def on_encrypted(self) -> None:
        self.server._finished(self, "")

    def on_error_occurred(self, error: QAbstractSocket.SocketError) -> None:
        self.server._finished(self, self.socket.errorString(),
                              by_client=error == QAbstractSocket.SocketError.RemoteHostClosedError)

    def on_disconnected(self) -> None:
        self.server._finished(self, "the client closed the connection", by_client=True)

    def on_timeout(self) -> None:
        self.server._finished(self, f"not finished within {HANDSHAKE_TIMEOUT_S:g} s")

    def release(self) -> None:
        """Stop listening to the socket (it becomes a member's transport, or is dropped)."""
        self.timer.cancel()
        sock = self.socket
        sock.encrypted.disconnect(self.on_encrypted)
        sock.errorOccurred.disconnect(self.on_error_occurred)
        sock.disconnected.disconnect(self.on_disconnected)


class TlsServer(QTcpServer):
    """Accepts TCP connections and hands them out (``next_transport``) as SslTransports once their handshake is done.

    A connection whose first byte is not a TLS handshake is answered with one plain line and closed
    (chat_server/net/tls_sniff.py) instead: ``plain_client_refused`` tells who it was.
    """

    handshake_failed = Signal(str, str, bool)  # address, reason, whether the client itself ended it
    plain_client_refused = Signal(str, int)  # host, port

    def __init__(self, reactor: Reactor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reactor = reactor
        self._config = QSslConfiguration.defaultConfiguration()
        self._handshakes: OrderedDict[int, _Handshake] = OrderedDict()  # in order of acceptance
        self._ready: deque[Transport] = deque()

    def setSslConfiguration(self, config: QSslConfiguration) -> None:
        self._config = config

    @property
    def handshakes(self) -> int:
        """Handshakes under way."""
        return len(self._handshakes)

    def incomingConnection(self, handle: int) -> None:
        FirstByteSniffer(handle, self._reactor, self._start_tls, self.plain_client_refused.emit, not_tls_line)

    def _start_tls(self, handle: int) -> None:
        """A TLS client (its first byte says so): its handshake starts now, with its own deadline."""
        sock = QSslSocket(self)
        if not sock.setSocketDescriptor(handle):
            sock.deleteLater()
            return
        sock.setSslConfiguration(self._config)
        while len(self._handshakes) >= MAX_HANDSHAKES:
            _, oldest = next(iter(self._handshakes.items()))
            self._finished(oldest, f"given up for a newer one ({MAX_HANDSHAKES} handshakes under way)")
        timer = self._reactor.call_later(HANDSHAKE_TIMEOUT_S, self._on_timeout, id(sock))
        self._handshakes[id(sock)] = _Handshake(self, sock, timer)
        sock.startServerEncryption()

    def _on_timeout(self, key: int) -> None:
        handshake = self._handshakes.get(key)
        if handshake is not None:
            handshake.on_timeout()

    def _finished(self, handshake: _Handshake, error: str, by_client: bool = False) -> None:
        """The handshake is over: the socket is a member's now (``error`` empty) or it is dropped."""
        if self._handshakes.pop(id(handshake.socket), None) is None:
            return  # already over (a failure reports itself more than once)
        handshake.release()
        sock = handshake.socket
        if not error:
            self._ready.append(SslTransport(sock, self._reactor))
            self.pendingConnectionAvailable.emit()
            return
        sock.abort()
        sock.deleteLater()
        self.handshake_failed.emit(handshake.address, error, by_client)

    def next_transport(self) -> Transport | None:
        return self._ready.popleft() if self._ready else None

    def close(self) -> None:
        """Stop accepting and give up the handshakes under way."""
        super().close()
        for handshake in list(self._handshakes.values()):
            self._finished(handshake, "the server stopped listening")
