"""Walks a window (or dialog) and lists the interactive widgets a screen reader would announce without a name.

The name checked is the one Qt's accessibility layer gives assistive technology
(``QAccessibleInterface.text(Name)``): an explicit ``setAccessibleName``, else what Qt derives (a button's or
check box's text, a buddy label's text). A name that is only the widget's current value (a combo box's chosen
item, a line edit's text) does not count: it changes with the value and says nothing about what the field is for.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QScrollBar,
    QTabBar,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QAbstractSlider,
               QAbstractScrollArea, QTabBar)
"""What a user operates: buttons and boxes, fields, lists/tables/trees, sliders, text areas, scrolled widgets."""


def _qt_part(widget: QWidget) -> bool:
    """A piece Qt builds inside another widget, announced as part of it (its own name is Qt's business)."""
    if widget.objectName().startswith("qt_") or isinstance(widget, (QScrollBar, QHeaderView)):
        return True  # a spin box's editor, a table's corner button, a tab widget's bar; scroll bars, headers
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QLineEdit, QTabBar)):
            return True  # a combo box's popup list, a line edit's clear button, a tab bar's scroll arrows
        parent = parent.parentWidget()
    return False


def interactive_widgets(root: QWidget) -> list[QWidget]:
    """Every interactive widget under ``root`` (shown or not: a hidden panel is shown at another moment)."""
    return [widget for widget in [root, *root.findChildren(QWidget)]
            if isinstance(widget, INTERACTIVE) and not _qt_part(widget)]


def accessible_name(widget: QWidget) -> str:
    """The name assistive technology gets for ``widget`` ("" if none, or only its value).

    On Linux, Qt announces a combo box by its current item and names it through a "labelled by" relation to
    its buddy label; elsewhere it uses the accessible name. Either counts here: an explicit name, a name Qt
    derives that is not the value, or the text of a label the widget is labelled by.
    """
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    interface = QAccessible.queryAccessibleInterface(widget)
    if interface is None:
        return ""
    name = interface.text(QAccessible.Text.Name).strip()
    value = widget.currentText() if isinstance(widget, QComboBox) else (
        widget.text() if isinstance(widget, QLineEdit) else None)
    if name and (value is None or name != value.strip()):
        return name
    labels = [label.text(QAccessible.Text.Name).strip()
              for label, _relation in interface.relations(QAccessible.RelationFlag.Labelled)]
    return next((label for label in labels if label), "")


def describe(widget: QWidget) -> str:
    """Which widget this is, for a failure message."""
    path = []
    node: QWidget | None = widget
    while node is not None:
        path.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    return " < ".join(path)


def unnamed(root: QWidget) -> list[str]:
    """The interactive widgets under ``root`` with no accessible name, described (empty when all have one)."""
    return [f"{describe(widget)} ({type(widget).__name__})" for widget in interactive_widgets(root)
            if not accessible_name(widget)]


def unnamed_in_modal(open_it: Callable[[], object]) -> list[str]:
    """Call ``open_it()`` (which runs a modal dialog) and walk the dialog once it shows, then close it."""
    found: list[str] = []

    def walk() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            found.append("no modal dialog opened")
            return
        found.extend(unnamed(dialog))
        dialog.close()

    QTimer.singleShot(0, walk)
    open_it()
    return found
