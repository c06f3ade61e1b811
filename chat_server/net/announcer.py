"""The server's DNS-SD announcement on the network, through zeroconf, on a thread of its own.

``ServiceAnnouncer`` registers one announcement (chat_server/protocol/discovery.py says what it holds) while the
server listens, updates its TXT record, and withdraws it with goodbye packets. Registering probes the network
for about a second and each update or goodbye repeats itself for about half a second: none of that may hold up
the server's event loop or a window, so every zeroconf call runs on the announcer's own worker thread, fed
through a queue. Nothing here touches Qt; nothing raises into the caller: when multicast cannot work (no
interface, port 5353 held exclusively, a firewall) one clear line is logged and the server carries on.

``announcement_scope`` decides where to announce from what the server listens on.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import queue
import re
import socket
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: a server that announces nothing (the default on 127.0.0.1) never loads them
    from zeroconf import ServiceInfo, Zeroconf

from chat_server.protocol import SERVICE_TYPE, Announcement, is_all_interfaces, is_localhost, txt_properties

__all__ = ["MAX_INSTANCE_BYTES", "WITHDRAW_TIMEOUT_S", "AnnouncementScope", "ServiceAnnouncer",
           "announcement_scope", "host_label", "instance_label"]

log = logging.getLogger(__name__)

MAX_INSTANCE_BYTES = 63
"""A service instance name is one DNS label: at most 63 bytes."""
MAX_HOST_LABEL = 20
"""The host name's part of an instance name is cut to this, leaving the server's name most of the label."""
WITHDRAW_TIMEOUT_S = 1.0
"""How long ``wait`` waits, at most, for the goodbye packets to be sent and the sockets closed."""
GOODBYE_TIMEOUT_S = 0.7
"""The goodbye is sent three times over 250 ms; on a busy machine, it is given this long before closing."""
LOOPBACK = "127.0.0.1"
_HOST_LABEL = re.compile(r"[^a-z0-9-]+")
_REGISTERED = object()  # put on the command queue when registering is over, done or failed


@dataclass(frozen=True)
class AnnouncementScope:
    """Where to announce: the IPv4 interfaces to send on, which are also the addresses announced."""

    addresses: tuple[str, ...]


def announcement_scope(host: str, advertise: bool, loopback: bool,
                       local_addresses: tuple[str, ...] | None = None) -> AnnouncementScope | str:
    """Where a server listening on ``host`` announces itself, or why it does not (a sentence for the log).

    All interfaces: every IPv4 address of this machine but loopback (and loopback too with ``loopback``, the
    tests' ``--advertise``); loopback: nowhere, unless ``loopback``; one IPv4 address: that one. IPv6 is not
    announced. ``local_addresses`` (this machine's non-loopback IPv4 addresses) is read when not given.
    """
    if not advertise:
        return "not announced on the network: switched off"
    if is_all_interfaces(host):
        found = _local_ipv4_addresses() if local_addresses is None else local_addresses
        addresses = (*found, LOOPBACK) if loopback else found
        if not addresses:
            return "not announced on the network: no network interface has an IPv4 address"
        return AnnouncementScope(tuple(addresses))
    try:
        address = ipaddress.ip_address("127.0.0.1" if is_localhost(host) else host.strip())
    except ValueError:
        return f"not announced on the network: {host!r} is not an IP address"
    if address.version != 4:
        return "not announced on the network: only IPv4 addresses are announced"
    if address.is_loopback and not loopback:
        return "not announced on the network: it listens on loopback only (--advertise announces it there)"
    return AnnouncementScope((str(address),))


def instance_label(name: str, port: int, host: str | None = None) -> str:
    """The service instance name for server ``name`` on ``port`` of this machine (or ``host``): the name without
    dots, then ``(host:port)``, in at most 63 bytes of UTF-8.

    Two servers of one name would otherwise probe for the same instance name at once, and zeroconf, which only
    checks what it has heard, can miss the clash: one of them would hide the other. Browsers show the TXT
    record's ``name``; the instance name only has to be unique.
    """
    suffix = f" ({host_label(host)}:{port})"
    label = " ".join(name.replace(".", " ").split()) or "LAN Chat"
    while len(label.encode("utf-8")) + len(suffix) > MAX_INSTANCE_BYTES:
        label = label[:-1].rstrip()
    return label + suffix


def host_label(host: str | None = None) -> str:
    """This machine's host name (or ``host``) as one short DNS label: its first part, a-z, 0-9 and -."""
    name = socket.gethostname() if host is None else host
    return _HOST_LABEL.sub("-", name.split(".")[0].lower()).strip("-")[:MAX_HOST_LABEL] or "host"


class ServiceAnnouncer:
    """One announcement, from ``start`` to ``withdraw``, carried out by a worker thread with its own Zeroconf."""

    def __init__(self, announcement: Announcement, scope: AnnouncementScope) -> None:
        self._announcement = announcement
        self._scope = scope
        self._commands: queue.SimpleQueue[Announcement | object | None] = queue.SimpleQueue()
        self._registered = threading.Event()
        self._thread = threading.Thread(target=self._run, name="service-announcer", daemon=True)
        self.service_name = ""  # the full service name registered (zeroconf adds "-2" on a clash), once registered

    def start(self) -> None:
        """Register the announcement (on the worker thread: returns at once)."""
        self._thread.start()

    def update(self, announcement: Announcement) -> None:
        """Announce ``announcement``'s TXT record instead (its name and address are the ones registered)."""
        self._commands.put(announcement)

    def withdraw(self) -> None:
        """Send the goodbye packets and close, on the worker thread (returns at once)."""
        self._commands.put(None)

    def wait(self, timeout_s: float = WITHDRAW_TIMEOUT_S) -> bool:
        """After ``withdraw``: wait for the goodbyes to be sent; False if the worker is still at it."""
        if self._thread.ident is not None:
            self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def wait_registered(self, timeout_s: float) -> bool:
        """Whether the announcement is registered (waiting up to ``timeout_s`` for it): for tests and scripts."""
        return self._registered.wait(timeout_s)

    # --- the worker thread --------------------------------------------------------------------------

    def _run(self) -> None:
        from zeroconf import IPVersion, Zeroconf

        try:
            zeroconf = Zeroconf(interfaces=list(self._scope.addresses), ip_version=IPVersion.V4Only)
        except Exception as exc:  # OSError mostly; whatever it is, the server carries on without discovery
            log.warning("not announced on the network: multicast DNS cannot be used here (%s); clients can still "
                        "connect with the address and port", exc)
            return
        try:
            self._serve(zeroconf)
        except Exception as exc:
            log.warning("the announcement on the network failed (%s: %s); clients can still connect with the "
                        "address and port", type(exc).__name__, exc)
        finally:
            _close(zeroconf)

    def _serve(self, zeroconf: Zeroconf) -> None:
        label = instance_label(self._announcement.name, self._announcement.port)
        info = self._info(self._announcement, f"{label}.{SERVICE_TYPE}")
        # Registering probes the network for about a second: it runs on zeroconf's loop while this thread waits
        # for commands, so that a withdraw meanwhile cancels it at once (nothing was announced yet, or the
        # goodbye covers what was).
        assert zeroconf.loop is not None
        registering = asyncio.run_coroutine_threadsafe(_register(zeroconf, info), zeroconf.loop)
        registering.add_done_callback(lambda _done: self._commands.put(_REGISTERED))
        latest: Announcement | None = None  # the newest update not announced yet
        while True:
            commands = [self._commands.get()]
            while not self._commands.empty():
                commands.append(self._commands.get_nowait())
            for command in commands:
                if command is None:
                    registering.cancel()
                    return
                if command is _REGISTERED:
                    registering.result()  # raises what registering raised
                    self.service_name = info.name  # zeroconf renames it on a clash ("-2")
                    self._registered.set()
                    log.info("announced on the network as %r (%s on %s)",
                             info.name.removesuffix("." + SERVICE_TYPE), SERVICE_TYPE, ", ".join(self._scope.addresses))
                elif isinstance(command, Announcement):
                    latest = command  # only the newest of several updates matters
            if latest is not None and self._registered.is_set():
                info = self._info(latest, info.name)
                latest = None
                zeroconf.update_service(info)

    def _info(self, announcement: Announcement, service_name: str) -> ServiceInfo:
        from zeroconf import ServiceInfo

        return ServiceInfo(
            SERVICE_TYPE, service_name, port=announcement.port, properties=txt_properties(announcement),
            addresses=[socket.inet_aton(address) for address in self._scope.addresses],
            # The address records' host name, with the port, so that two servers on one machine never share (and
            # withdraw) each other's records.
            server=f"{host_label()}-lanchat-{announcement.port}.local.",
        )


def _local_ipv4_addresses() -> tuple[str, ...]:
    """This machine's IPv4 addresses, loopback left out."""
    import ifaddr

    found: list[str] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str) and not ipaddress.IPv4Address(ip.ip).is_loopback and ip.ip not in found:
                found.append(ip.ip)
    return tuple(found)


def _close(zeroconf: Zeroconf) -> None:
    """Send the goodbye packets of what is registered, then close. ``Zeroconf.close`` would send them too, but it
    gives them only a few hundred ms and then closes the sockets, sent or not: on a busy machine, not at all."""
    try:
        if zeroconf.loop is not None and zeroconf.loop.is_running():
            goodbye = asyncio.run_coroutine_threadsafe(zeroconf.async_unregister_all_services(), zeroconf.loop)
            goodbye.result(GOODBYE_TIMEOUT_S)
    except Exception as exc:
        log.warning("the announcement's goodbye may not have been sent (%s: %s)", type(exc).__name__, exc)
    try:
        zeroconf.close()
    except Exception as exc:
        log.warning("closing multicast DNS failed (%s: %s)", type(exc).__name__, exc)


async def _register(zeroconf: Zeroconf, info: ServiceInfo) -> None:
    """Probe for the name (renamed on a clash), then announce it: the whole registration, on zeroconf's loop."""
    announced = await zeroconf.async_register_service(info, allow_name_change=True)
    await announced
