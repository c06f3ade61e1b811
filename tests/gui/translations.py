"""Helpers for the windows' translation tests: every text a user sees, compared between two languages, and
whether each label and button has room for its text.

Build the same window (in the same state) once in English and once in another language, then:

    english = visible_texts(english_window)
    with language("de"):
        german_window = make_window()
    german = visible_texts(german_window)
    assert untranslated(english, german, names=[...]) == []
    assert clipped(german_window) == []

A text is keyed by where it is (the chain of widgets from the window, by object name where one is set, else by
class and place among its siblings, and what kind of text it is), so the two builds' texts pair up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QSpinBox,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)

from chat_gui.i18n import install_translators, remove_translators

SAME_IN_GERMAN = frozenset({
    "Name", "Host", "Port", "TLS", "Online", "online", "OK", "Status",
})
"""Words that are the same in German as in English (a German UI says Name, Host, Port, TLS, online, OK and
Status as well), so an unchanged one is no sign of a missing translation."""

_TAG = re.compile(r"<[^>]+>")
_LETTERS = re.compile(r"[^\W\d_]{2,}")


@contextmanager
def language(code: str) -> Iterator[None]:
    """Within the block, texts made through tr() are in ``code``'s language (its catalogues and Qt's own are
    installed over the English ones) and numbers are written its way, as main.py --lang CODE has it."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(QLocale(code), app)
    try:
        yield
    finally:
        remove_translators(translators, app)


def _step(widget: QWidget) -> str:
    if widget.objectName() and not widget.objectName().startswith("qt_"):
        return widget.objectName()
    parent = widget.parentWidget()
    siblings = [] if parent is None else [child for child in parent.children() if type(child) is type(widget)]
    return f"{type(widget).__name__}{siblings.index(widget) if widget in siblings else 0}"


def _path(widget: QWidget, root: QWidget) -> str:
    steps: list[str] = []
    current: QWidget | None = widget
    while current is not None and current is not root:
        steps.append(_step(current))
        current = current.parentWidget()
    return "/".join(reversed(steps)) or type(root).__name__


def _action_texts(action: QAction, where: str) -> Iterator[tuple[str, str]]:
    if action.isSeparator() or not action.isVisible():
        return
    yield f"{where}:text", action.text()
    # Qt makes an action's tooltip from its text when none is set: only a tooltip of its own is a text of its own
    tip = action.toolTip()
    if tip and tip != action.text().replace("&", ""):
        yield f"{where}:tooltip", tip
    menu = action.menu()
    if isinstance(menu, QMenu):
        for index, sub in enumerate(menu.actions()):
            yield from _action_texts(sub, f"{where}/{index}")


def _widget_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    if widget.toolTip():
        yield "tooltip", widget.toolTip()
    if widget.isWindow() and widget.windowTitle():
        yield "title", widget.windowTitle()
    if isinstance(widget, (QLabel, QAbstractButton)):
        yield "text", widget.text()
    elif isinstance(widget, QGroupBox):
        yield "title", widget.title()
    elif isinstance(widget, QLineEdit):
        yield "placeholder", widget.placeholderText()
    elif isinstance(widget, QComboBox):
        for index in range(widget.count()):
            yield f"item{index}", widget.itemText(index)
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            yield f"tab{index}", widget.tabText(index)
            yield f"tab{index}:tooltip", widget.tabToolTip(index)
    elif isinstance(widget, (QTableView, QTreeView)) and widget.model() is not None:
        model = widget.model()
        header = widget.horizontalHeader() if isinstance(widget, QTableView) else widget.header()
        if header.isHidden():
            return
        for column in range(header.count()):
            if header.isSectionHidden(column):
                continue
            for role, kind in ((Qt.ItemDataRole.DisplayRole, "header"), (Qt.ItemDataRole.ToolTipRole, "header-tip")):
                value = model.headerData(column, Qt.Orientation.Horizontal, role)
                if value:
                    yield f"{kind}{column}", str(value)
    if isinstance(widget, QAbstractSpinBox):
        yield "special", widget.specialValueText()
    if isinstance(widget, QSpinBox):
        yield "prefix", widget.prefix()
        yield "suffix", widget.suffix()


def visible_texts(root: QWidget) -> dict[str, str]:
    """Every text a user can see in ``root`` and its visible children: the window title, labels, buttons, check
    boxes, tabs, group titles, combo box items, spin box texts, placeholders, table headers and their tooltips,
    tooltips, and every action (of the menu bar, menus and context menus), keyed by where they are."""
    texts: dict[str, str] = {}
    widgets = [root, *(w for w in root.findChildren(QWidget) if w.isVisibleTo(root) or w is root)]
    for widget in widgets:
        where = _path(widget, root)
        for kind, text in _widget_texts(widget):
            if text:
                texts[f"{where}:{kind}"] = text
    # Every action: those of buttons, menus and the menu bar, and those a context menu shows when it opens.
    for index, action in enumerate(root.findChildren(QAction)):
        owner = action.parent()
        where = _path(owner, root) if isinstance(owner, QWidget) else type(root).__name__
        for key, text in _action_texts(action, f"{where}:{action.objectName() or f'action{index}'}"):
            if text:
                texts[key] = text
    return texts


def _left_over(text: str, names: Iterable[str]) -> str:
    """``text`` without markup, the given names and addresses: what is left is words to translate."""
    text = _TAG.sub(" ", text).replace("&", "")
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return " ".join(_LETTERS.findall(text))


def untranslated(english: dict[str, str], other: dict[str, str], names: Iterable[str] = (),
                 allowed: Iterable[str] = SAME_IN_GERMAN) -> list[str]:
    """The texts shown the same in both languages (``where: text``), other than names (``names``: members,
    rooms, the server's name, addresses), numbers and the ``allowed`` words; and texts one of the two windows
    shows and the other does not (a window built differently cannot be compared)."""
    names, allowed = list(names), set(allowed)
    problems = [f"{key}: only in one language" for key in sorted(set(english) ^ set(other))]
    for key in sorted(set(english) & set(other)):
        if english[key] != other[key]:
            continue
        words = _left_over(english[key], names)
        if words and words not in allowed and not all(word in allowed for word in words.split()):
            problems.append(f"{key}: {english[key]!r}")
    return problems


def clipped(root: QWidget) -> list[str]:
    """The visible labels and buttons (check boxes included) of ``root`` whose text does not fit them: the
    size hint is wider or taller than the widget (for a word-wrapped label: the height its width needs)."""
    problems: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractButton)) or not widget.text():
            continue
        size, hint = widget.size(), widget.sizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(size.width())
            if needed > size.height():
                problems.append(f"{_path(widget, root)}: {widget.text()!r} needs {needed} px high, has "
                                f"{size.height()}")
        elif hint.width() > size.width() or hint.height() > size.height():
            problems.append(f"{_path(widget, root)}: {widget.text()!r} needs {hint.width()}x{hint.height()}, has "
                            f"{size.width()}x{size.height()}")
    return problems
