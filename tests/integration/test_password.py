"""The server password on loopback: JSON and text clients, wrong and missing passwords, the slow-down, the timeout."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientState
from chat_server.core.auth import PASSWORD_ENV
from chat_server.core.engine import ChatServer
from chat_server.core.sessions import REFUSALS_PER_S
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_headless import ROOT, TIMEOUT_S, LineSocket, read_port, start_headless, stop_process

MakeServer = Callable[..., ChatServer]
MakeClient = Callable[..., ChatClient]
MakeRaw = Callable[[ChatServer], RawClient]

PROMPT = "This chat server needs a password: type it and press Enter."
WRONG = "Error: Wrong password; the server closed the connection."


def _states(server: ChatServer) -> list[tuple[str, str]]:
    return [(info.name, info.state) for info in server.cache.snapshot()]


def test_a_json_client_with_the_password_joins_and_chats(make_server: MakeServer, make_client: MakeClient,
                                                          qtbot: QtBot) -> None:
    server = make_server(password="open sesame")
    alice = ChatClient()
    with qtbot.waitSignal(alice.welcomed, timeout=WAIT_MS) as welcomed:
        alice.connect_to("127.0.0.1", server.server_port, "alice", password="open sesame")
    assert welcomed.args[0].name == "alice" and welcomed.args[0].members == ("alice",)
    bob = ChatClient()
    with qtbot.waitSignal(alice.member_joined, timeout=WAIT_MS) as joined, \
            qtbot.waitSignal(bob.welcomed, timeout=WAIT_MS):
        bob.connect_to("127.0.0.1", server.server_port, "bob", password="  open sesame ")  # spaces do not count
    assert joined.args == ["bob", 2]
    with qtbot.waitSignal(alice.chat_received, timeout=WAIT_MS) as relayed, \
            qtbot.waitSignal(bob.message_acked, timeout=WAIT_MS) as acked:
        message_id = bob.send("hello behind the password")
    assert acked.args[0].id == message_id
    assert (relayed.args[0].sender, relayed.args[0].text) == ("bob", "hello behind the password")
    for client in (alice, bob):
        client.abort()


def test_a_json_client_without_the_password_is_told_it_needs_one(make_server: MakeServer, qtbot: QtBot) -> None:
    server = make_server(password="pw")
    client = ChatClient()
    with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
        client.connect_to("127.0.0.1", server.server_port, "alice")
    assert ended.args == ["password", "This server needs a password."]
    assert _states(server) == [("", "refused: password")]
    # Not knowing is not guessing: the next attempt from this address is not slowed down.
    assert server._admission.guard.failures("127.0.0.1") == 0
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
        client.connect_to("127.0.0.1", server.server_port, "alice", password="pw")
    client.abort()


def test_a_wrong_password_gets_one_clear_line_and_a_close(make_server: MakeServer, make_client: MakeClient,
                                                         make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(password="pw")
    started = time.time()
    client = ChatClient()
    with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
        client.connect_to("127.0.0.1", server.server_port, "alice", password="guess")
    assert ended.args == ["password", "Wrong password; the server closed the connection."]
    assert not client.reconnect_pending and client.state is ClientState.OFFLINE

    raw = make_raw(server)
    raw.wait_line(PROMPT)
    raw.send("exit\n")  # the first line is the password, whatever it says
    raw.wait_closed()
    assert raw.lines == [PROMPT, WRONG]
    # Wrong passwords from one address within a minute share one row that counts them.
    rows = [(info.name, info.state, info.attempts) for info in server.cache.snapshot()]
    same_minute = int(started // REFUSALS_PER_S) == int(time.time() // REFUSALS_PER_S)
    assert rows == ([("", "refused: password", 2)] if same_minute else
                    [("", "refused: password", 1), ("", "refused: password", 1)])
    assert server.online_count == 0 and server.members() == []


def test_a_text_client_types_the_password_first_then_chats(make_server: MakeServer, make_client: MakeClient,
                                                           make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(password="pw", history_limit=0)
    alice = ChatClient()
    with qtbot.waitSignal(alice.welcomed, timeout=WAIT_MS):
        alice.connect_to("127.0.0.1", server.server_port, "alice", password="pw")
    raw = make_raw(server)
    raw.wait_line(PROMPT)
    # What is said while it is at the prompt does not reach it, and nobody hears of it yet.
    with qtbot.waitSignal(alice.message_acked, timeout=WAIT_MS):
        alice.send("before the netcat user is in")
    assert raw.lines == [PROMPT] and server.members() == ["alice"]
    # The password and two more lines in one packet: all handled, in order.
    with qtbot.waitSignal(alice.chat_received, timeout=WAIT_MS) as relayed:
        raw.send("pw\nHello from netcat\nstatus\n")
    assert (relayed.args[0].sender, relayed.args[0].text) == ("Client01", "Hello from netcat")
    raw.wait_line(lambda line: line.startswith("Status: 2/3 online"))
    assert raw.lines[:3] == [PROMPT, "Welcome Client01! Type a message, 'status' or 'exit'.", "Hello from netcat ACK"]
    raw.send("exit\n")
    raw.wait_line(lambda line: line.startswith("Goodbye Client01! Disconnected at "))
    alice.abort()


def test_no_password_within_the_time_allowed_closes_the_connection(make_server: MakeServer,
                                                                   make_raw: MakeRaw) -> None:
    server = make_server(password="pw", auth_timeout_ms=300)
    raw = make_raw(server)
    raw.wait_line(PROMPT)
    raw.wait_closed()
    assert raw.lines[1].startswith("No password was given within 0.3 s. Goodbye! Disconnected at ")
    assert _states(server) == [("", "timed out")]


def test_repeated_wrong_passwords_from_one_address_are_answered_more_and_more_slowly(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    delay_s = 0.2
    server = make_server(password="pw", password_delay_ms=round(delay_s * 1000), max_clients=0)
    # Four guesses at once, as a script in a hurry would: their checks are spaced 0.2, 0.4, 0.8 s apart.
    raws = [make_raw(server) for _ in range(4)]
    for raw in raws:
        raw.wait_line(PROMPT)
    sent_at = time.monotonic()
    for number, raw in enumerate(raws):
        raw.send(f"guess {number}\n")
    answered_at: dict[int, float] = {}

    def all_answered() -> None:
        for number, raw in enumerate(raws):
            if number not in answered_at and any(line.startswith(WRONG) for line in raw.lines):
                answered_at[number] = time.monotonic()
        assert len(answered_at) == 4

    qtbot.waitUntil(all_answered, timeout=WAIT_MS)
    answers = sorted(answered_at.values())
    # Lower bounds only (a slow machine can only make them later): the deliberate waits add up.
    assert answers[-1] - sent_at >= delay_s * (1 + 2 + 4) * 0.95
    assert server._admission.guard.failures("127.0.0.1") == 4
    # From the third failure on, the answer says why it is slow.
    slower = WRONG + " Repeated wrong passwords from your address are answered more and more slowly."
    assert sorted(line for raw in raws for line in raw.lines if line.startswith("Error: ")) == \
        [WRONG, WRONG, slower, slower]
    # The right password still gets in, after its own wait (1.6 s), and is told why it waits.
    last = make_raw(server)
    last.wait_line(PROMPT)
    last.send("pw\n")
    last.wait_line(lambda line: line.startswith("[server to you] Checking your password in "))
    assert last.lines[1].endswith(" s: earlier passwords from your address were wrong.")
    last.wait_line("Welcome Client01! Type a message, 'status' or 'exit'.")
    assert server._admission.guard.failures("127.0.0.1") == 0


def test_a_password_is_never_sent_to_another_server(make_server: MakeServer, qtbot: QtBot) -> None:
    server = make_server(password="secret")
    client = ChatClient()
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
        client.connect_to("127.0.0.1", server.server_port, "alice", password="secret")
    client.abort()
    # Another server (a plain listener here, to see the hello as it arrives).
    listener = QTcpServer()
    assert listener.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
    accepted: list[QTcpSocket] = []
    listener.newConnection.connect(lambda: accepted.append(listener.nextPendingConnection()))
    client.connect_to("127.0.0.1", listener.serverPort(), "alice")
    qtbot.waitUntil(lambda: bool(accepted) and accepted[0].canReadLine(), timeout=WAIT_MS)
    hello = json.loads(bytes(accepted[0].readLine().data()))
    assert hello["type"] == "hello" and "password" not in hello
    client.abort()
    listener.close()


def test_the_operator_can_set_and_remove_the_password_while_members_stay(
        make_server: MakeServer, make_client: MakeClient, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(history_limit=0, max_clients=0)
    alice = make_client(server, "alice")
    bob = make_raw(server)
    bob.send("here\n")  # a text member, announced
    bob.wait_line("here ACK")
    left: list[str] = []
    server.member_left.connect(lambda name, *_: left.append(name))

    def both_still_chat(text: str) -> None:
        # A round trip through the event loop after the change: a member it ended would be gone by now.
        with qtbot.waitSignal(alice.message_acked, timeout=WAIT_MS):
            alice.send(text)
        bob.wait_line(f"alice: {text}")
        assert left == [] and server.members()[:2] == ["alice", "Client01"] and alice.state is ClientState.ONLINE

    server.set_password("now one")
    assert server.has_password
    newcomer = make_raw(server)
    newcomer.wait_line(PROMPT)  # new connections are asked for it
    both_still_chat("after the password was set")
    newcomer.send("now one\n")
    newcomer.wait_line("Welcome Client02! Type a message, 'status' or 'exit'.")

    server.set_password("")
    assert not server.has_password
    free = make_raw(server)
    free.wait_line(lambda line: line.startswith("Welcome Client0"))
    assert free.lines[0] == "Welcome Client03! Type a message, 'status' or 'exit'."  # no prompt before it
    both_still_chat("after it was removed")


def test_the_headless_server_takes_its_password_from_a_file_or_the_environment(tmp_path: Path) -> None:
    password_file = tmp_path / "password.txt"
    password_file.write_text("from the file\n", encoding="utf-8")
    for args, env, password in ((("--password-file", str(password_file)), {}, "from the file"),
                                ((), {PASSWORD_ENV: "from the environment"}, "from the environment")):
        process = start_headless("--port", "0", "--db", ":memory:", *args, env=env)
        try:
            port = read_port(process)
            wrong = LineSocket(port)
            assert wrong.line() == PROMPT
            wrong.send("from the command line?\n")
            assert wrong.line() == WRONG and wrong.at_eof()
            right = LineSocket(port)
            assert right.line() == PROMPT
            right.send(f"{password}\nhi\n")
            assert right.line() == "Welcome Client01! Type a message, 'status' or 'exit'."
            assert right.line_matching(r".* ACK") == "hi ACK"
            for member in (wrong, right):
                member.close()
        finally:
            log = stop_process(process)
        assert "clients must give the password before they join" in log
        assert "wrong password from 127.0.0.1:" in log and password not in log  # logged, never shown


def test_an_unreadable_password_file_stops_the_server_with_the_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = subprocess.run([sys.executable, "main.py", "server", "--headless", "--db", ":memory:",
                             "--password-file", str(missing)], cwd=ROOT, capture_output=True, text=True,
                            timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: cannot read the password file {missing}: No such file or directory"
