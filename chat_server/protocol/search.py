"""Search (protocol version 2): the ``search`` request, its ``search_results`` reply, and the checks of what a client
may ask for, made once where the line is decoded (both framings).

A query is words, matched as words: whatever the network sends is never the store's query syntax (``"``, ``*``,
``NEAR``, ``-`` or a lone ``AND`` are words like any other, or nothing to search for).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from chat_server.protocol import messages as m

__all__ = [
    "ERR_SEARCH_FAILED", "ERR_SEARCH_INVALID", "MAX_QUERY_CHARS", "MAX_QUERY_WORDS", "SEARCH_MORE", "SEARCH_PAGE",
    "SEARCH_REPLIES", "SEARCH_REQUESTS", "TEXT_MARK", "SearchHit", "SearchMore", "SearchRequest", "SearchResults",
    "marked_text", "search_fault", "search_words",
]

MAX_QUERY_CHARS = 200
"""A query's length in characters, spaces included."""
MAX_QUERY_WORDS = 16
"""Words in a query (each one is a lookup in the index)."""
SEARCH_PAGE = 50
"""Results in one reply, newest first; ``before_seq`` asks for the page after."""
MAX_TIME = 1e11
"""A time filter beyond this (the year 5138) is no time: refused, as are NaN and infinities."""

ERR_SEARCH_INVALID = "search_invalid"
"""The query has no word to search for, is too long, or is not one line of text; or a filter is out of range."""
ERR_SEARCH_FAILED = "search_failed"
"""The server could not read its store: try again later."""

_WORD_CATEGORIES = ("L", "N")
"""What the index reads as words: letters and digits (and private-use characters); the rest separates words."""


def _word_character(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in _WORD_CATEGORIES or category == "Co"


def search_words(query: str) -> tuple[str, ...]:
    """The words of a query that can match something: split at spaces, without those that hold no letter or digit
    (a lone ``-``, ``*`` or ``"``)."""
    return tuple(word for word in query.split() if any(_word_character(char) for char in word))


@dataclass(frozen=True, slots=True)
class SearchRequest(m.Message):
    """Search the messages you may read (your rooms now, #lobby included, and your direct messages); answered with
    ``SearchResults``. ``room`` or ``to`` narrow it to one conversation, ``sender`` to one member's messages,
    ``after``/``before`` (Unix times) to a period; ``before_seq`` (the last result's seq) asks for the next page."""

    TYPE: ClassVar[str] = "search"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"id"})
    query: str
    room: str | None = None
    to: str | None = None
    sender: str | None = None
    after: float | None = None
    before: float | None = None
    before_seq: int | None = None
    id: str | None = None  # chosen by the client, echoed in an error: it tells a refused search from other refusals


@dataclass(frozen=True, slots=True)
class SearchMore(m.Message):
    """Text mode only (``/search more``): the next page of your last search."""

    TYPE: ClassVar[str] = "search_more"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One message found: where it was said as a relay of it says (``room``; ``to`` for a direct message; neither
    for #lobby), and where its text holds the words searched for (``marks``: [start, end) in characters)."""

    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to"})
    seq: int
    time: float
    sender: str
    text: str
    marks: tuple[tuple[int, int], ...] = ()
    room: str | None = None
    to: str | None = None


@dataclass(frozen=True, slots=True)
class SearchResults(m.Message):
    """The answer to ``search``: at most ``SEARCH_PAGE`` messages, newest first; ``more``: older ones match too
    (ask again with ``before_seq`` set to the last one's ``seq``)."""

    TYPE: ClassVar[str] = "search_results"
    query: str
    results: tuple[SearchHit, ...] = ()
    more: bool = False


SEARCH_MORE = "more"
"""``/search more``: the next page of the last search (so ``more`` alone is not searched for)."""
TEXT_MARK = "*"
"""What a text member sees around the words its search matched: ``the *release* is out``."""


def marked_text(text: str, marks: tuple[tuple[int, int], ...]) -> str:
    """``text`` with each of its marked ranges between ``TEXT_MARK``s."""
    parts: list[str] = []
    at = 0
    for start, end in sorted(marks):
        if start < at or end > len(text) or start >= end:
            continue  # overlapping or out of the text: never from our server, skipped rather than garbled
        parts += [text[at:start], TEXT_MARK, text[start:end], TEXT_MARK]
        at = end
    parts.append(text[at:])
    return "".join(parts)


SEARCH_REQUESTS: tuple[type[m.Message], ...] = (SearchRequest,)
"""What a client may send of search in JSON mode (``/search more`` is text mode's only)."""
SEARCH_REPLIES: tuple[type[m.Message], ...] = (SearchResults,)


def search_fault(request: SearchRequest) -> tuple[str, str] | None:
    """What is wrong with a search request, as an error's code and text; None if it may be carried out."""
    query = request.query
    if len(query) > MAX_QUERY_CHARS:
        return ERR_SEARCH_INVALID, f"Not searched: a search is at most {MAX_QUERY_CHARS} characters."
    if query.strip() and m.text_problem(query) is not None:
        return ERR_SEARCH_INVALID, "Not searched: a search is one line of visible text."
    words = search_words(query)
    if not words:
        return ERR_SEARCH_INVALID, "Not searched: give at least one word to search for."
    if len(words) > MAX_QUERY_WORDS:
        return ERR_SEARCH_INVALID, f"Not searched: a search has at most {MAX_QUERY_WORDS} words."
    if request.room is not None:
        if request.to is not None:
            return m.ERR_BAD_MESSAGE, "search: in a room or with a member, not both"
        problem = m.room_problem(request.room)
        if problem is not None:
            return m.ERR_ROOM_INVALID, f"Not searched: {problem}."
    for name in (request.to, request.sender):
        if name is not None and m.name_problem(m.normalize_name(name)) is not None:
            return m.ERR_UNKNOWN_MEMBER, f"Not searched: no member can be called {name[:40]!r}."
    for limit in (request.after, request.before):
        if limit is not None and not (math.isfinite(limit) and 0 <= limit <= MAX_TIME):
            return ERR_SEARCH_INVALID, "Not searched: a time is seconds since 1970, not negative."
    if request.before_seq is not None and request.before_seq < 1:
        return ERR_SEARCH_INVALID, "Not searched: before_seq is a message's seq (1 or more)."
    return None
