"""Replies a member asked for (its history, a status report), written a page at a time within two budgets.

A replay of 100,000 messages built at once costs everyone: the pass that builds it reads
nobody else, and its bytes wait in the server's memory for a reader that may never read.
Here a reply is a cursor that produces pages; a member's next page is made only while
little of its output is still waiting (``REPLY_WINDOW_BYTES``), and one pass of the reactor
makes at most ``PASS_BUDGET_ROWS`` rows for all the members waiting together, round robin,
so the others' messages are read, stored and acknowledged between pages.

While its reply is being written the member's further input waits (its connection is
``replying``): replies come in the order they were asked for, and a member that keeps
asking is slowed down by its own reading, as well as charged one message of its rate for
every ``ROWS_PER_TOKEN`` rows it is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Container
from typing import TYPE_CHECKING, Protocol

from chat_server.net.connection import ClientConnection
from chat_server.net.reactor import Reactor, TimerHandle
from chat_server.protocol import Framing, Relay, encode
from chat_server.protocol.mentions import marked_line
from chat_server.store import Store, StoredMessage

if TYPE_CHECKING:
    from chat_server.core.file_relays import ShareRelay

log = logging.getLogger(__name__)

REPLY_WINDOW_BYTES = 256 * 1024
"""A member's next page is made only while less than this of its output waits unread."""
PAGE_ROWS = 64
"""Rows (messages, sessions) read from the store and encoded at once."""
PASS_BUDGET_ROWS = 512
"""Rows made in one pass of the reactor for all waiting members together."""
ROWS_PER_TOKEN = 16
"""A page costs the member one message of its rate per this many rows (see ``ClientConnection.charge``)."""
STATUS_PAGE_ROWS = 100
"""Sessions in one status report; ``status 2`` (``"page": 2``) asks for the ones before them."""
POLL_S = 0.01
"""While every waiting member still has a full window unread, look again this often."""


class PagedReply(Protocol):
    """A reply that can be produced a page at a time."""

    def next_page(self, rows: int) -> tuple[bytes, int, bool]:
        """At most about ``rows`` rows, encoded for the member: (bytes, rows made, whether it is finished)."""
        ...


