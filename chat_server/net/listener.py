"""Where the server listens: one port, plain TCP or TLS, and the accepted connections handed out as transports."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QHostAddress

from chat_server.net.listen_failure import ListenFailure, ListenProblem, socket_problem
from chat_server.net.reactor import Reactor
from chat_server.net.tls import TlsError, ensure_certificate, note_old_pair, server_configuration
from chat_server.net.tls_server import TlsServer
from chat_server.net.transport import PlainTcpServer, Transport
from chat_server.protocol.addresses import host_port
from chat_server.settings import ServerSettings

log = logging.getLogger(__name__)

LISTEN_BACKLOG = 1024
"""Connections the kernel may complete before the server accepts them (capped by net.core.somaxconn)."""

_SPECIAL_HOSTS = {
    "localhost": QHostAddress.SpecialAddress.LocalHost,
    "any": QHostAddress.SpecialAddress.Any,
    "": QHostAddress.SpecialAddress.Any,
    "*": QHostAddress.SpecialAddress.Any,
}


def host_address(host: str) -> QHostAddress | None:
    """The address to listen on for ``host`` (an IP, 'localhost' or 'any'), or None if invalid."""
    special = _SPECIAL_HOSTS.get(host.strip().lower())
    if special is not None:
        return QHostAddress(special)
    address = QHostAddress()
    return address if address.setAddress(host.strip()) else None


class Listener(QObject):
    """A QTcpServer for plain TCP or a QSslServer for TLS, switched between them while not listening.

    TLS uses the certificate and key the settings name, or a self-signed pair made on first use
    in ``settings.tls_folder``; ``fingerprint`` is its SHA-256 while TLS is on.
    """

    listening_changed = Signal(bool)
    listen_failed = Signal(object)  # ListenFailure: its kind, the address, the system's message
    connection_ready = Signal()  # ``next_transport`` has connections waiting (TLS ones after their handshake)
    handshake_failed = Signal(str, str)  # address, reason
    plain_client_refused = Signal(str, int)  # host, port: no TLS handshake on the TLS port, told so in plain text

    def __init__(self, reactor: Reactor, settings: ServerSettings, parent: QObject | None = None) -> None:
        """Raises TlsError if the settings ask for TLS with a certificate that cannot be made or used."""
        super().__init__(parent)
        self._reactor = reactor
        self._settings = settings
        self.fingerprint = ""
        # While the reactor cannot read everything that arrives in a pass, new connections wait in the kernel's
        # queue (it holds LISTEN_BACKLOG) instead of being accepted only to wait in our memory.
        reactor.set_behind_listener(self._on_reactor_behind)
        self._server = self._make_server(settings.wants_tls)

    @property
    def tls(self) -> bool:
        return bool(self.fingerprint)

    @property
    def is_listening(self) -> bool:
        return self._server.isListening()

    @property
    def port(self) -> int:
        """The port really listened on (what port 0 turned into)."""
        return self._server.serverPort()

    @property
    def host(self) -> str:
        return self._server.serverAddress().toString()

    def listen(self, host: str, port: int, tls: bool | None = None) -> bool:
        """Listen on ``host``:``port``, with TLS or without (None: as before); on failure emit ``listen_failed``."""
        if self._server.isListening():
            self._server.close()
        address = host_address(host)
        if address is None:
            return self._fail(ListenFailure(ListenProblem.NOT_AN_ADDRESS, host, port))
        if tls is not None and tls != self.tls:
            try:
                server = self._make_server(tls)
            except TlsError as exc:
                return self._fail(ListenFailure(ListenProblem.TLS_UNUSABLE, host, port, str(exc)))
            self._server.deleteLater()
            self._server = server
        if not self._server.listen(address, port):
            return self._fail(ListenFailure(socket_problem(self._server.serverError()), host, port,
                                            self._server.errorString()))
        log.info("listening on %s", host_port(self.host, self.port))
        self.listening_changed.emit(True)
        return True

    def close(self) -> None:
        """Stop accepting (members already in are the engine's business)."""
        if self._server.isListening():
            self._server.close()
            log.info("stopped listening")
            self.listening_changed.emit(False)

    def next_transport(self) -> Transport | None:
        return self._server.next_transport()

    def _on_reactor_behind(self, behind: bool) -> None:
        if behind:
            self._server.pauseAccepting()
        else:
            self._server.resumeAccepting()
            if isinstance(self._server, PlainTcpServer):
                self._server.offer_waiting()

    def _make_server(self, tls: bool) -> PlainTcpServer | TlsServer:
        """A plain or a TLS server; sets ``fingerprint`` (raises TlsError, and then nothing changes)."""
        server: PlainTcpServer | TlsServer
        if tls:
            config, fingerprint = server_configuration(*self._certificate_files())
            ssl_server = TlsServer(self._reactor, self)
            ssl_server.setSslConfiguration(config)
            ssl_server.handshake_failed.connect(self._on_server_handshake_failed)
            ssl_server.plain_client_refused.connect(self.plain_client_refused)
            server = ssl_server
        else:
            fingerprint = ""
            server = PlainTcpServer(self._reactor, self)
        self.fingerprint = fingerprint
        # Qt's default queue of 50 unaccepted connections makes a storm's extra SYNs wait a second each.
        server.setListenBacklogSize(LISTEN_BACKLOG)
        # Emitted once a connection is ready to use (``next_transport``): for TLS, after its handshake.
        server.pendingConnectionAvailable.connect(self.connection_ready)
        return server

    def _certificate_files(self) -> tuple[Path, Path]:
        settings = self._settings
        if settings.tls_cert:
            return Path(settings.tls_cert), Path(settings.tls_key)
        if not settings.tls_folder:
            raise TlsError("TLS needs a certificate and key (--cert, --key), or a folder to make one in.")
        if settings.db_path != ":memory:":
            note_old_pair(Path(settings.db_path), Path(settings.tls_folder))
        return ensure_certificate(Path(settings.tls_folder))

    def _fail(self, failure: ListenFailure) -> bool:
        log.error("%s", failure.english)
        self.listen_failed.emit(failure)
        return False

    @Slot(str, str, bool)
    def _on_server_handshake_failed(self, address: str, reason: str, by_client: bool) -> None:
        if by_client:
            # Nothing wrong here: our client closes while its user decides whether to trust a new certificate.
            log.info("TLS handshake with %s ended: the client closed the connection", address)
        else:
            log.warning("TLS handshake with %s failed: %s", address, reason)
        self.handshake_failed.emit(address, f"no TLS handshake ({reason})")
