"""A file card's buttons pressed: a click on one (hit-tested by transcript_cards.py's ``card_action_at``), Enter on a
card in the transcript (its first button: Save…, or Cancel while a transfer runs), and the context menu (a right
click, the Menu key, Shift+F10), which offers them all.

Each says what was chosen by the view's ``card_clicked``, so a click, a key and a menu are one way in for
file_sharing.py; the view itself only draws the cards.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QMenu

from chat_gui.client_window.transcript import Entry, EntryRole, TranscriptModel
from chat_gui.client_window.transcript_cards import CardAction, action_text, card_action_at, card_actions
from chat_gui.client_window.transcript_view import TranscriptDelegate, TranscriptView

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def card_at(view: TranscriptView, point: QPoint) -> tuple[Entry, CardAction] | None:
    """The file card's button at ``point`` (in ``view``'s viewport), and its entry."""
    index, model, delegate = view.indexAt(point), view.model(), view.itemDelegate()
    entry = index.data(EntryRole)
    if not isinstance(entry, Entry) or entry.card is None or not isinstance(model, TranscriptModel) \
            or not isinstance(delegate, TranscriptDelegate):
        return None
    geometry = delegate.geometry(entry, view.viewport().width(), view.font(), model.transcript.uid).card
    action = card_action_at(geometry, point - view.visualRect(index).topLeft()) if geometry is not None else None
    return (entry, action) if action is not None else None


class CardMenu(QObject):
    """Clicks, Enter and the context menu on the transcript's file cards."""

    def __init__(self, view: TranscriptView) -> None:
        super().__init__(view)
        self.view = view
        self.menu: QMenu | None = None  # the last one shown (tests choose from it)
        self.viewport = view.viewport()  # (kept: the view may be half deleted when the viewport's last events come)
        view.installEventFilter(self)
        self.viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.MouseButtonRelease and watched is self.viewport
                and isinstance(event, QMouseEvent) and event.button() is Qt.MouseButton.LeftButton):
            clicked = card_at(self.view, event.position().toPoint())
            if clicked is not None:
                self.view.card_clicked.emit(clicked[0], clicked[1].value)
                return True
        elif (watched is self.view and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in ENTER_KEYS and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            entry = self._card_entry(self.view.currentIndex().data(EntryRole))
            if entry is not None and entry.card is not None and card_actions(entry.card):
                self.view.card_clicked.emit(entry, card_actions(entry.card)[0].value)
                return True
        elif event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            keyboard = event.reason() is QContextMenuEvent.Reason.Keyboard
            index = self.view.currentIndex() if keyboard else self.view.indexAt(
                self.view.viewport().mapFrom(self.view, event.pos()) if watched is self.view else event.pos())
            entry = self._card_entry(index.data(EntryRole))
            if entry is not None and entry.card is not None and card_actions(entry.card):
                rect = self.view.visualRect(index)
                at = self.view.viewport().mapToGlobal(rect.center() if keyboard else QPoint(event.pos()))
                self.show_menu(entry, at)
                return True
        return super().eventFilter(watched, event)

    def show_menu(self, entry: Entry, at: QPoint) -> QMenu:
        """The menu of ``entry``'s card's buttons, popped up at ``at`` (global)."""
        menu = self.menu = QMenu(self.view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if entry.card is not None:
            for action in card_actions(entry.card):
                menu.addAction(action_text(action)).triggered.connect(
                    lambda _checked=False, chosen=action.value: self.view.card_clicked.emit(entry, chosen))
        menu.popup(at)
        return menu

    @staticmethod
    def _card_entry(data: object) -> Entry | None:
        return data if isinstance(data, Entry) and data.card is not None else None
