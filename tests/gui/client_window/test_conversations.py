"""The conversations behind the sidebar, the attention rules and the remembered mutes: plain state and thin models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation
from chat_gui.client_window.attention import Looking, counts_unread, notifies
from chat_gui.client_window.conversations import (
    DIRECT_HEADING,
    ROOMS_HEADING,
    ConversationList,
    ConversationModel,
    ConversationRole,
    HeadingRole,
    MutedRole,
    MutedRooms,
    UnreadRole,
    describe,
)
from chat_gui.client_window.sidebar import ConversationSidebar, badge_text

DEV, OPS = Conversation.room("#dev"), Conversation.room("#Ops")
BOB, CAROL = Conversation.direct("bob"), Conversation.direct("Carol")


def test_rooms_come_first_lobby_leading_then_direct_conversations_by_name() -> None:
    conversations = ConversationList()
    assert conversations.rows() == [ROOMS_HEADING, conversations.get(LOBBY)]
    for conversation in (CAROL, OPS, BOB, DEV):
        assert conversations.add(conversation)
    assert not conversations.add(Conversation.room("#DEV"))
    assert conversations.conversations == [LOBBY, DEV, OPS, BOB, CAROL]
    rows = conversations.rows()
    assert rows[0] == ROOMS_HEADING and rows[4] == DIRECT_HEADING and len(rows) == 7
    assert not conversations.remove(LOBBY) and conversations.remove(DEV) and not conversations.remove(DEV)
    assert conversations.rename(BOB, Conversation.direct("robert"))
    assert not conversations.rename(BOB, CAROL) and not conversations.rename(CAROL, OPS)
    assert conversations.conversations == [LOBBY, OPS, CAROL, Conversation.direct("robert")]


def test_the_model_shows_headings_unread_counts_and_mutes(qtbot: QtBot, qtmodeltester) -> None:
    model = ConversationModel()
    qtmodeltester.check(model)
    model.add(DEV)
    model.add(BOB)
    qtmodeltester.check(model)
    assert [model.index(row).data() for row in range(model.rowCount())] == [
        "Rooms", "#lobby", "#dev", "Direct messages", "bob"]
    assert model.index(0).data(HeadingRole) is True and model.index(1).data(HeadingRole) is False
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.flags(model.index(2)) & Qt.ItemFlag.ItemIsSelectable
    with qtbot.waitSignal(model.dataChanged):
        model.count_unread(DEV, 3)
    model.set_muted(DEV, True)
    model.set_topic(DEV, "release Friday")
    dev = model.index_of(DEV)
    assert (dev.data(ConversationRole), dev.data(UnreadRole), dev.data(MutedRole)) == (DEV, 3, True)
    assert dev.data(Qt.ItemDataRole.ToolTipRole) == "#dev: release Friday"
    assert dev.data(Qt.ItemDataRole.AccessibleTextRole) == "#dev, room, 3 unread, muted"
    assert model.index_of(BOB).data(Qt.ItemDataRole.ToolTipRole) == "Direct messages with bob"
    assert model.conversations.total_unread == 0  # a muted room's count is left out
    model.count_unread(BOB)
    assert model.conversations.total_unread == 1
    model.mark_read(BOB)
    assert model.index_of(BOB).data(UnreadRole) == 0
    qtmodeltester.check(model)


def test_each_conversation_has_its_own_transcript_which_follows_a_rename() -> None:
    model = ConversationModel()
    lobby = model.transcript(LOBBY)
    model.add(BOB)
    bobs = model.transcript(BOB)
    assert bobs is not lobby and bobs.transcript.uid != lobby.transcript.uid
    assert model.rename(BOB, Conversation.direct("robert"))
    assert model.transcript(Conversation.direct("robert")) is bobs
    assert not model.rename(BOB, CAROL)
    assert model.transcripts() == [lobby, bobs]
    assert model.remove(Conversation.direct("robert")) and not model.remove(LOBBY)
    assert not model.index_of(BOB).isValid()


def test_describe_says_what_a_row_is() -> None:
    conversations = ConversationList()
    conversations.add(BOB)
    item = conversations.get(BOB)
    assert item is not None and describe(item) == "bob, direct messages"


def test_unread_counts_what_the_member_is_not_looking_at() -> None:
    at_dev = Looking(DEV, in_front=True)
    assert not counts_unread(DEV, at_dev)
    assert counts_unread(OPS, at_dev) and counts_unread(BOB, at_dev)
    assert counts_unread(DEV, Looking(DEV, in_front=False))


def test_notifications_by_default_only_for_direct_messages_and_the_selected_room_behind() -> None:
    at_dev = Looking(DEV, in_front=True)
    behind = Looking(DEV, in_front=False)
    assert notifies(BOB, at_dev, muted=False)  # a direct message not in view
    assert not notifies(BOB, Looking(BOB, in_front=True), muted=False)
    assert notifies(BOB, Looking(BOB, in_front=False), muted=False)
    assert not notifies(OPS, at_dev, muted=False) and not notifies(OPS, behind, muted=False)
    assert not notifies(DEV, at_dev, muted=False)
    assert notifies(DEV, behind, muted=False)
    assert not notifies(DEV, behind, muted=True)  # a muted room never


def test_mutes_are_remembered_per_server(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    muted = MutedRooms(settings)
    assert muted.of("host:1") == []
    muted.remember("host:1", OPS, True)
    assert muted.of("host:1") == ["#ops"]  # one item comes back from the file as a plain string
    muted.remember("host:1", DEV, True)
    again = MutedRooms(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    settings.sync()
    assert sorted(again.of("host:1")) == ["#dev", "#ops"] and again.of("host:2") == []
    muted.remember("host:1", OPS, False)
    assert muted.of("host:1") == ["#dev"]


def test_badges_stop_at_99() -> None:
    assert (badge_text(1), badge_text(99), badge_text(100)) == ("1", "99", "99+")


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_sidebar_draws_headings_badges_and_mutes(qtbot: QtBot, tmp_path: Path) -> None:
    model = ConversationModel()
    sidebar = ConversationSidebar(model)
    qtbot.addWidget(sidebar)
    sidebar.resize(200, 260)
    sidebar.show()
    for conversation in (DEV, OPS, BOB):
        model.add(conversation)
    model.count_unread(DEV, 120)
    model.count_unread(OPS, 2)
    model.set_muted(OPS, True)
    model.count_unread(BOB)
    with qtbot.waitSignal(sidebar.conversation_selected) as selected:
        sidebar.select(OPS)
    assert selected.args == [OPS] and sidebar.current == OPS
    picture = tmp_path / "sidebar.png" if not os.environ.get("LANCHAT_SIDEBAR_SCREENSHOT") else Path(
        os.environ["LANCHAT_SIDEBAR_SCREENSHOT"])
    assert sidebar.grab().save(str(picture))  # every kind of row painted: heading, badge, muted, selected, direct
    heading = sidebar.view.visualRect(model.index(0))
    room = sidebar.view.visualRect(model.index_of(DEV))
    assert 0 < heading.height() < room.height() + 10

    # A conversation closed while in view gives the view back to the lobby.
    with qtbot.waitSignal(sidebar.conversation_selected) as selected:
        model.remove(OPS)
    assert selected.args == [LOBBY] and sidebar.current == LOBBY
    with qtbot.assertNotEmitted(sidebar.conversation_selected):
        model.add(OPS)  # rows coming keep the selection where it was
    assert sidebar.view.currentIndex() == model.index_of(LOBBY)
