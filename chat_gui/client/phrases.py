"""Sentences the client engine says to the user: English, and the template a window translates them from.

The session layer is plain Python; it words what happened (why a connection ended, a goodbye) as a
``Phrase``: a ``str`` with the English sentence, which also keeps its template and values. The engine hands
the user's-language sentence to the window (``translated``, at the signal), so the layers below need no Qt
and a test of the session sees the English text. Why a message would be refused is no phrase: the session
gives the protocol's ``Problem`` (a code and its values) and the window words it.
"""

from __future__ import annotations

from collections.abc import Callable

PHRASE_CONTEXT = "ClientPhrases"
"""The translation context of every phrase (the .ts file's group for them)."""


def QT_TRANSLATE_NOOP(_context: str, text: str) -> str:  # the name lupdate looks for
    """Marks ``text`` for translation in ``_context`` (always PHRASE_CONTEXT here)."""
    return text


class Phrase(str):
    """An English sentence made from ``template`` and ``values`` (values may be phrases themselves)."""

    template: str
    values: dict[str, str]

    def __new__(cls, template: str, **values: str | int) -> Phrase:
        said = {key: value if isinstance(value, str) else str(value) for key, value in values.items()}
        phrase = super().__new__(cls, template.format(**said))
        phrase.template = template
        phrase.values = said
        return phrase


def translated(text: str, translate: Callable[[str, str], str]) -> str:
    """``text`` in the user's language, if it is a phrase (``translate``: context, source -> translation)."""
    if not isinstance(text, Phrase):
        return text
    values = {key: translated(value, translate) for key, value in text.values.items()}
    return translate(PHRASE_CONTEXT, text.template).format(**values)
