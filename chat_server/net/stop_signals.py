"""SIGINT and SIGTERM as calls on the Qt event loop, for the headless server and the windows alike."""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QSocketNotifier

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class SignalWatcher:
    """Turns SIGINT/SIGTERM into a call on the Qt event loop (Python handlers alone do not run
    while Qt waits in C++; a wake-up socket makes the loop notice at once)."""

    def __init__(self, on_signal: Callable[[signal.Signals], None]) -> None:
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._on_signal = on_signal
        signal.set_wakeup_fd(self._writer.fileno())
        for sig in STOP_SIGNALS:
            signal.signal(sig, lambda *_: None)  # the wake-up byte carries the signal number
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._on_notifier_activated)

    def _on_notifier_activated(self) -> None:
        try:
            data = self._reader.recv(64)
        except BlockingIOError:
            return
        for number in data:
            self._on_signal(signal.Signals(number))

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(-1)
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_DFL)
        self._reader.close()
        self._writer.close()
