"""Driving a window by keyboard in tests: make it active, press keys where the focus is, walk the Tab order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from chat_gui.widgets import ShortcutsDialog
from tests.gui.accessibility import accessible_name, unnamed


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Make ``window`` the active one: shortcuts and Tab work only there."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def press(window: QWidget, key: str) -> None:
    """Press ``key`` (as QKeySequence writes it: "Ctrl+PgDown") where the focus is, as a user would."""
    combination = QKeySequence(key)[0]  # type: ignore[index]  # PySide6 indexes it; its stubs do not say so
    QTest.keyClick(QApplication.focusWidget() or window, combination.key(), combination.keyboardModifiers())


def tab_order(qtbot: QtBot, window: QWidget, start: QWidget) -> list[str]:
    """The accessible names Tab visits from ``start`` until it comes back to it (once round the window)."""
    activate(qtbot, window)
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    visited = [accessible_name(start)]
    for _ in range(100):
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        if focus is start or focus is None:
            return visited
        visited.append(accessible_name(focus))
    raise AssertionError(f"Tab never came back to the start: {visited}")


def open_shortcuts_list(qtbot: QtBot, window: QWidget, keys: list[tuple[str, str]]) -> ShortcutsDialog:
    """Press F1 in ``window``: Help → Keyboard shortcuts opens and lists ``keys`` (keys, what), every row in view and
    every text whole, every control named; the dialog, for more checks."""
    activate(qtbot, window)
    press(window, "F1")
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.rows() == keys
    table = dialog.table
    assert not table.verticalScrollBar().isVisible()
    assert all(table.columnWidth(column) >= table.sizeHintForColumn(column) for column in (0, 1))
    assert unnamed(dialog) == []
    return dialog
