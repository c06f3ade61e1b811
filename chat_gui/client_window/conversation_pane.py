"""The client window's conversations: the sidebar, which transcript the view shows, rooms as the engine reports
them, the room dialog and each room's mute.

A part of the client window (like the connect panel): it drives the ChatClient through its room methods and
words its room signals into the conversations' transcripts (room_lines.py); it never touches a socket. The
window asks it for a conversation's transcript, and hears from it which conversation is shown and when a
room's notice wants attention.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QWidget

from chat_gui.client import (
    LOBBY,
    ChatClient,
    Conversation,
    InvitationSent,
    NoticeReceived,
    RoomEntered,
    RoomExited,
    RoomMemberJoined,
    RoomMemberLeft,
    RoomRenamed,
    RoomsListed,
    RoomSummary,
    TopicChanged,
    Welcomed,
)
from chat_gui.client_window import room_lines
from chat_gui.client_window.conversations import ConversationModel, MutedRooms
from chat_gui.client_window.room_dialog import RoomDialog
from chat_gui.client_window.sidebar import ConversationSidebar
from chat_gui.client_window.transcript import Entry, EntryKind, TranscriptModel
from chat_gui.client_window.transcript_view import TranscriptView
from chat_gui.widgets import room_sentence


class ConversationPane(QObject):
    """Every conversation of one client window, and the sidebar that picks the one in view."""

    conversation_opening = Signal(object)  # Conversation: about to come into view (its unread count not cleared yet)
    conversation_shown = Signal(object)  # Conversation: now in the transcript view
    notice_arrived = Signal(object)  # NoticeReceived to a room: the window decides about attention

    def __init__(self, client: ChatClient, view: TranscriptView, settings: QSettings, address: Callable[[], str],
                 window: QWidget) -> None:
        super().__init__(window)
        self.client = client
        self.view = view
        self.window = window
        self.address = address  # the server's address, which the mutes are remembered by
        self.model = ConversationModel(self)
        self.sidebar = ConversationSidebar(self.model)
        self.header = QLabel()  # above the transcript: the conversation in view, and a room's topic
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.header.setWordWrap(True)
        self._update_header()
        self.muted_rooms = MutedRooms(settings)
        self.room_dialog: RoomDialog | None = None
        # Private rooms this member was invited to: the room list shows them only to members, so the dialog adds them.
        self._invitations: dict[Conversation, RoomSummary] = {}
        self._connect_signals()

    def _connect_signals(self) -> None:
        client = self.client
        client.room_entered.connect(self._on_client_room_entered)
        client.room_exited.connect(self._on_client_room_exited)
        client.room_member_joined.connect(self._on_client_room_member_joined)
        client.room_member_left.connect(self._on_client_room_member_left)
        client.rooms_listed.connect(self._on_client_rooms_listed)
        client.topic_changed.connect(self._on_client_topic_changed)
        client.invitation_sent.connect(self._on_client_invitation_sent)
        client.room_renamed.connect(self._on_client_room_renamed)
        client.room_notice_received.connect(self._on_client_room_notice_received)
        self.sidebar.conversation_selected.connect(self._on_sidebar_conversation_selected)
        self.sidebar.rooms_requested.connect(self._on_sidebar_rooms_requested)
        self.sidebar.mute_requested.connect(self._on_sidebar_mute_requested)
        self.sidebar.leave_requested.connect(self._on_sidebar_leave_requested)
        self.model.modelReset.connect(self._on_model_reset)

    # --- for the window -------------------------------------------------------------------------

    @property
    def current(self) -> Conversation:
        """The conversation in view (what is typed goes there)."""
        return self.sidebar.current

    def transcript(self, conversation: Conversation) -> TranscriptModel:
        return self.model.transcript(conversation)

    def is_muted(self, conversation: Conversation) -> bool:
        item = self.model.item(conversation)
        return item is not None and item.muted

    def show(self, conversation: Conversation) -> None:
        """Bring ``conversation`` into view (opened in the sidebar first, if it was not)."""
        self.open_quietly(conversation)
        self.sidebar.select(conversation)

    def open_quietly(self, conversation: Conversation) -> None:
        """Open a conversation a message or the server brought, keeping the one in view (and a room's mute)."""
        if self.model.add(conversation) and conversation.is_room:
            self.model.set_muted(conversation, conversation.key in self.muted_rooms.of(self.address()))

    def add(self, conversation: Conversation, kind: EntryKind, text: str, at: float | None = None) -> None:
        self.transcript(conversation).add(Entry(kind, text, time.time() if at is None else at))

    def add_error(self, conversation: Conversation, text: str) -> None:
        self.add(conversation, EntryKind.ERROR, text)

    def welcomed(self, welcome: Welcomed) -> None:
        """The rooms the welcome lists are open, with their topics and owners, and those it no longer lists (left
        elsewhere, or removed while away) are closed; the room dialog is offered only by a server that has rooms."""
        if welcome.has_rooms:
            for conversation in self.model.conversations.conversations:
                if conversation.is_room and conversation not in welcome.rooms:
                    self._close(conversation)
                    self.add(LOBBY, EntryKind.INFO, self.tr("You are no longer in {room}.").format(
                        room=conversation.name))
        for state in welcome.room_states:
            self.open_quietly(state.conversation)
            self.model.set_details(state.conversation, state.topic, state.private, state.owner)
        self.sidebar.rooms_button.setEnabled(welcome.has_rooms)
        self.sidebar.rooms_button.setToolTip(
            self.tr("Find a room to join, or create one") if welcome.has_rooms
            else self.tr("This server has only #lobby: it speaks no rooms (protocol version 1)"))
        self._update_header()

    # --- what the client engine reports ------------------------------------------------------------

    @Slot(object)
    def _on_client_room_entered(self, event: RoomEntered) -> None:
        self._invitations.pop(event.conversation, None)
        self.open_quietly(event.conversation)
        self.model.set_details(event.conversation, event.topic, event.private, event.owner)
        self.add(event.conversation, EntryKind.INFO, room_lines.entered_line(event))
        if not event.elsewhere:  # only a request of this window's brings it into the room; another window's adds it
            self.sidebar.select(event.conversation)

    @Slot(object)
    def _on_client_room_exited(self, event: RoomExited) -> None:
        self._close(event.conversation)
        self.add(LOBBY, EntryKind.INFO, room_lines.exited_line(event))

    @Slot(object)
    def _on_client_room_member_joined(self, event: RoomMemberJoined) -> None:
        self.add(event.conversation, EntryKind.JOINED, room_lines.member_joined_line(event))

    @Slot(object)
    def _on_client_room_member_left(self, event: RoomMemberLeft) -> None:
        self.add(event.conversation, EntryKind.LEFT, room_lines.member_left_line(event))

    @Slot(object)
    def _on_client_rooms_listed(self, event: RoomsListed) -> None:
        if self.room_dialog is not None:
            listed = {Conversation.room(room.name) for room in event.rooms}
            invited = [room for key, room in self._invitations.items() if key not in listed]
            self.room_dialog.show_rooms([*event.rooms, *invited])

    @Slot(object)
    def _on_client_topic_changed(self, event: TopicChanged) -> None:
        self.model.set_topic(event.conversation, event.topic)
        self.add(event.conversation, EntryKind.INFO, room_lines.topic_line(event))
        self._update_header()

    @Slot(object)
    def _on_client_invitation_sent(self, event: InvitationSent) -> None:
        invited = event.name == self.client.name  # to a room this member is not in yet: said where it looks
        if invited and event.conversation not in self.model.conversations:
            self._invitations[event.conversation] = RoomSummary(event.conversation.name, 0, "", True, invited=True)
            if self.room_dialog is not None and self.room_dialog.isVisible():
                self._on_room_dialog_refresh_requested()
        self.add(self.current if invited else event.conversation, EntryKind.INFO,
                 room_lines.invitation_line(event, self.client.name))

    @Slot(object)
    def _on_client_room_renamed(self, event: RoomRenamed) -> None:
        self.model.rename(event.old, event.new)
        self.add(event.new, EntryKind.INFO, room_lines.renamed_line(event))

    @Slot(object)
    def _on_client_room_notice_received(self, notice: NoticeReceived) -> None:
        self.open_quietly(notice.conversation)
        self.add(notice.conversation, EntryKind.NOTICE, notice.text)
        self.notice_arrived.emit(notice)

    @Slot()
    def _on_model_reset(self) -> None:
        self._update_header()  # a conversation came, went or was renamed: perhaps the one in view

    # --- what the user does ------------------------------------------------------------------------

    @Slot(object)
    def _on_sidebar_conversation_selected(self, conversation: Conversation) -> None:
        self.conversation_opening.emit(conversation)
        self.view.show_transcript(self.transcript(conversation))
        if self.window.isActiveWindow():
            self.model.mark_read(conversation)
        self._update_header()
        self.conversation_shown.emit(conversation)

    @Slot()
    def _on_sidebar_rooms_requested(self) -> None:
        if self.room_dialog is None:
            self.room_dialog = RoomDialog(room_sentence, self.window)
            self.room_dialog.join_requested.connect(self._on_room_dialog_join_requested)
            self.room_dialog.create_requested.connect(self._on_room_dialog_create_requested)
            self.room_dialog.refresh_requested.connect(self._on_room_dialog_refresh_requested)
        self.room_dialog.show()
        self.room_dialog.raise_()
        self._on_room_dialog_refresh_requested()

    @Slot(object, bool)
    def _on_sidebar_mute_requested(self, conversation: Conversation, muted: bool) -> None:
        self.model.set_muted(conversation, muted)
        self.muted_rooms.remember(self.address(), conversation, muted)
        self.conversation_shown.emit(self.current)  # the title's count leaves a muted room out

    @Slot(object)
    def _on_sidebar_leave_requested(self, conversation: Conversation) -> None:
        if conversation.is_room:
            self.client.leave_room(conversation.name)  # the room closes here when the server says it is left
            return
        self._close(conversation)

    @Slot()
    def _on_room_dialog_refresh_requested(self) -> None:
        if self.room_dialog is not None and self.client.request_rooms():
            self.room_dialog.set_waiting()

    @Slot(str)
    def _on_room_dialog_join_requested(self, name: str) -> None:
        room = Conversation.room(name)
        if room in self.model.conversations:
            self.sidebar.select(room)
        else:
            self.client.join_room(name)

    @Slot(str, bool)
    def _on_room_dialog_create_requested(self, name: str, private: bool) -> None:
        self.client.create_room(name, private)

    def _update_header(self) -> None:
        conversation = self.current
        if not conversation.is_room:
            self.header.setText(self.tr("Direct messages with {partner}: only the two of you see them").format(
                partner=conversation.name))
            return
        item = self.model.item(conversation)
        topic = item.topic if item is not None else ""
        self.header.setText(f"{conversation.name} · {topic}" if topic else conversation.name)

    def _close(self, conversation: Conversation) -> None:
        transcript = self.transcript(conversation)
        self.model.remove(conversation)  # the lobby comes into view if this one was in view
        self.view.forget_position(transcript)
        self.client.forget_scrollback(conversation)  # reopened, its transcript loads from its newest again
