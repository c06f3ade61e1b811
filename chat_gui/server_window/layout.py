"""The server window's widgets and where they sit: the listening rows, the banners, the Connections and Rooms tabs,
the timeline, the event log, the notice bar and the status bar's labels, and the keyboard's shortcuts to them.

The texts are the window's own (context ``ServerWindow`` in the catalogue); the window connects the parts' signals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from chat_gui.server_window.announce_controls import AnnounceControls
from chat_gui.server_window.event_log import EventLogModel
from chat_gui.server_window.listen_controls import ListenControls
from chat_gui.server_window.notice_bar import NoticeBar
from chat_gui.server_window.panels import ConnectionsPanel, EventLogPanel, banner, titled_panel
from chat_gui.server_window.rooms_model import RoomTableModel
from chat_gui.server_window.rooms_panel import RoomsPanel
from chat_gui.server_window.timeline import SessionTimeline
from chat_gui.widgets import (
    ElidedLabel,
    SessionFilterProxy,
    SessionTableModel,
    ShortcutTable,
    add_help_menu,
    show_focus,
)

WINDOW_SIZE = (960, 720)
"""The window's first size (the launcher fits it to the screen; a remembered geometry that fits wins)."""
SPLITTER_SIZES = [260, 190, 220]  # the tabs, the timeline, the log
translate = QCoreApplication.translate


@dataclass(frozen=True, slots=True)
class WindowParts:
    """The window's widgets that it talks to after building them."""

    controls: ListenControls
    announce: AnnounceControls
    error_label: QLabel
    warning_label: QLabel
    splitter: QSplitter
    tabs: QTabWidget
    connections: ConnectionsPanel
    rooms_panel: RoomsPanel
    timeline: SessionTimeline
    log_panel: EventLogPanel
    notice_bar: NoticeBar
    count_label: ElidedLabel
    total_label: QLabel
    rate_label: QLabel
    export_action: QAction


def build_parts(window: QMainWindow, proxy: SessionFilterProxy, rooms: RoomTableModel,
                sessions: SessionTableModel, log: EventLogModel) -> WindowParts:
    """Make the window's widgets, put them in ``window`` (its central widget and status bar) and return them."""
    central = QWidget(window)
    layout = QVBoxLayout(central)
    layout.setContentsMargins(10, 8, 10, 6)
    layout.setSpacing(8)
    controls = ListenControls()
    layout.addWidget(controls)
    announce = AnnounceControls()
    layout.addWidget(announce)
    error_label = banner("error_label", "#fbe3e1", "#8c1d13", "#e6a29b")
    error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(error_label)
    warning_label = banner("warning_label", "#fff4d6", "#6b4a00", "#e8c66a")
    layout.addWidget(warning_label)

    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.setChildrenCollapsible(False)
    connections = ConnectionsPanel(proxy)
    rooms_panel = RoomsPanel(rooms)
    tabs = QTabWidget()
    tabs.setObjectName("tabs")
    tabs.setDocumentMode(True)
    tabs.addTab(connections, translate("ServerWindow", "Connections"))
    tabs.addTab(rooms_panel, translate("ServerWindow", "Rooms"))
    timeline = SessionTimeline(sessions)
    timeline.setObjectName("timeline")
    timeline.setAccessibleName(translate("ServerWindow", "Timeline"))
    timeline.setAccessibleDescription(translate(
        "ServerWindow", "Each session as a bar over time; clicking one selects it in the Connections table"))
    log_panel = EventLogPanel(log)
    splitter.addWidget(tabs)
    splitter.addWidget(titled_panel(translate("ServerWindow", "Timeline"), timeline, []))
    splitter.addWidget(log_panel)
    splitter.setSizes(SPLITTER_SIZES)
    layout.addWidget(splitter, 1)
    notice_bar = NoticeBar()
    layout.addWidget(notice_bar)
    window.setCentralWidget(central)

    count_label = ElidedLabel()  # in German it can be longer than half of a 1024-wide screen
    total_label = QLabel()
    rate_label = QLabel()
    rate_label.setToolTip(translate("ServerWindow",
                                    "Messages relayed per second, averaged over the last few seconds"))
    count_label.setContentsMargins(6, 0, 0, 0)
    rate_label.setContentsMargins(0, 0, 6, 0)
    # Permanent widgets: temporary status messages must never hide the member count.
    window.statusBar().addPermanentWidget(count_label, 1)
    window.statusBar().addPermanentWidget(total_label)
    window.statusBar().addPermanentWidget(rate_label)
    for name, label in (("count_label", count_label), ("total_label", total_label), ("rate_label", rate_label)):
        label.setObjectName(name)  # tests and style sheets find widgets by name

    export_action = QAction(translate("ServerWindow", "Export CSV…"), window)
    export_action.setShortcut(QKeySequence.StandardKey.Save)
    window.addAction(export_action)
    show_focus(connections.table, rooms_panel.table, log_panel.log_view, timeline)
    window.resize(*WINDOW_SIZE)
    return WindowParts(controls, announce, error_label, warning_label, splitter, tabs, connections, rooms_panel,
                       timeline, log_panel, notice_bar, count_label, total_label, rate_label, export_action)


def build_shortcuts(window: QMainWindow, parts: WindowParts, go_to_connections: Callable[[], None],
                    go_to_rooms: Callable[[], None]) -> ShortcutTable:
    """Every operator action by keyboard, and the Help menu whose Keyboard shortcuts lists this same table."""
    table = ShortcutTable(window)
    controls = parts.controls
    table.add(["F5"], translate("ServerWindow", "Start listening"), controls.start_button.click)
    table.add(["Shift+F5"], translate("ServerWindow", "Stop listening and disconnect every member"),
              controls.stop_button.click)
    table.add(["Ctrl+1"], translate("ServerWindow", "Go to the Connections table"), go_to_connections)
    table.add(["Ctrl+2"], translate("ServerWindow", "Go to the Rooms table"), go_to_rooms)
    table.add(["Ctrl+K"], translate("ServerWindow", "Kick the selected member (asks first)"),
              parts.connections.kick_button.click)
    table.add(["Ctrl+N"], translate("ServerWindow", "Write a notice (to whom \u201cNotice to\u201d shows)"),
              parts.notice_bar.text_edit.setFocus)
    table.note(["Return"], translate("ServerWindow", "Send the notice (in the notice field)"))
    table.adopt(parts.export_action, translate("ServerWindow", "Export the sessions shown to a CSV file"))
    table.add(["Ctrl+Q"], translate("ServerWindow", "Close the window (members online get a goodbye first)"),
              window.close)
    add_help_menu(window, table)
    return table
