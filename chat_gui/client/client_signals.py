"""What the client engine reports, as Qt signals, and which of the session's outputs becomes which.

The session (session.py) returns plain events (events.py); ``ClientSignals.report`` emits the signal each one
is for, with the session's sentences in the user's language. ``ChatClient`` (engine.py) is a ClientSignals:
windows and tests connect to its signals, and only the engine's I/O (writing a message, cutting the
connection) is left for it to carry out.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QCoreApplication, QObject, Signal

from chat_gui.client.events import (
    LOBBY,
    Acked,
    ChatMessage,
    Ended,
    ErrorReceived,
    Farewell,
    HistoryPageReceived,
    InvitationSent,
    MemberJoined,
    MemberLeft,
    MemberRenamed,
    NoticeReceived,
    ProblemReported,
    ReadUpTo,
    Report,
    RoomEntered,
    RoomExited,
    RoomMemberJoined,
    RoomMemberLeft,
    RoomMembersListed,
    RoomRenamed,
    RoomsListed,
    StateChanged,
    StatusReceived,
    TopicChanged,
    Welcomed,
)
from chat_gui.client.file_events import TransferFailed, TransferFinished, TransferProgress, TransferReport
from chat_gui.client.phrases import translated
from chat_gui.client.presence import AwayChanged, AwayReplied, PresenceNews, TypingChanged
from chat_gui.client.search import SearchFailed, SearchPage, SearchReport


def said(text: str) -> str:
    """What the session said, in the user's language."""
    return translated(text, QCoreApplication.translate)


class ClientSignals(QObject):
    """The client engine's signals; ``report`` emits the one an event of the session is for."""

    state_changed = Signal(str)  # ClientState value
    welcomed = Signal(object)  # Welcomed: the assigned or chosen name, who is online
    message_acked = Signal(object, float)  # Acked, round-trip time in ms
    chat_received = Signal(object)  # ChatMessage: a message from another member
    history_page_received = Signal(object)  # HistoryPageReceived: the answer to load_older() or load_around()
    member_joined = Signal(str, int)  # name, members online
    member_left = Signal(str, str, int)  # name, how it ended (EndReason value), members online
    member_renamed = Signal(str, str)  # old name, new name
    status_received = Signal(object)  # p.StatusReport: a page of the server's connection cache
    notice_received = Signal(str, bool)  # text, private (to this member only)
    # Something sent while in the chat was refused: text, the refused message's id, the room of the request ("": none).
    problem_reported = Signal(str, str, str)
    error_received = Signal(str, str, str)  # code, text, refused message id: every error as it came (logs, tests)
    goodbye_received = Signal(object)  # Farewell, just before the server closes
    disconnected = Signal(str, str)  # ClientEnd value, the reason in plain words (``refusal`` says more)
    encrypted = Signal(str)  # TLS is up with a trusted server: its certificate's SHA-256 fingerprint
    reconnecting = Signal(int, int)  # attempt number (1, 2, ...), delay in ms before it starts
    # Rooms and direct messages (a server that speaks protocol version 2); each carries its event (events.py).
    room_entered = Signal(object)  # RoomEntered: this member joined or created a room
    room_exited = Signal(object)  # RoomExited: this member left, was removed from, or lost a closed room
    room_member_joined = Signal(object)  # RoomMemberJoined
    room_member_left = Signal(object)  # RoomMemberLeft
    rooms_listed = Signal(object)  # RoomsListed: the answer to request_rooms()
    room_members_listed = Signal(object)  # RoomMembersListed: the answer to request_room_members()
    topic_changed = Signal(object)  # TopicChanged
    invitation_sent = Signal(object)  # InvitationSent: this member invited someone, or was invited
    room_renamed = Signal(object)  # RoomRenamed: by the server's operator
    room_notice_received = Signal(object)  # NoticeReceived: from the operator to one room's members
    search_found = Signal(object)  # SearchPage: the answer to search() or search_more()
    search_failed = Signal(str, str)  # a search refused or not carried out: SearchRefusal value, the server's words
    read_marker_moved = Signal(object)  # ReadUpTo: how far this identity has read a conversation (any of its windows)
    # Typing and away (presence.py), each with its event.
    typing_changed = Signal(object)  # TypingChanged: who types in a conversation now (expired ones dropped)
    away_changed = Signal(object)  # AwayChanged: a member (this one too) went away or came back
    away_replied = Signal(object)  # AwayReplied: a direct message of this member went to a member away
    # Files (file_transfers.py), each with its event (file_events.py); a transfer is known by the id share_file or
    # download_file returned.
    transfer_progress = Signal(object)  # TransferProgress: at most 10 a second per transfer
    transfer_finished = Signal(object)  # TransferFinished: complete and verified
    transfer_failed = Signal(object)  # TransferFailed: ended without its file (cancelled included)

    def report(self, output: Report | SearchReport | PresenceNews | TransferReport) -> None:
        """Emit the signal ``output`` is for."""
        match output:
            case StateChanged(state=state):
                self.state_changed.emit(state.value)
            case ChatMessage():
                self.chat_received.emit(output)
            case HistoryPageReceived():
                self.history_page_received.emit(output)
            case Acked(rtt_ms=rtt_ms):
                self.message_acked.emit(output, rtt_ms)
            case Welcomed():
                self.welcomed.emit(output)
            case MemberJoined(name=name, online=online):
                self.member_joined.emit(name, online)
            case MemberLeft(name=name, reason=reason, online=online):
                self.member_left.emit(name, reason, online)
            case MemberRenamed(old=old, new=new):
                self.member_renamed.emit(old, new)
            case StatusReceived(report=report):
                self.status_received.emit(report)
            case NoticeReceived(text=text, private=private, conversation=conversation):
                if conversation == LOBBY:
                    self.notice_received.emit(text, private)
                else:
                    self.room_notice_received.emit(output)
            case RoomEntered():
                self.room_entered.emit(output)
            case RoomExited():
                self.room_exited.emit(output)
            case RoomMemberJoined():
                self.room_member_joined.emit(output)
            case RoomMemberLeft():
                self.room_member_left.emit(output)
            case RoomsListed():
                self.rooms_listed.emit(output)
            case RoomMembersListed():
                self.room_members_listed.emit(output)
            case TopicChanged():
                self.topic_changed.emit(output)
            case InvitationSent():
                self.invitation_sent.emit(output)
            case RoomRenamed():
                self.room_renamed.emit(output)
            case ReadUpTo():
                self.read_marker_moved.emit(output)
            case ErrorReceived(code=code, text=text, message_id=message_id):
                self.error_received.emit(code, text, message_id or "")
            case ProblemReported(text=text, message_id=message_id, conversation=room):
                self.problem_reported.emit(text, message_id or "", room.name if room is not None else "")
            case Farewell():
                self.goodbye_received.emit(dataclasses.replace(output, text=said(output.text)))
            case Ended(end=end, text=text):
                self.disconnected.emit(end.value, said(text))
            case SearchPage():
                self.search_found.emit(output)
            case SearchFailed(refusal=refusal, text=text):
                self.search_failed.emit(refusal.value, text)
            case TypingChanged():
                self.typing_changed.emit(output)
            case AwayChanged():
                self.away_changed.emit(output)
            case AwayReplied():
                self.away_replied.emit(output)
            case TransferProgress():
                self.transfer_progress.emit(output)
            case TransferFinished():
                self.transfer_finished.emit(output)
            case TransferFailed():
                self.transfer_failed.emit(output)
