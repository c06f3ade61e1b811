"""A one-off, blocking search for the servers announced on the network (``main.py discover``).

Browses for ``SERVICE_TYPE`` for a while with zeroconf, then resolves each service found and reads it with
``announcement_from`` (every record is untrusted: one that does not read is left out, and logged). No Qt: the
client window's live list is chat_gui/client/discovery.py.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field

from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceInfo

from chat_server.protocol import SERVICE_TYPE, Announcement, announcement_from

__all__ = ["MAX_SERVICES", "RESOLVE_TIMEOUT_S", "SearchResult", "find_servers"]

log = logging.getLogger(__name__)

MAX_SERVICES = 256
"""At most this many services are resolved: more is a flood, not a LAN's servers."""
RESOLVE_TIMEOUT_S = 2.0
"""After browsing, resolving what was found (usually already in the cache, all at once) takes at most this long."""


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
        infos = [AsyncServiceInfo(SERVICE_TYPE, name) for name in names.snapshot()]
        if infos and zeroconf.loop is not None:
            # All at once on zeroconf's loop: one slow or silent service does not use up the others' time.
            answered = asyncio.run_coroutine_threadsafe(_request_all(zeroconf, infos), zeroconf.loop)
            for info, ok in zip(infos, answered.result(RESOLVE_TIMEOUT_S + 1), strict=True):
                _read(info, ok, result)
    except Exception as exc:  # zeroconf's own trouble (a loop too busy to answer in time): what was read stays
        result.error = f"the search was cut short ({type(exc).__name__}: {exc})"
    finally:
        try:
            zeroconf.close()
        except Exception as exc:
            log.debug("closing multicast DNS failed: %s", exc)
    result.servers.sort(key=lambda a: (a.name.casefold(), a.host, a.port))
    return result


async def _request_all(zeroconf: Zeroconf, infos: list[AsyncServiceInfo]) -> list[bool]:
    """Ask for every service's records at once (most are in the cache already), within ``RESOLVE_TIMEOUT_S``."""
    timeout_ms = RESOLVE_TIMEOUT_S * 1000
    return list(await asyncio.gather(*(info.async_request(zeroconf, timeout_ms) for info in infos)))


def _read(info: AsyncServiceInfo, answered: bool, result: SearchResult) -> None:
    name = info.name
    if not answered:
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
