"""Typing and away in the client windows, against the real server: the typing line, the member list, auto-away."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation
from chat_gui.client.presence import ACTIVE_EXPIRY_S
from chat_gui.client_window.away_control import AUTO_AWAY_AFTER_S, AwayDialog, IdleWatch
from chat_gui.client_window.typing_line import PAUSE_AFTER_MS, typing_text
from chat_gui.client_window.window import ClientWindow
from chat_gui.widgets import Column, SessionTableModel
from chat_gui.widgets.session_model import SessionListModel
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_rooms_json import join

# The offscreen platform cannot propagate size hints or raise a window; real platforms can.
pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def member_row(window: ClientWindow, name: str, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
    model = window.members
    row = model.names.index(name)
    return model.data(model.index(row), role)


def test_the_typing_line_says_who_types_where_and_forgets_them(qtbot: QtBot, trio: list[ClientWindow]) -> None:
    alice, bob, carol = trio
    height = bob.typing_line.label.height()
    assert bob.typing_line.text == "" and height > 0 and bob.typing_line.label.isVisible()  # its room is kept
    qtbot.keyClicks(alice.message_edit, "hel")
    qtbot.waitUntil(lambda: bob.typing_line.text == "alice is typing…", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: carol.typing_line.text == "alice is typing…", timeout=WAIT_MS)
    assert alice.typing_line.text == ""  # never one's own
    qtbot.keyClicks(carol.message_edit, "x")
    qtbot.waitUntil(lambda: bob.typing_line.text == "alice and carol are typing…", timeout=WAIT_MS)
    assert bob.typing_line.label.height() == height  # no jump
    qtbot.keyClick(alice.message_edit, Qt.Key.Key_Return)  # sent: done
    qtbot.waitUntil(lambda: bob.typing_line.text == "carol is typing…", timeout=WAIT_MS)
    # Nothing more from carol: her "active" is forgotten 6 s after it came (the clock moved on, not waited for).
    bob.client.clock = lambda: time.monotonic() + ACTIVE_EXPIRY_S
    bob.client.expire_typing()
    assert bob.typing_line.text == ""


def test_typing_in_a_direct_conversation_shows_only_there(qtbot: QtBot, trio: list[ClientWindow]) -> None:
    alice, bob, carol = trio
    alice.open_conversation(Conversation.direct("bob"))
    qtbot.keyClicks(alice.message_edit, "psst")
    qtbot.waitUntil(lambda: bob.client.typists(Conversation.direct("alice")) == ("alice",), timeout=WAIT_MS)
    assert bob.typing_line.text == ""  # #lobby is in view
    bob.open_conversation(Conversation.direct("alice"))
    assert bob.typing_line.text == "alice is typing…"
    alice.message_edit.clear()  # done
    qtbot.waitUntil(lambda: bob.typing_line.text == "", timeout=WAIT_MS)
    assert carol.client.typists(LOBBY) == () and carol.client.typists(Conversation.direct("alice")) == ()


def test_away_by_hand_shows_in_the_member_lists_and_answers_a_direct_message(
        qtbot: QtBot, trio: list[ClientWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    alice, bob, _carol = trio
    assert alice.away.away_action.isEnabled() and not alice.away.back_action.isEnabled()
    monkeypatch.setattr(AwayDialog, "ask", classmethod(lambda cls, parent, current: "lunch"))
    alice.away.away_action.trigger()
    qtbot.waitUntil(lambda: member_row(bob, "alice") == "alice · away: lunch", timeout=WAIT_MS)
    assert member_row(bob, "alice", Qt.ItemDataRole.ToolTipRole) == "alice is away: lunch."
    qtbot.waitUntil(lambda: member_row(alice, "alice") == "alice (you) · away: lunch", timeout=WAIT_MS)
    assert alice.away.back_action.isEnabled()
    bob.open_conversation(Conversation.direct("alice"))
    bob.send_message("are you there?")
    qtbot.waitUntil(lambda: "alice is away: lunch" in bob.transcript_lines(Conversation.direct("alice"))[-1],
                    timeout=WAIT_MS)
    alice.away.back_action.trigger()
    qtbot.waitUntil(lambda: member_row(bob, "alice") == "alice", timeout=WAIT_MS)


def test_the_window_goes_away_after_ten_idle_minutes_and_comes_back_on_input(
        qtbot: QtBot, trio: list[ClientWindow]) -> None:
    alice, bob, _carol = trio
    now = [1000.0]
    alice.away.clock = lambda: now[0]
    alice.away.idle = IdleWatch(now[0])
    now[0] += AUTO_AWAY_AFTER_S - 1
    alice.away.check()
    assert alice.client.away_message is None
    now[0] += 1
    alice.away.check()
    assert alice.client.away_message == ""
    qtbot.waitUntil(lambda: member_row(bob, "alice") == "alice · away", timeout=WAIT_MS)
    qtbot.keyClick(alice.message_edit, Qt.Key.Key_A)  # any key in the window
    assert alice.client.away_message is None
    qtbot.waitUntil(lambda: member_row(bob, "alice") == "alice", timeout=WAIT_MS)


def test_idle_watch_by_the_clock() -> None:
    idle = IdleWatch(0.0)
    assert not idle.due(AUTO_AWAY_AFTER_S - 0.1, away=False)
    assert idle.due(AUTO_AWAY_AFTER_S, away=False)
    assert not idle.due(AUTO_AWAY_AFTER_S + 60, away=False)  # once
    assert idle.input(700.0) is True  # back from the automatic away
    assert idle.input(701.0) is False
    assert not idle.due(701.0 + AUTO_AWAY_AFTER_S, away=True)  # set away by hand meanwhile: left alone
    idle.by_hand()
    assert idle.input(2000.0) is False


def test_idle_watch_counts_what_the_member_did_in_another_window() -> None:
    idle = IdleWatch(0.0)
    idle.elsewhere(AUTO_AWAY_AFTER_S - 1)  # a message or an away from another window: the idle time starts again
    assert not idle.due(AUTO_AWAY_AFTER_S, away=False)
    assert idle.due(2 * AUTO_AWAY_AFTER_S - 1, away=False)
    idle.elsewhere(3000.0)  # this window's automatic away is still its own to end
    assert idle.input(3001.0) is True


def test_the_typing_line_words() -> None:
    assert typing_text(()) == ""
    assert typing_text(("alice",)) == "alice is typing…"
    assert typing_text(("alice", "bob")) == "alice and bob are typing…"
    assert typing_text(("alice", "bob", "carol")) == "several people are typing…".capitalize()


def test_the_session_tables_state_column_shows_away(qtmodeltester: object) -> None:
    model = SessionListModel()
    model.set_sessions([p.SessionInfo("alice", "127.0.0.1", 5, 1.0, None, "online", 2, away="lunch"),
                        p.SessionInfo("bob", "127.0.0.1", 6, 1.0, None, "online", 0, away=""),
                        p.SessionInfo("carol", "127.0.0.1", 7, 1.0, None, "online", 0)])
    column = 4
    assert [model.data(model.index(row, column)) for row in range(3)] == \
        ["online, away: lunch", "online, away", "online"]
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_the_server_windows_live_table_says_who_is_away(qtbot: QtBot, server: ChatServer,
                                                         make_raw: Callable[[ChatServer], RawClient]) -> None:
    model = SessionTableModel(server.cache)
    server.session_changed.connect(model.mark_changed)
    alice = join(make_raw, server, "alice")
    alice.send(type="away", message="lunch")
    alice.expect(type="away")

    def shown() -> list[str]:
        model.flush()
        return [str(model.data(model.index(row, Column.STATE))) for row in range(model.rowCount())]

    qtbot.waitUntil(lambda: shown() == ["online, away: lunch"], timeout=WAIT_MS)
    alice.send(type="back")
    alice.expect(type="back")
    qtbot.waitUntil(lambda: shown() == ["online"], timeout=WAIT_MS)


def test_a_pause_in_typing_is_said_and_lasts_longer_than_typing(qtbot: QtBot, trio: list[ClientWindow]) -> None:
    alice, bob, _carol = trio
    assert alice.typing_line.pause_timer.interval() == PAUSE_AFTER_MS
    alice.typing_line.pause_timer.setInterval(50)  # instead of waiting 3 s for it
    with qtbot.waitSignal(alice.typing_line.pause_timer.timeout, timeout=WAIT_MS):  # no key since: paused
        qtbot.keyClicks(alice.message_edit, "hm")
    def paused() -> bool:  # a paused notice is forgotten after 30 s, not 6
        due = bob.client.session.presence.board.next_expiry()
        return due is not None and due > time.monotonic() + ACTIVE_EXPIRY_S

    qtbot.waitUntil(paused, timeout=WAIT_MS)
    assert bob.typing_line.text == "alice is typing…"
