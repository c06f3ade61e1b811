"""Mentions in the client window, against a scripted server that speaks rooms (a real socket): Tab completes @name
from the room's members, a message that mentions this member is highlighted, notifies even in a muted room and counts
in the sidebar's "@" badge; the highlight and the badge stay readable on light and dark palettes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY
from chat_gui.client_window.attention import Looking, notifies
from chat_gui.client_window.conversations import ConversationItem, MentionsRole, describe
from chat_gui.client_window.member_colors import MIN_TEXT_CONTRAST, contrast_ratio, member_color
from chat_gui.client_window.sidebar import mention_badge_text
from chat_gui.client_window.transcript import Entry, EntryKind
from chat_gui.client_window.transcript_marks import mention_accent, mention_badge_ink
from chat_gui.client_window.transcript_view import _bubble_color
from chat_gui.client_window.window import ClientWindow
from chat_server import protocol as p
from tests.gui.client_window.test_member_colors import ASSIGNED, CHOSEN, PALETTES
from tests.gui.client_window.test_rooms_window import BOB, DEV, OPS, action, deliver, put_behind, unread
from tests.gui.client_window.v2_server import ScriptedServer

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def mentions(window: ClientWindow, conversation: object) -> int:
    return int(window.conversations.index_of(conversation).data(MentionsRole))  # type: ignore[arg-type]


def test_a_mention_notifies_even_in_a_muted_room_and_only_when_not_in_view() -> None:
    at_dev, behind = Looking(DEV, in_front=True), Looking(DEV, in_front=False)
    assert notifies(OPS, at_dev, muted=True, mentioned=True)  # a muted room, not selected: still
    assert notifies(OPS, at_dev, muted=False, mentioned=True)  # a room not selected: a mention notifies
    assert not notifies(OPS, at_dev, muted=False)  # a plain message there does not
    assert not notifies(DEV, at_dev, muted=True, mentioned=True)  # in view: never
    assert notifies(DEV, behind, muted=True, mentioned=True)
    assert notifies(BOB, at_dev, muted=False, mentioned=True)


@pytest.mark.parametrize("name", list(PALETTES))
def test_the_mention_highlight_and_badge_read_at_4_5_to_1(name: str) -> None:
    pal = PALETTES[name]
    plain = _bubble_color(Entry(EntryKind.OTHER, "hi", 0.0, sender="x"), pal)
    marked = _bubble_color(Entry(EntryKind.OTHER, "hi @me", 0.0, sender="x", mentioned=True), pal)
    assert marked.rgb() != plain.rgb()  # a distinct bubble
    text = pal.color(QPalette.ColorRole.Text)
    assert contrast_ratio(text, marked) >= MIN_TEXT_CONTRAST, marked.name()
    for member in ASSIGNED + CHOSEN:  # the sender's name over the highlighted bubble
        assert contrast_ratio(member_color(member, pal, marked), marked) >= MIN_TEXT_CONTRAST, member
    accent = mention_accent(pal)
    assert contrast_ratio(mention_badge_ink(pal), accent) >= MIN_TEXT_CONTRAST, accent.name()
    assert contrast_ratio(accent, pal.color(QPalette.ColorRole.Base)) >= 3.0  # the stripe and badge stand out


def test_the_badge_and_what_a_screen_reader_hears() -> None:
    assert mention_badge_text(2) == "@2" and mention_badge_text(120) == "@99+"
    assert describe(ConversationItem(DEV, unread=3, mentions=1)) == "#dev, room, 3 unread, 1 mentioning you"


def test_tab_completes_a_member_of_the_room_and_cycles(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    window.sidebar.select(DEV)
    scripted.send(p.RoomMembers(room="#dev", members=("alice", "albert", "bob"), offline=("alfred",)))
    qtbot.waitUntil(lambda: window.member_panel.rosters.counts(DEV) == (3, 1), timeout=5000)
    edit = window.message_edit
    edit.setFocus()
    edit.setText("hi @al")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert (edit.text(), edit.cursorPosition()) == ("hi @albert ", 11)
    assert edit.hasFocus()  # Tab completed: the focus stayed
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.text() == "hi @alfred "  # an offline member of the room too; never alice herself
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.text() == "hi @albert "
    edit.setText("no mention here")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # nothing to complete: Tab moves the focus on, as usual
    assert edit.text() == "no mention here" and not edit.hasFocus()


def test_a_mention_is_highlighted_notified_in_a_muted_room_and_counted_apart(
        qtbot: QtBot, scripted: ScriptedServer, open_window: Callable[..., ClientWindow]) -> None:
    window = open_window(scripted)
    action(window, DEV, "Mute notifications").trigger()
    put_behind(qtbot, window)
    notified: list[tuple[str, str]] = []
    window.notifier.notified.connect(lambda title, text: notified.append((title, text)))
    deliver(qtbot, scripted, window,
            p.Relay(sender="bob", text="plain", seq=1, time=1.0, room="#dev"),
            p.Relay(sender="bob", text="@ALICE can you look?", seq=2, time=2.0, room="#dev"),
            p.Relay(sender="bob", text="mail alice@example.org", seq=3, time=3.0, room="#dev"),
            p.Relay(sender="carol", text="thanks @alice!", seq=4, time=4.0))
    assert [entry.mentioned for entry in window.entries(DEV)] == [False, True, False]
    assert notified == [("bob in #dev (to alice)", "@ALICE can you look?"), ("carol (to alice)", "thanks @alice!")]
    assert (unread(window, DEV), mentions(window, DEV)) == (3, 1)
    assert (unread(window, LOBBY), mentions(window, LOBBY)) == (1, 1)
    window.sidebar.grab()  # the badges are drawn (unread and "@1") without a warning
    window.sidebar.select(DEV)
    window.transcript_view.grab()  # and the highlighted bubble
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    assert (unread(window, DEV), mentions(window, DEV)) == (0, 0)
    assert QColor(_bubble_color(window.entries(DEV)[1], window.palette())).isValid()
