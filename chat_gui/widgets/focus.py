"""A visible keyboard focus for the lists, tables and the timeline, whose style (Fusion) frames none of them."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea

FOCUS_STYLE = ("QAbstractScrollArea { border: 1px solid palette(mid); padding: 1px; }"
               " QAbstractScrollArea:focus { border: 2px solid palette(highlight); padding: 0px; }")
"""The same room either way (border and padding), so that nothing moves when the focus comes or goes."""


def show_focus(*views: QAbstractScrollArea) -> None:
    """Frame each of ``views`` in the highlight colour while it has the keyboard focus."""
    for view in views:
        view.setStyleSheet(FOCUS_STYLE)
