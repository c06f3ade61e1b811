"""Away: a member's state while it is online (set with ``away``, cleared with ``back`` or when its last connection
ends). A member with several windows (one client id) is away in all of them: any window sets it or clears it.

The version-2 JSON members are told of every change (``away``/``back`` events, the member itself included: the
answer to its request) and, when they join, of who is away already; text members are not flooded with it but see
it in ``/who``, and the status table shows it. A direct message to a member away is answered to its sender, once
per sender per away period, with the away message. Kept in memory only: a reconnect starts back (our client sets
it again when it is still away).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from chat_server import protocol as p
from chat_server.core.conversation_hub import ConversationHub
from chat_server.core.rooms import MemberKey
from chat_server.core.sessions import Session
from chat_server.core.typing_relay import reads_presence
from chat_server.net.connection import ClientConnection


@dataclass(slots=True)
class AwayPeriod:
    """One member away: since when, with what message, and who was answered it already."""

    message: str
    since: float
    answered: set[MemberKey] = field(default_factory=set)


class AwayBoard:
    """Who is away among the members online (``Step.AWAY``), told to those who read it."""

    def __init__(self, hub: ConversationHub, holder_of: Callable[[str], ClientConnection | None],
                 session_changed: Callable[[Session], None]) -> None:
        """``holder_of(name)``: the connection holding a name online; ``session_changed(session)``: a cache row
        changed (the status table shows who is away)."""
        self._hub = hub
        self._holder_of = holder_of
        self._session_changed = session_changed
        self._away: dict[MemberKey, AwayPeriod] = {}

    def request(self, conn: ClientConnection, request: p.SetAway | p.Back) -> None:
        """Carry out a member's ``away`` or ``back``; answered to it, told to the others who read presence."""
        if conn.framing is p.Framing.JSON and conn.member.version < p.ROOMS_VERSION:
            conn.reply(p.Error(p.ERR_NOT_ALLOWED, f"Away needs protocol version {p.ROOMS_VERSION}."))
            return
        now = time.time()
        key = self._hub.key_of(conn)
        news: p.Message
        if isinstance(request, p.SetAway):
            message = request.message.strip()
            self._away[key] = AwayPeriod(message, now)  # a new period: everyone may be answered again
            news = p.MemberAway(name=conn.name, message=message, time=now)
            answer = f"* You are away: {message} (/back when you return)" if message else \
                "* You are away (/back when you return)"
        else:
            period = self._away.pop(key, None)
            news = p.MemberBack(name=conn.name, time=now)
            if period is None:  # nothing changed: the member alone is answered
                conn.reply(news if conn.framing is p.Framing.JSON else p.Banner(text="* You were not away"))
                return
            message = None
            answer = "* You are back"
        conn.reply(news if conn.framing is p.Framing.JSON else p.Banner(text=answer))
        self._tell_others(conn, news)
        for window in self._hub.online.get(key, [conn]):  # each of its windows' rows shows it
            window.session.away = message
            self._session_changed(window.session)

    def note(self, conn: ClientConnection) -> str | None:
        """``conn``'s member's away message ("" for none) if it is away, else None."""
        period = self._away.get(self._hub.key_of(conn))
        return None if period is None else period.message

    def by_name(self) -> dict[str, str]:
        """The members away now, by name, with their messages (for the status report)."""
        named = ((self._shown_name(key), period.message) for key, period in self._away.items())
        return {name: message for name, message in named if name is not None}

    def direct_sent(self, sender: ClientConnection, to: str) -> None:
        """``sender`` sent a direct message to ``to``: if that member is away, its sender is answered (once per
        away period), after its ACK."""
        if not self._away:
            return
        holder = self._holder_of(p.normalize_name(to))
        period = self._away.get(self._hub.key_of(holder)) if holder is not None else None
        if holder is None or period is None:
            return
        key = self._hub.key_of(sender)
        if key in period.answered:
            return
        period.answered.add(key)
        sender.reply(p.AwayReply(name=holder.name, message=period.message, time=period.since))

    def arrived(self, conn: ClientConnection) -> None:
        """``conn`` came online: a version-2 JSON member is told who is away already (itself too, if it is another
        window of a member away)."""
        if not self._away:
            return
        own = self._away.get(self._hub.key_of(conn))
        if own is not None:
            conn.session.away = own.message
            self._session_changed(conn.session)
        if not reads_presence(conn):
            return
        for key, period in self._away.items():
            name = self._shown_name(key)
            if name is not None:
                conn.send(p.MemberAway(name=name, message=period.message, time=period.since))

    def depart(self, conn: ClientConnection) -> None:
        """``conn`` is gone: its member's away ends with its last window (the others were told it left)."""
        key = self._hub.key_of(conn)
        if key not in self._away:
            return
        conn.session.away = None
        if not any(other is not conn for other in self._hub.online.get(key, ())):
            del self._away[key]

    def _shown_name(self, key: MemberKey) -> str | None:
        """The name of the member ``key`` as its windows still going show it, or None if none is."""
        return next((conn.name for conn in self._hub.online.get(key, ()) if not conn.member.over), None)

    def _tell_others(self, conn: ClientConnection, news: p.Message) -> None:
        data: bytes | None = None
        for conns in self._hub.online.values():
            for other in conns:
                if other is not conn and reads_presence(other):
                    data = data or p.encode(news, p.Framing.JSON)
                    other.send_bytes(data)
