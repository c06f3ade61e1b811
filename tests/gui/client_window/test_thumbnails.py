"""Thumbnails of shared images under limits: a small image gives one, a decompression bomb, an image too wide, a
truncated file, a file that is no image and an SVG give none, and no exception."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from chat_gui.client_window.thumbnails import (
    MAX_PIXELS,
    MAX_SIDE,
    THUMBNAIL_MAX_HEIGHT,
    ThumbnailMaker,
    image_fits,
    make_thumbnail,
    thumbnail_size,
)
from tests.conftest import WAIT_MS


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header claiming ``width`` x ``height`` RGB pixels, with a few rows of zeros compressed after it:
    a few kilobytes that would unpack to width * height * 3 bytes."""
    rows = zlib.compress(b"\x00" * (1 + width * 3) * min(height, 64), 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def picture(path: Path, width: int, height: int, colour: str = "#3a7bd5") -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))  # in the type its suffix names
    return path


def test_a_small_png_is_scaled_to_the_width_keeping_its_shape(tmp_path: Path) -> None:
    thumbnail = make_thumbnail(picture(tmp_path / "photo.png", 400, 200), 160)
    assert thumbnail is not None
    assert (thumbnail.width(), thumbnail.height()) == (160, 80)
    assert thumbnail.pixelColor(80, 40).name() == "#3a7bd5"


def test_an_image_narrower_than_the_card_keeps_its_size_and_a_tall_one_its_height_limit(tmp_path: Path) -> None:
    small = make_thumbnail(picture(tmp_path / "icon.jpg", 48, 32), 300)
    assert small is not None and (small.width(), small.height()) == (48, 32)
    tall = make_thumbnail(picture(tmp_path / "tall.png", 100, 1000), 300)
    assert tall is not None and (tall.width(), tall.height()) == (24, THUMBNAIL_MAX_HEIGHT)


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_claiming(60_000, 60_000))
    assert bomb.stat().st_size < 100_000  # a few kilobytes that claim 10.8 GB of pixels
    assert make_thumbnail(bomb, 300) is None


@pytest.mark.parametrize(("width", "height"), [(MAX_SIDE + 1, 10), (10, MAX_SIDE + 1), (8000, 6000)])
def test_an_image_too_wide_too_tall_or_of_too_many_pixels_is_refused(tmp_path: Path, width: int,
                                                                     height: int) -> None:
    path = tmp_path / "large.png"
    path.write_bytes(png_claiming(width, height))
    assert make_thumbnail(path, 300) is None


def test_the_limits_themselves() -> None:
    assert image_fits(QSize(MAX_SIDE, MAX_PIXELS // MAX_SIDE))
    assert not image_fits(QSize(MAX_SIDE, MAX_PIXELS // MAX_SIDE + 1))
    assert not image_fits(QSize(0, 10)) and not image_fits(QSize(-1, -1))
    assert thumbnail_size(QSize(1000, 10), 100) == QSize(100, 1)


@pytest.mark.qt_log_ignore("libpng error")
def test_a_truncated_png_gives_no_thumbnail(tmp_path: Path) -> None:
    whole = picture(tmp_path / "whole.png", 300, 200).read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole[:len(whole) // 2])
    assert make_thumbnail(cut, 300) is None


def test_text_an_svg_and_an_empty_file_give_none(tmp_path: Path) -> None:
    (tmp_path / "notes.png").write_text("not an image at all\n")
    (tmp_path / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                          '<rect width="10" height="10"/></svg>')
    (tmp_path / "empty.png").write_bytes(b"")
    for name in ("notes.png", "drawing.svg", "empty.png", "missing.png"):
        assert make_thumbnail(tmp_path / name, 300) is None, name


def test_the_maker_reports_each_thumbnail_on_the_qt_thread(qtbot: QtBot, tmp_path: Path) -> None:
    maker = ThumbnailMaker(120)
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_claiming(60_000, 60_000))
    made: dict[str, QImage | None] = {}
    maker.thumbnail_made.connect(lambda key, image: made.__setitem__(key, image))
    assert maker.request("good", picture(tmp_path / "good.png", 240, 240))
    assert not maker.request("good", tmp_path / "good.png")  # being made already
    assert maker.request("bomb", bomb)
    qtbot.waitUntil(lambda: len(made) == 2 and not maker.busy(), timeout=WAIT_MS)
    good = made["good"]
    assert good is not None and (good.width(), good.height()) == (120, 120)
    assert made["bomb"] is None
