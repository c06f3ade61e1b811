"""Mentions: ``@name`` in a message's text names a member. Both the server (text mode's mark) and the client window
(its highlight and notification) ask the same question here: does this text mention this name?

A mention is ``@`` followed by the member's name as a whole word: compared in Unicode NFKC and ignoring case, not
preceded by a letter, digit or ``_`` (``bob@alice.org`` is an address, not a mention) and not followed by one
(``@al`` does not mention ``alice``, nor ``@Client012`` ``Client01``).
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["MENTION_MARK", "MENTION_SIGN", "marked_line", "may_mention", "mentions"]

MENTION_SIGN = "@"
MENTION_MARK = "(@) "
"""What starts a text member's line of a message that mentions it: no name starts with ``(``, so the rest of the line
reads as the protocol documents it."""
_FOLDED_KEPT = 256
"""Folded names kept by ``_folded`` (asked once per message and recipient name)."""
_TEXTS_KEPT = 8
"""Folded texts kept by ``_folded_text``: the messages of the batch being fanned out."""


@functools.lru_cache(maxsize=_FOLDED_KEPT)
def _folded(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


@functools.lru_cache(maxsize=_TEXTS_KEPT)
def _folded_text(text: str) -> str:
    """A message's text folded once for all the text members its fan-out asks about."""
    return unicodedata.normalize("NFKC", text).casefold()


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def mentions(text: str, name: str) -> bool:
    """Whether ``text`` mentions the member called ``name`` (``@name`` as a whole word, in any case)."""
    if not name or not may_mention(text):
        return False
    folded = _folded_text(text)
    wanted = MENTION_SIGN + _folded(name)
    start = folded.find(wanted)
    while start != -1:
        end = start + len(wanted)
        if (start == 0 or not _is_word(folded[start - 1])) and (end == len(folded) or not _is_word(folded[end])):
            return True
        start = folded.find(wanted, start + 1)
    return False


def may_mention(text: str) -> bool:
    """Whether ``text`` may mention anyone at all: the fan-out asks this once per message, ``mentions`` only then."""
    return MENTION_SIGN in text or "\uff20" in text  # U+FF20, the fullwidth @, is @ in NFKC


def marked_line(line: bytes, text: str, name: str) -> bytes:
    """A text member's line of a message (``line``, encoded), marked with ``MENTION_MARK`` if the message's ``text``
    mentions the member called ``name``."""
    return _MARK_BYTES + line if mentions(text, name) else line


_MARK_BYTES = MENTION_MARK.encode("utf-8")
