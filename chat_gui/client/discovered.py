"""The chat servers heard on the network, as plain state: each announced service, when it was last heard.

No Qt and no zeroconf: ``ServerBrowser`` (discovery.py) feeds it what it hears and the clock, and reports
the changes it returns. Servers are known to the window by their address (``server_key``): two services
that announce the same address are one server, the first one heard (the other is listed once it goes).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from chat_server.protocol import host_port
from chat_server.protocol.discovery import Announcement

MAX_SERVICES = 256
"""Services tracked at most: anyone on the LAN can announce, and a flood must not grow the list without end."""
STALE_AFTER_S = 3.5
"""A service not heard for this long has gone without a goodbye (the browser asks every second, so this is
three unanswered questions; with the check every second it is dropped within 5 s of its last answer)."""


def server_key(announcement: Announcement) -> str:
    """Who a server is to the window: the address to connect to, ``host:port``."""
    return host_port(announcement.host, announcement.port)


class ChangeKind(Enum):
    """What happened to a server in the list."""

    FOUND = "found"
    CHANGED = "changed"
    LOST = "lost"


@dataclass(frozen=True, slots=True)
class ServerChange:
    """One server found, changed (its announcement says something else now) or lost."""

    kind: ChangeKind
    key: str
    announcement: Announcement  # for LOST: the last one heard


@dataclass(slots=True)
class _Heard:
    announcement: Announcement
    at: float


class DiscoveredServers:
    """The services heard, by service name (DNS names compare ignoring case), and the servers they make."""

    def __init__(self, stale_after_s: float = STALE_AFTER_S) -> None:
        self.stale_after_s = stale_after_s
        self._services: dict[str, _Heard] = {}  # in the order first heard

    def heard(self, service: str, announcement: Announcement, now: float) -> list[ServerChange]:
        """``service`` answered (or announced itself) with ``announcement`` at ``now``."""
        key = service.lower()
        before = self._view()
        known = self._services.get(key)
        if known is not None:
            known.announcement, known.at = announcement, now
        elif len(self._services) >= MAX_SERVICES:
            return []
        else:
            self._services[key] = _Heard(announcement, now)
        return _changes(before, self._view())

    def gone(self, service: str) -> list[ServerChange]:
        """``service`` said goodbye (or its announcement stopped making sense)."""
        before = self._view()
        if self._services.pop(service.lower(), None) is None:
            return []
        return _changes(before, self._view())

    def expire(self, now: float) -> list[ServerChange]:
        """Forget the services not heard for ``stale_after_s``: they went away without a goodbye."""
        stale = [key for key, heard in self._services.items() if now - heard.at > self.stale_after_s]
        if not stale:
            return []
        before = self._view()
        for key in stale:
            del self._services[key]
        return _changes(before, self._view())

    def clear(self) -> list[ServerChange]:
        before = self._view()
        self._services.clear()
        return _changes(before, {})

    def servers(self) -> list[Announcement]:
        """The servers known now, in the order they were first heard."""
        return list(self._view().values())

    def _view(self) -> dict[str, Announcement]:
        view: dict[str, Announcement] = {}
        for heard in self._services.values():
            view.setdefault(server_key(heard.announcement), heard.announcement)
        return view


def _changes(before: dict[str, Announcement], after: dict[str, Announcement]) -> list[ServerChange]:
    changes = [ServerChange(ChangeKind.LOST, key, announcement)
               for key, announcement in before.items() if key not in after]
    for key, announcement in after.items():
        old = before.get(key)
        if old is None:
            changes.append(ServerChange(ChangeKind.FOUND, key, announcement))
        elif old != announcement:
            changes.append(ServerChange(ChangeKind.CHANGED, key, announcement))
    return changes
