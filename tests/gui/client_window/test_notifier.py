"""Desktop notifications: what happens on the offscreen platform (no system tray), and what a tray would be
asked to show (a tray stand-in that records the calls: no platform here has a real one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from chat_gui.client_window import notifier as notifier_module
from chat_gui.client_window.notifier import NOTIFICATION_MS, Notifier


def _trays() -> list[QSystemTrayIcon]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app.findChildren(QSystemTrayIcon)


def test_without_a_tray_a_notification_is_counted_and_reported_only(qtbot: QtBot) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # the offscreen platform has none
    notifier = Notifier()
    assert not notifier.has_tray
    with qtbot.waitSignal(notifier.notified, timeout=1000) as notified:
        notifier.notify("Alice (to Bob)", "Are you there?")
    assert notified.args == ["Alice (to Bob)", "Are you there?"]
    assert notifier.count == 1
    assert _trays() == []  # no tray icon made where there is no tray


class RecordingTray(QSystemTrayIcon):
    """A tray icon that records what it is asked to show instead of asking the platform."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[object, ...]] = []

    def showMessage(self, *args: object) -> None:
        self.shown.append(args)


@pytest.fixture
def tray(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingTray]:
    tray = RecordingTray()
    monkeypatch.setattr(notifier_module, "_shared_tray", lambda: tray)
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    yield tray
    tray.deleteLater()


def test_with_a_tray_the_notification_is_a_balloon_with_the_information_icon(qtbot: QtBot,
                                                                           tray: RecordingTray) -> None:
    notifier = Notifier()
    with qtbot.waitSignal(notifier.notified, timeout=1000) as notified:
        notifier.notify("Alice (to Bob)", "Are you there?")
    assert tray.shown == [("Alice (to Bob)", "Are you there?", QSystemTrayIcon.MessageIcon.Information,
                           NOTIFICATION_MS)]
    assert notified.args == ["Alice (to Bob)", "Are you there?"] and notifier.count == 1
    assert NOTIFICATION_MS == 5000


def test_with_a_tray_a_given_icon_is_shown_and_a_null_one_is_not(qtbot: QtBot, tray: RecordingTray) -> None:
    notifier = Notifier()
    pixmap = QPixmap(16, 16)
    pixmap.fill()
    icon = QIcon(pixmap)
    notifier.notify("Server", "Restart at six", icon)
    notifier.notify("Server", "No icon", QIcon())
    assert tray.shown == [("Server", "Restart at six", icon, NOTIFICATION_MS),
                          ("Server", "No icon", QSystemTrayIcon.MessageIcon.Information, NOTIFICATION_MS)]
    assert notifier.count == 2


def test_a_tray_that_cannot_show_messages_is_not_asked_to(qtbot: QtBot, tray: RecordingTray,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: False))
    notifier = Notifier()
    with qtbot.waitSignal(notifier.notified, timeout=1000):
        notifier.notify("Alice", "hi")
    assert tray.shown == [] and notifier.count == 1


# Qt's tray code looks for the platform's tray window, which the offscreen platform does not have.
@pytest.mark.qt_log_ignore("systemTrayWindowChanged")
def test_where_a_tray_exists_one_icon_is_made_per_application(qtbot: QtBot,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    first = notifier_module._shared_tray()
    try:
        assert first is not None
        assert first.objectName() == "chat_gui_tray_icon" and first.toolTip() == "LAN Chat"
        assert not first.icon().isNull()
        assert notifier_module._shared_tray() is first  # shared by every window
        assert _trays() == [first]
    finally:
        if first is not None:
            first.setParent(None)
            first.deleteLater()
