"""TLS that cannot start: a certificate or key that is missing, garbage or not a pair, in the engine and in the
headless server; and on the client side, a first certificate the user declines."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientEnd, ClientState, untrusted_text
from chat_gui.client.pinning import KnownServers, TrustQuestion
from chat_server.core.engine import ChatServer
from chat_server.net.tls import TlsError, create_self_signed
from chat_server.store.sqlite import SqliteStore
from tests.conftest import TEST_SETTINGS, WAIT_MS

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 10.0
MakeServer = Callable[..., ChatServer]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A certificate and its key, another pair's key, and a file of garbage."""
    folder = tmp_path_factory.mktemp("unusable")
    create_self_signed(folder / "cert.pem", folder / "key.pem")
    create_self_signed(folder / "other-cert.pem", folder / "other-key.pem")
    (folder / "garbage.pem").write_bytes(b"-----BEGIN NOTHING-----\nnot base64 at all\n")
    return {"cert": folder / "cert.pem", "key": folder / "key.pem", "other_key": folder / "other-key.pem",
            "garbage": folder / "garbage.pem", "missing": folder / "missing.pem"}


# (certificate, key, the error, each named by its key in ``files``)
UNUSABLE = [
    pytest.param("missing", "key", "Cannot read {missing}: No such file or directory", id="missing-cert"),
    pytest.param("cert", "missing", "Cannot read {missing}: No such file or directory", id="missing-key"),
    pytest.param("garbage", "key", "{garbage} holds no PEM certificate.", id="garbage-cert"),
    pytest.param("cert", "garbage", "{garbage} holds no unencrypted PEM key (EC or RSA).", id="garbage-key"),
    pytest.param("cert", "other_key", "{other_key} is not the private key of the certificate in {cert}.",
                 id="key-of-another-cert"),
]


@pytest.mark.parametrize(("cert", "key", "error"), UNUSABLE)
def test_the_engine_refuses_an_unusable_pair_with_its_reason(qtbot: QtBot, files: dict[str, Path], cert: str,
                                                            key: str, error: str) -> None:
    settings = replace(TEST_SETTINGS, tls_cert=str(files[cert]), tls_key=str(files[key]))
    with pytest.raises(TlsError) as raised:
        ChatServer(settings, SqliteStore())
    assert str(raised.value) == error.format(**files)


@pytest.mark.parametrize(("cert", "key", "error"), UNUSABLE)
def test_the_headless_server_exits_non_zero_with_the_reason(files: dict[str, Path], cert: str, key: str,
                                                           error: str) -> None:
    command = [sys.executable, "main.py", "server", "--headless", "--port", "0", "--db", ":memory:",
               "--cert", str(files[cert]), "--key", str(files[key])]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert result.stdout == ""  # no "Listening on" line
    [line] = result.stderr.splitlines()
    assert line.endswith(" ERROR " + error.format(**files))


def test_a_first_certificate_the_user_declines_is_not_connected_to(make_server: MakeServer, qtbot: QtBot,
                                                                   files: dict[str, Path], tmp_path: Path) -> None:
    server = make_server(tls_cert=str(files["cert"]), tls_key=str(files["key"]))
    client = ChatClient()
    client.known_servers = KnownServers(tmp_path / "known_servers.json")
    questions: list[TrustQuestion] = []

    def trust(question: TrustQuestion) -> bool:
        questions.append(question)
        return False

    client.trust = trust
    welcomed: list[object] = []
    client.welcomed.connect(welcomed.append)
    try:
        with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
            client.connect_to("127.0.0.1", server.server_port, "Careful", tls=True)
        question = TrustQuestion("127.0.0.1", server.server_port, server.tls_fingerprint, None)
        assert questions == [question]  # asked, as a first certificate (nothing known before)
        assert ended.args == [ClientEnd.UNTRUSTED.value, untrusted_text(question)]
        assert untrusted_text(question) == (f"Not connected: the certificate of 127.0.0.1:{server.server_port} "
                                            f"was not accepted (SHA-256 {server.tls_fingerprint}).")
        assert client.state is ClientState.OFFLINE and not client.reconnect_pending
        assert client.known_servers.get("127.0.0.1", server.server_port) is None  # not pinned
        assert welcomed == [] and server.online_count == 0 and server.members() == []
    finally:
        client.abort()
        client.deleteLater()
