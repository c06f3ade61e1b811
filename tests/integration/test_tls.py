"""TLS end to end: the server engine with a generated certificate, the client engine's pinning, openssl s_client."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_gui.client.pinning import KnownServers, TrustQuestion
from chat_server.core.auth import PASSWORD_ENV
from chat_server.core.engine import ChatServer
from chat_server.net.listen_failure import ListenProblem
from chat_server.net.tls import (
    CERT_FILE,
    create_self_signed,
    ensure_certificate,
    fingerprint_of_der,
    server_configuration,
)
from tests.conftest import WAIT_MS

MakeServer = Callable[..., ChatServer]


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """Two certificates with their keys: the server's, and an impostor's."""
    pairs = []
    for name in ("server", "impostor"):
        folder = tmp_path_factory.mktemp(name)
        create_self_signed(folder / "cert.pem", folder / "key.pem")
        pairs.append((str(folder / "cert.pem"), str(folder / "key.pem")))
    return pairs


def _client(tmp_path: Path, questions: list[TrustQuestion] | None = None, answer: bool = True) -> ChatClient:
    client = ChatClient()
    client.known_servers = KnownServers(tmp_path / "known_servers.json")
    if questions is not None:
        def trust(question: TrustQuestion) -> bool:
            questions.append(question)
            return answer
        client.trust = trust
    return client


def test_the_certificate_is_made_once_with_an_owner_only_key(tmp_path: Path) -> None:
    cert, key = ensure_certificate(tmp_path / "data")
    assert key.stat().st_mode & 0o777 == 0o600
    _, fingerprint = server_configuration(cert, key)
    assert ensure_certificate(tmp_path / "data") == (cert, key)
    assert server_configuration(cert, key)[1] == fingerprint  # reused, not made again
    assert len(fingerprint.split(":")) == 32


def test_chat_over_tls_with_the_fingerprint_trusted_on_first_use(make_server: MakeServer, qtbot: QtBot,
                                                                tmp_path: Path, certificates) -> None:
    cert, key = certificates[0]
    server = make_server(tls_cert=cert, tls_key=key)
    questions: list[TrustQuestion] = []
    client = _client(tmp_path, questions)
    with qtbot.waitSignal(client.encrypted, timeout=WAIT_MS) as encrypted, \
            qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
        client.connect_to("127.0.0.1", server.server_port, "Sec", tls=True)
    assert encrypted.args == [server.tls_fingerprint]
    assert questions == [TrustQuestion("127.0.0.1", server.server_port, server.tls_fingerprint, None)]
    assert client.known_servers.get("127.0.0.1", server.server_port) == server.tls_fingerprint
    with qtbot.waitSignal(client.message_acked, timeout=WAIT_MS) as acked:
        message_id = client.send("secret")
    assert acked.args[0].id == message_id and server.store.recent(1)[0].text == "secret"
    client.abort()
    # The second time it is known: no question.
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
        client.connect_to("127.0.0.1", server.server_port, "Sec", tls=True)
    assert len(questions) == 1
    client.abort()


def test_a_changed_certificate_is_refused_loudly_unless_accepted_on_purpose(make_server: MakeServer, qtbot: QtBot,
                                                                           tmp_path: Path, certificates) -> None:
    (cert, key), (other_cert, other_key) = certificates
    genuine = make_server(tls_cert=cert, tls_key=key)
    impostor = make_server(tls_cert=other_cert, tls_key=other_key)
    known = KnownServers(tmp_path / "known_servers.json")
    known.remember("127.0.0.1", impostor.server_port, genuine.tls_fingerprint)  # as if seen there before
    questions: list[TrustQuestion] = []
    client = _client(tmp_path, questions, answer=False)
    with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
        client.connect_to("127.0.0.1", impostor.server_port, "Sec", tls=True)
    kind, text = ended.args
    assert kind == "untrusted"
    assert "DIFFERENT certificate" in text and genuine.tls_fingerprint in text and impostor.tls_fingerprint in text
    assert questions[0].changed and impostor.online_count == 0
    assert not client.reconnect_pending
    # Accepted on purpose: the new fingerprint replaces the old one.
    client.trust = lambda question: True
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
        client.connect_to("127.0.0.1", impostor.server_port, "Sec", tls=True)
    assert known.get("127.0.0.1", impostor.server_port) == impostor.tls_fingerprint
    client.abort()


def test_without_a_trust_callback_a_change_is_never_accepted(make_server: MakeServer, qtbot: QtBot,
                                                             tmp_path: Path, certificates) -> None:
    cert, key = certificates[1]
    server = make_server(tls_cert=cert, tls_key=key)
    KnownServers(tmp_path / "known_servers.json").remember("127.0.0.1", server.server_port, "AA:BB")
    client = _client(tmp_path)
    with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
        client.connect_to("127.0.0.1", server.server_port, tls=True)
    assert ended.args[0] == "untrusted"


def test_openssl_s_client_is_a_text_mode_chat_client(tmp_path: Path, certificates) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed (apt-get install openssl)")
    from tests.integration.test_headless import read_port, start_headless, stop_process

    cert, key = certificates[0]
    process = start_headless("--port", "0", "--db", ":memory:", "--cert", cert, "--key", key)
    try:
        port = read_port(process)
        assert process.stdout is not None
        assert process.stdout.readline().startswith("TLS certificate SHA-256 fingerprint: ")
        done = subprocess.run([openssl, "s_client", "-connect", f"127.0.0.1:{port}", "-quiet"],
                              input="Hello over TLS\nexit\n", capture_output=True, text=True, timeout=20)
        lines = done.stdout.splitlines()
        assert lines[0] == "Welcome Client01! Type a message, 'status' or 'exit'."
        assert "Hello over TLS ACK" in lines
        assert lines[-1].startswith("Goodbye Client01! Disconnected at ")
    finally:
        stop_process(process)


def test_openssl_s_client_gives_the_password_as_its_first_line(certificates) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed (apt-get install openssl)")
    from tests.integration.test_headless import read_port, start_headless, stop_process

    cert, key = certificates[0]
    process = start_headless("--port", "0", "--db", ":memory:", "--cert", cert, "--key", key,
                             env={PASSWORD_ENV: "tls and a password"})
    try:
        port = read_port(process)
        done = subprocess.run([openssl, "s_client", "-connect", f"127.0.0.1:{port}", "-quiet"],
                              input="tls and a password\nHello over TLS\nexit\n", capture_output=True, text=True,
                              timeout=20)
        lines = done.stdout.splitlines()
        assert lines[:2] == ["This chat server needs a password: type it and press Enter.",
                             "Welcome Client01! Type a message, 'status' or 'exit'."]
        assert "Hello over TLS ACK" in lines
        assert lines[-1].startswith("Goodbye Client01! Disconnected at ")
    finally:
        stop_process(process)


def test_tls_is_chosen_at_listen_with_a_certificate_made_in_the_data_folder(
        make_server: MakeServer, qtbot: QtBot, tmp_path: Path) -> None:
    server = make_server(tls_folder=str(tmp_path / "data"))
    assert not server.tls
    assert server.listen(tls=True)
    made = tmp_path / "data" / CERT_FILE
    assert server.tls and made.exists()
    assert server.tls_fingerprint == fingerprint_of_der(x509_der(made))
    client = _client(tmp_path)
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
        client.connect_to("127.0.0.1", server.server_port, "Sec", tls=True)
    client.abort()
    fingerprint = server.tls_fingerprint
    assert server.listen(tls=False) and not server.tls and server.tls_fingerprint == ""
    assert server.listen(tls=True) and server.tls_fingerprint == fingerprint  # the same certificate, reused
    no_folder = make_server()
    with qtbot.waitSignal(no_folder.listen_failed, timeout=WAIT_MS) as failed:
        assert not no_folder.listen(tls=True)
    assert failed.args[0].kind is ListenProblem.TLS_UNUSABLE
    assert failed.args[0].english == ("Cannot serve TLS: TLS needs a certificate and key (--cert, --key), or a folder "
                                      "to make one in.")
    assert not no_folder.is_listening and not no_folder.tls


def x509_der(path: Path) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return x509.load_pem_x509_certificate(path.read_bytes()).public_bytes(serialization.Encoding.DER)
