"""Settings changed while the server runs: one value each, one way to change them, one signal that says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient

MakeRaw = Callable[[ChatServer], RawClient]


def test_the_member_limit_has_one_value(server: ChatServer, qtbot: QtBot) -> None:
    with qtbot.waitSignal(server.settings_changed, timeout=WAIT_MS) as changed:
        server.set_max_clients(5)
    assert changed.args == [frozenset({"max_clients"})]
    assert server.max_clients == server.settings.max_clients == 5  # the settings said 3 after this before
    assert server.status_report().max_clients == 5


def test_apply_settings_changes_what_new_connections_meet(server: ChatServer, qtbot: QtBot,
                                                          make_raw: MakeRaw) -> None:
    with qtbot.waitSignal(server.settings_changed, timeout=WAIT_MS) as changed:
        server.apply_settings(replace(server.settings, max_clients=1, password=" secret "))
    assert changed.args == [frozenset({"max_clients", "password"})]
    assert (server.max_clients, server.settings.password, server.has_password) == (1, "secret", True)
    raw = make_raw(server)
    raw.wait_line("This chat server needs a password: type it and press Enter.")
    raw.send("secret\n")
    raw.wait_line(lambda line: line.startswith("Welcome "))
    second = make_raw(server)  # the limit of 1 is reached: turned away at the door, before the prompt
    second.wait_line("[refused: full] Server is full (1/1 online). Try again later.")


def test_the_same_settings_again_change_nothing(server: ChatServer, qtbot: QtBot) -> None:
    emitted: list[frozenset[str]] = []
    server.settings_changed.connect(emitted.append)
    server.apply_settings(server.settings)
    server.set_password("")
    server.set_max_clients(server.max_clients)
    server.set_max_clients(-1)  # no limit, as 0
    server.set_max_clients(0)
    assert emitted == [frozenset({"max_clients"})]


def test_a_setting_fixed_at_start_is_refused_and_nothing_changes(server: ChatServer) -> None:
    before = server.settings
    with pytest.raises(ValueError, match="fixed while the server runs: history_limit"):
        server.apply_settings(replace(before, max_clients=9, history_limit=1))
    assert server.settings is before
