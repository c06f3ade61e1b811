"""The member list shows who is in the conversation in view: the lobby's members online, a room's members (asked
for when it comes into view, kept live by the room's news and members coming and going), a direct partner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation
from chat_gui.client_window.member_list import MemberListModel
from chat_gui.client_window.rosters import Member, Rosters
from chat_gui.client_window.window import ClientWindow
from tests.conftest import WAIT_MS

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

DEV = Conversation.room("#dev")
BOB = Conversation.direct("bob")


def label(window: ClientWindow) -> str:
    return window.members_label.text().replace("&", "")


def shown(window: ClientWindow) -> list[tuple[str, bool]]:
    return [(member.name, member.online) for member in window.members.members]


def test_the_member_list_follows_the_conversation_in_view_and_stays_live(
        qtbot: QtBot, qtmodeltester, trio: list[ClientWindow]) -> None:
    alice, bob, carol = trio
    qtmodeltester.check(alice.members)  # and Qt's tester keeps watching every change below
    assert label(alice) == "Members · 3/3 online"

    # alice creates #dev: the list asks who is in it and shows her alone.
    with qtbot.waitSignal(alice.client.room_members_listed, timeout=WAIT_MS):
        assert alice.client.join_room("#dev")
    assert alice.pane.current == DEV and shown(alice) == [("alice", True)]
    assert label(alice) == "Members · 1 online"

    # bob joins: he appears, live; carol, not in the room, does not.
    with qtbot.waitSignal(alice.client.room_member_joined, timeout=WAIT_MS):
        assert bob.client.join_room("#dev")
    assert shown(alice) == [("alice", True), ("bob", True)] and label(alice) == "Members · 2 online"

    # bob leaves the chat (his client keeps its rooms for its client id): still a member, offline.
    with qtbot.waitSignal(alice.client.member_left, timeout=WAIT_MS):
        bob.exit_button.click()
    assert shown(alice) == [("alice", True), ("bob", False)]
    assert label(alice) == "Members · 1 online, 1 offline"
    bob_row = alice.members.index(1)
    assert bob_row.data(Qt.ItemDataRole.ToolTipRole) == "bob is offline. Double-click to send bob a direct message."
    assert bob_row.data(Qt.ItemDataRole.FontRole).italic()

    # The lobby shows everyone online, as before rooms.
    alice.sidebar.select(LOBBY)
    assert shown(alice) == [("alice", True), ("carol", True)] and label(alice) == "Members · 2/3 online"

    # Back to #dev: asked again, the server's answer names bob offline.
    with qtbot.waitSignal(alice.client.room_members_listed, timeout=WAIT_MS):
        alice.sidebar.select(DEV)
    assert shown(alice) == [("alice", True), ("bob", False)]

    # Double-clicking bob, offline, opens the direct conversation with him: the partner, offline.
    alice.members_view.doubleClicked.emit(alice.members.index(1))
    assert alice.pane.current == BOB
    assert shown(alice) == [("alice", True), ("bob", False)] and label(alice) == "Members · you and bob"

    # bob comes back: online again in the direct conversation, and in #dev.
    with qtbot.waitSignal(alice.client.member_joined, timeout=WAIT_MS):
        bob.connect_button.click()
    assert shown(alice) == [("alice", True), ("bob", True)]
    with qtbot.waitSignal(alice.client.room_members_listed, timeout=WAIT_MS):
        alice.sidebar.select(DEV)
    assert shown(alice) == [("alice", True), ("bob", True)]

    # carol joins, then bob leaves the room: the list follows both, in the room carol sees too.
    with qtbot.waitSignals([alice.client.room_member_joined, carol.client.room_members_listed], timeout=WAIT_MS):
        assert carol.client.join_room("#dev")
    assert shown(alice) == [("alice", True), ("bob", True), ("carol", True)]
    assert shown(carol) == [("carol", True), ("alice", True), ("bob", True)]
    with qtbot.waitSignals([alice.client.room_member_left, carol.client.room_member_left], timeout=WAIT_MS):
        assert bob.client.leave_room("#dev")
    assert shown(alice) == [("alice", True), ("carol", True)] and label(alice) == "Members · 2 online"


def test_rosters_say_who_is_where() -> None:
    rosters = Rosters()
    rosters.welcomed(("alice", "bob"))
    assert rosters.members(LOBBY, "bob") == [Member("bob"), Member("alice")]
    assert rosters.members(DEV, "alice") is None  # not listed yet
    rosters.listed(DEV, ("alice", "bob"), ("carol",))
    rosters.went("bob")
    rosters.came("carol")
    rosters.renamed("carol", "caroline")
    assert rosters.members(DEV, "alice") == [Member("alice"), Member("caroline"), Member("bob", False)]
    assert rosters.counts(DEV) == (2, 1)
    assert rosters.members(BOB, "alice") == [Member("alice"), Member("bob", False)]
    rosters.room_renamed(DEV, Conversation.room("#devel"))
    assert rosters.members(DEV, "alice") is None and rosters.counts(Conversation.room("#devel")) == (2, 1)
    rosters.gone(Conversation.room("#devel"))
    assert rosters.members(Conversation.room("#devel"), "alice") is None


def test_the_member_model_changes_rows_one_at_a_time(qtbot: QtBot, qtmodeltester) -> None:
    model = MemberListModel()
    qtmodeltester.check(model)
    inserted: list[int] = []
    removed: list[int] = []
    model.rowsInserted.connect(lambda _parent, first, _last: inserted.append(first))
    model.rowsRemoved.connect(lambda _parent, first, _last: removed.append(first))
    model.set_members(["bob", "alice"], "alice")
    assert model.names == ["alice", "bob"]
    model.show_members([Member("alice"), Member("bob"), Member("carol")], "alice")
    model.show_members([Member("alice"), Member("carol")], "alice")
    with qtbot.waitSignal(model.dataChanged, timeout=WAIT_MS):
        model.show_members([Member("alice"), Member("carol", False)], "alice")
    assert (inserted, removed) == ([2], [1])
    assert model.index(1).data(Qt.ItemDataRole.ToolTipRole).startswith("carol is offline.")
