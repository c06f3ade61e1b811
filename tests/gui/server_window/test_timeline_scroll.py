"""The timeline with more sessions than fit: sessions online first, the newest first, and every row reachable by
scrolling while the time axis stays in view (issue 20, defect 3)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from chat_gui.server_window.timeline import AXIS_HEIGHT, MARGIN, ROW_HEIGHT, SessionTimeline
from chat_gui.widgets.session_model import SessionTableModel
from chat_server.core.sessions import SessionCache
from chat_server.protocol import EndReason

T0 = time.mktime((2026, 3, 14, 9, 0, 0, 0, 0, -1))
SIX_ROWS = 2 * MARGIN + AXIS_HEIGHT + 6 * ROW_HEIGHT


def _nine_sessions() -> tuple[SessionCache, SessionTableModel]:
    """Nine members, one every 10 s from T0; the first four have left (session ids 1 to 4), five are online."""
    cache = SessionCache(T0)
    for i in range(9):
        session = cache.open("127.0.0.1", 50001 + i, T0 + 10 * i)
        session.name = f"Client{i + 1:02d}"
    for session in list(cache)[:4]:
        cache.close(session, EndReason.EXIT, T0 + 100)
    return cache, SessionTableModel(cache)


@pytest.fixture
def timeline(qtbot: QtBot) -> SessionTimeline:
    _, model = _nine_sessions()
    view = SessionTimeline(model)
    qtbot.addWidget(view)
    view.resize(600, SIX_ROWS)
    view.set_clock(T0 + 120)
    view.show()
    qtbot.waitExposed(view)
    return view


def _scroll(view: SessionTimeline, notches: int) -> None:
    """Turn the mouse wheel over the rows (negative: down)."""
    target: QWidget = view.viewport()
    pos = QPointF(target.rect().center())
    QApplication.sendEvent(target, QWheelEvent(pos, target.mapToGlobal(pos), QPoint(), QPoint(0, 120 * notches),
                                               Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                               Qt.ScrollPhase.NoScrollPhase, False))


def test_rows_show_sessions_online_first_and_the_newest_first(timeline: SessionTimeline) -> None:
    assert timeline.visible_sessions() == [9, 8, 7, 6, 5, 4], "the five online, newest first, then the newest ended"
    assert timeline.sessions() == [9, 8, 7, 6, 5, 4, 3, 2, 1]


def test_every_row_can_be_reached_by_scrolling_and_clicked(qtbot: QtBot, timeline: SessionTimeline) -> None:
    _scroll(timeline, -10)  # to the bottom
    assert timeline.visible_sessions() == [6, 5, 4, 3, 2, 1]
    oldest = timeline.bar_rect(1)
    assert oldest is not None and timeline.viewport().rect().contains(oldest.toRect())
    with qtbot.waitSignal(timeline.session_clicked) as clicked:
        qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=oldest.center().toPoint())
    assert clicked.args == [1]
    _scroll(timeline, 10)  # back to the top
    assert timeline.visible_sessions() == [9, 8, 7, 6, 5, 4]
    assert timeline.bar_rect(1) is None, "scrolled out of view"


def test_the_axis_stays_in_view_below_the_rows(timeline: SessionTimeline) -> None:
    axis = timeline.findChild(QWidget, "timeline_axis")
    assert axis is not None and axis.isVisible()
    for notches in (0, -10):
        _scroll(timeline, notches)
        assert axis.geometry().top() == timeline.viewport().geometry().bottom() + 1
        assert axis.geometry().bottom() == timeline.height() - 1


def test_a_session_selected_elsewhere_is_scrolled_into_view(timeline: SessionTimeline) -> None:
    assert 2 not in timeline.visible_sessions()
    timeline.set_selected(2)  # the operator selected its row in the table
    assert 2 in timeline.visible_sessions()
    before = timeline.visible_sessions()
    timeline.set_selected(2)  # the same selection again (every flush says it): the rows stay where they are
    assert timeline.visible_sessions() == before


def test_a_session_that_ends_moves_below_those_online(qtbot: QtBot) -> None:
    cache, model = _nine_sessions()
    view = SessionTimeline(model)
    qtbot.addWidget(view)
    newest = next(session for session in cache if session.id == 9)
    cache.close(newest, EndReason.DROPPED, T0 + 110)
    model.mark_changed(newest.id)
    model.flush()
    assert view.sessions() == [8, 7, 6, 5, 9, 4, 3, 2, 1]
