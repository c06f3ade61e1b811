"""Garbage collection on the Qt thread only (chat_server/net/main_thread_gc.py): a cycle dropped while another
Python thread allocates is not collected on that thread, and the Qt thread's timer collects it soon after."""

from __future__ import annotations

import gc
import socket
import threading

from PySide6.QtCore import QCoreApplication, QSocketNotifier
from pytestqt.qtbot import QtBot

from chat_server.net.main_thread_gc import (
    FULL_COLLECTION_EVERY_S,
    MainThreadCollector,
    collect_if_due,
    collect_on_main_thread,
)

WAIT_MS = 5000
ALLOCATIONS = 200_000  # container objects made by the other thread: far past the first generation's threshold


class Cyclic:
    """Garbage only the cyclic collector can free; its finalizer notes the thread it ran on."""

    def __init__(self, finalized_on: list[str]) -> None:
        self.me = self
        self.finalized_on = finalized_on

    def __del__(self) -> None:
        self.finalized_on.append(threading.current_thread().name)


def _allocate_elsewhere() -> None:
    def work() -> None:
        # Tracked containers, all alive at once: what makes automatic collection run.
        kept: list[list[int]] = [[] for _ in range(ALLOCATIONS)]
        del kept
    thread = threading.Thread(target=work, name="allocating")
    thread.start()
    thread.join()


def test_a_cycle_dropped_while_another_thread_allocates_is_collected_on_the_qt_thread(qtbot: QtBot) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    collector = collect_on_main_thread(app)
    assert not gc.isenabled()
    gc.collect()
    finalized_on: list[str] = []
    Cyclic(finalized_on)  # dropped at once: only a collection frees it
    _allocate_elsewhere()
    assert finalized_on == []  # automatic collection would have run it on "allocating"
    # As automatic collection, the timer collects once more objects are alive than the threshold (net of those
    # freed): the other thread's are all freed again by now.
    kept: list[list[int]] = [[] for _ in range(gc.get_threshold()[0] * 2)]
    qtbot.waitUntil(lambda: finalized_on != [], timeout=WAIT_MS)
    assert finalized_on == [threading.main_thread().name]
    del kept
    assert collect_on_main_thread(app) is collector  # installed once


def test_a_collector_given_back_restores_automatic_collection(qtbot: QtBot) -> None:
    collector = MainThreadCollector()
    try:
        assert not gc.isenabled()
    finally:
        was_enabled = collector._was_enabled  # what the session's collector left: disabled
        collector.close()
    assert gc.isenabled() is was_enabled
    gc.enable()
    own = MainThreadCollector()
    own.close()
    assert gc.isenabled()  # it was enabled when this one came: given back
    gc.disable()  # as the session's collector keeps it


def test_collect_if_due_follows_the_thresholds() -> None:
    gc.collect()
    threshold = gc.get_threshold()[0]
    assert collect_if_due() == 0 and gc.get_count()[0] <= threshold  # nothing due: nothing collected
    finalized_on: list[str] = []
    Cyclic(finalized_on)
    kept: list[list[int]] = [[] for _ in range(threshold * 2)]  # past the first threshold
    assert finalized_on == []
    assert collect_if_due() >= 1  # the young generation, with the cycle in it
    assert finalized_on == [threading.main_thread().name]
    assert gc.get_count()[0] < threshold
    del kept


class NotifierInACycle:
    """What the suite's crash came from: a Qt object (a socket notifier, as each QTcpSocket and the reactor have) that
    only the cyclic collector frees. Destroyed on another thread, Qt warns that notifiers cannot be disabled from
    another thread, and the Qt thread's poll list is changed under it (a bus error in g_main_context_check)."""

    def __init__(self, fd: int, destroyed_on: list[str]) -> None:
        self.notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read)  # no parent: freed with this object
        self.notifier.destroyed.connect(lambda: destroyed_on.append(threading.current_thread().name))
        self.me = self


def test_a_socket_notifier_in_a_dropped_cycle_is_destroyed_on_the_qt_thread(qtbot: QtBot) -> None:
    # Before the collector, it was destroyed on "allocating" with Qt's warning (which fails a test here).
    gc.collect()
    ours, theirs = socket.socketpair()
    destroyed_on: list[str] = []
    try:
        NotifierInACycle(ours.fileno(), destroyed_on)
        _allocate_elsewhere()
        assert destroyed_on == []
        kept: list[list[int]] = [[] for _ in range(gc.get_threshold()[0] * 2)]
        qtbot.waitUntil(lambda: destroyed_on != [], timeout=WAIT_MS)
        assert destroyed_on == [threading.main_thread().name]
        del kept
    finally:
        ours.close()
        theirs.close()


def _generation_collections() -> list[int]:
    return [stats["collections"] for stats in gc.get_stats()]


def test_the_oldest_generation_is_collected_at_most_every_minute() -> None:
    # A full collection walks every object: at most one a minute, the middle generation the other times.
    start = 1_000_000.0
    gc.collect()
    for made, now, generation in ((0, start, 2), (1, start + 1, 1), (2, start + FULL_COLLECTION_EVERY_S, 2)):
        while gc.get_count()[2] <= gc.get_threshold()[2]:
            gc.collect(1)  # what the timer does between full collections: each counts toward the oldest
        before = _generation_collections()
        collect_if_due(now)
        after = _generation_collections()
        assert [b - a for a, b in zip(before, after, strict=True)] == [1 if g == generation else 0 for g in range(3)], \
            f"look {made}: expected generation {generation}"
