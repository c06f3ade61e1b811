"""Scrollback carried out: a member's ``scrollback`` request (JSON) or ``/history [#room] [N]`` (text mode) answered
with one ``history_page`` of one of its conversations, read from the store by seq.

Only the member's own conversations: a room it is in (#lobby: every member), its direct messages with one member.
A page is a reply like a status report: made when its turn comes, after the ACKs the member waits for, and written
by ``MemberReplies``' scheduler (chat_server/core/replies.py), so it counts against the member's rate and not
against its output cap. Pages are cut by seq, never by position, so that consecutive pages neither overlap nor
leave a gap however many messages are stored meanwhile.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass

from chat_server import protocol as p
from chat_server.core.conversation_hub import ConversationHub, needs_version_2, refusal_error
from chat_server.core.member_replies import MemberReplies
from chat_server.core.replies import OnePage
from chat_server.core.rooms import LOBBY_CONVERSATION, Refused
from chat_server.net.connection import ClientConnection
from chat_server.store import StoredMessage, StoreError

log = logging.getLogger(__name__)

PAGE_ENVELOPE_SLACK = 64
"""Bytes kept free in a page's line besides its envelope, measured without its messages: ``more`` and ``newer``
turning true make it shorter, never longer, but a margin costs nothing."""


@dataclass(frozen=True, slots=True)
class _Where:
    """A conversation as the store keeps it, and as the page names it (as the request did; #lobby: neither)."""

    conversation: str
    room: str | None
    to: str | None


class Scrollback:
    """Answers the members' scrollback requests (``Step.SCROLLBACK``)."""

    def __init__(self, hub: ConversationHub, replies: MemberReplies) -> None:
        self._hub = hub
        self._replies = replies

    def request(self, conn: ClientConnection, request: p.ScrollbackRequest) -> None:
        """Answer ``request`` with a page, or refuse it (a version-1 member, a room it is not in, nobody so named)."""
        hub = self._hub
        if not hub.speaks_rooms(conn):
            _refuse(conn, request, needs_version_2(None, request.room))
            return
        where = self._where(conn, request)
        if where is None:
            return
        hub.commit_now()  # its own messages just sent are history too, and their ACKs go out before the page
        framing = conn.output_framing

        def make() -> tuple[bytes, int]:
            try:
                page = self.page(where, request)
            except StoreError as exc:  # said, so that the client does not wait for the page for ever
                log.error("could not read a page of history for %s: %s", conn.name, exc)
                page = p.HistoryPage(room=where.room, to=where.to, before=request.before, around=request.around,
                                     more=True, failed=True)
            if framing is p.Framing.TEXT:  # its lines that mention the member are marked (mentions.py)
                return (p.history_page_lines(page, conn.name) + "\n").encode("utf-8"), len(page.messages)
            return p.encode(page, framing), len(page.messages)

        self._replies.start(conn, OnePage(make))

    def _where(self, conn: ClientConnection, request: p.ScrollbackRequest) -> _Where | None:
        """The conversation ``request`` names, if ``conn`` may read it; else None, the refusal sent."""
        hub = self._hub
        key = hub.key_of(conn)
        if request.to is not None:
            partner = hub.partner_named(key, request.to)  # a past partner too: its messages are still ours
            if partner is None:
                _refuse(conn, request, p.Error(p.ERR_UNKNOWN_MEMBER, f"{request.to} is not a member here."))
                return None
            delivery = hub.model.direct_message(key, partner)
            if isinstance(delivery, Refused):
                _refuse(conn, request, refusal_error(delivery, None))
                return None
            return _Where(delivery.conversation, None, request.to)
        room = request.room
        if room == p.CURRENT_ROOM:  # text mode's /history without a room
            room = conn.member.current_room or p.LOBBY
        if room is None:
            return _Where(LOBBY_CONVERSATION, None, None)
        # Only a member of a room may read it; a private room is not there for the others (as for /who).
        visible = hub.model.members(key, room)
        conversation = visible if isinstance(visible, Refused) else hub.model.room_message_conversation(key, room)
        if isinstance(conversation, Refused):
            _refuse(conn, request, refusal_error(conversation, room))
            return None
        shown = None if conversation == LOBBY_CONVERSATION else hub.room_name(conversation) or room
        return _Where(conversation, shown, None)

    def page(self, where: _Where, request: p.ScrollbackRequest) -> p.HistoryPage:
        """The page ``request`` asks for, read from the store now (raises StoreError if it cannot be read)."""
        store, count = self._hub.store, request.count
        if request.around is not None:
            older_count = count // 2
            older = store.before_in(where.conversation, request.around, older_count + 1)
            newer = store.after_in(where.conversation, request.around - 1, count - older_count + 1)
            more, has_newer = len(older) > older_count, len(newer) > count - older_count
            older, newer = older[max(0, len(older) - older_count):], newer[:count - older_count]
        else:
            if request.before is None:
                older = store.recent_in(where.conversation, count + 1)
            else:
                older = store.before_in(where.conversation, request.before, count + 1)
            more, has_newer, newer = len(older) > count, False, []
            older = older[max(0, len(older) - count):]
        empty = p.HistoryPage(room=where.room, to=where.to, before=request.before, around=request.around)
        budget = p.HISTORY_PAGE_MAX_BYTES - len(p.encode(empty)) - PAGE_ENVELOPE_SLACK
        older, newer, cut_older, cut_newer = _within(older, newer, budget)
        file_ref = self._hub.file_ref
        entries = tuple(p.HistoryEntry(m.sender, m.text, m.seq, m.time, file=file_ref(m.file) if m.file else None)
                        for m in (*older, *newer))
        return p.HistoryPage(room=where.room, to=where.to, before=request.before, around=request.around,
                             messages=entries, more=more or cut_older, newer=has_newer or cut_newer)


def _refuse(conn: ClientConnection, request: p.ScrollbackRequest, error: p.Error) -> None:
    """Refuse ``request`` with ``error``, which carries the request's ``id`` (the client knows which page will not
    come)."""
    conn.reply(dataclasses.replace(error, id=request.id))


def _entry_bytes(stored: StoredMessage) -> int:
    """What one message takes in a page's JSON line, its comma included."""
    entry = {"sender": stored.sender, "text": stored.text, "seq": stored.seq, "time": stored.time}
    return len(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) + 1


def _within(older: list[StoredMessage], newer: list[StoredMessage],
            budget: int) -> tuple[list[StoredMessage], list[StoredMessage], bool, bool]:
    """``older`` and ``newer`` cut to ``budget`` bytes from their far ends (the larger side first), one message
    at least kept; and whether each side was cut."""
    sizes = {m.seq: _entry_bytes(m) for m in (*older, *newer)}
    total = sum(sizes.values())
    first, last = 0, len(newer)
    cut_older = cut_newer = False
    while total > budget and (len(older) - first) + last > 1:
        if len(older) - first >= last:
            total -= sizes[older[first].seq]
            first, cut_older = first + 1, True
        else:
            last -= 1
            total -= sizes[newer[last].seq]
            cut_newer = True
    return older[first:], newer[:last], cut_older, cut_newer
