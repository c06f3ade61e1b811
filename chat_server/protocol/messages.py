"""Every message of the chat protocol as a frozen dataclass, shared by both framings.

Times are Unix epoch seconds (UTC) as floats. ``TYPE`` is the value of the
``type`` field in JSON mode; text mode renders the same objects as plain lines
(see ``textmode``).

Over 400 lines: the protocol's whole vocabulary, every message with the checks of its fields, reads in one place.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from chat_server.protocol.addresses import host_port
from chat_server.protocol.files import FILE_REPLIES, FILE_REQUESTS, FileRef
from chat_server.protocol.message_base import Message
from chat_server.protocol.presence import PRESENCE_EVENTS, PRESENCE_REQUESTS
from chat_server.protocol.problems import Problem, ProblemCode
from chat_server.protocol.read_markers import MarkRead, ReadMarker
from chat_server.protocol.scrollback import HistoryPage, ScrollbackRequest

__all__ = [
    "CLIENT_MESSAGES", "DEFAULT_MAX_LINE_BYTES", "ERR_BAD_MESSAGE", "ERR_DIRECT_TO_SELF", "ERR_INVALID_UTF8",
    "ERR_INVITE_ONLY", "ERR_LINE_TOO_LONG", "ERR_LOBBY_FIXED", "ERR_MESSAGE_INVALID", "ERR_NAME_INVALID",
    "ERR_NAME_RESERVED", "ERR_NAME_TAKEN", "ERR_NOT_ALLOWED", "ERR_NOT_IN_ROOM", "ERR_NOT_OWNER", "ERR_NOT_STORED",
    "ERR_NOT_THERE", "ERR_NO_SUCH_ROOM", "ERR_PASSWORD_REQUIRED", "ERR_PASSWORD_WRONG", "ERR_ROOM_EXISTS",
    "ERR_ROOM_INVALID", "ERR_SERVER_FULL", "ERR_TOO_MANY_INVITATIONS", "ERR_TOO_MANY_JOINED", "ERR_TOO_MANY_ROOMS",
    "ERR_TOPIC_TOO_LONG", "ERR_TRY_LATER", "ERR_UNKNOWN_COMMAND", "ERR_UNKNOWN_MEMBER", "ERR_UNREACHABLE",
    "ERR_VERSION", "LOBBY", "MAX_INSTANCE_LENGTH", "MAX_NAME_LENGTH", "MAX_ROOM_NAME_LENGTH", "MAX_TOPIC_LENGTH",
    "ONLINE",
    "PROTOCOL_VERSION", "ROOMS_VERSION", "ROOM_REPLIES", "ROOM_REQUESTS", "SERVER_MESSAGES", "SUPPORTED_VERSIONS",
    "Ack", "Banner", "Chat", "CreateRoom", "EndReason", "Error", "Exit", "Goodbye", "Hello", "HelpRequest",
    "HistoryRequest", "Invite", "Invited", "JoinRoom", "Joined", "JoinedRoom", "LeaveRoom", "Left", "MembersRequest",
    "Message",
    "Notice", "PasswordAttempt", "Ping", "Pong", "Problem", "ProblemCode", "Refusal", "Relay", "Remove", "Renamed",
    "RoomDetails", "RoomExit", "RoomList", "RoomListing", "RoomMembers", "RoomRenamed", "RoomsRequest", "SessionInfo",
    "SetTopic", "StatusReport", "StatusRequest", "SwitchRoom", "TelnetReply", "Topic", "TopicRequest", "Welcome",
    "instance_problem", "name_fault",
    "name_key", "name_problem", "normalize_name", "room_fault", "room_key", "room_problem", "text_fault",
    "text_problem",
]

PROTOCOL_VERSION = 1
ROOMS_VERSION = 2
"""The protocol version that brings rooms and direct messages (docs/protocol.md, *Rooms and direct messages*).
A client asks for it in its hello (``Hello(version=ROOMS_VERSION)``); without asking it is spoken version 1."""
SUPPORTED_VERSIONS = (PROTOCOL_VERSION, ROOMS_VERSION)
MAX_NAME_LENGTH = 32
MAX_ROOM_NAME_LENGTH = 32
"""A room's name after its ``#``: 1 to 32 of a-z, 0-9, ``-`` and ``_``."""
MAX_TOPIC_LENGTH = 300
LOBBY = "#lobby"
"""The room every member is in from its hello; on the wire a message of #lobby has no ``room`` field."""
DEFAULT_MAX_LINE_BYTES = 64 * 1024


