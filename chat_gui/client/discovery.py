"""Servers on this network, live: a DNS-SD browser for the chat service over zeroconf, reporting on the Qt thread.

How it listens. zeroconf runs its own asyncio thread; ``_ServiceWatch`` is a record listener on that thread
that keeps the newest records of each chat service heard (port, TXT, address) and, for each packet that
speaks of a service, puts what it knows of it in a thread-safe queue. The Qt thread empties the queue every
``DRAIN_INTERVAL_MS`` on a timer of its own, so zeroconf's thread never calls into Qt at all (not even to emit
a signal: PySide 6 has had crashes with signals emitted from threads Qt did not make). Everything else
(validating the announcement, the list, the expiry) happens on the Qt thread, in ``ServerBrowser`` and
``DiscoveredServers``.

Why it asks every second. zeroconf's own ServiceBrowser trusts the records' TTLs (two minutes for an
address, 75 for the service), so a server that dies without a goodbye would stay listed that long. The
browser therefore multicasts one question for the service type every second (a few dozen bytes) while it
runs (the client window runs it only while its connect panel shows), every server answers it, and a
service not heard for ``STALE_AFTER_S`` is dropped. A server that starts is heard as soon as it announces
itself, and one that stops with a goodbye is dropped when the goodbye arrives.

Loopback (for the tests, and for a server announced with ``--advertise`` on 127.0.0.1): multicast DNS
works on this machine's loopback with ``Zeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)``
on both sides; no other trick is needed. The loopback is shared by every test run on the machine, so a
test must pick out its own service (by name or port) among whatever else announces ``_lanchat._tcp``.
"""

from __future__ import annotations

import logging
import queue
import socket
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from zeroconf import (
    DNSAddress,
    DNSOutgoing,
    DNSPointer,
    DNSQuestion,
    DNSRecord,
    DNSService,
    DNSText,
    Error,
    InterfaceChoice,
    IPVersion,
    RecordUpdate,
    RecordUpdateListener,
    Zeroconf,
)

from chat_gui.client.discovered import ChangeKind, DiscoveredServers, ServerChange, server_key
from chat_server.protocol.discovery import SERVICE_TYPE, Announcement, announcement_from

log = logging.getLogger(__name__)

QUERY_INTERVAL_MS = 1000
"""How often the browser asks who is there (and drops those gone quiet)."""
DRAIN_INTERVAL_MS = 100
"""How often the Qt thread takes what zeroconf's thread heard (a look at an empty queue costs nothing)."""
MAX_DRAINED = 1000
"""Sightings handled per look at most; a flood waits for the next look rather than holding up the window."""
DNS_TYPE_A = 1  # RFC 1035: an IPv4 address
DNS_TYPE_PTR = 12  # RFC 1035: a pointer, here from the service type to each service
DNS_TYPE_SRV = 33  # RFC 2782: a service's host and port
DNS_TYPE_TXT = 16  # RFC 1035: a service's properties
DNS_CLASS_IN = 1
DNS_FLAGS_QUERY = 0x0000  # a standard query (RFC 6762 section 18)
MAX_WATCHED = 512
"""Services whose records are kept at most (anyone can announce: a flood must not grow them without end)."""
MAX_LOGGED_PROBLEMS = 64
"""Garbled announcements logged at most (once each per service and reason): anyone can send them, every second."""

_TYPE_KEY = SERVICE_TYPE.lower()
_SUFFIX = "." + _TYPE_KEY

Heard = Callable[[str, str, str, int, dict[bytes, bytes | None]], None]


def service_label(service: str) -> str:
    """The service's own name, without the service type: what a server calls itself if its TXT says nothing."""
    return service[:-len(_SUFFIX)] if service.lower().endswith(_SUFFIX) else service


def txt_properties_of(text: bytes) -> dict[bytes, bytes | None]:
    """A TXT record's strings (RFC 6763 section 6: each ``key=value`` or ``key``, length-prefixed) as zeroconf
    gives them; the first of a repeated key wins, and a string cut short by the record's end is left out."""
    properties: dict[bytes, bytes | None] = {}
    seen: set[bytes] = set()
    at = 0
    while at < len(text):
        length = text[at]
        entry = text[at + 1:at + 1 + length]
        at += 1 + length
        if len(entry) < length or not entry:
            continue
        key, equals, value = entry.partition(b"=")
        if key and key.lower() not in seen:
            seen.add(key.lower())
            properties[key] = value if equals else None
    return properties


