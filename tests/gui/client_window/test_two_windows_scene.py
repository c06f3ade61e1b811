"""The README's picture of two windows of one member (issue 21), against the real server engine: alice reads #dev and
answers in one window; the other, open beside it, shows her answer as her own and #dev read, while carol sees one
alice. Saved with LANCHAT_TWO_WINDOWS_SCREENSHOT=docs/images/client-two-windows.png."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from chat_gui.client_window.transcript import EntryKind
from tests.conftest import WAIT_MS
from tests.gui.client_window.conftest import Windows
from tests.gui.client_window.test_member_windows import DEV, messages
from tests.gui.client_window.test_read_markers_window import in_front
from tests.gui.client_window.test_rooms_window import put_behind, unread

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

GAP = 12  # between the two windows in the picture


def test_a_room_read_and_answered_in_one_window_is_read_and_answered_in_the_other(
        qtbot: QtBot, windows: Windows) -> None:
    a, b, carol = windows
    with qtbot.waitSignal(b.client.room_entered, timeout=WAIT_MS):
        a.client.join_room("#dev")
    with qtbot.waitSignal(a.client.room_member_joined, timeout=WAIT_MS):
        carol.client.join_room("#dev")
    put_behind(qtbot, a)
    with qtbot.waitSignals([a.client.chat_received, b.client.chat_received], timeout=WAIT_MS):
        carol.client.send("The release notes for 2.4 are up: please read them before the demo.", DEV)
    qtbot.waitUntil(lambda: unread(b, DEV) == 1, timeout=WAIT_MS)
    a.open_conversation(DEV)
    in_front(qtbot, a)  # read in the first window ...
    qtbot.waitUntil(lambda: unread(b, DEV) == 0, timeout=WAIT_MS)  # ... and so in the second
    with qtbot.waitSignals([a.client.message_acked, b.client.chat_received], timeout=WAIT_MS):
        a.send_message("Reading them now, thanks!")  # (a shows #dev)
    b.open_conversation(DEV)
    assert messages(b, DEV) == [
        (EntryKind.OTHER, "carol", "The release notes for 2.4 are up: please read them before the demo."),
        (EntryKind.OWN, "alice", "Reading them now, thanks!")]
    assert messages(a, DEV) == messages(b, DEV)
    assert carol.members.names == ["carol", "alice"]  # one alice, however many windows

    path = os.environ.get("LANCHAT_TWO_WINDOWS_SCREENSHOT")
    if path:
        for window in (a, b):
            window.resize(760, 480)
        shots = [window.grab().toImage() for window in (a, b)]
        picture = QImage(shots[0].width() + GAP + shots[1].width(), max(s.height() for s in shots),
                         QImage.Format.Format_RGB32)
        picture.fill(QColor("#9aa5b1"))
        painter = QPainter(picture)
        painter.drawImage(QPoint(0, 0), shots[0])
        painter.drawImage(QPoint(shots[0].width() + GAP, 0), shots[1])
        painter.end()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        assert picture.save(path)
