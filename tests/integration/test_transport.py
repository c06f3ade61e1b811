"""Plain-TCP transports on loopback: partial writes, pausing, half-close, graceful close, abort and resets.

Each test runs with both reactor backends (the epoll set and one notifier per socket).
The far end is a plain Python socket read without blocking inside ``qtbot.waitUntil``.
"""

from __future__ import annotations

import select
import socket
import ssl
import struct
import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtNetwork import QHostAddress
from pytestqt.qtbot import QtBot

from chat_server.net import transport as transport_module
from chat_server.net.reactor import Reactor
from chat_server.net.tls import create_self_signed, server_configuration
from chat_server.net.tls_server import TlsServer
from chat_server.net.transport import PlainTcpServer, Transport
from tests.conftest import WAIT_MS

CHUNK = 64 * 1024


class Handler:
    """Records what a transport reports."""

    def __init__(self) -> None:
        self.data = b""
        self.eof = False
        self.lost: list[str] = []

    def data_received(self, data: bytes) -> None:
        self.data += data

    def eof_received(self) -> None:
        self.eof = True

    def connection_lost(self, error: str) -> None:
        self.lost.append(error)


class Peer:
    """The client end: a plain socket, read a little at each check."""

    def __init__(self, port: int, receive_buffer: int | None = None) -> None:
        self.sock = socket.socket()
        if receive_buffer is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.connect(("127.0.0.1", port))
        self.sock.setblocking(False)
        self.received = bytearray()
        self.eof = False
        self.reset = False

    def pump(self) -> None:
        while not (self.eof or self.reset):
            try:
                data = self.sock.recv(1 << 20)
            except BlockingIOError:
                return
            except ConnectionResetError:
                self.reset = True
                return
            if not data:
                self.eof = True
                return
            self.received += data


@pytest.fixture(params=[pytest.param(True, id="epoll"), pytest.param(False, id="notifiers")])
def listener(request: pytest.FixtureRequest, qtbot: QtBot) -> Iterator[tuple[PlainTcpServer, list[Transport]]]:
    if request.param and not hasattr(select, "epoll"):
        pytest.skip("no epoll on this system")
    reactor = Reactor(use_epoll=request.param)
    server = PlainTcpServer(reactor)
    accepted: list[Transport] = []

    def take() -> None:
        while (transport := server.next_transport()) is not None:
            accepted.append(transport)

    server.pendingConnectionAvailable.connect(take)
    assert server.listen(QHostAddress("127.0.0.1"), 0)
    yield server, accepted
    for transport in accepted:
        transport.abort()
    server.close()
    reactor.close()
    server.deleteLater()
    reactor.deleteLater()


@pytest.fixture
def connect(listener: tuple[PlainTcpServer, list[Transport]], qtbot: QtBot) -> Iterator[Callable[..., tuple[
        Peer, Transport, Handler]]]:
    server, accepted = listener
    peers: list[Peer] = []

    def make(receive_buffer: int | None = None, attach: bool = True) -> tuple[Peer, Transport, Handler]:
        count = len(accepted)
        peer = Peer(server.serverPort(), receive_buffer)
        peers.append(peer)
        qtbot.waitUntil(lambda: len(accepted) > count, timeout=WAIT_MS)
        transport, handler = accepted[-1], Handler()
        if attach:
            transport.attach(handler)
        return peer, transport, handler

    yield make
    for peer in peers:
        peer.sock.close()


