"""A member's life on the server as a state machine without I/O: decoded events and the clock in, steps out.

The engine (chat_server/core/engine.py) owns the sockets, the store and the other members; it
asks the session what each decoded event means in the session's state (``receive`` returns a
``Step``, a shared constant: nothing is made per message) and tells it what happened
(``admit``, ``announce``, ``end``, ``closed``). Only the methods here change the state:

    AWAITING_PASSWORD --password given--> CHECKING_PASSWORD --admit--> JOINING --announce--> MEMBER
    (no password on the server: a session starts in JOINING)
    any state but ENDED --end(reason)--> ENDING --closed--> ENDED
    any state before ENDING --closed (the client went away)--> ENDED, as DROPPED

An event that is wrong for the state is a step the engine answers with an error (or drops),
never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from chat_server import protocol as p
from chat_server.core.names import name_word_problem
from chat_server.protocol.files import DownloadRequest, UploadRequest
from chat_server.protocol.search import SearchMore, SearchRequest
from chat_server.store import client_key


class State(Enum):
    """Where a member is in its life on the server."""

    AWAITING_PASSWORD = "awaiting_password"  # asked for the password; no name, hears nothing
    CHECKING_PASSWORD = "checking_password"  # its password waits for its check; what it sends waits with it
    JOINING = "joining"  # admitted with a name, not yet announced to the others (its grace period, or its hello)
    MEMBER = "member"  # announced: the others were told it joined, it hears the room
    ENDING = "ending"  # the server ended it: its last line is being written
    ENDED = "ended"  # its connection is closed


class Step(Enum):
    """What the engine does with one decoded event, decided by the session's state."""

    CHAT = "chat"  # store and relay it
    STATUS = "status"  # a status report
    HISTORY = "history"  # a text member's ``history [N]``
    PING = "ping"  # answer with a pong
    TELNET = "telnet"  # send the Telnet negotiation's reply
    DECODE_ERROR = "decode_error"  # report the bad input (and end the session if the decoder gave up)
    EXIT = "exit"  # end the session as EXIT
    ROOMS = "rooms"  # a request about rooms (version 2, or text mode's commands): ``ConversationHub``
    SCROLLBACK = "scrollback"  # a page of a conversation's history (version 2, text mode's /history)
    SEARCH = "search"  # a search (version 2, or text mode's ``/search``): ``SearchRequests``
    TYPING = "typing"  # a typing notice: relayed or dropped, never answered (chat_server/core/typing_relay.py)
    AWAY = "away"  # away or back (chat_server/core/away.py)
    FILES = "files"  # an upload or download request (version 2): ``FileRequests``
    HELLO = "hello"  # take the hello in (``MemberSession.hello``): name, welcome, announcement
    HELLO_AGAIN = "hello_again"  # wrong for the state: an error reply, the session goes on
    NOT_ALLOWED = "not_allowed"  # a type a client may not send now: an error reply, the session goes on
    ANNOUNCE = "announce"  # announce the member first, then offer the event again
    CHECK_PASSWORD = "check_password"  # ask the admission for a check of ``MemberSession.attempt``
    PASSWORD_MISSING = "password_missing"  # a JSON client's hello without a password: refused
    WAIT = "wait"  # kept by the session until its password's check (``admit`` gives it back)
    IGNORE = "ignore"  # a pong; at the password prompt, anything but the password
    OVER = "over"  # the session is ending or ended: dropped


MEMBER = State.MEMBER
"""For the engine's chat path, which asks only this before storing a chat."""

