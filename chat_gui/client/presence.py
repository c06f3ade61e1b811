"""Typing indicators and away on the client's side, as plain Python with the clock passed in (no Qt).

``TypingThrottle`` decides which of the user's typing states go on the wire (``active`` at most every 3 s per
conversation; ``paused`` and ``done`` only to take back what was said); ``TypingBoard`` keeps who types where
and forgets an ``active`` after 6 s and a ``paused`` after 30 s without news (IRCv3 ``+typing``'s timing);
``AwayBook`` keeps who is away. ``ClientSession`` owns one of each.
"""

from __future__ import annotations

from dataclasses import dataclass

from chat_gui.client.events import LOBBY, Conversation
from chat_server import protocol as p
from chat_server.protocol import TypingState

__all__ = [
    "ACTIVE_EXPIRY_S", "PAUSED_EXPIRY_S", "TYPING_RESEND_S", "AwayBook", "AwayChanged", "AwayReplied",
    "ClientPresence", "PresenceNews", "TypingBoard", "TypingChanged", "TypingState", "TypingThrottle",
]

TYPING_RESEND_S = 3.0
"""While the user keeps typing, ``active`` is said again at most this often (per conversation)."""
ACTIVE_EXPIRY_S = 6.0
"""A member said ``active`` this long ago and nothing since: it is no longer shown typing."""
PAUSED_EXPIRY_S = 30.0
"""A member said ``paused`` this long ago and nothing since: it is no longer shown typing."""


@dataclass(frozen=True, slots=True)
class TypingChanged:
    """Who types in ``conversation`` now (not this member), in the order they started; empty: nobody."""

    conversation: Conversation
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AwayChanged:
    """``name`` is away with ``message`` ("" for none), or back (``message`` None); this member too."""

    name: str
    message: str | None


@dataclass(frozen=True, slots=True)
class AwayReplied:
    """A direct message of this member went to ``name``, who is away with ``message`` (told once per period)."""

    name: str
    message: str
    since: float  # when it went away (the server's clock, epoch seconds)
    conversation: Conversation


class TypingThrottle:
    """Which of the user's typing states are worth a notice on the wire, per conversation."""

    def __init__(self) -> None:
        self._said: dict[Conversation, tuple[TypingState, float]] = {}  # the last state sent, and when

    def notice(self, conversation: Conversation, state: TypingState, now: float) -> TypingState | None:
        """The state to send for the user's ``state`` in ``conversation`` at ``now`` (monotonic), or None."""
        said = self._said.get(conversation)
        if state is TypingState.ACTIVE:
            if said is not None and said[0] is TypingState.ACTIVE and now - said[1] < TYPING_RESEND_S:
                return None
        elif said is None or said[0] is state:
            return None  # nothing said that needs taking back, or said already
        if state is TypingState.DONE:
            del self._said[conversation]
        else:
            self._said[conversation] = (state, now)
        return state

    def forget(self) -> None:
        """A new connection: nothing has been said on it."""
        self._said.clear()


class TypingBoard:
    """Who types in which conversation, as the others' notices said, until they expire."""

    def __init__(self) -> None:
        self._typing: dict[Conversation, dict[str, tuple[TypingState, float]]] = {}

    def typists(self, conversation: Conversation) -> tuple[str, ...]:
        return tuple(self._typing.get(conversation, ()))

    def heard(self, conversation: Conversation, name: str, state: str, now: float) -> list[TypingChanged]:
        """``name`` said ``state`` in ``conversation`` at ``now`` (monotonic): what changed, if anything."""
        typists = self._typing.get(conversation)
        before = tuple(typists or ())
        if state == TypingState.DONE:
            if typists is not None:
                typists.pop(name, None)
        else:
            typists = self._typing.setdefault(conversation, {})
            typists[name] = (TypingState(state), now)
        return self._changed(conversation, before)

    def stopped(self, name: str, conversation: Conversation | None = None) -> list[TypingChanged]:
        """``name`` is not typing any more: in ``conversation`` (it said something there), or anywhere (it left)."""
        changes: list[TypingChanged] = []
        for where in [conversation] if conversation is not None else list(self._typing):
            typists = self._typing.get(where)
            if typists is not None and name in typists:
                before = tuple(typists)
                del typists[name]
                changes += self._changed(where, before)
        return changes

    def renamed(self, old: str, new: str) -> list[TypingChanged]:
        changes: list[TypingChanged] = []
        for where, typists in self._typing.items():
            if old in typists:
                before = tuple(typists)
                self._typing[where] = {new if name == old else name: said for name, said in typists.items()}
                changes += self._changed(where, before)
        return changes

    def expire(self, now: float) -> list[TypingChanged]:
        """Forget what is older than its state's expiry at ``now`` (monotonic): what changed."""
        changes: list[TypingChanged] = []
        for where, typists in list(self._typing.items()):
            before = tuple(typists)
            for name, (state, at) in list(typists.items()):
                if now - at >= (ACTIVE_EXPIRY_S if state is TypingState.ACTIVE else PAUSED_EXPIRY_S):
                    del typists[name]
            changes += self._changed(where, before)
        return changes

    def next_expiry(self) -> float | None:
        """When (monotonic) the next notice expires, or None while nobody types."""
        ends = [at + (ACTIVE_EXPIRY_S if state is TypingState.ACTIVE else PAUSED_EXPIRY_S)
                for typists in self._typing.values() for state, at in typists.values()]
        return min(ends) if ends else None

    def clear(self) -> list[TypingChanged]:
        """The connection is over: nobody is shown typing."""
        changes = [TypingChanged(where, ()) for where, typists in self._typing.items() if typists]
        self._typing.clear()
        return changes

    def _changed(self, conversation: Conversation, before: tuple[str, ...]) -> list[TypingChanged]:
        after = self.typists(conversation)
        if not after:
            self._typing.pop(conversation, None)
        return [] if after == before else [TypingChanged(conversation, after)]