class EndReason(StrEnum):
    """How a session ended; the value is what the protocol and the cache show."""

    EXIT = "exit"
    DROPPED = "dropped"
    KICKED = "kicked"
    REFUSED_FULL = "refused: full"
    REFUSED_NAME = "refused: name"
    REFUSED_PASSWORD = "refused: password"  # a wrong or missing password
    REFUSED_BUSY = "refused: busy"  # too many connections at the password prompt, or a check too far off
    TIMED_OUT = "timed out"
    TOO_SLOW = "too slow"  # it did not read what it was sent, and its output passed the cap
    ERROR = "error"
    SERVER_STOPPED = "server stopped"
    REPLACED = "replaced"  # the same client connected again and took its name over
    REFUSED_NOT_TLS = "refused: not TLS"  # a plain client (netcat) on a TLS port


ONLINE = "online"
"""The state of a session that has not ended."""


class RoomExit(StrEnum):
    """Why a member is out of a room (the ``reason`` of a ``left`` with a ``room``)."""

    LEFT = "left"  # it left
    REMOVED = "removed"  # the room's owner or the operator took it out
    CLOSED = "closed"  # the operator closed the room


# --- client to server -------------------------------------------------------

MAX_INSTANCE_LENGTH = 64
_INSTANCE = re.compile(r"[A-Za-z0-9._-]+")


def instance_problem(instance: str) -> str | None:
    """Why a hello's ``instance`` cannot be taken (it is compared, kept and logged as it is), or None."""
    if len(instance) > MAX_INSTANCE_LENGTH or _INSTANCE.fullmatch(instance) is None:
        return f"hello: instance must be 1 to {MAX_INSTANCE_LENGTH} letters, digits, '.', '_' or '-'"
    return None


@dataclass(frozen=True, slots=True)
class Hello(Message):
    """First line of a JSON client: switches the connection to JSON mode."""

    TYPE: ClassVar[str] = "hello"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"instance"})
    version: int = PROTOCOL_VERSION
    name: str | None = None
    client_id: str | None = None  # identifies the client across reconnects (resends are recognised)
    last_seq: int | None = None  # on a reconnect: the last sequence number seen; the server sends what followed
    password: str | None = field(default=None, repr=False)  # for a server that asks for one (never logged)
    # Which of the client's windows this is (the same across that window's reconnects): with the same client id,
    # another instance is another window of the same member, sharing its name; the same one is a reconnect.
    instance: str | None = None


@dataclass(frozen=True, slots=True)
class PasswordAttempt(Message):
    """A text client's first line on a server with a password (text mode only: JSON clients put it in hello)."""

    TYPE: ClassVar[str] = "password"
    text: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Chat(Message):
    """A chat message from a client; ``id`` is chosen by the client and echoed in the ack."""

    TYPE: ClassVar[str] = "chat"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to", "file"})
    id: str
    text: str
    room: str | None = None  # version 2: the room it is said in (None: #lobby)
    to: str | None = None  # version 2: a direct message to the member of this name (never with ``room``)
    file: str | None = None  # version 2: shares the file of this id (a verified upload); ``text`` is its caption


@dataclass(frozen=True, slots=True)
class StatusRequest(Message):
    """Asks for the server's connection cache."""

    TYPE: ClassVar[str] = "status"
    all_runs: bool = False  # also the sessions of earlier runs of the server (from its store)
    page: int = 1  # 1: the newest STATUS_PAGE_ROWS sessions, 2: the ones before them, ...


@dataclass(frozen=True, slots=True)
class HistoryRequest(Message):
    """Asks for the last ``count`` stored messages (text mode only: ``history [N]``; JSON clients get them on join)."""

    TYPE: ClassVar[str] = "history"
    count: int | None = None  # None: the default number


