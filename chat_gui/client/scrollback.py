"""The client's side of scrollback (protocol version 2), sans-I/O: which page of a conversation to ask for next.

``ClientScrollback`` knows, per conversation, the oldest seq this client holds (from the messages it was sent, live
or replayed, and the pages it asked for), whether a page is on its way, and whether the server said there is nothing
older. It makes the ``scrollback`` requests and turns the ``history_page`` answers into ``HistoryPageReceived``
(events.py). ClientSession owns one and asks it; no Qt, no socket here.
"""

from __future__ import annotations

from chat_gui.client.events import LOBBY, ChatMessage, Conversation, HistoryPageReceived
from chat_gui.client.files import shared_file
from chat_gui.client.rooms import ClientRooms
from chat_server import protocol as p

LOAD_PAGE = p.HISTORY_PAGE_LIMIT
"""Messages asked for each time the user scrolls to the top of a transcript."""

SCROLLBACK_ID = "scrollback"
"""The id of every ``scrollback`` this client sends: an error that carries it refused a page (a partner gone, a room
left meanwhile), which then never comes (the chats' ids never take this form)."""


class ClientScrollback:
    """What this client holds of each conversation's beginning, and the pages it asked for."""

    def __init__(self) -> None:
        self._oldest: dict[Conversation, int] = {}
        self._loading: set[Conversation] = set()  # a page asked for, not answered yet
        self._complete: set[Conversation] = set()  # the server said there is nothing older than ``_oldest``
        self._asked: list[tuple[Conversation, int | None, int | None]] = []  # pages on their way: before, around

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
        before = before or self._oldest.get(conversation)
        self._asked.append((conversation, before, None))
        return _request(conversation, before=before, limit=limit)

    def around(self, conversation: Conversation, seq: int, rooms: ClientRooms,
               limit: int = LOAD_PAGE) -> p.ScrollbackRequest | None:
        """The request for a page around ``seq`` (a search result older than the transcript), or None."""
        if not rooms.available or seq < 1:
            return None
        self._asked.append((conversation, None, seq))
        return _request(conversation, around=seq, limit=limit)

    def page(self, page: p.HistoryPage, rooms: ClientRooms, me: str) -> HistoryPageReceived:
        """A page came: what to report, and the oldest seq held of its conversation."""
        conversation = rooms.conversation_of(me, me, page.room, page.to)
        messages = tuple(ChatMessage(entry.sender, entry.text, entry.seq, entry.time, True, conversation,
                                     None if entry.file is None else shared_file(entry.file))
                         for entry in page.messages)
        self._answered(conversation, page.around)
        if page.around is None:
            self._loading.discard(conversation)
            if not page.more and not page.failed:
                self._complete.add(conversation)
        if messages and page.around is None:  # an around page may leave a gap above what the transcript holds
            self.saw(conversation, messages[0].seq)
        return HistoryPageReceived(conversation, messages, page.more, page.before, page.around, page.newer,
                                   page.failed)

    def refused(self, error: p.Error) -> HistoryPageReceived | None:
        """An error that refused a page this client asked for, as that page failed (it will never come); None if
        ``error`` is not about a page. The error names the room of a refused room's page; else it is about the
        first page asked for of a direct conversation (a partner gone), or of any."""
        if error.id != SCROLLBACK_ID or not self._asked:
            return None
        if error.room is not None:
            wanted = Conversation.room(error.room)
            asked = next((a for a in self._asked if a[0] == wanted), self._asked[0])
        else:
            asked = next((a for a in self._asked if not a[0].is_room), self._asked[0])
        conversation, before, around = asked
        self._answered(conversation, around)
        if around is None:
            self._loading.discard(conversation)
        return HistoryPageReceived(conversation, (), True, before, around, False, True, refused=True)

    def _answered(self, conversation: Conversation, around: int | None) -> None:
        for index, (asked, _before, asked_around) in enumerate(self._asked):
            if asked == conversation and asked_around == around:
                del self._asked[index]
                return

    def forget(self, conversation: Conversation) -> None:
        """The transcript of ``conversation`` was emptied (or cut from its top): start again from the newest."""
        self._oldest.pop(conversation, None)
        self._loading.discard(conversation)
        self._complete.discard(conversation)

    def keep_rooms(self, joined: list[Conversation]) -> None:
        """Only ``joined`` are this member's rooms now (a welcome): the window dropped the transcripts of the others,
        so whatever was known of their beginnings no longer holds should they be joined again."""
        for conversation in {*self._oldest, *self._complete}:
            if conversation.is_room and conversation not in joined:
                self.forget(conversation)

    def closed(self) -> None:
        """The connection is over: the pages on their way will not come (scrolling asks again)."""
        self._loading.clear()
        self._asked.clear()

    def reset(self) -> None:
        """Another server: nothing held of this one means anything there."""
        self._oldest.clear()
        self._loading.clear()
        self._complete.clear()
        self._asked.clear()


def _request(conversation: Conversation, *, before: int | None = None, around: int | None = None,
             limit: int) -> p.ScrollbackRequest:
    if conversation == LOBBY:
        return p.ScrollbackRequest(before=before, around=around, limit=limit, id=SCROLLBACK_ID)
    if conversation.is_room:
        return p.ScrollbackRequest(room=conversation.name, before=before, around=around, limit=limit, id=SCROLLBACK_ID)
    return p.ScrollbackRequest(to=conversation.name, before=before, around=around, limit=limit, id=SCROLLBACK_ID)
