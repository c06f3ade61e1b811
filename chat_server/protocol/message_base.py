"""The base of every protocol message, in a module of its own so that the messages of each feature can live in theirs
(read_markers.py) while messages.py gathers them all into the accepted types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = ["Message"]


@dataclass(frozen=True, slots=True)
class Message:
    """Base of every protocol message."""

    TYPE: ClassVar[str] = ""
    OMITTED: ClassVar[frozenset[str]] = frozenset()
    """Fields JSON mode leaves out while they hold their default (version 2's fields: a version-1 line is
    unchanged by them)."""
