"""A file name from the network made safe to show and to save, on any system: ``safe_file_name``.

A name is never refused for its characters: the bad ones are replaced, so that a member always gets its file, under a
name that cannot leave the folder it is saved in, hide what it is, or be a device on Windows.
"""

from __future__ import annotations

import unicodedata

__all__ = ["FALLBACK_FILE_NAME", "MAX_EXTENSION_BYTES", "MAX_FILE_NAME_BYTES", "safe_file_name"]

MAX_FILE_NAME_BYTES = 255
"""The most bytes of UTF-8 a name may take (what most file systems allow in one name)."""
MAX_EXTENSION_BYTES = 32
"""A longer tail after the last dot is not taken for an extension: a shortened name loses it with the rest."""
FALLBACK_FILE_NAME = "file"
"""The name of a file whose name is nothing once made safe."""

_REPLACEMENT = "_"
# Separators of every system, and what Windows refuses in a name besides.
_FORBIDDEN = frozenset('/\\<>:"|?*')
# Names Windows gives to devices, whatever their extension (``CON.txt`` is the console too), in any case.
_DEVICES = frozenset({
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³"),
})
_TRIMMED = " ."
"""Stripped at both ends: a leading dot hides a file (and ``.``, ``..`` are the folders themselves); Windows drops
trailing dots and spaces, so that ``a.exe.`` would be saved as ``a.exe``."""


def _safe_character(char: str) -> str:
    if char in _FORBIDDEN:
        return _REPLACEMENT
    category = unicodedata.category(char)
    if category[0] == "C" or category in ("Zl", "Zp"):
        # Control, format (bidi overrides, zero-width), surrogate, private-use and unassigned characters, and line
        # breaks: they could end a line, reorder what is shown (``exe.txt`` drawn for ``txt.exe``) or hide.
        return _REPLACEMENT
    if category == "Zs":
        return " "  # every space a plain one: no look-alike of a name that differs by an invisible width
    return char


def _cut_to_bytes(text: str, limit: int) -> str:
    """The longest start of ``text`` that takes at most ``limit`` bytes of UTF-8 (cut between characters)."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _split_extension(name: str) -> tuple[str, str]:
    """``name`` as its stem and its extension (``.pdf``; empty when it has none, or one too long to be one)."""
    dot = name.rfind(".")
    if dot <= 0:
        return name, ""
    extension = name[dot:]
    if len(extension) == 1 or len(extension.encode("utf-8")) > MAX_EXTENSION_BYTES:
        return name, ""
    return name[:dot], extension


def safe_file_name(name: str) -> str:
    """``name`` made safe: no separator, no control, format or bidi character, never ``.``, ``..`` or a hidden name,
    no trailing dot or space, never a Windows device name (``CON.txt`` becomes ``_CON.txt``), at most
    ``MAX_FILE_NAME_BYTES`` bytes of UTF-8 with its extension kept; ``file`` if nothing is left. The same name
    comes out if it is made safe again."""
    name = "".join(_safe_character(char) for char in unicodedata.normalize("NFC", name)).strip(_TRIMMED)
    if not name:
        return FALLBACK_FILE_NAME
    if name.split(".", 1)[0].rstrip(_TRIMMED).upper() in _DEVICES:
        name = _REPLACEMENT + name
    if len(name.encode("utf-8")) <= MAX_FILE_NAME_BYTES:
        return name
    stem, extension = _split_extension(name)
    stem = _cut_to_bytes(stem, MAX_FILE_NAME_BYTES - len(extension.encode("utf-8"))).rstrip(_TRIMMED)
    return stem + extension
