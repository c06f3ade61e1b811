"""Assembles windows for main.py: the server window, client windows, or both at once."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from chat_gui.client import ServerBrowser, default_transfers_folder
from chat_gui.client_window import ClientWindow
from chat_gui.i18n import chosen_locale, install_translators
from chat_gui.server_window import ServerWindow
from chat_gui.widgets import available_area, show_within_screen, tile_windows
from chat_server.assembly import ServerAdvertising, open_server
from chat_server.core import ChatServer
from chat_server.net import SignalWatcher, TlsError, collect_on_main_thread
from chat_server.protocol import is_all_interfaces
from chat_server.settings import ServerSettings
from chat_server.store import StoreError
from resources import APP_ICON, APP_ID, icon

log = logging.getLogger(__name__)

APP_DISPLAY_NAME = "LAN Chat"
"""The application's name as people see it: the desktop file's Name (its name for files and settings stays
command_line.APP_NAME). Not given to QGuiApplication.setApplicationDisplayName: Qt appends that to every window
title that does not end with it ("LAN Chat — Client01 — LAN Chat" on X11), and the titles say it already."""


def _application(language: str | None = None) -> QApplication:
    """The application, speaking ``language`` (--lang's code; None: the system's)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    name_application(app)
    install_translators(chosen_locale(language), app)
    collect_on_main_thread(app)  # never on zeroconf's threads (chat_server/net/main_thread_gc.py)
    return app


def name_application(app: QApplication) -> None:
    """How a desktop shows the application: its icon (the windows add a badge to it), and the desktop file,
    lanchat.desktop, whose menu entry (and name) its windows are grouped under."""
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(icon(APP_ICON))


def _close_windows(app: QApplication) -> None:
    """Close every window as its close button would. (QApplication.closeAllWindows stops at the
    first window that defers its close, as the server window does until its members have had
    their goodbye.)"""
    for window in [w for w in app.topLevelWidgets() if w.isVisible()]:
        window.close()


def _quit_if_no_window_is_left(app: QApplication) -> None:
    """A client window that waited for its goodbye closes while hidden, and Qt only quits when a visible
    window closes: so when a client window has closed for real, quit if nothing else is open."""
    if not any(window.isVisible() for window in app.topLevelWidgets()):
        app.quit()


def _exec(app: QApplication) -> int:
    """Run until the last window closes; Ctrl+C or SIGTERM closes the windows, as the close button does."""
    for window in app.topLevelWidgets():
        if isinstance(window, ClientWindow):
            # Queued: the window is hidden only once its close event has been accepted.
            window.closed.connect(lambda: QTimer.singleShot(0, app, lambda: _quit_if_no_window_is_left(app)))
    watcher = SignalWatcher(lambda _sig: _close_windows(app))
    try:
        return app.exec()
    finally:
        watcher.close()


def _show_tiled(windows: list[QWidget]) -> None:
    """Show ``windows``, then share the screen among them (a lone one stays where it opened, made to fit)."""
    for window in windows:
        window.show()
    tile_windows(windows)  # once shown: each frame's size is known
    for window in windows:
        _log_placement(window)


def _log_placement(window: QWidget) -> None:
    """Where a window opened, for a report of one that opened off the screen."""
    frame, area = window.frameGeometry(), available_area(window)
    log.debug("%s opens at %d,%d %dx%d in the screen's available %d,%d %dx%d", type(window).__name__,
              frame.x(), frame.y(), frame.width(), frame.height(), area.x(), area.y(), area.width(), area.height())


def _start_server(settings: ServerSettings, explicit: bool,
                  fallback_to_free_port: bool) -> tuple[ChatServer, ServerWindow, ServerAdvertising] | None:
    try:
        server = open_server(settings)
    except (StoreError, TlsError) as exc:
        log.error("%s", exc)
        print(f"error: {exc}", file=sys.stderr)
        return None
    advertising = ServerAdvertising(server, server)  # announced on the LAN while it listens (issue 19)
    window = ServerWindow(server)
    if explicit:
        window.set_listen_options(settings.host, settings.port, settings.max_clients)
    show_within_screen(window)
    _log_placement(window)
    if not window.start() and fallback_to_free_port:
        # Another server (or program) has the port: a new user still gets a working chat.
        window.set_listen_options(settings.host, 0, settings.max_clients)
        window.start()
    return server, window, advertising


def run_server_window(settings: ServerSettings, explicit: bool, language: str | None = None) -> int:
    """``main.py server``: the server window, listening at once (with the options given, if any)."""
    app = _application(language)
    started = _start_server(settings, explicit, fallback_to_free_port=False)
    if started is None:
        return 1
    server, _window, advertising = started
    code = _exec(app)
    advertising.close()  # waits for the goodbye packets, sent when the server stopped listening
    server.close()
    return code


def run_clients(host: str, port: int, name: str | None, count: int = 1, tls: bool = False,
                password: str = "", language: str | None = None) -> int:
    """``main.py client``: client windows, each connecting at once (a window asks for a password it needs)."""
    app = _application(language)
    windows = [ClientWindow(browser=ServerBrowser()) for _ in range(count)]
    for window in windows:  # a transfer not done when the application quits resumes at its next start
        window.client.transfers_folder = default_transfers_folder()
    _show_tiled(list(windows))
    for index, window in enumerate(windows):
        window.connect_to(host, port, name if index == 0 else None, tls=tls, password=password or None)
    return _exec(app)


def run_demo(settings: ServerSettings, clients: int, fallback_to_free_port: bool = True,
             language: str | None = None) -> int:
    """``main.py`` and ``main.py demo``: the server window and ``clients`` client windows connected to it
    (on a free port if ``settings.port`` is taken and ``fallback_to_free_port``)."""
    app = _application(language)
    # More clients than the limit would only show refusals: the demo raises the limit if needed.
    if settings.max_clients and clients > settings.max_clients:
        settings = replace(settings, max_clients=clients)
    started = _start_server(settings, explicit=True, fallback_to_free_port=fallback_to_free_port)
    if started is None:
        return 1
    server, server_window, advertising = started
    windows = [ClientWindow(browser=ServerBrowser()) for _ in range(clients)]
    for window in windows:
        window.client.transfers_folder = default_transfers_folder()
    if server.is_listening:
        _show_tiled([server_window, *windows])  # side by side, or in a grid: none off the screen
        for window in windows:
            host = "127.0.0.1" if is_all_interfaces(server.server_host) else server.server_host
            if server.tls:  # its own server, in this process: nothing to ask the user about
                window.client.known_servers.remember(host, server.server_port, server.tls_fingerprint)
            window.connect_to(host, server.server_port, tls=server.tls, password=server.settings.password or None)
    code = _exec(app)
    advertising.close()
    server.close()
    return code

