"""What the server window's event log says about the engine's events: one line each, queued, never painted here.

The reporter only adds to the log model's queue (cheap under load); the window's flush timer
moves the queue into the view a few times a second. ``reported`` tells the window that
something is queued.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from chat_gui.server_window.event_log import EventKind, EventLogModel
from chat_server.core import ChatServer, RoomChange, RoomEvent
from chat_server.protocol import LOBBY, host_port, left_log_line
from chat_server.store import StoredMessage


class ServerEventReporter(QObject):
    """Turns the engine's signals into the event log's lines."""

    reported = Signal()  # a line was queued in the log

    def __init__(self, server: ChatServer, log: EventLogModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = server
        self._log = log
        server.listening_changed.connect(self._on_server_listening_changed)
        server.listen_failed.connect(self._on_server_listen_failed)
        server.member_joined.connect(self._on_server_member_joined)
        server.member_left.connect(self._on_server_member_left)
        server.member_renamed.connect(self._on_server_member_renamed)
        server.messages_relayed.connect(self._on_server_messages_relayed)
        server.connection_refused.connect(self._on_server_connection_refused)
        server.protocol_error.connect(self._on_server_protocol_error)
        server.member_throttled.connect(self._on_server_member_throttled)
        server.notice_sent.connect(self._on_server_notice_sent)
        server.room_event.connect(self._on_server_room_event)

    def report(self, kind: EventKind, text: str) -> None:
        """Queue one line (also for what the window itself has to say: a failed kick, an unsent notice)."""
        self._log.add(kind, text)
        self.reported.emit()

    @Slot(bool)
    def _on_server_listening_changed(self, listening: bool) -> None:
        server = self._server
        if listening:
            limit = server.max_clients
            members = f"at most {limit} members" if limit else "no member limit"
            how = "TLS" if server.tls else "not encrypted"
            if server.has_password:
                how += ", password required"
            self.report(EventKind.SERVER, f"Listening on {host_port(server.server_host, server.server_port)}"
                                          f" ({members}; {how})")
            if server.tls:
                self.report(EventKind.SERVER, f"TLS certificate SHA-256 fingerprint: {server.tls_fingerprint}")
        else:
            online = server.online_count
            self.report(EventKind.SERVER, f"Stopped listening; disconnecting {online} member(s)" if online
                        else "Stopped listening")

    @Slot(str)
    def _on_server_listen_failed(self, text: str) -> None:
        self.report(EventKind.ERROR, text)

    @Slot(str, int)
    def _on_server_member_joined(self, name: str, online: int) -> None:
        self.report(EventKind.JOIN, f"{name} joined · {online} online")

    @Slot(str, str, int)
    def _on_server_member_left(self, name: str, reason: str, online: int) -> None:
        self.report(EventKind.LEAVE, f"{left_log_line(name, reason)} · {online} online")

    @Slot(str, str)
    def _on_server_member_renamed(self, old: str, new: str) -> None:
        self.report(EventKind.JOIN, f"{old} is now {new}")

    @Slot(object)
    def _on_server_messages_relayed(self, messages: list[StoredMessage]) -> None:
        # One signal per commit; lines beyond the log's limit would scroll out before they are shown.
        for message in messages[-self._log.limit:]:
            self._log.add(EventKind.MESSAGE, self._message_line(message))
        self.reported.emit()

    def _message_line(self, message: StoredMessage) -> str:
        """``alice: hi`` in #lobby, ``[#dev] alice: hi`` in a room, ``alice → bob: direct message`` (never its text)."""
        server = self._server
        pair = server.direct_members(message.conversation)
        if pair:
            to = next((name for name in pair if name != message.sender), pair[-1])
            return f"{message.sender} → {to}: {message.text}"  # the engine already hid the text
        room = server.room_of(message.conversation)
        where = f"[{room}] " if room is not None and room != LOBBY else ""  # #lobby's look as before
        return f"{where}{message.sender}: {message.text}"

    @Slot(object)
    def _on_server_room_event(self, event: RoomEvent) -> None:
        self.report(*room_event_line(event))

    @Slot(str, str)
    def _on_server_connection_refused(self, address: str, reason: str) -> None:
        self.report(EventKind.REFUSAL, f"Refused {address}: {reason}")

    @Slot(str, str)
    def _on_server_protocol_error(self, name: str, text: str) -> None:
        self.report(EventKind.ERROR, f"Bad input from {name}: {text}")

    @Slot(str)
    def _on_server_member_throttled(self, name: str) -> None:
        self.report(EventKind.ERROR, f"{name} is sending too fast: its messages are read more slowly")

    @Slot(str, str)
    def _on_server_notice_sent(self, text: str, to: str) -> None:
        self.report(EventKind.NOTICE, f"Notice to {to or 'everyone'}: {text}")


OPERATOR = "the operator"
ROOM_EVENT_KINDS: dict[RoomChange, EventKind] = {
    RoomChange.CREATED: EventKind.SERVER, RoomChange.JOINED: EventKind.JOIN, RoomChange.LEFT: EventKind.LEAVE,
    RoomChange.REMOVED: EventKind.LEAVE, RoomChange.INVITED: EventKind.JOIN, RoomChange.UNINVITED: EventKind.LEAVE,
    RoomChange.TOPIC: EventKind.SERVER, RoomChange.RENAMED: EventKind.SERVER, RoomChange.CLOSED: EventKind.LEAVE,
}


def room_event_line(event: RoomEvent) -> tuple[EventKind, str]:
    """The log's line for a change to a room: ``alice joined #dev``, ``#dev created by alice (private)``,
    ``topic of #dev set by alice: Friday``, ``bob removed from #dev by the operator``."""
    room, member, who = event.room, event.member or "?", event.by or OPERATOR
    match event.change:
        case RoomChange.CREATED:
            text = f"{room} created by {who}{' (private)' if event.private else ''}"
        case RoomChange.JOINED:
            text = f"{member} joined {room}"
        case RoomChange.LEFT:
            text = f"{member} left {room}"
        case RoomChange.REMOVED:
            text = f"{member} removed from {room} by {who}"
        case RoomChange.INVITED:
            text = f"{member} invited to {room} by {who}"
        case RoomChange.UNINVITED:
            text = f"{member}'s invitation to {room} withdrawn by {who}"
        case RoomChange.TOPIC:
            text = (f"topic of {room} set by {who}: {event.topic}" if event.topic
                    else f"topic of {room} cleared by {who}")
        case RoomChange.RENAMED:
            text = f"{event.old} renamed to {room} by {who}"
        case RoomChange.CLOSED:
            text = (f"{room} closed: its last member left" if event.member and not event.by
                    else f"{room} closed by {who}")
    return ROOM_EVENT_KINDS[event.change], text
