"""Peers whose address a dual-stack socket reports as IPv4-mapped IPv6 (``::ffff:127.0.0.1``) are recorded as IPv4.

Qt will not listen on a mapped address ("Unsupported socket operation"), and listening on ``::`` would
listen on every interface, so the test makes the mapped connection itself: a Python socket listening on
``::ffff:127.0.0.1`` (loopback only) accepts a real IPv4 connection, and the accepted descriptor is handed
to the server's listening socket as Qt hands it the ones it accepts (``incomingConnection``).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtNetwork import QTcpServer
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.net.tls import create_self_signed
from tests.conftest import WAIT_MS

MakeServer = Callable[..., ChatServer]
MAPPED_LOOPBACK = "::ffff:127.0.0.1"


@pytest.fixture
def mapped_pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """(client, accepted): a loopback connection whose accepted end sees its peer as ``::ffff:127.0.0.1``."""
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this system")
    listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        listener.bind((MAPPED_LOOPBACK, 0))
    except OSError as error:
        listener.close()
        pytest.skip(f"this system cannot listen on a mapped address: {error}")
    listener.listen(1)
    client = socket.create_connection(("127.0.0.1", listener.getsockname()[1]), timeout=WAIT_MS / 1000)
    accepted, address = listener.accept()
    listener.close()
    assert address[0] == MAPPED_LOOPBACK  # what the server would be told without the normalisation
    yield client, accepted
    client.close()
    accepted.close()


def _hand_to_server(server: ChatServer, accepted: socket.socket) -> None:
    tcp_server = server._listener._server  # the engine's QTcpServer subclass (plain) or TlsServer
    assert isinstance(tcp_server, QTcpServer)
    tcp_server.incomingConnection(accepted.detach())


def test_a_mapped_peer_is_in_the_cache_as_plain_ipv4(make_server: MakeServer, mapped_pair, qtbot: QtBot) -> None:
    server = make_server()
    client, accepted = mapped_pair
    _hand_to_server(server, accepted)
    client.sendall(p.encode(p.Hello(name="Mapped", client_id="id-mapped")))
    qtbot.waitUntil(lambda: server.members() == ["Mapped"], timeout=WAIT_MS)
    [info] = server.cache.snapshot()
    assert (info.host, info.port, info.name, info.state) == ("127.0.0.1", client.getsockname()[1], "Mapped",
                                                            "online")
    assert info.address == f"127.0.0.1:{client.getsockname()[1]}"


def test_a_mapped_plain_client_on_the_tls_port_is_told_and_recorded_as_ipv4(
        make_server: MakeServer, mapped_pair, qtbot: QtBot, tmp_path) -> None:
    create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = make_server(tls_cert=str(tmp_path / "cert.pem"), tls_key=str(tmp_path / "key.pem"))
    client, accepted = mapped_pair
    local_port = accepted.getsockname()[1]
    refused: list[tuple[str, str]] = []
    server.connection_refused.connect(lambda address, reason: refused.append((address, reason)))
    _hand_to_server(server, accepted)
    client.sendall(b"hello?\n")
    client.setblocking(False)
    received = bytearray()

    def line_read() -> None:
        with contextlib.suppress(BlockingIOError):
            received.extend(client.recv(4096))
        assert received.endswith(b"\n")

    qtbot.waitUntil(line_read, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(refused) == 1, timeout=WAIT_MS)
    assert received.decode("utf-8") == (f"[refused: not TLS] This server uses TLS: connect with openssl s_client "
                                        f"-connect 127.0.0.1:{local_port} -quiet, or tick TLS in the client window.\n")
    [info] = server.cache.snapshot()
    assert (info.host, info.port, info.state) == ("127.0.0.1", client.getsockname()[1], "refused: not TLS")
    assert refused == [(f"127.0.0.1:{client.getsockname()[1]}", "not TLS: a plain client on the TLS port")]


def test_a_mapped_tls_member_is_in_the_cache_as_plain_ipv4(make_server: MakeServer, mapped_pair, qtbot: QtBot,
                                                           tmp_path) -> None:
    create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = make_server(tls_cert=str(tmp_path / "cert.pem"), tls_key=str(tmp_path / "key.pem"))
    client, accepted = mapped_pair
    _hand_to_server(server, accepted)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the fingerprint is not what this test is about
    client.setblocking(False)
    tls = context.wrap_socket(client, do_handshake_on_connect=False)  # takes the descriptor over

    def handshake_done() -> None:
        try:
            tls.do_handshake()
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            raise AssertionError("handshake under way") from None

    qtbot.waitUntil(handshake_done, timeout=WAIT_MS)
    tls.send(p.encode(p.Hello(name="Sealed", client_id="id-sealed")))
    qtbot.waitUntil(lambda: server.members() == ["Sealed"], timeout=WAIT_MS)
    [info] = server.cache.snapshot()
    assert (info.host, info.port, info.name, info.state) == ("127.0.0.1", tls.getsockname()[1], "Sealed", "online")
    tls.close()
