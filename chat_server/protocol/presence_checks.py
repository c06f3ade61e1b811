"""The checks of typing and away requests beyond their fields' types, for both framings (once, where decoded)."""

from __future__ import annotations

from chat_server.protocol import messages as m
from chat_server.protocol.presence import ERR_AWAY_TOO_LONG, MAX_AWAY_LENGTH, MemberTyping, SetAway, Typing, TypingState

__all__ = ["presence_fault"]

_STATES = frozenset(state.value for state in TypingState)


def presence_fault(message: m.Message) -> tuple[str, str] | None:
    """The error code and text for what is wrong in a presence request's fields (both framings), or in a typing
    notice a client is sent, or None."""
    if isinstance(message, MemberTyping) and message.state not in _STATES:
        return m.ERR_BAD_MESSAGE, f"typing: 'state' is one of active, paused, done (not {message.state[:20]!r})"
    if isinstance(message, Typing):
        if message.state not in _STATES:
            return m.ERR_BAD_MESSAGE, f"typing: 'state' is one of active, paused, done (not {message.state[:20]!r})"
        if message.room is not None and message.to is not None:
            return m.ERR_BAD_MESSAGE, "typing: a room or a member, not both"
        if message.room is not None and m.room_problem(message.room) is not None:
            return m.ERR_ROOM_INVALID, f"Not done: {m.room_problem(message.room)}."
        if message.to is not None and m.name_problem(m.normalize_name(message.to)) is not None:
            return m.ERR_UNKNOWN_MEMBER, f"Not done: no member can be called {message.to[:40]!r}."
    elif isinstance(message, SetAway):
        if len(message.message) > MAX_AWAY_LENGTH:
            return ERR_AWAY_TOO_LONG, f"Not done: an away message is at most {MAX_AWAY_LENGTH} characters."
        # It may be empty or blank, unlike a chat message, but a line break is one however blank the rest: a blank
        # message is checked behind a letter so that only its characters, not its blankness, are judged.
        text = message.message
        problem = m.text_problem(text if text.strip() else f"x{text}")
        if problem is not None:
            return m.ERR_MESSAGE_INVALID, f"Not done: {problem.replace('a message', 'an away message')}."
    return None
