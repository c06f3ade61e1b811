"""The README's picture of shared files (issue 22), against the real server and client engines: alice shares a photo
and a PDF with a caption in #lobby; bob's window shows the photo's card with its thumbnail and the PDF's card with
Save and Open. Bob's own upload in progress is put on his transcript as it looks mid-way (a real one on loopback is
over before a picture could be taken). Saved with LANCHAT_FILES_SCREENSHOT=docs/images/client-files.png."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QRadialGradient
from pytestqt.qtbot import QtBot

from chat_gui.client import TransferDirection
from chat_gui.client_window.file_card import FileCard, Thumbnail
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind
from tests.gui.client_window.conftest import TRANSFER_WAIT_MS, Pair
from tests.gui.client_window.test_file_sharing_window import cards, share_and_wait

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def sunset(path: Path) -> Path:
    """A picture worth a thumbnail: a sky going from blue to orange, a sun, and a dark sea."""
    image = QImage(1200, 800, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    sky = QLinearGradient(0, 0, 0, 560)
    sky.setColorAt(0, QColor("#2b4c8c"))
    sky.setColorAt(1, QColor("#f2a65a"))
    painter.fillRect(0, 0, 1200, 560, sky)
    sun = QRadialGradient(QPointF(760, 520), 120)
    sun.setColorAt(0, QColor("#fff3c4"))
    sun.setColorAt(1, QColor(255, 200, 120, 0))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(sun)
    painter.drawEllipse(QPointF(760, 520), 120, 120)
    sea = QLinearGradient(0, 560, 0, 800)
    sea.setColorAt(0, QColor("#24435f"))
    sea.setColorAt(1, QColor("#0f1f2e"))
    painter.fillRect(0, 560, 1200, 240, sea)
    painter.end()
    assert image.save(str(path), quality=85)  # a JPEG, as its name says
    return path


def test_a_photo_and_a_pdf_shared_in_the_lobby(qtbot: QtBot, pair: Pair, tmp_path: Path) -> None:
    alice, bob = pair.alice, pair.bob
    report = tmp_path / "report-q3.pdf"
    report.write_bytes(b"%PDF-1.7\n" + b"%" * 1_480_000)
    with qtbot.waitSignal(bob.client.chat_received, timeout=TRANSFER_WAIT_MS):
        alice.send_message("Photos from Saturday, and the report for Friday's meeting")
    [first] = share_and_wait(qtbot, pair, lambda: alice.files.share(sunset(tmp_path / "sunset.jpg")))
    [second] = share_and_wait(qtbot, pair, lambda: alice.files.share(report, "Please read before Friday"))
    photo, pdf = first.card, second.card
    assert photo is not None and pdf is not None
    assert (photo.name, photo.mime, pdf.name, pdf.mime) == ("sunset.jpg", "image/jpeg", "report-q3.pdf",
                                                           "application/pdf")
    qtbot.waitUntil(lambda: photo.thumbnail_state is Thumbnail.MADE, timeout=TRANSFER_WAIT_MS)
    assert pdf.details() == "1.5 MB · PDF document"
    assert [line.split("): ", 1)[1] for line in bob.transcript_lines()[-3:]] == [
        "Photos from Saturday, and the report for Friday's meeting",
        "File sunset.jpg (" + photo.details() + ")",
        "File report-q3.pdf (1.5 MB · PDF document): Please read before Friday"]
    assert len(cards(alice)) == 2

    path = os.environ.get("LANCHAT_FILES_SCREENSHOT")
    if path:
        upload = FileCard("harbour-walk.mp4", 52_400_000, transfer_id="staged", direction=TransferDirection.UP,
                          done=21_700_000, bytes_per_s=38_200_000, seconds_left=0.8)
        bob.transcript.add(Entry(EntryKind.OWN, "", time.time(), sender="bob", message_id="staged",
                                 delivery=Delivery.SENDING, card=upload))
        bob.resize(900, 760)
        bob.transcript_view.scroll_to_bottom()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        assert bob.grab().save(path)
