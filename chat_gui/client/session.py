"""The client's side of the chat as a state machine, sans-I/O: what happens in, what to do out (h11's manner).

Over 400 lines: every rule of the member's side in one place, which is the point; split, they would scatter.

``ClientSession`` has no socket, timer or Qt. ``ChatClient`` (engine.py) tells it what the user asks
(connect, send, exit) and what the connection does (opened, a decoded message, closed, a timer ran out),
and carries out what each call returns, in order: wire messages to write, engine-level events to report
(events.py), and ``Disconnect``. The session owns the rules: the welcome and refusals, the outbox and the
messages not yet acknowledged, ``last_seq``, how each end is classified and worded, and whether and when
to reconnect.

States (``ClientState``) and the calls that move them::

    OFFLINE --open()--> CONNECTING --opened()--> JOINING --Welcome--> ONLINE (a welcome in another state: ignored)
    JOINING, ONLINE --leave()--> LEAVING (exit sent)
    CONNECTING --leave() / timed_out() / unreachable()--> Disconnect     LEAVING --timed_out()--> Disconnect
    any but OFFLINE --closed()--> OFFLINE, reporting Ended once, with the first reason recorded: a goodbye,
        fail() (ChatClient's: untrusted certificate, silent server), lost(), a Disconnect's; else the
        refusal seen while joining (password, or refused); else dropped
    OFFLINE --plan_reconnect() right after closed(): ReconnectScheduled or None; reconnect() when its
        delay is over --> open() again (to the same server, as the same member)

A call that does not fit the state does nothing and returns no output; none raises.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque

from chat_gui.client.events import (
    LOBBY,
    Acked,
    ChatMessage,
    ClientEnd,
    ClientState,
    Conversation,
    Disconnect,
    Ended,
    ErrorReceived,
    Farewell,
    MemberJoined,
    MemberLeft,
    MemberRenamed,
    NoticeReceived,
    ProblemReported,
    ReconnectScheduled,
    Refusal,
    RefusalKind,
    Report,
    StateChanged,
    StatusReceived,
    Welcomed,
)
from chat_gui.client.file_events import TransferReport
from chat_gui.client.files import ClientFiles, FileOutput, StartDownload, StartUpload, shared_file
from chat_gui.client.phrases import QT_TRANSLATE_NOOP, Phrase
from chat_gui.client.presence import ClientPresence, PresenceNews, TypingState
from chat_gui.client.read_markers import MARK_READ_ID, ClientReadMarkers
from chat_gui.client.rooms import ClientRooms, RoomReply
from chat_gui.client.scrollback import ClientScrollback
from chat_gui.client.search import ClientSearch, SearchReport
from chat_server import protocol as p

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 5000
"""How long a connection attempt may take before it is given up."""

EXIT_TIMEOUT_MS = 2000
"""After ``exit()``, how long to wait for the server's goodbye before closing anyway."""

RECONNECT_DELAYS_MS = (1000, 2000, 4000, 8000, 15000, 30000)
"""With ``auto_reconnect``, the wait before each attempt after an unexpected end; the last repeats."""

Output = p.Message | Report | SearchReport | PresenceNews | TransferReport | StartUpload | StartDownload | Disconnect
"""What a call asks the engine to do: write a message, report an event, start a transfer, or cut the connection."""

_NONE: list[Output] = []  # returned (never changed) by the calls that have nothing to say

_GOODBYE_ENDS = {
    p.EndReason.EXIT: ClientEnd.EXIT,
    p.EndReason.KICKED: ClientEnd.KICKED,
    p.EndReason.SERVER_STOPPED: ClientEnd.SERVER_STOPPED,
    p.EndReason.TIMED_OUT: ClientEnd.TIMED_OUT,
    p.EndReason.REPLACED: ClientEnd.REPLACED,
}

