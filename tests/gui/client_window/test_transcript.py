"""The transcript: a bounded store, its list model, and the bubble view over it."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from chat_gui.client import ChatMessage, Conversation
from chat_gui.client_window.transcript import (
    MAX_ENTRIES,
    Delivery,
    Entry,
    EntryKind,
    EntryRole,
    Transcript,
    TranscriptModel,
    message_entry,
)
from chat_gui.client_window.transcript_view import RowGeometry, TranscriptDelegate, TranscriptView, is_dark, mix, tone

NOW = 1_700_000_000.0


def message(i: int, sender: str = "Bob") -> Entry:
    return Entry(EntryKind.OTHER, f"message {i}", NOW + i, sender=sender, seq=i)


def own(message_id: str, text: str = "hello", delivery: Delivery = Delivery.SENDING) -> Entry:
    return Entry(EntryKind.OWN, text, NOW, message_id=message_id, delivery=delivery)


# --- the plain store --------------------------------------------------------------------------


def test_store_keeps_the_newest_entries_and_counts_all() -> None:
    transcript = Transcript(max_entries=10, trim_chunk=4)
    for i in range(1, 26):
        drop = transcript.overflow(1)
        if drop:
            transcript.drop_oldest(drop)
        transcript.append(message(i))
    assert len(transcript) <= 10
    assert transcript[-1].text == "message 25"
    assert transcript.total == 25
    assert [e.serial for e in transcript[:]] == list(range(26 - len(transcript), 26))


def test_store_finds_own_messages_until_they_are_settled_or_dropped() -> None:
    transcript = Transcript(max_entries=3, trim_chunk=1)
    transcript.append(own("1"))
    transcript.append(message(1))
    assert transcript.row_of("1") == 0
    assert transcript.rows_with(Delivery.SENDING) == [0]
    transcript.drop_oldest(transcript.overflow(2))
    transcript.append(message(2))
    transcript.append(own("2"))
    assert transcript.row_of("1") is None  # dropped with its entry
    assert transcript.row_of("2") == 2
    transcript.settle("2")
    assert transcript.row_of("2") is None


def test_summaries_say_who_what_and_when() -> None:
    acked = own("7", "ship it", Delivery.ACKED)
    acked.rtt_ms, acked.seq = 3.4, 12
    clock = time.strftime("%H:%M:%S", time.localtime(NOW))
    assert acked.summary() == f"You: ship it (✓ ACK {clock}, 3 ms)"
    assert "round trip: 3.4 ms" in acked.tooltip().lower() and "#12" in acked.tooltip()
    assert own("8", "later", Delivery.QUEUED).summary() == "You: later (waiting to reconnect)"
    assert message(0).summary() == f"Bob ({clock}): message 0"
    notice = Entry(EntryKind.NOTICE, "Maintenance at six", NOW, private=True)
    assert notice.summary() == "Server notice to you: Maintenance at six"


# --- the model --------------------------------------------------------------------------------


def test_a_relayed_message_of_the_member_itself_is_its_own_and_acknowledged() -> None:
    dev = Conversation.room("#dev")
    mine = message_entry(ChatMessage("alice", "from my other window @alice", 7, NOW, False, dev), "alice")
    assert (mine.kind, mine.sender, mine.delivery, mine.seq, mine.mentioned) == (
        EntryKind.OWN, "alice", Delivery.ACKED, 7, False)
    assert mine.summary().startswith("You: from my other window @alice (✓ ACK ")
    theirs = message_entry(ChatMessage("bob", "hi @alice", 8, NOW, True, dev), "alice")
    assert (theirs.kind, theirs.sender, theirs.delivery, theirs.seq, theirs.mentioned) == (
        EntryKind.OTHER, "bob", None, 8, True)
    assert message_entry(ChatMessage("", "x", 9, NOW), "").kind is EntryKind.OTHER  # no name yet: nobody's own


def test_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = TranscriptModel()
    model.add_many([message(i) for i in range(5)])
    model.add(own("1"))
    qtmodeltester.check(model)
    model.set_delivery("1", Delivery.ACKED, server_time=NOW, rtt_ms=2.0, seq=9)
    qtmodeltester.check(model)


def test_model_gives_text_tooltip_and_entry() -> None:
    model = TranscriptModel()
    model.add(message(1, "Carol"))
    index = model.index(0)
    assert index.data() == model.transcript[0].summary()
    assert "Carol" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(EntryRole) is model.transcript[0]
    assert model.rowCount(index) == 0  # a list: no children


def test_ack_changes_one_row_in_place(qtbot: QtBot) -> None:
    model = TranscriptModel()
    model.add_many([own("1"), message(1), own("2")])
    with qtbot.waitSignal(model.dataChanged) as changed:
        assert model.set_delivery("2", Delivery.ACKED, server_time=NOW + 5, rtt_ms=7.2, seq=3)
    assert changed.args is not None and changed.args[0].row() == 2
    entry = model.transcript[2]
    assert (entry.delivery, entry.time, entry.rtt_ms, entry.seq) == (Delivery.ACKED, NOW + 5, 7.2, 3)
    assert not model.set_delivery("2", Delivery.REFUSED)  # settled: no longer looked up
    assert not model.set_delivery("99", Delivery.ACKED)


def test_pending_messages_move_between_queued_and_sending() -> None:
    model = TranscriptModel()
    model.add_many([own("1"), own("2"), own("3", delivery=Delivery.QUEUED)])
    assert model.move_deliveries(Delivery.SENDING, Delivery.QUEUED, only={"2"}) == 1
    assert [e.delivery for e in model.entries()] == [Delivery.SENDING, Delivery.QUEUED, Delivery.QUEUED]
    assert model.move_deliveries(Delivery.QUEUED, Delivery.SENDING) == 2


def test_a_hundred_thousand_messages_keep_a_bounded_transcript(qtbot: QtBot) -> None:
    model = TranscriptModel(Transcript(max_entries=5000))
    view = TranscriptView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(500, 400)
    view.show()
    removed: list[int] = []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append(last - first + 1))
    total = 100_000
    batch = 1000  # as messages arrive: many per read
    for start in range(0, total, batch):
        model.add_many([message(i) for i in range(start, start + batch)])
    model.add(own("last", "the newest"))
    assert model.rowCount() <= 5000 and model.transcript.trimmed
    assert model.transcript.total == total + 1
    assert model.transcript[-1].text == "the newest"
    assert model.transcript[-2].text == f"message {total - 1}"
    assert sum(removed) == total + 1 - model.rowCount()
    assert model.set_delivery("last", Delivery.ACKED, server_time=NOW, rtt_ms=1.0, seq=total + 1)
    # The view follows the newest line.
    qtbot.waitUntil(lambda: view.verticalScrollBar().value() == view.verticalScrollBar().maximum() > 0)


def test_a_batch_bigger_than_the_limit_keeps_its_newest_part() -> None:
    model = TranscriptModel(Transcript(max_entries=50, trim_chunk=10))
    model.add_many([message(i) for i in range(120)])
    assert model.rowCount() == 50
    assert model.transcript[0].text == "message 70"


def test_pages_go_in_at_the_top_with_serials_counting_down(qtmodeltester: ModelTester, qtbot: QtBot) -> None:
    model = TranscriptModel(Transcript(max_entries=12))
    model.add_many([message(i) for i in range(20, 25)] + [own("1")])
    assert model.transcript.oldest_seq() == 20 and model.transcript.room == 6
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        assert model.prepend_many([message(i) for i in range(15, 20)]) == 5
    assert inserted.args is not None and (inserted.args[1], inserted.args[2]) == (0, 4)
    qtmodeltester.check(model)
    assert [e.seq for e in model.entries()] == [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, None]
    assert [e.serial for e in model.entries()] == list(range(-4, 7))
    assert model.transcript.row_of("1") == 10  # own messages are still found by their id
    assert model.transcript.row_of_serial(1) == 5 and model.transcript.oldest_seq() == 15
    assert model.prepend_many([message(i) for i in range(5, 15)]) == 1  # only what fits: the newest of the page
    assert model.transcript.oldest_seq() == 14 and model.transcript.room == 0
    assert not model.transcript.trimmed and model.transcript.total == 12
    model.add(message(25))
    assert model.transcript.trimmed  # full: the oldest went, and no earlier page may come in now


def test_the_default_bound_holds_a_conversation_loaded_by_scrolling() -> None:
    assert MAX_ENTRIES >= 100_000


# --- the view ---------------------------------------------------------------------------------


@pytest.fixture
def view(qtbot: QtBot) -> TranscriptView:
    view = TranscriptView()
    qtbot.addWidget(view)
    view.setModel(TranscriptModel(parent=view))
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def geometry_of(view: TranscriptView, row: int) -> RowGeometry:
    model, delegate = view.model(), view.itemDelegate()
    assert isinstance(model, TranscriptModel) and isinstance(delegate, TranscriptDelegate)
    return delegate.geometry(model.transcript[row], view.viewport().width(), view.font())


def test_own_messages_sit_right_and_others_left(view: TranscriptView) -> None:
    model = view.model()
    assert isinstance(model, TranscriptModel)
    model.add_many([message(1), own("1"), Entry(EntryKind.JOINED, "Carol joined · 3/3 online", NOW)])
    width = view.viewport().width()
    other, mine, joined = geometry_of(view, 0), geometry_of(view, 1), geometry_of(view, 2)
    assert other.bubble.left() < width // 4
    assert mine.bubble.right() > width * 3 // 4
    assert joined.text.width() > width // 2  # a centred line across the view
    for g in (other, mine, joined):
        assert g.height > 0 and g.text.height() > 0


def test_long_text_wraps_inside_the_bubble(view: TranscriptView) -> None:
    model = view.model()
    assert isinstance(model, TranscriptModel)
    model.add_many([Entry(EntryKind.OTHER, "word " * 300, NOW, sender="Bob"),
                    Entry(EntryKind.OTHER, "x" * 3000, NOW, sender="Bob")])  # one endless word
    one_line = geometry_of(view, 0).text.height()
    for row in (0, 1):
        g = geometry_of(view, row)
        assert g.bubble.width() <= view.viewport().width()
        assert g.text.height() > 3 * view.fontMetrics().height()
    assert one_line > 0
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.font = view.font()
    assert view.itemDelegate().sizeHint(option, model.index(1)).height() == geometry_of(view, 1).height


def test_the_ack_mark_fits_the_bubble_made_for_sending(view: TranscriptView) -> None:
    model = view.model()
    assert isinstance(model, TranscriptModel)
    model.add(own("1", "ok"))
    before = geometry_of(view, 0).bubble
    model.set_delivery("1", Delivery.ACKED, server_time=NOW, rtt_ms=1234.0, seq=1)
    delegate = view.itemDelegate()
    assert isinstance(delegate, TranscriptDelegate)
    delegate.forget_sizes()
    assert geometry_of(view, 0).bubble == before


def test_copy_gives_the_selected_lines(view: TranscriptView) -> None:
    model = view.model()
    assert isinstance(model, TranscriptModel)
    model.add_many([message(1), message(2)])
    view.selectAll()
    assert view.selected_text().splitlines() == [model.transcript[0].summary(), model.transcript[1].summary()]


def test_colours_follow_the_palette() -> None:
    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.Base, QColor("white"))
    dark.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    assert not is_dark(light) and is_dark(dark)
    assert tone(200, dark).lightness() > tone(200, light).lightness()  # names stay readable
    assert mix(QColor("black"), QColor("white"), 0.5).lightness() in range(120, 136)


def _changed_area(first: QImage, second: QImage) -> QRect:
    """The smallest rectangle holding every pixel that differs between two grabs of one size."""
    first = first.convertToFormat(QImage.Format.Format_RGB32)
    second = second.convertToFormat(QImage.Format.Format_RGB32)
    area = QRect()
    for y in range(first.height()):
        for x in range(first.width()):
            if first.pixel(x, y) != second.pixel(x, y):
                area = area.united(QRect(x, y, 1, 1))
    return area


def test_empty_view_shows_a_placeholder_in_its_middle_and_only_while_empty(view: TranscriptView) -> None:
    assert view.placeholder == "No messages yet."
    port = view.viewport()
    with_text = port.grab().toImage()
    view.placeholder = ""
    without = port.grab().toImage()
    # The words are painted, centred, where the text would be: not a pixel changes anywhere else.
    painted = _changed_area(with_text, without)
    text = port.fontMetrics().boundingRect("No messages yet.")
    text.moveCenter(port.rect().center())
    assert not painted.isEmpty() and text.adjusted(-2, -2, 2, 2).contains(painted), (painted, text)
    assert painted.width() >= text.width() // 2  # the whole line, not a speck
    # With a message in the view, no placeholder is drawn.
    model = view.model()
    assert isinstance(model, TranscriptModel)
    model.add_many([message(1)])
    filled_without = port.grab().toImage()
    view.placeholder = "No messages yet."
    assert _changed_area(port.grab().toImage(), filled_without).isEmpty()