_MEMBER_STEPS: dict[type, Step] = {
    p.Chat: Step.CHAT, p.StatusRequest: Step.STATUS, p.HistoryRequest: Step.HISTORY, p.Ping: Step.PING,
    p.Pong: Step.IGNORE, p.TelnetReply: Step.TELNET, p.DecodeError: Step.DECODE_ERROR, p.Exit: Step.EXIT,
    p.Hello: Step.HELLO, p.Typing: Step.TYPING, p.SetAway: Step.AWAY, p.Back: Step.AWAY,
    **{request: Step.ROOMS for request in (*p.ROOM_REQUESTS, p.SwitchRoom, p.TopicRequest, p.HelpRequest)},
    p.ScrollbackRequest: Step.SCROLLBACK,
    SearchRequest: Step.SEARCH, SearchMore: Step.SEARCH,
    UploadRequest: Step.FILES, DownloadRequest: Step.FILES,
}
"""A member's events; any other type (a password after the prompt) is NOT_ALLOWED."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """A hello the server does not take: the error to send, and the end it makes (None: the session goes on)."""

    error: p.Error
    reason: p.EndReason | None


HELLO_AGAIN = Refusal(p.Error(p.ERR_NOT_ALLOWED, "hello was already received"), None)


class MemberSession:
    """One connection's state on the server, from accept to close; no sockets, no Qt, no clock of its own."""

    __slots__ = (
        "_hello_login",
        "_waiting",
        "announced",
        "attempt",
        "awaiting_since",
        "client_id",
        "current_room",
        "end_reason",
        "hello_done",
        "history_sent",
        "instance",
        "prompted_at",
        "resume_from",
        "state",
        "version",
    )

    def __init__(self, password_required: bool = False, now: float = 0.0) -> None:
        """A connection just accepted; ``now`` (monotonic) starts the wait for its password, if one is required."""
        self.state = State.AWAITING_PASSWORD if password_required else State.JOINING
        self.prompted_at = now  # when the password was asked for: its check must come within the auth timeout
        # Until an attempt comes (monotonic); the watchdog closes the connection if none comes in time.
        self.awaiting_since: float | None = now if password_required else None
        self.attempt: str | None = None  # the password waiting for its check (dropped once checked)
        self._hello_login: p.Hello | None = None  # a JSON client's hello that carried the password
        self._waiting: list[p.Event] = []  # what came after the password, waiting for its check
        self.announced = False  # the others were told it joined (it stays True once it ends)
        self.hello_done = False
        self.client_id: str | None = None  # from the hello (a digest): recognises resends across reconnects
        self.instance: str | None = None  # which window of its client (hello): another one shares the name
        self.resume_from: int | None = None  # from the hello: the last sequence number it saw
        self.history_sent = False  # the history on joining (JSON members; text members ask for it)
        self.end_reason: p.EndReason | None = None  # set once, by ``end`` or ``closed``
        self.version = p.PROTOCOL_VERSION  # what its hello asked for (a text member has none: it gets commands)
        self.current_room: str | None = None  # a text member's: where the lines it types go (None: #lobby)

    @property
    def waiting_count(self) -> int:
        """Events kept behind the password's check."""
        return len(self._waiting)

    # --- decoded events in ------------------------------------------------------------------------

    def receive(self, event: p.Event) -> Step:
        """What ``event`` means now. Changes the state only for a password attempt (to CHECKING_PASSWORD)."""
        state = self.state
        if state is State.MEMBER:
            step = _MEMBER_STEPS.get(type(event), Step.NOT_ALLOWED)
            if step is Step.HELLO and self.hello_done:
                return Step.HELLO_AGAIN
            return step
        if state is State.JOINING:
            return Step.HELLO if type(event) is p.Hello else Step.ANNOUNCE
        if state is State.CHECKING_PASSWORD:
            self._waiting.append(event)
            return Step.WAIT
        if state is State.AWAITING_PASSWORD:
            return self._at_prompt(event)
        return Step.OVER

    def _at_prompt(self, event: p.Event) -> Step:
        if isinstance(event, p.Hello):
            password = event.password
        elif isinstance(event, p.PasswordAttempt):
            password = event.text
        elif isinstance(event, p.DecodeError):
            return Step.DECODE_ERROR
        elif isinstance(event, p.TelnetReply):  # telnet waits for it even at the prompt
            return Step.TELNET
        else:
            return Step.IGNORE
        self.awaiting_since = None
        if password is None:  # not a guess: a JSON client that did not know it needs one
            return Step.PASSWORD_MISSING
        self.state = State.CHECKING_PASSWORD
        self.attempt = password
        self._hello_login = event if isinstance(event, p.Hello) else None
        return Step.CHECK_PASSWORD

    def wait(self, events: list[p.Event]) -> None:
        """Keep ``events`` until the password's check (the rest of the batch the attempt came in)."""
        if self.state is State.CHECKING_PASSWORD:
            self._waiting.extend(events)

    # --- what the engine tells it ------------------------------------------------------------------

    def admit(self) -> tuple[p.Hello | None, list[p.Event]] | None:
        """The password was right and there is room: JOINING. Returns the hello that carried the password (None
        for a text client, whose greeting is due now) and what waited behind it; None if it was not checking."""
        if self.state is not State.CHECKING_PASSWORD:
            return None
        self.state = State.JOINING
        hello, waiting = self._hello_login, self._waiting
        self.attempt = self._hello_login = None
        self._waiting = []
        return hello, waiting

    def hello(self, hello: p.Hello, newest_seq: int, name: str) -> Refusal | str | None:
        """Take in a hello (after ``receive`` said HELLO): the new name it asks for (None: it keeps ``name``), or
        the refusal to send. ``newest_seq`` is the newest message stored: a last_seq beyond it comes from another
        store (a restarted ``:memory:`` server), and resuming from it would skip messages."""
        if self.hello_done or self.state not in (State.JOINING, State.MEMBER):
            return HELLO_AGAIN
        self.hello_done = True
        # Only a digest of the id is kept (and compared): the store never holds what proves who a client is.
        self.client_id = client_key(hello.client_id) if hello.client_id else None
        self.instance = hello.instance
        self.resume_from = hello.last_seq if hello.last_seq is not None and hello.last_seq <= newest_seq else None
        if hello.version not in p.SUPPORTED_VERSIONS:
            spoken = " and ".join(str(v) for v in p.SUPPORTED_VERSIONS)
            return Refusal(p.Error(p.ERR_VERSION, f"protocol version {hello.version} is not supported "
                                                  f"(this server speaks versions {spoken})"),
                           p.EndReason.ERROR)
        self.version = hello.version
        wanted = p.normalize_name(hello.name) if hello.name is not None else None
        if wanted is None or wanted == name:
            return None
        problem = p.name_problem(wanted) or name_word_problem(wanted)
        if problem is not None:
            return Refusal(p.Error(p.ERR_NAME_INVALID, f"The name {wanted!r} cannot be used: {problem}."),
                           p.EndReason.REFUSED_NAME)
        return wanted

    def announce(self) -> bool:
        """JOINING -> MEMBER; False (nothing changes) in any other state."""
        if self.state is not State.JOINING:
            return False
        self.state = State.MEMBER
        self.announced = True
        return True

    def history_given(self) -> None:
        """Its history on joining was sent (or there was none to send): a late hello does not send it again."""
        self.history_sent = True

    def end(self, reason: p.EndReason) -> bool:
        """The server ends the session: ENDING with ``reason``. False if it had ended already (the first reason
        stays: a session ends once)."""
        if self.end_reason is not None:
            return False
        self.end_reason = reason
        self.state = State.ENDING
        self.attempt = self._hello_login = None
        self._waiting = []
        return True

    def closed(self) -> p.EndReason | None:
        """The connection is gone: ENDED. DROPPED if the server had not ended it (the engine records that end);
        None if it had, or if this was said before."""
        if self.state is State.ENDED:
            return None
        dropped = self.end_reason is None
        if dropped:
            self.end_reason = p.EndReason.DROPPED
        self.state = State.ENDED
        self.attempt = self._hello_login = None
        self._waiting = []
        return p.EndReason.DROPPED if dropped else None

    @property
    def over(self) -> bool:
        """Ending or ended: nothing it sends is taken any more."""
        return self.end_reason is not None