@dataclass(frozen=True, slots=True)
class TelnetReply(Message):
    """Telnet negotiation the decoder answers, to be written back as it is (text mode only; see telnet.py)."""

    TYPE: ClassVar[str] = "telnet"
    data: bytes


@dataclass(frozen=True, slots=True)
class Exit(Message):
    """Ends the session cleanly (text mode: ``exit``, ``quit`` or ``over``)."""

    TYPE: ClassVar[str] = "exit"


@dataclass(frozen=True, slots=True)
class Ping(Message):
    """Liveness probe; either side may send it and the other answers with a pong."""

    TYPE: ClassVar[str] = "ping"
    token: str = ""


@dataclass(frozen=True, slots=True)
class Pong(Message):
    """Answer to a ping, echoing its token."""

    TYPE: ClassVar[str] = "pong"
    token: str = ""


# --- client to server, version 2: rooms -------------------------------------
# A room is named on the wire as ``#name`` (any case; compared in lower case). Text mode has a command for each
# (``/join #dev``, ...; see textmode.py).


@dataclass(frozen=True, slots=True)
class JoinRoom(Message):
    """Join a room, creating it (public, you its owner) if there is none; answered with ``RoomDetails``."""

    TYPE: ClassVar[str] = "join"
    room: str


@dataclass(frozen=True, slots=True)
class CreateRoom(Message):
    """Create a room (``private``: invisible to non-members, joined only by invitation); answered with
    ``RoomDetails``, or the error ``room_exists``."""

    TYPE: ClassVar[str] = "create"
    room: str
    private: bool = False


@dataclass(frozen=True, slots=True)
class LeaveRoom(Message):
    """Leave a room (never #lobby); answered with your own ``Left`` (reason ``left``)."""

    TYPE: ClassVar[str] = "leave"
    room: str


@dataclass(frozen=True, slots=True)
class RoomsRequest(Message):
    """Ask for the room list (public rooms and the private rooms you are in); answered with ``RoomList``."""

    TYPE: ClassVar[str] = "rooms"


@dataclass(frozen=True, slots=True)
class MembersRequest(Message):
    """Ask who is in a room; answered with ``RoomMembers``."""

    TYPE: ClassVar[str] = "members"
    room: str


@dataclass(frozen=True, slots=True)
class SetTopic(Message):
    """Set a room's topic (empty: none); its members online are sent ``Topic``."""

    TYPE: ClassVar[str] = "set_topic"
    room: str
    topic: str


@dataclass(frozen=True, slots=True)
class Invite(Message):
    """Invite the member called ``name`` to a room you are in (a private room needs it to be joined); you and
    the invitee, if online, are sent ``Invited``."""

    TYPE: ClassVar[str] = "invite"
    room: str
    name: str


@dataclass(frozen=True, slots=True)
class Remove(Message):
    """Take the member called ``name`` out of a private room you own (or withdraw its invitation); the room's
    members online, the removed one among them, are sent ``Left`` (reason ``removed``)."""

    TYPE: ClassVar[str] = "remove"
    room: str
    name: str


@dataclass(frozen=True, slots=True)
class SwitchRoom(Message):
    """Text mode only (``/switch #room``): the lines you type go to this room from now on."""

    TYPE: ClassVar[str] = "switch"
    room: str


@dataclass(frozen=True, slots=True)
class TopicRequest(Message):
    """Text mode only (``/topic [#room]`` without text): show the room's topic; it changes nothing."""

    TYPE: ClassVar[str] = "show_topic"
    room: str


@dataclass(frozen=True, slots=True)
class HelpRequest(Message):
    """Text mode only (``/help``): the list of commands."""

    TYPE: ClassVar[str] = "help"


# --- server to client -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Banner(Message):
    """The plain-text line the server sends on accept (greeting or refusal), as a JSON client sees it."""

    TYPE: ClassVar[str] = "banner"
    text: str


@dataclass(frozen=True, slots=True)
class Refusal(Message):
    """The plain-text line that turns a new connection away (full, busy, not TLS) just before the server closes.

    ``reason`` is the ``EndReason`` value the server records (``refused: full``); on the wire the line starts
    with it in brackets, so that a program can tell a refusal from the greeting without reading the prose.
    """

    TYPE: ClassVar[str] = "refusal"
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class JoinedRoom:
    """One room of a version-2 welcome: a room the member is in, with what a member needs to know of it (the
    ``room`` reply says the same, with the members online, when it joins one)."""

    room: str  # its name as its creator wrote it
    topic: str
    private: bool
    owner: str | None  # the owner's name (its last name, if offline); None: nobody (#lobby, or an operator's room)


