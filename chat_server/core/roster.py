"""Who is online and the fan-out to them: each broadcast encoded once per framing, one write per member per pass."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Protocol

from chat_server import protocol as p
from chat_server.core.file_relays import reads_words, share_relay
from chat_server.core.rooms import DIRECT_PREFIX, LOBBY_CONVERSATION
from chat_server.net.connection import ClientConnection
from chat_server.net.writes import DEFERRED, LAZY, NOW
from chat_server.protocol.files import FileRef
from chat_server.protocol.mentions import marked_line, may_mention
from chat_server.store import StoredMessage

_PRESENCE = (p.Joined, p.Left, p.Renamed)
TEXT = p.Framing.TEXT


class Routes(Protocol):
    """Who gets a message of a room or a direct message, and how it is addressed to each (``ConversationHub``)."""

    def recipients(self, stored: StoredMessage, sender: ClientConnection) -> Iterable[ClientConnection]:
        """Those online a direct message goes to (never the sender)."""

    def room_audience(self, conversation: str) -> list[ClientConnection] | None:
        """A room's members online who read rooms, the sender among them; None: not an open room. The same list
        object until it changes (the roster keeps what it made of it until then)."""

    def relay_fields(self, stored: StoredMessage, viewer: ClientConnection) -> tuple[str | None, str | None]: ...

    def ack_fields(self, stored: StoredMessage, sender: ClientConnection) -> tuple[str | None, str | None, bool]: ...

    def file_ref(self, file_id: str) -> FileRef | None:
        """A shared file's record as the wire shows it."""


