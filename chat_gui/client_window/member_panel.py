"""The client window's member list: who is in the conversation in view, kept live.

For ``#lobby``, everyone online (as before rooms); for another room, its members online and offline, asked for
(``members``) when the room comes into view and kept up to date by the room's ``joined``/``left`` news and by
members coming and going; for a direct conversation, this member and its partner, online or not. It listens to
the engine and to the conversation pane, keeps the state in Rosters (plain Python) and shows it in a
MemberListModel and the list's label; it never touches a socket.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel

from chat_gui.client import (
    LOBBY,
    ChatClient,
    ClientState,
    Conversation,
    RoomEntered,
    RoomExited,
    RoomMemberJoined,
    RoomMemberLeft,
    RoomMembersListed,
    RoomRenamed,
    Welcomed,
)
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.member_list import MemberListModel
from chat_gui.client_window.rosters import Rosters
from chat_gui.client_window.words import online_phrase


class MemberPanel(QObject):
    """Keeps the member list and its label on the members of the conversation in view."""

    def __init__(self, client: ChatClient, pane: ConversationPane, model: MemberListModel, label: QLabel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.pane = pane
        self.model = model
        self.label = label
        self.rosters = Rosters()
        self._online = 0  # members online, as the server last said
        self._connect_signals()
        self._update_label()

    def _connect_signals(self) -> None:
        client = self.client
        client.welcomed.connect(self._on_client_welcomed)
        client.member_joined.connect(self._on_client_member_joined)
        client.member_left.connect(self._on_client_member_left)
        client.member_renamed.connect(self._on_client_member_renamed)
        client.disconnected.connect(self._on_client_disconnected)
        client.room_entered.connect(self._on_client_room_entered)
        client.room_exited.connect(self._on_client_room_exited)
        client.room_member_joined.connect(self._on_client_room_member_joined)
        client.room_member_left.connect(self._on_client_room_member_left)
        client.room_members_listed.connect(self._on_client_room_members_listed)
        client.room_renamed.connect(self._on_client_room_renamed)
        self.pane.conversation_shown.connect(self._on_pane_conversation_shown)

    @property
    def online_text(self) -> str:
        """How many members are online, as the lobby's label and the welcome say it."""
        return online_phrase(self._online, self.client.max_clients)

    # --- what the client engine reports ------------------------------------------------------------

    @Slot(object)
    def _on_client_welcomed(self, welcome: Welcomed) -> None:
        self._online = welcome.online
        self.rosters.welcomed(welcome.members)
        self._ask(self.pane.current)
        self._refresh()

    @Slot(str, int)
    def _on_client_member_joined(self, name: str, online: int) -> None:
        self._online = online
        self.rosters.came(name)
        self._refresh()

    @Slot(str, str, int)
    def _on_client_member_left(self, name: str, _reason: str, online: int) -> None:
        self._online = online
        self.rosters.went(name)
        self._refresh()

    @Slot(str, str)
    def _on_client_member_renamed(self, old: str, new: str) -> None:
        self.rosters.renamed(old, new)
        self._refresh()

    @Slot(str, str)
    def _on_client_disconnected(self, _kind: str, _text: str) -> None:
        self._online = 0
        self.rosters.clear()
        self.model.clear()
        self._update_label()

    @Slot(object)
    def _on_client_room_entered(self, event: RoomEntered) -> None:
        self.rosters.entered(event.conversation, event.members)
        self._refresh()

    @Slot(object)
    def _on_client_room_exited(self, event: RoomExited) -> None:
        self.rosters.gone(event.conversation)
        self._refresh()

    @Slot(object)
    def _on_client_room_member_joined(self, event: RoomMemberJoined) -> None:
        self.rosters.joined(event.conversation, event.name)
        self._refresh()

    @Slot(object)
    def _on_client_room_member_left(self, event: RoomMemberLeft) -> None:
        self.rosters.left(event.conversation, event.name)
        self._refresh()

    @Slot(object)
    def _on_client_room_members_listed(self, event: RoomMembersListed) -> None:
        self.rosters.listed(event.conversation, event.online, event.offline)
        self._refresh()

    @Slot(object)
    def _on_client_room_renamed(self, event: RoomRenamed) -> None:
        self.rosters.room_renamed(event.old, event.new)
        self._refresh()

    @Slot(object)
    def _on_pane_conversation_shown(self, conversation: Conversation) -> None:
        self._ask(conversation)
        self._refresh()

    # --- helpers ---------------------------------------------------------------------------------

    def _ask(self, conversation: Conversation) -> None:
        """A room other than the lobby came into view: ask who is in it (the answer replaces what is known)."""
        if conversation.is_room and conversation != LOBBY:
            self.client.request_room_members(conversation.name)

    def _refresh(self) -> None:
        if self.client.state is not ClientState.ONLINE:
            return
        members = self.rosters.members(self.pane.current, self.client.name)
        self.model.show_members(members or [], self.client.name)
        self._update_label()

    def _update_label(self) -> None:
        conversation = self.pane.current
        if self.client.state is not ClientState.ONLINE:
            count = self.model.rowCount()
            self.label.setText(self.tr("&Members") if not count else self.tr("&Members · {count}").format(count=count))
        elif conversation == LOBBY:
            self.label.setText(self.tr("&Members · {online}").format(online=self.online_text))
        elif not conversation.is_room:
            self.label.setText(self.tr("&Members · you and {partner}").format(partner=conversation.name))
        elif self.rosters.members(conversation, self.client.name) is None:
            self.label.setText(self.tr("&Members · asking…"))
        else:  # (the room's name is above the transcript)
            online, offline = self.rosters.counts(conversation)
            if offline:
                self.label.setText(self.tr("&Members · {online} online, {offline} offline").format(
                    online=online, offline=offline))
            else:
                self.label.setText(self.tr("&Members · {online} online").format(online=online))
