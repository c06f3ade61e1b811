"""The file card in the transcript, drawn and clicked in a real view: its words (name, size, type, sender), its
buttons by state (Save and Open; Cancel while a transfer runs; none once expired), a thumbnail that grows the row,
and a card in sight that asks for its thumbnail."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from chat_gui.client import SharedFile, TransferDirection
from chat_gui.client_window.card_menu import CardMenu, card_at
from chat_gui.client_window.file_card import FileCard, Thumbnail, is_executable, speed_text
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind, TranscriptModel
from chat_gui.client_window.transcript_cards import CardAction, card_actions
from chat_gui.client_window.transcript_view import TranscriptDelegate, TranscriptView
from tests.conftest import WAIT_MS

REPORT = SharedFile("a" * 32, "report.pdf", 1_234_567, "application/pdf", "b" * 64)
PHOTO = SharedFile("c" * 32, "holiday.png", 345_678, "image/png", "d" * 64)


@pytest.fixture
def shown(qtbot: QtBot) -> tuple[TranscriptView, TranscriptModel]:
    model = TranscriptModel()
    view = TranscriptView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(640, 600)
    view.show()
    qtbot.waitExposed(view)
    return view, model


def button_point(view: TranscriptView, model: TranscriptModel, entry: Entry, action: CardAction) -> QPoint:
    """The middle of ``action``'s button on ``entry``'s card, in the view's viewport."""
    row = model.transcript.row_of_serial(entry.serial)
    delegate = view.itemDelegate()
    assert isinstance(delegate, TranscriptDelegate)
    geometry = delegate.geometry(entry, view.viewport().width(), view.font(), model.transcript.uid).card
    assert geometry is not None
    return geometry.buttons[action].center() + QPoint(0, view.visualRect(model.index(row)).top())


def test_a_card_says_the_name_size_type_and_sender(shown: tuple[TranscriptView, TranscriptModel]) -> None:
    _view, model = shown
    model.add(Entry(EntryKind.OTHER, "for Friday", time.time(), sender="bob", card=FileCard.of(REPORT)))
    model.add(Entry(EntryKind.OTHER, "", time.time(), sender="carol", card=FileCard.of(PHOTO)))
    lines = [str(model.index(row).data()) for row in range(model.rowCount())]
    assert lines[0].startswith("bob (") and lines[0].endswith("): File report.pdf (1.2 MB · PDF document): for Friday")
    assert lines[1].endswith("): File holiday.png (345.7 KB · PNG image)")


def test_save_and_open_are_clicked_on_the_card(qtbot: QtBot, shown: tuple[TranscriptView, TranscriptModel]) -> None:
    view, model = shown
    CardMenu(view)  # (the window's files put it there)
    entry = Entry(EntryKind.OTHER, "", time.time(), sender="bob", card=FileCard.of(REPORT))
    model.add(entry)
    for action in (CardAction.SAVE, CardAction.OPEN):
        with qtbot.waitSignal(view.card_clicked, timeout=WAIT_MS) as clicked:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=button_point(view, model, entry, action))
        assert clicked.args == [entry, action.value]
    assert card_at(view, QPoint(2, 2)) is None  # beside the bubble: no button
    with qtbot.assertNotEmitted(view.card_clicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(2, 2))


def test_a_running_transfer_shows_its_progress_and_cancel_only(qtbot: QtBot,
                                                                shown: tuple[TranscriptView, TranscriptModel]) -> None:
    view, model = shown
    CardMenu(view)
    card = FileCard("video.mp4", 52_000_000, local_path=None, transfer_id="t1", direction=TransferDirection.UP,
                    done=21_000_000, bytes_per_s=3_400_000, seconds_left=9.2)
    entry = Entry(EntryKind.OWN, "", time.time(), sender="alice", message_id="t1", delivery=Delivery.SENDING,
                  card=card)
    model.add(entry)
    assert card_actions(card) == [CardAction.CANCEL]
    assert card.progress_text() == "21.0 MB of 52.0 MB · 3.4 MB/s · 10 s left"
    assert str(model.index(0).data()) == ("You: File video.mp4 (52.0 MB · MP4) · 21.0 MB of 52.0 MB · 3.4 MB/s · "
                                          "10 s left (sending…)")
    with qtbot.waitSignal(view.card_clicked, timeout=WAIT_MS) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=button_point(view, model, entry, CardAction.CANCEL))
    assert clicked.args == [entry, "cancel"]


