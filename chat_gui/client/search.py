"""Search as the client engine sees it: what the user asks for (``SearchFilters``) and what comes back
(``SearchPage`` of ``FoundMessage``), as plain values; the wire's request and reply are made and read here only.

No Qt here: the engine (engine.py) writes the request and reports the page through its signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chat_gui.client.events import Conversation
from chat_gui.client.rooms import ClientRooms
from chat_server import protocol as p


class SearchRefusal(StrEnum):
    """Why a search was not made, as the engine reports it (the window words it; the server's words are English)."""

    INVALID = "invalid"  # no word to search for, too long, not one line, a date out of range
    NOT_IN_ROOM = "not in room"  # the room filter names a room this member is not in
    UNKNOWN_MEMBER = "unknown member"  # the conversation or sender filter names nobody the server knows
    FAILED = "failed"  # the server could not read its store
    NOT_SUPPORTED = "not supported"  # the server speaks protocol version 1


SEARCH_ID = "search"
"""The id of every ``search`` this client sends: an error that carries it is the answer to the search waiting first
(searches are answered in the order asked; the chats' ids never take this form)."""

_REFUSALS = {
    p.ERR_SEARCH_INVALID: SearchRefusal.INVALID, p.ERR_BAD_MESSAGE: SearchRefusal.INVALID,
    p.ERR_ROOM_INVALID: SearchRefusal.INVALID, p.ERR_NOT_IN_ROOM: SearchRefusal.NOT_IN_ROOM,
    p.ERR_UNKNOWN_MEMBER: SearchRefusal.UNKNOWN_MEMBER, p.ERR_SEARCH_FAILED: SearchRefusal.FAILED,
    p.ERR_NOT_ALLOWED: SearchRefusal.NOT_SUPPORTED,
}
"""What the server answers a search with when it does not carry it out (a search waits for its answer)."""


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a search is narrowed to: one conversation, one sender, a period (Unix times); None: no such filter."""

    conversation: Conversation | None = None
    sender: str | None = None
    after: float | None = None
    before: float | None = None


@dataclass(frozen=True, slots=True)
class FoundMessage:
    """A message a search found: where it was said, by whom, when, and where its text holds the words searched
    for (``marks``: [start, end) in characters of ``text``)."""

    seq: int
    time: float
    sender: str
    text: str
    conversation: Conversation
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of results, newest first; ``more``: older messages match too (``ChatClient.search_more``)."""

    query: str
    messages: tuple[FoundMessage, ...]
    more: bool
    continued: bool = False  # a next page of the same search (its messages come after the last page's)

    @property
    def last_seq(self) -> int | None:
        return self.messages[-1].seq if self.messages else None


def search_problem(query: str, filters: SearchFilters = SearchFilters()) -> SearchRefusal | None:
    """Why the server would refuse this search, or None: checked before sending."""
    fault = p.search_fault(search_request(query, filters))
    return None if fault is None else _REFUSALS.get(fault[0], SearchRefusal.INVALID)


def search_request(query: str, filters: SearchFilters, before_seq: int | None = None) -> p.SearchRequest:
    """The wire's request for a search (``before_seq``: the page after that message)."""
    conversation = filters.conversation
    room = conversation.name if conversation is not None and conversation.is_room else None  # #lobby by its name
    to = conversation.name if conversation is not None and not conversation.is_room else None
    return p.SearchRequest(query=query.strip(), room=room, to=to, sender=filters.sender or None, after=filters.after,
                           before=filters.before, before_seq=before_seq, id=SEARCH_ID)


def search_page(results: p.SearchResults, rooms: ClientRooms, me: str, continued: bool) -> SearchPage:
    """The server's reply as the engine reports it: each message with its conversation as this client names it."""
    found = tuple(FoundMessage(hit.seq, hit.time, hit.sender, hit.text,
                               rooms.conversation_of(me, hit.sender, hit.room, hit.to), hit.marks)
                  for hit in results.results)
    return SearchPage(results.query, found, results.more, continued)


@dataclass(frozen=True, slots=True)
class SearchFailed:
    """The server refused a search or could not carry it out: ``text`` says why (in the protocol's English)."""

    refusal: SearchRefusal
    text: str

SearchReport = SearchPage | SearchFailed


class ClientSearch:
    """A client's searches: the requests it makes and the pages it gets back, in the order it asked."""

    def __init__(self) -> None:
        self._asked: list[bool] = []  # searches waiting for their answer: whether each is a next page
        self._last: tuple[str, SearchFilters] | None = None
        self._next_seq: int | None = None  # where the next page of the last search begins (None: no more)

    def start(self, query: str, filters: SearchFilters) -> p.SearchRequest:
        self._last = (query, filters)
        self._next_seq = None
        self._asked.append(False)
        return search_request(query, filters)

    def more(self) -> p.SearchRequest | None:
        """The next page of the last search, or None if it has no more (or there was none)."""
        if self._last is None or self._next_seq is None:
            return None
        self._asked.append(True)
        request = search_request(*self._last, before_seq=self._next_seq)
        self._next_seq = None  # asked for: not again until it comes
        return request

    @property
    def waiting(self) -> bool:
        return bool(self._asked)

    def found(self, results: p.SearchResults, rooms: ClientRooms, me: str) -> SearchPage:
        continued = self._asked.pop(0) if self._asked else False
        page = search_page(results, rooms, me, continued)
        if self._last is not None and results.query == self._last[0].strip() and not self._asked:
            self._next_seq = page.last_seq if page.more else None
        return page

    def refused(self, error: p.Error) -> SearchFailed | None:
        """The error as the answer to the search waiting first, if it is one."""
        if not self._asked or error.id != SEARCH_ID:
            return None
        self._asked.pop(0)
        return SearchFailed(_REFUSALS.get(error.code, SearchRefusal.INVALID), error.text)

    def reset(self) -> None:
        """The connection is over: the answers waited for will not come."""
        self._asked.clear()
        self._next_seq = None
