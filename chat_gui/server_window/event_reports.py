"""What the server window's event log says about the engine's events: one line each, queued, never painted here.

The reporter only adds to the log model's queue (cheap under load); the window's flush timer
moves the queue into the view a few times a second. ``reported`` tells the window that
something is queued.

The lines are in the window's language (Qt's translation functions, whole sentences with named
placeholders); the headless server's terminal/file log and the wire stay English, worded in
chat_server/protocol. Names, rooms, addresses and message text are shown as they are.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from chat_gui.i18n import translatable
from chat_gui.server_window.engine_texts import listen_failure
from chat_gui.server_window.event_log import EventKind, EventLogModel
from chat_gui.server_window.files_model import SharedFileSummary
from chat_gui.widgets import file_size_text
from chat_server.core import ChatServer, RoomChange, RoomEvent
from chat_server.net import ListenFailure
from chat_server.protocol import LOBBY, EndReason, host_port
from chat_server.store import StoredMessage

_CONTEXT = "ServerEventReporter"


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
        server.window_opened.connect(self._on_server_window_opened)
        server.window_closed.connect(self._on_server_window_closed)
        server.member_renamed.connect(self._on_server_member_renamed)
        server.messages_relayed.connect(self._on_server_messages_relayed)
        server.connection_refused.connect(self._on_server_connection_refused)
        server.protocol_error.connect(self._on_server_protocol_error)
        server.member_throttled.connect(self._on_server_member_throttled)
        server.notice_sent.connect(self._on_server_notice_sent)
        server.room_event.connect(self._on_server_room_event)
        server.file_shared.connect(self._on_server_file_shared)

    def report(self, kind: EventKind, text: str) -> None:
        """Queue one line (also for what the window itself has to say: a failed kick, an unsent notice)."""
        self._log.add(kind, text)
        self.reported.emit()

    @Slot(bool)
    def _on_server_listening_changed(self, listening: bool) -> None:
        server = self._server
        if listening:
            limit = server.max_clients
            members = self.tr("at most %n member(s)", "", limit) if limit else self.tr("no member limit")
            how = [self.tr("TLS") if server.tls else self.tr("not encrypted")]
            if server.has_password:
                how.append(self.tr("password required"))
            self.report(EventKind.SERVER, self.tr("Listening on {address} ({members}; {how})").format(
                address=host_port(server.server_host, server.server_port), members=members, how=", ".join(how)))
            if server.tls:
                self.report(EventKind.SERVER, self.tr("TLS certificate SHA-256 fingerprint: {fingerprint}").format(
                    fingerprint=server.tls_fingerprint))
        else:
            online = server.online_count
            self.report(EventKind.SERVER, self.tr("Stopped listening; disconnecting %n member(s)", "", online)
                        if online else self.tr("Stopped listening"))

    @Slot(object)
    def _on_server_listen_failed(self, failure: ListenFailure) -> None:
        self.report(EventKind.ERROR, listen_failure(failure))

    @Slot(str, int)
    def _on_server_member_joined(self, name: str, online: int) -> None:
        self.report(EventKind.JOIN, self.tr("{name} joined · {online} online").format(name=name, online=online))

    @Slot(str, str, int)
    def _on_server_member_left(self, name: str, reason: str, online: int) -> None:
        self.report(EventKind.LEAVE, self.tr("{line} · {online} online").format(line=left_line(name, reason),
                                                                                  online=online))

    @Slot(str, int)
    def _on_server_window_opened(self, name: str, windows: int) -> None:
        self.report(EventKind.JOIN, self.tr("{name} opened another window · %n window(s) open", "", windows).format(
            name=name))

    @Slot(str, str, int)
    def _on_server_window_closed(self, name: str, reason: str, windows: int) -> None:
        self.report(EventKind.LEAVE, self.tr("One window: {line} · %n window(s) still open", "", windows).format(
            line=left_line(name, reason)))

    @Slot(str, str)
    def _on_server_member_renamed(self, old: str, new: str) -> None:
        self.report(EventKind.JOIN, self.tr("{old} is now {new}").format(old=old, new=new))

    @Slot(object)
    def _on_server_messages_relayed(self, messages: list[StoredMessage]) -> None:
        # One signal per commit; lines beyond the log's limit would scroll out before they are shown.
        for message in messages[-self._log.limit:]:
            if message.file is None:  # a share has its own line (file_shared), never an empty "alice:" too
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

    @Slot(object)
    def _on_server_file_shared(self, shared: SharedFileSummary) -> None:
        self.report(EventKind.MESSAGE, share_line(shared))

    @Slot(str, str)
    def _on_server_connection_refused(self, address: str, reason: str) -> None:
        self.report(EventKind.REFUSAL, self.tr("Refused {address}: {reason}").format(address=address, reason=reason))

    @Slot(str, str)
    def _on_server_protocol_error(self, name: str, text: str) -> None:
        self.report(EventKind.ERROR, self.tr("Bad input from {name}: {text}").format(name=name, text=text))

    @Slot(str)
    def _on_server_member_throttled(self, name: str) -> None:
        self.report(EventKind.ERROR, self.tr("{name} is sending too fast: its messages are read more slowly").format(
            name=name))

    @Slot(str, str)
    def _on_server_notice_sent(self, text: str, to: str) -> None:
        self.report(EventKind.NOTICE, self.tr("Notice to {to}: {text}").format(to=to or self.tr("everyone"), text=text))


_LEFT_LINES: dict[str, str] = {
    EndReason.EXIT.value: translatable("ServerEventReporter", "{name} left"),
    EndReason.DROPPED.value: translatable("ServerEventReporter", "{name} dropped (connection lost)"),
    EndReason.KICKED.value: translatable("ServerEventReporter", "{name} was kicked"),
    EndReason.TIMED_OUT.value: translatable("ServerEventReporter", "{name} timed out"),
    EndReason.TOO_SLOW.value: translatable("ServerEventReporter", "{name} disconnected: too slow to read its messages"),
    EndReason.ERROR.value: translatable("ServerEventReporter", "{name} disconnected after a protocol error"),
    EndReason.SERVER_STOPPED.value: translatable("ServerEventReporter", "{name} disconnected (server stopped)"),
    EndReason.REPLACED.value: translatable("ServerEventReporter",
                                           "{name} connected again: its old connection is closed"),
}
"""How the log says that a member left, by the reason (the same words as the terminal log's, in English)."""
_LEFT_OTHERWISE = translatable("ServerEventReporter", "{name} left ({reason})")


def left_line(name: str, reason: str) -> str:
    """``bob timed out``: a member left, and how (an unknown reason is shown as it is)."""
    template = _LEFT_LINES.get(reason, _LEFT_OTHERWISE)
    return QCoreApplication.translate(_CONTEXT, template).format(name=name, reason=reason)


ROOM_EVENT_KINDS: dict[RoomChange, EventKind] = {
    RoomChange.CREATED: EventKind.SERVER, RoomChange.JOINED: EventKind.JOIN, RoomChange.LEFT: EventKind.LEAVE,
    RoomChange.REMOVED: EventKind.LEAVE, RoomChange.INVITED: EventKind.JOIN, RoomChange.UNINVITED: EventKind.LEAVE,
    RoomChange.TOPIC: EventKind.SERVER, RoomChange.RENAMED: EventKind.SERVER, RoomChange.CLOSED: EventKind.LEAVE,
}


def room_event_line(event: RoomEvent) -> tuple[EventKind, str]:
    """The log's line for a change to a room: ``alice joined #dev``, ``#dev created by alice (private)``,
    ``topic of #dev set by alice: Friday``, ``bob removed from #dev by the operator``."""
    room, member = event.room, event.member or "?"
    who = event.by or QCoreApplication.translate("ServerEventReporter", "the operator")
    match event.change:
        case RoomChange.CREATED:
            text = (QCoreApplication.translate("ServerEventReporter", "{room} created by {who} (private)")
                    if event.private else QCoreApplication.translate("ServerEventReporter", "{room} created by {who}"))
        case RoomChange.JOINED:
            text = QCoreApplication.translate("ServerEventReporter", "{member} joined {room}")
        case RoomChange.LEFT:
            text = QCoreApplication.translate("ServerEventReporter", "{member} left {room}")
        case RoomChange.REMOVED:
            text = QCoreApplication.translate("ServerEventReporter", "{member} removed from {room} by {who}")
        case RoomChange.INVITED:
            text = QCoreApplication.translate("ServerEventReporter", "{member} invited to {room} by {who}")
        case RoomChange.UNINVITED:
            text = QCoreApplication.translate("ServerEventReporter",
                                              "{member}'s invitation to {room} withdrawn by {who}")
        case RoomChange.TOPIC:
            text = (QCoreApplication.translate("ServerEventReporter", "topic of {room} set by {who}: {topic}")
                    if event.topic
                    else QCoreApplication.translate("ServerEventReporter", "topic of {room} cleared by {who}"))
        case RoomChange.RENAMED:
            text = QCoreApplication.translate("ServerEventReporter", "{old} renamed to {room} by {who}")
        case RoomChange.CLOSED:
            text = (QCoreApplication.translate("ServerEventReporter", "{room} closed: its last member left")
                    if event.member and not event.by
                    else QCoreApplication.translate("ServerEventReporter", "{room} closed by {who}"))
    return ROOM_EVENT_KINDS[event.change], text.format(room=room, member=member, who=who, topic=event.topic,
                                                       old=event.old)


DIRECT_ARROW = " → "
"""How the engine writes a direct conversation (``alice → bob``) in a shared file's row."""


def share_line(shared: SharedFileSummary) -> str:
    """``alice shared report.pdf (1.2 MB) in #dev``; in a direct conversation only who with, as a direct message's
    line keeps its text: ``alice shared a file with bob``."""
    if DIRECT_ARROW not in shared.conversation:
        return QCoreApplication.translate("ServerEventReporter", "{sender} shared {name} ({size}) in {room}").format(
            sender=shared.sender, name=shared.name, size=file_size_text(shared.size), room=shared.conversation)
    pair = shared.conversation.split(DIRECT_ARROW)
    partner = next((name for name in pair if name != shared.sender), pair[-1])
    return QCoreApplication.translate("ServerEventReporter", "{sender} shared a file with {partner}").format(
        sender=shared.sender, partner=partner)
