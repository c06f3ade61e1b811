"""What reaches the TLS port that is not a TLS client: netcat, told how to connect; a declined handshake, quietly."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_gui.client.pinning import KnownServers, TrustQuestion
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.net import tls_sniff
from chat_server.net.tls import create_self_signed
from tests.conftest import WAIT_MS, RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("tls-port")
    create_self_signed(folder / "cert.pem", folder / "key.pem")
    return str(folder / "cert.pem"), str(folder / "key.pem")


@pytest.fixture
def tls_server(make_server: MakeServer, tls_files: tuple[str, str]) -> ChatServer:
    cert, key = tls_files
    return make_server(tls_cert=cert, tls_key=key)


def test_netcat_on_the_tls_port_is_told_how_to_connect_and_recorded(tls_server: ChatServer, make_raw: MakeRaw,
                                                                   qtbot: QtBot,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    refused: list[tuple[str, str]] = []
    tls_server.connection_refused.connect(lambda address, reason: refused.append((address, reason)))
    raw = make_raw(tls_server)
    local_port = raw.socket.localPort()
    with caplog.at_level(logging.INFO, logger="chat_server"):
        raw.send("hello?\n")
        raw.wait_closed()
        qtbot.waitUntil(lambda: len(refused) == 1, timeout=WAIT_MS)
    port = tls_server.server_port
    assert raw.lines == [f"[refused: not TLS] This server uses TLS: connect with openssl s_client -connect "
                         f"127.0.0.1:{port} -quiet, or tick TLS in the client window."]
    [session] = tls_server.cache.snapshot()
    assert session.state == p.EndReason.REFUSED_NOT_TLS.value == "refused: not TLS"
    assert (session.host, session.port) == ("127.0.0.1", local_port)
    assert session.disconnected_at is not None
    assert refused == [(f"127.0.0.1:{local_port}", "not TLS: a plain client on the TLS port")]
    assert any(r.levelno == logging.WARNING and "does not speak TLS" in r.getMessage() for r in caplog.records)
    assert tls_server.online_count == 0


def test_a_tls_client_after_a_refused_plain_one_is_served(tls_server: ChatServer, make_raw: MakeRaw, qtbot: QtBot,
                                                          tmp_path: Path) -> None:
    raw = make_raw(tls_server)
    raw.send("status\n")
    raw.wait_closed()
    client = ChatClient()
    client.known_servers = KnownServers(tmp_path / "known_servers.json")
    client.trust = lambda question: True
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS) as welcomed:
        client.connect_to("127.0.0.1", tls_server.server_port, "Sec", tls=True)
    assert welcomed.args[0].name == "Sec"
    assert [info.state for info in tls_server.cache.snapshot()] == ["refused: not TLS", "online"]
    client.abort()


def test_a_handshake_declined_in_the_client_window_is_logged_as_info(tls_server: ChatServer, qtbot: QtBot,
                                                                     tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    questions: list[TrustQuestion] = []
    client = ChatClient()
    client.known_servers = KnownServers(tmp_path / "known_servers.json")

    def decline(question: TrustQuestion) -> bool:  # the user reads the certificate question and says no
        questions.append(question)
        return False

    client.trust = decline
    refused: list[str] = []
    tls_server.connection_refused.connect(lambda address, reason: refused.append(reason))
    with caplog.at_level(logging.INFO, logger="chat_server"):
        with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
            client.connect_to("127.0.0.1", tls_server.server_port, "Sec", tls=True)
        qtbot.waitUntil(lambda: len(refused) == 1, timeout=WAIT_MS)
    assert ended.args[0] == "untrusted" and len(questions) == 1
    handshake = [r for r in caplog.records if "TLS handshake with" in r.getMessage()]
    assert [r.levelno for r in handshake] == [logging.INFO]
    assert "the client closed the connection" in handshake[0].getMessage()


def test_a_client_gone_before_its_first_byte_leaves_no_trace(tls_server: ChatServer, qtbot: QtBot,
                                                            make_raw: MakeRaw) -> None:
    with socket.create_connection(("127.0.0.1", tls_server.server_port)):
        pass
    raw = make_raw(tls_server)  # a later plain client is still answered: the server went on
    raw.send("hi\n")
    raw.wait_closed()
    assert [info.state for info in tls_server.cache.snapshot()] == ["refused: not TLS"]


def test_a_silent_plain_client_is_told_too_before_it_is_closed(tls_server: ChatServer, make_raw: MakeRaw,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tls_sniff, "SNIFF_TIMEOUT_S", 0.2)  # (10 s in earnest: a netcat user slow to type)
    raw = make_raw(tls_server)
    raw.wait_closed()
    assert raw.lines == [f"[refused: not TLS] This server uses TLS: connect with openssl s_client -connect 127.0.0.1:"
                         f"{tls_server.server_port} -quiet, or tick TLS in the client window."]
    assert list(tls_server.cache.snapshot()) == []  # nothing was refused: it never said anything


def test_a_failed_handshake_from_ipv6_reports_the_address_in_brackets(make_server: MakeServer, qtbot: QtBot,
                                                                      tls_files: tuple[str, str]) -> None:
    cert, key = tls_files
    server = make_server(tls_cert=cert, tls_key=key, host="::1")
    refused: list[tuple[str, str]] = []
    server.connection_refused.connect(lambda address, reason: refused.append((address, reason)))
    with socket.create_connection(("::1", server.server_port), timeout=WAIT_MS / 1000) as sock:
        local_port = sock.getsockname()[1]
        # A TLS handshake record's type, then bytes no TLS record has: the handshake fails on the server's side.
        sock.sendall(b"\x16" + b"\xff" * 64)
        qtbot.waitUntil(lambda: len(refused) == 1, timeout=WAIT_MS)
    [(address, reason)] = refused
    assert address == f"[::1]:{local_port}"
    assert reason.startswith("no TLS handshake (")
