"""What members send, carried out: each event goes where the member's session says, the chat straight to the batch.

``MemberSession.receive`` (chat_server/core/session.py) decides what an event means in the member's state;
this carries it out through the parts that act on it: ``GroupCommit`` for a chat, ``Arrivals`` for a hello or
a password, ``MemberReplies`` for history and status, ``Departures`` for an exit or an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QObject

from chat_server import protocol as p
from chat_server.core.arrivals import Arrivals
from chat_server.core.away import AwayBoard
from chat_server.core.commit import GroupCommit
from chat_server.core.conversation_hub import ConversationHub
from chat_server.core.departures import Departures, who
from chat_server.core.file_requests import FileRequests
from chat_server.core.member_replies import MemberReplies
from chat_server.core.room_requests import RoomRequests
from chat_server.core.rooms import LOBBY_CONVERSATION
from chat_server.core.roster import Roster
from chat_server.core.scrollback import Scrollback
from chat_server.core.search_requests import SearchRequests
from chat_server.core.session import MEMBER, State, Step
from chat_server.core.transfer_door import TransferDoor
from chat_server.core.typing_relay import TypingRelay
from chat_server.net.connection import ClientConnection
from chat_server.protocol import files as f

log = logging.getLogger(__name__)

AFTER_PASSWORD_MAX_EVENTS = 64
"""Lines a connection may send behind a password whose check is waiting; then it is not read until the check.
It is read until then so that a connection that closes is noticed at once and gives its place in the queue up."""


class Dispatcher(QObject):
    """Carries out the events of every connection (``ConnectionSignals.events_received`` is this ``carry_out``)."""

    def __init__(self, roster: Roster, commit: GroupCommit, replies: MemberReplies, arrivals: Arrivals,
                 departures: Departures, protocol_error: Callable[[str, str], None], hub: ConversationHub,
                 requests: RoomRequests, searches: SearchRequests, typing: TypingRelay, away: AwayBoard,
                 files: FileRequests, transfers: TransferDoor, parent: QObject | None = None) -> None:
        """``protocol_error(name, text)`` is told of every input the decoder refused."""
        super().__init__(parent)
        self._roster = roster
        self._commit = commit
        self._replies = replies
        self._arrivals = arrivals
        self._departures = departures
        self._protocol_error = protocol_error
        self._hub = hub
        self._requests = requests
        self._scrollback = Scrollback(hub, replies)
        self._searches = searches
        self._typing = typing
        self._away = away
        self._files = files
        self._transfers = transfers

    def carry_out(self, conn: ClientConnection, events: list[p.Event]) -> None:
        """Carry out what ``conn`` sent, in order, as its session says (behind a password check it waits).

        Called straight from the connection (not through a signal): a bug here must cost this connection at
        most, never the pass, the others, or the connection's own bookkeeping after the call."""
        event: p.Event | None = None
        try:
            member = conn.member
            if member.state is State.CHECKING_PASSWORD:  # its password check is waiting: what follows waits with it
                member.wait(events)
                if member.waiting_count >= AFTER_PASSWORD_MAX_EVENTS and not conn.reading_held:
                    conn.hold_reading()
                return
            if member.announced and self._roster.regroup(conn):
                self._hub.forget_routes()  # it may no longer read rooms (a version-1 JSON member)
            for index, event in enumerate(events):
                if member.end_reason is not None or self._on_event(conn, event, events[index + 1:]):
                    return
        except Exception:
            what = type(event).__name__ if event is not None else "what it sent"
            log.exception("unexpected error while handling %s from %s", what, who(conn))
            self._departures.fail(conn)

    def _on_event(self, conn: ClientConnection, event: p.Event, rest: list[p.Event]) -> bool:
        """Carry out one message from ``conn`` as its session says; True if it took ``rest`` too (a password
        check waits with it, or a reply began)."""
        member = conn.member
        if type(event) is p.Chat and member.state is MEMBER:  # the hot path: straight to the batch
            self._on_chat(conn, event)
            return self._defer_behind_reply(conn, rest)
        if conn.decoder.transfer:  # a file transfer's connection (its first line): not a member's at all
            self._transfers.open(conn, event)
            return True
        if self._arrivals.only_transfer and conn.session.id in self._arrivals.only_transfer:
            self._arrivals.refuse_non_transfer(conn)
            return True
        step = member.receive(event)
        if step is Step.ANNOUNCE:  # a joining member's first message (not a hello): it is announced first
            self._arrivals.announce(conn)
            if self._defer_behind_reply(conn, [event, *rest]):  # its history comes first
                return True
            step = member.receive(event) if member.state is MEMBER else Step.OVER
        if step is Step.CHAT:
            self._on_chat(conn, cast(p.Chat, event))
        elif step is Step.PING:
            conn.reply(p.Pong(token=cast(p.Ping, event).token))
        elif step is Step.HELLO:
            self._arrivals.hello(conn, cast(p.Hello, event))
        elif step is Step.CHECK_PASSWORD:
            self._arrivals.password_attempt(conn, rest)
            return True
        elif step is Step.WAIT:  # pragma: no cover - a batch behind a waiting check waits whole (above)
            member.wait(rest)
            return True
        elif step is Step.ROOMS:
            self._requests.request(conn, cast(p.Message, event))
        elif step is Step.SCROLLBACK:
            self._scrollback.request(conn, cast(p.ScrollbackRequest, event))
        elif step is Step.SEARCH:
            self._searches.request(conn, cast(p.Message, event))
        elif step is Step.FILES:
            self._on_file_request(conn, cast(f.UploadRequest | f.DownloadRequest, event))
        elif step is Step.TYPING:
            self._typing.typing(conn, cast(p.Typing, event))
        elif step is Step.AWAY:
            self._away.request(conn, cast(p.SetAway | p.Back, event))
        elif step is Step.STATUS:
            request = cast(p.StatusRequest, event)
            self._replies.status(conn, request.all_runs, request.page)
        elif step is Step.HISTORY:
            self._replies.history(conn, cast(p.HistoryRequest, event).count)
        elif step is Step.EXIT:
            self._departures.end(conn, p.EndReason.EXIT, "")
        elif step is Step.TELNET:  # telnet waits for it even at the password prompt
            conn.reply_bytes(cast(p.TelnetReply, event).data)
        elif step is Step.DECODE_ERROR:
            self._on_decode_error(conn, cast(p.DecodeError, event))
        elif step is Step.PASSWORD_MISSING:  # not a guess: a JSON client that did not know it needs one
            conn.send(p.Error(p.ERR_PASSWORD_REQUIRED, "This server needs a password."))
            self._departures.end(conn, p.EndReason.REFUSED_PASSWORD, "")
        elif step is Step.HELLO_AGAIN:
            conn.reply(p.Error(p.ERR_NOT_ALLOWED, "hello was already received"))
        elif step is Step.NOT_ALLOWED:
            # The server's decoder knows only the client's types (p.CLIENT_MESSAGES): a server-only type on the
            # wire is refused there as an unknown type (tests/server/protocol/test_validation.py). This answers
            # a type the session does not take in this state; it never ends the session.
            conn.reply(p.Error(p.ERR_NOT_ALLOWED, f"a client cannot send '{cast(p.Message, event).TYPE}'"))
        # IGNORE (a pong; at the password prompt, anything but the password) and OVER: nothing to do
        return self._defer_behind_reply(conn, rest)

    @staticmethod
    def _defer_behind_reply(conn: ClientConnection, rest: list[p.Event]) -> bool:
        """If a reply to ``conn`` began, what it sent after waits until the reply is written: True."""
        if not conn.replying:
            return False
        conn.defer(rest)
        return True

    def _on_chat(self, conn: ClientConnection, chat: p.Chat) -> None:
        if chat.file is not None:  # a share: its own way, off the chat's
            self._on_share(conn, chat)
            return
        problem = p.text_problem(chat.text)
        if problem is not None:
            conn.reply(p.Error(p.ERR_MESSAGE_INVALID, f"Not sent: {problem}.", id=chat.id))
            return
        if chat.to is not None:
            conversation = self._hub.direct_chat(conn, chat)
        else:
            room = chat.room if chat.room is not None else conn.member.current_room  # a text member's current room
            if room is None:  # #lobby: as before rooms
                self._commit.add(conn, chat)
                return
            conversation = self._hub.room_chat(conn, chat.id, room)
        if conversation is not None:
            self._commit.add(conn, chat, conversation)
            if chat.to is not None:
                self._away.direct_sent(conn, chat.to)  # answered after its ACK

    def _on_share(self, conn: ClientConnection, chat: p.Chat) -> None:
        """A chat with ``file``: stored (like any chat there) only if the file is the member's upload for there."""
        problem = p.text_problem(chat.text) if chat.text else None  # a caption may be empty
        if problem is not None:
            conn.reply(p.Error(p.ERR_MESSAGE_INVALID, f"Not sent: {problem}.", id=chat.id))
            return
        room = chat.room if chat.room is not None else conn.member.current_room
        if chat.to is not None:
            conversation = self._hub.direct_chat(conn, chat)
        elif room is None:
            conversation = LOBBY_CONVERSATION
        else:
            conversation = self._hub.room_chat(conn, chat.id, room)
        if conversation is not None and self._files.may_share(conn, chat, conversation):
            self._commit.add(conn, chat, conversation)

    def _on_file_request(self, conn: ClientConnection, request: f.UploadRequest | f.DownloadRequest) -> None:
        if not self._hub.speaks_rooms(conn):
            conn.reply(p.Error(p.ERR_NOT_ALLOWED, f"Files need protocol version {p.ROOMS_VERSION}.", id=request.id))
        elif isinstance(request, f.UploadRequest):
            self._files.upload(conn, request)
        else:
            self._files.download(conn, request)

    def _on_decode_error(self, conn: ClientConnection, error: p.DecodeError) -> None:
        log.warning("%s sent bad input: %s", conn.name, error.text)
        self._protocol_error(conn.name, error.text)
        conn.reply(p.Error(error.code, error.text, id=error.id))
        if conn.decoder.failed:
            self._departures.end(conn, p.EndReason.ERROR, "")
