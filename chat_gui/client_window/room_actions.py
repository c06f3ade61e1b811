"""What a member can do to a room from the client window: set its topic, invite, remove a member.

``may_set_topic``, ``may_invite`` and ``may_remove`` say with plain rules, the server's (chat_server/core/rooms.py),
whether this member may, and if not why, in words for a tooltip. ``RoomActions`` puts these actions at the top
of a room's menu (the sidebar's context menu, where Mute and Leave follow, and the Room button above the
transcript, which shows that same menu), asks what it needs through ``RoomQuestions`` (replaceable in tests)
and calls the engine. The server decides in the end: a refusal comes back as an error, said in the room.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QToolButton, QWidget

from chat_gui.client import LOBBY, ChatClient, ClientState, Conversation
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.conversations import ConversationItem
from chat_gui.client_window.rosters import Rosters
from chat_gui.widgets import ask_item

translate = QCoreApplication.translate

MAX_TOPIC_CHARS = 300
"""A topic's length limit, as docs/protocol.md gives it (the server refuses a longer one with topic_too_long)."""


@dataclass(frozen=True, slots=True)
class Permission:
    """Whether this member may do something to a room; if not, why (a sentence for a tooltip)."""

    allowed: bool
    why_not: str = ""


ALLOWED = Permission(True)


def may_set_topic(item: ConversationItem, me: str) -> Permission:
    """Any member sets a public room's topic; a private room's only its owner; #lobby's only the operator."""
    room = item.conversation.name
    if item.conversation == LOBBY:
        why = translate("RoomActions", "Only the server's operator sets the topic of {room}.")
        return Permission(False, why.format(room=room))
    if item.private and item.owner != me:
        why = translate("RoomActions", "Only the owner of the private room {room} ({owner}) may set its topic.")
        return Permission(False, why.format(room=room, owner=_owner(item)))
    return ALLOWED


def may_invite(item: ConversationItem, _me: str) -> Permission:
    """Any member of a room may invite to it (to a public one, the invitation is news only); #lobby has everyone."""
    if item.conversation == LOBBY:
        why = translate("RoomActions", "Everyone is in {room} already.")
        return Permission(False, why.format(room=LOBBY.name))
    return ALLOWED


def may_remove(item: ConversationItem, me: str) -> Permission:
    """Only the owner of a private room removes members (the operator may from any room, in the server window)."""
    room = item.conversation.name
    if item.conversation == LOBBY:
        why = translate("RoomActions", "Nobody can be removed from {room}.")
        return Permission(False, why.format(room=room))
    if not item.private:
        why = translate("RoomActions", "{room} is public: anyone may join it, and only the server's operator "
                                       "may remove a member from it.")
        return Permission(False, why.format(room=room))
    if item.owner != me:
        why = translate("RoomActions", "Only the owner of {room} ({owner}) may remove members from it.")
        return Permission(False, why.format(room=room, owner=_owner(item)))
    return ALLOWED


def _owner(item: ConversationItem) -> str:
    return item.owner or translate("RoomActions", "the server's operator")


class RoomQuestions:
    """The questions the room actions ask; tests replace these class methods."""

    @classmethod
    def topic(cls, parent: QWidget, room: str, current: str) -> str | None:
        """The new topic of ``room`` (empty: none), or None if the user cancelled."""
        title = translate("RoomActions", "Topic of {room}").format(room=room)
        label = translate("RoomActions", "The topic of {room} (empty: none):").format(room=room)
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, current)
        return text.strip() if ok else None

    @classmethod
    def member(cls, parent: QWidget, title: str, label: str, names: list[str]) -> str | None:
        """A member's name, chosen among ``names`` or typed; None if the user cancelled."""
        name = ask_item(parent, title, label, names, QCoreApplication.translate("RoomQuestions", "Member"))
        return name.strip() if name is not None and name.strip() else None


