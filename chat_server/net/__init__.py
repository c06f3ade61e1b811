"""The server's I/O: the reactor, transports (plain and TLS), the listener, connections and the watchdog.

The public API is ``__all__``: what the windows and the client need of it (the engine uses the modules).
"""

from chat_server.net.listen_failure import ListenFailure, ListenProblem
from chat_server.net.main_thread_gc import collect_on_main_thread
from chat_server.net.stop_signals import STOP_SIGNALS, SignalWatcher
from chat_server.net.tls import TlsError, fingerprint

__all__ = [
    "STOP_SIGNALS", "ListenFailure", "ListenProblem", "SignalWatcher", "TlsError", "collect_on_main_thread",
    "fingerprint",
]
