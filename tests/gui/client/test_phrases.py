"""The client session's sentences: English as they are, and translated from their template and values."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from chat_gui.client.phrases import PHRASE_CONTEXT, Phrase, translated
from chat_gui.i18n import install_translators, remove_translators


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
