"""The server's log names a member once, by the name it ends up with (not the one assigned before its hello)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient

MakeClient = Callable[..., ChatClient]
MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

ARRIVALS = "chat_server.core.arrivals"


def _arrival_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == ARRIVALS]


def _address(server: ChatServer, name: str) -> str:
    return next(session.info().address for session in server.cache if session.name == name)


def test_a_member_that_says_its_name_is_logged_under_it_once(make_server: MakeServer, make_client: MakeClient,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=ARRIVALS)
    server = make_server()
    make_client(server, "Alice")
    address = _address(server, "Alice")
    assert _arrival_lines(caplog) == [f"{address} connected", f"Alice joined (1 online) from {address}"]


def test_a_reconnecting_member_is_logged_under_its_name_not_a_new_assigned_one(
        make_server: MakeServer, make_client: MakeClient, qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    server = make_server()
    first = make_client(server)  # Client01: the name it asks for again when it reconnects
    make_client(server)  # Client02 keeps the next assigned name taken
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
        first.abort()
    caplog.set_level(logging.INFO, logger=ARRIVALS)
    with qtbot.waitSignal(server.member_joined, timeout=WAIT_MS) as joined:
        make_client(server, "Client01")  # as a client coming back asks for the name it had
    assert joined.args == ["Client01", 2]
    address = next(s.info().address for s in server.cache if s.name == "Client01" and s.disconnected_at is None)
    assert _arrival_lines(caplog) == [f"{address} connected", f"Client01 joined (2 online) from {address}"]


def test_a_text_member_is_logged_under_its_assigned_name_once(make_server: MakeServer, make_raw: MakeRaw,
                                                              qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=ARRIVALS)
    server = make_server()
    with qtbot.waitSignal(server.member_joined, timeout=WAIT_MS):
        make_raw(server)  # says nothing: joins under its assigned name after the grace
    address = _address(server, "Client01")
    assert _arrival_lines(caplog) == [f"{address} connected", f"Client01 joined (1 online) from {address}"]


def test_a_member_behind_the_password_is_logged_under_its_name_once(
        make_server: MakeServer, qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=ARRIVALS)
    server = make_server(password="pw")
    client = ChatClient()
    try:
        with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
            client.connect_to("127.0.0.1", server.server_port, "Alice", password="pw")
        address = _address(server, "Alice")
        assert _arrival_lines(caplog) == [f"{address} connected: asking for the password",
                                          f"{address} gave the password",
                                          f"Alice joined (1 online) from {address}"]
    finally:
        client.abort()
        client.deleteLater()


def test_a_rename_after_joining_is_still_logged(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot,
                                                caplog: pytest.LogCaptureFixture) -> None:
    server = make_server()
    with qtbot.waitSignal(server.member_joined, timeout=WAIT_MS):
        late = make_raw(server)  # announced under its assigned name, then says its name
    caplog.set_level(logging.INFO, logger=ARRIVALS)
    with qtbot.waitSignal(server.member_renamed, timeout=WAIT_MS):
        late.send(p.encode(p.Hello(name="Rita")))
    assert _arrival_lines(caplog) == ["Client01 is now Rita"]
