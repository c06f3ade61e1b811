"""Group commit: what one pass of the reactor read is stored in one transaction, then acknowledged and relayed.

A chat message to be stored joins the batch with the next sequence number; the batch is written
when the pass's reading is done (``Reactor.call_soon``), together with the cache rows changed
meanwhile, and only then does each sender get its ACK and everyone else the relay (through a
``BatchDelivery``). A copy of a message sent again (a resend after a reconnect, or twice in one
read) is recognised by its client id and message id, and acknowledged with its first copy's
seq instead of being stored twice. If the transaction fails, each message is stored on its own:
only those the store still refuses are refused (``not_stored``).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

from chat_server import protocol as p
from chat_server.core.gathering import CommitGathering
from chat_server.core.rooms import LOBBY_CONVERSATION
from chat_server.core.sessions import Session
from chat_server.core.window_sends import WindowSends
from chat_server.net.connection import ClientConnection
from chat_server.net.reactor import Reactor
from chat_server.net.writes import WriteScheduler
from chat_server.store import Store, StoredMessage, StoreError, text_bound_client_id

log = logging.getLogger(__name__)

Batch = list[tuple[StoredMessage, ClientConnection]]
"""Stored messages in seq order, each with the connection it came from."""


class BatchDelivery(Protocol):
    """Where a stored batch goes: each message acknowledged to its sender and relayed to every other member.

    ``Roster`` (chat_server/core/roster.py) delivers to the members online on this server; a cluster
    would put a message bus behind this instead, without the sessions or the commit knowing.
    """

    def __len__(self) -> int:
        """The members the relays go to (the wait for other senders grows with them)."""
        ...

    def deliver(self, batch: Sequence[tuple[StoredMessage, ClientConnection]], defer_relays: bool = False) -> None:
        """ACK each message to its sender (with its waiting replies) and relay it to the others, in seq order;
        ``defer_relays``: the relays may wait a moment (``WriteScheduler``) to go out with the next batch's."""
        ...


