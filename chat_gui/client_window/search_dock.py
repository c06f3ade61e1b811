"""Search in the client window: Ctrl+F opens the search panel at the window's side, Esc closes it and gives the focus
back; a result chosen opens its conversation scrolled to that message, the message selected. A message older than
what the transcript holds is asked for with the messages around it (``ChatClient.load_around``), which the transcript
takes in when they reach what it holds; if they do not, earlier pages are loaded (``load_older``, as scrolling to the
top does) until the message is in, at most ``FIND_PAGES`` of them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDockWidget, QMainWindow, QWidget

from chat_gui.client import ChatClient, Conversation, FoundMessage, HistoryPageReceived
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.search_panel import SearchPanel
from chat_gui.client_window.transcript import TranscriptModel
from chat_gui.client_window.transcript_view import TranscriptView

FIND_PAGES = 10
"""Earlier pages (of 100) loaded at most to reach a chosen result: beyond that the panel shows it alone."""


def row_of_seq(model: TranscriptModel, seq: int) -> int | None:
    """The row of the message ``seq`` in a transcript (newest rows first: a result is usually recent), or None."""
    entries = model.entries()
    for row in range(len(entries) - 1, -1, -1):
        if entries[row].seq == seq:
            return row
    return None


class SearchDock(QDockWidget):
    """The search panel docked in the client window, and what choosing one of its results does."""

    def __init__(self, client: ChatClient, pane: ConversationPane, view: TranscriptView, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("search")
        self.setWindowTitle(self.tr("Search"))
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.client = client
        self._pane = pane
        self._view = view
        self._return_to: QWidget | None = None  # where the focus was when the panel opened
        self._awaited: FoundMessage | None = None  # a result older than its transcript: a page is on its way
        self._pages_left = 0  # earlier pages it may still load to reach it
        self.panel = SearchPanel(client, self)
        self.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self.hide()
        self.panel.result_chosen.connect(self._on_panel_result_chosen)
        self.panel.close_requested.connect(self._on_panel_close_requested)
        client.history_page_received.connect(self._on_client_history_page_received)
        client.disconnected.connect(self._on_client_disconnected)

    def open(self) -> None:
        """Show the panel (Ctrl+F) with its field ready to be typed over."""
        if not self.isVisible():
            focus = QApplication.focusWidget()
            self._return_to = focus if focus is not None and not self.isAncestorOf(focus) else None
        self.panel.refresh_conversations(self._pane.model.conversations.conversations)
        self.show()
        self.raise_()
        self.panel.focus_query()

    def close_panel(self) -> None:
        """Hide the panel (Esc) and give the focus back where it was."""
        self.hide()
        if self._return_to is not None:
            self._return_to.setFocus()

    def show_message(self, found: FoundMessage) -> bool:
        """Open the message's conversation and select it there; False if the transcript does not hold it (older
        than what it has kept)."""
        conversation = self._known(found.conversation)
        self._pane.show(conversation)
        model = self._pane.transcript(conversation)
        row = row_of_seq(model, found.seq)
        if row is None:
            return False
        index = model.index(row)
        self._view.setCurrentIndex(index)
        self._view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _known(self, conversation: Conversation) -> Conversation:
        """The conversation as the sidebar names it (a room as its creator wrote it)."""
        for known in self._pane.model.conversations.conversations:
            if known == conversation:
                return known
        return conversation

    @Slot(object)
    def _on_panel_result_chosen(self, found: FoundMessage) -> None:
        self._awaited = None
        if self.show_message(found):
            return
        if self.client.load_around(self._known(found.conversation), found.seq):
            self._awaited = found
            self._pages_left = FIND_PAGES
            self.panel.status_label.setText(self.tr("Loading the messages around it…"))
        else:
            self._not_shown()

    @Slot(object)
    def _on_client_history_page_received(self, page: HistoryPageReceived) -> None:
        awaited = self._awaited
        if awaited is None or page.conversation != awaited.conversation:
            return
        if page.around is not None and page.around != awaited.seq:
            return
        if page.failed:  # refused or not read: nothing more is coming for it
            self._awaited = None
            self._not_shown()
            return
        # Looked for once every receiver of this page (the transcript's) has taken it in.
        QTimer.singleShot(0, self, lambda: self._show_loaded(awaited))

    def _show_loaded(self, found: FoundMessage) -> None:
        if self._awaited is not found:
            return  # another result was chosen meanwhile
        if self.show_message(found):
            self._awaited = None
            self.panel.status_label.clear()
            return
        conversation = self._known(found.conversation)
        oldest = self._pane.transcript(conversation).transcript.oldest_seq()  # as the loader asks, not "the newest"
        if self._pages_left > 0 and oldest is not None and not self.client.at_beginning(conversation) \
                and self.client.load_older(conversation, oldest):
            self._pages_left -= 1
            self.panel.status_label.setText(self.tr("Loading earlier messages to reach it…"))
            return
        self._awaited = None
        self._not_shown()

    def _not_shown(self) -> None:
        self.panel.status_label.setText(self.tr(
            "That message is older than what the conversation shows now; it is shown here only."))

    @Slot(str, str)
    def _on_client_disconnected(self, _kind: str, _text: str) -> None:
        if self._awaited is not None:  # the page on its way will not come
            self._awaited = None
            self._not_shown()

    @Slot()
    def _on_panel_close_requested(self) -> None:
        self.close_panel()
