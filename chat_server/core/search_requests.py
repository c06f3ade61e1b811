"""Members' searches carried out: what each may read (its rooms now, #lobby included, and its own direct messages),
the query run off the event loop, and the page of results sent back in the member's framing.

A search of a store in a file runs in a worker thread with a read-only connection of its own (WAL lets it read
beside the writer) and comes back to the event loop by a queued signal; meanwhile what the member sends next waits,
so its replies keep the order of its lines. A store in memory is searched at once, in the event loop.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from chat_server import protocol as p
from chat_server.core.conversation_hub import TRANSIENT_PREFIX, ConversationHub
from chat_server.core.rooms import direct_conversation, room_conversation
from chat_server.net.connection import ClientConnection
from chat_server.protocol import search as s
from chat_server.store import Found, Searcher, SearchQuery, StoreError

log = logging.getLogger(__name__)

SEARCH_COST = 10
"""What a search costs a member of its message rate (--rate): it reads far more of the store than a message."""
TEXT_SEARCHES_KEPT = 1024
"""Text members whose last search is remembered for ``/search more`` (the oldest forgotten first)."""


@dataclass(frozen=True, slots=True)
class _Search:
    """One search under way: who asked, what it asked for and the query made of it."""

    conn: ClientConnection
    request: s.SearchRequest
    query: SearchQuery


class SearchRequests(QObject):
    """Carries out ``search`` (and text mode's ``/search more``) for every member."""

    _searched = Signal(object, object)  # _Search, (list[Found], bool) | StoreError: from the worker thread

    def __init__(self, hub: ConversationHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hub = hub
        factory = hub.store.searcher_factory()
        self._factory = factory
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="search") if factory is not None else None
        self._searcher: Searcher | None = None  # the worker's, made and used in its thread only
        self._pending: set[Future[None]] = set()
        self._last: OrderedDict[int, tuple[s.SearchRequest, int | None]] = OrderedDict()  # text members' /search more
        self._searched.connect(self._on_searched)

    def request(self, conn: ClientConnection, request: p.Message) -> None:
        """Search for ``conn``; the answer (or a refusal) is sent from here."""
        if not self._hub.speaks_rooms(conn):
            conn.reply(p.Error(p.ERR_NOT_ALLOWED, f"Search needs protocol version {p.ROOMS_VERSION}.",
                               id=request.id if isinstance(request, s.SearchRequest) else None))
            return
        if isinstance(request, s.SearchMore):
            last = self._last.get(conn.session.id)
            if last is None:
                conn.reply(p.Error(s.ERR_SEARCH_INVALID, "Nothing to go on with: search first (/search words)."))
                return
            if last[1] is None:
                conn.reply(p.Banner(text="No more messages found."))
                return
            request = dataclasses.replace(last[0], before_seq=last[1])
        if not isinstance(request, s.SearchRequest):  # pragma: no cover - the session sends only these here
            return
        query = self._query(conn, request)
        if isinstance(query, p.Error):
            conn.reply(dataclasses.replace(query, id=request.id))  # the client knows which answer will not come
            return
        conn.charge(SEARCH_COST)
        self._hub.commit_now()  # what the member said just before is stored, so it can be found
        search = _Search(conn, request, query)
        if self._worker is None:
            self._answer(search, self._run_here(query))
            return
        conn.hold_for_reply()  # what it sends next waits for the answer
        future = self._worker.submit(self._run_in_worker, search)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    def close(self) -> None:
        """Stop the worker: searches not begun are dropped (the server is stopping), its connection closed."""
        if self._worker is None:
            return
        for future in list(self._pending):
            future.cancel()
        self._worker.submit(self._close_searcher)
        self._worker.shutdown(wait=False)
        self._worker = None

    def _query(self, conn: ClientConnection, request: s.SearchRequest) -> SearchQuery | p.Error:
        """What ``conn`` may search with ``request``'s filters, or the refusal."""
        hub = self._hub
        key = hub.key_of(conn)
        rooms = hub.model.rooms_of(key)
        # A member without a client id has a key for this connection only, and the same key may have been another
        # connection's in an earlier run of the server: its direct messages are those since it connected.
        since = conn.session.connected_at if key.startswith(TRANSIENT_PREFIX) else None
        conversation: str | None = None
        if request.room is not None:
            wanted = p.room_key(request.room)
            info = next((r for r in rooms if r.key == wanted), None)
            if info is None:
                return p.Error(p.ERR_NOT_IN_ROOM, f"Not searched: you are not in {request.room}.", room=request.room)
            conversation = room_conversation(info.id)
        elif request.to is not None:
            partner = hub.partner_named(key, request.to)
            if partner is None:
                return p.Error(p.ERR_UNKNOWN_MEMBER, f"Not searched: {request.to} is not a member here.")
            conversation = direct_conversation(key, partner)
        sender = None if request.sender is None else p.normalize_name(request.sender)
        return SearchQuery(words=s.search_words(request.query),
                           readable=tuple(room_conversation(info.id) for info in rooms), direct_of=key,
                           direct_since=since,
                           conversation=conversation, sender=sender, after=request.after, before=request.before,
                           before_seq=request.before_seq, limit=s.SEARCH_PAGE)

    def _run_here(self, query: SearchQuery) -> tuple[list[Found], bool] | StoreError:
        try:
            return self._hub.store.search(query)
        except StoreError as exc:
            return exc

    def _run_in_worker(self, search: _Search) -> None:
        """In the worker thread: the search, handed back to the event loop's thread by the queued signal."""
        result: tuple[list[Found], bool] | StoreError
        try:
            if self._searcher is None:
                assert self._factory is not None
                self._searcher = self._factory()
            result = self._searcher.search(search.query)
        except StoreError as exc:
            result = exc
        except Exception as exc:  # a bug: still answered, or the member's next lines would wait for ever
            log.exception("the search's worker failed")
            result = StoreError(f"the search failed: {exc!r}")
        self._searched.emit(search, result)

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except StoreError as exc:
                log.warning("could not close the search's connection to the store: %s", exc)
            self._searcher = None

    @Slot(object, object)
    def _on_searched(self, search: _Search, result: tuple[list[Found], bool] | StoreError) -> None:
        conn = search.conn
        if conn.member.end_reason is not None or not conn.writable:
            return  # gone meanwhile: nobody to answer
        try:
            self._answer(search, result)
        finally:
            conn.reply_done()

    def _answer(self, search: _Search, result: tuple[list[Found], bool] | StoreError) -> None:
        conn, request = search.conn, search.request
        if isinstance(result, StoreError):
            log.error("could not search the store for %s: %s", conn.name, result)
            conn.reply(p.Error(s.ERR_SEARCH_FAILED, "Not searched: the server could not read its store.",
                               id=request.id))
            return
        found, more = result
        hits = []
        for item in found:
            stored = item.message
            room, to = self._hub.relay_fields(stored, conn)
            hits.append(s.SearchHit(seq=stored.seq, time=stored.time, sender=stored.sender, text=stored.text,
                                    marks=item.marks, room=room, to=to))
        if conn.output_framing is p.Framing.TEXT:  # ``/search more`` goes on from the last one
            self._last[conn.session.id] = (request, hits[-1].seq if more and hits else None)
            self._last.move_to_end(conn.session.id)
            while len(self._last) > TEXT_SEARCHES_KEPT:
                self._last.popitem(last=False)
        conn.reply(s.SearchResults(query=request.query, results=tuple(hits), more=more))

