"""The Status dialog: the server's connection cache in a sortable table, refreshed on request."""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chat_server.protocol import SessionInfo, StatusReport, clock, online_phrase

COLUMNS = ("Name", "Address", "Connected at", "Disconnected at", "State", "Messages")
SortRole = Qt.ItemDataRole.UserRole + 1
"""The role that gives each cell's value for sorting (times as numbers, not text)."""


class StatusTableModel(QAbstractTableModel):
    """A read-only table over the sessions of one status report."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.report: StatusReport | None = None
        self._sessions: tuple[SessionInfo, ...] = ()

    def set_report(self, report: StatusReport) -> None:
        self.beginResetModel()
        self.report = report
        self._sessions = report.sessions
        self.endResetModel()

    def session(self, row: int) -> SessionInfo:
        return self._sessions[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sessions)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._sessions):
            return None
        session, column = self._sessions[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                session.name or "-", session.address, clock(session.connected_at),
                clock(session.disconnected_at), session.state, str(session.messages),
            )[column]
        if role == SortRole:
            return (
                session.name.casefold(), (session.host, session.port), session.connected_at,
                math.inf if session.disconnected_at is None else session.disconnected_at,
                session.state, session.messages,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == len(COLUMNS) - 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _SortProxy(QSortFilterProxyModel):
    """Sorts by SortRole values, which may be numbers, strings or tuples."""

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = left.data(SortRole), right.data(SortRole)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


class StatusDialog(QDialog):
    """Shows a status report; Refresh asks the window for a new one (``refresh_requested``)."""

    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Server status")
        self.setModal(False)
        self.model = StatusTableModel(self)
        self.proxy = _SortProxy(self)
        self.proxy.setSourceModel(self.model)

        self.summary = QLabel("Asking the server…")
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index("Connected at"), Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.refresh_button = QPushButton("&Refresh")
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 300)

    def show_report(self, report: StatusReport) -> None:
        self.model.set_report(report)
        sessions = len(report.sessions)
        self.summary.setText(
            f"{online_phrase(report.online, report.max_clients)} · {sessions} "
            f"connection{'s' if sessions != 1 else ''} since the server started at {clock(report.started_at)}"
        )
        self.refresh_button.setEnabled(True)

    def rows(self) -> list[tuple[str, ...]]:
        """The table as shown (sorted), one tuple of cell texts per row."""
        return [
            tuple(str(self.proxy.index(row, column).data()) for column in range(len(COLUMNS)))
            for row in range(self.proxy.rowCount())
        ]

    def set_offline(self) -> None:
        """The connection is gone: the table stays, but cannot be refreshed."""
        self.refresh_button.setEnabled(False)

    @Slot()
    def _on_refresh_button_clicked(self) -> None:
        self.refresh_requested.emit()
