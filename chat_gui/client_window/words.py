"""Words the client window's parts share, through Qt's translation functions: counts and who left how.

The protocol package words the same events for text-mode members in English (that is wire text); the window
says them in the user's language, so its sentences are whole here for a translator to reorder.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject

from chat_server.protocol import EndReason

_CONTEXT = "ClientWords"


def QT_TRANSLATE_NOOP(_context: str, text: str) -> str:  # the name lupdate looks for
    """Marks ``text`` for translation in ``_context``; translated where it is shown (Qt's own is typed object)."""
    return text


_LEFT_LINES: dict[str, str] = {
    EndReason.EXIT.value: QT_TRANSLATE_NOOP("ClientWords", "{name} left"),
    EndReason.DROPPED.value: QT_TRANSLATE_NOOP("ClientWords", "{name} dropped out"),
    EndReason.KICKED.value: QT_TRANSLATE_NOOP("ClientWords", "{name} was removed by the server operator"),
    EndReason.TIMED_OUT.value: QT_TRANSLATE_NOOP("ClientWords", "{name} timed out"),
    EndReason.TOO_SLOW.value: QT_TRANSLATE_NOOP("ClientWords", "{name} was disconnected for not keeping up"),
    EndReason.ERROR.value: QT_TRANSLATE_NOOP("ClientWords", "{name} was disconnected after an error"),
    EndReason.SERVER_STOPPED.value: QT_TRANSLATE_NOOP("ClientWords", "{name} left (server stopped)"),
    EndReason.REPLACED.value: QT_TRANSLATE_NOOP("ClientWords", "{name} is reconnecting"),
}
"""How the window says that a member left, by the reason the server gave (another reason: plain "left")."""


def translate(text: str) -> str:
    """``text`` (marked with QT_TRANSLATE_NOOP in this module's context) in the user's language."""
    return QCoreApplication.translate(_CONTEXT, text)


def left_line(name: str, reason: str) -> str:
    """"bob dropped out": a member left the chat, and how."""
    return translate(_LEFT_LINES.get(reason, _LEFT_LINES[EndReason.EXIT.value])).format(name=name)


def online_phrase(online: int, limit: int) -> str:
    """"3/10 online", or "3 online" when the server has no limit."""
    if limit:
        return QCoreApplication.translate("ClientWords", "{online}/{limit} online").format(online=online, limit=limit)
    return QCoreApplication.translate("ClientWords", "{online} online").format(online=online)


class Counts(QObject):
    """Counted nouns, with the plural forms a language has (``tr`` with a count: lupdate marks them plural;
    English's are in its own catalogue, client_en.ts)."""

    def members(self, count: int) -> str:
        return self.tr("%n member(s)", "", count)

    def rooms(self, count: int) -> str:
        return self.tr("%n room(s)", "", count)

    def unread(self, count: int) -> str:
        return self.tr("%n unread", "", count)

    def mentions(self, count: int) -> str:
        return self.tr("%n mentioning you", "", count)


def counts() -> Counts:
    """The counted nouns (a fresh QObject: cheap, and free of any window's lifetime)."""
    return Counts()
