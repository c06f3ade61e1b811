"""The server without a window: the engine under QCoreApplication, logging, clean stop on signals."""

from __future__ import annotations

import logging
import signal
import socket
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSocketNotifier

from chat_server.assembly import open_server
from chat_server.net.tls import TlsError
from chat_server.protocol import host_port, is_all_interfaces
from chat_server.settings import ServerSettings
from chat_server.store import StoreError

log = logging.getLogger("chat_server")

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


def run_headless(settings: ServerSettings) -> int:
    """Serve until SIGINT or SIGTERM; 0 after a clean stop, 1 if listening failed."""
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    try:
        server = open_server(settings)
    except (StoreError, TlsError) as exc:
        log.error("%s", exc)
        return 1
    log.info("history and sessions in %s", settings.db_path)
    if not server.listen():
        server.close()
        return 1

    def on_signal(sig: signal.Signals) -> None:
        log.info("%s received: telling %d member(s) and stopping", sig.name, server.online_count)
        try:
            server.stop()
        except Exception:  # a signal must stop the server, whatever state it is in
            log.exception("unexpected error while stopping: quitting at once")
            app.quit()

    # Before the port line: a script that reads it and at once sends SIGTERM must get a clean stop.
    watcher = SignalWatcher(on_signal)
    # The port line is printed even at --log-level warning: scripts and tests read it.
    print(f"Listening on {host_port(server.server_host, server.server_port)}", flush=True)
    if server.tls:
        print(f"TLS certificate SHA-256 fingerprint: {server.tls_fingerprint}", flush=True)
    if server.has_password:
        log.info("clients must give the password before they join")
    if is_all_interfaces(server.server_host) and not server.tls:
        log.warning("listening on all interfaces without TLS: anyone on the network can read the chat "
                    "(--tls encrypts it)")

    server.stopped.connect(app.quit)
    app.exec()
    watcher.close()
    server.close()
    log.info("stopped")
    return 0
