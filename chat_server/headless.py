"""The server without a window: the engine under QCoreApplication, logging, clean stop on signals."""

from __future__ import annotations

import logging
import signal
import sys

from PySide6.QtCore import QCoreApplication

from chat_server.assembly import ServerAdvertising, open_server
from chat_server.net import SignalWatcher, TlsError, collect_on_main_thread
from chat_server.protocol import host_port, is_all_interfaces
from chat_server.settings import ServerSettings
from chat_server.store import StoreError

log = logging.getLogger("chat_server")


def run_headless(settings: ServerSettings) -> int:
    """Serve until SIGINT or SIGTERM; 0 after a clean stop, 1 if listening failed."""
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    collect_on_main_thread(app)  # never on the announcer's threads (chat_server/net/main_thread_gc.py)
    try:
        server = open_server(settings)
    except (StoreError, TlsError) as exc:
        log.error("%s", exc)
        return 1
    log.info("history and sessions in %s", settings.db_path)
    advertising = ServerAdvertising(server)  # announced on the LAN once it listens (issue 19)
    if not server.listen():
        advertising.close()
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
    advertising.close()  # the goodbye packets, sent when the server stopped listening: waits for them to be out
    server.close()
    log.info("stopped")
    return 0
