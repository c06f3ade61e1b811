"""The operator's actions on rooms from the server window's Rooms tab, carried out by the engine: a refusal is said
in the event log, in the window's language (chat_gui/server_window/engine_texts.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from chat_gui.server_window.engine_texts import room_refusal
from chat_gui.server_window.event_log import EventKind
from chat_gui.server_window.notice_bar import NoticeBar
from chat_gui.server_window.rooms_panel import RoomsPanel
from chat_server.core import ChatServer


class RoomOperations(QObject):
    """Carries out the Rooms tab's requests with the engine's room methods; ``report`` writes a log line, ``flush``
    applies the engine's changes to the window now."""

    def __init__(self, server: ChatServer, panel: RoomsPanel, notice_bar: NoticeBar,
                 report: Callable[[EventKind, str], None], flush: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = server
        self._panel = panel
        self._notice_bar = notice_bar
        self._report = report
        self._flush = flush

    def connect_signals(self) -> None:
        """Follow the Rooms tab (the window calls it from its own ``_connect_signals``)."""
        panel = self._panel
        panel.create_requested.connect(self._on_rooms_create_requested)
        panel.close_requested.connect(self._on_rooms_close_requested)
        panel.rename_requested.connect(self._on_rooms_rename_requested)
        panel.topic_requested.connect(self._on_rooms_topic_requested)
        panel.remove_requested.connect(self._on_rooms_remove_requested)
        panel.invite_requested.connect(self._on_rooms_invite_requested)
        panel.members_wanted.connect(self._on_rooms_members_wanted)
        panel.notice_requested.connect(self._on_rooms_notice_requested)
        panel.selection_changed.connect(self._on_rooms_selection_changed)

    @Slot(str, bool)
    def _on_rooms_create_requested(self, room: str, private: bool) -> None:
        why_not = self._server.create_room(room, private)
        if why_not is None:  # the engine's room_event logs it
            self._flush()
            self._panel.select_room(room)
        else:
            self._report(EventKind.ERROR, self.tr("Room {room} not created: {reason}").format(
                room=room, reason=room_refusal(why_not)))

    @Slot(str)
    def _on_rooms_close_requested(self, room: str) -> None:
        why_not = self._server.close_room(room)
        if why_not is not None:
            self._report(EventKind.ERROR, self.tr("Room {room} not closed: {reason}").format(
                room=room, reason=room_refusal(why_not)))

    @Slot(str, str)
    def _on_rooms_rename_requested(self, room: str, new_name: str) -> None:
        why_not = self._server.rename_room(room, new_name)
        if why_not is None:
            self._flush()
            self._panel.select_room(new_name)
        else:
            self._report(EventKind.ERROR, self.tr("Room {room} not renamed: {reason}").format(
                room=room, reason=room_refusal(why_not)))

    @Slot(str, str)
    def _on_rooms_topic_requested(self, room: str, topic: str) -> None:
        why_not = self._server.set_room_topic(room, topic)
        if why_not is not None:
            self._report(EventKind.ERROR, self.tr("Topic of {room} not set: {reason}").format(
                room=room, reason=room_refusal(why_not)))

    @Slot(str, str)
    def _on_rooms_remove_requested(self, name: str, room: str) -> None:
        why_not = self._server.remove_from_room(name, room)
        if why_not is not None:
            self._report(EventKind.ERROR, self.tr("{name} not removed from {room}: {reason}").format(
                name=name, room=room, reason=room_refusal(why_not)))

    @Slot(str, str)
    def _on_rooms_invite_requested(self, name: str, room: str) -> None:
        why_not = self._server.invite_to_room(name, room)
        if why_not is not None:
            self._report(EventKind.ERROR, self.tr("{name} not invited to {room}: {reason}").format(
                name=name, room=room, reason=room_refusal(why_not)))

    @Slot(str)
    def _on_rooms_members_wanted(self, room: str) -> None:
        self._panel.set_members(self._server.room_members(room))

    @Slot(str)
    def _on_rooms_notice_requested(self, room: str) -> None:
        self._notice_bar.set_recipient(room)
        self._notice_bar.text_edit.setFocus()

    @Slot()
    def _on_rooms_selection_changed(self) -> None:
        room = self._panel.selected_room()
        if room is not None:
            self._notice_bar.set_recipient(room)