class Roster:
    """The connections online: those announced to the others (grouped by the framing they read) and those not yet.

    Plain bookkeeping over ClientConnection objects; the engine decides who joins and leaves.
    """

    def __init__(self) -> None:
        self._waiting: dict[int, ClientConnection] = {}  # connected, not yet announced
        self._members: dict[int, ClientConnection] = {}  # announced, in order of announcement
        # Announced connections by name: several windows of one member share its name (and count as one member).
        self._named: dict[str, int] = {}
        # Announced, still getting their history from the store (chat_server/core/replies.py): relays reach them
        # through it, so none is queued for them here, and the other broadcasts wait until they catch up.
        self._catching_up: dict[int, ClientConnection] = {}
        self._by_framing: dict[p.Framing, dict[int, ClientConnection]] = {
            p.Framing.JSON: {}, p.Framing.TEXT: {},
        }
        self.routes: Routes | None = None  # rooms and direct messages (none: every message is #lobby's)
        # A room's members online that its relays are written to now (announced, not catching up), by the framing
        # they read: conversation -> (the routes' list it was made from, the groups). Made again when that list
        # is replaced (someone joined, left, arrived or departed) and forgotten when a member here changes.
        self._audiences: dict[str, tuple[list[ClientConnection], list[tuple[p.Framing, list[ClientConnection]]]]] = {}

    def __len__(self) -> int:
        """The number of announced connections (a member with several windows has one each)."""
        return len(self._members)

    @property
    def joining(self) -> int:
        """Connections admitted and not yet announced."""
        return len(self._waiting)

    def member_count(self) -> int:
        """The number of announced members: the windows of one member count once."""
        return len(self._named)

    def names(self) -> list[str]:
        """The announced members' names, in order of announcement, each once."""
        return list(self._named)

    def windows_of(self, name: str) -> int:
        """How many announced connections hold ``name`` (the windows of that member)."""
        return self._named.get(name, 0)

    def renamed(self, conn: ClientConnection, old: str) -> None:
        """An announced member ``conn`` changed its name from ``old`` (it keeps its place among the names)."""
        if conn.session.id not in self._members or conn.name == old:
            return
        if self._named.get(old) == 1 and conn.name not in self._named:  # a late hello: the one holder of its name
            self._named = {conn.name if name == old else name: count for name, count in self._named.items()}
            return
        self._unname(old)
        self._named[conn.name] = self._named.get(conn.name, 0) + 1

    def _unname(self, name: str) -> None:
        left = self._named.get(name, 0) - 1
        if left > 0:
            self._named[name] = left
        else:
            self._named.pop(name, None)

    def admit(self, conn: ClientConnection) -> None:
        """A new connection: it receives broadcasts only once announced (they are held until then)."""
        self._waiting[conn.session.id] = conn

    def announce(self, conn: ClientConnection, catching_up: bool = False) -> None:
        """``conn`` is a member from now on; ``catching_up``: its history is still being replayed."""
        key = conn.session.id
        self._waiting.pop(key, None)
        if key not in self._members:
            self._named[conn.name] = self._named.get(conn.name, 0) + 1
        self._members[key] = conn
        self._audiences.clear()
        if catching_up:
            self._catching_up[key] = conn
        else:
            conn.listed_framing = conn.output_framing
            self._by_framing[conn.listed_framing][key] = conn

    def start_catching_up(self, conn: ClientConnection) -> None:
        """A member online is sent history: relays reach it through the replay, the rest waits, until ``caught_up``."""
        key = conn.session.id
        if key in self._members and key not in self._catching_up:
            self._by_framing[conn.listed_framing].pop(key, None)
            self._catching_up[key] = conn
            self._audiences.clear()

    def caught_up(self, conn: ClientConnection) -> None:
        """Its replay reached the newest stored message: from now on it gets the relays live."""
        key = conn.session.id
        if self._catching_up.pop(key, None) is not None and key in self._members:
            conn.listed_framing = conn.output_framing
            self._by_framing[conn.listed_framing][key] = conn
            self._audiences.clear()

    def regroup(self, conn: ClientConnection) -> bool:
        """A member announced while its framing was undecided turned out to speak JSON (then True)."""
        key = conn.session.id
        if key in self._members and key not in self._catching_up and conn.listed_framing is not conn.output_framing:
            self._by_framing[conn.listed_framing].pop(key, None)
            conn.listed_framing = conn.output_framing
            self._by_framing[conn.listed_framing][key] = conn
            self._audiences.clear()
            return True
        return False

    def remove(self, conn: ClientConnection) -> None:
        key = conn.session.id
        self._waiting.pop(key, None)
        self._catching_up.pop(key, None)
        if self._members.pop(key, None) is not None:
            self._unname(conn.name)
            self._by_framing[conn.listed_framing].pop(key, None)
            self._audiences.clear()

    def broadcast(self, message: p.Message, exclude: ClientConnection | None = None) -> None:
        """Send ``message`` to every member but ``exclude``; members not yet announced hold it."""
        due = LAZY if isinstance(message, _PRESENCE) else NOW
        for framing, members in self._by_framing.items():
            if not members:
                continue
            data = p.encode(message, framing)
            for conn in members.values():
                if conn is not exclude:
                    conn.send_bytes(data, due)
        for waiting in (self._waiting, self._catching_up):
            for conn in waiting.values():
                if conn is not exclude:
                    conn.hold(message)

    def deliver(self, batch: Iterable[tuple[StoredMessage, ClientConnection]], defer_relays: bool = False) -> None:
        """Acknowledge each stored message to its sender and relay it to everyone else, in sequence order.

        The relays of the whole batch are encoded once per framing and joined, so a member
        that sent nothing in this batch costs one write however many messages it held: written at once
        (``send_at_once``, senders first) unless the relays are kept back or other output waits before them.
        """
        items = list(batch)
        if not items:  # a commit of cache rows only (someone arrived or left): nothing to tell anyone here
            return
        if self.routes is not None:
            for stored, _ in items:
                if stored.conversation != LOBBY_CONVERSATION or stored.file is not None:
                    self._deliver_routed(items, self.routes, defer_relays)
                    return
        relays = [p.Relay(sender=stored.sender, text=stored.text, seq=stored.seq, time=stored.time)
                  for stored, _ in items]
        senders = {id(conn): conn for _, conn in items}
        encoded: dict[p.Framing, list[bytes]] = {}  # the relays in each framing, encoded when first needed
        for sender in senders.values():
            # Senders are queued (and so written) first: an ACK is what they wait for. In a
            # sender's stream its ACKs take the place of its own relays, so it stays in seq order.
            framing = sender.output_framing
            key = sender.session.id
            relayed = _encoded_in(encoded, relays, framing) if len(senders) > 1 and key in self._members \
                and key not in self._catching_up else None
            parts: list[bytes] = []
            for index, (stored, conn) in enumerate(items):
                if conn is sender:
                    _answer(parts, sender, stored, framing)
                elif relayed is not None:
                    parts.append(relayed[index] if framing is not TEXT or not may_mention(stored.text)
                                 else marked_line(relayed[index], stored.text, sender.name))
            sender.send_at_once(b"".join(parts))
        for framing, members in self._by_framing.items():
            everything = None  # (a member alone, sending, needs no relay encoded)
            mentioning = framing is TEXT and any(may_mention(relay.text) for relay in relays)
            for conn in members.values():
                if id(conn) not in senders:
                    if mentioning:  # a text member's lines that mention it are marked: its own bytes
                        everything = b"".join(marked_line(line, relay.text, conn.name) for line, relay
                                              in zip(_encoded_in(encoded, relays, framing), relays, strict=True))
                    elif everything is None:
                        everything = b"".join(_encoded_in(encoded, relays, framing))
                    if defer_relays:
                        conn.send_bytes(everything, DEFERRED)
                    else:
                        conn.send_at_once(everything)
        for conn in self._waiting.values():
            for relay in relays:
                conn.hold(relay)

    def _deliver_routed(self, items: list[tuple[StoredMessage, ClientConnection]], routes: Routes,
                        defer_relays: bool) -> None:
        """A batch with messages of rooms or direct messages: each member gets what it may, in seq order.

        Each member's part is gathered message by message (a relay of #lobby to everyone listed, one of a room to
        its members online, a direct message to its recipient), so this costs the recipients, not the members
        times the messages. Members catching up or not yet announced get #lobby's relays as before (through
        their replay, or held); never a room's or a direct one here (their replay filters by conversation).
        """
        members, catching_up = self._members, self._catching_up
        # What each member is sent, in seq order: one chunk as it is (most members get one a batch), several in a
        # list. A list per member and a join cost as much as the member's share of the fan-out's Python.
        parts: dict[ClientConnection, bytes | list[bytes]] = {}
        senders: dict[ClientConnection, None] = {}
        lobby_relays: list[p.Relay] = []
        for stored, sender in items:
            senders[sender] = None
            conversation = stored.conversation
            lobby = conversation == LOBBY_CONVERSATION
            room, to, later = (None, None, False) if lobby else routes.ack_fields(stored, sender)
            entry = parts.get(sender)
            if not isinstance(entry, list):
                entry = parts[sender] = [] if entry is None else [entry]
            _answer(entry, sender, stored, sender.output_framing, room, to, later)
            if stored.file is not None:  # a share: each member's line may differ (chat_server/core/file_relays.py)
                self._relay_share(parts, stored, sender, routes, room, to, lobby_relays)
                continue
            if lobby:
                relay = p.Relay(sender=stored.sender, text=stored.text, seq=stored.seq, time=stored.time)
                lobby_relays.append(relay)
                groups: Iterable[tuple[p.Framing, Iterable[ClientConnection]]] = (
                    (framing, listed.values()) for framing, listed in self._by_framing.items())
            elif conversation.startswith(DIRECT_PREFIX):
                for conn in routes.recipients(stored, sender):
                    key = conn.session.id
                    if key not in members or key in catching_up:  # not announced yet, or its replay brings it
                        continue
                    room, to = routes.relay_fields(stored, conn)
                    line = p.encode(p.Relay(sender=stored.sender, text=stored.text, seq=stored.seq, time=stored.time,
                                            room=room, to=to), conn.output_framing)
                    if conn.output_framing is TEXT:
                        line = marked_line(line, stored.text, conn.name)
                    _add(parts, conn, line)
                continue
            else:
                groups = self._room_audience(conversation, routes)
                if not groups:
                    continue
                # A room's relay names the room as the sender's ACK does (``ack_fields``), the same for all its members.
                relay = p.Relay(sender=stored.sender, text=stored.text, seq=stored.seq, time=stored.time,
                                room=room, to=to)
            for framing, conns in groups:
                data = None
                mentioning = framing is TEXT and may_mention(stored.text)
                for conn in conns:
                    if conn is not sender:
                        if data is None:
                            data = p.encode(relay, framing)
                        if mentioning:  # a text member's line that mentions it is marked
                            _add(parts, conn, marked_line(data, stored.text, conn.name))
                            continue
                        entry = parts.get(conn)  # _add, written out: this runs for every recipient
                        if entry is None:
                            parts[conn] = data
                        elif isinstance(entry, list):
                            entry.append(data)
                        else:
                            parts[conn] = [entry, data]
        for sender in senders:  # senders first: their ACKs are what they wait for
            sender.send_at_once(_joined(parts.pop(sender)))
        if defer_relays:
            for conn, chunks in parts.items():
                conn.send_bytes(_joined(chunks), DEFERRED)
        else:
            for conn, chunks in parts.items():
                conn.send_at_once(chunks if isinstance(chunks, bytes) else b"".join(chunks))  # _joined, written out
        for conn in self._waiting.values():
            for relay in lobby_relays:
                conn.hold(relay)

    def _relay_share(self, parts: dict[ClientConnection, bytes | list[bytes]], stored: StoredMessage,
                     sender: ClientConnection, routes: Routes, room: str | None, to: str | None,
                     lobby_relays: list[p.Relay]) -> None:
        """Add a share's relay to what each member that reads its conversation is sent (not the sender)."""
        ref = routes.file_ref(stored.file or "")
        relay = p.Relay(sender=stored.sender, text=stored.text, seq=stored.seq, time=stored.time, room=room, to=to)
        conversation = stored.conversation
        direct = conversation.startswith(DIRECT_PREFIX)
        if conversation == LOBBY_CONVERSATION:
            conns: Iterable[ClientConnection] = [c for listed in self._by_framing.values() for c in listed.values()]
            lobby_relays.append(share_relay(relay, ref, False))
        elif direct:
            conns = routes.recipients(stored, sender)
        else:
            conns = [c for _, group in self._room_audience(conversation, routes) for c in group]
        encoded: dict[tuple[p.Framing, bool], bytes] = {}  # by framing and whether it reads words
        for conn in conns:
            key = conn.session.id
            if conn is sender or key not in self._members or key in self._catching_up:
                continue
            words = reads_words(conn)
            if direct:
                r_room, r_to = routes.relay_fields(stored, conn)
                _add(parts, conn, p.encode(share_relay(dataclasses.replace(relay, room=r_room, to=r_to), ref, words),
                                           conn.output_framing))
                continue
            data = encoded.get((conn.output_framing, words))
            if data is None:
                data = encoded[conn.output_framing, words] = p.encode(share_relay(relay, ref, words),
                                                                      conn.output_framing)
            _add(parts, conn, data)

    def _room_audience(self, conversation: str, routes: Routes) -> list[tuple[p.Framing, list[ClientConnection]]]:
        """The members of the room ``conversation`` that its relays are written to now, by framing (the sender
        included: the caller skips it). Kept while neither the routes' list nor the members here change."""
        online = routes.room_audience(conversation)
        if online is None:
            return []
        cached = self._audiences.get(conversation)
        if cached is not None and cached[0] is online:
            return cached[1]
        members, catching_up = self._members, self._catching_up
        by_framing: dict[p.Framing, list[ClientConnection]] = {}
        for conn in online:
            key = conn.session.id
            if key in members and key not in catching_up:  # else not announced yet, or its replay brings it
                by_framing.setdefault(conn.listed_framing, []).append(conn)
        groups = list(by_framing.items())
        self._audiences[conversation] = (online, groups)
        return groups


