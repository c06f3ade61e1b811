"""A fake link for MemberSession and Admission: a small in-memory driver that carries out their answers the way
the engine does (chat_server/core/engine.py, in miniature), with no Qt, no sockets and a clock of its own.

It records what each connection was sent, and each session's ends, for the property tests to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chat_server import protocol as p
from chat_server.core.admission import Admission
from chat_server.core.auth import Attempt
from chat_server.core.session import MemberSession, Refusal, State, Step
from chat_server.settings import ServerSettings
from chat_server.store import text_bound_client_id

PASSWORD = "pw"
"""The password of a fake server that asks for one."""


@dataclass(eq=False)
class Conn:
    """One connection's end of the fake link: its session, and what it was sent."""

    key: int
    host: str
    member: MemberSession
    name: str = ""
    closed: bool = False  # the transport is gone: nothing more is read or sent
    slow: bool = False  # over its output cap: the next write to it ends it as too slow, inside the commit
    written: bool = False  # output queued since the last write
    acks: list[tuple[str, int, str]] = field(default_factory=list)  # (message id, seq, text)
    heard: list[tuple[str, object, State]] = field(default_factory=list)  # (kind, what, its state when it came)
    errors: list[str] = field(default_factory=list)
    goodbyes: int = 0


@dataclass(frozen=True)
class Stored:
    seq: int
    client_id: str | None
    message_id: str
    text: str