class _ServiceWatch(RecordUpdateListener):
    """On zeroconf's thread: the newest SRV, TXT and address record of each chat service, from the packets.

    It reads the records themselves rather than zeroconf's cache: when a server changes its TXT record (its
    members online), the cache may hold the old record beside the new one for a while (it only flushes records
    older than a second, and the browser hears every server each second), and a lookup may find the old one.
    """

    def __init__(self, heard: Heard, gone: Callable[[str], None]) -> None:
        self._heard = heard
        self._gone = gone
        self._services: dict[str, _Records] = {}  # by the service's name in lower case
        self._touched: dict[str, None] = {}  # services named by the packet being read, in order

    def async_update_records(self, zc: Zeroconf, now: float, records: list[RecordUpdate]) -> None:
        addresses: list[DNSAddress] = []
        for update in records:
            record: DNSRecord = update.new
            if record.type == DNS_TYPE_A and isinstance(record, DNSAddress):
                addresses.append(record)
                continue
            if record.type == DNS_TYPE_PTR and record.key == _TYPE_KEY and isinstance(record, DNSPointer):
                service = record.alias
            elif record.type in (DNS_TYPE_SRV, DNS_TYPE_TXT) and record.key.endswith(_SUFFIX):
                service = record.name
            else:
                continue
            key = service.lower()
            if record.is_expired(now):  # a goodbye (TTL 0)
                self._touched.pop(key, None)
                if self._services.pop(key, None) is not None or record.type == DNS_TYPE_PTR:
                    self._gone(service)
                continue
            known = self._services.get(key)
            if known is None:
                if len(self._services) >= MAX_WATCHED:
                    continue
                known = self._services[key] = _Records(service)
            if isinstance(record, DNSService):
                known.srv = record
            elif isinstance(record, DNSText):
                known.txt = record
            self._touched[key] = None
        # After the SRV records, which say which host each service is on. A host on several networks has several
        # addresses: the one in use stays while the host still gives it, so the list does not flicker.
        by_host: dict[str, list[str]] = {}
        for address in addresses:
            if len(address.address) == 4 and not address.is_expired(now):
                by_host.setdefault(address.key, []).append(socket.inet_ntoa(address.address))
        if not by_host:
            return
        for key, known in self._services.items():
            given = by_host.get(known.srv.server_key) if known.srv is not None else None
            if given:
                if known.address not in given:
                    known.address = given[0]
                self._touched[key] = None

    def async_update_records_complete(self) -> None:
        touched, self._touched = self._touched, {}
        for key in touched:
            known = self._services.get(key)
            if known is not None and known.srv is not None and known.txt is not None and known.address:
                self._heard(known.name, service_label(known.name), known.address, known.srv.port,
                            txt_properties_of(known.txt.text))
            # else: not all of it yet (the next answer, within a second, brings the rest)


class _Records:
    """What is known of one service."""

    __slots__ = ("address", "name", "srv", "txt")

    def __init__(self, name: str) -> None:
        self.name = name
        self.srv: DNSService | None = None
        self.txt: DNSText | None = None
        self.address = ""