class RoomActions(QObject):
    """The room actions of the sidebar's menu and of the Room button above the transcript."""

    def __init__(self, client: ChatClient, pane: ConversationPane, rosters: Callable[[], Rosters],
                 window: QWidget) -> None:
        super().__init__(window)
        self.client = client
        self.pane = pane
        self.rosters = rosters  # who is online and in which room, as the member list knows it
        self.window = window
        self.button = QToolButton()
        self.button.setText(self.tr("Room ▾"))
        self.button.setAutoRaise(True)
        self.button.setToolTip(self.tr("What you can do in the conversation in view: topic, invitations, mute, leave"))
        self.button.setAccessibleName(self.tr("Conversation actions"))
        self.pane.sidebar.room_actions = self.add_to
        self.button.clicked.connect(self._on_button_clicked)
        self.pane.conversation_shown.connect(self._on_pane_conversation_shown)

    def menu(self) -> QMenu:
        """The menu of the conversation in view (what the Room button shows)."""
        return self.pane.sidebar.menu_for(self.pane.current)

    def add_to(self, conversation: Conversation, menu: QMenu) -> None:
        """Put the room actions of ``conversation`` (a room) at the top of ``menu``."""
        item = self.pane.model.item(conversation)
        if item is None or not conversation.is_room:
            return
        me = self.client.name
        online = self.client.state is ClientState.ONLINE and self.client.has_rooms
        menu.setToolTipsVisible(True)
        for text, permission, slot in (
                (self.tr("Set &topic…"), may_set_topic(item, me), lambda: self._set_topic(conversation)),
                (self.tr("&Invite member…"), may_invite(item, me), lambda: self._invite(conversation)),
                (self.tr("&Remove member…"), may_remove(item, me), lambda: self._remove(conversation))):
            action = QAction(text, menu)
            action.setEnabled(online and permission.allowed)
            why_not = permission.why_not or ("" if online else self.tr("You are offline: this is asked of the server."))
            action.setToolTip(why_not or text.replace("&", "").removesuffix("…"))
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.addSeparator()

    @Slot(object)
    def _on_pane_conversation_shown(self, conversation: Conversation) -> None:
        self.button.setText(self.tr("Room ▾") if conversation.is_room else self.tr("Direct ▾"))

    @Slot()
    def _on_button_clicked(self) -> None:
        menu = self.menu()
        menu.exec(self.button.mapToGlobal(QPoint(0, self.button.height())))
        menu.deleteLater()

    def _set_topic(self, room: Conversation) -> None:
        item = self.pane.model.item(room)
        topic = RoomQuestions.topic(self.window, room.name, item.topic if item is not None else "")
        if topic is None:
            return
        if len(topic) > MAX_TOPIC_CHARS:
            self.pane.add_error(room, self.tr("Not set: a topic is at most {limit} characters (this one has {length}).")
                                .format(limit=MAX_TOPIC_CHARS, length=len(topic)))
            return
        self.client.set_topic(room.name, topic)

    def _invite(self, room: Conversation) -> None:
        rosters = self.rosters()
        members = rosters.members(room, self.client.name) or []
        inside = {member.name for member in members}
        names = [name for name in rosters.online if name not in inside and name != self.client.name]
        name = RoomQuestions.member(self.window, self.tr("Invite to {room}").format(room=room.name),
                                    self.tr("Who may join {room}? (a member's name)").format(room=room.name), names)
        if name is not None:
            self.client.invite(room.name, name)

    def _remove(self, room: Conversation) -> None:
        members = self.rosters().members(room, self.client.name) or []
        names = [member.name for member in members if member.name != self.client.name]
        name = RoomQuestions.member(self.window, self.tr("Remove from {room}").format(room=room.name),
                                    self.tr("Whom to take out of {room}? (or whose invitation to withdraw)")
                                    .format(room=room.name), names)
        if name is not None:
            self.client.remove_member(room.name, name)
