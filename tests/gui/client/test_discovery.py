"""ServerBrowser with real zeroconf on 127.0.0.1: servers found, changed and lost, on the Qt thread."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.discovery import ServerBrowser
from chat_server.protocol.discovery import Announcement, txt_properties
from tests.gui.announcing import (
    FOUND_MS,
    LOST_MS,
    Announcer,
    announcement,
    held_port,
    on_port,
    unique,
)

ROOT = Path(__file__).resolve().parents[3]


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


def test_where_multicast_dns_cannot_work_it_says_so_once_and_carries_on(
        qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    browser = ServerBrowser(interfaces=["203.0.113.1"])  # an address this machine does not have
    with qtbot.waitSignal(browser.unavailable, timeout=1000) as said:
        assert not browser.start()
    assert not browser.running and browser.servers() == []
    assert said.args == [browser.problem]
    assert browser.problem.startswith("Cannot look for servers on this network (") \
        and browser.problem.endswith("): type the server's address.")
    assert not browser.start()
    warnings = [r.getMessage() for r in caplog.records if r.name == "chat_gui.client.discovery"]
    assert len(warnings) == 1 and warnings[0].startswith("Cannot look for chat servers on the network")
    browser.stop()  # harmless when it never started


def test_a_member_count_going_back_and_forth_is_seen_each_time(
        qtbot: QtBot, browser: ServerBrowser, announcer: Announcer) -> None:
    # zeroconf's cache keeps a TXT record heard within the last second beside its replacement (RFC 6762 10.2), and
    # a count that goes back to an earlier value refreshes the old record in place: the browser must report the
    # record heard last, not the one the cache lists last.
    port = announcer.port()
    service, name = unique("counted"), unique("Counted")
    with qtbot.waitSignal(browser.server_found, timeout=FOUND_MS, check_params_cb=on_port(port)):
        announcer.zc.register_service(announcer.info(service, port, txt_properties(announcement(name, port))))
    for online in (1, 0, 1, 0, 1):
        qtbot.waitUntil(lambda: len([s for s in browser.servers() if s.port == port]) == 1, timeout=FOUND_MS)
        with qtbot.waitSignal(browser.server_changed, timeout=FOUND_MS,
                              check_params_cb=lambda a, n=online: a.port == port and a.online == n):
            announcer.zc.update_service(
                announcer.info(service, port, txt_properties(announcement(name, port, online=online, limit=9))))
    assert [s.online for s in browser.servers() if s.port == port] == [1]
