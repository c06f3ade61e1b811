"""Look-alike names: a confusable skeleton in the manner of Unicode TR39, from the confusables data of Unicode.

The data (Unicode's confusables.txt, character to character) comes from the pinned package
``confusable-homoglyphs``. Characters that it says look alike form one class, and every
character is replaced by its class's representative: an ASCII letter where the class has one.
Two strings with the same skeleton look alike. A skeleton is for comparing only, never shown.
"""

from __future__ import annotations

import functools
import unicodedata

from confusable_homoglyphs import utils as _confusables_data  # type: ignore[import-untyped]

_DATA_FILE = "confusables.json"


def _preference(char: str) -> tuple[int, int]:
    """Which member of a class stands for it: an ASCII lower-case letter, then upper-case, a digit, any ASCII."""
    if not char.isascii():
        return 4, ord(char)
    return (0 if char.islower() else 1 if char.isupper() else 2 if char.isdigit() else 3), ord(char)


@functools.cache
def _representatives() -> dict[str, str]:
    """Each character that looks like another, mapped to its class's representative."""
    parent: dict[str, str] = {}

    def root(char: str) -> str:
        while parent.get(char, char) != char:
            char = parent[char]
        return char

    data: dict[str, list[dict[str, str]]] = _confusables_data.load(_DATA_FILE)
    for char, lookalikes in data.items():
        if len(char) != 1:
            continue
        for lookalike in lookalikes:
            other = lookalike["c"]
            if len(other) == 1:  # sequences (e.g. "rn" for "m") are left to NFKC and to the eye
                a, b = root(char), root(other)
                if a != b:
                    parent[a], parent[b] = (b, b) if _preference(b) < _preference(a) else (a, a)
    return {char: root(char) for char in parent if root(char) != char}


def skeleton(text: str) -> str:
    """``text`` with look-alike characters made the same, and without combining marks (accents)."""
    representatives = _representatives()
    decomposed = unicodedata.normalize("NFD", text)
    mapped = "".join(representatives.get(char, char) for char in decomposed
                     if unicodedata.category(char) != "Mn")
    return unicodedata.normalize("NFD", mapped)
