"""Python's cyclic garbage collector, run only on the Qt thread.

Python collects reference cycles in whichever thread happens to allocate when a generation's threshold is
passed. Our processes have other Python threads (zeroconf's, for announcing the server and for looking for
servers; the announcer's own), so a cycle holding a Qt object (a window and the lambda connected to one of its
signals, a timer and its owner) can be collected on one of them: the C++ object is then destroyed on a thread
that does not own it while the Qt thread may be using it, and the process crashes (a segmentation fault seen in
the test suite, the main thread in ``processEvents`` while zeroconf's thread was running).

``MainThreadCollector`` switches automatic collection off and does the same work from a timer on the Qt
thread: every ``CHECK_INTERVAL_MS`` it looks at the allocation counts and collects the generation that
automatic collection would have collected (the same thresholds; a full collection at most once a minute), so
cycles are still freed within a moment, never on another thread. Objects freed by their reference count (nearly
all of them) are not affected.
"""

from __future__ import annotations

import gc
import threading
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_INTERVAL_MS = 100
"""How often the Qt thread looks whether a collection is due (a look at three counters costs nothing)."""


FULL_COLLECTION_EVERY_S = 60.0
"""A full collection (every object) at most this often. Automatic collection skips most of them too (it waits
until a quarter of the long-lived objects are new): at 5,000 members one takes tens of milliseconds."""

_last_full = [-FULL_COLLECTION_EVERY_S]  # monotonic time of the last full collection made here


def collect_if_due(now: float | None = None) -> int:
    """Collect the generation automatic collection would collect now (none if no threshold is passed, the oldest
    at most every ``FULL_COLLECTION_EVERY_S``); the number of unreachable objects found. On the Qt thread only."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if thresholds[0] == 0:  # collection switched off by the user (gc.set_threshold(0))
        return 0
    if counts[2] > thresholds[2]:
        now = time.monotonic() if now is None else now
        if now - _last_full[0] >= FULL_COLLECTION_EVERY_S:
            _last_full[0] = now
            return gc.collect(2)
        return gc.collect(1)
    if counts[1] > thresholds[1]:
        return gc.collect(1)
    if counts[0] > thresholds[0]:
        return gc.collect(0)
    return 0


class MainThreadCollector(QObject):
    """Automatic garbage collection moved to the Qt thread while this object lives (``close`` gives it back)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("the collector must be made on the Qt (main) thread")
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(collect_if_due)
        self._timer.start()

    def close(self) -> None:
        """Stop looking and give automatic collection back (as it was)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()


def collect_on_main_thread(app: QCoreApplication) -> MainThreadCollector:
    """Install the collector for ``app`` once (a second call returns the first collector)."""
    existing = app.findChild(MainThreadCollector)
    if isinstance(existing, MainThreadCollector):
        return existing
    return MainThreadCollector(app)


__all__ = [
    "CHECK_INTERVAL_MS", "FULL_COLLECTION_EVERY_S", "MainThreadCollector", "collect_if_due", "collect_on_main_thread",
]