@dataclass(frozen=True, slots=True)
class Welcome(Message):
    """Answer to hello: the member's final name and who is online."""

    TYPE: ClassVar[str] = "welcome"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"rooms"})
    name: str
    online: int
    max_clients: int
    members: tuple[str, ...] = ()
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    version: int = PROTOCOL_VERSION
    # The newest stored message's sequence number. A client that has seen no message yet
    # resumes from here after a drop, so it gets what it missed, not the recent history again.
    seq: int = 0
    rooms: tuple[JoinedRoom, ...] = ()  # version 2: the rooms the member is in, #lobby first (left out when empty)


@dataclass(frozen=True, slots=True)
class Ack(Message):
    """Acknowledges the sender's chat message ``id``; ``seq`` is the server's sequence number."""

    TYPE: ClassVar[str] = "ack"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to", "delivered_later"})
    id: str
    seq: int
    time: float
    text: str = ""  # only text mode shows it ("<text> ACK"); JSON leaves it out
    room: str | None = None  # version 2: the room the message was said in (None: #lobby)
    to: str | None = None  # version 2: the recipient of a direct message
    delivered_later: bool = False  # a direct message stored for a member offline: it gets it when it next joins


@dataclass(frozen=True, slots=True)
class Relay(Message):
    """A chat message from another member."""

    TYPE: ClassVar[str] = "message"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"history", "room", "to", "file"})
    sender: str
    text: str
    seq: int
    time: float
    history: bool = False  # sent before the member joined (replayed from the store)
    room: str | None = None  # version 2: the room it was said in (None: #lobby)
    to: str | None = None  # version 2: a direct message, to the member of this name (you, or your partner in replay)
    file: FileRef | None = None  # version 2: the file it shares (``text`` is then its caption, maybe empty)


@dataclass(frozen=True, slots=True)
class Joined(Message):
    """A member joined; ``online`` is the member count after the join."""

    TYPE: ClassVar[str] = "joined"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room"})
    name: str
    online: int  # without ``room``: members online; with it: the room's members
    time: float
    room: str | None = None  # version 2: the member joined this room (None: it came online, so is in #lobby)


@dataclass(frozen=True, slots=True)
class Left(Message):
    """A member left; ``reason`` is an ``EndReason`` value, ``online`` the count after."""

    TYPE: ClassVar[str] = "left"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room"})
    name: str
    reason: str  # without ``room``: an EndReason value; with it: a RoomExit value
    online: int  # without ``room``: members online after; with it: the room's members after
    time: float
    room: str | None = None  # version 2: the member is out of this room (None: it went offline)


@dataclass(frozen=True, slots=True)
class Renamed(Message):
    """A member announced under its assigned name chose another one with a late hello."""

    TYPE: ClassVar[str] = "renamed"
    old: str
    new: str
    time: float


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One row of the connection cache as sent in a status report."""

    name: str
    host: str
    port: int
    connected_at: float
    disconnected_at: float | None
    state: str  # "online" or an EndReason value
    messages: int
    run: int = 0  # which run of the server (1, 2, ... since the store was created)
    attempts: int = 1  # refused connections from one address within a minute share one row: how many
    away: str | None = None  # online and away, with this message

    OMITTED: ClassVar[frozenset[str]] = frozenset({"away"})
    """Fields JSON leaves out while None: only a member away has ``away`` (a version-1 status row is as it was)."""

    @property
    def address(self) -> str:
        return host_port(self.host, self.port)


@dataclass(frozen=True, slots=True)
class StatusReport(Message):
    """The server's connection cache: every session seen since the server started."""

    TYPE: ClassVar[str] = "status_report"
    online: int
    max_clients: int
    started_at: float
    sessions: tuple[SessionInfo, ...] = ()
    run: int = 0  # this run's number
    all_runs: bool = False  # sessions of earlier runs are included
    # Paging: ``sessions`` is page ``page`` of ``pages`` (1: the newest), out of ``total`` sessions in all.
    total: int = 0
    page: int = 1
    pages: int = 1


