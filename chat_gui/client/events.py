"""The client engine's vocabulary: its states, how a connection ends, and what it reports, as plain values.

These are what a window sees (through ChatClient's signals), instead of the wire's dataclasses and error
codes: the client session (session.py) makes them from what the server sends. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from chat_gui.client.file_events import SharedFile as SharedFile
from chat_gui.client.file_events import TransferDirection as TransferDirection
from chat_gui.client.file_events import TransferFailed as TransferFailed
from chat_gui.client.file_events import TransferFinished as TransferFinished
from chat_gui.client.file_events import TransferProblem as TransferProblem
from chat_gui.client.file_events import TransferProgress as TransferProgress
from chat_server.protocol import StatusReport


class ClientState(StrEnum):
    """Where the client is in its connection's life."""

    OFFLINE = "offline"
    CONNECTING = "connecting"
    JOINING = "joining"  # connected, hello sent, welcome not yet received
    ONLINE = "online"
    LEAVING = "leaving"  # exit sent, waiting for the goodbye


class ClientEnd(StrEnum):
    """Why a connection ended, as the ``disconnected`` signal reports it."""

    EXIT = "exit"  # we said exit and the server said goodbye
    KICKED = "kicked"
    SERVER_STOPPED = "server stopped"
    TIMED_OUT = "timed out"
    DROPPED = "dropped"  # the connection broke without a goodbye
    REFUSED = "refused"  # the server turned us away (full, name taken, ...)
    UNREACHABLE = "unreachable"  # no connection could be made
    ERROR = "error"  # a protocol error ended the session
    UNTRUSTED = "untrusted"  # a TLS server's certificate is not the one it had before (or was not accepted)
    PASSWORD = "password"  # the server needs a password, or another one than given
    REPLACED = "replaced"  # this client connected again elsewhere (another window), which took the name over


class RefusalKind(StrEnum):
    """What a refusal before the welcome was about."""

    NAME = "name"  # taken, kept for another client, or not a valid name: choose another
    PASSWORD = "password"  # missing or wrong
    FULL = "full"
    BUSY = "busy"  # too many connections at the password prompt, or a password check the server will not make now
    NOT_TLS = "not TLS"  # a plain client on a TLS port
    OTHER = "other"  # a refusal this client does not know (a newer server's)


@dataclass(frozen=True, slots=True)
class Refusal:
    """The server turned this connection away before the welcome; ``text`` is its words for people."""

    kind: RefusalKind
    text: str


class ConversationKind(StrEnum):
    """A room, where every member in it reads, or a direct conversation between this member and one other."""

    ROOM = "room"
    DIRECT = "direct"


@dataclass(frozen=True, slots=True)
class Conversation:
    """Where a message is said: a room (``#name``) or a direct conversation with the member ``name``.

    Made with ``room()`` and ``direct()``. Rooms are compared by their lower case (``#Dev`` is ``#dev``), and
    shown as their creator wrote them.
    """

    kind: ConversationKind
    key: str
    name: str = field(compare=False)

    @classmethod
    def room(cls, name: str) -> Conversation:
        return cls(ConversationKind.ROOM, name.lower(), name)

    @classmethod
    def direct(cls, name: str) -> Conversation:
        return cls(ConversationKind.DIRECT, name, name)

    @property
    def is_room(self) -> bool:
        return self.kind is ConversationKind.ROOM

    def __str__(self) -> str:
        return self.name


LOBBY_ROOM = "#lobby"
LOBBY = Conversation.room(LOBBY_ROOM)
"""The room every member is in from its welcome; everything a version-1 server says is said here."""


@dataclass(frozen=True, slots=True)
class RoomSummary:
    """A room as the room list shows it: its members and topic, whether it is private, whether this member is in it;
    ``invited``: a private room this member was invited to (the list does not show it otherwise)."""

    name: str
    members: int
    topic: str = ""
    private: bool = False
    joined: bool = False
    invited: bool = False


@dataclass(frozen=True, slots=True)
class RoomState:
    """A room this member is in, as the server last said: its topic, whether it is private, and who owns it
    (None: nobody, as for #lobby or a room the operator made). The welcome says it of every room, a join of one."""

    conversation: Conversation
    topic: str = ""
    private: bool = False
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class StateChanged:
    state: ClientState


@dataclass(frozen=True, slots=True)
class Welcomed:
    """The server let this client in: its name (chosen or assigned), who is online and the rooms it is in."""

    name: str
    online: int
    max_clients: int  # 0: no limit
    members: tuple[str, ...]
    max_line_bytes: int
    room_states: tuple[RoomState, ...] = ()  # the rooms this member is in, #lobby first (version 2; else none)

    @property
    def rooms(self) -> tuple[Conversation, ...]:
        """The rooms this member is in, #lobby first (none from a version-1 server)."""
        return tuple(state.conversation for state in self.room_states)

    @property
    def has_rooms(self) -> bool:
        """Whether the server speaks rooms and direct messages with this client (protocol version 2)."""
        return bool(self.room_states)


