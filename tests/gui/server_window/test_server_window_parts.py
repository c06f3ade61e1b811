"""The server window's parts on their own: the event log model and view, the timeline, the rate meter."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt

from chat_gui.server_window.event_log import MIN_LOG_LIMIT, EventKind, EventLogModel, EventLogView
from chat_gui.server_window.message_rate import MessageRate
from chat_gui.server_window.timeline import MIN_BAR_WIDTH, SessionTimeline
from chat_gui.server_window.timeline_axis import tick_step
from chat_gui.widgets.session_model import SessionTableModel, state_color
from chat_server.core.sessions import SessionCache
from chat_server.protocol import EndReason

T0 = time.mktime((2026, 3, 14, 9, 0, 0, 0, 0, -1))


# --- event log ---------------------------------------------------------------------------------


def test_log_lines_appear_at_flush_with_their_time(qapp):
    log = EventLogModel(limit=50)
    log.add(EventKind.JOIN, "Alice joined · 1 online", when=T0 + 5)
    log.add(EventKind.MESSAGE, "Alice: hi", when=T0 + 6)
    assert log.rowCount() == 0 and log.has_pending
    assert log.flush()
    assert log.lines() == ["09:00:05  Alice joined · 1 online", "09:00:06  Alice: hi"]
    assert log.index(0).data(Qt.ItemDataRole.ForegroundRole) is not None, "joins are colored"
    assert log.index(1).data(Qt.ItemDataRole.ForegroundRole) is None, "messages use the palette's text color"
    assert "2026-03-14 09:00:06" in log.index(1).data(Qt.ItemDataRole.ToolTipRole)
    assert not log.flush()


def test_log_keeps_only_the_newest_lines(qapp):
    log = EventLogModel(limit=20)
    for i in range(15):
        log.add(EventKind.MESSAGE, f"m{i}", when=T0)
    log.flush()
    for i in range(15, 100):  # more than the limit in one batch: the queue itself stays bounded
        log.add(EventKind.MESSAGE, f"m{i}", when=T0)
    log.flush()
    assert [e.text for e in log.entries()] == [f"m{i}" for i in range(80, 100)]
    log.set_limit(12)
    assert [e.text for e in log.entries()] == [f"m{i}" for i in range(88, 100)]
    log.set_limit(1)
    assert log.limit == MIN_LOG_LIMIT
    assert len(log.entries()) == MIN_LOG_LIMIT


def test_log_cuts_long_texts_to_one_line(qapp):
    log = EventLogModel()
    log.add(EventKind.ERROR, "bad\nline " + "x" * 1000, when=T0)
    log.flush()
    (line,) = log.lines()
    assert "\n" not in line and line.startswith("09:00:00  bad line xxx") and line.endswith("…")
    assert len(line) < 400


def test_log_model_passes_qt_model_tester(qtmodeltester):
    log = EventLogModel(limit=10)
    qtmodeltester.check(log)
    for i in range(25):
        log.add(EventKind.SERVER, f"event {i}")
        if i % 4 == 0:
            log.flush()
    log.flush()
    log.clear()
    log.add(EventKind.SERVER, "after clear")
    log.flush()
    assert log.lines()[0].endswith("after clear")


def test_log_view_follows_new_lines_only_at_the_bottom(qtbot):
    log = EventLogModel(limit=1000)
    view = EventLogView()
    qtbot.addWidget(view)
    view.setModel(log)
    view.resize(300, 120)
    view.show()
    for i in range(200):
        log.add(EventKind.MESSAGE, f"line {i}")
    log.flush()
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    bar.setValue(0)  # the user scrolls up to read
    log.add(EventKind.MESSAGE, "one more")
    log.flush()
    assert bar.value() == 0, "reading older lines is not interrupted"


# --- timeline ---------------------------------------------------------------------------------------


def _sessions() -> tuple[SessionCache, SessionTableModel]:
    """Alice online since T0, Bob from T0+10 to T0+40 (left), a refusal at T0+20."""
    cache = SessionCache(T0)
    alice = cache.open("127.0.0.1", 50001, T0)
    alice.name = "Alice"
    bob = cache.open("127.0.0.1", 50002, T0 + 10)
    bob.name = "Bob"
    cache.close(bob, EndReason.EXIT, T0 + 40)
    refused = cache.open("127.0.0.1", 50003, T0 + 20)
    cache.close(refused, EndReason.REFUSED_FULL, T0 + 20)
    return cache, SessionTableModel(cache)


@pytest.fixture
def timeline(qtbot):
    cache, model = _sessions()
    view = SessionTimeline(model)
    qtbot.addWidget(view)
    view.resize(600, 200)
    view.set_clock(T0 + 60)
    view.show()
    return cache, model, view


def test_bars_run_from_connect_to_disconnect(timeline):
    _, _, view = timeline
    assert view.visible_sessions() == [1, 3, 2], "Alice online first, then the ended ones, the newest first"
    alice, bob, refused = (view.bar_rect(i) for i in (1, 2, 3))
    assert alice is not None and bob is not None and refused is not None
    # 60 s on the axis: Alice's open bar spans all of it, Bob's half of it, starting a sixth in.
    assert bob.width() == pytest.approx(alice.width() / 2, rel=0.01)
    assert bob.left() - alice.left() == pytest.approx(alice.width() / 6, rel=0.01)
    assert refused.width() == MIN_BAR_WIDTH, "a refusal is a mark, not an empty bar"
    assert alice.top() < refused.top() < bob.top(), "one row per session"


def test_open_bars_grow_with_the_clock(timeline):
    _, _, view = timeline
    bob_before = view.bar_rect(2)
    alice_before = view.bar_rect(1)
    view.set_clock(T0 + 120)
    alice_after, bob_after = view.bar_rect(1), view.bar_rect(2)
    assert alice_before is not None and alice_after is not None and bob_before is not None and bob_after is not None
    assert alice_after.width() == pytest.approx(alice_before.width(), rel=0.01), "the open bar keeps the whole axis"
    assert bob_after.width() == pytest.approx(bob_before.width() / 2, rel=0.01), "while ended ones shrink"


def test_bars_are_painted_in_their_state_color(timeline):
    _, _, view = timeline
    image = view.grab().toImage()
    for session_id, state in ((1, "online"), (2, "exit")):
        rect = view.bar_rect(session_id)
        assert rect is not None
        color = image.pixelColor(rect.center().toPoint())
        expected = state_color(state) if state == "online" else state_color(state).lighter(125)
        assert color.name() == expected.name(), state


def test_new_sessions_show_after_the_model_flushes(timeline):
    cache, model, view = timeline
    carol = cache.open("127.0.0.1", 50004, T0 + 50)
    carol.name = "Carol"
    model.mark_changed(carol.id)
    assert 4 not in view.visible_sessions()
    model.flush()
    assert view.visible_sessions() == [4, 1, 3, 2], "Carol, online and the newest, first"


def test_clicking_a_bar_reports_its_session(qtbot, timeline):
    _, _, view = timeline
    rect = view.bar_rect(2)
    assert rect is not None
    with qtbot.waitSignal(view.session_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert clicked.args == [2]
    with qtbot.assertNotEmitted(view.session_clicked):  # below the last row
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, view.viewport().height() - 2))


@pytest.mark.parametrize(("span", "width", "step"), [
    (10, 600, 2), (60, 600, 10), (3600, 900, 600), (86400 * 3, 600, 43200), (86400 * 30, 600, 86400), (5, 100, 5),
])
def test_axis_steps_keep_labels_apart(span, width, step):
    assert tick_step(span, width) == step


# --- message rate ----------------------------------------------------------------------------------


def test_message_rate_is_an_average_over_the_last_seconds():
    rate = MessageRate(window_s=5)
    assert rate.rate(now=100.0) == 0
    for second in range(100, 105):
        rate.count(20, now=second + 0.5)
    assert rate.rate(now=104.9) == 20.0
    assert rate.rate(now=107.2) == 8.0, "two of the five seconds have passed out of the window"
    assert rate.rate(now=200.0) == 0
    assert rate.total == 100
