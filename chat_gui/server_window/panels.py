"""The server window's sections: the connections (table and operator tools), the log, and its banners.

Each panel owns its widgets and says what the operator asked for with a signal; the window
decides what that means for the engine (the panels never see the ChatServer).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QItemSelection, QPoint, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chat_gui.server_window.event_log import MAX_LOG_LIMIT, MIN_LOG_LIMIT, EventLogModel, EventLogView
from chat_gui.server_window.session_table import SessionTableView
from chat_gui.widgets import Column, SessionFilterProxy

THIS_RUN, ALL_RUNS = 0, 1  # the runs combo's items


def banner(name: str, background: str, color: str, border: str) -> QLabel:
    """A hidden, word-wrapped coloured bar for an error or a warning (``name``: its object name)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"QLabel {{ background: {background}; color: {color}; border: 1px solid {border};"
                        " border-radius: 4px; padding: 6px 8px; }")
    label.hide()
    return label


def titled_panel(title: str, body: QWidget, tools: list[QWidget | int]) -> QWidget:
    """A titled section of the splitter: a bold heading with tools on the right (ints are spacing), the body below."""
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    header = QHBoxLayout()
    heading = QLabel(title)
    font = heading.font()
    font.setBold(True)
    heading.setFont(font)
    header.addWidget(heading)
    header.addStretch(1)
    for tool in tools:
        if isinstance(tool, int):
            header.addSpacing(tool)
        else:
            header.addWidget(tool)
    layout.addLayout(header)
    layout.addWidget(body, 1)
    return panel


class ConnectionsPanel(QWidget):
    """The session table with its filters (online only, this run or all runs) and Kick, notice and Export."""

    kick_requested = Signal()  # Kick, from the button or the table's context menu
    notice_requested = Signal()  # "Send a notice to this member" from the context menu
    export_requested = Signal()
    online_only_toggled = Signal(bool)
    runs_changed = Signal(bool)  # True: every run kept in the store
    selection_changed = Signal()

    def __init__(self, proxy: SessionFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self.online_only_check = QCheckBox(self.tr("Online only"))
        self.runs_combo = QComboBox()
        self.runs_combo.addItems([self.tr("This run"), self.tr("All runs")])
        self.runs_combo.setToolTip(self.tr("Show the sessions since the server started, or those of every run"
                                           " kept in its database"))
        self.kick_button = QPushButton(self.tr("Kick"))
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setToolTip(self.tr("Save the sessions of the runs shown to a CSV file (Ctrl+S)"))
        self.table = SessionTableView(proxy)
        self.kick_action = QAction(self.tr("Kick"), self)
        self.notice_action = QAction(self.tr("Send a notice to this member"), self)
        for name in ("online_only_check", "runs_combo", "kick_button", "export_button", "table"):
            getattr(self, name).setObjectName(name)  # tests and style sheets find widgets by name
        self.runs_combo.setAccessibleName(self.tr("Sessions shown"))
        self.table.setAccessibleName(self.tr("Connections"))
        self.table.setAccessibleDescription(self.tr("One row per session; select a member online to kick them or"
                                                    " send them a notice (context menu)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(titled_panel(self.tr("Connections"), self.table, [self.runs_combo, self.online_only_check, 8,
                                                                   self.kick_button, self.export_button]))
        self._connect_signals()

    @property
    def all_runs(self) -> bool:
        return self.runs_combo.currentIndex() == ALL_RUNS

    def set_all_runs(self, all_runs: bool) -> None:
        self.runs_combo.setCurrentIndex(ALL_RUNS if all_runs else THIS_RUN)

    @property
    def online_only(self) -> bool:
        return self.online_only_check.isChecked()

    def set_online_only(self, online_only: bool) -> None:
        self.online_only_check.setChecked(online_only)
        self._proxy.set_online_only(online_only)

    def show_run_column(self, shown: bool) -> None:
        self.table.setColumnHidden(Column.RUN, not shown)

    def show_dates(self, dated: bool) -> None:
        """Widen the time columns for dates (some session shown is not from today), or not."""
        self.table.show_dates(dated)

    def selected_session(self) -> int | None:
        return self.table.selected_session()

    def select_session(self, session_id: int) -> None:
        self.table.select_session(session_id)

    def header_state(self) -> QByteArray:
        return self.table.horizontalHeader().saveState()

    def restore_header_state(self, state: QByteArray) -> None:
        self.table.horizontalHeader().restoreState(state)

    def set_kick_target(self, name: str | None) -> None:
        """The member online that Kick and the notice would reach, or None (both disabled)."""
        self.kick_button.setEnabled(name is not None)
        self.kick_action.setEnabled(name is not None)
        self.notice_action.setEnabled(name is not None)
        self.kick_button.setToolTip(self.tr("Disconnect {name}").format(name=name) if name
                                    else self.tr("Select a member online to kick them"))

    def _connect_signals(self) -> None:
        self.online_only_check.toggled.connect(self._on_online_only_check_toggled)
        self.runs_combo.currentIndexChanged.connect(self._on_runs_combo_current_index_changed)
        self.kick_button.clicked.connect(self.kick_requested)
        self.kick_action.triggered.connect(self.kick_requested)
        self.notice_action.triggered.connect(self.notice_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)

    @Slot(bool)
    def _on_online_only_check_toggled(self, checked: bool) -> None:
        self._proxy.set_online_only(checked)
        self.online_only_toggled.emit(checked)

    @Slot(int)
    def _on_runs_combo_current_index_changed(self, index: int) -> None:
        self.runs_changed.emit(index == ALL_RUNS)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self.selection_changed.emit()

    @Slot(QPoint)
    def _on_table_context_menu_requested(self, pos: QPoint) -> None:
        if not self.kick_action.isEnabled():  # no member online selected
            return
        menu = QMenu(self)
        menu.addAction(self.kick_action)
        menu.addAction(self.notice_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))


class EventLogPanel(QWidget):
    """The event log with how many lines it keeps and Clear."""

    def __init__(self, log: EventLogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._log = log
        self.log_limit_spin = QSpinBox()
        self.log_limit_spin.setRange(MIN_LOG_LIMIT, MAX_LOG_LIMIT)
        self.log_limit_spin.setSingleStep(100)
        self.log_limit_spin.setSuffix(self.tr(" lines"))  # never fewer than MIN_LOG_LIMIT: always the plural
        self.log_limit_spin.setValue(log.limit)
        self.log_limit_spin.setToolTip(self.tr("The log keeps only the newest lines"))
        keep = QLabel(self.tr("Keep"))
        keep.setBuddy(self.log_limit_spin)
        self.clear_log_button = QPushButton(self.tr("Clear"))
        self.log_view = EventLogView()
        self.log_view.setModel(log)
        for name in ("log_limit_spin", "clear_log_button", "log_view"):
            getattr(self, name).setObjectName(name)
        self.log_limit_spin.setAccessibleName(self.tr("Log lines kept"))
        self.clear_log_button.setAccessibleName(self.tr("Clear the event log"))
        self.log_view.setAccessibleName(self.tr("Event log"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(titled_panel(self.tr("Event log"), self.log_view,
                                      [keep, self.log_limit_spin, self.clear_log_button]))
        self.log_limit_spin.valueChanged.connect(self._on_log_limit_spin_value_changed)
        self.clear_log_button.clicked.connect(self._on_clear_log_button_clicked)

    @Slot(int)
    def _on_log_limit_spin_value_changed(self, value: int) -> None:
        self._log.set_limit(value)

    @Slot()
    def _on_clear_log_button_clicked(self) -> None:
        self._log.clear()
