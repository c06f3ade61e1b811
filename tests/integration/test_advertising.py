"""The engine's announcement in this process (chat_server/core/advertising.py), watched by a real zeroconf browser
on loopback: it follows the settings a running server changes and ends with the server's listening."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot
from zeroconf import IPVersion, ServiceInfo, Zeroconf

from chat_server.assembly import ServerAdvertising
from chat_server.core import ChatServer
from chat_server.net.announcer import WITHDRAW_TIMEOUT_S, AnnouncementScope, ServiceAnnouncer, host_label
from chat_server.protocol import SERVICE_TYPE, Announcement
from tests.integration.test_discovery import DEADLINE_S, GOODBYE_S, Watcher

DEADLINE_MS = int(DEADLINE_S * 1000)
GOODBYE_MS = int(GOODBYE_S * 1000)


@pytest.fixture
def watcher() -> Iterator[Watcher]:
    watching = Watcher()
    yield watching
    watching.close()


@pytest.fixture
def advertised(make_server: Callable[..., ChatServer]) -> Iterator[tuple[ChatServer, ServerAdvertising]]:
    server = make_server(advertise_loopback=True, name="Engine under test")
    advertising = ServerAdvertising(server)
    yield server, advertising
    advertising.close()


def _service(label: str, port: int) -> str:
    return f"{label} ({host_label()}:{port}).{SERVICE_TYPE}"


def _names_on(watcher: Watcher, port: int) -> list[str]:
    return sorted(name for name, seen in watcher.ports.items() if seen == port)


def test_announced_while_listening_and_withdrawn_when_stopped(
        qtbot: QtBot, advertised: tuple[ChatServer, ServerAdvertising], watcher: Watcher) -> None:
    server, advertising = advertised
    port = server.server_port
    qtbot.waitUntil(lambda: _names_on(watcher, port) == [_service("Engine under test", port)],
                    timeout=DEADLINE_MS)
    assert advertising.announcer is not None
    with qtbot.waitSignal(server.stopped, timeout=DEADLINE_MS):
        server.stop()
    assert advertising.announcer is None
    qtbot.waitUntil(lambda: _names_on(watcher, port) == [], timeout=GOODBYE_MS)


def test_switched_off_and_on_while_running(
        qtbot: QtBot, advertised: tuple[ChatServer, ServerAdvertising], watcher: Watcher) -> None:
    server, advertising = advertised
    port = server.server_port
    qtbot.waitUntil(lambda: _names_on(watcher, port) != [], timeout=DEADLINE_MS)
    server.apply_settings(replace(server.settings, advertise=False))
    assert advertising.announcer is None
    qtbot.waitUntil(lambda: _names_on(watcher, port) == [], timeout=GOODBYE_MS)
    server.apply_settings(replace(server.settings, advertise=True))
    qtbot.waitUntil(lambda: _names_on(watcher, port) == [_service("Engine under test", port)],
                    timeout=DEADLINE_MS)


def test_a_new_name_is_announced_in_place_of_the_old(
        qtbot: QtBot, advertised: tuple[ChatServer, ServerAdvertising], watcher: Watcher) -> None:
    server, advertising = advertised
    port = server.server_port
    qtbot.waitUntil(lambda: _names_on(watcher, port) != [], timeout=DEADLINE_MS)
    server.apply_settings(replace(server.settings, name="Renamed v1.2"))
    qtbot.waitUntil(lambda: _names_on(watcher, port) == [_service("Renamed v1 2", port)], timeout=DEADLINE_MS)
    assert advertising.announcement().name == "Renamed v1.2"


def test_what_the_engine_announces(make_server: Callable[..., ChatServer]) -> None:
    server = make_server(max_clients=9, password="pw", name="Said")
    advertising = ServerAdvertising(server)  # on loopback without --advertise: not announced
    try:
        assert advertising.announcer is None
        assert advertising.announcement() == Announcement(
            name="Said", host="127.0.0.1", port=server.server_port, version=2, tls=False, fingerprint=None,
            password=True, online=0, limit=9)
    finally:
        advertising.close()


SCOPE = AnnouncementScope(("127.0.0.1",))


def _announcement(port: int, online: int = 0) -> Announcement:
    return Announcement(name="Direct announcer", host="127.0.0.1", port=port, version=2, tls=False, fingerprint=None,
                        password=False, online=online, limit=0)


def test_a_withdraw_while_registering_is_over_within_a_second() -> None:
    """Registering probes for about a second: a stop meanwhile must not wait for it to end."""
    announcer = ServiceAnnouncer(_announcement(40001), SCOPE)
    announcer.start()
    announcer.withdraw()
    assert announcer.wait(WITHDRAW_TIMEOUT_S)
    assert not announcer.wait_registered(0)


def test_an_update_made_while_registering_is_announced_once_registered() -> None:
    zeroconf = Zeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)
    announcer = ServiceAnnouncer(_announcement(40002), SCOPE)
    try:
        announcer.start()
        announcer.update(_announcement(40002, online=4))
        announcer.update(_announcement(40002, online=5))
        assert announcer.wait_registered(DEADLINE_S)
        deadline = time.monotonic() + DEADLINE_S
        online = None
        while online != b"5" and time.monotonic() < deadline:
            info = ServiceInfo(SERVICE_TYPE, announcer.service_name)
            if info.request(zeroconf, 500):
                online = info.properties.get(b"online")
        assert online == b"5"
    finally:
        announcer.withdraw()
        assert announcer.wait()
        zeroconf.close()


def test_an_interface_multicast_cannot_use_is_one_warning_and_no_announcement(
        caplog: pytest.LogCaptureFixture) -> None:
    announcer = ServiceAnnouncer(_announcement(40004), AnnouncementScope(("203.0.113.5",)))  # not this machine's
    announcer.start()
    assert announcer.wait(WITHDRAW_TIMEOUT_S)
    assert not announcer.wait_registered(0)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert warnings[0].startswith("not announced on the network: multicast DNS cannot be used here (")
    assert warnings[0].endswith("); clients can still connect with the address and port")
