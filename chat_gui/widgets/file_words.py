"""How both windows write a file's size: 1000-based, one decimal, the decimal mark the window's language's
(``532 B``, ``1.2 MB``; in German ``1,2 MB``). The wire's English words for text members are
chat_server/protocol/file_words.py's ``size_words``, which reads the same in English."""

from __future__ import annotations

from PySide6.QtCore import QLocale

SIZE_UNITS = ("KB", "MB", "GB", "TB")
SIZE_STEP = 1000


def file_size_text(size: int, locale: QLocale | None = None) -> str:
    """``size`` bytes as people read them, in ``locale``'s numbers (default: the application's)."""
    locale = locale if locale is not None else QLocale()
    if size < SIZE_STEP:
        return f"{locale.toString(max(0, size))} B"
    value = float(size)
    for unit in SIZE_UNITS:
        value /= SIZE_STEP
        if round(value, 1) < SIZE_STEP or unit == SIZE_UNITS[-1]:
            return f"{locale.toString(value, 'f', 1)} {unit}"
    raise AssertionError("unreachable")
