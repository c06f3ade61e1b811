"""Connections at the password prompt: not members, a budget of their own, and a guard whose queue holds no ghosts."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from PySide6.QtNetwork import QHostAddress, QTcpSocket
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_server.core.engine import ChatServer
from chat_server.core.sessions import REFUSALS_PER_S
from tests.conftest import WAIT_MS, RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

PROMPT = "This chat server needs a password: type it and press Enter."
WRONG = "Error: Wrong password; the server closed the connection."
GREETING = "Welcome Client01! Type a message, 'status' or 'exit'."


class RawClientFrom(RawClient):
    """A RawClient whose connection comes from another loopback address (127.0.0.2, ...): another host to the server."""

    def __init__(self, qtbot: QtBot, port: int, source: str) -> None:
        self.qtbot = qtbot
        self.socket = QTcpSocket()
        self.lines = []
        self._partial = b""
        self.closed = False
        self.socket.readyRead.connect(self._on_ready_read)
        self.socket.disconnected.connect(self._on_disconnected)
        assert self.socket.bind(QHostAddress(source), 0), self.socket.errorString()
        with qtbot.waitSignal(self.socket.connected, timeout=WAIT_MS):
            self.socket.connectToHost("127.0.0.1", port)


def _states(server: ChatServer) -> list[str]:
    return [info.state for info in server.cache.snapshot()]


def test_connections_at_the_password_prompt_do_not_take_the_member_slots(make_server: MakeServer, make_raw: MakeRaw,
                                                                         qtbot: QtBot) -> None:
    server = make_server(password="pw")  # 3 members at most
    silent = [make_raw(server) for _ in range(3)]  # netcat users who type nothing
    for raw in silent:
        raw.wait_line(PROMPT)
    assert server.online_count == 0 and server.login_count == 3
    alice = ChatClient()
    with qtbot.waitSignal(alice.welcomed, timeout=WAIT_MS) as welcomed:
        alice.connect_to("127.0.0.1", server.server_port, "alice", password="pw")
    assert (welcomed.args[0].name, welcomed.args[0].online, welcomed.args[0].max_clients) == ("alice", 1, 3)
    # One of them gives the password now: a member like any other, still within the 3.
    silent[0].send("pw\n")
    silent[0].wait_line(GREETING)
    assert server.online_count == 2 and server.login_count == 2
    assert all(raw.lines == [PROMPT] and not raw.closed for raw in silent[1:])
    alice.abort()


def test_connections_at_the_prompt_have_a_budget_per_address_and_in_all(make_server: MakeServer,
                                                                       make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(password="pw", max_clients=0, max_logins=3, max_logins_per_address=2)
    first, second = make_raw(server), make_raw(server)
    for raw in (first, second):
        raw.wait_line(PROMPT)
    third = make_raw(server)
    third.wait_closed()
    assert third.lines == ["[refused: busy] Too many connections from your address are waiting to give the "
                           "password (2). Try again later."]
    other = RawClientFrom(qtbot, server.server_port, "127.0.0.2")  # another address still gets the prompt
    other.wait_line(PROMPT)
    fourth = RawClientFrom(qtbot, server.server_port, "127.0.0.3")
    fourth.wait_closed()
    assert fourth.lines == ["[refused: busy] Too many connections are waiting to give the password (3). "
                            "Try again later."]
    # Giving the password leaves the budget: the next one from there is asked for it again.
    first.send("pw\n")
    first.wait_line(GREETING)
    again = make_raw(server)
    again.wait_line(PROMPT)
    assert _states(server) == ["online", "online", "refused: busy", "online", "refused: busy", "online"]
    assert server.online_count == 1 and server.login_count == 3
    for raw in (other, fourth):
        raw.close()


def test_abandoned_password_attempts_give_their_place_in_the_queue_up(make_server: MakeServer,
                                                                     make_raw: MakeRaw, qtbot: QtBot) -> None:
    # Twelve wrong guesses from one address at once: the first is checked, the others queue 2, 4, 8 ... s
    # apart (more than five minutes in all); then they hang up. The right password from the same address
    # must not wait behind the places of attempts that will never be checked: only behind the one wrong
    # password that was (2 s at most).
    server = make_server(password="pw", max_clients=0, max_logins=0, max_logins_per_address=0,
                         password_delay_ms=2000, auth_timeout_ms=600_000)
    guesses = [make_raw(server) for _ in range(12)]
    for raw in guesses:
        raw.wait_line(PROMPT)
    for number, raw in enumerate(guesses):
        raw.send(f"guess {number}\n")
    guesses[0].wait_line(WRONG)
    for raw in guesses[1:]:  # each is told its check waits
        raw.wait_line(lambda line: line.startswith("[server to you] Checking your password in "))
    for raw in guesses[1:]:
        raw.close()
    qtbot.waitUntil(lambda: _states(server) == ["refused: password"] + ["dropped"] * 11, timeout=WAIT_MS)
    right = make_raw(server)
    right.wait_line(PROMPT)
    right.send("pw\nhello\n")
    right.wait_line("hello ACK")
    assert GREETING in right.lines
    assert server._admission.guard.failures("127.0.0.1") == 0 and server._admission.guard.queued("127.0.0.1") == 0


def test_a_check_the_guard_would_delay_past_the_login_time_is_refused_at_once(make_server: MakeServer,
                                                                             make_raw: MakeRaw) -> None:
    # Checks spaced 2 s, then 4 s apart; a connection has 5 s to be let in: the third guess's turn would come
    # 6 s after the first, so it is told to come back later at once instead of holding a place meanwhile.
    server = make_server(password="pw", max_clients=0, password_delay_ms=2000, auth_timeout_ms=5000)
    started = time.time()
    guesses = [make_raw(server) for _ in range(3)]
    for raw in guesses:
        raw.wait_line(PROMPT)
    for number, raw in enumerate(guesses):
        raw.send(f"guess {number}\n")
    guesses[2].wait_closed()
    assert len(guesses[2].lines) == 2
    assert re.fullmatch(r"Error: Earlier passwords from your address were wrong: try again in [56] s\.",
                        guesses[2].lines[1])
    assert guesses[0].lines == [PROMPT, WRONG]
    assert guesses[1].lines == [PROMPT, "[server to you] Checking your password in 2 s: earlier passwords from "
                                        "your address were wrong."]  # its check is still to come
    guesses[1].wait_line(WRONG)
    # The two wrong ones share their address's row for the minute (or, across a minute's end, have one each).
    refused = sorted((info.state, info.attempts) for info in server.cache.snapshot())
    same_minute = int(started // REFUSALS_PER_S) == int(time.time() // REFUSALS_PER_S)
    assert refused == ([("refused: busy", 1), ("refused: password", 2)] if same_minute else
                       [("refused: busy", 1), ("refused: password", 1), ("refused: password", 1)])
    assert server._admission.guard.failures("127.0.0.1") == 2


def test_a_server_that_filled_up_while_a_connection_gave_its_password_says_it_is_full(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(password="pw", max_clients=1)
    raw = make_raw(server)
    raw.wait_line(PROMPT)
    alice = ChatClient()
    with qtbot.waitSignal(alice.welcomed, timeout=WAIT_MS):
        alice.connect_to("127.0.0.1", server.server_port, "alice", password="pw")
    raw.send("pw\n")
    raw.wait_closed()
    assert raw.lines == [PROMPT, "[refused: full] Server is full (1/1 online). Try again later."]
    assert _states(server) == ["refused: full", "online"]
    alice.abort()