@dataclass(frozen=True, slots=True)
class Acked:
    """A message of this client's is stored: its id, the server's sequence number and time, the round trip;
    ``delivered_later``: a direct message to a member offline, who gets it when it next joins."""

    id: str
    seq: int
    time: float
    rtt_ms: float  # 0.0 for an id this client no longer waited for
    conversation: Conversation = LOBBY
    delivered_later: bool = False
    file: SharedFile | None = None  # the file this message shared, if it shared one


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A message from another member; ``history``: sent before this client joined (or while it was away);
    ``conversation``: the room it was said in, or the direct conversation with its sender."""

    sender: str
    text: str
    seq: int
    time: float
    history: bool = False
    conversation: Conversation = LOBBY
    file: SharedFile | None = None  # the file it shares (``text`` is then its caption, maybe empty)


@dataclass(frozen=True, slots=True)
class HistoryPageReceived:
    """A page of a conversation's earlier messages, asked for with ``load_older`` (or ``load_around``): ``messages``
    oldest first (each ``history``), to go at the top of its transcript (around ``around``: where they fall).
    ``more``: the conversation has older messages still (False: this is its beginning); ``newer``: an around page
    left newer messages out."""

    conversation: Conversation
    messages: tuple[ChatMessage, ...]
    more: bool
    before: int | None = None
    around: int | None = None
    newer: bool = False
    failed: bool = False  # the server could not read it: nothing came, and asking again may work
    refused: bool = False  # (with failed) the server refused it: a partner gone, a room left meanwhile


@dataclass(frozen=True, slots=True)
class MemberJoined:
    name: str
    online: int


@dataclass(frozen=True, slots=True)
class MemberLeft:
    name: str
    reason: str  # how it ended, as the server says (an EndReason value: exit, dropped, kicked, ...)
    online: int


@dataclass(frozen=True, slots=True)
class MemberRenamed:
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class StatusReceived:
    # The page is the protocol's record as it is: the status dialog shows exactly its fields, and a copy
    # field for field would only have to follow every change of it.
    report: StatusReport


@dataclass(frozen=True, slots=True)
class NoticeReceived:
    text: str
    private: bool  # to this member only
    conversation: Conversation = LOBBY  # a room's: to the members of that room


# --- rooms (protocol version 2) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoomEntered:
    """This member is now in a room (it joined or created it): the room, its topic, owner and members online;
    ``elsewhere``: this window did not ask, another connection of the member (another window) did."""

    conversation: Conversation
    topic: str
    private: bool
    owner: str | None  # None: nobody (#lobby, or a room the operator made)
    members: tuple[str, ...]
    created: bool  # this member's request made it
    elsewhere: bool = False


@dataclass(frozen=True, slots=True)
class RoomExited:
    """This member is out of a room: ``reason`` is ``left``, ``removed`` (by its owner or the operator) or
    ``closed`` (the operator closed it)."""

    conversation: Conversation
    reason: str


@dataclass(frozen=True, slots=True)
class RoomMemberJoined:
    """Another member joined a room this member is in; ``count``: the room's members now."""

    conversation: Conversation
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class RoomMemberLeft:
    """Another member is out of a room this member is in (``reason`` as in RoomExited)."""

    conversation: Conversation
    name: str
    reason: str
    count: int


@dataclass(frozen=True, slots=True)
class RoomsListed:
    """The room list: every public room, and the private rooms this member is in."""

    rooms: tuple[RoomSummary, ...]


@dataclass(frozen=True, slots=True)
class RoomMembersListed:
    """Who is in a room: online, and offline (by the names they last had)."""

    conversation: Conversation
    online: tuple[str, ...]
    offline: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TopicChanged:
    """A room's topic was set (empty: cleared) by ``by`` (None: the server's operator)."""

    conversation: Conversation
    topic: str
    by: str | None


@dataclass(frozen=True, slots=True)
class InvitationSent:
    """``name`` was invited to a room by ``by`` (None: the operator); this member is one of the two."""

    conversation: Conversation
    name: str
    by: str | None


@dataclass(frozen=True, slots=True)
class RoomRenamed:
    """The server's operator renamed a room this member is in."""

    old: Conversation
    new: Conversation


@dataclass(frozen=True, slots=True)
class ErrorReceived:
    """An error from the server, as it came (for logs and tests); ``refusal``: it turned the connection away."""

    code: str
    text: str
    message_id: str | None
    refusal: bool


@dataclass(frozen=True, slots=True)
class ProblemReported:
    """Something this member sent was refused while in the chat; ``message_id``: the message, if it was one;
    ``conversation``: the room of the request refused, if it named one."""

    text: str
    message_id: str | None
    conversation: Conversation | None = None


@dataclass(frozen=True, slots=True)
class Farewell:
    """The server's goodbye, just before it closes: ``text`` is what to show (never empty)."""

    name: str
    reason: ClientEnd
    time: float
    text: str


@dataclass(frozen=True, slots=True)
class Ended:
    """The connection is over: why, in words for people."""

    end: ClientEnd
    text: str


@dataclass(frozen=True, slots=True)
class ReconnectScheduled:
    """The client will try again after ``delay_ms``; ``attempt`` counts the tries since the last welcome."""

    attempt: int
    delay_ms: int


@dataclass(frozen=True, slots=True)
class Disconnect:
    """Cut the connection now, without a word (the session has recorded why)."""


@dataclass(frozen=True, slots=True)
class ReadUpTo:
    """This member's identity has read ``conversation`` up to the message ``seq``: its read marker there, as the
    server said it (after the welcome, or live, when this window or another of the same identity read further)."""

    conversation: Conversation
    seq: int


RoomReport = (RoomEntered | RoomExited | RoomMemberJoined | RoomMemberLeft | RoomsListed | RoomMembersListed
              | TopicChanged | InvitationSent | RoomRenamed)
"""What the engine reports about rooms (protocol version 2), one signal each."""

Report = (StateChanged | Welcomed | Acked | ChatMessage | HistoryPageReceived | MemberJoined | MemberLeft
          | MemberRenamed | StatusReceived | NoticeReceived | ErrorReceived | ProblemReported | Farewell | Ended
          | RoomReport | ReadUpTo)
"""What the engine reports, one signal each."""
