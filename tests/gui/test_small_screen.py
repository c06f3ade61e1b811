"""Both windows on a 1024x768 screen and with 150 % text: every control inside its window, none over another,
no label cut short (issue 20). Offscreen: the windows are given the geometry a 1024x768 screen would allow.

With LANCHAT_SMALL_SCREENSHOTS=folder, the windows are saved there as pictures to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from chat_gui.client_window.window import ClientWindow
from chat_gui.server_window.window import ServerWindow
from chat_gui.widgets import ElidedLabel, tile_windows
from tests.conftest import WAIT_MS
from tests.gui.accessibility import interactive_widgets
from tests.gui.translations import language

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

SCREEN = QRect(0, 0, 1024, 768)
LARGE_TEXT = 1.5
SMALLEST_TEXT = 0.8
"""No widget's text is smaller than this share of the application's (fonts are made relative to it)."""


def placed(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def layout_problems(window: QMainWindow, status_bar: bool = True) -> list[str]:
    """Controls and labels shown outside the window or over one another, and labels narrower than their text
    (``status_bar``: the status bar's labels too)."""
    shown = [widget for widget in [*interactive_widgets(window), *window.findChildren(QLabel)]
             if widget.isVisible() and widget.window() is window
             and (status_bar or not window.statusBar().isAncestorOf(widget))]
    problems = []
    inside = window.rect()
    for widget in shown:
        name = widget.objectName() or widget.accessibleName() or type(widget).__name__
        if not inside.contains(placed(window, widget)):
            problems.append(f"{name} is not inside the window: {placed(window, widget)} in {inside}")
        if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            hint = widget.minimumSizeHint()
            if widget.width() < hint.width() or widget.height() < hint.height():
                problems.append(f"label {widget.text()!r} is cut short: {widget.size()} < {hint}")
    for i, first in enumerate(shown):
        for second in shown[i + 1:]:
            if first.isAncestorOf(second) or second.isAncestorOf(first):
                continue
            if placed(window, first).intersects(placed(window, second)):
                problems.append(f"{first.objectName() or type(first).__name__} and "
                                f"{second.objectName() or type(second).__name__} overlap")
    return problems


def small_fonts(window: QWidget) -> list[str]:
    """The widgets whose text does not grow with the application's font (a fixed size of their own)."""
    least = QApplication.font().pointSizeF() * SMALLEST_TEXT
    return [f"{widget.objectName() or type(widget).__name__}: {widget.font().pointSizeF()} pt"
            for widget in window.findChildren(QWidget)
            if widget.isVisible() and 0 < widget.font().pointSizeF() < least]


def save(window: QWidget, name: str) -> None:
    folder = os.environ.get("LANCHAT_SMALL_SCREENSHOTS")
    if folder:
        window.grab().save(str(Path(folder) / name))


def save_screen(windows: list[QWidget], name: str) -> None:
    """The screen as it looks with ``windows`` where they are (the rest of it dark grey)."""
    folder = os.environ.get("LANCHAT_SMALL_SCREENSHOTS")
    if not folder:
        return
    screen = QPixmap(SCREEN.size())
    screen.fill(QColor("#3c3f44"))
    painter = QPainter(screen)
    for window in windows:
        painter.drawPixmap(window.geometry().topLeft(), window.grab())
    painter.end()
    screen.save(str(Path(folder) / name))


@pytest.fixture
def large_text(qapp: QApplication) -> Iterator[None]:
    """The application's font at 150 %, as a desktop's text scaling sets it; restored afterwards."""
    font = qapp.font()
    bigger = qapp.font()
    bigger.setPointSizeF(font.pointSizeF() * LARGE_TEXT)
    qapp.setFont(bigger)
    yield
    qapp.setFont(font)


def open_windows(qtbot, server, make_client, tmp_path: Path) -> tuple[ServerWindow, ClientWindow]:
    """The server window with a member and a room, and a client window not yet connected (as the bare command
    and the demo have them when they share out the screen)."""
    assert server.create_room("#dev") is None
    server_window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(server_window)
    server_window.show()
    make_client(server, "bob")
    server_window.flush()
    client_window = ClientWindow(settings=QSettings(str(tmp_path / "alice.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(client_window)
    client_window.client.auto_reconnect = False
    client_window.show()
    return server_window, client_window


def connect(qtbot, server, client_window: ClientWindow) -> None:
    with qtbot.waitSignal(client_window.client.welcomed, timeout=WAIT_MS):
        client_window.connect_to("127.0.0.1", server.server_port, "alice")
    qtbot.waitUntil(lambda: client_window.members.names == ["alice", "bob"], timeout=WAIT_MS)


@pytest.mark.parametrize("code", ["en", "de"])
def test_the_server_and_a_client_window_side_by_side_on_1024x768(qtbot, server, make_client, tmp_path, code):
    """``python main.py`` on a 1024x768 screen, in English and in German (longer words): the two windows share it
    side by side, neither over the other (the server window was too wide for that, and the offline client window
    too tall for one above the other)."""
    with language(code):
        server_window, client_window = open_windows(qtbot, server, make_client, tmp_path)
        check_side_by_side(qtbot, server, server_window, client_window, code)


def check_side_by_side(qtbot, server, server_window: ServerWindow, client_window: ClientWindow, code: str) -> None:
    tile_windows([server_window, client_window], SCREEN)
    frames = [server_window.frameGeometry(), client_window.frameGeometry()]
    assert all(SCREEN.contains(frame) for frame in frames), frames
    assert not frames[0].intersects(frames[1]), frames
    assert frames[0].top() == frames[1].top() == SCREEN.top(), "side by side"
    # In German the server window's status bar line ("1/3 online · erreichbar unter 127.0.0.1:12345", then the
    # counts) is longer than its half of the screen: its first part ends with "…" and says everything in its tool
    # tip (it was cut off mid-word); nothing else gives way.
    for window in (server_window, client_window):
        qtbot.waitUntil(lambda window=window: layout_problems(window) == [])
    count = server_window.findChild(ElidedLabel, "count_label")
    assert count is not None
    if count.shown_text() != count.text():
        assert count.shown_text().endswith("…") and count.toolTip() == count.text()
    assert code == "en" or count.shown_text() != count.text(), "the German line fits now: this check can go"
    connect(qtbot, server, client_window)
    qtbot.waitUntil(lambda: layout_problems(client_window) == [])
    save_screen([server_window, client_window], f"windows-1024x768-{code}.png")


@pytest.mark.usefixtures("large_text")
def test_each_window_with_150_percent_text_on_1024x768(qtbot, server, make_client, tmp_path):
    server_window, client_window = open_windows(qtbot, server, make_client, tmp_path)
    connect(qtbot, server, client_window)
    assert server_window.font().pointSizeF() == pytest.approx(QApplication.font().pointSizeF())
    timeline = server_window.timeline  # painted, not laid out: its rows must grow with the text themselves
    assert timeline.row_height >= timeline.fontMetrics().height() + 4
    for window, name in ((server_window, "server"), (client_window, "client")):
        tile_windows([window], SCREEN)  # a lone window: made to fit the screen
        frame, inner = window.frameGeometry(), window.geometry()  # and as large as it may be: maximised
        window.setGeometry(SCREEN.adjusted(inner.left() - frame.left(), inner.top() - frame.top(),
                                           inner.right() - frame.right(), inner.bottom() - frame.bottom()))
        qtbot.waitUntil(lambda window=window: layout_problems(window) == [])
        assert SCREEN.contains(window.frameGeometry()), window.frameGeometry()
        least = window.minimumSizeHint()
        assert least.width() <= SCREEN.width() and least.height() <= SCREEN.height(), least
        assert small_fonts(window) == []
        save(window, f"{name}-150-percent.png")
    panel = client_window.connect_panel
    client_window.client.exit()
    qtbot.waitUntil(lambda: panel.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: layout_problems(client_window) == [])
    save(client_window, "client-offline-150-percent.png")