@dataclass(frozen=True, slots=True)
class Notice(Message):
    """A notice from the server operator, to everyone or (``private``) to one member."""

    TYPE: ClassVar[str] = "notice"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room"})
    text: str
    time: float
    private: bool = False
    room: str | None = None  # version 2: a notice to the members of this room


@dataclass(frozen=True, slots=True)
class Error(Message):
    """Something the peer sent was refused; ``code`` is machine-readable, ``text`` for people."""

    TYPE: ClassVar[str] = "error"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room"})
    code: str
    text: str
    id: str | None = None  # the chat message refused, if one was
    room: str | None = None  # version 2: the room of the request (or chat) refused, as the client wrote it


@dataclass(frozen=True, slots=True)
class Goodbye(Message):
    """Last message before the server closes a member's connection."""

    TYPE: ClassVar[str] = "goodbye"
    name: str
    reason: str
    time: float
    text: str = ""


# --- server to client, version 2: rooms -------------------------------------


@dataclass(frozen=True, slots=True)
class RoomDetails(Message):
    """A room you are now in: the answer to ``join`` and ``create`` (then come its history and your ``joined``)."""

    TYPE: ClassVar[str] = "room"
    room: str  # its name as its creator wrote it (``#Dev``)
    topic: str
    private: bool
    owner: str | None  # the owner's name (its last name, if offline); None: nobody (#lobby, or an operator's room)
    members: tuple[str, ...] = ()  # its members online, you included, sorted
    created: bool = False  # your request made it


@dataclass(frozen=True, slots=True)
class RoomListing:
    """One room of a room list."""

    room: str
    members: int  # how many are in it (#lobby: how many are online)
    topic: str
    private: bool


@dataclass(frozen=True, slots=True)
class RoomList(Message):
    """The answer to ``rooms``: every public room, and the private rooms you are in, by name."""

    TYPE: ClassVar[str] = "room_list"
    rooms: tuple[RoomListing, ...] = ()


@dataclass(frozen=True, slots=True)
class RoomMembers(Message):
    """The answer to ``members``: who is in a room, online and not (by their last names), each sorted."""

    TYPE: ClassVar[str] = "room_members"
    room: str
    members: tuple[str, ...] = ()
    offline: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic(Message):
    """A room's topic was set, by the member ``by`` (None: the server operator)."""

    TYPE: ClassVar[str] = "topic"
    room: str
    topic: str
    by: str | None
    time: float


@dataclass(frozen=True, slots=True)
class Invited(Message):
    """``name`` was invited to a room by ``by`` (None: the operator); sent to the inviter and the invitee."""

    TYPE: ClassVar[str] = "invited"
    room: str
    name: str
    by: str | None
    time: float


@dataclass(frozen=True, slots=True)
class RoomRenamed(Message):
    """The server operator renamed a room: sent to its members online."""

    TYPE: ClassVar[str] = "room_renamed"
    old: str
    new: str
    time: float


