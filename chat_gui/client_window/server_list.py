"""The connect panel's "Servers on this network": a live list of the servers announcing themselves, and the last
ones used; double-click or Enter on one connects to it.

``ServerListModel`` is a thin table model over ``ServerRows`` (server_rows.py); ``ServerListPanel`` wires it to a
``ServerBrowser`` and remembers the last servers used in QSettings. Browsing runs only while the panel is active
(the window makes it active while it is offline and its connect panel shows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QStyle, QTreeView, QVBoxLayout, QWidget

from chat_gui.client import Announcement, ServerBrowser, server_key
from chat_gui.client_window.server_rows import (
    RecentServer,
    ServerRow,
    ServerRows,
    recent_from_text,
    recent_to_text,
    remembered,
)
from chat_gui.client_window.words import QT_TRANSLATE_NOOP
from chat_server.protocol import host_port

RECENT_SERVERS_KEY = "client/recent_servers"
VISIBLE_ROWS = 4
"""How many rows the list shows without scrolling."""
SHORT_FINGERPRINT = 11
"""Characters of the fingerprint shown in the list (``AB:CD:EF:01``); the tooltip has all of it."""

_Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    ADDRESS = 1
    SECURITY = 2
    PASSWORD = 3
    ONLINE = 4


HEADERS: dict[Column, str] = {
           Column.NAME: QT_TRANSLATE_NOOP("ServerList", "Server"),
           Column.ADDRESS: QT_TRANSLATE_NOOP("ServerList", "Address"),
           Column.SECURITY: QT_TRANSLATE_NOOP("ServerList", "Security"),
           Column.PASSWORD: QT_TRANSLATE_NOOP("ServerList", "Password"),
           Column.ONLINE: QT_TRANSLATE_NOOP("ServerList", "Online")}
"""The columns' titles, translated where shown."""

translate = QCoreApplication.translate


@dataclass(frozen=True, slots=True)
class ServerChoice:
    """What connecting to a row needs."""

    host: str
    port: int
    tls: bool


def _security(row: ServerRow) -> str:
    if not row.tls:
        return translate("ServerList", "none")
    text = "TLS"
    if row.fingerprint and row.live:
        text += f" {row.fingerprint[:SHORT_FINGERPRINT]}…"
    return f"⚠ {text}" if row.suspicion else text


def _online(row: ServerRow) -> str:
    if not row.live:
        return translate("ServerList", "not seen now")
    return f"{row.online}/{row.limit}" if row.limit else str(row.online)


def _password(row: ServerRow) -> str:
    if not row.live:
        return ""
    return translate("ServerList", "yes") if row.password else translate("ServerList", "no")


def _tooltip(row: ServerRow) -> str:
    lines = [translate("ServerList", "{name} at {address}").format(name=row.name, address=row.address)]
    if row.suspicion:
        lines.append(translate("ServerList", "⚠ Suspicious: {why}").format(why=row.suspicion))
    if not row.live:
        lines.append(translate("ServerList", "Used before; it is not announcing itself on this network now."))
        return "\n".join(lines)
    if row.tls:
        fingerprint = row.fingerprint or translate("ServerList", "not given")
        lines.append(translate("ServerList", "Encrypted (TLS); announced certificate SHA-256: {fingerprint}.").format(
            fingerprint=fingerprint))
        lines.append(translate("ServerList", "An announcement is only a hint: connecting checks the certificate you "
                                             "trust."))
    else:
        lines.append(translate("ServerList", "Not encrypted."))
    lines.append(translate("ServerList", "Asks for a password.") if row.password
                 else translate("ServerList", "No password."))
    return "\n".join(lines)


