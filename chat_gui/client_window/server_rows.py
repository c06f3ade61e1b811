"""The rows of "Servers on this network", as plain state: the servers announcing themselves and the last ones used.

No Qt: ``ServerListModel`` (server_list.py) is a thin adapter over ``ServerRows``. A row keeps its place once it
is in the list (a server found is added at the end; one used before stays where it is when it stops announcing,
shown as not seen now), so the selection never jumps under the user's pointer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication

from chat_gui.client import Announcement, server_key
from chat_server import protocol as p

MAX_RECENT = 5
"""Servers remembered as the last ones used."""


@dataclass(frozen=True, slots=True)
class RecentServer:
    """A server the user connected to: what is needed to connect again, and what it was called."""

    host: str
    port: int
    tls: bool
    name: str = ""


@dataclass(frozen=True, slots=True)
class ServerRow:
    """One line of the list. ``live``: announcing itself now (else only remembered, and the announced
    fields say nothing); ``suspicion``: why its announcement does not match what this client trusts."""

    key: str
    name: str
    host: str
    port: int
    tls: bool
    fingerprint: str | None = None
    password: bool = False
    online: int = 0
    limit: int = 0
    live: bool = False
    suspicion: str | None = None

    @property
    def address(self) -> str:
        return p.host_port(self.host, self.port)


class RowEdit(Enum):
    INSERTED = "inserted"
    UPDATED = "updated"
    REMOVED = "removed"


def _plain_fingerprint(fingerprint: str) -> str:
    return fingerprint.replace(":", "").strip().lower()


def suspicion(announcement: Announcement, pinned: str | None) -> str | None:
    """Why an announcement is suspicious given the certificate fingerprint pinned for its address, or None.

    An announcement is a hint anyone on the network can forge; it never replaces the pinned certificate, which
    the connection still checks. This only warns before connecting.
    """
    if pinned is None:
        return None  # nothing trusted for this address yet: connecting asks, as for any new server
    address = p.host_port(announcement.host, announcement.port)
    if not announcement.tls:
        return QCoreApplication.translate(
            "ServerRows", "You trusted a TLS certificate for {address}, but this announcement says the server there "
                          "has no TLS. Someone on the network may be impersonating it: do not connect without TLS.",
        ).format(address=address)
    if announcement.fingerprint is not None \
            and _plain_fingerprint(announcement.fingerprint) != _plain_fingerprint(pinned):
        return QCoreApplication.translate(
            "ServerRows", "This announcement gives the certificate SHA-256 {announced}, but the one you trusted for "
                          "{address} is {pinned}. Either the announcement is forged or the server has a new "
                          "certificate: connecting still checks the certificate you trusted.",
        ).format(announced=announcement.fingerprint, address=address, pinned=pinned)
    return None


class ServerRows:
    """The list's rows; each change returns what happened to which row, for the model to tell its views."""

    def __init__(self, pinned_for: Callable[[str, int], str | None]) -> None:
        self._pinned_for = pinned_for
        self.rows: list[ServerRow] = []
        self._recent: dict[str, RecentServer] = {}

    def index_of(self, key: str) -> int | None:
        return next((index for index, row in enumerate(self.rows) if row.key == key), None)

    def is_recent(self, key: str) -> bool:
        return key in self._recent

    def no_longer_recent(self, recent: list[RecentServer]) -> list[str]:
        """The rows only remembered (not announcing) that ``recent`` leaves out: ``forget`` them."""
        keep = {p.host_port(server.host, server.port) for server in recent}
        return [row.key for row in self.rows if not row.live and row.key not in keep]

    def forget(self, key: str) -> int | None:
        """Take the row of ``key`` out; its index, or None if there was none."""
        index = self.index_of(key)
        if index is not None:
            del self.rows[index]
        return index

    def missing_recent(self, recent: list[RecentServer]) -> int:
        """How many rows ``set_recent(recent)`` would add."""
        return sum(1 for server in recent if self.index_of(p.host_port(server.host, server.port)) is None)

    def found(self, announcement: Announcement) -> tuple[RowEdit, int]:
        """A server announced itself, or announced something new."""
        key = server_key(announcement)
        row = ServerRow(key, announcement.name, announcement.host, announcement.port, announcement.tls,
                        announcement.fingerprint if announcement.tls else None, announcement.password,
                        announcement.online, announcement.limit, live=True,
                        suspicion=suspicion(announcement, self._pinned_for(announcement.host, announcement.port)))
        index = self.index_of(key)
        if index is None:
            self.rows.append(row)
            return RowEdit.INSERTED, len(self.rows) - 1
        self.rows[index] = row
        return RowEdit.UPDATED, index

    def lost(self, key: str) -> tuple[RowEdit, int] | None:
        """A server stopped announcing itself: removed, unless it is one of the last used."""
        index = self.index_of(key)
        if index is None:
            return None
        recent = self._recent.get(key)
        if recent is None:
            del self.rows[index]
            return RowEdit.REMOVED, index
        self.rows[index] = _recent_row(key, recent, self.rows[index].name)
        return RowEdit.UPDATED, index

    def set_recent(self, recent: list[RecentServer]) -> list[tuple[RowEdit, int]]:
        """The last servers used, most recent first: those not in the list yet are added at its end."""
        self._recent = {p.host_port(server.host, server.port): server for server in recent}
        edits: list[tuple[RowEdit, int]] = []
        for key, server in self._recent.items():
            if self.index_of(key) is None:
                self.rows.append(_recent_row(key, server, server.name))
                edits.append((RowEdit.INSERTED, len(self.rows) - 1))
        return edits


def _recent_row(key: str, server: RecentServer, name: str) -> ServerRow:
    return ServerRow(key, name or key, server.host, server.port, server.tls)


def remembered(recent: list[RecentServer], used: RecentServer) -> list[RecentServer]:
    """``recent`` with ``used`` first (once), at most ``MAX_RECENT``."""
    key = p.host_port(used.host, used.port)
    others = [server for server in recent if p.host_port(server.host, server.port) != key]
    return [used, *others][:MAX_RECENT]


def recent_to_text(recent: list[RecentServer]) -> str:
    return json.dumps([{"host": s.host, "port": s.port, "tls": s.tls, "name": s.name} for s in recent])


def recent_from_text(text: str) -> list[RecentServer]:
    """What ``recent_to_text`` wrote; anything unreadable (an old or hand-edited setting) is left out."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    servers: list[RecentServer] = []
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        host, port, tls, name = item.get("host"), item.get("port"), item.get("tls"), item.get("name", "")
        if isinstance(host, str) and host.strip() and isinstance(port, int) and 1 <= port <= 65535 \
                and isinstance(tls, bool) and isinstance(name, str):
            servers.append(RecentServer(host.strip(), port, tls, name[:p.MAX_NAME_LENGTH * 4]))
    return servers[:MAX_RECENT]


__all__ = ["MAX_RECENT", "RecentServer", "RowEdit", "ServerRow", "ServerRows", "recent_from_text",
           "recent_to_text", "remembered", "suspicion"]
