"""The connection cache: one record per connection seen since the server started (no Qt).

It is bounded: the members online and the newest ``keep_ended`` ended sessions are kept;
older ended ones are folded into counts (every session is in the store as well, where
``status`` pages through them). Connections refused at the door from one address within
a minute, for one reason, share one record that counts them (``attempts``).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from chat_server.protocol import ONLINE, EndReason, SessionInfo


@dataclass(slots=True)
class Session:
    """One connection: who, from where, when, how it ended and how much it said."""

    id: int
    host: str
    port: int
    connected_at: float
    name: str = ""
    disconnected_at: float | None = None
    end: EndReason | None = None
    messages: int = 0
    client_id: str | None = None  # from a JSON client's hello: its name may be reserved for it
    attempts: int = 1  # refused connections counted in this record (see SessionCache.refuse)
    away: str | None = None  # online and away, with this message (chat_server/core/away.py)

    @property
    def online(self) -> bool:
        return self.end is None

    @property
    def state(self) -> str:
        return ONLINE if self.end is None else self.end.value

    def info(self) -> SessionInfo:
        return SessionInfo(
            name=self.name, host=self.host, port=self.port, connected_at=self.connected_at,
            disconnected_at=self.disconnected_at, state=self.state, messages=self.messages, attempts=self.attempts,
            away=self.away if self.end is None else None,
        )


REFUSALS_PER_S = 60.0
"""Refusals from one address for one reason are counted in one record per this many seconds."""


class SessionCache:
    """The sessions of this run in order of arrival: those online and the newest ended ones."""

    def __init__(self, started_at: float, keep_ended: int = 0) -> None:
        self.started_at = started_at
        self.keep_ended = keep_ended  # 0: keep every session
        self._sessions: dict[int, Session] = {}
        self._ended: deque[int] = deque()  # ids of the ended sessions kept, in the order they ended
        self._refusals: dict[tuple[str, str, int], Session] = {}  # (host, state, minute) -> its record
        self._next_id = 1
        self.folded = 0  # ended sessions no longer kept
        self.folded_states: Counter[str] = Counter()
        self.folded_messages = 0
        self.on_folded: Callable[[int], None] | None = None  # told the id of each session folded

    @property
    def total(self) -> int:
        """Every session of this run, those folded into counts included."""
        return len(self._sessions) + self.folded

    def open(self, host: str, port: int, now: float) -> Session:
        session = Session(id=self._next_id, host=host, port=port, connected_at=now)
        self._sessions[session.id] = session
        self._next_id += 1
        return session

    def close(self, session: Session, reason: EndReason, now: float) -> None:
        if session.end is None:
            session.end = reason
            session.disconnected_at = now
            if session.id in self._sessions:
                self._ended.append(session.id)
                self._fold()

    def refuse(self, host: str, port: int, reason: EndReason, now: float) -> Session:
        """A connection turned away at once: counted in this minute's record for its address and reason."""
        key = (host, reason.value, int(now // REFUSALS_PER_S))
        record = self._refusals.get(key)
        if record is not None and record.id in self._sessions:
            record.attempts += 1
            record.port = port
            record.disconnected_at = now
            return record
        record = self.open(host, port, now)
        self.close(record, reason, now)
        self._remember_refusal(key, record)
        return record

    def _remember_refusal(self, key: tuple[str, str, int], record: Session) -> None:
        if len(self._refusals) > 2 * max(self.keep_ended, 1):  # records of earlier minutes are done with
            minute = key[2]
            self._refusals = {k: v for k, v in self._refusals.items() if k[2] == minute}
        self._refusals[key] = record

    def merge_refusal(self, session: Session) -> Session | None:
        """A connection refused after it said something (a taken name, a wrong password), now closed: counted
        in this minute's record for its address and reason if there is one (returned; ``session`` is then
        dropped), or made that record."""
        if session.end is None or session.disconnected_at is None:
            return None
        key = (session.host, session.state, int(session.disconnected_at // REFUSALS_PER_S))
        record = self._refusals.get(key)
        if record is None or record is session or record.id not in self._sessions:
            self._remember_refusal(key, session)
            return None
        record.attempts += session.attempts
        record.port = session.port
        record.disconnected_at = session.disconnected_at
        self._sessions.pop(session.id, None)
        if self._ended and self._ended[-1] == session.id:
            self._ended.pop()
        elif session.id in self._ended:
            self._ended.remove(session.id)
        return record

    def discard(self, session: Session) -> None:
        """Forget ``session`` as if it never was (a file transfer's connection: not a member, not a row)."""
        self._sessions.pop(session.id, None)
        if session.id in self._ended:
            self._ended.remove(session.id)

    def _fold(self) -> None:
        """Fold the oldest ended sessions into counts while more than ``keep_ended`` are kept."""
        if not self.keep_ended:
            return
        while len(self._ended) > self.keep_ended:
            session = self._sessions.pop(self._ended.popleft())
            self.folded += session.attempts
            self.folded_states[session.state] += session.attempts
            self.folded_messages += session.messages
            if self.on_folded is not None:
                self.on_folded(session.id)

    def get(self, session_id: int) -> Session | None:
        return self._sessions.get(session_id)

    def online(self) -> list[Session]:
        return [s for s in self._sessions.values() if s.online]

    def snapshot(self) -> tuple[SessionInfo, ...]:
        return tuple(s.info() for s in self._sessions.values())

    def __iter__(self) -> Iterator[Session]:
        return iter(self._sessions.values())

    def __len__(self) -> int:
        return len(self._sessions)
