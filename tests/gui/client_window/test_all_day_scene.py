"""The README's picture of a day in the chat (issue 21), against the real server engine: a mention of alice in #dev
that came while she was elsewhere (highlighted, counted apart in the sidebar), the "New messages" line above it,
bob typing, carol away in the member list, and her mention of alice in #lobby counted in its badge.
Saved with LANCHAT_ALL_DAY_SCREENSHOT=docs/images/client-all-day.png."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation
from chat_gui.client_window.conversations import MentionsRole, UnreadRole
from chat_gui.client_window.window import ClientWindow
from tests.conftest import WAIT_MS
from tests.gui.client_window.test_read_markers_window import in_front
from tests.gui.client_window.test_rooms_window import put_behind

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

DEV = Conversation.room("#dev")


def say(qtbot: QtBot, window: ClientWindow, text: str, conversation: Conversation) -> None:
    with qtbot.waitSignal(window.client.message_acked, timeout=WAIT_MS):
        window.client.send(text, conversation)


def test_a_mention_while_away_from_the_room_the_new_messages_line_typing_and_away(
        qtbot: QtBot, trio: list[ClientWindow]) -> None:
    alice, bob, carol = trio
    for window in trio:
        with qtbot.waitSignal(window.client.room_entered, timeout=WAIT_MS):
            window.client.join_room("#dev")
    alice.open_conversation(DEV)
    in_front(qtbot, alice)
    say(qtbot, bob, "Build 412 is green on every platform.", DEV)
    qtbot.waitUntil(lambda: alice.client.read_marker(DEV) == bob.client.last_seq, timeout=WAIT_MS)

    # alice looks at #lobby, then away from the window; #dev goes on without her.
    alice.open_conversation(LOBBY)
    put_behind(qtbot, alice)
    carol.client.set_away("at lunch until 1")
    qtbot.waitUntil(lambda: alice.client.away_of("carol") == "at lunch until 1", timeout=WAIT_MS)
    say(qtbot, carol, "I will test the installer after lunch.", DEV)
    say(qtbot, bob, "@alice can you read the release notes before I tag it?", DEV)
    qtbot.waitUntil(lambda: alice.conversations.index_of(DEV).data(MentionsRole) == 1, timeout=WAIT_MS)
    assert alice.conversations.index_of(DEV).data(UnreadRole) == 2

    # She comes back to #dev: the line stands above what she had not read, and bob starts typing.
    in_front(qtbot, alice)
    alice.open_conversation(DEV)
    row = alice.transcript_view.new_messages_row()
    assert row is not None and alice.entries(DEV)[row].text == "I will test the installer after lunch."
    qtbot.keyClicks(bob.message_edit, "tagging")
    qtbot.waitUntil(lambda: alice.typing_line.text == "bob is typing…", timeout=WAIT_MS)
    carol_row = alice.members.names.index("carol")
    assert alice.members.data(alice.members.index(carol_row), Qt.ItemDataRole.DisplayRole) \
        == "carol · away: at lunch until 1"
    say(qtbot, carol, "@alice coffee when I am back?", LOBBY)  # counted apart in #lobby's badge
    qtbot.waitUntil(lambda: alice.conversations.index_of(LOBBY).data(MentionsRole) == 1, timeout=WAIT_MS)
    alice.message_edit.setText("On it: ")
    alice.resize(900, 560)
    assert not alice.members_view.horizontalScrollBar().isVisible()  # carol's long row ends in "…" instead
    path = os.environ.get("LANCHAT_ALL_DAY_SCREENSHOT")
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        assert alice.grab().save(path)
