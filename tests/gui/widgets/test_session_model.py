"""The session table model and its proxy over a plain SessionCache (no sockets), and the CSV export."""

from __future__ import annotations

import csv
import time

import pytest
from PySide6.QtCore import QModelIndex, Qt

from chat_gui.widgets.session_model import (
    CSV_FIELDS,
    SESSION_ID_ROLE,
    SORT_ROLE,
    STATE_ROLE,
    Column,
    SessionFilterProxy,
    SessionTableModel,
    duration_text,
    short_time,
    write_sessions_csv,
)
from chat_server.core.sessions import SessionCache
from chat_server.protocol import EndReason

T0 = time.mktime((2026, 3, 14, 9, 26, 53, 0, 0, -1))  # local time, so the expected texts hold in any zone


def _cache() -> SessionCache:
    """Alice online with 4 messages, bob left after 90 s, one refusal, Carol online with 2 (arrived last)."""
    cache = SessionCache(T0)
    alice = cache.open("127.0.0.1", 50001, T0)
    alice.name, alice.messages = "Alice", 4
    bob = cache.open("127.0.0.10", 50002, T0 + 5)
    bob.name, bob.messages = "bob", 1
    cache.close(bob, EndReason.EXIT, T0 + 95)
    refused = cache.open("127.0.0.2", 50003, T0 + 7)
    cache.close(refused, EndReason.REFUSED_FULL, T0 + 7)
    carol = cache.open("10.0.0.5", 50004, T0 + 30)
    carol.name, carol.messages = "Carol", 2
    return cache


def _column(model, column: Column, role=Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(row, column).data(role) for row in range(model.rowCount())]


def test_rows_show_the_cache_in_arrival_order_with_readable_values(qapp):
    model = SessionTableModel(_cache(), run=3)
    assert model.rowCount() == 4 and model.columnCount() == len(Column)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == ["Name", "Address", "Connected at", "Disconnected at", "State", "Messages", "Run"]
    assert _column(model, Column.RUN) == ["3"] * 4
    assert _column(model, Column.NAME) == ["Alice", "bob", "—", "Carol"]
    assert _column(model, Column.ADDRESS) == ["127.0.0.1:50001", "127.0.0.10:50002", "127.0.0.2:50003",
                                              "10.0.0.5:50004"]
    assert _column(model, Column.CONNECTED) == [short_time(T0), short_time(T0 + 5), short_time(T0 + 7),
                                                short_time(T0 + 30)]
    assert _column(model, Column.DISCONNECTED) == ["—", short_time(T0 + 95), short_time(T0 + 7), "—"]
    assert _column(model, Column.STATE) == ["online", "left", "refused: full", "online"]
    assert _column(model, Column.STATE, STATE_ROLE) == ["online", "exit", "refused: full", "online"]
    assert _column(model, Column.MESSAGES) == ["4", "1", "0", "2"]
    assert _column(model, Column.NAME, SESSION_ID_ROLE) == [1, 2, 3, 4]
    assert "bob from 127.0.0.10:50002" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "left after 1 min 30 s" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_times_read_short_today_and_with_the_date_otherwise():
    assert short_time(T0, now=T0 + 3600) == "09:26:53"
    assert short_time(T0, now=T0 + 3 * 86400) == "2026-03-14 09:26:53"
    assert short_time(None) == "—"
    assert [duration_text(s) for s in (0, 45, 725, 12_000)] == ["0 s", "45 s", "12 min 5 s", "3 h 20 min"]


def test_changes_show_only_after_flush(qtbot):
    cache = _cache()
    model = SessionTableModel(cache)
    dave = cache.open("127.0.0.1", 50005, T0 + 40)
    dave.name = "Dave"
    model.mark_changed(dave.id)
    assert model.rowCount() == 4, "nothing changes before the flush"
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        assert model.flush()
    assert inserted.args[1:] == [4, 4]
    assert model.index(4, Column.NAME).data() == "Dave"

    alice = cache.get(1)
    assert alice is not None
    alice.messages = 9
    cache.close(alice, EndReason.KICKED, T0 + 60)
    model.mark_changed(alice.id)
    model.mark_changed(alice.id)
    with qtbot.waitSignal(model.dataChanged) as changed:
        assert model.flush()
    top_left, bottom_right = changed.args[0], changed.args[1]
    assert (top_left.row(), top_left.column(), bottom_right.row(), bottom_right.column()) == (0, 0, 0, len(Column) - 1)
    assert model.index(0, Column.STATE).data() == "kicked"
    assert model.index(0, Column.MESSAGES).data() == "9"
    assert not model.flush(), "a second flush has nothing to do"
    assert model.infos() == list(cache.snapshot())


