"""A window's keyboard shortcuts, made from one table, and the Help → Keyboard shortcuts dialog that lists it.

Each shortcut is a QAction the table makes (or adopts) on the window, so the dialog lists exactly the keys
that work: it cannot go stale. Keys a widget handles itself (Enter in a text field) are noted in the same
table, for the list only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

Keys = str | QKeySequence | QKeySequence.StandardKey


@dataclass(frozen=True, slots=True)
class Shortcut:
    """Keys (as the platform writes them) and what they do."""

    keys: tuple[str, ...]
    what: str


def _sequences(keys: Sequence[Keys]) -> list[QKeySequence]:
    found: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            found.extend(QKeySequence.keyBindings(key))
        else:
            found.append(QKeySequence(key))
    return [sequence for sequence in found if not sequence.isEmpty()]


class ShortcutTable(QObject):
    """The shortcuts of one window, in the order they are listed."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._rows: list[tuple[QAction | None, tuple[str, ...], str]] = []

    def add(self, keys: Sequence[Keys], what: str, slot: Callable[[], object]) -> QAction:
        """A shortcut anywhere in the window: ``keys`` do ``slot``; ``what`` says what, for the list."""
        action = QAction(what, self._window)
        action.setShortcuts(_sequences(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return self.adopt(action, what)

    def adopt(self, action: QAction, what: str) -> QAction:
        """List an action the window made itself (with its own shortcuts), and make its keys work window-wide."""
        if action not in self._window.actions():
            self._window.addAction(action)
        self._rows.append((action, (), what))
        return action

    def note(self, keys: Sequence[Keys], what: str) -> None:
        """Keys a widget handles itself, listed only (``what`` says where they work)."""
        self._rows.append((None, tuple(sequence.toString(QKeySequence.SequenceFormat.NativeText)
                                      for sequence in _sequences(keys)), what))

    def shortcuts(self) -> list[Shortcut]:
        """Every row, the keys as they work now (an action's shortcuts are read when asked)."""
        rows = []
        for action, keys, what in self._rows:
            if action is not None:
                keys = tuple(sequence.toString(QKeySequence.SequenceFormat.NativeText)
                             for sequence in action.shortcuts())
            rows.append(Shortcut(keys, what))
        return rows


class ShortcutsDialog(QDialog):
    """Lists a window's shortcuts: keys on the left, what they do on the right."""

    def __init__(self, table: ShortcutTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        shortcuts = table.shortcuts()
        self.table = QTableWidget(len(shortcuts), 2)
        self.table.setObjectName("shortcuts_table")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, shortcut in enumerate(shortcuts):
            self.table.setItem(row, 0, QTableWidgetItem(", ".join(shortcut.keys)))
            self.table.setItem(row, 1, QTableWidgetItem(shortcut.what))
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()  # room for the keys and a sentence, in the font's own units
        self.resize(metrics.averageCharWidth() * 80, metrics.lineSpacing() * (len(shortcuts) + 6))
        # ... or more, where a translation's sentences are longer or the rows taller: every row shown in full
        frame = 2 * self.table.frameWidth()
        wide = sum(max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column)) for column in (0, 1))
        tall = header.sizeHint().height() + self.table.verticalHeader().length()
        margins = layout.contentsMargins()
        self.resize(max(self.width(), wide + frame + margins.left() + margins.right()),
                    max(self.height(), tall + frame + layout.spacing() + buttons.sizeHint().height()
                        + margins.top() + margins.bottom()))

    def rows(self) -> list[tuple[str, str]]:
        """The list as shown: (keys, what they do)."""
        return [(self._text(row, 0), self._text(row, 1)) for row in range(self.table.rowCount())]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""


def add_help_menu(window: QMainWindow, table: ShortcutTable) -> QAction:
    """A Help menu with Keyboard shortcuts (F1), itself in the table; the action that opens the list."""
    menu: QMenu = window.menuBar().addMenu(QCoreApplication.translate("ShortcutTable", "&Help"))
    action = QAction(QCoreApplication.translate("ShortcutTable", "&Keyboard shortcuts"), window)
    action.setObjectName("shortcuts_action")
    action.setShortcut(QKeySequence("F1"))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: show_shortcuts(window, table))
    menu.addAction(action)
    table.adopt(action, QCoreApplication.translate("ShortcutTable", "List the keyboard shortcuts"))
    return action


def show_shortcuts(window: QWidget, table: ShortcutTable) -> ShortcutsDialog:
    """Open the list (non-modal, so it can stay open beside the window while the keys are tried)."""
    dialog = window.findChild(ShortcutsDialog)
    if dialog is None:
        dialog = ShortcutsDialog(table, window)
    dialog.show()
    dialog.raise_()
    return dialog
