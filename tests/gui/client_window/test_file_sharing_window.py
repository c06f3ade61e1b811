"""Sharing files between two client windows over the real server and client engines (loopback, real files): the
attach button, a drop and a paste each share; the card shows what was shared; Save downloads the same bytes; a
small image gets a thumbnail and a decompression bomb none; progress shows on the card both ways and Cancel stops a
transfer; Open asks first for a program; a file deleted on the server says expired on its card."""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from chat_gui.client import Conversation, TransferFailed, TransferFinished, TransferProblem
from chat_gui.client_window import file_dialogs, file_sharing
from chat_gui.client_window.file_card import Thumbnail
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind
from chat_gui.client_window.transcript_cards import CardAction, card_actions
from chat_gui.client_window.window import ClientWindow
from tests.conftest import WAIT_MS
from tests.gui.client_window.conftest import TRANSFER_WAIT_MS, Pair

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def photo(path: Path, width: int = 640, height: int = 400) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#5b8bd0"))
    assert image.save(str(path))
    return path


def bomb(path: Path) -> Path:
    """A valid PNG header claiming 60000 x 60000 pixels, with a little compressed data: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 9000))
                     + chunk(b"IEND", b""))
    return path


def big(path: Path, megabytes: int) -> Path:
    with path.open("wb") as out:
        block = os.urandom(1 << 20)
        for _ in range(megabytes):
            out.write(block)
    return path


def cards(window: ClientWindow) -> list[Entry]:
    return [entry for entry in window.entries() if entry.card is not None]


def share_and_wait(qtbot: QtBot, pair: Pair, share: Callable[[], object], count: int = 1) -> list[Entry]:
    """Run ``share`` in alice's window, wait until bob has ``count`` more cards, and return bob's new cards."""
    before = len(cards(pair.bob))
    share()
    qtbot.waitUntil(lambda: len(cards(pair.bob)) == before + count, timeout=TRANSFER_WAIT_MS)
    qtbot.waitUntil(lambda: all(entry.delivery is Delivery.ACKED for entry in cards(pair.alice)),
                    timeout=TRANSFER_WAIT_MS)
    return cards(pair.bob)[before:]


def click_card(qtbot: QtBot, window: ClientWindow, entry: Entry, action: CardAction) -> None:
    """Click ``action``'s button on ``entry``'s card in ``window``'s transcript (in view)."""
    view = window.transcript_view
    view.scrollTo(window.transcript.index(window.transcript.transcript.row_of_serial(entry.serial)))
    row = window.transcript.transcript.row_of_serial(entry.serial)
    geometry = view.itemDelegate().geometry(entry, view.viewport().width(), view.font(),  # type: ignore[attr-defined]
                                            window.transcript.transcript.uid).card
    point = geometry.buttons[action].center() + QPoint(0, view.visualRect(window.transcript.index(row)).top())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_attach_shares_a_file_and_the_card_says_what_it_is(qtbot: QtBot, pair: Pair, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4\n" + b"x" * 1_234_000)
    monkeypatch.setattr(file_dialogs.AttachDialog, "ask", classmethod(lambda cls, parent: [report]))
    [card_entry] = share_and_wait(qtbot, pair, pair.alice.files.attach_button.click)
    card = card_entry.card
    assert card is not None and card_entry.kind is EntryKind.OTHER and card_entry.sender == "alice"
    assert (card.name, card.size, card.mime) == ("report.pdf", report.stat().st_size, "application/pdf")
    assert card.details() == "1.2 MB · PDF document"
    assert card_actions(card) == [CardAction.SAVE, CardAction.OPEN]
    assert pair.bob.transcript_lines()[-1].endswith("): File report.pdf (1.2 MB · PDF document)")
    [own] = cards(pair.alice)  # alice's own bubble carries the card, stored, with the server's id
    assert own.kind is EntryKind.OWN and own.card is not None and own.card.file == card.file
    assert not own.card.running


def test_save_downloads_the_same_bytes(qtbot: QtBot, pair: Pair, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    original = big(tmp_path / "data.bin", 3)
    [entry] = share_and_wait(qtbot, pair, lambda: pair.alice.files.share(original))
    destination = tmp_path / "saved" / "data.bin"
    monkeypatch.setattr(file_dialogs.SaveDialog, "ask", classmethod(lambda cls, parent, name: destination))
    with qtbot.waitSignal(pair.bob.client.transfer_finished, timeout=TRANSFER_WAIT_MS) as finished:
        click_card(qtbot, pair.bob, entry, CardAction.SAVE)
    assert isinstance(finished.args[0], TransferFinished) and finished.args[0].path == destination
    assert sha256(destination) == sha256(original)
    assert entry.card is not None and not entry.card.running and not entry.card.problem


def test_a_small_image_gets_a_thumbnail_and_a_bomb_none(qtbot: QtBot, pair: Pair, tmp_path: Path) -> None:
    shared = share_and_wait(qtbot, pair, lambda: [pair.alice.files.share(photo(tmp_path / "holiday.png")),
                                                   pair.alice.files.share(bomb(tmp_path / "bomb.png"))], count=2)
    by_name = {entry.card.name: entry.card for entry in shared if entry.card is not None}
    holiday, exploding = by_name["holiday.png"], by_name["bomb.png"]  # (in the order they were stored)
    assert holiday.mime == exploding.mime == "image/png"  # the server's sniffing: both start like a PNG
    qtbot.waitUntil(lambda: holiday.thumbnail_state is Thumbnail.MADE
                    and exploding.thumbnail_state is Thumbnail.REFUSED, timeout=TRANSFER_WAIT_MS)
    assert holiday.thumbnail is not None and holiday.thumbnail.width() == 284  # the card's width
    assert exploding.thumbnail is None
    assert card_actions(exploding) == [CardAction.SAVE, CardAction.OPEN]  # still a file to save


def test_progress_shows_both_ways_and_cancel_stops_a_download(qtbot: QtBot, pair: Pair, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    original = big(tmp_path / "video.mp4", 60)
    uploading: list[tuple[bool, int]] = []  # alice's own card while her upload runs, before the ACK

    def seen(progress: object) -> None:
        own = cards(pair.alice)
        if own and own[-1].card is not None:
            uploading.append((own[-1].card.running, own[-1].card.done))
    pair.alice.client.transfer_progress.connect(seen)
    [entry] = share_and_wait(qtbot, pair, lambda: pair.alice.files.share(original))
    assert uploading and all(running for running, _done in uploading)  # the bar showed from the start ...
    assert [done for _running, done in uploading][-1] == original.stat().st_size  # ... and moved to the end
    own = cards(pair.alice)[-1].card
    assert own is not None and not own.running  # and went

    monkeypatch.setattr(file_dialogs.SaveDialog, "ask", classmethod(lambda cls, parent, name: tmp_path / "copy.mp4"))
    card = entry.card
    assert card is not None
    with qtbot.waitSignal(pair.bob.client.transfer_progress, timeout=TRANSFER_WAIT_MS):
        click_card(qtbot, pair.bob, entry, CardAction.SAVE)
    assert card.running and card_actions(card) == [CardAction.CANCEL]
    with qtbot.waitSignal(pair.bob.client.transfer_failed, timeout=TRANSFER_WAIT_MS) as failed:
        click_card(qtbot, pair.bob, entry, CardAction.CANCEL)
    assert isinstance(failed.args[0], TransferFailed) and failed.args[0].reason is TransferProblem.CANCELLED
    assert not card.running and card_actions(card) == [CardAction.SAVE, CardAction.OPEN]  # back to Save
    assert not (tmp_path / "copy.mp4").exists()


def test_a_file_dropped_on_the_window_is_shared(qtbot: QtBot, pair: Pair, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Friday: demo at 10\n")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(notes))])
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(pair.alice, enter)
    assert enter.isAccepted()  # files: the window takes them (and so the drop comes to it)
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    [entry] = share_and_wait(qtbot, pair, lambda: QApplication.sendEvent(pair.alice, drop))
    assert entry.card is not None and (entry.card.name, entry.card.mime) == ("notes.txt", "text/plain")


def test_a_pasted_image_is_shared_as_a_png(qtbot: QtBot, pair: Pair) -> None:
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#d05b5b"))
    QGuiApplication.clipboard().setImage(image)
    pair.alice.message_edit.setFocus()
    [entry] = share_and_wait(qtbot, pair, lambda: qtbot.keyClick(pair.alice.message_edit, Qt.Key.Key_V,
                                                                 Qt.KeyboardModifier.ControlModifier))
    assert entry.card is not None and entry.card.name.startswith("pasted-image-") and entry.card.name.endswith(".png")
    assert entry.card.mime == "image/png"
    assert pair.alice.message_edit.text() == ""  # shared, not pasted as text
    pasted = pair.alice.files.cache_folder / "pasted"
    qtbot.waitUntil(lambda: list(pasted.iterdir()) == [], timeout=WAIT_MS)  # stored: the saved copy is not kept


def test_open_asks_first_for_a_program_and_opens_the_fetched_copy(qtbot: QtBot, pair: Pair, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "tool.sh"
    script.write_text("#!/bin/sh\necho hello\n")
    [entry] = share_and_wait(qtbot, pair, lambda: pair.alice.files.share(script))
    asked: list[str] = []
    opened: list[Path] = []
    answer = [False]

    def ask(cls: object, parent: object, name: str, sender: str) -> bool:
        asked.append(name)
        return answer[0]

    def open_file(cls: object, path: Path) -> bool:
        opened.append(path)
        return True
    monkeypatch.setattr(file_dialogs.OpenProgramQuestion, "ask", classmethod(ask))
    monkeypatch.setattr(file_sharing.FileOpener, "open", classmethod(open_file))
    click_card(qtbot, pair.bob, entry, CardAction.OPEN)
    assert asked == ["tool.sh"] and opened == []  # refused: nothing fetched, nothing opened
    answer[0] = True
    with qtbot.waitSignal(pair.bob.client.transfer_finished, timeout=TRANSFER_WAIT_MS):
        click_card(qtbot, pair.bob, entry, CardAction.OPEN)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT_MS)
    assert opened[0].name == "tool.sh" and opened[0].is_relative_to(pair.bob.files.cache_folder)
    assert sha256(opened[0]) == sha256(script)


def test_a_file_shared_to_a_direct_conversation_goes_there(qtbot: QtBot, pair: Pair, tmp_path: Path) -> None:
    pair.alice.open_conversation(Conversation.direct("bob"))
    notes = tmp_path / "for-bob.txt"
    notes.write_text("just for you\n")
    before = len(pair.bob.entries(Conversation.direct("alice")))
    pair.alice.files.share(notes)
    qtbot.waitUntil(lambda: len(pair.bob.entries(Conversation.direct("alice"))) > before, timeout=TRANSFER_WAIT_MS)
    entry = pair.bob.entries(Conversation.direct("alice"))[-1]
    assert entry.card is not None and entry.card.name == "for-bob.txt"
    assert not [e for e in pair.bob.entries() if e.card is not None and e.card.name == "for-bob.txt"]


def test_sharing_offline_says_it_cannot(qtbot: QtBot, offline_window: Callable[[str], ClientWindow],
                                        tmp_path: Path) -> None:
    window = offline_window("c")
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    assert not window.files.attach_button.isEnabled()
    assert window.files.share(notes) is None
    assert window.transcript_lines()[-1].startswith("Files can be shared only while connected")
    assert window.files.share(tmp_path / "missing.txt") is None
    assert window.transcript_lines()[-1].startswith("missing.txt is not a file")