class ServerListModel(QAbstractTableModel):
    """The rows of ``ServerRows`` as a table; the window's view shows it, tests check it with qtmodeltester."""

    def __init__(self, pinned_for: Callable[[str, int], str | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = ServerRows(pinned_for)
        self.warning_icon = QIcon()  # set by the panel from its style

    # --- changes (each told to the views as the rows it touches) ------------------------------------

    def found(self, announcement: Announcement) -> None:
        index = self.state.index_of(server_key(announcement))
        if index is None:
            end = len(self.state.rows)
            self.beginInsertRows(QModelIndex(), end, end)
            self.state.found(announcement)
            self.endInsertRows()
        else:
            self.state.found(announcement)
            self._row_changed(index)

    def lost(self, key: str) -> None:
        index = self.state.index_of(key)
        if index is None:
            return
        if self.state.is_recent(key):
            self.state.lost(key)
            self._row_changed(index)
            return
        self.beginRemoveRows(QModelIndex(), index, index)
        self.state.lost(key)
        self.endRemoveRows()

    def set_recent(self, recent: list[RecentServer]) -> None:
        for key in self.state.no_longer_recent(recent):
            index = self.state.index_of(key)
            if index is not None:
                self.beginRemoveRows(QModelIndex(), index, index)
                self.state.forget(key)
                self.endRemoveRows()
        missing = self.state.missing_recent(recent)
        if not missing:
            self.state.set_recent(recent)
            return
        end = len(self.state.rows)
        self.beginInsertRows(QModelIndex(), end, end + missing - 1)
        self.state.set_recent(recent)
        self.endInsertRows()

    def row(self, index: _Index) -> ServerRow | None:
        return self.state.rows[index.row()] if index.isValid() and index.row() < len(self.state.rows) else None

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    # --- QAbstractTableModel ------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default argument)
        return 0 if parent.isValid() else len(self.state.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(Column):
            return translate("ServerList", HEADERS[Column(section)])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.row(index)
        if row is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {Column.NAME: row.name, Column.ADDRESS: row.address, Column.SECURITY: _security(row),
                    Column.PASSWORD: _password(row),
                    Column.ONLINE: _online(row)}[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.NAME and row.suspicion:
            return self.warning_icon
        if role == Qt.ItemDataRole.FontRole and not row.live:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row.key
        return None



class ServerListPanel(QWidget):
    """The label, the list and a line saying what the browser is doing; ``server_chosen`` when one is activated."""

    server_chosen = Signal(object)  # ServerChoice: double-click or Enter on a row

    def __init__(self, browser: ServerBrowser | None, settings: QSettings,
                 pinned_for: Callable[[str, int], str | None], parent: QWidget | None = None) -> None:
        """``browser``: None lists only the last servers used (no looking on the network)."""
        super().__init__(parent)
        self.browser = browser
        self.settings = settings
        self.model = ServerListModel(pinned_for, self)
        self.model.warning_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAccessibleName(self.tr("Servers on this network"))
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        self.label = QLabel(self.tr("Servers on this &network (double-click or Enter to connect)"))
        self.label.setBuddy(self.view)
        self.status_label = QLabel()  # one line: a wrapped label is cut short in the window's layout
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.view)
        layout.addWidget(self.status_label)
        row_height = self.view.fontMetrics().height() + 8
        self.view.setFixedHeight(header.sizeHint().height() + VISIBLE_ROWS * row_height + 2 * self.view.frameWidth())
        self._active = False
        self.model.set_recent(self.recent())
        self._connect_signals()
        self._update_status()

    def _connect_signals(self) -> None:
        self.view.activated.connect(self._on_view_activated)
        self.model.rowsInserted.connect(self._update_status)
        self.model.rowsRemoved.connect(self._update_status)
        if self.browser is not None:
            self.browser.server_found.connect(self._on_browser_server_found)
            self.browser.server_changed.connect(self._on_browser_server_found)
            self.browser.server_lost.connect(self._on_browser_server_lost)
            self.browser.unavailable.connect(self._update_status)

    def set_active(self, active: bool) -> None:
        """Browse while active (shown); stop browsing, closing zeroconf's sockets and thread, when not.

        Browsing starts once the event loop has run: a window told to connect at once (``main.py client``, the
        demo) is no longer offline by then, and never asks the network."""
        self.setVisible(active)
        self._active = active
        if self.browser is None:
            return
        if active and not self.browser.running:
            QTimer.singleShot(0, self, self._start_if_active)
        elif not active and self.browser.running:
            self.browser.stop()
            self._update_status()

    @Slot()
    def _start_if_active(self) -> None:
        if self._active and self.browser is not None and not self.browser.running:
            self.browser.start()
            self._update_status()

    def recent(self) -> list[RecentServer]:
        return recent_from_text(str(self.settings.value(RECENT_SERVERS_KEY, "[]")))

    def remember(self, host: str, port: int, tls: bool) -> None:
        """The user connected to this server: first among the last used (with its announced name, if any)."""
        index = self.model.state.index_of(host_port(host, port))
        name = self.model.state.rows[index].name if index is not None else ""
        recent = remembered(self.recent(), RecentServer(host, port, tls, name))
        self.settings.setValue(RECENT_SERVERS_KEY, recent_to_text(recent))
        self.model.set_recent(recent)

    def choose(self, row: int) -> None:
        """Connect to the server in ``row``, as a double-click does."""
        self._on_view_activated(self.model.index(row, 0))

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        row = self.model.row(index)
        if row is not None:
            self.server_chosen.emit(ServerChoice(row.host, row.port, row.tls))

    @Slot(object)
    def _on_browser_server_found(self, announcement: Announcement) -> None:
        self.model.found(announcement)

    @Slot(str)
    def _on_browser_server_lost(self, key: str) -> None:
        self.model.lost(key)
        self._update_status()

    @Slot()
    def _update_status(self) -> None:
        live = sum(1 for row in self.model.state.rows if row.live)
        if self.browser is None:
            text = "" if self.model.rowCount() else self.tr("No server used yet: type its address above.")
        elif self.browser.problem:
            text = self.browser.problem
        elif not live:
            text = self.tr("Looking for servers announcing themselves here… none yet: type an address above.")
        else:
            text = self.tr("⚠ marks an announcement that contradicts the certificate you trust for that address: "
                           "it may be forged.")
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
