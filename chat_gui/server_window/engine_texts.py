"""What the engine reports by code, in the window's language: a refused room action, a failed listen.

The engine reports each as a value, a code with its values (chat_server/core/operator_refusals.py,
chat_server/net/listen_failure.py); its ``english`` is the engine's own sentence, for the wire and the terminal
log. Here each code has its words, marked so that scripts/update-translations puts them in the catalogue; the
English ones are the engine's sentences word for word (a test keeps them so). A refused server name is a protocol
``Problem``, worded by chat_gui/widgets/problems.py.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from chat_gui.i18n import translatable
from chat_gui.widgets import problem_words
from chat_server.core import BadRoomName, BadTopic, OperatorRefusal, Refusal, Refused, UnknownMember
from chat_server.net import ListenFailure, ListenProblem
from chat_server.protocol import ProblemCode

CONTEXT = "EngineTexts"  # the catalogue's context of the texts below (lupdate reads it only as a literal)
REFUSAL_WORDS: dict[Refusal, str] = {
    Refusal.ROOM_INVALID: translatable("EngineTexts", "not a room name (# and 1-32 of a-z 0-9 - _)"),
    Refusal.NO_SUCH_ROOM: translatable("EngineTexts", "no such room"),
    Refusal.ROOM_EXISTS: translatable("EngineTexts", "that room exists already"),
    Refusal.INVITE_ONLY: translatable("EngineTexts", "that room is private: it needs an invitation"),
    Refusal.NOT_IN_ROOM: translatable("EngineTexts", "you are not in that room"),
    Refusal.NOT_THERE: translatable("EngineTexts", "that member is not in that room"),
    Refusal.NOT_OWNER: translatable("EngineTexts", "only the room's owner may do that"),
    Refusal.LOBBY_FIXED: translatable("EngineTexts", "everyone stays in #lobby"),
    Refusal.TOO_MANY_ROOMS: translatable("EngineTexts", "the server has as many rooms as it may"),
    Refusal.TOO_MANY_JOINED: translatable("EngineTexts", "you are in as many rooms as you may"),
    Refusal.TOPIC_TOO_LONG: translatable("EngineTexts", "that topic is too long"),
    Refusal.DIRECT_TO_SELF: translatable("EngineTexts", "that is you"),
}
"""Each of the rooms' refusals (chat_server/core/rooms.py)."""
TOPIC_WORDS: dict[ProblemCode, str] = {
    ProblemCode.TEXT_EMPTY: translatable("EngineTexts", "an empty topic is not sent"),
    ProblemCode.TEXT_LINES: translatable("EngineTexts", "a topic is one line"),
    ProblemCode.TEXT_CONTROL: translatable("EngineTexts", "a topic cannot contain control characters"),
    ProblemCode.TEXT_SEPARATOR: translatable("EngineTexts", "a topic is one line (no line or paragraph separators)"),
    ProblemCode.TEXT_BIDI: translatable("EngineTexts", "a topic cannot contain bidirectional overrides ({found})"),
    ProblemCode.TEXT_INVISIBLE: translatable("EngineTexts", "a topic cannot contain invisible characters ({found})"),
}
"""Each rule of a message's text, as a topic breaks it (``BadTopic``)."""


def room_refusal(refusal: OperatorRefusal) -> str:
    """Why the engine refused an operator's action on a room, in the window's language (lower case, no full stop:
    it ends a sentence of the window's)."""
    match refusal:
        case Refused(reason=reason):
            return QCoreApplication.translate(CONTEXT, REFUSAL_WORDS[reason])
        case BadRoomName(problem=problem):
            return problem_words(problem)
        case BadTopic(problem=problem):
            return QCoreApplication.translate(CONTEXT, TOPIC_WORDS[problem.code]).format(found=problem.found)
        case UnknownMember(name=name):
            return QCoreApplication.translate("EngineTexts", "{name} is not a member here").format(name=name)


def listen_failure(failure: ListenFailure) -> str:
    """Why the server could not listen, in the window's language. In English these are the engine's sentences
    (Qt's own text after the address); another language words each kind itself, and quotes the system's message
    only for a kind it has no words for."""
    # The kinds the system words share one English text (the system's message after the address); the third
    # argument, a disambiguation, gives each its own entry in the catalogue, worded without that message.
    match failure.kind:
        case ListenProblem.NOT_AN_ADDRESS:
            text = QCoreApplication.translate(
                "EngineTexts", "'{host}' is not an IP address (use an address, 'localhost' or 'any')")
        case ListenProblem.TLS_UNUSABLE:
            text = QCoreApplication.translate("EngineTexts", "Cannot serve TLS: {detail}")
        case ListenProblem.ADDRESS_IN_USE:
            text = QCoreApplication.translate("EngineTexts", "Cannot listen on {address}: {detail}", "address in use")
        case ListenProblem.NO_PERMISSION:
            text = QCoreApplication.translate("EngineTexts", "Cannot listen on {address}: {detail}", "no permission")
        case ListenProblem.ADDRESS_NOT_AVAILABLE:
            text = QCoreApplication.translate("EngineTexts", "Cannot listen on {address}: {detail}",
                                              "address not available")
        case ListenProblem.UNSUPPORTED:
            text = QCoreApplication.translate("EngineTexts", "Cannot listen on {address}: {detail}", "unsupported")
        case ListenProblem.OTHER:
            text = QCoreApplication.translate("EngineTexts", "Cannot listen on {address}: {detail}")
    return text.format(host=failure.host, address=failure.address, detail=failure.detail)
