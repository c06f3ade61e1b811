"""The server window's Files tab: every file shared on the server, and Delete.

``FilesPanel`` is the table and its button, and says with a signal what the operator asked for; ``FilesTab`` puts
the panel in the window's tabs and carries the requests out with the engine (``ChatServer.files()``,
``delete_file``), refreshing the table when the engine says its files changed (``file_shared``, ``files_changed``).
Deleting asks first (``FileQuestions.delete``, which tests replace); a deleted file's row stays, greyed, as expired,
and members' cards of it say it expired.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QItemSelection, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chat_gui.server_window.event_log import EventKind
from chat_gui.server_window.files_model import FileColumn, FileTableModel, SharedFileSummary
from chat_gui.server_window.panels import titled_panel
from chat_gui.widgets import file_size_text
from chat_server.core import ChatServer


class FileQuestions:
    """The operator's answers (tests replace these classmethods)."""

    @classmethod
    def delete(cls, parent: QWidget, name: str, size: str) -> bool:
        title = QCoreApplication.translate("FileQuestions", "Delete file")
        question = QCoreApplication.translate(
            "FileQuestions", "Delete {name} ({size}) from the server? Members can no longer download it; their "
                             "cards of it say it expired. This cannot be undone.").format(name=name, size=size)
        answer = QMessageBox.question(parent, title, question, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes


class FilesPanel(QWidget):
    """The files table with Delete."""

    delete_requested = Signal(str)  # the file's id

    def __init__(self, model: FileTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setObjectName("files_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FileColumn.NAME, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        for column, sample in ((FileColumn.SIZE, "999.9 MB"), (FileColumn.SENDER, "m" * 10),
                               (FileColumn.CONVERSATION, "m" * 14), (FileColumn.TIME, "2026-11-26 14:03:27"),
                               (FileColumn.DOWNLOADS, str(model.headerData(FileColumn.DOWNLOADS,
                                                                           Qt.Orientation.Horizontal)))):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 30)
        self.table.setAccessibleName(self.tr("Files"))
        self.table.setAccessibleDescription(self.tr("One row per file shared; select one to delete it"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setObjectName("file_delete_button")
        self.delete_button.setToolTip(self.tr("Delete the selected file from the server (asks first)"))
        body = QWidget()
        beside = QHBoxLayout(body)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.addWidget(self.table, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        beside.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(titled_panel(self.tr("Files"), body, []))
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.update_buttons()

    def selected_file(self) -> SharedFileSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self._model.file_at(rows[0].row()) if rows else None

    def select_file(self, file_id: str) -> bool:
        row = self._model.row_of(file_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def update_buttons(self) -> None:
        selected = self.selected_file()
        self.delete_button.setEnabled(selected is not None and not selected.expired)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.update_buttons()

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        selected = self.selected_file()
        if selected is not None and not selected.expired and FileQuestions.delete(
                self, selected.name, file_size_text(selected.size)):
            self.delete_requested.emit(selected.id)


class FilesTab(QObject):
    """The Files tab in the window's tabs, kept up to date with the engine's files."""

    def __init__(self, server: ChatServer, tabs: QTabWidget, report: Callable[[EventKind, str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = server
        self._report = report
        self.model = FileTableModel(self)
        self.panel = FilesPanel(self.model)
        tabs.addTab(self.panel, self.tr("Files"))
        server.file_shared.connect(self._on_server_files_changed)
        server.files_changed.connect(self._on_server_files_changed)
        self.panel.delete_requested.connect(self._on_panel_delete_requested)
        self.refresh()

    def refresh(self) -> None:
        self.model.update(self._server.files())
        self.panel.update_buttons()

    @Slot()
    @Slot(object)
    def _on_server_files_changed(self, _row: object = None) -> None:
        self.refresh()

    @Slot(str)
    def _on_panel_delete_requested(self, file_id: str) -> None:
        shown = self.model.file_at(self.model.row_of(file_id) or 0)
        name = shown.name if shown is not None and shown.id == file_id else file_id
        if self._server.delete_file(file_id):
            self._report(EventKind.SERVER, self.tr("{name} deleted by the operator").format(name=name))
        else:
            self._report(EventKind.ERROR, self.tr("{name} could not be deleted: it is no longer on the server").format(
                name=name))
        self.refresh()
