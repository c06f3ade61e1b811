"""How a share reads as text: the line text members (and version-1 JSON clients) get for a file (issue 22)."""

from __future__ import annotations

from chat_server.protocol.files import FileRef

_UNITS = (("GB", 1000**3), ("MB", 1000**2), ("KB", 1000))


def size_words(size: int) -> str:
    """A size in bytes as people read it, 1000-based with one decimal: ``512 B``, ``1.2 MB``."""
    larger = ""
    for unit, bytes_in in _UNITS:
        if size >= bytes_in:
            words = f"{size / bytes_in:.1f}"
            if words == "1000.0" and larger:  # 999,950 B rounds up into the next unit: 1.0 MB, not 1000.0 KB
                return f"1.0 {larger}"
            return f"{words} {unit}"
        larger = unit
    return f"{size} B"


def share_words(sender: str, ref: FileRef, caption: str = "") -> str:
    """``[file] alice shared report.pdf (1.2 MB): python main.py download <id>`` (an expired file says so), then the
    caption if there is one."""
    if ref.expired:
        line = f"[file] {sender} shared {ref.name} ({size_words(ref.size)}): expired"
    else:
        line = f"[file] {sender} shared {ref.name} ({size_words(ref.size)}): python main.py download {ref.id}"
    return f"{line} -- {caption}" if caption else line