def test_the_model_passes_qt_model_tester(qtmodeltester):
    cache = _cache()
    model = SessionTableModel(cache)
    qtmodeltester.check(model)
    for i in range(3):
        session = cache.open("127.0.0.1", 51000 + i, T0 + 50 + i)
        session.name = f"Client{i:02d}"
        model.mark_changed(session.id)
    model.flush()
    qtmodeltester.check(model)


def test_the_proxy_passes_qt_model_tester_and_filters_online_members(qtmodeltester):
    cache = _cache()
    model = SessionTableModel(cache)
    proxy = SessionFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_online_only(True)
    assert _column(proxy, Column.NAME) == ["Alice", "Carol"]
    qtmodeltester.check(proxy)
    carol = cache.get(4)
    assert carol is not None
    cache.close(carol, EndReason.DROPPED, T0 + 99)
    model.mark_changed(carol.id)
    model.flush()
    assert _column(proxy, Column.NAME) == ["Alice"], "a member who leaves drops out of the online view"
    proxy.set_online_only(False)
    assert proxy.rowCount() == 4


@pytest.mark.parametrize(("column", "order", "expected"), [
    (Column.NAME, Qt.SortOrder.AscendingOrder, ["—", "Alice", "bob", "Carol"]),
    (Column.ADDRESS, Qt.SortOrder.AscendingOrder, ["Carol", "Alice", "—", "bob"]),
    (Column.CONNECTED, Qt.SortOrder.DescendingOrder, ["Carol", "—", "bob", "Alice"]),
    (Column.DISCONNECTED, Qt.SortOrder.AscendingOrder, ["—", "bob", "Alice", "Carol"]),
    (Column.MESSAGES, Qt.SortOrder.DescendingOrder, ["Alice", "Carol", "bob", "—"]),
])
def test_sorting_uses_raw_values(qapp, column, order, expected):
    """Names case-insensitively, addresses by number (127.0.0.2 < 127.0.0.10), open sessions end last."""
    proxy = SessionFilterProxy()
    proxy.setSourceModel(SessionTableModel(_cache()))
    proxy.sort(column, order)
    names = _column(proxy, Column.NAME)
    if column == Column.DISCONNECTED:  # the two open sessions tie; only their place after the ended ones counts
        assert names[:2] == expected[:2] and sorted(names[2:]) == sorted(expected[2:])
    else:
        assert names == expected
    assert proxy.index(0, Column.CONNECTED).data(SORT_ROLE) is not None


def _utc_offset(t: float) -> str:
    """The local UTC offset at ``t`` as ISO 8601 writes it: '+01:00'."""
    z = time.strftime("%z", time.localtime(t))
    return f"{z[:3]}:{z[3:]}"


def test_csv_export_writes_every_session(tmp_path):
    cache = _cache()
    path = tmp_path / "sessions.csv"
    assert write_sessions_csv(path, cache.snapshot()) == 4
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_FIELDS
    alice, bob, refused, carol = (dict(zip(CSV_FIELDS, row, strict=True)) for row in rows[1:])
    offset = _utc_offset(T0)  # ISO 8601 with the offset: the file says when wherever it is read
    assert alice == {"name": "Alice", "host": "127.0.0.1", "port": "50001",
                     "connected_at": f"2026-03-14T09:26:53{offset}", "disconnected_at": "", "state": "online",
                     "messages": "4", "duration_s": "", "run": ""}
    assert (bob["state"], bob["disconnected_at"], bob["duration_s"]) == ("exit", f"2026-03-14T09:28:28{offset}",
                                                                         "90.000")
    assert (refused["name"], refused["state"]) == ("", "refused: full")
    assert carol["host"] == "10.0.0.5"


def test_index_outside_the_table_has_no_data(qapp):
    model = SessionTableModel(_cache())
    assert model.data(QModelIndex()) is None
    assert model.index(99, 0).data() is None
    assert model.rowCount(model.index(0, 0)) == 0


def test_sessions_the_bounded_cache_folds_leave_the_table(qapp, qtmodeltester):
    cache = SessionCache(T0, keep_ended=2)
    model = SessionTableModel(cache)
    cache.on_folded = model.mark_changed
    online = cache.open("127.0.0.1", 50000, T0)
    online.name = "Alice"
    model.mark_changed(online.id)
    for number in range(1, 5):
        session = cache.open("127.0.0.1", 50000 + number, T0 + number)
        session.name = f"Client{number:02d}"
        model.mark_changed(session.id)
        model.flush()
        cache.close(session, EndReason.DROPPED, T0 + number + 0.5)
        model.mark_changed(session.id)
    assert model.flush()
    assert _column(model, Column.NAME) == ["Alice", "Client03", "Client04"]
    assert (cache.total, cache.folded, cache.folded_states["dropped"]) == (5, 2, 2)
    qtmodeltester.check(model)
