"""Why a name, a message, a room's name or a server's name is refused, in the window's language.

The rules and their codes are the protocol's (chat_server/protocol/problems.py, which has no Qt); each code's
English here is the protocol's sentence word for word (a test keeps the two the same), marked so that
scripts/update-translations puts it in the catalogue.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from chat_gui.i18n import translatable
from chat_server.protocol import Problem, ProblemCode, room_fault

CONTEXT = "Problems"  # the catalogue's context of the texts below
WORDS: dict[ProblemCode, str] = {
    ProblemCode.NAME_EMPTY: translatable("Problems", "a name cannot be empty"),
    ProblemCode.NAME_SPACES: translatable("Problems", "a name cannot start or end with spaces"),
    ProblemCode.NAME_TOO_LONG: translatable("Problems", "a name is at most {limit} characters"),
    ProblemCode.NAME_CONTROL: translatable("Problems", "a name cannot contain control characters"),
    ProblemCode.NAME_INVISIBLE: translatable("Problems", "a name cannot contain invisible characters"),
    ProblemCode.NAME_LINES: translatable("Problems", "a name is one line"),
    ProblemCode.NAME_START: translatable("Problems", "a name starts with a letter or a digit"),
    ProblemCode.NAME_COLON: translatable("Problems", "a name cannot contain ':'"),
    ProblemCode.TEXT_EMPTY: translatable("Problems", "an empty message is not sent"),
    ProblemCode.TEXT_LINES: translatable("Problems", "a message is one line"),
    ProblemCode.TEXT_CONTROL: translatable("Problems", "a message cannot contain control characters"),
    ProblemCode.TEXT_SEPARATOR: translatable("Problems", "a message is one line (no line or paragraph separators)"),
    ProblemCode.TEXT_BIDI: translatable("Problems", "a message cannot contain bidirectional overrides ({found})"),
    ProblemCode.TEXT_INVISIBLE: translatable("Problems", "a message cannot contain invisible characters ({found})"),
    ProblemCode.TEXT_TOO_LONG: translatable("Problems", "a message is {found} bytes over the server's limit"),
    ProblemCode.ROOM_INVALID: translatable(
        "Problems", "a room's name is # and 1 to {limit} of a-z, 0-9, - and _ (not {found})"),
    ProblemCode.SERVER_NAME_EMPTY: translatable("Problems", "a server's name cannot be empty"),
    ProblemCode.SERVER_NAME_SPACES: translatable("Problems", "a server's name cannot start or end with spaces"),
    ProblemCode.SERVER_NAME_TOO_LONG: translatable("Problems", "a server's name is at most {limit} characters"),
    ProblemCode.SERVER_NAME_TOO_MANY_BYTES: translatable(
        "Problems", "a server's name is at most {limit} bytes of UTF-8"),
    ProblemCode.SERVER_NAME_SURROGATES: translatable("Problems", "a server's name cannot contain lone surrogates"),
    ProblemCode.SERVER_NAME_LINES: translatable(
        "Problems", "a server's name is one line of visible characters (is one line)"),
    ProblemCode.SERVER_NAME_CONTROL: translatable(
        "Problems", "a server's name is one line of visible characters (cannot contain control characters)"),
    ProblemCode.SERVER_NAME_SEPARATOR: translatable(
        "Problems",
        "a server's name is one line of visible characters (is one line (no line or paragraph separators))"),
    ProblemCode.SERVER_NAME_BIDI: translatable(
        "Problems",
        "a server's name is one line of visible characters (cannot contain bidirectional overrides ({found}))"),
    ProblemCode.SERVER_NAME_INVISIBLE: translatable(
        "Problems",
        "a server's name is one line of visible characters (cannot contain invisible characters ({found}))"),
}


def problem_words(problem: Problem) -> str:
    """The problem as a clause in the window's language (lower case, no full stop: put inside a sentence)."""
    template = QCoreApplication.translate(CONTEXT, WORDS[problem.code])
    return template.format(limit=problem.limit, found=problem.found)


def problem_sentence(problem: Problem) -> str:
    """The problem as a sentence of its own in the window's language (a capital letter, a full stop)."""
    words = problem_words(problem)
    return words[:1].upper() + words[1:] + "."


def room_sentence(name: str) -> str | None:
    """Why ``name`` cannot be a room's name, as a sentence in the window's language, or None if it can."""
    fault = room_fault(name)
    return None if fault is None else problem_sentence(fault)
