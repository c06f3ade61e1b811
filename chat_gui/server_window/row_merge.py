"""Showing a table's new rows with the least change: rows that went removed, new ones inserted, others changed in
place, so that a view keeps its selection and scroll position (the Rooms and Files tabs)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex

Row = TypeVar("Row")


def merge_rows(model: QAbstractTableModel, rows: list[Row], wanted: list[Row], key: Callable[[Row], Hashable],
               removed: Callable[[Hashable], None] | None = None) -> None:
    """Make ``rows`` (the model's own list) ``wanted``, telling ``model``'s views each step; ``removed`` is told the
    key of each row that went. Rows keep their order (the old list becomes a subsequence of the new one); if the
    order changed all the same, the model is reset rather than shown wrong."""
    keys = {key(row) for row in wanted}
    for number in range(len(rows) - 1, -1, -1):
        gone = key(rows[number])
        if gone not in keys:
            model.beginRemoveRows(QModelIndex(), number, number)
            del rows[number]
            model.endRemoveRows()
            if removed is not None:
                removed(gone)
    last_column = model.columnCount() - 1
    for number, row in enumerate(wanted):
        if number < len(rows) and key(rows[number]) == key(row):
            if rows[number] != row:
                rows[number] = row
                model.dataChanged.emit(model.index(number, 0), model.index(number, last_column))
        else:
            model.beginInsertRows(QModelIndex(), number, number)
            rows.insert(number, row)
            model.endInsertRows()
    if [key(row) for row in rows] != [key(row) for row in wanted]:
        model.beginResetModel()
        rows[:] = wanted
        model.endResetModel()
