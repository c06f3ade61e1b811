"""On the TLS port, the first byte says who connected: a TLS client (a handshake record) or a plain one (netcat).

A TLS client's first record is a handshake (content type 22). Anything else is a plain client
that would otherwise wait for ever on a silent port: it is answered with one plain line saying
how to connect, and closed. The socket is looked at (``MSG_PEEK``: nothing is consumed) on the
server's reactor before Qt's TLS socket is made, so a TLS client loses nothing.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

from chat_server.net.reactor import Reactor, TimerHandle
from chat_server.protocol.addresses import host_port, unmapped_host

log = logging.getLogger(__name__)

TLS_HANDSHAKE = 22
"""The content type of a TLS handshake record: the first byte a TLS client sends."""

SNIFF_TIMEOUT_S = 10.0
"""A connection that sends nothing this long is closed before its TLS handshake even starts."""

REFUSAL_LINGER_S = 2.0
"""After the plain line, what the client still sends is read (and dropped) this long before closing:
closing with unread input would reset the connection and could lose the line before it is read."""

_DRAIN_BYTES = 64 * 1024


class FirstByteSniffer:
    """Watches one accepted socket until its first byte arrives, then hands it on or refuses it.

    ``on_tls(fd)`` gets the descriptor of a TLS client (ownership passes with it);
    ``on_plain(host, port)`` is told of a plain client, which this object answers with
    ``refusal(local_host, local_port)`` and closes.
    """

    def __init__(self, fd: int, reactor: Reactor, on_tls: Callable[[int], None],
                 on_plain: Callable[[str, int], None], refusal: Callable[[str, int], str]) -> None:
        self._sock = socket.socket(fileno=fd)
        self._sock.setblocking(False)
        self._fd = fd
        self._reactor = reactor
        self._on_tls = on_tls
        self._on_plain = on_plain
        self._refusal = refusal
        self._refused = False
        self._timer: TimerHandle | None = reactor.call_later(SNIFF_TIMEOUT_S, self._on_timer_timeout)
        reactor.register(fd, self, True, False)

    def on_readable(self) -> None:
        if self._refused:
            self._drain()
            return
        try:
            first = self._sock.recv(1, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._close()
            return
        if not first:  # gone before it said anything
            self._close()
        elif first[0] == TLS_HANDSHAKE:
            self._stop_watching()
            self._on_tls(self._sock.detach())
        else:
            self._refuse()

    def on_writable(self) -> None:
        """Never watched for: the one line always fits in an empty send buffer."""

    def _refuse(self) -> None:
        self._refused = True
        try:
            peer_host, peer_port = self._sock.getpeername()[:2]
            local_host, local_port = self._sock.getsockname()[:2]
        except OSError:  # reset already
            self._close()
            return
        self._on_plain(unmapped_host(str(peer_host)), int(peer_port))
        try:
            self._sock.send((self._refusal(unmapped_host(str(local_host)), int(local_port)) + "\n")
                            .encode("utf-8"))
            self._sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._close()
            return
        self._restart_timer(REFUSAL_LINGER_S)
        self._drain()

    def _drain(self) -> None:
        """Read and drop what the client sent; close once it has closed its side too."""
        try:
            while True:
                data = self._sock.recv(_DRAIN_BYTES)
                if not data:
                    self._close()
                    return
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._close()

    def _on_timer_timeout(self) -> None:
        self._timer = None
        if not self._refused:
            # Silent all along: a netcat user who has not typed yet, most likely (a TLS client speaks
            # first). The hint costs nothing and tells that user why the connection ends.
            try:
                peer_host, peer_port = self._sock.getpeername()[:2]
                address = host_port(unmapped_host(str(peer_host)), int(peer_port))
                local_host, local_port = self._sock.getsockname()[:2]
                self._sock.send((self._refusal(unmapped_host(str(local_host)), int(local_port)) + "\n")
                                .encode("utf-8"))
            except OSError:
                address = "a client"
            log.info("%s sent nothing in %g s: told it that this port speaks TLS, and closed", address,
                     SNIFF_TIMEOUT_S)
        self._close()

    def _restart_timer(self, delay_s: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._reactor.call_later(delay_s, self._on_timer_timeout)

    def _stop_watching(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._reactor.unregister(self._fd)

    def _close(self) -> None:
        if self._sock.fileno() < 0:
            return
        self._stop_watching()
        self._sock.close()
