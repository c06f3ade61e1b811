"""ServerBrowser with real zeroconf on 127.0.0.1: servers found, changed and lost, on the Qt thread.

The loopback is shared with every other test run on this machine, so each test announces a service of
its own (a unique name, and a port it holds open so no other test can announce it) and looks only for it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from zeroconf import IPVersion, ServiceInfo, Zeroconf

from chat_gui.client.discovery import ServerBrowser
from chat_server.protocol.discovery import SERVICE_TYPE, Announcement, txt_properties

ROOT = Path(__file__).resolve().parents[3]
FOUND_MS = 8000  # probing takes about 1.5 s before a service is announced; a busy machine takes longer
LOST_MS = 10000  # a silent server is dropped within 5 s of its last answer; the margin is for a busy machine


def held_port() -> tuple[socket.socket, int]:
    """A TCP port nobody else on this machine can announce while the socket is open."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock, sock.getsockname()[1]


def announcement(name: str, port: int, **changes: object) -> Announcement:
    values: dict[str, object] = dict(name=name, host="127.0.0.1", port=port, version=2, tls=False,
                                     fingerprint=None, password=False, online=0, limit=0)
    values.update(changes)
    return Announcement(**values)  # type: ignore[arg-type]


class Announcer:
    """Services registered with zeroconf on 127.0.0.1 in this process, withdrawn at the end of the test."""

    def __init__(self) -> None:
        self.zc = Zeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)
        self.sockets: list[socket.socket] = []

    def info(self, service: str, port: int, properties: dict[str, str]) -> ServiceInfo:
        return ServiceInfo(SERVICE_TYPE, f"{service}.{SERVICE_TYPE}", port=port, properties=properties,
                           addresses=[socket.inet_aton("127.0.0.1")], server=f"lanchat-test-{port}.local.")

    def port(self) -> int:
        sock, port = held_port()
        self.sockets.append(sock)
        return port

    def close(self) -> None:
        self.zc.close()
        for sock in self.sockets:
            sock.close()


@pytest.fixture
def announcer() -> Iterator[Announcer]:
    announcer = Announcer()
    yield announcer
    announcer.close()


@pytest.fixture
def browser(qtbot: QtBot) -> Iterator[ServerBrowser]:
    browser = ServerBrowser(interfaces=["127.0.0.1"])
    assert browser.start(), browser.problem
    yield browser
    browser.stop()
    assert not browser.running


def on_port(port: int) -> Callable[[Announcement], bool]:
    return lambda found: found.port == port


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def test_a_server_is_found_changed_and_lost_on_its_goodbye(qtbot: QtBot, browser: ServerBrowser,
                                                           announcer: Announcer) -> None:
    port = announcer.port()
    name = unique("Team chat")
    first = announcement(name, port, online=2, limit=50, password=True)
    service = unique("service")
    info = announcer.info(service, port, txt_properties(first))
    reported_on: list[threading.Thread] = []
    browser.server_found.connect(lambda _a: reported_on.append(threading.current_thread()))
    with qtbot.waitSignal(browser.server_found, timeout=FOUND_MS, check_params_cb=on_port(port)) as found:
        announcer.zc.register_service(info)
    assert found.args == [first]
    assert first in browser.servers()
    assert reported_on and all(thread is threading.main_thread() for thread in reported_on)

    second = announcement(name, port, online=3, limit=50, password=True)
    info = announcer.info(service, port, txt_properties(second))
    with qtbot.waitSignal(browser.server_changed, timeout=FOUND_MS, check_params_cb=on_port(port)) as changed:
        announcer.zc.update_service(info)
    assert changed.args == [second]

    key = f"127.0.0.1:{port}"
    with qtbot.waitSignal(browser.server_lost, timeout=LOST_MS, check_params_cb=lambda lost: lost == key):
        announcer.zc.unregister_service(info)
    assert all(server.port != port for server in browser.servers())


def test_the_service_name_is_the_name_when_the_txt_has_none(qtbot: QtBot, browser: ServerBrowser,
                                                            announcer: Announcer) -> None:
    port = announcer.port()
    service = unique("Lab server")
    properties = txt_properties(announcement("unused", port))
    del properties["name"]
    with qtbot.waitSignal(browser.server_found, timeout=FOUND_MS, check_params_cb=on_port(port)) as found:
        announcer.zc.register_service(announcer.info(service, port, properties))
    assert found.args[0].name == service


def test_a_garbled_announcement_is_not_listed_and_the_others_are(qtbot: QtBot, browser: ServerBrowser,
                                                                 announcer: Announcer) -> None:
    bad_port, good_port = announcer.port(), announcer.port()
    seen: list[Announcement] = []
    browser.server_found.connect(seen.append)
    garbled = {"v": "two", "online": "-1", "limit": "many"}
    good = announcement(unique("Good"), good_port)
    announcer.zc.register_service(announcer.info(unique("garbled"), bad_port, garbled))
    with qtbot.waitSignal(browser.server_found, timeout=FOUND_MS, check_params_cb=on_port(good_port)):
        announcer.zc.register_service(announcer.info(unique("good"), good_port, txt_properties(good)))
    # The garbled one was announced first (registering waits for the announcement), so it was heard.
    assert [a.port for a in seen if a.port in (bad_port, good_port)] == [good_port]


def test_a_server_that_dies_without_a_goodbye_is_dropped(qtbot: QtBot, browser: ServerBrowser) -> None:
    sock, port = held_port()
    name = unique("Doomed")
    process = subprocess.Popen([sys.executable, "-m", "tests.gui.client.announced_service", name, str(port)],
                               cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        with qtbot.waitSignal(browser.server_found, timeout=FOUND_MS + 5000, check_params_cb=on_port(port)):
            pass
        assert process.stdout is not None and process.stdout.readline() == "registered\n"
        key = f"127.0.0.1:{port}"
        with qtbot.waitSignal(browser.server_lost, timeout=LOST_MS, check_params_cb=lambda lost: lost == key):
            process.kill()  # no goodbye: only the silence tells
    finally:
        process.kill()
        process.wait(timeout=10)
        sock.close()


def test_stop_closes_zeroconf_and_reports_the_servers_lost(qtbot: QtBot, announcer: Announcer) -> None:
    browser = ServerBrowser(interfaces=["127.0.0.1"])
    assert browser.start()
    port = announcer.port()
    with qtbot.waitSignal(browser.server_found, timeout=FOUND_MS, check_params_cb=on_port(port)):
        announcer.zc.register_service(announcer.info(unique("svc"), port,
                                                     txt_properties(announcement(unique("S"), port))))
    lost: list[str] = []
    browser.server_lost.connect(lost.append)
    threads = threading.active_count()
    browser.stop()
    assert f"127.0.0.1:{port}" in lost
    assert browser.servers() == [] and not browser.running
    assert threading.active_count() < threads  # zeroconf's thread has ended
