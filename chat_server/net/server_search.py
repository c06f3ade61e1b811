"""A one-off, blocking search for the servers announced on the network (``main.py discover``).

Browses for ``SERVICE_TYPE`` for a while with zeroconf, then resolves each service found and reads it with
``announcement_from`` (every record is untrusted: one that does not read is left out, and logged). No Qt: the
client window's live list is chat_gui/client/discovery.py.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

from chat_server.protocol import SERVICE_TYPE, Announcement, announcement_from

__all__ = ["MAX_SERVICES", "RESOLVE_TIMEOUT_S", "SearchResult", "find_servers"]

log = logging.getLogger(__name__)

MAX_SERVICES = 256
"""At most this many services are resolved: more is a flood, not a LAN's servers."""
RESOLVE_TIMEOUT_S = 2.0
"""After browsing, resolving what was found (usually already in the cache) takes at most this long in all."""


@dataclass
class SearchResult:
    """What a search found: the servers, sorted by name and address, and why other records were left out."""

    servers: list[Announcement] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # the service's name (quoted: it is anyone's text), and why
    error: str = ""  # multicast DNS could not be used at all


class _Names:
    """The service names seen, added and removed from zeroconf's thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: dict[str, None] = {}  # in order of arrival

    def on_change(self, zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange) -> None:
        with self._lock:
            if state_change is ServiceStateChange.Removed:
                self._names.pop(name, None)
            elif len(self._names) < MAX_SERVICES:
                self._names[name] = None

    def snapshot(self) -> list[str]:
        with self._lock:
            return list(self._names)


def find_servers(timeout_s: float, interfaces: list[str] | None = None) -> SearchResult:
    """Browse for ``timeout_s`` seconds on ``interfaces`` (IPv4 addresses; None: all) and read what was found."""
    result = SearchResult()
    try:
        zeroconf = Zeroconf(interfaces=interfaces, ip_version=IPVersion.V4Only) if interfaces \
            else Zeroconf(ip_version=IPVersion.V4Only)
    except Exception as exc:  # OSError mostly (no multicast, port 5353 held exclusively): a value, not a crash
        result.error = f"multicast DNS cannot be used here ({exc})"
        return result
    try:
        names = _Names()
        browser = ServiceBrowser(zeroconf, SERVICE_TYPE, handlers=[names.on_change])
        threading.Event().wait(timeout_s)  # zeroconf's threads browse meanwhile
        browser.cancel()
        deadline = time.monotonic() + RESOLVE_TIMEOUT_S
        for name in names.snapshot():
            _resolve(zeroconf, name, deadline, result)
    finally:
        zeroconf.close()
    result.servers.sort(key=lambda a: (a.name.casefold(), a.host, a.port))
    return result


def _resolve(zeroconf: Zeroconf, name: str, deadline: float, result: SearchResult) -> None:
    info = ServiceInfo(SERVICE_TYPE, name)
    remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
    if not info.request(zeroconf, remaining_ms):
        result.ignored.append(f"{name!r}: did not answer")
        return
    addresses = info.parsed_addresses(IPVersion.V4Only)
    if not addresses or info.port is None:
        result.ignored.append(f"{name!r}: no IPv4 address or port")
        return
    found = announcement_from(name, addresses[0], info.port, info.properties)
    if isinstance(found, str):
        result.ignored.append(f"{name!r}: {found}")
    elif found not in result.servers:
        result.servers.append(found)