class AwayBook:
    """Who is away among the members online (this member included), as the server said."""

    def __init__(self) -> None:
        self._away: dict[str, str] = {}

    def message(self, name: str) -> str | None:
        """``name``'s away message ("" for none) if it is away, else None."""
        return self._away.get(name)

    def away(self, name: str, message: str) -> list[AwayChanged]:
        if self._away.get(name) == message:
            return []
        self._away[name] = message
        return [AwayChanged(name, message)]

    def back(self, name: str) -> list[AwayChanged]:
        return [AwayChanged(name, None)] if self._away.pop(name, None) is not None else []

    def renamed(self, old: str, new: str) -> list[AwayChanged]:
        message = self._away.pop(old, None)
        return [] if message is None else [AwayChanged(old, None), *self.away(new, message)]

    def clear(self) -> list[AwayChanged]:
        changes = [AwayChanged(name, None) for name in self._away]
        self._away.clear()
        return changes


PresenceNews = TypingChanged | AwayChanged | AwayReplied


class ClientPresence:
    """The member's side of typing and away for ``ClientSession``: what to send, and what the server's news mean."""

    def __init__(self) -> None:
        self.throttle = TypingThrottle()
        self.board = TypingBoard()
        self.book = AwayBook()
        # What the user asked for, kept across connections: said again after a reconnect (the server keeps away
        # for a session only). None: present. It follows what the server says of this member, so an away set or
        # ended in another window of the member's is this window's too.
        self.away_message: str | None = None
        self.away_elsewhere = False  # away_message was set by another window of the member's, not by this one

    def set_away(self, message: str | None) -> bool:
        """The user here is away with ``message`` (None: back): True if that is news for the server."""
        self.away_elsewhere = False
        if message == self.away_message:
            return False
        self.away_message = message
        return True

    def followed(self, message: str | None) -> None:
        """The server said this member is away with ``message`` (None: back): this window's answer, or another
        window's away or back, which this one now holds too."""
        if message != self.away_message:
            self.away_message = message
            self.away_elsewhere = True

    def typing(self, conversation: Conversation, state: TypingState, now: float) -> p.Typing | None:
        """The notice to write for the user's typing ``state`` in ``conversation``, or None (throttled)."""
        said = self.throttle.notice(conversation, state, now)
        if said is None:
            return None
        if not conversation.is_room:
            return p.Typing(state=said.value, to=conversation.name)
        return p.Typing(state=said.value, room=None if conversation == LOBBY else conversation.name)

    def rejoined(self) -> bool:
        """A welcome: True if this window's away is to be said again. One followed from another window is not: that
        window keeps it, and the server tells this one again after its welcome while the member is still away."""
        if self.away_elsewhere:
            self.away_message, self.away_elsewhere = None, False
        return self.away_message is not None

    def away_request(self) -> p.SetAway | p.Back:
        return p.Back() if self.away_message is None else p.SetAway(message=self.away_message)

    def receive(self, event: p.Event, conversation: Conversation, now: float) -> list[PresenceNews]:
        """A presence message from the server (``conversation``: where a typing notice or an away reply is)."""
        match event:
            case p.MemberTyping(name=name, state=state):
                return [*self.board.heard(conversation, name, state, now)]
            case p.MemberAway(name=name, message=message):
                return [*self.book.away(name, message)]
            case p.MemberBack(name=name):
                return [*self.book.back(name)]
            case p.AwayReply(name=name, message=message, time=since):
                return [AwayReplied(name, message, since, conversation)]
        return []

    def said(self, name: str, conversation: Conversation) -> list[PresenceNews]:
        """``name`` said something in ``conversation``: it is done typing there."""
        return [*self.board.stopped(name, conversation)] if self.board.next_expiry() is not None else []

    def gone(self, name: str) -> list[PresenceNews]:
        """``name`` went offline: not typing, not away any more."""
        return [*self.board.stopped(name), *self.book.back(name)]

    def renamed(self, old: str, new: str) -> list[PresenceNews]:
        return [*self.board.renamed(old, new), *self.book.renamed(old, new)]

    def reset(self) -> list[PresenceNews]:
        """A new connection (welcomed) or none: what the last one said no longer holds."""
        self.throttle.forget()
        return [*self.board.clear(), *self.book.clear()]