class GroupCommit:
    """The batch being gathered, the cache rows changed since the last commit, and the sequence numbers."""

    def __init__(self, store: Store, delivery: BatchDelivery, writes: WriteScheduler, reactor: Reactor,
                 session_changed: Callable[[int], None], committed: Callable[[list[StoredMessage]], None],
                 counted: Callable[[list[int]], None] = lambda ids: None) -> None:
        """``session_changed(id)`` is called for every cache row marked changed; ``counted(ids)`` once a commit
        with the members whose messages it took (their counts changed: one call for all, not one each);
        ``committed(messages)`` after each commit that stored messages, once they are acknowledged and relayed."""
        self._store = store
        self._delivery = delivery
        self._writes = writes
        self._reactor = reactor
        self._session_changed = session_changed
        self._counted_changed = counted
        self._committed = committed
        self._gathering = CommitGathering()  # whether a batch, or its relays, wait a moment for other senders
        self._batch: Batch = []
        # Copies of messages still in the batch, with the client id their first copy is stored under.
        self._resends: list[tuple[ClientConnection, p.Chat, str]] = []
        self._dirty: dict[int, Session] = {}
        # Rows written before whose only change since is their count of messages (a sender's row changes with
        # every message it sends): the store updates the count alone, which costs a fraction of rewriting them.
        self._counted: dict[int, Session] = {}
        self._commit_due = False
        self.windows = WindowSends()  # which window of a member sent which message, in this run
        self._seq = store.last_seq()
        self.lobby_stored = 0  # #lobby's messages stored by this run (the greeting counts them: MemberReplies)
        # The member key a stored direct message waits for, its recipient being offline (None: nobody waits).
        self.waiting_recipient: Callable[[StoredMessage, ClientConnection], str | None] = lambda stored, sender: None

    @property
    def seq(self) -> int:
        """The newest sequence number given, to a stored message or to one in the batch."""
        return self._seq

    @property
    def stored_seq(self) -> int:
        """The newest stored message's seq (the batch being gathered is not stored yet)."""
        return self._batch[0][0].seq - 1 if self._batch else self._seq

    def add(self, conn: ClientConnection, chat: p.Chat, conversation: str = LOBBY_CONVERSATION) -> None:
        """Store ``chat`` from ``conn`` with the next commit, or (a copy of one stored or in the batch) ACK it again;
        ``conversation``: the room or the two members it is said to (chat_server/core/rooms.py)."""
        client_id = conn.member.client_id
        if client_id is not None and chat.id:
            in_batch = self._in_batch(client_id, chat.id)
            earlier = in_batch if in_batch is not None else self._stored_earlier(client_id, chat.id)
            if earlier is not None and (earlier.text != chat.text or earlier.file != chat.file):
                # Not a resend: another message under an id this client id has used. Two clients present the
                # same client id (they chose the same one, or one learnt the other's): each message is its own,
                # recognised when sent again by its text (and a share by its file: its text is often empty) as
                # well, so neither can suppress the other's.
                client_id = text_bound_client_id(client_id, chat.text, chat.file)
                in_batch = self._in_batch(client_id, chat.id)
                earlier = in_batch if in_batch is not None else self._stored_earlier(client_id, chat.id)
            if in_batch is not None:  # acknowledged with its first copy, once that is stored
                self._resends.append((conn, chat, client_id))
                return
            if earlier is not None:  # a resend after a reconnect: acknowledge it again, once
                conn.reply(p.Ack(id=chat.id, seq=earlier.seq, time=earlier.time, text=chat.text))
                return
        self._seq += 1
        self.windows.sent(conn.member.client_id, conn.member.instance, self._seq)
        self._batch.append((StoredMessage(self._seq, time.time(), conn.name, chat.text, client_id, chat.id,
                                          conversation, chat.file), conn))
        conn.unacked_seq = self._seq  # its replies to what follows wait behind this message's ACK
        self._gathering.sent(conn.session.id, time.monotonic(), conversation)
        session = conn.session
        session.messages += 1
        if session.id not in self._dirty:
            self._counted[session.id] = session
        self._commit_soon()  # its count of messages is told to the observers with the commit, once a batch

    def changed(self, session: Session) -> None:
        """A cache row was added or changed: tell the observers and write it with the next commit."""
        self._dirty[session.id] = session
        self._counted.pop(session.id, None)
        self._commit_soon()
        self._session_changed(session.id)

    def dropped(self, session: Session) -> None:
        """A row deleted from the store (counted in another row): not written after all; the observers are told."""
        self._dirty.pop(session.id, None)
        self._counted.pop(session.id, None)
        self._session_changed(session.id)

    def _commit_soon(self) -> None:
        if not self._commit_due:
            self._commit_due = True
            self._reactor.call_soon(self.commit)  # when the reactor's pass has read everything it can

    def gather_budget_s(self) -> float:
        """How long the reactor may wait for more messages in all before this pass's commit."""
        if not self._batch:
            return 0.0
        senders = len({id(conn) for _, conn in self._batch})
        return self._gathering.budget_s(senders, len(self._delivery))

    def commit(self) -> None:
        """Store what arrived since the last commit in one transaction, then acknowledge and relay it.

        If the transaction fails, each message is stored on its own: only those that still cannot be
        stored are refused (``not_stored``), and every other one is stored, acknowledged and relayed.
        """
        self._commit_due = False
        if not self._batch and not self._dirty and not self._resends and not self._counted:
            return
        batch, self._batch = self._batch, []
        senders = {id(conn): conn for _, conn in batch}
        sessions = list(self._dirty.values())
        self._dirty.clear()
        counted = list(self._counted.values())
        self._counted.clear()
        try:
            self._store.commit([stored for stored, _ in batch], sessions, self._waiting(batch), counted)
        except Exception as exc:  # one message it cannot take fails them all (or a bug): found out one by one below
            log.error("could not store a batch of %d message(s) and %d session(s) (%s): storing them one by one",
                      len(batch), len(sessions), exc, exc_info=_traceback_of(exc))
            batch = self._store_one_by_one(batch, [*sessions, *counted])
        self._gathering.committed(time.monotonic())
        defer = self._gathering.relays_may_wait([conn.session.id for _, conn in batch], len(self._delivery),
                                                self._writes.deferring, {stored.conversation for stored, _ in batch})
        self._delivery.deliver(batch, defer)
        for conn in senders.values():  # after their ACKs (and a refused message's error): what waited behind them
            conn.batch_answered()
        if senders:  # their counts of messages: one call a batch, not one a message or a member
            self._counted_changed([conn.session.id for conn in senders.values()])
        self._acknowledge_resends(batch)
        if not defer and not self._gathering.held_may_wait():  # those kept back go out with this batch's
            self._writes.release_deferred()
        self._writes.flush()
        if batch:
            self.lobby_stored += sum(1 for stored, _ in batch if stored.conversation == LOBBY_CONVERSATION)
            self._committed([stored for stored, _ in batch])

    def _waiting(self, batch: Batch) -> list[tuple[str, int]]:
        """The direct messages of ``batch`` that wait for their recipient: (its member key, seq)."""
        waiting = []
        for stored, sender in batch:
            if stored.conversation != LOBBY_CONVERSATION:
                recipient = self.waiting_recipient(stored, sender)
                if recipient is not None:
                    waiting.append((recipient, stored.seq))
        return waiting

    def _in_batch(self, client_id: str, message_id: str) -> StoredMessage | None:
        for stored, _ in self._batch:
            if stored.client_id == client_id and stored.message_id == message_id:
                return stored
        return None

    def _stored_earlier(self, client_id: str, message_id: str) -> StoredMessage | None:
        try:
            return self._store.find(client_id, message_id)
        except StoreError as exc:  # then it is taken for a new message; storing it will tell
            log.error("could not look for an earlier copy of a message: %s", exc)
            return None

    def _store_one_by_one(self, batch: Batch, sessions: list[Session]) -> Batch:
        """After a failed group commit: what of ``batch`` could be stored, renumbered so that seq has no gap.

        A refused message's error takes its place in its sender's replies: after the ACKs of what the
        sender sent before it, before the replies to what it sent after it.
        """
        stored_batch: Batch = []
        next_seq = batch[0][0].seq if batch else self._seq + 1
        new_seq: dict[int, int] = {}  # old seq -> the stored seq its sender's later replies wait behind (0: none)
        last_stored: dict[int, int] = {}  # id(sender) -> the new seq of its last message stored so far
        refusals: dict[int, list[tuple[int, bytes]]] = {}  # id(sender) -> (old seq, its error)
        for stored, conn in batch:
            candidate = dataclasses.replace(stored, seq=next_seq)
            try:
                self._store.commit([candidate], (), self._waiting([(candidate, conn)]))
            except Exception as exc:  # this message is the one the store refuses
                log.error("could not store a message from %s: %s", stored.sender, exc, exc_info=_traceback_of(exc))
                error = p.Error(p.ERR_NOT_STORED, "Not sent: the server could not store it.", id=stored.message_id)
                refusals.setdefault(id(conn), []).append((stored.seq, p.encode(error, conn.output_framing)))
                new_seq[stored.seq] = last_stored.get(id(conn), 0)
                conn.session.messages -= 1
                if conn.session not in sessions:
                    sessions.append(conn.session)
                continue
            new_seq[stored.seq] = last_stored[id(conn)] = next_seq
            stored_batch.append((candidate, conn))
            next_seq += 1
        self._seq = next_seq - 1
        for conn in {id(conn): conn for _, conn in batch}.values():
            _requeue_replies(conn, refusals.get(id(conn), []), new_seq)
        for session in sessions:
            try:
                self._store.commit((), [session])
            except Exception as exc:  # its row stays in the cache of this run, only not in the store
                log.error("could not store session %d (%s): %s", session.id, session.info().address, exc,
                          exc_info=_traceback_of(exc))
        return stored_batch

    def _acknowledge_resends(self, batch: Batch) -> None:
        """Messages sent again while their first copy was in the batch: acknowledged once that copy is stored."""
        if not self._resends:
            return
        resends, self._resends = self._resends, []
        stored = {(s.client_id, s.message_id): s for s, _ in batch}
        for conn, chat, client_id in resends:
            first = stored.get((client_id, chat.id))
            if first is None:
                conn.send(p.Error(p.ERR_NOT_STORED, "Not sent: the server could not store it.", id=chat.id))
            else:
                conn.send(p.Ack(id=chat.id, seq=first.seq, time=first.time, text=chat.text))


def _traceback_of(exc: Exception) -> Exception | None:
    """A StoreError is the store failing, said in one line; anything else a store raises is a bug, and is logged with
    its traceback. Either way a commit carries on: a bug in the store costs the messages it refuses, not the batch."""
    return None if isinstance(exc, StoreError) else exc


def _requeue_replies(conn: ClientConnection, refusals: list[tuple[int, bytes]], new_seq: dict[int, int]) -> None:
    """Key ``conn``'s waiting replies, and the errors of its refused messages, by the renumbered seqs."""
    entries = sorted([(seq, 0, index, data) for index, (seq, data) in enumerate(refusals)]
                     + [(seq, 1, index, data) for index, (seq, data) in enumerate(conn.waiting_replies or ())])
    conn.waiting_replies = None
    waiting: list[tuple[int, bytes]] = []
    for seq, _, _, data in entries:
        key = new_seq.get(seq, seq)
        if key:
            waiting.append((key, data))
        else:  # nothing of its was stored before it: it goes out ahead of this batch's ACKs
            conn.send_bytes(data)
    if waiting:
        conn.waiting_replies = deque(waiting)