class ServerBrowser(QObject):
    """The chat servers announcing themselves on the network, reported on the Qt thread as they come and go."""

    server_found = Signal(object)  # Announcement
    server_changed = Signal(object)  # Announcement: its TXT says something else now (members online, ...)
    server_lost = Signal(str)  # server_key(announcement): it said goodbye or stopped answering
    unavailable = Signal(str)  # why servers cannot be looked for here (logged once); type an address instead

    def __init__(self, parent: QObject | None = None, interfaces: Sequence[str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``interfaces``: the addresses to use (``["127.0.0.1"]`` for the tests); None: every interface."""
        super().__init__(parent)
        self.interfaces = list(interfaces) if interfaces is not None else None
        self._clock = clock
        self._state = DiscoveredServers()
        self._zeroconf: Zeroconf | None = None
        self._watch: _ServiceWatch | None = None
        self._logged: set[tuple[str, str]] = set()
        self.problem = ""  # why discovery did not start, once it failed
        self._timer = QTimer(self)
        self._timer.setInterval(QUERY_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        # (service, label, host, port, properties) heard, or (service,) gone: filled by zeroconf's thread
        self._inbox: queue.SimpleQueue[tuple[str, str, str, int, dict[bytes, bytes | None]] | tuple[str]] = \
            queue.SimpleQueue()
        self._drain_timer = QTimer(self)
        self._drain_timer.setInterval(DRAIN_INTERVAL_MS)
        self._drain_timer.timeout.connect(self._on_drain_timer_timeout)

    @property
    def running(self) -> bool:
        return self._zeroconf is not None

    def servers(self) -> list[Announcement]:
        """The servers heard now, in the order they were first heard."""
        return self._state.servers()

    def start(self) -> bool:
        """Start listening and asking (a few milliseconds; nothing waits); False if multicast DNS cannot work here."""
        if self._zeroconf is not None:
            return True
        choice: InterfaceChoice | list[str] = InterfaceChoice.All if self.interfaces is None else self.interfaces
        try:
            zc = Zeroconf(interfaces=choice, ip_version=IPVersion.V4Only, use_asyncio=False)
        except (OSError, ValueError, Error) as exc:
            if not self.problem:
                log.warning("Cannot look for chat servers on the network (multicast DNS: %s); "
                            "type the server's address instead", exc)
            self.problem = self.tr("Cannot look for servers on this network ({problem}): type the server's "
                                   "address.").format(problem=exc)
            self.unavailable.emit(self.problem)
            return False
        inbox = self._inbox
        watch = _ServiceWatch(lambda *heard: inbox.put(heard), lambda service: inbox.put((service,)))
        zc.add_listener(watch, None)
        self._zeroconf, self._watch = zc, watch
        self.problem = ""
        self._ask()
        self._timer.start()
        self._drain_timer.start()
        return True

    def stop(self) -> None:
        """Stop asking and close zeroconf's thread and sockets; the servers known are reported lost."""
        self._timer.stop()
        self._drain_timer.stop()
        zc, watch = self._zeroconf, self._watch
        self._zeroconf = self._watch = None
        if zc is not None and watch is not None:
            zc.remove_listener(watch)
            zc.close()  # waits for zeroconf's loop to close it: nothing is heard for it after this
        while not self._inbox.empty():
            self._inbox.get_nowait()  # heard before the stop: stale by the next start
        self._emit(self._state.clear())

    def _ask(self) -> None:
        """One multicast question for the service type: every chat server answers it."""
        if self._zeroconf is None:
            return
        out = DNSOutgoing(DNS_FLAGS_QUERY)
        out.add_question(DNSQuestion(SERVICE_TYPE, DNS_TYPE_PTR, DNS_CLASS_IN))
        self._zeroconf.send(out)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._ask()
        self._emit(self._state.expire(self._clock()))

    @Slot()
    def _on_drain_timer_timeout(self) -> None:
        for _ in range(MAX_DRAINED):
            try:
                item = self._inbox.get_nowait()
            except queue.Empty:
                return
            if len(item) == 1:
                self._emit(self._state.gone(item[0]))
                continue
            service, label, host, port, properties = item
            announcement = announcement_from(label, host, port, properties)
            if isinstance(announcement, str):
                self._log_problem(service, announcement)
                self._emit(self._state.gone(service))
            else:
                self._emit(self._state.heard(service, announcement, self._clock()))

    def _log_problem(self, service: str, problem: str) -> None:
        if (service, problem) in self._logged or len(self._logged) >= MAX_LOGGED_PROBLEMS:
            return
        self._logged.add((service, problem))
        log.info("ignored the announcement of %r: %s", service, problem)

    def _emit(self, changes: list[ServerChange]) -> None:
        for change in changes:
            if change.kind is ChangeKind.FOUND:
                self.server_found.emit(change.announcement)
            elif change.kind is ChangeKind.CHANGED:
                self.server_changed.emit(change.announcement)
            else:
                self.server_lost.emit(change.key)


__all__ = ["QUERY_INTERVAL_MS", "ServerBrowser", "server_key", "service_label"]
