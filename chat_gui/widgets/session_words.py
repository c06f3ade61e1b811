"""The session tables' words in the window's language: the column headings and how each state reads.

The states' English words come from chat_server/protocol/wording.py (which has no Qt); they are listed here
too, so that scripts/update-translations puts them in the catalogue.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication

from chat_gui.i18n import translatable
from chat_server.protocol import state_label


class Column(IntEnum):
    NAME = 0
    ADDRESS = 1
    CONNECTED = 2
    DISCONNECTED = 3
    STATE = 4
    MESSAGES = 5
    RUN = 6


CONTEXT = "SessionTable"  # the catalogue's context of the texts below
HEADERS = {
    Column.NAME: translatable("SessionTable", "Name"),
    Column.ADDRESS: translatable("SessionTable", "Address"),
    Column.CONNECTED: translatable("SessionTable", "Connected at"),
    Column.DISCONNECTED: translatable("SessionTable", "Disconnected at"),
    Column.STATE: translatable("SessionTable", "State"),
    Column.MESSAGES: translatable("SessionTable", "Messages"),
    Column.RUN: translatable("SessionTable", "Run"),
}
STATE_LABELS = (  # chat_server/protocol/wording.py's state_label() of each state, for the catalogue
    translatable("SessionTable", "online"),
    translatable("SessionTable", "left"),
    translatable("SessionTable", "dropped"),
    translatable("SessionTable", "kicked"),
    translatable("SessionTable", "timed out"),
    translatable("SessionTable", "too slow"),
    translatable("SessionTable", "error"),
    translatable("SessionTable", "server stopped"),
    translatable("SessionTable", "reconnected"),
    translatable("SessionTable", "refused: full"),
    translatable("SessionTable", "refused: name"),
    translatable("SessionTable", "refused: password"),
    translatable("SessionTable", "refused: busy"),
    translatable("SessionTable", "refused: not TLS"),
)


def column_title(column: Column) -> str:
    """A column's heading, in the window's language."""
    return QCoreApplication.translate(CONTEXT, HEADERS[column])


def state_text(state: str) -> str:
    """A state as the session tables show it, in the window's language (an unknown state as it is)."""
    return QCoreApplication.translate(CONTEXT, state_label(state))


def with_away(state: str, away: str | None) -> str:
    """A state's words with the member's away, if it is away: "online, away: lunch", "online, away"."""
    if away is None:
        return state
    if away:
        return QCoreApplication.translate("SessionTable", "{state}, away: {message}").format(state=state, message=away)
    return QCoreApplication.translate("SessionTable", "{state}, away").format(state=state)
