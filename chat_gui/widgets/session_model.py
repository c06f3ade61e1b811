"""Sessions as Qt tables: this run's live cache, fixed lists of sessions (earlier runs, a status report), CSV export.

``SessionTableModel`` shows a snapshot of the engine's cache taken at its last ``flush()``:
the window marks sessions as changed when the engine says so and flushes a few times a
second, so a burst of messages costs one ``dataChanged`` per row per flush, not one per
message. ``SessionListModel`` shows a list of ``SessionInfo`` that does not change by itself
(the server window's earlier runs, the client's Status dialog). Both show the same columns
the same way.
"""

from __future__ import annotations

import csv
import dataclasses
import ipaddress
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from chat_gui.widgets.session_words import Column, column_title, state_text, with_away
from chat_server.core import Session, SessionCache
from chat_server.protocol import ONLINE, SessionInfo, Tone, state_tone, state_value

AnyIndex = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Raw values to sort by (times as floats, names case-folded, addresses numerically)."""
SESSION_ID_ROLE = Qt.ItemDataRole.UserRole + 2
"""The session id of a row, the same in every column."""
STATE_ROLE = Qt.ItemDataRole.UserRole + 3
"""The session's state: "online" or an EndReason value."""

NO_TIME = "—"

TONE_COLORS: dict[Tone, QColor] = {
    Tone.ONLINE: QColor("#2e9d4f"),
    Tone.ENDED: QColor("#8a8f98"),
    Tone.TROUBLE: QColor("#d68a1c"),
    Tone.REFUSED: QColor("#c0392b"),
}
"""One color per tone of a state (chat_server/protocol/wording.py gives each state its tone), shared by the
table's state column and the timeline's bars."""


def state_color(state: str) -> QColor:
    return TONE_COLORS[state_tone(state)]


def is_today(t: float, now: float | None = None) -> bool:
    """Whether ``t`` falls on today's date, in local time."""
    return time.localtime(t)[:3] == time.localtime(time.time() if now is None else now)[:3]


def short_time(t: float | None, now: float | None = None) -> str:
    """'14:03:27' for a time today, '2024-05-01 14:03:27' for an older one, '—' for none."""
    if t is None:
        return NO_TIME
    if is_today(t, now):
        return time.strftime("%H:%M:%S", time.localtime(t))
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))


def iso_time(t: float | None) -> str:
    """ISO 8601 local time with its UTC offset ('2024-05-01T14:03:27+02:00'), '' for none: a file read
    elsewhere, or across a change to or from summer time, still says when."""
    return "" if t is None else datetime.fromtimestamp(t).astimezone().isoformat(timespec="seconds")


def duration_text(seconds: float) -> str:
    """'45 s', '12 min 5 s', '3 h 20 min': how long a session lasted, as people say it."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def _address_key(info: SessionInfo) -> str:
    """Addresses sort by number, not text: 127.0.0.2 before 127.0.0.10."""
    try:
        ip = ipaddress.ip_address(info.host)
        host = f"{ip.version}{int(ip):039d}"
    except ValueError:
        host = info.host
    return f"{host}:{info.port:05d}"


class SessionRowsModel(QAbstractTableModel):
    """One row per session: the columns, roles, sort keys and tooltips every session table shares."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._rows: list[SessionInfo] = []
        self._row_of: dict[int, int] = {}

    # --- lookups -------------------------------------------------------------------

    def session_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, session_id: int) -> int | None:
        return self._row_of.get(session_id)

    def info(self, row: int) -> SessionInfo:
        return self._rows[row]

    def infos(self) -> list[SessionInfo]:
        """Every row as shown, in arrival order."""
        return list(self._rows)

    def first_connected(self) -> float | None:
        """When the first row's session connected (rows are in arrival order, so it is the earliest)."""
        return self._rows[0].connected_at if self._rows else None

    # --- QAbstractTableModel ---------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return column_title(Column(section))
            if role == Qt.ItemDataRole.TextAlignmentRole and section in (Column.MESSAGES, Column.RUN):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        info = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(info, column)
        if role == SORT_ROLE:
            return self._sort_key(info, column)
        if role == SESSION_ID_ROLE:
            return self._ids[index.row()]
        if role == STATE_ROLE:
            return info.state
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(info)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.STATE:
            return state_color(info.state)
        if role == Qt.ItemDataRole.ForegroundRole and info.state != ONLINE and column != Column.STATE:
            return QColor("#6b7079")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.MESSAGES, Column.RUN):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(info: SessionInfo, column: Column) -> str:
        match column:
            case Column.NAME:
                return info.name or NO_TIME
            case Column.ADDRESS:
                return info.address
            case Column.CONNECTED:
                return short_time(info.connected_at)
            case Column.DISCONNECTED:
                return short_time(info.disconnected_at)
            case Column.STATE:  # refusals from one address within a minute share a row that counts them
                label = state_text(info.state)
                return with_away(label if info.attempts == 1 else f"{label} ({info.attempts})", info.away)
            case Column.MESSAGES:
                return str(info.messages)
            case Column.RUN:
                return str(info.run) if info.run else NO_TIME

    @staticmethod
    def _sort_key(info: SessionInfo, column: Column) -> Any:
        match column:
            case Column.NAME:
                return info.name.casefold()
            case Column.ADDRESS:
                return _address_key(info)
            case Column.CONNECTED:
                return info.connected_at
            case Column.DISCONNECTED:
                # Sessions still open sort after every ended one, as if they end in the future.
                return info.disconnected_at if info.disconnected_at is not None else float("inf")
            case Column.STATE:
                return with_away(state_text(info.state), info.away)
            case Column.MESSAGES:
                return info.messages
            case Column.RUN:
                return info.run

    @staticmethod
    def _tooltip(info: SessionInfo) -> str:
        start = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info.connected_at))
        if info.disconnected_at is None:
            lasted = QCoreApplication.translate("SessionTable", "online for {duration}").format(
                duration=duration_text(time.time() - info.connected_at))
        else:
            lasted = QCoreApplication.translate("SessionTable", "{state} after {duration}").format(
                state=state_text(info.state), duration=duration_text(info.disconnected_at - info.connected_at))
        name = info.name or QCoreApplication.translate("SessionTable", "(no name)")
        origin = (QCoreApplication.translate("SessionTable", "{name} from {address} (run {run})") if info.run
                  else QCoreApplication.translate("SessionTable", "{name} from {address}"))
        connected = QCoreApplication.translate("SessionTable", "connected {start}, {lasted}").format(start=start,
                                                                                             lasted=lasted)
        messages = QCoreApplication.translate("SessionTable", "%n message(s)", "", info.messages)
        return "\n".join((origin.format(name=name, address=info.address, run=info.run), connected, messages))