# Error codes, shared by the server and the clients.
ERR_BAD_MESSAGE = "bad_message"
ERR_LINE_TOO_LONG = "line_too_long"
ERR_INVALID_UTF8 = "invalid_utf8"
ERR_NAME_TAKEN = "name_taken"
ERR_NAME_INVALID = "name_invalid"
ERR_SERVER_FULL = "server_full"
ERR_VERSION = "unsupported_version"
ERR_NOT_ALLOWED = "not_allowed"
ERR_MESSAGE_INVALID = "message_invalid"
ERR_NOT_STORED = "not_stored"
ERR_PASSWORD_REQUIRED = "password_required"
ERR_PASSWORD_WRONG = "password_wrong"
ERR_NAME_RESERVED = "name_reserved"
ERR_TRY_LATER = "try_later"
# Version 2: rooms and direct messages. The ``error`` names the request's ``room`` (or the chat's ``id``).
ERR_ROOM_INVALID = "room_invalid"  # not a room name
ERR_NO_SUCH_ROOM = "no_such_room"  # none of that name (or a private one you are neither in nor invited to)
ERR_ROOM_EXISTS = "room_exists"  # ``create`` of a room that exists
ERR_INVITE_ONLY = "invite_only"  # ``join`` of a private room without an invitation
ERR_NOT_IN_ROOM = "not_in_room"  # you are not in that room (to write to it, invite to it, see its members...)
ERR_NOT_THERE = "not_there"  # ``remove`` of someone neither in the room nor invited to it
ERR_NOT_OWNER = "not_owner"  # only the room's owner (or the operator) may do that
ERR_LOBBY_FIXED = "lobby_fixed"  # everyone stays in #lobby, and it cannot be left, removed from or invited to
ERR_TOO_MANY_ROOMS = "too_many_rooms"  # the server has as many rooms as it may (--max-rooms)
ERR_TOO_MANY_JOINED = "too_many_joined"  # you are in as many rooms as you may (--max-rooms-per-member)
ERR_TOPIC_TOO_LONG = "topic_too_long"
ERR_UNKNOWN_MEMBER = "unknown_member"  # no member has that name, online or reserved for a client id
ERR_DIRECT_TO_SELF = "direct_to_self"
ERR_UNREACHABLE = "unreachable"  # the member's client speaks version 1: it cannot receive direct messages
ERR_TOO_MANY_INVITATIONS = "too_many_invitations"  # invitations are rate-limited: the text says when to try again
ERR_UNKNOWN_COMMAND = "unknown_command"  # text mode: a line starting with / that is no command (see /help)

ROOM_REQUESTS: tuple[type[Message], ...] = (
    JoinRoom, CreateRoom, LeaveRoom, RoomsRequest, MembersRequest, SetTopic, Invite, Remove, MarkRead,
    ScrollbackRequest,
)
"""Version 2's requests in JSON mode."""
CLIENT_MESSAGES: tuple[type[Message], ...] = (
    Hello, Chat, StatusRequest, Exit, Ping, Pong, *ROOM_REQUESTS, *PRESENCE_REQUESTS, *FILE_REQUESTS,
)
ROOM_REPLIES: tuple[type[Message], ...] = (
    RoomDetails, RoomList, RoomMembers, Topic, Invited, RoomRenamed, ReadMarker, HistoryPage,
)
SERVER_MESSAGES: tuple[type[Message], ...] = (
    Welcome, Ack, Relay, Joined, Left, Renamed, StatusReport, Notice, Error, Goodbye, Ping, Pong, *ROOM_REPLIES,
    *PRESENCE_EVENTS, *FILE_REPLIES,
)


_ROOM_NAME = re.compile(rf"#[a-z0-9_-]{{1,{MAX_ROOM_NAME_LENGTH}}}", re.ASCII | re.IGNORECASE)


def room_fault(room: str) -> Problem | None:
    """Why ``room`` is not a room's name (``#`` and 1 to 32 of a-z, 0-9, ``-``, ``_``, any case), or None."""
    if _ROOM_NAME.fullmatch(room):
        return None
    return Problem(ProblemCode.ROOM_INVALID, limit=MAX_ROOM_NAME_LENGTH, found=repr(room[:40]))


def room_problem(room: str) -> str | None:
    """``room_fault`` as the protocol's English sentence."""
    fault = room_fault(room)
    return None if fault is None else fault.english


def room_key(room: str) -> str:
    """What a room's name is compared by: its lower case (``#Dev`` and ``#dev`` are one room)."""
    return room.lower()


def normalize_name(name: str) -> str:
    """The form a name is kept and shown in: NFKC, so that fullwidth or styled letters become plain ones."""
    return unicodedata.normalize("NFKC", name)


def name_key(name: str) -> str:
    """A name the same in any case and any compatibility form (``ALICE``, or fullwidth letters): what a client
    keeps its identity for a name under, and the key of an assigned name (the server tells look-alikes apart
    further: chat_server/core/names.py)."""
    return normalize_name(name).casefold()


