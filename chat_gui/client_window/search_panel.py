"""The search panel: a field for the words, filters (conversation, sender, dates), the messages found newest first
with the matched words highlighted, and more of them on scrolling to the end (or with More).

It calls the engine's ``search``/``search_more`` and shows what ``search_found``/``search_failed`` bring; choosing a
result is ``result_chosen``, for the window to open its conversation there.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QModelIndex, Qt, QTime, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chat_gui.client import (
    ChatClient,
    Conversation,
    FoundMessage,
    SearchFilters,
    SearchPage,
    SearchRefusal,
    search_problem,
)
from chat_gui.client_window.search_results import FOUND_ROLE, SearchResultDelegate, SearchResultsModel

NO_DATE = QDate(2000, 1, 1)
"""A date field at this (its minimum) means no such filter: it shows "any"."""
MORE_AT_PIXELS = 8
"""Scrolled this close to the end of the results, the next page is asked for."""


class SearchPanel(QWidget):
    """The search's fields and results; Enter searches, Esc asks to close it (``close_requested``)."""

    result_chosen = Signal(object)  # FoundMessage: the user picked a result (double-click, Enter)
    close_requested = Signal()

    def __init__(self, client: ChatClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self._asking = False  # a search (or its next page) is on its way
        self._query = ""
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText(self.tr("Words to find"))
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.setAccessibleName(self.tr("Search for"))
        self.search_button = QPushButton(self.tr("Search"))
        self.conversation_box = QComboBox()
        self.conversation_box.setAccessibleName(self.tr("Search in"))
        self.sender_edit = QLineEdit()
        self.sender_edit.setPlaceholderText(self.tr("anyone"))
        self.sender_edit.setAccessibleName(self.tr("Sent by"))
        self.from_date, self.to_date = QDateEdit(), QDateEdit()
        for field, name in ((self.from_date, self.tr("Sent from")), (self.to_date, self.tr("Sent until"))):
            field.setCalendarPopup(True)
            field.setMinimumDate(NO_DATE)
            field.setSpecialValueText(self.tr("any day"))
            field.setDate(NO_DATE)
            field.setAccessibleName(name)
        self.results = SearchResultsModel(self)
        self.results.mark_color = self.palette().color(QPalette.ColorRole.Highlight).lighter(160).name()
        self.results_view = QListView()
        self.results_view.setModel(self.results)
        self.results_view.setItemDelegate(SearchResultDelegate(self.results_view))
        self.results_view.setWordWrap(True)
        self.results_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setAccessibleName(self.tr("Messages found"))
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.more_button = QPushButton(self.tr("More"))
        self.more_button.setEnabled(False)
        self._layout()
        self._connect_signals()
        self.refresh_conversations([])

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.query_edit, 1)
        top.addWidget(self.search_button)
        form = QFormLayout()
        form.addRow(self.tr("In:"), self.conversation_box)
        form.addRow(self.tr("From:"), self.sender_edit)
        dates = QHBoxLayout()
        dates.addWidget(self.from_date)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.to_date)
        form.addRow(self.tr("Sent:"), dates)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.results_view, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.client.search_found.connect(self._on_client_search_found)
        self.client.search_failed.connect(self._on_client_search_failed)
        self.client.disconnected.connect(self._on_client_disconnected)
        self.query_edit.returnPressed.connect(self.search)
        self.sender_edit.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.more_button.clicked.connect(self._on_more_button_clicked)
        self.results_view.activated.connect(self._on_results_view_activated)
        self.results_view.verticalScrollBar().valueChanged.connect(self._on_scroll_bar_value_changed)

    # --- what the window calls ---------------------------------------------------------------------

    def refresh_conversations(self, conversations: list[Conversation]) -> None:
        """The conversations the "In" filter offers (everything first), keeping the one chosen if it is still there."""
        chosen = self.conversation_box.currentData()
        self.conversation_box.clear()
        self.conversation_box.addItem(self.tr("All conversations"), None)
        for conversation in conversations:
            label = conversation.name if conversation.is_room else self.tr("Direct: {name}").format(
                name=conversation.name)
            self.conversation_box.addItem(label, conversation)
        index = self.conversation_box.findData(chosen) if chosen is not None else 0
        self.conversation_box.setCurrentIndex(max(0, index))

    def filters(self) -> SearchFilters:
        conversation = self.conversation_box.currentData()
        after = _day_start(self.from_date.date())
        until = _day_start(self.to_date.date().addDays(1)) if self.to_date.date() != NO_DATE else None
        return SearchFilters(conversation if isinstance(conversation, Conversation) else None,
                             self.sender_edit.text().strip() or None, after, until)

    @Slot()
    def search(self) -> None:
        """Search for what the field says, with the filters (Enter, the Search button)."""
        query = self.query_edit.text().strip()
        if not query:
            return
        filters = self.filters()
        problem = search_problem(query, filters)
        if problem is not None:
            self._show(self._refusal(problem))
            return
        if not self.client.search(query, filters):
            self._show(self.tr("Search needs a connection to a server that speaks protocol version 2."))
            return
        self._asking = True
        self._query = query
        self.more_button.setEnabled(False)
        self._show(self.tr("Searching…"))

    def focus_query(self) -> None:
        self.query_edit.setFocus()
        self.query_edit.selectAll()

    # --- what the engine reports -------------------------------------------------------------------

    @Slot(object)
    def _on_client_search_found(self, page: SearchPage) -> None:
        self._asking = False
        if page.continued:
            self.results.add_found(page.messages)
        else:
            self.results.set_found(page.messages)
            if page.messages:
                self.results_view.setCurrentIndex(self.results.index(0))
        count = self.results.rowCount()
        if count == 0:
            self._show(self.tr("No messages found."))
        elif page.more:
            self._show(self.tr("%n message(s) found so far (newest first); scroll down for more.", "", count))
        else:
            self._show(self.tr("%n message(s) found (newest first).", "", count))
        self.more_button.setEnabled(page.more)

    @Slot(str, str)
    def _on_client_search_failed(self, refusal: str, _text: str) -> None:
        self._asking = False
        self._show(self._refusal(SearchRefusal(refusal)))

    @Slot(str, str)
    def _on_client_disconnected(self, _kind: str, _text: str) -> None:
        if not self._asking:
            return
        self._asking = False  # its answer will not come: the user may search again (once connected)
        self._show(self.tr("Search needs a connection to a server that speaks protocol version 2."))

    def _refusal(self, refusal: SearchRefusal) -> str:
        """Why a search was not made, in the user's language (the server's own words are English)."""
        if refusal is SearchRefusal.NOT_IN_ROOM:
            return self.tr("Not searched: you are not in that room.")
        if refusal is SearchRefusal.UNKNOWN_MEMBER:
            return self.tr("Not searched: the server knows no member of that name.")
        if refusal is SearchRefusal.FAILED:
            return self.tr("Not searched: the server could not read its messages. Try again later.")
        if refusal is SearchRefusal.NOT_SUPPORTED:
            return self.tr("Not searched: this server cannot search (it speaks protocol version 1).")
        return self.tr("Not searched: give one to 16 words (at most 200 characters) and dates from 1970 on.")

    # --- what the user does ------------------------------------------------------------------------

    @Slot()
    def _on_more_button_clicked(self) -> None:
        self._more()

    @Slot(int)
    def _on_scroll_bar_value_changed(self, value: int) -> None:
        bar = self.results_view.verticalScrollBar()
        if bar.maximum() > 0 and value >= bar.maximum() - MORE_AT_PIXELS:
            self._more()

    @Slot(QModelIndex)
    def _on_results_view_activated(self, index: QModelIndex) -> None:
        found = index.data(FOUND_ROLE)
        if isinstance(found, FoundMessage):
            self.result_chosen.emit(found)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _more(self) -> None:
        if self._asking or not self.more_button.isEnabled():
            return
        if self.client.search_more():
            self._asking = True
            self.more_button.setEnabled(False)
            self._show(self.tr("Searching for older messages…"))

    def _show(self, text: str) -> None:
        self.status_label.setText(text)


def _day_start(date: QDate) -> float | None:
    """The first second of ``date`` in local time, as a Unix time (None for "any day")."""
    if date == NO_DATE:
        return None
    return QDateTime(date, QTime(0, 0)).toSecsSinceEpoch() + 0.0



