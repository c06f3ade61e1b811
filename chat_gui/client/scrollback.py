"""The client's side of scrollback (protocol version 2), sans-I/O: which page of a conversation to ask for next.

``ClientScrollback`` knows, per conversation, the oldest seq this client holds (from the messages it was sent, live
or replayed, and the pages it asked for), whether a page is on its way, and whether the server said there is nothing
older. It makes the ``scrollback`` requests and turns the ``history_page`` answers into ``HistoryPageReceived``
(events.py). ClientSession owns one and asks it; no Qt, no socket here.
"""

from __future__ import annotations

from chat_gui.client.events import LOBBY, ChatMessage, Conversation, HistoryPageReceived
from chat_gui.client.rooms import ClientRooms
from chat_server import protocol as p

LOAD_PAGE = p.HISTORY_PAGE_LIMIT
"""Messages asked for each time the user scrolls to the top of a transcript."""


class ClientScrollback:
    """What this client holds of each conversation's beginning, and the pages it asked for."""

    def __init__(self) -> None:
        self._oldest: dict[Conversation, int] = {}
        self._loading: set[Conversation] = set()  # a page asked for, not answered yet
        self._complete: set[Conversation] = set()  # the server said there is nothing older than ``_oldest``

    def saw(self, conversation: Conversation, seq: int) -> None:
        """A message of ``conversation`` reached this client (live, replayed, or acknowledged)."""
        oldest = self._oldest.get(conversation)
        if oldest is None or seq < oldest:
            self._oldest[conversation] = seq

    def oldest(self, conversation: Conversation) -> int | None:
        """The seq of the oldest message of ``conversation`` this client holds (None: none yet)."""
        return self._oldest.get(conversation)

    def loading(self, conversation: Conversation) -> bool:
        """A page of ``conversation`` was asked for and has not come yet."""
        return conversation in self._loading

    def at_beginning(self, conversation: Conversation) -> bool:
        """The server said ``conversation`` has nothing older than what this client holds."""
        return conversation in self._complete

    def older(self, conversation: Conversation, rooms: ClientRooms, before: int | None = None,
              limit: int = LOAD_PAGE) -> p.ScrollbackRequest | None:
        """The request for the page before ``before`` (None: the oldest message held), or None: a server without
        scrollback (version 1), a page already on its way, or nothing older to ask for."""
        if not rooms.available or conversation in self._loading or conversation in self._complete:
            return None
        self._loading.add(conversation)
        return _request(conversation, before=before or self._oldest.get(conversation), limit=limit)

    def around(self, conversation: Conversation, seq: int, rooms: ClientRooms,
               limit: int = LOAD_PAGE) -> p.ScrollbackRequest | None:
        """The request for a page around ``seq`` (a search result older than the transcript), or None."""
        if not rooms.available or seq < 1:
            return None
        return _request(conversation, around=seq, limit=limit)

    def page(self, page: p.HistoryPage, rooms: ClientRooms, me: str) -> HistoryPageReceived:
        """A page came: what to report, and the oldest seq held of its conversation."""
        conversation = rooms.conversation_of(me, me, page.room, page.to)
        messages = tuple(ChatMessage(entry.sender, entry.text, entry.seq, entry.time, True, conversation)
                         for entry in page.messages)
        if page.around is None:
            self._loading.discard(conversation)
            if not page.more and not page.failed:
                self._complete.add(conversation)
        if messages and page.around is None:  # an around page may leave a gap above what the transcript holds
            self.saw(conversation, messages[0].seq)
        return HistoryPageReceived(conversation, messages, page.more, page.before, page.around, page.newer,
                                   page.failed)

    def forget(self, conversation: Conversation) -> None:
        """The transcript of ``conversation`` was emptied (or cut from its top): start again from the newest."""
        self._oldest.pop(conversation, None)
        self._loading.discard(conversation)
        self._complete.discard(conversation)

    def closed(self) -> None:
        """The connection is over: the pages on their way will not come (scrolling asks again)."""
        self._loading.clear()

    def reset(self) -> None:
        """Another server: nothing held of this one means anything there."""
        self._oldest.clear()
        self._loading.clear()
        self._complete.clear()


def _request(conversation: Conversation, *, before: int | None = None, around: int | None = None,
             limit: int) -> p.ScrollbackRequest:
    if conversation == LOBBY:
        return p.ScrollbackRequest(before=before, around=around, limit=limit)
    if conversation.is_room:
        return p.ScrollbackRequest(room=conversation.name, before=before, around=around, limit=limit)
    return p.ScrollbackRequest(to=conversation.name, before=before, around=around, limit=limit)
