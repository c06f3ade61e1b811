"""The client engine's vocabulary: its states, how a connection ends, and what it reports, as plain values.

These are what a window sees (through ChatClient's signals), instead of the wire's dataclasses and error
codes: the client session (session.py) makes them from what the server sends. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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


@dataclass(frozen=True, slots=True)
class StateChanged:
    state: ClientState


@dataclass(frozen=True, slots=True)
class Welcomed:
    """The server let this client in: its name (chosen or assigned) and who is online."""

    name: str
    online: int
    max_clients: int  # 0: no limit
    members: tuple[str, ...]
    max_line_bytes: int


@dataclass(frozen=True, slots=True)
class Acked:
    """A message of this client's is stored: its id, the server's sequence number and time, the round trip."""

    id: str
    seq: int
    time: float
    rtt_ms: float  # 0.0 for an id this client no longer waited for


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A message from another member; ``history``: sent before this client joined (or while it was away)."""

    sender: str
    text: str
    seq: int
    time: float
    history: bool = False


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


@dataclass(frozen=True, slots=True)
class ErrorReceived:
    """An error from the server, as it came (for logs and tests); ``refusal``: it turned the connection away."""

    code: str
    text: str
    message_id: str | None
    refusal: bool


@dataclass(frozen=True, slots=True)
class ProblemReported:
    """Something this member sent was refused while in the chat; ``message_id``: the message, if it was one."""

    text: str
    message_id: str | None


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


Report = (StateChanged | Welcomed | Acked | ChatMessage | MemberJoined | MemberLeft | MemberRenamed
          | StatusReceived | NoticeReceived | ErrorReceived | ProblemReported | Farewell | Ended)
"""What the engine reports, one signal each."""
