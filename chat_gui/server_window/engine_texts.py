"""The engine's finished English sentences that the server window shows, in the window's language.

The engine words a failed listen and a refused server name in English (the headless server logs them so, and
the protocol package owns the name's rules); the window knows their few shapes and says them in its language
from the parts (address, Qt's own error text, the limit). A sentence of another shape is shown as it is.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from chat_gui.i18n import translatable
from chat_gui.widgets import problem_words
from chat_server.protocol import room_fault

# The shapes chat_server/net/listener.py gives a failed listen.
_CANNOT_LISTEN = re.compile(r"Cannot listen on (?P<address>\S+): (?P<error>.*)", re.DOTALL)
_CANNOT_SERVE_TLS = re.compile(r"Cannot serve TLS: (?P<error>.*)", re.DOTALL)
_NOT_AN_ADDRESS = re.compile(r"'(?P<host>.*)' is not an IP address \(use an address, 'localhost' or 'any'\)",
                             re.DOTALL)
# The shapes chat_server/protocol/discovery.py's server_name_problem gives a refused name.
_NAME_EMPTY = "a server's name cannot be empty"
_NAME_SPACES = "a server's name cannot start or end with spaces"
_NAME_SURROGATES = "a server's name cannot contain lone surrogates"
_NAME_CHARACTERS = re.compile(r"a server's name is at most (?P<limit>\d+) characters")
_NAME_BYTES = re.compile(r"a server's name is at most (?P<limit>\d+) bytes of UTF-8")
_NAME_ONE_LINE = re.compile(r"a server's name is one line of visible characters \((?P<detail>.*)\)", re.DOTALL)
# Why the engine refuses an operator's room action: its refusals (chat_server/core/rooms.py, Refusal), word for word.
ROOM_REFUSALS = {text: text for text in (
    translatable("EngineTexts", "not a room name (# and 1-32 of a-z 0-9 - _)"),
    translatable("EngineTexts", "no such room"),
    translatable("EngineTexts", "that room exists already"),
    translatable("EngineTexts", "that room is private: it needs an invitation"),
    translatable("EngineTexts", "you are not in that room"),
    translatable("EngineTexts", "that member is not in that room"),
    translatable("EngineTexts", "only the room's owner may do that"),
    translatable("EngineTexts", "everyone stays in #lobby"),
    translatable("EngineTexts", "the server has as many rooms as it may"),
    translatable("EngineTexts", "you are in as many rooms as you may"),
    translatable("EngineTexts", "that topic is too long"),
    translatable("EngineTexts", "that is you"),
)}
_NOT_A_MEMBER = re.compile(r"(?P<name>.*) is not a member here", re.DOTALL)


def listen_failure(text: str) -> str:
    """``Cannot listen on 127.0.0.1:80: …`` (the engine's listen_failed) in the window's language."""
    if match := _CANNOT_LISTEN.fullmatch(text):
        return QCoreApplication.translate("EngineTexts", "Cannot listen on {address}: {error}").format(
            address=match["address"], error=match["error"])
    if match := _CANNOT_SERVE_TLS.fullmatch(text):
        return QCoreApplication.translate("EngineTexts", "Cannot serve TLS: {error}").format(error=match["error"])
    if match := _NOT_AN_ADDRESS.fullmatch(text):
        return QCoreApplication.translate(
            "EngineTexts", "'{host}' is not an IP address (use an address, 'localhost' or 'any')").format(
            host=match["host"])
    return text


def refused_name_reason(text: str) -> str:
    """Why a server name was refused (the engine's ValueError, worded by the protocol) in the window's language."""
    if text == _NAME_EMPTY:
        return QCoreApplication.translate("EngineTexts", "a server's name cannot be empty")
    if text == _NAME_SPACES:
        return QCoreApplication.translate("EngineTexts", "a server's name cannot start or end with spaces")
    if text == _NAME_SURROGATES:
        return QCoreApplication.translate("EngineTexts", "a server's name cannot contain lone surrogates")
    if match := _NAME_CHARACTERS.fullmatch(text):
        return QCoreApplication.translate("EngineTexts", "a server's name is at most {limit} characters").format(
            limit=match["limit"])
    if match := _NAME_BYTES.fullmatch(text):
        return QCoreApplication.translate("EngineTexts", "a server's name is at most {limit} bytes of UTF-8").format(
            limit=match["limit"])
    if match := _NAME_ONE_LINE.fullmatch(text):
        return QCoreApplication.translate(
            "EngineTexts", "a server's name is one line of visible characters ({detail})").format(
            detail=match["detail"])
    return text


def room_refusal(text: str, name: str) -> str:
    """Why the engine refused an operator's action on a room (``name``: the room's name asked for) in the window's
    language: a name that breaks the rooms' rule, one of the rooms' refusals, or an unknown member."""
    fault = room_fault(name)
    if fault is not None and text == fault.english:
        return problem_words(fault)
    if text in ROOM_REFUSALS:
        return QCoreApplication.translate("EngineTexts", ROOM_REFUSALS[text])
    if match := _NOT_A_MEMBER.fullmatch(text):
        return QCoreApplication.translate("EngineTexts", "{name} is not a member here").format(name=match["name"])
    return text
