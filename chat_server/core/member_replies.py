"""What a member is replayed and reported: its history on joining, a text member's ``history N``, status pages.

This decides what a reply holds and when it begins; ``ReplyScheduler`` (chat_server/core/replies.py) pages
it out between the other members' messages. While a member is replayed its history, the roster keeps its
relays back (the replay reads them from the store, in order) until the reply is written.
It also keeps the count of stored messages that the greeting offers (``available``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from chat_server import protocol as p
from chat_server.core.commit import GroupCommit
from chat_server.core.file_relays import FileRefOf, shares_for
from chat_server.core.replies import (
    STATUS_PAGE_ROWS,
    ConversationHistory,
    HistoryReplay,
    OnePage,
    PagedReply,
    ReplyScheduler,
)
from chat_server.core.rooms import LOBBY_CONVERSATION
from chat_server.core.roster import Roster
from chat_server.net.connection import ClientConnection
from chat_server.net.reactor import Reactor
from chat_server.store import Store, StoredMessage

if TYPE_CHECKING:
    from chat_server.core.replies import Conversation


class MemberReplies:
    """The history and status replies of the members, over the store and the group commit."""

    def __init__(self, store: Store, commit: GroupCommit, roster: Roster, reactor: Reactor, run: int,
                 started_at: float, history_limit: int, resume_limit: int,
                 online: Callable[[], tuple[int, int]]) -> None:
        """``online()`` gives the members online and the limit (0: none) for a status report, when it is made."""
        self._store = store
        self._commit = commit
        self._roster = roster
        self._run = run
        self._started_at = started_at
        self._history_limit = history_limit
        self._resume_limit = resume_limit
        self._online = online
        self._scheduler = ReplyScheduler(reactor, self._on_reply_finished)
        self._counted = 0  # #lobby's messages ``history`` could show when last counted ...
        self._counted_at = 0  # ... and the group commit's count of #lobby's messages then: what came since adds up
        # What of the store a member may be replayed (its conversations: ``ConversationHub.view``).
        self.view: Callable[[ClientConnection], Conversation] | None = None
        # Where a text member's ``history N`` begins: before the last N messages of its current room (None: none).
        self.history_start: Callable[[ClientConnection, int], int | None] | None = None
        self.file_ref: FileRefOf = lambda file_id: None  # a shared file's record (FileRequests.ref)
        # A member's rooms' recent messages, the last N of each merged in seq order (None: it speaks version 1).
        self.recent_of: Callable[[ClientConnection, int], list[StoredMessage] | None] | None = None
        # The members away now, by name, with their messages (chat_server/core/away.py): the store does not know.
        self.away_by_name: Callable[[], dict[str, str]] = dict
        self.recount()

    # --- the greeting's hint -------------------------------------------------------------

    @property
    def available(self) -> int:
        """How many stored messages ``history`` can show (at most ``--history``): the greeting's hint."""
        return min(self._history_limit, self._counted + self._commit.lobby_stored - self._counted_at)

    def recount(self) -> None:
        """Count the messages ``history`` can show again (at start, and after old ones were deleted)."""
        limit = self._history_limit
        self._counted = len(self._store.recent_in(LOBBY_CONVERSATION, limit)) if limit > 0 else 0
        self._counted_at = self._commit.lobby_stored

    # --- history ---------------------------------------------------------------------------

    def history_for(self, conn: ClientConnection) -> HistoryReplay | ConversationHistory | None:
        """What a member gets on joining: what it missed since its last seen message, or the recent history;
        None if there is nothing to replay. Only its starting point is worked out here: it is paged out later."""
        stored = self._commit.stored_seq
        member = conn.member
        # Known from now on (whatever it is replayed): a window's own messages are told from its other windows'.
        window_sent = self._commit.windows.joined(member.client_id, member.instance)
        own_seqs = None
        if member.resume_from is not None:
            # Its own messages it has already (resends are acknowledged, not replayed): those this window sent if
            # this run knows it, else all of its client id's; what its member's other windows said it has not.
            after, own, own_seqs = max(member.resume_from, stored - self._resume_limit), member.client_id, window_sent
        elif self._history_limit > 0:
            recent = self.recent_of(conn, self._history_limit) if self.recent_of is not None else None
            view = self._view(conn)
            if recent is not None and view is not None:  # the last N of each of its rooms, then what comes
                then = HistoryReplay(self._store, conn.output_framing, stored, stored, conversations=view,
                                     shares=shares_for(conn, self.file_ref))
                return ConversationHistory(recent, view, conn.output_framing, then) if recent else None
            after, own = max(0, stored - self._history_limit), None
        else:
            return None
        if after >= stored:
            return None
        return HistoryReplay(self._store, conn.output_framing, after, stored, own, conversations=self._view(conn),
                             own_seqs=own_seqs, shares=shares_for(conn, self.file_ref))

    def _view(self, conn: ClientConnection) -> Conversation | None:
        return self.view(conn) if self.view is not None else None

    def start(self, conn: ClientConnection, reply: PagedReply) -> None:
        """Write ``reply`` to ``conn`` (a member just announced and listed as catching up, or asking)."""
        self._scheduler.start(conn, reply)

    def cancel(self, conn: ClientConnection) -> None:
        """Forget ``conn``'s reply: it is leaving."""
        self._scheduler.cancel(conn)

    def send_history(self, conn: ClientConnection) -> None:
        """A member announced before its hello came (as a text member) gets its history now, paged like any."""
        conn.member.history_given()
        replay = self.history_for(conn)
        if replay is not None:
            self._catch_up(conn, replay)

    def history(self, conn: ClientConnection, count: int | None) -> None:
        """A text member's ``history [N]``: the last N stored messages (at most ``--history``), paged like any."""
        self._commit.commit()  # its own messages just sent are history too
        wanted = min(self._history_limit, p.HISTORY_COUNT if count is None else max(1, count))
        stored = self._commit.stored_seq
        after = max(0, stored - wanted)
        if self.history_start is not None and wanted > 0 and stored > 0:
            start = self.history_start(conn, wanted)
            after = stored if start is None else start
        if wanted <= 0 or stored <= 0 or after >= stored:
            conn.send_line(p.no_history_line())
            return
        self._catch_up(conn, HistoryReplay(self._store, conn.output_framing, after, stored,
                                           if_none=(p.no_history_line() + "\n").encode("utf-8"),
                                           conversations=self._view(conn), mentioned=conn.name,
                                           shares=shares_for(conn, self.file_ref)))

    def _catch_up(self, conn: ClientConnection, replay: PagedReply) -> None:
        """Replay history to a member online: relays reach it through the replay until it is done."""
        self._roster.start_catching_up(conn)
        self._scheduler.start(conn, replay)

    def _on_reply_finished(self, conn: ClientConnection) -> None:
        """A reply is written: a member catching up gets what was held for it and the relays live from now on."""
        if conn.member.end_reason is not None:
            return
        for message in conn.take_held():
            conn.send(message)
        self._roster.caught_up(conn)
        conn.reply_done()

    # --- status ----------------------------------------------------------------------------

    def status(self, conn: ClientConnection, all_runs: bool, page: int) -> None:
        """A member's ``status``: the page asked for, made when its turn comes (after the ACKs it waits behind)."""
        self._commit.commit()  # its ACKs go out before the report

        def make() -> tuple[bytes, int]:
            report = self.status_report(all_runs, page)
            return p.encode(report, conn.output_framing), len(report.sessions)

        self._scheduler.start(conn, OnePage(make))

    def status_report(self, all_runs: bool = False, page: int = 1) -> p.StatusReport:
        """A page of the sessions of this run, or (``all_runs``) of every run in the store: page 1 holds the
        newest ``STATUS_PAGE_ROWS``, oldest first (raises StoreError if the store cannot read them)."""
        self._commit.commit()  # the sessions changed since are written first
        run = None if all_runs else self._run
        total = self._store.session_count(run)
        pages = max(1, -(-total // STATUS_PAGE_ROWS))
        page = min(max(1, page), pages)
        sessions = tuple(self._store.sessions_page(run, (page - 1) * STATUS_PAGE_ROWS, STATUS_PAGE_ROWS))
        away = self.away_by_name()
        if away:  # names online are unique: an online row of this run with a name away is that member's
            sessions = tuple(dataclasses.replace(s, away=away[s.name])
                             if s.name in away and s.state == p.ONLINE and s.run == self._run else s
                             for s in sessions)
        online, max_clients = self._online()
        return p.StatusReport(
            online=online, max_clients=max_clients, started_at=self._started_at,
            sessions=sessions, run=self._run, all_runs=all_runs, total=total, page=page, pages=pages,
        )
