"""Completing ``@name`` with Tab in the message box: plain Python, no Qt.

``@al`` then Tab gives ``@alice `` (the name of a member of the conversation in view whose name starts so, ignoring
case); Tab again right after gives the next such name in its place, round the list. Any other change to the text
starts afresh. This member's own name is never offered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chat_server.protocol import MENTION_SIGN


@dataclass(frozen=True, slots=True)
class Completed:
    """The field's text and cursor after a completion."""

    text: str
    cursor: int


@dataclass(frozen=True, slots=True)
class _Cycle:
    """The completion just made: where its ``@`` is, the names it goes round, which one is in, and the result."""

    start: int
    names: tuple[str, ...]
    index: int
    result: Completed


class MentionCompleter:
    """Completes the ``@word`` before the cursor from a list of names, and cycles on a repeated Tab."""

    def __init__(self) -> None:
        self._cycle: _Cycle | None = None

    def complete(self, text: str, cursor: int, names: Sequence[str], me: str = "") -> Completed | None:
        """The text with the ``@word`` before ``cursor`` completed (or the next name, on a repeated Tab); None if
        there is no ``@word`` there or no name fits (Tab then does what it usually does)."""
        cycle = self._cycle
        if cycle is not None and cycle.result == Completed(text, cursor):
            index = (cycle.index + 1) % len(cycle.names)
            return self._put(text[:cycle.start], text[cursor:], cycle.start, cycle.names, index)
        self._cycle = None
        start = text.rfind(MENTION_SIGN, 0, cursor)
        if start < 0:
            return None
        prefix = text[start + 1:cursor]
        if any(char.isspace() for char in prefix) or (start > 0 and (text[start - 1].isalnum() or
                                                                      text[start - 1] == "_")):
            return None  # not a word that starts with @ (an address, or words after it)
        folded = prefix.casefold()
        fitting = sorted({name for name in names if name != me and name.casefold().startswith(folded)},
                         key=lambda name: (name.casefold(), name))
        if not fitting:
            return None
        return self._put(text[:start], text[cursor:], start, tuple(fitting), 0)

    def _put(self, before: str, after: str, start: int, names: tuple[str, ...], index: int) -> Completed:
        inserted = f"{MENTION_SIGN}{names[index]} "
        after = after.removeprefix(" ")  # a space already there is the one the completion puts
        result = Completed(before + inserted + after, len(before) + len(inserted))
        self._cycle = _Cycle(start, names, index, result)
        return result

    def reset(self) -> None:
        """The text was changed otherwise (or the conversation): the next Tab starts afresh."""
        self._cycle = None
