"""Why the server could not listen, as a value: the kind of failure, where it tried, and the system's own words.

The listener reports a ``ListenFailure`` (its ``listen_failed`` signal, passed on by the engine); ``english`` is
the sentence the terminal log and the headless server print, and the server window words the kind in its language
(chat_gui/server_window/engine_texts.py), quoting the system's message only for a kind it has no words for.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtNetwork import QAbstractSocket

from chat_server.protocol.addresses import host_port


class ListenProblem(enum.Enum):
    """What kind of failure it was."""

    NOT_AN_ADDRESS = "not_an_address"  # the host is neither an IP address nor 'localhost' or 'any'
    TLS_UNUSABLE = "tls_unusable"  # no certificate could be made or used; ``detail`` says why
    ADDRESS_IN_USE = "address_in_use"  # another program (or server) listens on that port
    NO_PERMISSION = "no_permission"  # the system does not allow it (a port below 1024 without privileges)
    ADDRESS_NOT_AVAILABLE = "address_not_available"  # the address is not one of this machine's
    UNSUPPORTED = "unsupported"  # the system cannot listen so (IPv6 turned off, a link-local address without scope)
    OTHER = "other"  # anything else: only ``detail`` says what


_SOCKET_PROBLEMS = {
    QAbstractSocket.SocketError.AddressInUseError: ListenProblem.ADDRESS_IN_USE,
    QAbstractSocket.SocketError.SocketAccessError: ListenProblem.NO_PERMISSION,
    QAbstractSocket.SocketError.SocketAddressNotAvailableError: ListenProblem.ADDRESS_NOT_AVAILABLE,
    QAbstractSocket.SocketError.UnsupportedSocketOperationError: ListenProblem.UNSUPPORTED,
}


def socket_problem(error: QAbstractSocket.SocketError) -> ListenProblem:
    """The kind of a failed ``QTcpServer.listen`` by its ``serverError()``."""
    return _SOCKET_PROBLEMS.get(error, ListenProblem.OTHER)


@dataclass(frozen=True, slots=True)
class ListenFailure:
    """A failed listen: its ``kind``, the ``host`` and ``port`` asked for, and ``detail``, the system's message
    (Qt's ``errorString()``) or, for ``TLS_UNUSABLE``, why the certificate cannot be used."""

    kind: ListenProblem
    host: str
    port: int
    detail: str = ""

    @property
    def address(self) -> str:
        """``host:port`` as the log writes it (``[::1]:80``)."""
        return host_port(self.host.strip(), self.port)

    @property
    def english(self) -> str:
        """The sentence the terminal log prints (and the headless server's user reads)."""
        if self.kind is ListenProblem.NOT_AN_ADDRESS:
            return f"'{self.host}' is not an IP address (use an address, 'localhost' or 'any')"
        if self.kind is ListenProblem.TLS_UNUSABLE:
            return f"Cannot serve TLS: {self.detail}"
        return f"Cannot listen on {self.address}: {self.detail}"
