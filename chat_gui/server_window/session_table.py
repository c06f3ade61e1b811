"""The table view for the connection cache: sortable, one selected row, columns sized for their content.

The selected row is the operator's target (Kick, the notice's recipient): the view never moves it to
another session by itself. When the selected row leaves the table (filtered out, or its run hidden)
the selection becomes empty, where Qt's single-selection views would select the next row instead.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from chat_gui.widgets import SESSION_ID_ROLE, Column, SessionFilterProxy, column_title, state_text

TIME_COLUMNS = (Column.CONNECTED, Column.DISCONNECTED)
DATED_SAMPLE = "0000-00-00 00:00:00"
"""The widest a time in the table gets: one not from today shows its date."""


class SessionTableView(QTableView):
    """Shows a SessionFilterProxy over the session models, in arrival order until sorted otherwise."""

    def __init__(self, proxy: SessionFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(Column.CONNECTED, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table (the arrows move in it), or keyboard users are stuck
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalHeader().hide()
        metrics = self.fontMetrics()
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        pad = 30  # cell margins and the sort arrow
        # Fixed widths from the font, not ResizeToContents: measuring every row would cost per update.
        widths = {
            Column.ADDRESS: metrics.horizontalAdvance("255.255.255.255:65535") + pad,
            Column.CONNECTED: metrics.horizontalAdvance(column_title(Column.CONNECTED)) + pad,
            Column.DISCONNECTED: metrics.horizontalAdvance(column_title(Column.DISCONNECTED)) + pad,
            Column.STATE: max(metrics.horizontalAdvance(state_text(state))  # the widest usual states
                              for state in ("server stopped", "timed out", "dropped")) + pad + 16,  # + the swatch
            Column.MESSAGES: metrics.horizontalAdvance(column_title(Column.MESSAGES)) + pad,
            Column.RUN: metrics.horizontalAdvance(column_title(Column.RUN)) + pad,
        }
        for column, width in widths.items():
            self.setColumnWidth(column, width)
        self._dated = False
        # The time columns' widths for times of today only, and for dates too.
        dated = metrics.horizontalAdvance(DATED_SAMPLE) + pad
        self._time_widths = {column: (widths[column], max(widths[column], dated)) for column in TIME_COLUMNS}

    def rowsAboutToBeRemoved(self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int) -> None:
        current = self.currentIndex()
        if current.isValid() and current.parent() == parent and start <= current.row() <= end:
            # Without a current index QAbstractItemView has no row to move the selection to; the removed
            # row's selection goes with it, so the selection ends up empty.
            self.selectionModel().clearCurrentIndex()
        super().rowsAboutToBeRemoved(parent, start, end)

    def show_dates(self, dated: bool) -> None:
        """Make the time columns wide enough for a date and a time (some row is not from today), or for a time.

        A width the operator chose is kept when it fits; only the width this view set is narrowed again.
        """
        if dated == self._dated:
            return
        self._dated = dated
        for column in TIME_COLUMNS:
            narrow, wide = self._time_widths[column]
            width = self.columnWidth(column)
            if dated and width < wide:
                self.setColumnWidth(column, wide)
            elif not dated and width == wide:
                self.setColumnWidth(column, narrow)

    def selected_session(self) -> int | None:
        """The session id of the selected row, if any."""
        rows = self.selectionModel().selectedRows()
        return int(rows[0].data(SESSION_ID_ROLE)) if rows else None

    def select_session(self, session_id: int) -> bool:
        """Select and show this session's row; False if it is not in the table or filtered out."""
        # A user's click, not a hot path: a search over the rows shown is fine.
        found = self._proxy.match(self._proxy.index(0, 0), SESSION_ID_ROLE, session_id, 1,
                                  Qt.MatchFlag.MatchExactly)
        if not found:
            return False
        index = found[0]
        self.selectRow(index.row())
        self.scrollTo(index)
        return True
