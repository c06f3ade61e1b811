"""Desktop notifications for a window that is not in front: a tray balloon where the platform has one."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

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
        icon = app.windowIcon()
        if icon.isNull():
            icon = app.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        tray.setIcon(icon)
        tray.setToolTip("LAN Chat")
        tray.show()
    return tray


class Notifier(QObject):
    """Raises notifications; ``notified`` reports each one (shown in the tray or not)."""

    notified = Signal(str, str)  # title, text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.count = 0

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