def name_fault(name: str) -> Problem | None:
    """Why ``name`` (normalized) cannot be a member name, or None if it can.

    Text members see names at the start of lines (``alice: hi``, ``* alice joined``): a name must
    start with a letter or a digit (never ``[``, ``*`` or other signs the server's lines begin
    with), holds no ``:``, and is one line of visible characters.
    """
    if not name or not name.strip():
        return Problem(ProblemCode.NAME_EMPTY)
    if name != name.strip():
        return Problem(ProblemCode.NAME_SPACES)
    if len(name) > MAX_NAME_LENGTH:
        return Problem(ProblemCode.NAME_TOO_LONG, limit=MAX_NAME_LENGTH)
    categories = [unicodedata.category(ch) for ch in name]
    if "Cc" in categories:
        return Problem(ProblemCode.NAME_CONTROL)
    if any(c.startswith("C") for c in categories):
        return Problem(ProblemCode.NAME_INVISIBLE)
    if any(c in ("Zl", "Zp") for c in categories):
        return Problem(ProblemCode.NAME_LINES)
    if categories[0][0] not in "LN":
        return Problem(ProblemCode.NAME_START)
    if ":" in name:
        return Problem(ProblemCode.NAME_COLON)
    return None


def name_problem(name: str) -> str | None:
    """``name_fault`` as the protocol's English sentence."""
    fault = name_fault(name)
    return None if fault is None else fault.english


# Control characters (Unicode category Cc) other than tab: they would break lines or
# let one member drive another member's terminal.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
# Line and paragraph separators: drawn as line breaks by some (our window's drawText among them).
_SEPARATOR = re.compile("[\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates: they reorder what follows, so that a message
# can show another text than it holds (or run into the sender's name).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# An emoji tag sequence (a subdivision flag: black flag, tag letters, cancel tag) is the one use of
# tag characters; a joiner between two visible characters is part of writing (emoji, Indic scripts).
_TAG_SEQUENCE = re.compile("\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F")
_JOINERS = "\u200c\u200d"
# Letters that draw nothing (Hangul fillers): invisible without being format characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


@functools.cache
def _hidden_pattern() -> re.Pattern[str]:
    """Every format character (category Cf) and blank letter, as one character class (built on first use)."""
    planes = (*range(0x20000), *range(0xE0000, 0xE1000))  # where format characters are assigned
    codes = sorted({code for code in planes if unicodedata.category(chr(code)) == "Cf"}
                   | {ord(ch) for ch in _BLANK_LETTERS})
    ranges: list[list[int]] = []
    for code in codes:  # as ranges: a class of single characters is slow to search
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges) + "]")


def _invisible(text: str) -> str | None:
    """The first invisible format character of ``text`` outside the uses allowed above, as U+XXXX."""
    text = _TAG_SEQUENCE.sub("x", text)
    for found in _hidden_pattern().finditer(text):
        ch, index = found.group(), found.start()
        if ch in _JOINERS and 0 < index < len(text) - 1:
            before, after = text[index - 1], text[index + 1]
            if not before.isspace() and not after.isspace() and before not in _JOINERS \
                    and unicodedata.category(after) != "Cf" and after not in _BLANK_LETTERS:
                continue  # a joiner between two visible characters is part of the writing
        return f"U+{ord(ch):04X}"
    return None


def text_fault(text: str) -> Problem | None:
    """Why ``text`` cannot be a chat message (its size aside), or None if it can."""
    if not text.strip():
        return Problem(ProblemCode.TEXT_EMPTY)
    bad = _CONTROL.search(text)
    if bad is not None:
        if bad.group() in "\r\n":
            return Problem(ProblemCode.TEXT_LINES)
        return Problem(ProblemCode.TEXT_CONTROL)
    if text.isascii():  # (a constant-time test) none of what follows is ASCII
        return None
    if _SEPARATOR.search(text):
        return Problem(ProblemCode.TEXT_SEPARATOR)
    bidi = _BIDI.search(text)
    if bidi is not None:
        return Problem(ProblemCode.TEXT_BIDI, found=f"U+{ord(bidi.group()):04X}")
    invisible = _invisible(text)
    if invisible is not None:
        return Problem(ProblemCode.TEXT_INVISIBLE, found=invisible)
    return None


def text_problem(text: str) -> str | None:
    """``text_fault`` as the protocol's English sentence."""
    fault = text_fault(text)
    return None if fault is None else fault.english
