"""The server engine put together with its store: what the headless runner and the server window start.

``ServerAdvertising`` (the server announced on the LAN while it listens) is started beside it by the same callers.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from chat_server.core.advertising import ServerAdvertising
from chat_server.core.engine import ChatServer
from chat_server.settings import ServerSettings
from chat_server.store.sqlite import SqliteStore

__all__ = ["ServerAdvertising", "open_server"]


def open_server(settings: ServerSettings, parent: QObject | None = None) -> ChatServer:
    """A ChatServer over the SQLite store at ``settings.db_path``, not yet listening.

    Raises StoreError if the database cannot be used, and TlsError if the settings ask for TLS with a
    certificate that cannot be used (the store is closed again then). ``ChatServer.close`` closes the store.
    """
    store = SqliteStore(settings.db_path, settings.db_sync)
    try:
        return ChatServer(settings, store, parent)
    except BaseException:
        store.close()
        raise
