"""A room's actions in the client window against the real server: the topic, invitations and removal from the
sidebar's menu and the Room button, the owner's actions disabled for others with the reason, and the server's
refusals said in the room."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation
from chat_gui.client_window import room_actions
from chat_gui.client_window.conversations import ConversationItem
from chat_gui.client_window.room_actions import RoomQuestions, may_invite, may_remove, may_set_topic
from chat_gui.client_window.transcript import EntryKind
from chat_gui.client_window.window import ClientWindow
from tests.conftest import WAIT_MS, stop_clients

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

TEAM, DEV = Conversation.room("#team"), Conversation.room("#dev")


def actions(window: ClientWindow, conversation: Conversation) -> dict[str, QAction]:
    return {a.text().replace("&", ""): a for a in window.sidebar.menu_for(conversation).actions() if a.text()}


class Answers:
    """Stands in for the dialogs: records what each asked and gives the test's answer."""

    def __init__(self) -> None:
        self.topic: str | None = None
        self.member: str | None = None
        self.offered: list[list[str]] = []

    def ask_topic(self, parent: object, room: str, current: str) -> str | None:
        return self.topic

    def ask_member(self, parent: object, title: str, label: str, names: list[str]) -> str | None:
        self.offered.append(names)
        return self.member


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    given = Answers()
    monkeypatch.setattr(RoomQuestions, "topic", given.ask_topic)
    monkeypatch.setattr(RoomQuestions, "member", given.ask_member)
    return given


def test_the_owner_sets_the_topic_invites_and_removes_and_a_member_may_not(
        qtbot: QtBot, trio: list[ClientWindow], answers: Answers) -> None:
    alice, bob, _carol = trio
    with qtbot.waitSignal(alice.client.room_members_listed, timeout=WAIT_MS):
        assert alice.client.create_room("#team", private=True)
    menu = actions(alice, TEAM)
    assert list(menu) == ["Set topic…", "Invite member…", "Remove member…", "Mute notifications", "Leave #team"]
    assert all(action.isEnabled() for action in menu.values())

    # The topic, from the Room button's menu (the same as the sidebar's): shown above the transcript.
    assert alice.room_actions.button.text() == "Room ▾"
    answers.topic = "Ship on Friday"
    with qtbot.waitSignal(alice.client.topic_changed, timeout=WAIT_MS):
        [topic] = [a for a in alice.room_actions.menu().actions() if a.text() == "Set &topic…"]
        topic.trigger()
    assert alice.pane.header.text() == "#team · Ship on Friday"
    assert alice.transcript_lines(TEAM)[-1] == "alice set the topic of #team: Ship on Friday"

    # An invitation: the dialog offers the members online who are not in the room.
    answers.member = "bob"
    with qtbot.waitSignals([alice.client.invitation_sent, bob.client.invitation_sent], timeout=WAIT_MS):
        menu["Invite member…"].trigger()
    assert answers.offered == [["bob", "carol"]]
    with qtbot.waitSignals([bob.client.room_entered, alice.client.room_member_joined], timeout=WAIT_MS):
        assert bob.client.join_room("#team")

    # bob is a member, not the owner: he may invite, but neither set the topic nor remove, and is told why.
    bob_menu = actions(bob, TEAM)
    assert bob_menu["Invite member…"].isEnabled()
    assert not bob_menu["Remove member…"].isEnabled() and not bob_menu["Set topic…"].isEnabled()
    assert bob_menu["Remove member…"].toolTip() == "Only the owner of #team (alice) may remove members from it."
    assert bob_menu["Set topic…"].toolTip() == "Only the owner of the private room #team (alice) may set its topic."
    assert bob.pane.header.text() == "#team · Ship on Friday"

    # The server's refusal of his invitation to nobody is said in the room, where he asked.
    answers.member = "nobody"
    with qtbot.waitSignal(bob.client.problem_reported, timeout=WAIT_MS):
        bob.sidebar.select(LOBBY)  # the room is not even in view
        bob_menu["Invite member…"].trigger()
    last = bob.entries(TEAM)[-1]
    assert (last.kind, last.text) == (EntryKind.ERROR, "nobody is not a member here.")

    # alice removes bob: the dialog offers the room's members but her.
    answers.member = "bob"
    with qtbot.waitSignals([bob.client.room_exited, alice.client.room_member_left], timeout=WAIT_MS):
        actions(alice, TEAM)["Remove member…"].trigger()
    assert answers.offered[-1] == ["bob"]
    assert bob.transcript_lines(LOBBY)[-1] == "You were removed from #team."
    assert alice.transcript_lines(TEAM)[-1] == "bob was removed from #team · 1 member"