class ReplyScheduler:
    """The replies being written, one per member at most, served round robin from the reactor."""

    def __init__(self, reactor: Reactor, finished: Callable[[ClientConnection], None]) -> None:
        self._reactor = reactor
        self._finished = finished
        self._replies: dict[int, tuple[ClientConnection, PagedReply]] = {}  # session id -> reply, in serving order
        self._timer: TimerHandle | None = None
        self._timer_at_once = False

    def __len__(self) -> int:
        return len(self._replies)

    def start(self, conn: ClientConnection, reply: PagedReply) -> None:
        """Write ``reply`` to ``conn`` from the next pass on; its further input waits until it is written."""
        self._replies[conn.session.id] = (conn, reply)
        conn.hold_for_reply()
        self._wake(at_once=True)

    def cancel(self, conn: ClientConnection) -> None:
        """Forget ``conn``'s reply (it is leaving); its input is not released."""
        self._replies.pop(conn.session.id, None)

    def _wake(self, at_once: bool) -> None:
        if self._timer is not None:
            if self._timer_at_once or not at_once:
                return
            self._timer.cancel()
        self._timer_at_once = at_once
        self._timer = self._reactor.call_later(0.0 if at_once else POLL_S, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        budget = PASS_BUDGET_ROWS
        served = False
        for key in list(self._replies):
            if budget <= 0:
                break
            conn, reply = self._replies.pop(key)
            if not conn.writable:
                continue  # it is leaving: the engine cancels it too
            finished = False
            while budget > 0 and conn.bytes_queued < REPLY_WINDOW_BYTES:
                try:
                    data, rows, finished = reply.next_page(min(PAGE_ROWS, budget))
                except Exception:  # a store that fails must not leave the member waiting forever
                    log.exception("%s: could not make the next page of its reply", conn.name)
                    data, rows, finished = b"", 0, True
                served = True
                budget -= max(1, rows)
                conn.send_requested_bytes(data)
                conn.charge(max(1, rows // ROWS_PER_TOKEN))
                if finished:
                    break
            if finished:
                self._finished(conn)
            else:
                self._replies[key] = (conn, reply)  # to the end of the queue: the others come first next pass
        if self._replies:
            self._wake(at_once=served)


class OnePage:
    """A reply made whole when its turn comes (a status report): ``make`` gives its bytes and its rows."""

    def __init__(self, make: Callable[[], tuple[bytes, int]]) -> None:
        self._make = make

    def next_page(self, rows: int) -> tuple[bytes, int, bool]:
        data, made = self._make()
        return data, made, True


class Conversation(Protocol):
    """Which stored messages one member may be replayed, and how each is addressed to it (rooms, directs)."""

    def shown(self, stored: StoredMessage) -> bool: ...

    def fields(self, stored: StoredMessage) -> tuple[str | None, str | None]: ...


class HistoryReplay:
    """The stored messages after a sequence number, up to the newest: a joining member's history.

    It reads on until it reaches the newest stored message, so what was stored while it ran
    arrives this way too, in order (``live_after`` and later without the history mark); then
    the member gets relays live. Its own messages (``own_client_id``; with ``own_seqs``, those alone: one window's
    of a member with several) it has already. With
    ``conversations``, only the messages of the member's conversations are replayed (with their
    room or recipient), and ``skip`` (direct messages it was just sent) not again.
    """

    def __init__(self, store: Store, framing: Framing, after: int, live_after: int,
                 own_client_id: str | None = None, if_none: bytes = b"",
                 conversations: Conversation | None = None, mentioned: str = "",
                 own_seqs: Container[int] | None = None, shares: ShareRelay | None = None) -> None:
        """``mentioned``: a text member's name, whose mentions are marked in its lines (mentions.py); ``shares``
        makes a share's relay (chat_server/core/file_relays.py)."""
        self._store = store
        self._shares = shares
        self._mentioned = mentioned
        self._framing = framing
        self.cursor = after
        self._live_after = live_after
        # A window's own seqs (it may gain some while it is replayed) stand for its client id's messages.
        self._own = own_client_id if own_seqs is None else None
        self._own_seqs: Container[int] = () if own_seqs is None else own_seqs
        self._if_none = if_none  # sent if the store turns out to have nothing to replay (deleted meanwhile)
        self._conversations = conversations
        self.skip: set[int] = set()

    def next_page(self, rows: int) -> tuple[bytes, int, bool]:
        page = self._store.since(self.cursor, rows)
        if not page:
            return self._if_none, 0, True
        self.cursor = page[-1].seq
        if self._conversations is not None:  # a page may hold nothing of its: the reply is still one reply
            data, finished = self._routed_page(page, rows), len(page) < rows
            if data:
                self._if_none = b""
            elif finished:
                data, self._if_none = self._if_none, b""
            return data, len(page), finished
        self._if_none = b""
        own, own_seqs, live_after, framing = self._own, self._own_seqs, self._live_after, self._framing
        data = b"".join(
            encode(self._relay(m, Relay(sender=m.sender, text=m.text, seq=m.seq, time=m.time,
                                        history=m.seq <= live_after)), framing)
            for m in page if (own is None or m.client_id != own) and m.seq not in own_seqs)
        return data, len(page), len(page) < rows

    def _routed_page(self, page: list[StoredMessage], rows: int) -> bytes:
        conversations, own, own_seqs, skip = self._conversations, self._own, self._own_seqs, self.skip
        assert conversations is not None
        chunks = []
        for m in page:
            if (own is not None and m.client_id == own) or m.seq in own_seqs or m.seq in skip or \
                    not conversations.shown(m):
                continue
            room, to = conversations.fields(m)
            line = encode(self._relay(m, Relay(sender=m.sender, text=m.text, seq=m.seq, time=m.time,
                                               history=m.seq <= self._live_after, room=room, to=to)), self._framing)
            chunks.append(marked_line(line, m.text, self._mentioned) if self._mentioned else line)
        return b"".join(chunks)

    def _relay(self, stored: StoredMessage, relay: Relay) -> Relay:
        return relay if stored.file is None or self._shares is None else self._shares(stored, relay)


class ConversationHistory:
    """A joining member's recent history of each of its rooms (the last ``--history`` of each, read at once and
    merged in seq order), then what was stored since it began, as a ``HistoryReplay`` from there."""

    def __init__(self, recent: list[StoredMessage], conversations: Conversation, framing: Framing,
                 then: HistoryReplay) -> None:
        self._recent = recent
        self._conversations = conversations
        self._framing = framing
        self._then = then

    @property
    def skip(self) -> set[int]:
        return self._then.skip

    @skip.setter
    def skip(self, seqs: set[int]) -> None:
        self._then.skip = seqs

    def next_page(self, rows: int) -> tuple[bytes, int, bool]:
        if not self._recent:
            return self._then.next_page(rows)
        page, self._recent = self._recent[:rows], self._recent[rows:]
        chunks = []
        for m in page:
            if m.seq in self._then.skip:  # a direct message that waited for it: it was just sent, once
                continue
            room, to = self._conversations.fields(m)
            relay = Relay(sender=m.sender, text=m.text, seq=m.seq, time=m.time, history=True, room=room, to=to)
            chunks.append(encode(self._then._relay(m, relay), self._framing))
        return b"".join(chunks), len(page), False