def test_an_expired_card_says_so_and_has_no_buttons(shown: tuple[TranscriptView, TranscriptModel]) -> None:
    _view, model = shown
    card = FileCard.of(REPORT)
    card.expire()
    model.add(Entry(EntryKind.OTHER, "", time.time(), sender="bob", card=card))
    assert card.expired and card_actions(card) == []
    assert str(model.index(0).data()).endswith("File report.pdf (1.2 MB · PDF document) · expired")


def test_an_image_card_in_sight_asks_for_its_thumbnail_which_grows_the_row(
        qtbot: QtBot, shown: tuple[TranscriptView, TranscriptModel]) -> None:
    view, model = shown
    entry = Entry(EntryKind.OTHER, "", time.time(), sender="carol", card=FileCard.of(PHOTO))
    with qtbot.waitSignal(view.card_shown, timeout=WAIT_MS) as asked:
        model.add(entry)
    assert asked.args == [entry]
    before = view.visualRect(model.index(0)).height()
    image = QImage(200, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    assert entry.card is not None
    entry.card.thumbnail, entry.card.thumbnail_state = image, Thumbnail.MADE
    assert model.entry_changed(entry)
    assert view.visualRect(model.index(0)).height() == before + 100 + 6  # the picture and the gap under it
    assert not entry.card.wants_thumbnail()
    other = TranscriptModel()
    assert not other.entry_changed(entry)  # not in that transcript


def test_what_opening_asks_about_and_how_speed_is_said() -> None:
    assert is_executable("setup.EXE", "application/octet-stream")
    assert is_executable("notes.txt", "application/x-executable")
    assert not is_executable("report.pdf", "application/pdf")
    assert speed_text(0, None) == ""
    assert speed_text(2_100_000, 4000) == "2.1 MB/s · 1 h 6 min left"
    assert speed_text(0, 90) == "2 min left"


@pytest.mark.qt_log_ignore("does not support (raise|grabbing the keyboard)")  # (a menu, offscreen)
def test_enter_and_the_context_menu_press_a_cards_buttons(qtbot: QtBot,
                                                          shown: tuple[TranscriptView, TranscriptModel]) -> None:
    view, model = shown
    keys = CardMenu(view)
    entry = Entry(EntryKind.OTHER, "", time.time(), sender="bob", card=FileCard.of(REPORT))
    model.add(Entry(EntryKind.OTHER, "no card here", time.time(), sender="bob"))
    model.add(entry)
    view.setFocus()
    view.setCurrentIndex(model.index(1))
    with qtbot.waitSignal(view.card_clicked, timeout=WAIT_MS) as clicked:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert clicked.args == [entry, "save"]
    view.setCurrentIndex(model.index(0))
    with qtbot.assertNotEmitted(view.card_clicked):
        qtbot.keyClick(view, Qt.Key.Key_Return)  # not a card: Enter does what it did
    view.setCurrentIndex(model.index(1))
    QApplication.sendEvent(view, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(5, 5), QPoint(5, 5)))
    menu = keys.menu
    assert menu is not None and [action.text() for action in menu.actions()] == ["Save…", "Open"]
    with qtbot.waitSignal(view.card_clicked, timeout=WAIT_MS) as clicked:
        menu.actions()[1].trigger()
    assert clicked.args == [entry, "open"]
    menu.close()
    on_card = view.visualRect(model.index(1)).center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, on_card,
                                                              view.viewport().mapToGlobal(on_card)))
    second = keys.menu
    assert second is not None and second is not menu
    assert [action.text() for action in second.actions()] == ["Save…", "Open"]
    second.close()
