"""Thumbnails of shared images, made under limits: a file from the network may claim any size.

An image's header is read first (``QImageReader.size()``); one that claims more than ``MAX_PIXELS`` or more than
``MAX_SIDE`` pixels a side is refused without decoding a byte of it (a decompression bomb: a few kilobytes of PNG
that would unpack to gigabytes). The reader's allocation limit is a second fence, for a header that lies. Only the
types the server's content sniffing calls images are read (no SVG, whose reader follows entities and references),
and a truncated or broken file gives no thumbnail, never an exception. The decoding runs on a worker thread
(``ThumbnailMaker``), so a large photo never holds up the window.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal, Slot
from PySide6.QtGui import QImage, QImageReader

THUMBNAIL_MAX_BYTES = 10_000_000
"""Images up to this size are fetched by themselves to show a thumbnail; larger ones only when Save or Open asks."""
MAX_PIXELS = 40_000_000
"""An image of more pixels than this is not decoded (40 megapixels: a large camera's photo)."""
MAX_SIDE = 16_384
"""Nor one wider or taller than this."""
ALLOCATION_LIMIT_MB = 192
"""The reader's own limit on the image it allocates, in MiB: ``MAX_PIXELS`` at 4 bytes a pixel, with room."""
THUMBNAIL_MAX_HEIGHT = 240
"""A thumbnail is scaled to the card's width, and no taller than this."""
THUMBNAIL_FORMATS = frozenset({b"png", b"jpeg", b"gif", b"webp", b"bmp"})
"""The formats a thumbnail is made of: those the server recognises as images by their content."""


def image_fits(size: QSize) -> bool:
    """Whether an image of ``size`` (as its header claims) may be decoded."""
    width, height = size.width(), size.height()
    return 0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE and width * height <= MAX_PIXELS


def thumbnail_size(size: QSize, width: int, max_height: int = THUMBNAIL_MAX_HEIGHT) -> QSize:
    """``size`` scaled down (never up) to at most ``width`` wide and ``max_height`` tall, keeping its shape."""
    scale = min(1.0, width / size.width(), max_height / size.height())
    return QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))


def make_thumbnail(path: str | Path, width: int, max_height: int = THUMBNAIL_MAX_HEIGHT) -> QImage | None:
    """A thumbnail of the image at ``path`` at most ``width`` wide, or None: not an image of a known type, too
    large to decode safely, or broken. Safe on any thread (QImage, not QPixmap)."""
    reader = QImageReader(str(path))
    reader.setDecideFormatFromContent(True)
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    if bytes(reader.format().data()) not in THUMBNAIL_FORMATS:
        return None
    size = reader.size()
    if not image_fits(size):
        return None
    reader.setScaledSize(thumbnail_size(size, max(1, width), max_height))
    image = reader.read()
    return None if image.isNull() else image


class ThumbnailMaker(QObject):
    """Makes thumbnails on worker threads, one at a time per file; ``thumbnail_made`` reports each on the Qt
    thread (``image`` is None when the file gives none)."""

    thumbnail_made = Signal(str, object)  # key, QImage | None
    _made = Signal(str, object)  # from a worker thread: queued to this object's thread

    def __init__(self, width: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.width = width
        self._busy: set[str] = set()
        self._made.connect(self._on_made, Qt.ConnectionType.QueuedConnection)

    def request(self, key: str, path: str | Path) -> bool:
        """Start making ``key``'s thumbnail of ``path``; False if one for ``key`` is being made already."""
        if key in self._busy:
            return False
        self._busy.add(key)
        threading.Thread(target=self._make, args=(key, str(path)), name=f"thumbnail-{key[:8]}", daemon=True).start()
        return True

    def busy(self) -> bool:
        return bool(self._busy)

    def _make(self, key: str, path: str) -> None:
        image = make_thumbnail(path, self.width)
        with contextlib.suppress(RuntimeError):  # the maker (its window) was closed meanwhile: nobody waits
            self._made.emit(key, image)

    @Slot(str, object)
    def _on_made(self, key: str, image: QImage | None) -> None:
        self._busy.discard(key)
        self.thumbnail_made.emit(key, image)
