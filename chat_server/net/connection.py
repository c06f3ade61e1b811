"""One client's connection on the server: bytes in through the decoder, messages out in its framing.

Over 400 lines: one member's I/O (output queue and cap, replies in input order, input pacing, timers) reads and
writes the same few fields on every message; split into objects, each message would pay for the extra hops.
Where the member is in its life is not here: that is its MemberSession (chat_server/core/session.py).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from chat_server.core.limits import TokenBucket
from chat_server.core.session import MemberSession, State
from chat_server.core.sessions import Session
from chat_server.net.reactor import Reactor, TimerHandle
from chat_server.net.transport import Transport
from chat_server.net.writes import NOW, WriteScheduler
from chat_server.net.written import WrittenWatch
from chat_server.protocol import Event, Framing, Message, ServerDecoder, encode
from chat_server.settings import ServerSettings

HELD_MAX = 10_000
"""Broadcasts kept for a member not yet announced or still catching up on its history; one more and it is
disconnected as too slow (it is not keeping up with the room)."""

BACKED_UP_BYTES = 64 * 1024
"""Unsent output beyond what the kernel took; a member that reads leaves next to nothing there."""

GRACE_HELD_MAX = 64
"""Broadcasts kept for a connection not yet announced (in its grace period); at this many it is announced at
the end of the pass, so what it holds stays small however busy the chat is."""

_NOT_SCHEDULED = 0  # below NOW, DEFERRED and LAZY (chat_server/net/writes.py)


class ConnectionSignals(QObject):
    """The signals of every ClientConnection of one server, each carrying its connection.

    One QObject for all members rather than one each: a QObject with its signal
    connections costs 2-5 KiB, as much as the rest of an idle member.
    What a connection decoded goes to ``events_received``, a plain callable rather than a signal: it is called
    for every read of every member, and a signal's emission costs about 1.7 µs more than the call (a few
    per cent of a message's whole cost on the server). Everything decoded from one read arrives as one list.
    """

    join_due = Signal(object)  # the grace period after accept ended without a first line
    throttled = Signal(object)  # over its message rate: reading paused until the rate allows more
    overflowed = Signal(object)  # its unread output passed the cap: it does not read fast enough
    closed = Signal(object)  # the connection is gone, whoever closed it

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The engine's dispatcher, given (the connection, its decoded events: list[Message | DecodeError]).
        self.events_received: Callable[[ClientConnection, list[Event]], None] = lambda conn, events: None


class ClientConnection:
    """Wraps one accepted Transport: bytes, buffers and the timers of its I/O; the engine decides what its
    messages mean, and its ``member`` (a MemberSession, chat_server/core/session.py) where the member is in its life.

    It is the transport's handler (``data_received``, ``eof_received``, ``connection_lost``)
    and reports to the engine through the server's shared ConnectionSignals.
    """

    # Slots, the fan-out's first (it reads them for every member of every batch), so not sorted: with slots the
    # values sit in the object, on one or two cache lines, instead of in a separate block beside it.
    __slots__ = ("transport", "_out", "_requested", "writable", "_written", "_written_watch", "_scheduled",  # noqa: RUF023
                 "_writes", "listed_framing", "session", "unacked_seq", "waiting_replies", "decoder", "member",
                 "signals", "_reactor", "_settings", "reading_held", "replying", "error_text", "_closed", "_held",
                 "heard_at", "pinged_at", "partial_since", "_limiter", "_backlog", "paused", "_join_timer",
                 "_flush_timer", "_resume_timer")

    def __init__(self, transport: Transport, session: Session, settings: ServerSettings,
                 writes: WriteScheduler, signals: ConnectionSignals, reactor: Reactor,
                 member: MemberSession | None = None) -> None:
        self.transport = transport
        self.signals = signals
        self._reactor = reactor
        self._settings = settings
        self._writes = writes
        self._out: list[bytes] = []  # queued this pass, written once by ``flush``
        self._scheduled = _NOT_SCHEDULED
        self.writable = True  # connected and not closing: kept as a bool, it is asked per message
        self.session = session
        # The member's state: read here (an ended one is not read), changed only by the engine through its methods.
        self.member = member if member is not None else MemberSession()
        self.decoder = ServerDecoder(settings.max_line_bytes)
        self.reading_held = False  # the engine asked not to read more for now
        self.replying = False  # a reply it asked for is being written (chat_server/core/replies.py): its input waits
        self.listed_framing = Framing.TEXT  # the framing the roster encodes its broadcasts in
        # Replies in the order of the input: while messages of this member wait for the commit (the
        # latest is ``unacked_seq``), its other replies wait behind their ACKs, tagged with that seq.
        self.unacked_seq = 0
        self.waiting_replies: deque[tuple[int, bytes]] | None = None
        self.error_text = ""
        self._closed = False  # ``closed`` was emitted
        self._held: list[Message] = []  # broadcasts that arrived before the announcement
        # Watched by the engine (monotonic times): silence, unfinished lines, pings.
        self.heard_at = self.pinged_at = time.monotonic()
        self.partial_since: float | None = None
        # Flood control: decoded messages over the rate wait here, and the socket is not read meanwhile.
        self._limiter = TokenBucket(settings.rate_per_s, settings.rate_burst, self.heard_at) \
            if settings.rate_per_s > 0 else None
        self._backlog: deque[Event] | None = None  # made when first needed: most members never wait
        self.paused = False
        # Output cap: replies the member asked for (history, status) are allowed on top until the kernel takes
        # them. They are kept as [start, end) offsets in the stream handed to the transport, so whatever else
        # is written before, between or after them, only the part still unread is allowed.
        self._written = 0  # bytes handed to the transport so far
        self._requested: deque[tuple[int, int]] = deque()
        # Deadlines on the server's reactor, not a QTimer each: an idle member costs no timer at all.
        self._join_timer: TimerHandle | None = None
        self._flush_timer: TimerHandle | None = None
        self._resume_timer: TimerHandle | None = None
        self._written_watch: WrittenWatch | None = None  # output to be told about (``when_written``)

    def start(self) -> None:
        """Begin the grace period and start reading."""
        self._join_timer = self._reactor.call_later(self._settings.join_grace_ms / 1000, self._on_join_timer_timeout)
        self.transport.attach(self)

    @property
    def name(self) -> str:
        return self.session.name

    @property
    def framing(self) -> Framing:
        return self.decoder.framing

    @property
    def output_framing(self) -> Framing:
        """Undecided connections are read as text: netcat users who have not typed yet."""
        return Framing.JSON if self.decoder.framing is Framing.JSON else Framing.TEXT

    # --- output ---------------------------------------------------------------------------------

    def send(self, message: Message) -> None:
        self.send_bytes(encode(message, self.output_framing))

    def reply(self, message: Message) -> None:
        """An answer to something the member sent (an error, a pong): it goes out after the ACKs of the
        messages it sent before, which wait for the commit, so that replies keep the order of the input."""
        if not self.unacked_seq:
            self.send(message)
            return
        if self.waiting_replies is None:
            self.waiting_replies = deque()
        self.waiting_replies.append((self.unacked_seq, encode(message, self.output_framing)))

    def reply_bytes(self, data: bytes) -> None:
        """Raw bytes answering the member's input (Telnet negotiation), in order like ``reply``."""
        if not self.unacked_seq:
            self.send_bytes(data)
            return
        if self.waiting_replies is None:
            self.waiting_replies = deque()
        self.waiting_replies.append((self.unacked_seq, data))

    def replies_after(self, seq: int) -> list[bytes]:
        """Take the replies that were waiting for the ACK (or refusal) of the member's message ``seq``."""
        waiting = self.waiting_replies
        taken: list[bytes] = []
        while waiting and waiting[0][0] <= seq:
            taken.append(waiting.popleft()[1])
        return taken

    def batch_answered(self) -> None:
        """Every message of the member's in the committed batch was answered: later replies go out at once."""
        self.unacked_seq = 0
        waiting, self.waiting_replies = self.waiting_replies, None
        if waiting:  # none should be left; never keep them back for ever
            self.send_bytes(b"".join(data for _, data in waiting))

    def send_requested(self, message: Message) -> None:
        """A reply the member asked for (its history, a status report): not counted against the output cap."""
        self.send_requested_bytes(encode(message, self.output_framing))

    def send_requested_bytes(self, data: bytes) -> None:
        """Encoded replies the member asked for, queued like ``send_bytes`` but allowed beyond the output cap."""
        if data and self.writable:
            start = self._written + sum(map(len, self._out))
            requested = self._requested
            if requested and requested[-1][1] == start:  # right after the previous one: one span
                requested[-1] = (requested[-1][0], start + len(data))
            else:
                requested.append((start, start + len(data)))
            self.send_bytes(data)

    def send_bytes(self, data: bytes, due: int = NOW) -> None:
        """Queue ``data``, to be written at the end of this pass (``NOW``) or later (``DEFERRED``, ``LAZY``)."""
        if data and self.writable:
            self._out.append(data)
            if due > self._scheduled:
                self._scheduled = due
                self._writes.schedule(self, due)

    def send_at_once(self, data: bytes) -> None:
        """Write ``data`` now if the member is keeping up (nothing queued before it, nothing unread, no reply
        being written), else queue it for the end of this pass like ``send_bytes``.

        The fan-out's short way: a member that reads what it is sent costs one call here instead of a queue, a
        place in the write scheduler and a flush (at 500 members that is paid 500 times a batch). The output cap
        cannot be reached with nothing unread, so only the queued way checks it. The caller writes in the order
        the members are to be served (senders first: an ACK is what they wait for)."""
        if self._out or self._requested or not self.writable or not self.transport.write_if_drained(data):
            self.send_bytes(data)
            return
        self._written += len(data)  # _hand_over's accounting, written out: this runs for every member of a batch
        if self._written_watch is not None:
            self._check_written()

    def flush(self) -> None:
        """Write what was queued, in one call; over the output cap, drop it and report ``overflowed``."""
        self._scheduled = _NOT_SCHEDULED
        out = self._out
        if not out or not self.writable:
            self._out = []
            return
        data = out[0] if len(out) == 1 else b"".join(out)
        self._out = []
        transport = self.transport
        # What earlier passes wrote and the kernel has not taken: the member is not reading it.
        # A member that reads (nothing unread, no reply spans) takes the short way: this runs once per
        # member per pass, so at 500 members it is paid 500 times for every batch of messages.
        unread = transport.write_buffer_size
        if unread or self._requested:
            if self._requested:  # spans the kernel has taken are done with
                self._forget_requested(self._written - unread)
            if unread and self._settings.max_output_bytes and self._over_cap(unread):
                self.writable = False
                self.signals.overflowed.emit(self)
                return
        self._hand_over(transport, data)

    def _hand_over(self, transport: Transport, data: bytes) -> None:
        transport.write(data)
        self._written += len(data)
        if self._written_watch is not None:
            self._check_written()

    def when_written(self, done: Callable[[], None]) -> None:
        """Call ``done`` once everything queued so far has left this connection for the kernel; never if the
        connection ends first (its output dropped, or where it stood no longer knowable)."""
        if self._written_watch is None:
            self._written_watch = WrittenWatch(self._reactor, self._check_written)
        self._written_watch.add(self._written + sum(map(len, self._out)), done)

    def _check_written(self) -> None:
        watch = self._written_watch
        if watch is not None and (self._closed or not self.transport.is_open
                                  or watch.taken(self._written - self.transport.write_buffer_size)):
            watch.cancel()
            self._written_watch = None

    def _over_cap(self, unread: int) -> bool:
        # Requested replies count as allowance only as far as they are written and not yet taken by the kernel.
        written = self._written
        taken = written - unread
        allowed = sum(min(end, written) - max(start, taken) for start, end in self._requested if start < written)
        return unread - allowed > self._settings.max_output_bytes

    def _forget_requested(self, taken: int) -> None:
        requested = self._requested
        while requested and requested[0][1] <= taken:
            requested.popleft()

    @property
    def bytes_queued(self) -> int:
        """Output not yet taken by the kernel: queued here plus the transport's buffer."""
        return sum(map(len, self._out)) + self.transport.write_buffer_size

    @property
    def backed_up(self) -> bool:
        """Far behind in reading: more is waiting for the kernel than a reading member would leave there."""
        return self.transport.write_buffer_size > BACKED_UP_BYTES

    def hold(self, message: Message) -> None:
        """Keep a broadcast for later: the member has not been announced yet, or is catching up."""
        if len(self._held) < HELD_MAX:
            self._held.append(message)
            if len(self._held) == GRACE_HELD_MAX and not self.member.announced:
                # Its grace period is cut short: announced at the end of this pass, it is sent these and
                # what follows like any member, within its output cap.
                self._reactor.call_soon(self._on_held_full)
        elif self.writable:  # reported after the broadcast that is iterating over the members
            self.writable = False
            self._reactor.call_soon(self.signals.overflowed.emit, self)

    def take_held(self) -> list[Message]:
        held, self._held = self._held, []
        return held

    def hold_reading(self) -> None:
        """Leave further input unread (in the kernel, so TCP pushes back) until ``release_reading``."""
        self.reading_held = True
        self._update_reading()

    def release_reading(self) -> None:
        """Read again; whatever arrived meanwhile comes first."""
        self.reading_held = False
        self._update_reading()

    def hold_for_reply(self) -> None:
        """A reply it asked for is being written: what it sends next waits (unread, or decoded in the backlog)."""
        self.replying = True
        self._update_reading()

    def reply_done(self) -> None:
        """The reply is written: go on with what waited behind it."""
        self.replying = False
        self.heard_at = time.monotonic()  # its silence meanwhile was ours
        self._update_reading()
        self._drain()  # what waited behind it, and reading again if the rate had paused it meanwhile

    def defer(self, events: list[Event]) -> None:
        """Events of a batch the engine stopped at (a reply began): they come first once ``reply_done``."""
        if events:
            if self._backlog is None:
                self._backlog = deque()
            self._backlog.extendleft(reversed(events))

    def charge(self, tokens: float) -> None:
        """Count work done for this member against its message rate (never below an empty bucket)."""
        if self._limiter is not None:
            self._limiter.charge(tokens, time.monotonic())

    def send_line(self, text: str) -> None:
        """A plain-text line, whatever the framing (the greeting and the refusals)."""
        self.send_bytes((text + "\n").encode("utf-8"))

    def close(self) -> None:
        """Close after everything written so far has gone out."""
        self._cancel_timers()
        self.flush()
        self._check_written()  # a member that read everything and said exit: what it was sent is taken
        self.writable = False
        if not self._closed:
            self.transport.close()

    def give_up_transport(self) -> Transport:
        """The connection turned out to be a file transfer's (chat_server/net/transfers.py): its transport, with
        what was queued for it written, is the caller's from now on; this connection does nothing more."""
        self.flush()
        self._closed = True
        self._cancel_timers()
        self.writable = False
        self._out = []
        return self.transport

    def abort(self) -> None:
        self._out = []
        self.writable = False
        if not self._closed:
            self.transport.abort()

    # --- input: the transport's handler -----------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self.member.end_reason is not None:
            return
        now = self.heard_at = time.monotonic()
        decoder = self.decoder
        events = decoder.feed(data)
        if not decoder.has_partial:
            self.partial_since = None
        elif self.partial_since is None or b"\n" in data:
            self.partial_since = now  # the unfinished line began in this read
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        if decoder.flushable:
            self._flush_timer = self._reactor.call_later(self._settings.text_flush_ms / 1000,
                                                         self._on_flush_timer_timeout)
        if events:
            self._deliver(events)

    def eof_received(self) -> None:
        """The member finished sending (``printf hi | nc -N``): what it sent counts and is answered, then it closes."""
        self._take_the_rest()
        self._end(can_reply=True)

    def connection_lost(self, error: str) -> None:
        if not self.error_text:
            self.error_text = error
        # What a client sent just before it hung up (``printf hi | nc``, the rest of a flood) still counts.
        self._take_the_rest()
        self._end(can_reply=False)

    def _take_the_rest(self) -> None:
        """Deliver everything received: the rate no longer matters, since nothing more can come."""
        if self.member.end_reason is not None or self._closed:
            return
        self._limiter = None
        self.replying = False
        if self._resume_timer is not None:
            self._resume_timer.cancel()
            self._resume_timer = None
        self.paused = self.reading_held = False
        self._on_flush_timer_timeout()
        if self._backlog:
            self._drain()

    def _end(self, can_reply: bool) -> None:
        if self._closed:
            return
        if can_reply:
            self._check_written()  # the peer finished sending, and may still have read all it was sent
        self._closed = True
        self._cancel_timers()
        if not can_reply:
            self.writable = False
            self._out = []
        # The engine stores what it still had from this member and, if it can, answers it now.
        self.signals.closed.emit(self)
        if can_reply:
            self.flush()
            self.writable = False
            self.transport.close()

    def _on_held_full(self) -> None:
        if self.member.state is State.JOINING and not self._closed:
            if self._join_timer is not None:
                self._join_timer.cancel()
            self._on_join_timer_timeout()

    def _on_join_timer_timeout(self) -> None:
        self._join_timer = None
        self.signals.join_due.emit(self)

    def _on_flush_timer_timeout(self) -> None:
        self._flush_timer = None
        events = self.decoder.flush()
        if not self.decoder.has_partial:
            self.partial_since = None
        if events and self.member.end_reason is None:
            self._deliver(events)

    def _deliver(self, events: list[Event]) -> None:
        """Hand decoded messages to the engine, as many as the rate allows; pause reading for the rest."""
        if self._join_timer is not None:
            self._join_timer.cancel()
            self._join_timer = None
        if self._limiter is None and not self._backlog and not self.replying:
            self.signals.events_received(self, events)
            return
        if self._backlog is None:
            self._backlog = deque()
        self._backlog.extend(events)
        self._drain()

    def _drain(self) -> None:
        backlog = self._backlog
        if backlog is None or self.replying:
            return
        count = len(backlog) if self._limiter is None else self._limiter.take(len(backlog), time.monotonic())
        if count:
            batch = [backlog.popleft() for _ in range(count)]
            self.signals.events_received(self, batch)
        if self.member.end_reason is not None or self._closed:
            backlog.clear()
        if self.replying:
            return  # the engine put the rest back behind a reply; reply_done() goes on
        if backlog and self._limiter is not None:
            if not self.paused:
                self.paused = True
                self._update_reading()
                self.signals.throttled.emit(self)
            if self._resume_timer is not None:
                self._resume_timer.cancel()
            wait_ms = max(1, math.ceil(self._limiter.wait_s(time.monotonic()) * 1000))
            self._resume_timer = self._reactor.call_later(wait_ms / 1000, self._on_resume_timer_timeout)
        elif self.paused:
            self.paused = False
            self.heard_at = time.monotonic()  # its silence while paused was ours
            self._update_reading()

    def _update_reading(self) -> None:
        """Read the socket unless something holds reading back; unread input makes TCP slow the sender down."""
        if not self._closed:
            self.transport.set_reading(not self.paused and not self.reading_held and not self.replying)

    def _on_resume_timer_timeout(self) -> None:
        self._resume_timer = None
        self._drain()

    def _cancel_timers(self) -> None:
        if self._closed and self._written_watch is not None:
            self._written_watch.cancel()
            self._written_watch = None
        for handle in (self._join_timer, self._flush_timer, self._resume_timer):
            if handle is not None:
                handle.cancel()
        self._join_timer = self._flush_timer = self._resume_timer = None
