"""The Status dialog: the server's connection cache in a sortable table, refreshed on request.

It shows the sessions the way the server window does (the same model and columns), for
this run of the server or, with "All runs", for every run kept in its database.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chat_gui.session_model import Column, SessionFilterProxy, SessionListModel
from chat_server.protocol import StatusReport, clock, online_phrase


class StatusDialog(QDialog):
    """Shows a status report; Refresh (or the All runs box) asks the window for a new one."""

    refresh_requested = Signal(bool)  # all runs

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Server status")
        self.setModal(False)
        self.model = SessionListModel(self)
        self.proxy = SessionFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.report: StatusReport | None = None

        self.summary = QLabel("Asking the server…")
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.CONNECTED, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(Column.RUN, True)

        self.all_runs_check = QCheckBox("&All runs")
        self.all_runs_check.setToolTip("Also list the sessions of the server's earlier runs, from its database")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.refresh_button = QPushButton("&Refresh")
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.all_runs_check.toggled.connect(self._on_all_runs_check_toggled)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()  # the check box left of the buttons, in one row
        bottom.addWidget(self.all_runs_check)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(760, 320)

    @property
    def all_runs(self) -> bool:
        return self.all_runs_check.isChecked()

    def show_report(self, report: StatusReport) -> None:
        self.report = report
        self.model.set_sessions(report.sessions)
        self.table.setColumnHidden(Column.RUN, not report.all_runs)
        sessions = len(report.sessions)
        plural = "s" if sessions != 1 else ""
        where = ("in all runs kept by the server" if report.all_runs
                 else f"since the server started at {clock(report.started_at)}")
        online = online_phrase(report.online, report.max_clients)
        self.summary.setText(f"{online} · {sessions} connection{plural} {where}")
        self.refresh_button.setEnabled(True)

    def rows(self) -> list[tuple[str, ...]]:
        """The table as shown (sorted, visible columns), one tuple of cell texts per row."""
        columns = [column for column in Column if not self.table.isColumnHidden(column)]
        return [
            tuple(str(self.proxy.index(row, column).data()) for column in columns)
            for row in range(self.proxy.rowCount())
        ]

    def set_offline(self) -> None:
        """The connection is gone: the table stays, but cannot be refreshed."""
        self.refresh_button.setEnabled(False)

    @Slot()
    def _on_refresh_button_clicked(self) -> None:
        self.refresh_requested.emit(self.all_runs)

    @Slot(bool)
    def _on_all_runs_check_toggled(self, checked: bool) -> None:
        if self.refresh_button.isEnabled():
            self.refresh_requested.emit(checked)
