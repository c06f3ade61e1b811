"""What the server window remembers between runs, read from and written to QSettings in one place.

Values from the file are checked (a hand-edited or corrupt entry falls back to the default),
so a bad settings file never stops the window from opening.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from chat_gui.server_window.event_log import DEFAULT_LOG_LIMIT, MAX_LOG_LIMIT, MIN_LOG_LIMIT
from chat_gui.server_window.listen_controls import MAX_CLIENTS_LIMIT
from chat_server.protocol import server_name_problem
from chat_server.settings import ServerSettings, default_server_name


class SettingsKey:
    """Where each value lives in QSettings."""

    HOST = "server/host"
    PORT = "server/port"
    MAX_CLIENTS = "server/max_clients"
    TLS = "server/tls"
    NAME = "server/name"
    ANNOUNCE = "server/announce"
    GEOMETRY = "server_window/geometry"
    SPLITTER = "server_window/splitter"
    HEADER = "server_window/table_header"
    LOG_LIMIT = "server_window/log_limit"
    ONLINE_ONLY = "server_window/online_only"
    ALL_RUNS = "server_window/all_runs"
    EXPORT_DIR = "server_window/export_dir"


class ServerWindowSettings:
    """Typed access to the server window's remembered values."""

    def __init__(self, settings: QSettings) -> None:
        self.qsettings = settings

    # --- listening ------------------------------------------------------------------------

    def listen_options(self, defaults: ServerSettings) -> tuple[str, int, int]:
        """Host, port and max clients from the last successful start, else from ``defaults``."""
        host = self.qsettings.value(SettingsKey.HOST, defaults.host)
        return (
            host if isinstance(host, str) and host.strip() else defaults.host,
            self._int(SettingsKey.PORT, defaults.port, 0, 65535),
            self._int(SettingsKey.MAX_CLIENTS, defaults.max_clients, 0, MAX_CLIENTS_LIMIT),
        )

    def tls(self) -> bool:
        """Whether the last successful start served TLS (the password is never stored)."""
        return str(self.qsettings.value(SettingsKey.TLS, "false")).lower() == "true"

    def remember_listen_options(self, host: str, port: int, max_clients: int, tls: bool) -> None:
        self.qsettings.setValue(SettingsKey.HOST, host)
        self.qsettings.setValue(SettingsKey.PORT, port)
        self.qsettings.setValue(SettingsKey.MAX_CLIENTS, max_clients)
        self.qsettings.setValue(SettingsKey.TLS, tls)

    def announce_options(self, given: ServerSettings) -> tuple[str, bool]:
        """The name and whether to announce: ``--name`` and ``--no-advertise`` if given, else as last set here."""
        name = given.name
        if name == default_server_name():
            remembered = self.qsettings.value(SettingsKey.NAME, name)
            if isinstance(remembered, str) and server_name_problem(remembered) is None:
                name = remembered
        announce = given.advertise and str(self.qsettings.value(SettingsKey.ANNOUNCE, "true")).lower() == "true"
        return name, announce

    def remember_announce_options(self, name: str, announce: bool) -> None:
        self.qsettings.setValue(SettingsKey.NAME, name)
        self.qsettings.setValue(SettingsKey.ANNOUNCE, announce)

    # --- the window -----------------------------------------------------------------------

    def log_limit(self) -> int:
        return self._int(SettingsKey.LOG_LIMIT, DEFAULT_LOG_LIMIT, MIN_LOG_LIMIT, MAX_LOG_LIMIT)

    def online_only(self) -> bool:
        return str(self.qsettings.value(SettingsKey.ONLINE_ONLY, "false")).lower() == "true"

    def all_runs(self) -> bool:
        return str(self.qsettings.value(SettingsKey.ALL_RUNS, "false")).lower() == "true"

    def state(self, key: str) -> QByteArray | None:
        """A saved widget state (geometry, splitter, header), if there is one."""
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def export_dir(self) -> Path:
        folder = self.qsettings.value(SettingsKey.EXPORT_DIR)
        return Path(folder) if isinstance(folder, str) and folder else Path.home()

    def remember_export_dir(self, folder: Path) -> None:
        self.qsettings.setValue(SettingsKey.EXPORT_DIR, str(folder))

    def save_window(self, geometry: QByteArray, splitter: QByteArray, header: QByteArray,
                    log_limit: int, online_only: bool, all_runs: bool) -> None:
        self.qsettings.setValue(SettingsKey.GEOMETRY, geometry)
        self.qsettings.setValue(SettingsKey.SPLITTER, splitter)
        self.qsettings.setValue(SettingsKey.HEADER, header)
        self.qsettings.setValue(SettingsKey.LOG_LIMIT, log_limit)
        self.qsettings.setValue(SettingsKey.ONLINE_ONLY, online_only)
        self.qsettings.setValue(SettingsKey.ALL_RUNS, all_runs)
        self.qsettings.sync()

    def _int(self, key: str, default: int, low: int, high: int) -> int:
        try:
            value = int(str(self.qsettings.value(key, default)))
        except (TypeError, ValueError):
            return default
        return value if low <= value <= high else default