class SessionListModel(SessionRowsModel):
    """A fixed list of sessions (earlier runs from the store, or a status report); replaced whole."""

    def set_sessions(self, sessions: Iterable[SessionInfo]) -> None:
        self.beginResetModel()
        self._rows = list(sessions)
        # Not this run's session ids: these rows can be shown and sorted, not kicked.
        self._ids = [-1 - row for row in range(len(self._rows))]
        self._row_of = {session_id: row for row, session_id in enumerate(self._ids)}
        self.endResetModel()


class SessionTableModel(SessionRowsModel):
    """This run's sessions, one row each in arrival order, as of the last ``flush()``."""

    def __init__(self, cache: SessionCache, parent: QObject | None = None, run: int = 0) -> None:
        super().__init__(parent)
        self._cache = cache
        self._run = run
        self._dirty: set[int] = set()
        self._load()

    def _load(self) -> None:
        for session in self._cache:
            self._append(session)

    def _info(self, session: Session) -> SessionInfo:
        return dataclasses.replace(session.info(), run=self._run) if self._run else session.info()

    def _append(self, session: Session) -> None:
        self._row_of[session.id] = len(self._ids)
        self._ids.append(session.id)
        self._rows.append(self._info(session))

    # --- batching ------------------------------------------------------------------

    def mark_changed(self, session_id: int) -> None:
        """Note that the engine added or changed this session; shown at the next ``flush()``."""
        self._dirty.add(session_id)

    @property
    def has_changes(self) -> bool:
        return bool(self._dirty)

    def flush(self) -> bool:
        """Bring the rows up to date with the cache; True if anything changed."""
        if not self._dirty:
            return False
        dirty, self._dirty = self._dirty, set()
        # Ended sessions the bounded cache folded into counts leave the table too.
        folded = [row for i in dirty if (row := self._row_of.get(i)) is not None and self._cache.get(i) is None]
        if folded:
            self._remove_rows(folded)
        new = sorted(i for i in dirty if i not in self._row_of and self._cache.get(i) is not None)
        if new:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for session_id in new:
                session = self._cache.get(session_id)
                assert session is not None
                self._append(session)
            self.endInsertRows()
        changed_rows = []
        for session_id in dirty.difference(new):
            row = self._row_of.get(session_id)
            session = self._cache.get(session_id)
            if row is None or session is None:
                continue
            info = self._info(session)
            if info != self._rows[row]:
                self._rows[row] = info
                changed_rows.append(row)
        if changed_rows:
            last = self.columnCount() - 1
            # One signal per contiguous run of rows keeps the proxy's work proportional.
            for start, end in _runs(sorted(changed_rows)):
                self.dataChanged.emit(self.index(start, 0), self.index(end, last))
        return bool(folded or new or changed_rows)

    def _remove_rows(self, rows: list[int]) -> None:
        for start, end in reversed(list(_runs(sorted(rows)))):  # from the end: the earlier rows keep their numbers
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._ids[start:end + 1]
            del self._rows[start:end + 1]
            self._row_of = {session_id: row for row, session_id in enumerate(self._ids)}
            self.endRemoveRows()


def _runs(rows: list[int]) -> Iterable[tuple[int, int]]:
    """Contiguous runs in sorted ``rows``: [1, 2, 3, 7] -> (1, 3), (7, 7)."""
    start = prev = rows[0]
    for row in rows[1:]:
        if row != prev + 1:
            yield start, prev
            start = row
        prev = row
    yield start, prev


class SessionFilterProxy(QSortFilterProxyModel):
    """Sorts the session table by raw values and can hide every session that has ended."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._online_only = False
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def online_only(self) -> bool:
        return self._online_only

    def set_online_only(self, online_only: bool) -> None:
        if online_only != self._online_only:
            self.beginFilterChange()
            self._online_only = online_only
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._online_only:
            return True
        model = self.sourceModel()
        return bool(model.index(source_row, 0, source_parent).data(STATE_ROLE) == ONLINE)


CSV_FIELDS = ("name", "host", "port", "connected_at", "disconnected_at", "state", "messages", "duration_s", "run")


def write_sessions_csv(path: str | Path, sessions: Iterable[SessionInfo]) -> int:
    """Write ``sessions`` to a CSV file (ISO 8601 times with the UTC offset, one row each); the number of rows."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_FIELDS)
        for info in sessions:
            end = info.disconnected_at
            duration = "" if end is None else f"{end - info.connected_at:.3f}"
            writer.writerow([info.name, info.host, info.port, iso_time(info.connected_at), iso_time(end),
                             state_value(info.state), info.messages, duration, info.run or ""])
            count += 1
    return count
