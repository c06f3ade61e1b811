"""What a connection asks of the user in the client window: to trust a server's certificate, a password.

Neither is asked in the middle of the engine's work: a TLS handshake must not wait for a person (both sides
time out), so the certificate is declined at once and asked about once the connection is closed; a password is
asked after the refusal that asked for it. A yes connects again (``answered``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from chat_gui.client import ChatClient, ClientState, TrustQuestion, untrusted_text
from chat_gui.client_window.conversation_news import ConversationNews
from chat_gui.client_window.password_dialog import PasswordDialog
from chat_gui.client_window.transcript import EntryKind
from chat_gui.client_window.trust_dialog import TrustDialog
from chat_gui.client_window.window_body import WindowBody


class ConnectionQuestions(QObject):
    """Asks about a certificate or for a password, says the outcome on the state line, connects again on a yes."""

    answered = Signal(object)  # connect again; the password given, or None (the one known, if any)

    def __init__(self, client: ChatClient, news: ConversationNews, body: WindowBody, window: QWidget,
                 closing: Callable[[], bool], address: Callable[[], str]) -> None:
        """``window``: the dialogs' parent; ``closing``: the window is closing (ask nothing then);
        ``address``: the server's, as the window writes it."""
        super().__init__(window)
        self.client = client
        self.news = news
        self.body = body
        self._window = window
        self._closing = closing
        self._address = address

    def decide_trust(self, question: TrustQuestion) -> bool:
        """The engine's ``trust``, called in the middle of a TLS handshake, which must not wait for a person:
        decline now, ask once the connection is closed, and connect again if the user trusts the certificate."""
        QTimer.singleShot(0, self, lambda: self._ask_trust(question))
        return False

    def ask_password(self, problem: str) -> None:
        """Ask for the password (``problem``: why the last one, or none, was refused); connect again with it."""
        if not self._may_ask():
            return
        password = PasswordDialog.ask(self._window, self._address(), problem)
        if password is None:
            self._show_state(self.tr("This server needs a password: press Connect to give it."), error=True)
            return
        self.answered.emit(password)

    def _ask_trust(self, question: TrustQuestion) -> None:
        if not self._may_ask():
            return
        if question.changed:
            self.news.add(EntryKind.ERROR, untrusted_text(question))
        declined = self.body.state_label.text()
        self._show_state(self.tr("Waiting for you to check the server's certificate…"), busy=True)
        if not TrustDialog.ask(self._window, question):
            self._show_state(declined, error=True)
            return
        self.client.known_servers.remember(question.host, question.port, question.fingerprint)
        if not question.changed:
            self.news.add(EntryKind.INFO, self.tr("Trusted the certificate of {address} (SHA-256 {fingerprint}); "
                                                  "you will be warned if it ever changes.").format(
                address=self._address(), fingerprint=question.fingerprint))
        self.answered.emit(None)

    def _may_ask(self) -> bool:
        return not self._closing() and self.client.state is ClientState.OFFLINE

    def _show_state(self, text: str, error: bool = False, busy: bool = False) -> None:
        self.body.show_state(text, error, busy, online=self.client.state is ClientState.ONLINE)