def test_too_many_invitations_are_refused_in_the_room(
        qtbot: QtBot, trio: list[ClientWindow], answers: Answers) -> None:
    alice = trio[0]
    with qtbot.waitSignal(alice.client.room_members_listed, timeout=WAIT_MS):
        assert alice.client.join_room("#dev")
    answers.member = "nobody"
    for _ in range(6):
        with qtbot.waitSignal(alice.client.problem_reported, timeout=WAIT_MS):
            actions(alice, DEV)["Invite member…"].trigger()
    errors = [entry.text for entry in alice.entries(DEV) if entry.kind is EntryKind.ERROR]
    assert errors[:5] == ["nobody is not a member here."] * 5
    assert errors[5].startswith("#dev: too many invitations: try again in ") and len(errors) == 6


def test_a_public_room_and_the_lobby_offer_what_their_rules_allow(
        qtbot: QtBot, trio: list[ClientWindow], answers: Answers) -> None:
    alice = trio[0]
    with qtbot.waitSignal(alice.client.room_members_listed, timeout=WAIT_MS):
        assert alice.client.join_room("#dev")
    menu = actions(alice, DEV)
    assert menu["Set topic…"].isEnabled() and menu["Invite member…"].isEnabled()
    assert not menu["Remove member…"].isEnabled()
    assert menu["Remove member…"].toolTip() == (
        "#dev is public: anyone may join it, and only the server's operator may remove a member from it.")
    lobby = actions(alice, LOBBY)
    assert list(lobby) == ["Set topic…", "Invite member…", "Remove member…", "Mute notifications"]
    assert not any(lobby[name].isEnabled() for name in ("Set topic…", "Invite member…", "Remove member…"))
    assert lobby["Set topic…"].toolTip() == "Only the server's operator sets the topic of #lobby."

    # A topic longer than the limit is refused before it is sent, in the room.
    answers.topic = "x" * (room_actions.MAX_TOPIC_CHARS + 1)
    menu["Set topic…"].trigger()
    assert alice.transcript_lines(DEV)[-1] == "Not set: a topic is at most 300 characters (this one has 301)."

    # A direct conversation's menu closes it; its button says so.
    bob_direct = Conversation.direct("bob")
    alice.open_conversation(bob_direct)
    assert alice.room_actions.button.text() == "Direct ▾"
    assert [a.text() for a in alice.room_actions.menu().actions()] == ["Close conversation"]


def test_a_room_from_the_welcome_has_its_owner_at_once_and_nothing_is_asked(
        qtbot: QtBot, trio: list[ClientWindow], answers: Answers) -> None:
    alice = trio[0]
    with qtbot.waitSignal(alice.client.room_members_listed, timeout=WAIT_MS):
        assert alice.client.create_room("#team", private=True)
    alice.sidebar.select(LOBBY)
    # Reconnected in a new window of the same member (same settings: the same client id), the room comes back
    # with the welcome, which says who owns it.
    settings = alice.settings
    with qtbot.waitSignal(alice.client.disconnected, timeout=WAIT_MS):
        alice.client.exit()
    again = ClientWindow(settings=settings)
    qtbot.addWidget(again)
    again.client.auto_reconnect = False
    again.show()
    entered: list[object] = []
    again.client.room_entered.connect(entered.append)
    try:
        with qtbot.waitSignal(again.client.welcomed, timeout=WAIT_MS):
            again.connect_to("127.0.0.1", alice.client.port, "alice")
        item = again.conversations.item(TEAM)
        assert item is not None and item.private and item.owner == "alice"
        assert actions(again, TEAM)["Remove member…"].isEnabled()
        # Shown, the room asks for its members (the member list), and for nothing else: a join sent before that
        # request would have been answered before it.
        with qtbot.waitSignal(again.client.room_members_listed, timeout=WAIT_MS):
            again.sidebar.select(TEAM)
        assert entered == [] and again.transcript_lines(TEAM) == []
        assert actions(again, TEAM)["Remove member…"].isEnabled()
    finally:
        stop_clients([again.client])


def test_the_rules_of_the_room_actions() -> None:
    team = ConversationItem(TEAM, private=True, owner="alice")
    assert may_remove(team, "alice").allowed and may_set_topic(team, "alice").allowed
    assert not may_remove(team, "bob").allowed and may_invite(team, "bob").allowed
    by_operator = ConversationItem(TEAM, private=True, owner=None)
    assert may_remove(by_operator, "bob").why_not == (
        "Only the owner of #team (the server's operator) may remove members from it.")
    public = ConversationItem(DEV, owner="alice")
    assert may_set_topic(public, "bob").allowed and not may_remove(public, "bob").allowed
    assert not may_remove(public, "alice").allowed  # a public room's owner removes nobody
