"""Earlier history loaded as the user scrolls up: a page of 100 older messages each time the transcript in view
reaches its top, put above what it holds without moving what is in sight.

A part of the client window: it asks the ChatClient (``load_older``) and puts the pages the engine reports
(``history_page_received``) at the top of their conversations' transcripts; a page around a message (the search
panel's ``load_around``) too, when it reaches what the transcript holds. While a page is on its way the view
shows "Loading earlier messages…" at its top; once the server says there is nothing older, the transcript starts
with one line saying so. A transcript that has dropped its oldest entries (it is full) loads no more.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Slot

from chat_gui.client import ChatClient, Conversation, HistoryPageReceived
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.transcript import Entry, EntryKind, message_entry
from chat_gui.client_window.transcript_view import TranscriptView

RETRY_AFTER_FAILURE_S = 10.0
"""After the server could not read a page, the same conversation is not asked again for this long (a view that stays
at its top would otherwise ask again at once, and fail again, in a loop)."""


class ScrollbackLoader(QObject):
    """Loads a conversation's earlier pages when its transcript is scrolled to the top."""

    def __init__(self, client: ChatClient, pane: ConversationPane, view: TranscriptView,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.pane = pane
        self.view = view
        self._loading: set[Conversation] = set()  # a page asked for, not come yet
        self._failed_at: dict[Conversation, float] = {}  # when the server last could not read a page (monotonic)

    def connect_signals(self) -> None:
        """Called by the window's ``_connect_signals``."""
        self.view.reached_top.connect(self._on_view_reached_top)
        self.client.history_page_received.connect(self._on_client_history_page_received)
        self.client.disconnected.connect(self._on_client_disconnected)
        self.pane.conversation_shown.connect(self._on_pane_conversation_shown)

    def loading(self, conversation: Conversation) -> bool:
        return conversation in self._loading

    def load_older(self, conversation: Conversation) -> bool:
        """Ask for the page before the oldest message ``conversation``'s transcript holds; False if not asked (none
        held, the beginning reached, a page on its way, the transcript full, not online)."""
        transcript = self.pane.transcript(conversation).transcript
        before = transcript.oldest_seq()
        # Only before a message the transcript holds, never "the newest": the join's history may still be on its
        # way, and a page of the newest would then hold it twice.
        if before is None or transcript.trimmed or transcript.room <= 0 or conversation in self._loading:
            return False
        if time.monotonic() - self._failed_at.get(conversation, -RETRY_AFTER_FAILURE_S) < RETRY_AFTER_FAILURE_S:
            return False
        if not self.client.load_older(conversation, before):
            return False
        self._loading.add(conversation)
        self._show_hint()
        return True

    @Slot()
    def _on_view_reached_top(self) -> None:
        self.load_older(self.pane.current)

    @Slot(object)
    def _on_client_history_page_received(self, page: HistoryPageReceived) -> None:
        conversation = page.conversation
        if conversation not in self.pane.model.conversations:  # closed meanwhile: its transcript is gone
            self._loading.discard(conversation)
            return
        model = self.pane.transcript(conversation)
        oldest = model.transcript.oldest_seq()
        if page.failed:
            if page.around is None:
                self._loading.discard(conversation)
                self._failed_at[conversation] = time.monotonic()
                self.pane.add_error(conversation, self.tr(
                    "Earlier messages could not be loaded: the server refused them. Scroll to the top again in a "
                    "moment to try again.") if page.refused else self.tr(
                    "Earlier messages could not be loaded: the server could not read them. Scroll to the top again "
                    "in a moment to try again."))
                self._show_hint()
            return
        if page.around is not None:
            # A page around a message (a search result older than the transcript): its older part goes in only if
            # it reaches what the transcript holds, which would otherwise have a gap above it.
            if oldest is None or not page.messages or page.messages[-1].seq < oldest or model.transcript.trimmed:
                return
        else:
            self._loading.discard(conversation)
        me = self.client.name
        entries = [message_entry(m, me) for m in page.messages if oldest is None or m.seq < oldest]
        if not page.more and page.around is None:  # (after an around page, the next scroll up says it)
            at = entries[0].time if entries else (model.transcript[0].time if len(model.transcript) else 0.0)
            entries.insert(0, Entry(EntryKind.INFO, self.tr("This is the beginning of the conversation."), at))
        model.prepend_many(entries)
        self._show_hint()

    @Slot(str, str)
    def _on_client_disconnected(self, _kind: str, _text: str) -> None:
        self._loading.clear()  # the pages on their way will not come: scrolling up asks again
        self._show_hint()

    @Slot(object)
    def _on_pane_conversation_shown(self, _conversation: Conversation) -> None:
        self._show_hint()

    def _show_hint(self) -> None:
        hint = self.tr("Loading earlier messages…") if self.pane.current in self._loading else ""
        if hint != self.view.top_hint:
            self.view.top_hint = hint
            self.view.viewport().update()
