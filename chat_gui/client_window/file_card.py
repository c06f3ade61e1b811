"""A shared file as its card in the transcript shows it: what it is, where its bytes are here, a transfer under way.

``FileCard`` is the card's state, kept in the transcript entry of the message that shares the file; the card's
drawing and buttons are transcript_cards.py's, what its buttons do file_sharing.py's. The words a card uses
(sizes, types, speeds, time left) are here, in the window's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path, PurePath

from PySide6.QtCore import QCoreApplication, QMimeDatabase
from PySide6.QtGui import QImage

from chat_gui.client import SharedFile, TransferDirection
from chat_gui.client_window.thumbnails import THUMBNAIL_MAX_BYTES
from chat_gui.widgets import file_size_text
from chat_server.protocol import is_executable_name, is_executable_type

translate = QCoreApplication.translate

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})
"""The types a thumbnail is made of."""


def type_text(mime: str, name: str) -> str:
    """What kind of file it is, in words (``PDF document``), from the type the server found; the type itself where
    the system knows no words for it."""
    if not mime:
        return PurePath(name).suffix.lstrip(".").upper() or translate("FileCard", "file")
    found = QMimeDatabase().mimeTypeForName(mime)
    return found.comment() if found.isValid() and found.comment() else mime


def speed_text(bytes_per_s: float, seconds_left: float | None) -> str:
    """``2.1 MB/s · 4 s left`` (what is known of it)."""
    parts = [translate("FileCard", "{size}/s").format(size=file_size_text(round(bytes_per_s)))] if bytes_per_s else []
    if seconds_left is not None:
        parts.append(time_left_text(seconds_left))
    return " · ".join(parts)


def time_left_text(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    if seconds < 60:
        return translate("FileCard", "{seconds} s left").format(seconds=seconds)
    if seconds < 3600:
        return translate("FileCard", "{minutes} min left").format(minutes=math.ceil(seconds / 60))
    return translate("FileCard", "{hours} h {minutes} min left").format(hours=seconds // 3600,
                                                                       minutes=seconds % 3600 // 60)


def is_executable(name: str, mime: str) -> bool:
    """Whether opening the file might run it: by its type, or by its name (which the desktop goes by); the protocol's
    lists, which the server's sniffing names the types of."""
    return is_executable_type(mime) or is_executable_name(name)


class Thumbnail(Enum):
    """Where a card's thumbnail is."""

    NONE = "none"  # not an image, too large to fetch by itself, or not asked for yet
    COMING = "coming"  # being fetched or made
    MADE = "made"
    REFUSED = "refused"  # the image could not (or may not) be decoded


@dataclass(slots=True, eq=False)
class FileCard:
    """One card: the file (None while this member's own upload is not stored yet), its words, and what is under
    way. ``local_path``: where this window has the file's bytes (the file shared from here, or a download)."""

    name: str
    size: int
    mime: str = ""
    file: SharedFile | None = None
    local_path: Path | None = None
    transfer_id: str = ""  # the transfer of this card under way ("" none)
    direction: TransferDirection | None = None
    done: int = 0
    bytes_per_s: float = 0.0
    seconds_left: float | None = None
    problem: str = ""  # why the last transfer failed, until another starts
    thumbnail: QImage | None = None
    thumbnail_state: Thumbnail = Thumbnail.NONE

    @classmethod
    def of(cls, file: SharedFile) -> FileCard:
        return cls(file.name, file.size, file.mime, file)

    @property
    def expired(self) -> bool:
        return self.file is not None and self.file.expired

    @property
    def running(self) -> bool:
        return bool(self.transfer_id)

    @property
    def is_image(self) -> bool:
        return self.mime in IMAGE_TYPES

    def wants_thumbnail(self) -> bool:
        """An image small enough to fetch by itself, whose thumbnail nobody has asked for yet."""
        return (self.thumbnail_state is Thumbnail.NONE and self.is_image and self.file is not None
                and not self.expired and (self.size <= THUMBNAIL_MAX_BYTES or self.local_path is not None))

    def expire(self) -> None:
        if self.file is not None:
            self.file = replace(self.file, expired=True)

    def stored(self, file: SharedFile) -> None:
        """This member's upload is stored: the server's name and type for it from now on."""
        self.file, self.name, self.size, self.mime = file, file.name, file.size, file.mime

    def shape(self) -> tuple[int, int, bool, bool]:
        """What the card's height depends on (the transcript caches row heights by it)."""
        thumbnail = self.thumbnail
        size = (thumbnail.width(), thumbnail.height()) if thumbnail is not None else (0, 0)
        return size[0], size[1], self.running, bool(self.problem)

    def details(self) -> str:
        """``1.2 MB · PDF document``."""
        return f"{file_size_text(self.size)} · {type_text(self.mime, self.name)}"

    def progress_text(self) -> str:
        """``3.4 MB of 10.0 MB · 2.1 MB/s · 4 s left``."""
        text = translate("FileCard", "{done} of {total}").format(done=file_size_text(self.done),
                                                                 total=file_size_text(self.size))
        speed = speed_text(self.bytes_per_s, self.seconds_left)
        return f"{text} · {speed}" if speed else text

    def summary(self) -> str:
        """The card as one plain line (a screen reader's, a copy's)."""
        text = translate("FileCard", "File {name} ({details})").format(name=self.name, details=self.details())
        if self.expired:
            text += " · " + translate("FileCard", "expired")
        elif self.running:
            text += " · " + self.progress_text()
        return text
