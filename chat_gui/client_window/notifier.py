"""Desktop notifications for a window that is not in front: a tray balloon where the platform has one, and the
tray icon's badge while any chat window has unread messages."""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from resources import TRAY_ICON, TRAY_UNREAD_ICON, tray_icon

NOTIFICATION_MS = 5000
"""How long a notification stays up."""

_TRAY_OBJECT_NAME = "chat_gui_tray_icon"


def _shared_tray() -> QSystemTrayIcon | None:
    """One tray icon per application, however many chat windows it has; None without a tray."""
    app = QCoreApplication.instance()
    if not isinstance(app, QApplication) or not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = app.findChild(QSystemTrayIcon, _TRAY_OBJECT_NAME)
    if tray is None:
        tray = QSystemTrayIcon(app)
        tray.setObjectName(_TRAY_OBJECT_NAME)
        _show_unread(tray)
        tray.show()
    return tray


_NOTIFIERS: weakref.WeakSet[Notifier] = weakref.WeakSet()
"""Every window's notifier: the tray, shared, sums their unread counts."""


def unread_in_all_windows() -> int:
    """Unread messages in all the application's open chat windows together (a closed window's wait for no one)."""
    return sum(notifier.unread for notifier in list(_NOTIFIERS) if _window_is_open(notifier))


def _window_is_open(notifier: Notifier) -> bool:
    window = notifier.parent() if shiboken6.isValid(notifier) else None
    return isinstance(window, QWidget) and window.isVisible()


def tray_icon_name() -> str:
    """The tray's icon: the bubble, with a badge while any window has unread messages."""
    return TRAY_UNREAD_ICON if unread_in_all_windows() else TRAY_ICON


def tray_tool_tip() -> str:
    unread = unread_in_all_windows()
    if not unread:
        return QCoreApplication.translate("Notifier", "LAN Chat")
    return QCoreApplication.translate("Notifier", "LAN Chat: %n unread", "", unread)


def _show_unread(tray: QSystemTrayIcon) -> None:
    tray.setIcon(tray_icon(unread=bool(unread_in_all_windows())))
    tray.setToolTip(tray_tool_tip())


class Notifier(QObject):
    """Raises notifications; ``notified`` reports each one (shown in the tray or not)."""

    notified = Signal(str, str)  # title, text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.count = 0
        self.unread = 0  # the window's unread messages, as its title shows them
        _NOTIFIERS.add(self)

    @property
    def has_tray(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def notify(self, title: str, text: str, icon: QIcon | None = None) -> None:
        self.count += 1
        tray = _shared_tray()
        if tray is not None and QSystemTrayIcon.supportsMessages():
            if icon is not None and not icon.isNull():
                tray.showMessage(title, text, icon, NOTIFICATION_MS)
            else:
                tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, NOTIFICATION_MS)
        self.notified.emit(title, text)

    def set_unread(self, count: int) -> None:
        """The window's unread messages changed: the tray's badge shows while any window has some."""
        if count == self.unread:
            return
        self.unread = count
        app = QCoreApplication.instance()
        tray = app.findChild(QSystemTrayIcon, _TRAY_OBJECT_NAME) if app is not None else None
        if isinstance(tray, QSystemTrayIcon):
            _show_unread(tray)