_REFUSAL_CODES = {
    p.ERR_NAME_TAKEN: RefusalKind.NAME,
    p.ERR_NAME_RESERVED: RefusalKind.NAME,
    p.ERR_NAME_INVALID: RefusalKind.NAME,
    p.ERR_PASSWORD_REQUIRED: RefusalKind.PASSWORD,
    p.ERR_PASSWORD_WRONG: RefusalKind.PASSWORD,
    p.ERR_SERVER_FULL: RefusalKind.FULL,
    p.ERR_TRY_LATER: RefusalKind.BUSY,
}

_REFUSAL_REASONS = {
    p.EndReason.REFUSED_FULL.value: RefusalKind.FULL,
    p.EndReason.REFUSED_BUSY.value: RefusalKind.BUSY,
    p.EndReason.REFUSED_NOT_TLS.value: RefusalKind.NOT_TLS,
    p.EndReason.REFUSED_NAME.value: RefusalKind.NAME,
    p.EndReason.REFUSED_PASSWORD.value: RefusalKind.PASSWORD,
}

_RECONNECTING_ENDS = (ClientEnd.DROPPED, ClientEnd.SERVER_STOPPED, ClientEnd.TIMED_OUT)
"""Ends nobody here chose: worth reconnecting after, once this client has been welcomed."""

_RETRY_ENDS = (ClientEnd.UNREACHABLE, ClientEnd.REFUSED)
"""While reconnecting, a server not back yet, full, or still holding our name is worth another try later."""


def goodbye_end(reason: str) -> ClientEnd:
    """The ClientEnd for the reason a goodbye gives (an unknown one is an error)."""
    try:
        return _GOODBYE_ENDS.get(p.EndReason(reason), ClientEnd.ERROR)
    except ValueError:
        return ClientEnd.ERROR


def _clean_name(name: str | None) -> str | None:
    return name.strip() if name and name.strip() else None


