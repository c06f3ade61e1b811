"""How each way a session ends (``EndReason``) is worded, for every audience, in one table.

The audiences: the line text-mode members read (``* bob timed out (2 online)``), the client
window's transcript, and the session tables (the windows' table and timeline, which also colour
a state by its ``Tone``). The server window's event log and the terminal log word their own
leave lines. The text-mode status table and the CSV export show the protocol value itself
(``state_value``), as the wire carries it.

It lives in the protocol package because the text framing (``textmode``) words the ``Left``
line with it, and protocol is the layer every other one may import; it imports nothing but
the message vocabulary, so the windows can use it without pulling in an engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from chat_server.protocol.messages import ONLINE, EndReason

__all__ = ["Tone", "left_line_verb", "left_window_phrase", "state_label", "state_tone", "state_value"]


class Tone(Enum):
    """What a state says at a glance, for the colour it is shown in."""

    ONLINE = "online"
    ENDED = "ended"  # an ordinary end: the member left, the server stopped, the client came back
    TROUBLE = "trouble"  # the connection failed the member: lost, silent, not reading
    REFUSED = "refused"  # the server turned it away or threw it out


@dataclass(frozen=True, slots=True)
class _Words:
    """One reason's words; "" where that audience never sees the reason and the fallback applies."""

    line_verb: str  # text-mode members: "* {name} {line_verb} ({online} online)"
    window_phrase: str  # the client window: "{name} {window_phrase} · {online text}"
    label: str  # the session tables' state column
    tone: Tone


_WORDS: dict[str, _Words] = {
    EndReason.EXIT.value: _Words("left", "left", "left", Tone.ENDED),
    EndReason.DROPPED.value: _Words("dropped", "dropped out", "dropped", Tone.TROUBLE),
    EndReason.KICKED.value: _Words("was kicked", "was removed by the server operator", "kicked", Tone.REFUSED),
    EndReason.TIMED_OUT.value: _Words("timed out", "timed out", "timed out", Tone.TROUBLE),
    EndReason.TOO_SLOW.value: _Words("was disconnected for not keeping up", "was disconnected for not keeping up",
                                     "too slow", Tone.TROUBLE),
    EndReason.ERROR.value: _Words("was disconnected after an error", "was disconnected after an error", "error",
                                  Tone.REFUSED),
    EndReason.SERVER_STOPPED.value: _Words("left (server stopped)", "left (server stopped)", "server stopped",
                                           Tone.ENDED),
    EndReason.REPLACED.value: _Words("is reconnecting", "is reconnecting", "reconnected", Tone.ENDED),
    # Refused connections were never members: nobody is told they left, so only the tables word them.
    EndReason.REFUSED_FULL.value: _Words("", "", "refused: full", Tone.REFUSED),
    EndReason.REFUSED_NAME.value: _Words("", "", "refused: name", Tone.REFUSED),
    EndReason.REFUSED_PASSWORD.value: _Words("", "", "refused: password", Tone.REFUSED),
    EndReason.REFUSED_BUSY.value: _Words("", "", "refused: busy", Tone.REFUSED),
    EndReason.REFUSED_NOT_TLS.value: _Words("", "", "refused: not TLS", Tone.REFUSED),
}

_DEFAULT_VERB = "left"


def left_line_verb(reason: str) -> str:
    """What follows the name in a text member's line about someone who left ("timed out")."""
    words = _WORDS.get(reason)
    return words.line_verb if words is not None and words.line_verb else _DEFAULT_VERB


def left_window_phrase(reason: str) -> str:
    """What follows the name in the client window when a member left ("dropped out")."""
    words = _WORDS.get(reason)
    return words.window_phrase if words is not None and words.window_phrase else _DEFAULT_VERB


def state_label(state: str) -> str:
    """How a session's state ("online" or an EndReason value) reads in the session tables."""
    words = _WORDS.get(state)
    return words.label if words is not None else state


def state_value(state: str) -> str:
    """A state as the text-mode status table and the CSV export write it: the protocol value itself."""
    return state


def state_tone(state: str) -> Tone:
    """The tone a state is shown in (an unknown state as an ordinary end)."""
    if state == ONLINE:
        return Tone.ONLINE
    words = _WORDS.get(state)
    return words.tone if words is not None else Tone.ENDED
