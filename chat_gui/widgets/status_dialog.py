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

from chat_gui.widgets.session_model import Column, SessionFilterProxy, SessionListModel
from chat_server.protocol import StatusReport, clock


class StatusDialog(QDialog):
    """Shows a status report; Refresh (or the All runs box) asks the window for a new one."""

    refresh_requested = Signal(bool, int)  # all runs, page (1: the newest sessions)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Server status"))
        self.setModal(False)
        self.model = SessionListModel(self)
        self.proxy = SessionFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.report: StatusReport | None = None

        self.summary = QLabel(self.tr("Asking the server…"))
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Sessions"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.CONNECTED, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(Column.RUN, True)

        self.all_runs_check = QCheckBox(self.tr("&All runs"))
        self.all_runs_check.setToolTip(self.tr("Also list the sessions of the server's earlier runs, from its "
                                               "database"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        # A busy server sends its sessions a page at a time, the newest first.
        self.newer_button = QPushButton(self.tr("&Newer"))
        self.older_button = QPushButton(self.tr("&Older"))
        for button in (self.newer_button, self.older_button):
            button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.newer_button.clicked.connect(self._on_newer_button_clicked)
        self.older_button.clicked.connect(self._on_older_button_clicked)
        self.all_runs_check.toggled.connect(self._on_all_runs_check_toggled)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()  # the check box left of the buttons, in one row
        bottom.addWidget(self.all_runs_check)
        bottom.addWidget(self.newer_button)
        bottom.addWidget(self.older_button)
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
        sessions = max(report.total, len(report.sessions))
        connections = (self.tr("%n connection(s) in all runs kept by the server", "", sessions) if report.all_runs
                       else self.tr("%n connection(s) since the server started at {time}", "", sessions).format(
                           time=clock(report.started_at)))
        online = (self.tr("{online}/{limit} online").format(online=report.online, limit=report.max_clients)
                  if report.max_clients else self.tr("{online} online").format(online=report.online))
        shown = (self.tr(" · page {page} of {pages} (newest first)").format(page=report.page, pages=report.pages)
                 if report.pages > 1 else "")
        self.summary.setText(f"{online} · {connections}{shown}")
        self.refresh_button.setEnabled(True)
        self.newer_button.setEnabled(report.page > 1)
        self.older_button.setEnabled(report.page < report.pages)

    def set_waiting(self) -> None:
        """A report was asked for: no second request until it comes."""
        for button in (self.refresh_button, self.newer_button, self.older_button):
            button.setEnabled(False)

    @property
    def page(self) -> int:
        return self.report.page if self.report is not None else 1

    def rows(self) -> list[tuple[str, ...]]:
        """The table as shown (sorted, visible columns), one tuple of cell texts per row."""
        columns = [column for column in Column if not self.table.isColumnHidden(column)]
        return [
            tuple(str(self.proxy.index(row, column).data()) for column in columns)
            for row in range(self.proxy.rowCount())
        ]

    def set_offline(self) -> None:
        """The connection is gone: the table stays, but cannot be refreshed."""
        self.set_waiting()

    @Slot()
    def _on_refresh_button_clicked(self) -> None:
        self.refresh_requested.emit(self.all_runs, self.page)

    @Slot()
    def _on_newer_button_clicked(self) -> None:
        self.refresh_requested.emit(self.all_runs, self.page - 1)

    @Slot()
    def _on_older_button_clicked(self) -> None:
        self.refresh_requested.emit(self.all_runs, self.page + 1)

    @Slot(bool)
    def _on_all_runs_check_toggled(self, checked: bool) -> None:
        if self.refresh_button.isEnabled():
            self.refresh_requested.emit(checked, 1)