def _fill(transport: Transport) -> bytes:
    """Write numbered chunks until the kernel takes no more and some wait in the transport; all of it."""
    chunks: list[bytes] = []
    while transport.write_buffer_size == 0 or len(chunks) % 4:
        assert len(chunks) < 2048, "the kernel took 128 MiB for a peer that does not read"
        chunk = len(chunks).to_bytes(4, "big") * (CHUNK // 4)
        transport.write(chunk)
        chunks.append(chunk)
    return b"".join(chunks)


def test_the_peer_address_is_known_at_accept(connect) -> None:
    peer, transport, _ = connect()
    assert (transport.peer_host, transport.peer_port) == peer.sock.getsockname()


def test_what_the_kernel_does_not_take_waits_and_drains_in_order(connect, qtbot: QtBot) -> None:
    peer, transport, _ = connect(receive_buffer=4096)
    data = _fill(transport)
    assert 0 < transport.write_buffer_size < len(data)  # the kernel took some, the rest waits here

    def all_read() -> None:
        peer.pump()
        assert len(peer.received) == len(data)

    qtbot.waitUntil(all_read, timeout=WAIT_MS * 2)
    assert peer.received == data and transport.write_buffer_size == 0


def test_close_waits_for_the_output_then_the_peer_sees_the_end(connect, qtbot: QtBot) -> None:
    peer, transport, handler = connect(receive_buffer=4096)
    data = _fill(transport)
    transport.close()
    transport.write(b"too late")  # nothing is written after close
    assert handler.lost == []

    def ended() -> None:
        peer.pump()
        assert peer.eof

    qtbot.waitUntil(ended, timeout=WAIT_MS * 2)
    assert peer.received == data
    qtbot.waitUntil(lambda: handler.lost == [""], timeout=WAIT_MS)


def test_abort_drops_the_unwritten_output(connect, qtbot: QtBot) -> None:
    peer, transport, handler = connect(receive_buffer=4096)
    data = _fill(transport)
    transport.abort()
    qtbot.waitUntil(lambda: handler.lost == [""], timeout=WAIT_MS)

    def ended() -> None:
        peer.pump()
        assert peer.eof or peer.reset

    qtbot.waitUntil(ended, timeout=WAIT_MS * 2)
    assert len(peer.received) < len(data)


def test_input_waits_in_the_kernel_while_reading_is_paused(connect, qtbot: QtBot) -> None:
    paused_peer, paused, paused_handler = connect()
    busy_peer, _, busy_handler = connect()
    paused.set_reading(False)
    paused_peer.sock.send(b"wait for me")
    busy_peer.sock.send(b"go")
    qtbot.waitUntil(lambda: busy_handler.data == b"go", timeout=WAIT_MS)  # the reactor ran its passes
    assert paused_handler.data == b""
    paused.set_reading(True)
    qtbot.waitUntil(lambda: paused_handler.data == b"wait for me", timeout=WAIT_MS)


def test_a_half_closed_peer_is_reported_and_still_gets_its_replies(connect, qtbot: QtBot) -> None:
    peer, transport, handler = connect()
    peer.sock.send(b"hi\n")
    peer.sock.shutdown(socket.SHUT_WR)  # like `nc -N`: done sending, still reading
    qtbot.waitUntil(lambda: handler.eof, timeout=WAIT_MS)
    assert handler.data == b"hi\n" and handler.lost == []
    transport.write(b"hi ACK\n")
    transport.close()

    def ended() -> None:
        peer.pump()
        assert peer.eof

    qtbot.waitUntil(ended, timeout=WAIT_MS)
    assert peer.received == b"hi ACK\n"
    qtbot.waitUntil(lambda: handler.lost == [""], timeout=WAIT_MS)


def test_a_reset_is_a_lost_connection_not_an_error(connect, qtbot: QtBot) -> None:
    peer, _, handler = connect()
    peer.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    peer.sock.close()  # with a zero linger: a reset, not a goodbye
    qtbot.waitUntil(lambda: handler.lost == [""], timeout=WAIT_MS)


def _reset(peer: Peer) -> None:
    peer.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    peer.sock.close()  # with a zero linger: a reset, not a goodbye


def test_a_reset_while_output_waits_and_reading_is_paused_is_a_lost_connection(connect, qtbot: QtBot) -> None:
    # Reading is paused: with notifiers only the drain of the queued output (a send that fails) can notice the
    # reset; the epoll set reports the hang-up to the reader whatever it watches.
    peer, transport, handler = connect(receive_buffer=4096)
    transport.set_reading(False)
    _fill(transport)
    _reset(peer)
    qtbot.waitUntil(lambda: handler.lost == [""], timeout=WAIT_MS)
    assert transport.write_buffer_size == 0
    transport.write(b"too late\n")  # writing to a lost transport is a no-op, not an error
    assert transport.write_buffer_size == 0 and handler.lost == [""]


def test_a_write_to_a_reset_peer_is_a_lost_connection(connect, qtbot: QtBot) -> None:
    # Nothing queued and reading paused: the reactor watches nothing, so the failing send is what notices.
    peer, transport, handler = connect()
    transport.set_reading(False)
    _reset(peer)

    def lost_on_write() -> None:
        transport.write(b"anyone there?\n")
        assert handler.lost == [""]

    qtbot.waitUntil(lost_on_write, timeout=WAIT_MS)
    assert transport.write_buffer_size == 0


def test_input_before_attach_is_delivered_once_attached(connect, qtbot: QtBot) -> None:
    peer, transport, _ = connect(attach=False)
    peer.sock.send(b"early")
    handler = Handler()
    transport.attach(handler)
    qtbot.waitUntil(lambda: handler.data == b"early", timeout=WAIT_MS)


def test_a_closing_transport_whose_output_is_never_read_is_cut_after_a_while(
        connect, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport_module, "CLOSE_TIMEOUT_S", 0.2)
    _, transport, handler = connect(receive_buffer=4096)
    _fill(transport)
    transport.close()
    assert handler.lost == []  # it waits for its output to be read first
    qtbot.waitUntil(lambda: handler.lost == [""], timeout=WAIT_MS)  # and gives up on a peer that never reads
    assert transport.write_buffer_size == 0


def test_a_closing_tls_member_whose_output_is_never_read_is_cut_after_a_while(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(transport_module, "CLOSE_TIMEOUT_S", 0.2)
    create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    config, _ = server_configuration(tmp_path / "cert.pem", tmp_path / "key.pem")
    reactor = Reactor()
    server = TlsServer(reactor)
    server.setSslConfiguration(config)
    accepted: list[Transport | None] = []
    server.pendingConnectionAvailable.connect(lambda: accepted.append(server.next_transport()))
    assert server.listen(QHostAddress("127.0.0.1"), 0)
    clients: list[ssl.SSLSocket] = []

    def handshake() -> None:  # a client that completes its handshake and then reads nothing at all
        raw = socket.socket()
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.connect(("127.0.0.1", server.serverPort()))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        clients.append(context.wrap_socket(raw))

    thread = threading.Thread(target=handshake)
    thread.start()
    qtbot.waitUntil(lambda: bool(accepted), timeout=WAIT_MS)  # the server's side of the handshake runs here
    thread.join(WAIT_MS / 1000)
    transport, handler = accepted[0], Handler()
    assert transport is not None
    transport.attach(handler)
    for _ in range(256):  # 16 MiB: far more than the kernel's buffers on both sides hold
        transport.write(bytes(CHUNK))
    transport.close()
    qtbot.waitUntil(lambda: handler.lost == [""], timeout=WAIT_MS)
    for client in clients:
        client.close()
    server.close()
    reactor.close()
    server.deleteLater()
    reactor.deleteLater()
