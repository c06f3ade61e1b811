"""While a password check waits (after wrong ones from the same address): what arrives meanwhile, and a
connection that closes before its check."""

from __future__ import annotations

import socket
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_password import PROMPT, WRONG

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

DELAY_MS = 300  # the wait after one wrong password from the address
WELCOME = "Welcome Client01! Type a message, 'status' or 'exit'."


def _one_wrong_guess(server: ChatServer, make_raw: MakeRaw) -> None:
    guesser = make_raw(server)
    guesser.wait_line(PROMPT)
    guesser.send("wrong\n")
    guesser.wait_line(WRONG)
    guesser.wait_closed()
    assert server._admission.guard.failures("127.0.0.1") == 1


def test_a_line_finished_while_the_check_waits_is_handled_after_it(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(password="pw", password_delay_ms=DELAY_MS, history_limit=0)
    _one_wrong_guess(server, make_raw)
    member = make_raw(server)
    member.wait_line(PROMPT)
    # The password, then a line without a newline: the text flush (50 ms) hands it over while the check
    # still waits, and it must wait with it rather than be taken before the member is in.
    member.send("pw\nhello while waiting")
    member.wait_line("hello while waiting ACK")
    assert member.lines[:2] == [PROMPT, WELCOME]
    assert [line for line in member.lines if line.endswith(" ACK")] == ["hello while waiting ACK"]
    assert server.members() == ["Client01"]
    assert [(s.name, s.state, s.messages) for s in server.cache][-1] == ("Client01", "online", 1)


def test_a_connection_that_closes_while_its_check_waits_is_dropped_and_not_counted(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(password="pw", password_delay_ms=DELAY_MS)
    _one_wrong_guess(server, make_raw)
    quitter = socket.create_connection(("127.0.0.1", server.server_port))
    quitter.sendall(b"pw\n")  # checked only after the delay: the connection is gone by then
    with qtbot.waitSignal(server.session_changed, timeout=WAIT_MS,
                          check_params_cb=lambda sid: server.cache.get(sid).state == "dropped"):  # type: ignore[union-attr]
        quitter.close()
    # Its check, when its time comes, finds it gone: nobody joined, and it counts neither way.
    qtbot.waitUntil(lambda: server._admission.guard.queued("127.0.0.1") == 0, timeout=WAIT_MS)
    assert server._admission.guard.failures("127.0.0.1") == 1
    assert server.online_count == 0 and server.members() == []
    assert [s.state for s in server.cache] == ["refused: password", "dropped"]
    # The address is no worse off: the right password from it still gets in.
    member = make_raw(server)
    member.wait_line(PROMPT)
    member.send("pw\n")
    member.wait_line(WELCOME)
    assert server._admission.guard.failures("127.0.0.1") == 0