class FakeServer:
    """The driver: carries out the session's steps and the admission's answers as the engine does."""

    def __init__(self, password: str, max_clients: int) -> None:
        self.settings = ServerSettings(password=password, max_clients=max_clients, name_reservation_s=0,
                                       auth_timeout_ms=5000, max_logins=4, max_logins_per_address=3)
        self.admission: Admission[Conn] = Admission(lambda: self.settings, lambda conn: conn.member.client_id)
        self.now = 0.0
        self.conns: list[Conn] = []  # every connection accepted, in order
        self.live: dict[int, Conn] = {}  # accepted and not yet forgotten
        self.members: dict[int, Conn] = {}  # announced and not yet forgotten: they hear the room
        self.store: list[Stored] = []
        self.batch: list[tuple[Stored, Conn]] = []
        self.resends: list[tuple[Conn, p.Chat, str]] = []
        self.checks: list[tuple[Conn, Attempt, str]] = []
        self.ends: dict[int, list[p.EndReason]] = {}
        self.steps: list[Step] = []  # every step the sessions answered, in order

    @property
    def online(self) -> int:
        return len(self.live) - self.admission.login_count

    def connect(self, host: str) -> Conn | None:
        if self.admission.refusal(host, self.online) is not None:
            return None
        key = len(self.conns) + 1
        conn = Conn(key, host, MemberSession(bool(self.settings.password), self.now))
        self.conns.append(conn)
        self.live[key] = conn
        self.ends[key] = []
        if self.settings.password:
            self.admission.start_login(key, host)
        else:
            conn.name = self.admission.assign(conn)
        return conn

    # --- events in (the engine's _on_connection_events and _on_event) ---------------------------------

    def receive(self, conn: Conn, events: list[p.Event]) -> None:
        if conn.closed:
            return
        member = conn.member
        if member.state is State.CHECKING_PASSWORD:
            member.wait(events)
            return
        for index, event in enumerate(events):
            if member.over:
                return
            step = member.receive(event)
            self.steps.append(step)
            if step is Step.ANNOUNCE:
                self.announce(conn)
                step = member.receive(event) if member.state is State.MEMBER else Step.OVER
            if step is Step.CHAT:
                assert member.state is State.MEMBER
                self.chat(conn, event)  # type: ignore[arg-type]
            elif step is Step.HELLO:
                self.hello(conn, event)  # type: ignore[arg-type]
            elif step is Step.CHECK_PASSWORD:
                self.password(conn, events[index + 1:])
                return
            elif step is Step.EXIT:
                self.end(conn, p.EndReason.EXIT)
            elif step is Step.PASSWORD_MISSING:
                conn.errors.append(p.ERR_PASSWORD_REQUIRED)
                self.end(conn, p.EndReason.REFUSED_PASSWORD)
            elif step in (Step.HELLO_AGAIN, Step.NOT_ALLOWED, Step.DECODE_ERROR):
                conn.errors.append(p.ERR_NOT_ALLOWED)

    def _earlier(self, client_id: str, message_id: str) -> tuple[Stored | None, Stored | None]:
        key = (client_id, message_id)
        in_batch = next((s for s, _ in self.batch if (s.client_id, s.message_id) == key), None)
        return in_batch, in_batch or next((s for s in self.store if (s.client_id, s.message_id) == key), None)

    def chat(self, conn: Conn, chat: p.Chat) -> None:
        client_id = conn.member.client_id
        if client_id is not None and chat.id:
            in_batch, earlier = self._earlier(client_id, chat.id)
            if earlier is not None and earlier.text != chat.text:  # another message under a used id
                client_id = text_bound_client_id(client_id, chat.text)
                in_batch, earlier = self._earlier(client_id, chat.id)
            if in_batch is not None:
                self.resends.append((conn, chat, client_id))
                return
            if earlier is not None:
                conn.acks.append((chat.id, earlier.seq, chat.text))
                return
        seq = (self.batch[-1][0].seq if self.batch else self.store[-1].seq if self.store else 0) + 1
        self.batch.append((Stored(seq, client_id if chat.id else None, chat.id, chat.text), conn))

    def commit(self) -> None:
        batch, self.batch = self.batch, []
        self.store.extend(stored for stored, _ in batch)
        for stored, sender in batch:
            sender.acks.append((stored.message_id, stored.seq, stored.text))
            sender.written = True
            self.broadcast("relay", stored.seq, exclude=sender)
        resends, self.resends = self.resends, []
        for conn, chat, client_id in resends:
            first = next(s for s, _ in batch if (s.client_id, s.message_id) == (client_id, chat.id))
            conn.acks.append((chat.id, first.seq, chat.text))
            conn.written = True
        self.write()

    def write(self) -> None:
        """The writes at the end of the commit, as the engine's WriteScheduler does them: a member over its output
        cap is ended as too slow right there (the overflowed signal), even while another end is committing."""
        for conn in list(self.live.values()):
            if conn.written:
                conn.written = False
                if conn.slow and not conn.member.over:
                    self.end(conn, p.EndReason.TOO_SLOW)

    def broadcast(self, kind: str, what: object, exclude: Conn | None = None) -> None:
        for conn in self.members.values():
            if conn is not exclude and not conn.closed:
                conn.heard.append((kind, what, conn.member.state))
                conn.written = True

    # --- the password gate ---------------------------------------------------------------------------

    def password(self, conn: Conn, rest: list[p.Event]) -> None:
        member = conn.member
        check = self.admission.schedule(conn.host, self.now, member.prompted_at)
        if isinstance(check, int):
            conn.errors.append(p.ERR_TRY_LATER)
            self.end(conn, p.EndReason.REFUSED_BUSY)
            return
        member.wait(rest)
        self.checks.append((conn, check, member.attempt or ""))

    def run_due_checks(self) -> None:
        due = [entry for entry in self.checks if entry[1].at <= self.now]
        self.checks = [entry for entry in self.checks if entry[1].at > self.now]
        for conn, check, password in due:
            member = conn.member
            if member.over:
                self.admission.give_up(conn.key, check)
                continue
            right, _ = self.admission.check(conn.key, check, password, self.now)
            if not right:
                conn.errors.append(p.ERR_PASSWORD_WRONG)
                self.end(conn, p.EndReason.REFUSED_PASSWORD)
                continue
            if self.admission.full_line(self.online) is not None:
                self.end(conn, p.EndReason.REFUSED_FULL)
                continue
            admitted = member.admit()
            assert admitted is not None
            hello, rest = admitted
            self.admission.logged_in(conn.key)
            conn.name = self.admission.assign(conn)
            if hello is None:
                self.announce(conn)
            self.receive(conn, [hello, *rest] if hello is not None else rest)

    # --- names, joining and leaving ------------------------------------------------------------------

    def hello(self, conn: Conn, hello: p.Hello) -> None:
        verdict = conn.member.hello(hello, self.store[-1].seq if self.store else 0, conn.name)
        if isinstance(verdict, Refusal):
            conn.errors.append(verdict.error.code)
            if verdict.reason is not None:
                self.end(conn, verdict.reason)
            return
        if verdict is not None:
            claim = self.admission.claim(conn, verdict, lambda name: None)
            if isinstance(claim, p.Error):
                conn.errors.append(claim.code)
                self.end(conn, p.EndReason.REFUSED_NAME)
                return
            for old in claim.replaced:  # (no instance is said here: a client id back is always the same window)
                self.end(old, p.EndReason.REPLACED)
            self.admission.take(conn, verdict)
            if conn.member.announced:
                self.broadcast("renamed", verdict)
            conn.name = verdict
        if not conn.member.announced:
            self.announce(conn)

    def announce(self, conn: Conn) -> None:
        if not conn.member.announce():
            return
        self.members[conn.key] = conn
        self.broadcast("joined", conn.name, exclude=conn)

    def end(self, conn: Conn, reason: p.EndReason, tell_others: bool = True) -> None:
        member = conn.member
        if member.over:
            return
        self.commit()
        if not member.end(reason):
            return
        self.forget(conn, reason, tell_others)
        if not conn.closed:
            conn.goodbyes += 1

    def closed(self, conn: Conn) -> None:
        """The connection is gone (a cut, or the close after a goodbye)."""
        self.commit()
        if conn.member.closed() is not None:
            self.forget(conn, p.EndReason.DROPPED, tell_others=True)
        conn.closed = True

    def forget(self, conn: Conn, reason: p.EndReason, tell_others: bool) -> None:
        self.ends[conn.key].append(reason)
        self.admission.forget(conn.key, conn)
        self.live.pop(conn.key, None)
        self.members.pop(conn.key, None)
        if conn.member.announced and tell_others:
            self.broadcast("left", conn.name)
