"""The client session's sentences: English as they are, and translated from their template and values."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from chat_gui.client import ChatClient, ClientEnd
from chat_gui.client.phrases import PHRASE_CONTEXT, Phrase, translated
from chat_gui.i18n import install_translators, remove_translators
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS


def test_a_phrase_is_its_english_sentence() -> None:
    phrase = Phrase("Could not connect to {address}: {reason}.", address="[::1]:5", reason="host not found")
    assert phrase == "Could not connect to [::1]:5: host not found."
    assert isinstance(phrase, str) and phrase.template == "Could not connect to {address}: {reason}."
    assert Phrase("Disconnected.") == "Disconnected." and Phrase("{n} s", n=3).values == {"n": "3"}


def test_translated_uses_the_template_and_translates_nested_phrases_but_not_plain_values() -> None:
    german = {"Connection lost: {reason}.": "Verbindung verloren: {reason}.",
              "Disconnected ({reason}).": "Getrennt ({reason}).", "server stopped": "nie benutzt"}

    def translate(context: str, text: str) -> str:
        assert context == PHRASE_CONTEXT
        return german.get(text, text)

    inner = Phrase("Disconnected ({reason}).", reason="server stopped")
    assert translated(Phrase("Connection lost: {reason}.", reason=inner), translate) == (
        "Verbindung verloren: Getrennt (server stopped)..")
    assert translated("Connection lost: x.", translate) == "Connection lost: x."  # a plain text is as it is


def test_the_sessions_sentences_are_in_the_german_catalogue(qapp: QApplication) -> None:
    phrase = Phrase("Could not connect to {address}: no answer in {seconds} s.", address="h:1", seconds=5)
    translators = install_translators(QLocale("de"), qapp, default_locale=False)
    try:
        assert translated(phrase, QCoreApplication.translate) == (
            "Keine Verbindung zu h:1: keine Antwort innerhalb von 5 s.")
    finally:
        remove_translators(translators, qapp, default_locale=False)
    assert translated(phrase, QCoreApplication.translate) == phrase


def test_the_engine_says_in_german_why_it_could_not_connect(
        qtbot: QtBot, qapp: QApplication, make_server: Callable[..., ChatServer]) -> None:
    server = make_server()
    port = server.server_port
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    client = ChatClient()
    translators = install_translators(QLocale("de"), qapp, default_locale=False)
    try:
        with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
            client.connect_to("127.0.0.1", port, "alice")
    finally:
        remove_translators(translators, qapp, default_locale=False)
        client.deleteLater()
    assert ended.args == [ClientEnd.UNREACHABLE.value,
                          f"Keine Verbindung zu 127.0.0.1:{port}: Verbindung abgelehnt (läuft der Server?)."]