class ClientSession:
    """One chat member's session with one server, across its connections and reconnects."""

    def __init__(self, client_id: str | None = None) -> None:
        # Who this client is across reconnects: resends are recognised by it, and a name it chose is kept for it.
        self.client_id = client_id or uuid.uuid4().hex
        # Message ids are unique to this object, so that a client id reused in a later run never makes the
        # server take a new message for a resend of an old one.
        self._id_prefix = uuid.uuid4().hex[:6]
        # Which window this is, the same across its reconnects: another window of the same client id is another
        # connection of the same member (sharing its name), while this one coming back replaces its old connection.
        self.instance: str | None = uuid.uuid4().hex[:16]
        self.password: str | None = None  # sent in hello; kept in memory only, for reconnects
        self.state = ClientState.OFFLINE
        self.host = ""
        self.port = 0
        self.requested_name: str | None = None  # the name asked for on the current connection
        self.name = ""  # the name the server confirmed in its welcome
        self.members: list[str] = []
        self.rooms = ClientRooms()  # the rooms this member is in; none unless the server speaks version 2
        self.scrollback = ClientScrollback()  # the oldest seq held of each conversation, the pages asked for
        self.search = ClientSearch()  # its searches and the pages they brought (version 2)
        self.read_markers = ClientReadMarkers()  # how far this identity has read each conversation (version 2)
        self.presence = ClientPresence()  # typing and away (version 2 too)
        self.files = ClientFiles()  # shares and downloads under way (version 2 too)
        self.protocol_version = p.ROOMS_VERSION  # said in hello; the welcome says which the server speaks
        self.max_clients = 0
        self.max_line_bytes = p.DEFAULT_MAX_LINE_BYTES
        # The newest sequence number seen from this server; a reconnect sends it in its hello, so the
        # server sends exactly the messages missed instead of the recent history again.
        self.last_seq: int | None = None
        self.pings_answered = 0  # pings from the server this client answered
        self.refusal: Refusal | None = None  # why the server turned the current connection away, if it did
        self._next_id = 0
        self._outbox: deque[p.Chat] = deque()  # waiting to be sent
        self._unacked: dict[str, tuple[p.Chat, float]] = {}  # sent: id -> (message, monotonic send time)
        self._end: tuple[ClientEnd, str] | None = None  # why the current connection is ending
        self._target: tuple[str, int, str | None] = ("", 0, None)  # where the next open() goes, as whom
        self._chosen_name: str | None = None  # the name given to connect() (None: the server assigns one)
        # Reconnecting: off unless asked for, so a plain session ends where its connection ends.
        self.auto_reconnect = False
        self.reconnect_delays_ms: tuple[int, ...] = RECONNECT_DELAYS_MS
        self.reconnect_attempt = 0  # attempts since the last welcome (0: not reconnecting)
        self._was_welcomed = False  # a welcome came since the last connect() by the user
        self._just_ended: ClientEnd | None = None  # closed() decided this end; plan_reconnect() not yet asked

    # --- what the user asks ----------------------------------------------------------

    def connect(self, host: str, port: int, name: str | None = None, password: str | None = None) -> None:
        """The user asks to join ``host``:``port`` as ``name`` (None: assigned); ``open()`` starts it."""
        self.reconnect_attempt = 0
        self._was_welcomed = False
        if (host, port) != (self.host, self.port):
            self.last_seq = None  # another server: its numbers mean nothing here
            self.scrollback.reset()
            self.read_markers.reset()  # nor do its read markers: they would hide the other's unread messages
            self.password = None  # nor is its password ever sent anywhere else
        if password is not None:
            self.password = password
        self._chosen_name = _clean_name(name)
        self._target = (host, port, name)

    def send(self, text: str, now: float, conversation: Conversation = LOBBY) -> tuple[str | None, list[Output]]:
        """Queue a chat message to ``conversation``, sent at once when online: its id (None if it would be refused:
        a room or a direct message on a server without them included) and what to write."""
        if self.message_problem(text) is not None:
            return None, _NONE
        chat = self.rooms.chat(f"{self._id_prefix}-{self._next_id + 1}", text, conversation)
        if chat is None:
            return None, _NONE
        self._next_id += 1
        if self.state is ClientState.ONLINE:
            return chat.id, [self._transmit(chat, now)]
        self._outbox.append(chat)
        return chat.id, _NONE

    def typing(self, conversation: Conversation, state: TypingState, now: float) -> list[Output]:
        """The user types in ``conversation`` (``state``): the notice to write, throttled; none when offline."""
        if self.state is not ClientState.ONLINE or not self.rooms.available:
            return _NONE
        notice = self.presence.typing(conversation, state, now)
        return _NONE if notice is None else [notice]

    def set_away(self, message: str | None) -> list[Output]:
        """The user is away with ``message`` (None: back; cut to the server's limit); said now if online, and again
        after each welcome."""
        if message is not None:
            message = message.strip()[:p.MAX_AWAY_LENGTH]
        if not self.presence.set_away(message):
            return _NONE
        if self.state is not ClientState.ONLINE or not self.rooms.available:
            return _NONE
        return [self.presence.away_request()]

    def expire_typing(self, now: float) -> list[Output]:
        """The clock moved on (``now``, monotonic): who is no longer typing."""
        return [*self.presence.board.expire(now)]

    def message_problem(self, text: str) -> p.Problem | None:
        """Why ``text`` would be refused by the server (empty, several lines, too long), or None: the protocol's
        code and values, which the window words in its language."""
        fault = p.text_fault(text)
        if fault is not None:
            return fault
        size = self.message_bytes(text)
        if size > self.max_line_bytes:
            return p.Problem(p.ProblemCode.TEXT_TOO_LONG, limit=self.max_line_bytes,
                             found=str(size - self.max_line_bytes))
        return None

    def message_bytes(self, text: str) -> int:
        """The size of ``text`` as the chat line the server limits to ``max_line_bytes``."""
        return len(p.encode(p.Chat(id=f"{self._id_prefix}-{self._next_id + 1}", text=text))) - 1

    def status_request(self, all_runs: bool, page: int) -> p.StatusRequest | None:
        """The request for a page of the server's connection cache, or None when not online."""
        if self.state is not ClientState.ONLINE:
            return None
        return p.StatusRequest(all_runs=all_runs, page=page)

    def leave(self) -> list[Output]:
        """The user leaves: say exit and wait for the goodbye, or give up an attempt still connecting."""
        if self.state in (ClientState.ONLINE, ClientState.JOINING):
            return [*self._set_state(ClientState.LEAVING), p.Exit()]
        if self.state is ClientState.CONNECTING:
            return self._cut(ClientEnd.EXIT, Phrase(
                QT_TRANSLATE_NOOP("ClientPhrases", "Connection attempt cancelled.")))
        return _NONE

    def cancel_reconnect(self) -> None:
        """No more reconnect attempts until the next end that asks for one."""
        self.reconnect_attempt = 0

    @property
    def pending(self) -> list[p.Chat]:
        """Messages not yet acknowledged, sent or still waiting, oldest first."""
        return [chat for chat, _ in self._unacked.values()] + list(self._outbox)

    # --- what the connection does ------------------------------------------------------

    def open(self) -> list[Output]:
        """A connection to the target of ``connect()`` (or ``reconnect()``) is being made."""
        self.host, self.port, name = self._target
        self.requested_name = _clean_name(name)
        self.read_markers.connected()
        self._end = None
        self.refusal = None
        self._just_ended = None
        return self._set_state(ClientState.CONNECTING)

    def opened(self) -> list[Output]:
        """The connection is up (and trusted): say hello."""
        if self.state is not ClientState.CONNECTING:
            return _NONE
        return [*self._set_state(ClientState.JOINING),
                p.Hello(version=self.protocol_version, name=self.requested_name, client_id=self.client_id,
                        last_seq=self.last_seq, password=self.password or None, instance=self.instance)]

    def receive(self, event: p.Event, now: float) -> list[Output]:
        """A decoded message from the server (or a line that could not be decoded)."""
        match event:
            case p.Relay(sender=sender, text=text, seq=seq, time=sent, history=history, room=room, to=to):
                self._saw(seq)
                conversation = self.rooms.conversation_of(self.name, sender, room, to)
                self.scrollback.saw(conversation, seq)
                shared = None if event.file is None else shared_file(event.file)
                return [ChatMessage(sender, text, seq, sent, history, conversation, shared),
                        *self.presence.said(sender, conversation)]
            case p.Ack(id=message_id, seq=seq, time=stored, room=room, to=to, delivered_later=later):
                self._saw(seq)
                waited = self._unacked.pop(message_id, None)
                conversation = self.rooms.conversation_of(self.name, self.name, room, to)
                self.scrollback.saw(conversation, seq)
                rtt_ms = (now - waited[1]) * 1000.0 if waited else 0.0
                shared, done = self.files.acked(message_id)
                return [Acked(message_id, seq, stored, rtt_ms, conversation, later, shared), *done]
            case p.Welcome():
                return self._welcomed(event)
            case p.Joined(room=str()):
                return [*self.rooms.joined_event(self.name, event)]
            case p.Left(room=str(left_room)):
                if event.name == self.name:  # its transcript goes: scrolling a later one up starts from its newest
                    self.scrollback.forget(Conversation.room(left_room))
                return [*self.rooms.left_event(self.name, event)]
            case p.ReadMarker(seq=seq, room=room, to=to):
                return [self.read_markers.received(self.rooms.conversation_of(self.name, self.name, room, to), seq)]
            case p.RoomDetails() | p.RoomList() | p.RoomMembers() | p.Topic() | p.Invited() | p.RoomRenamed():
                if isinstance(event, p.RoomRenamed):  # its marker follows the room
                    self.read_markers.renamed(Conversation.room(event.old), Conversation.room(event.new))
                reply: RoomReply = event
                return [*self.rooms.reply(reply)]
            case p.Joined(name=name, online=online):
                if name not in self.members:
                    self.members.append(name)
                return [MemberJoined(name, online)]
            case p.Left(name=name, reason=reason, online=online):
                if name in self.members:
                    self.members.remove(name)
                return [MemberLeft(name, reason, online), *self.presence.gone(name)]
            case p.Renamed(old=old, new=new):
                self.members = [new if member == old else member for member in self.members]
                self.rooms.member_renamed(old, new)
                self.read_markers.renamed(Conversation.direct(old), Conversation.direct(new))
                return [MemberRenamed(old, new), *self.presence.renamed(old, new)]
            case p.UploadReady():
                return self.filed(self.files.upload_ready(event), now)
            case p.DownloadReady():
                return [*self.files.download_ready(event)]
            case p.HistoryPage():
                return [self.scrollback.page(event, self.rooms, self.name)]
            case p.MemberTyping(name=name, room=room, to=to):
                return [*self.presence.receive(event, self.rooms.conversation_of(self.name, name, room, to), now)]
            case p.AwayReply(name=name):
                return [*self.presence.receive(event, Conversation.direct(name), now)]
            case p.MemberAway() | p.MemberBack():
                if event.name == self.name:  # set here, or in another window of this member's
                    self.presence.followed(event.message if isinstance(event, p.MemberAway) else None)
                return [*self.presence.receive(event, LOBBY, now)]
            case p.StatusReport():
                return [StatusReceived(event)]
            case p.SearchResults():
                return [self.search.found(event, self.rooms, self.name)]
            case p.Notice(text=text, private=private, room=room):
                return [NoticeReceived(text, private, self.rooms.conversation_of(self.name, "", room, None))]
            case p.Error():
                return self._error(event)
            case p.Goodbye(name=name, reason=reason, time=at, text=text):
                ended = Phrase(QT_TRANSLATE_NOOP("ClientPhrases", "Disconnected ({reason})."), reason=reason)
                self.fail(goodbye_end(reason), text or ended)
                shown = text or Phrase(QT_TRANSLATE_NOOP("ClientPhrases", "Goodbye {name}! Disconnected at {time}."),
                                       name=name, time=p.clock(at))
                return [Farewell(name, goodbye_end(reason), at, shown)]
            case p.Ping(token=token):
                self.pings_answered += 1
                return [p.Pong(token=token)]
            case p.Refusal(reason=reason, text=text):
                # The line that turns this connection away (full, busy, ...): the server closes next.
                if self.state is not ClientState.ONLINE:
                    self.refusal = Refusal(_REFUSAL_REASONS.get(reason, RefusalKind.OTHER), text)
                return _NONE
            case p.Banner():
                return _NONE  # the greeting or the password prompt: the welcome (or an error) follows
            case p.DecodeError(text=text):
                log.warning("unreadable line from the server: %s", text)
        return _NONE

    def flush_outbox(self, now: float) -> list[Output]:
        """Once what the welcome reported is carried out: the messages that waited, if still online."""
        if not self._outbox or self.state is not ClientState.ONLINE:
            return _NONE
        chats: list[Output] = []
        while self._outbox:
            chats.append(self._transmit(self._outbox.popleft(), now))
        return chats

    def fail(self, end: ClientEnd, text: str) -> None:
        """Record why the current connection is ending, unless a reason was recorded already (the first wins)."""
        if self._end is None:
            self._end = (end, text)

    def timed_out(self) -> list[Output]:
        """The connect or exit timeout ran out (``CONNECT_TIMEOUT_MS``, ``EXIT_TIMEOUT_MS``)."""
        if self.state is ClientState.CONNECTING:
            seconds = CONNECT_TIMEOUT_MS // 1000
            return self._cut(ClientEnd.UNREACHABLE, Phrase(
                QT_TRANSLATE_NOOP("ClientPhrases", "Could not connect to {address}: no answer in {seconds} s."),
                address=self.address, seconds=seconds))
        if self.state is ClientState.LEAVING:
            return self._cut(ClientEnd.EXIT, Phrase(
                QT_TRANSLATE_NOOP("ClientPhrases", "Left without a goodbye from the server.")))
        return _NONE

    def unreachable(self, reason: str) -> list[Output]:
        """No connection could be made: ``reason`` in plain words."""
        if self.state is not ClientState.CONNECTING:
            return _NONE
        return self._cut(ClientEnd.UNREACHABLE, Phrase(
            QT_TRANSLATE_NOOP("ClientPhrases", "Could not connect to {address}: {reason}."),
            address=self.address, reason=reason))

    def lost(self, reason: str) -> None:
        """The connection broke (``reason`` as the system words it); ``closed()`` follows."""
        self.fail(ClientEnd.DROPPED, Phrase(QT_TRANSLATE_NOOP("ClientPhrases", "Connection lost: {reason}."),
                                            reason=reason))

    def closed(self) -> list[Output]:
        """The connection is over: requeue what was not acknowledged and report why (once per connection)."""
        if self.state is ClientState.OFFLINE:
            return _NONE
        self.search.reset()
        if self._end is None:
            refusal = self.refusal
            if refusal is not None:
                self._end = (ClientEnd.PASSWORD if refusal.kind is RefusalKind.PASSWORD else ClientEnd.REFUSED,
                             refusal.text)
            else:
                self._end = (ClientEnd.DROPPED, Phrase(
                    QT_TRANSLATE_NOOP("ClientPhrases", "The connection to {address} was lost."), address=self.address))
        end, text = self._end or (ClientEnd.DROPPED, Phrase(QT_TRANSLATE_NOOP("ClientPhrases", "Disconnected.")))
        unacked = [chat for chat, _ in self._unacked.values()]
        self._unacked.clear()
        self._outbox.extendleft(reversed(unacked))
        self.members = []  # (the rooms are kept: what is typed for one meanwhile goes there after the welcome)
        self.files.closed()
        self.scrollback.closed()
        self._just_ended = end
        return [*self._set_state(ClientState.OFFLINE), *self.presence.reset(), Ended(end, text)]

    # --- reconnecting ---------------------------------------------------------------------

    def plan_reconnect(self) -> ReconnectScheduled | None:
        """Once the end ``closed()`` reported is carried out: when to try again, or None not to."""
        end, self._just_ended = self._just_ended, None
        if end is None or self.state is not ClientState.OFFLINE or not self._should_reconnect(end):
            return None
        self.reconnect_attempt += 1
        index = min(self.reconnect_attempt, len(self.reconnect_delays_ms)) - 1
        return ReconnectScheduled(self.reconnect_attempt, self.reconnect_delays_ms[index])

    def reconnect(self) -> bool:
        """The delay before a reconnect is over: True if ``open()`` should follow (still offline)."""
        if self.state is not ClientState.OFFLINE:
            return False
        # Come back under the same name, so the others see the same member return; but a name the server
        # had assigned is not worth waiting for if someone else has it now.
        name = self.name or self.requested_name
        if self._chosen_name is None and self.refusal is not None and self.refusal.kind is RefusalKind.NAME:
            name = None
        self._target = (self.host, self.port, name)
        return True

    def _should_reconnect(self, end: ClientEnd) -> bool:
        """Reconnect after an end nobody here chose, once this client has been welcomed."""
        if not self.auto_reconnect or not self._was_welcomed or not self.reconnect_delays_ms:
            return False
        if end in _RECONNECTING_ENDS:
            return True
        return self.reconnect_attempt > 0 and end in _RETRY_ENDS

    # --- helpers --------------------------------------------------------------------------------

    @property
    def address(self) -> str:
        """The server's address as people write it (IPv6 in brackets)."""
        return p.host_port(self.host, self.port)

    def _welcomed(self, welcome: p.Welcome) -> list[Output]:
        if self.state is not ClientState.JOINING:
            # Leaving already (the exit crossed the welcome: the goodbye follows), or a second welcome.
            log.info("a welcome from %s while %s: not taken", self.address, self.state.value)
            return _NONE
        self.name = welcome.name
        self._was_welcomed = True
        self.reconnect_attempt = 0
        self.members = list(welcome.members)
        self.max_clients = welcome.max_clients
        self.max_line_bytes = welcome.max_line_bytes
        if self.last_seq is None:
            # Seen nothing yet (an empty history): after a drop, ask for what came after this welcome.
            # Asking for the recent history instead would replay this client's own acknowledged
            # messages, and skip whatever it missed beyond the history's length.
            self.last_seq = welcome.seq
        rooms = self.rooms.welcomed(welcome)
        self.scrollback.keep_rooms(self.rooms.joined)
        again = [self.presence.away_request()] if self.presence.rejoined() and self.rooms.available else []
        return [*self._set_state(ClientState.ONLINE), *self.presence.reset(),
                Welcomed(welcome.name, welcome.online, welcome.max_clients, welcome.members, welcome.max_line_bytes,
                         rooms), *again, *self.files.welcomed(self.rooms.available)]

    def _error(self, error: p.Error) -> list[Output]:
        chat = error.id is not None and self._unacked.pop(error.id, None) is not None
        refusal = self.state is ClientState.JOINING  # an error before the welcome turns the connection away
        if refusal:
            self.refusal = Refusal(_REFUSAL_CODES.get(error.code, RefusalKind.OTHER), error.text)
            return [ErrorReceived(error.code, error.text, error.id, True)]
        failed = self.search.refused(error)
        if failed is not None:
            return [ErrorReceived(error.code, error.text, error.id, False), failed]
        page = self.scrollback.refused(error)
        if page is not None:  # a page refused (a partner gone, a room left): reported as failed, not as an error line
            log.info("a scrollback was refused: %s", error.text)
            return [ErrorReceived(error.code, error.text, error.id, False), page]
        if error.id == MARK_READ_ID:  # a read marker refused (a conversation gone meanwhile): nothing the user did
            log.info("a read marker was refused: %s", error.text)
            return [ErrorReceived(error.code, error.text, error.id, False)]
        transfer = self.files.refused(error)
        if transfer is not None and not chat:  # an upload or download request: the transfer's failure says it
            return [ErrorReceived(error.code, error.text, error.id, False), *transfer]
        room = Conversation.room(error.room) if error.room else None
        if error.room:
            self.rooms.refused(error.room)
        return [ErrorReceived(error.code, error.text, error.id, False), ProblemReported(error.text, error.id, room),
                *(transfer or ())]

    def new_id(self) -> str:
        """An id for a message (or a file transfer) of this session's, never used before."""
        self._next_id += 1
        return f"{self._id_prefix}-{self._next_id}"

    def filed(self, outputs: list[FileOutput], now: float) -> list[Output]:
        """What ClientFiles asks (the engine's transfers call it), with a share's chat sent as any chat is:
        acknowledged, and back to the outbox if the connection drops first."""
        done: list[Output] = []
        for output in outputs:
            if isinstance(output, p.Chat):
                if self.state is ClientState.ONLINE:
                    done.append(self._transmit(output, now))
                else:
                    self._outbox.append(output)
            else:
                done.append(output)
        return done

    def _saw(self, seq: int) -> None:
        if self.last_seq is None or seq > self.last_seq:
            self.last_seq = seq

    def _transmit(self, chat: p.Chat, now: float) -> p.Chat:
        self._unacked[chat.id] = (chat, now)
        return chat

    def _cut(self, end: ClientEnd, text: str) -> list[Output]:
        self.fail(end, text)
        return [Disconnect()]

    def _set_state(self, state: ClientState) -> list[Output]:
        if state is self.state:
            return _NONE
        self.state = state
        return [StateChanged(state)]
