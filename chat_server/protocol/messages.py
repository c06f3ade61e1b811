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

__all__ = [
    "CLIENT_MESSAGES", "DEFAULT_MAX_LINE_BYTES", "ERR_BAD_MESSAGE", "ERR_INVALID_UTF8",
    "ERR_LINE_TOO_LONG", "ERR_MESSAGE_INVALID", "ERR_NAME_INVALID", "ERR_NAME_RESERVED", "ERR_NAME_TAKEN",
    "ERR_NOT_ALLOWED", "ERR_NOT_STORED", "ERR_PASSWORD_REQUIRED", "ERR_PASSWORD_WRONG", "ERR_SERVER_FULL",
    "ERR_TRY_LATER", "ERR_VERSION", "MAX_NAME_LENGTH", "ONLINE", "PROTOCOL_VERSION", "SERVER_MESSAGES", "Ack",
    "Banner", "Chat",
    "EndReason", "Error", "Exit", "Goodbye", "Hello", "HistoryRequest", "Joined", "Left", "Message", "Notice",
    "PasswordAttempt", "Ping", "Pong", "Refusal", "Relay", "Renamed", "SessionInfo", "StatusReport", "StatusRequest",
    "TelnetReply", "Welcome", "name_problem", "normalize_name", "text_problem",
]

PROTOCOL_VERSION = 1
MAX_NAME_LENGTH = 32
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


@dataclass(frozen=True, slots=True)
class Message:
    """Base of every protocol message."""

    TYPE: ClassVar[str] = ""


# --- client to server -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hello(Message):
    """First line of a JSON client: switches the connection to JSON mode."""

    TYPE: ClassVar[str] = "hello"
    version: int = PROTOCOL_VERSION
    name: str | None = None
    client_id: str | None = None  # identifies the client across reconnects (resends are recognised)
    last_seq: int | None = None  # on a reconnect: the last sequence number seen; the server sends what followed
    password: str | None = field(default=None, repr=False)  # for a server that asks for one (never logged)


@dataclass(frozen=True, slots=True)
class PasswordAttempt(Message):
    """A text client's first line on a server with a password (text mode only: JSON clients put it in hello)."""

    TYPE: ClassVar[str] = "password"
    text: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Chat(Message):
    """A chat message from a client; ``id`` is chosen by the client and echoed in the ack."""

    TYPE: ClassVar[str] = "chat"
    id: str
    text: str


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
class Welcome(Message):
    """Answer to hello: the member's final name and who is online."""

    TYPE: ClassVar[str] = "welcome"
    name: str
    online: int
    max_clients: int
    members: tuple[str, ...] = ()
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    version: int = PROTOCOL_VERSION
    # The newest stored message's sequence number. A client that has seen no message yet
    # resumes from here after a drop, so it gets what it missed, not the recent history again.
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Ack(Message):
    """Acknowledges the sender's chat message ``id``; ``seq`` is the server's sequence number."""

    TYPE: ClassVar[str] = "ack"
    id: str
    seq: int
    time: float
    text: str = ""  # only text mode shows it ("<text> ACK"); JSON leaves it out


@dataclass(frozen=True, slots=True)
class Relay(Message):
    """A chat message from another member."""

    TYPE: ClassVar[str] = "message"
    sender: str
    text: str
    seq: int
    time: float
    history: bool = False  # sent before the member joined (replayed from the store)


@dataclass(frozen=True, slots=True)
class Joined(Message):
    """A member joined; ``online`` is the member count after the join."""

    TYPE: ClassVar[str] = "joined"
    name: str
    online: int
    time: float


@dataclass(frozen=True, slots=True)
class Left(Message):
    """A member left; ``reason`` is an ``EndReason`` value, ``online`` the count after."""

    TYPE: ClassVar[str] = "left"
    name: str
    reason: str
    online: int
    time: float


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
    text: str
    time: float
    private: bool = False


@dataclass(frozen=True, slots=True)
class Error(Message):
    """Something the peer sent was refused; ``code`` is machine-readable, ``text`` for people."""

    TYPE: ClassVar[str] = "error"
    code: str
    text: str
    id: str | None = None  # the chat message refused, if one was


@dataclass(frozen=True, slots=True)
class Goodbye(Message):
    """Last message before the server closes a member's connection."""

    TYPE: ClassVar[str] = "goodbye"
    name: str
    reason: str
    time: float
    text: str = ""


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

CLIENT_MESSAGES: tuple[type[Message], ...] = (Hello, Chat, StatusRequest, Exit, Ping, Pong)
SERVER_MESSAGES: tuple[type[Message], ...] = (
    Welcome, Ack, Relay, Joined, Left, Renamed, StatusReport, Notice, Error, Goodbye, Ping, Pong,
)


def normalize_name(name: str) -> str:
    """The form a name is kept and shown in: NFKC, so that fullwidth or styled letters become plain ones."""
    return unicodedata.normalize("NFKC", name)


def name_problem(name: str) -> str | None:
    """Why ``name`` (normalized) cannot be a member name, or None if it can.

    Text members see names at the start of lines (``alice: hi``, ``* alice joined``): a name must
    start with a letter or a digit (never ``[``, ``*`` or other signs the server's lines begin
    with), holds no ``:``, and is one line of visible characters.
    """
    if not name or not name.strip():
        return "a name cannot be empty"
    if name != name.strip():
        return "a name cannot start or end with spaces"
    if len(name) > MAX_NAME_LENGTH:
        return f"a name is at most {MAX_NAME_LENGTH} characters"
    categories = [unicodedata.category(ch) for ch in name]
    if "Cc" in categories:
        return "a name cannot contain control characters"
    if any(c.startswith("C") for c in categories):
        return "a name cannot contain invisible characters"
    if any(c in ("Zl", "Zp") for c in categories):
        return "a name is one line"
    if categories[0][0] not in "LN":
        return "a name starts with a letter or a digit"
    if ":" in name:
        return "a name cannot contain ':'"
    return None


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


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be a chat message (its size aside), or None if it can."""
    if not text.strip():
        return "an empty message is not sent"
    bad = _CONTROL.search(text)
    if bad is not None:
        if bad.group() in "\r\n":
            return "a message is one line"
        return "a message cannot contain control characters"
    if text.isascii():  # (a constant-time test) none of what follows is ASCII
        return None
    if _SEPARATOR.search(text):
        return "a message is one line (no line or paragraph separators)"
    bidi = _BIDI.search(text)
    if bidi is not None:
        return f"a message cannot contain bidirectional overrides (U+{ord(bidi.group()):04X})"
    invisible = _invisible(text)
    if invisible is not None:
        return f"a message cannot contain invisible characters ({invisible})"
    return None