def _add(parts: dict[ClientConnection, bytes | list[bytes]], conn: ClientConnection, data: bytes) -> None:
    entry = parts.get(conn)
    if entry is None:
        parts[conn] = data
    elif isinstance(entry, list):
        entry.append(data)
    else:
        parts[conn] = [entry, data]


def _joined(chunks: bytes | list[bytes]) -> bytes:
    return chunks if isinstance(chunks, bytes) else b"".join(chunks)


def _encoded_in(encoded: dict[p.Framing, list[bytes]], relays: list[p.Relay], framing: p.Framing) -> list[bytes]:
    """``relays`` encoded in ``framing``, once per batch (kept in ``encoded``)."""
    found = encoded.get(framing)
    if found is None:
        found = encoded[framing] = [p.encode(relay, framing) for relay in relays]
    return found


def _answer(parts: list[bytes], sender: ClientConnection, stored: StoredMessage, framing: p.Framing,
            room: str | None = None, to: str | None = None, later: bool = False) -> None:
    """Add the ACK of ``stored`` to what ``sender`` is sent, then its replies to what it sent after that message."""
    parts.append(p.encode(p.Ack(id=stored.message_id, seq=stored.seq, time=stored.time, text=stored.text, room=room,
                                to=to, delivered_later=later), framing))
    if sender.waiting_replies:
        parts.extend(sender.replies_after(stored.seq))
