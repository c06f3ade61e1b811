"""The connection cache: one record per connection seen since the server started (no Qt)."""

from __future__ import annotations

from collections.abc import Iterator
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

    @property
    def online(self) -> bool:
        return self.end is None

    @property
    def state(self) -> str:
        return ONLINE if self.end is None else self.end.value

    def info(self) -> SessionInfo:
        return SessionInfo(
            name=self.name, host=self.host, port=self.port, connected_at=self.connected_at,
            disconnected_at=self.disconnected_at, state=self.state, messages=self.messages,
        )


class SessionCache:
    """Every session in order of arrival, open and ended."""

    def __init__(self, started_at: float) -> None:
        self.started_at = started_at
        self._sessions: dict[int, Session] = {}
        self._next_id = 1

    def open(self, host: str, port: int, now: float) -> Session:
        session = Session(id=self._next_id, host=host, port=port, connected_at=now)
        self._sessions[session.id] = session
        self._next_id += 1
        return session

    def close(self, session: Session, reason: EndReason, now: float) -> None:
        if session.end is None:
            session.end = reason
            session.disconnected_at = now

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
