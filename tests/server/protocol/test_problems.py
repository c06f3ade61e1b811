"""Each validation rule's outcome in its machine-readable form: the code and values, and the protocol's English
sentence (what name_problem, text_problem, room_problem and server_name_problem return, unchanged)."""

from __future__ import annotations

import pytest

from chat_server import protocol as p
from chat_server.protocol import Problem, ProblemCode
from chat_server.protocol.problems import PROBLEM_ENGLISH

NAMES = [
    ("", Problem(ProblemCode.NAME_EMPTY)),
    (" alice", Problem(ProblemCode.NAME_SPACES)),
    ("a" * 33, Problem(ProblemCode.NAME_TOO_LONG, limit=32)),
    ("bad\tname", Problem(ProblemCode.NAME_CONTROL)),
    ("al\u200bice", Problem(ProblemCode.NAME_INVISIBLE)),
    ("al\u2028ice", Problem(ProblemCode.NAME_LINES)),
    ("*alice", Problem(ProblemCode.NAME_START)),
    ("al:ice", Problem(ProblemCode.NAME_COLON)),
]
TEXTS = [
    ("  ", Problem(ProblemCode.TEXT_EMPTY)),
    ("a\nb", Problem(ProblemCode.TEXT_LINES)),
    ("esc\x1b[31m", Problem(ProblemCode.TEXT_CONTROL)),
    ("a\u2029b", Problem(ProblemCode.TEXT_SEPARATOR)),
    ("a\u202eb", Problem(ProblemCode.TEXT_BIDI, found="U+202E")),
    ("a\u200bb", Problem(ProblemCode.TEXT_INVISIBLE, found="U+200B")),
]
ROOMS = [("team lead", Problem(ProblemCode.ROOM_INVALID, limit=32, found="'team lead'"))]
TOO_LONG = Problem(ProblemCode.TEXT_TOO_LONG, limit=200, found="2")  # the client's check of a line's size
SERVER_NAMES = [
    ("  ", Problem(ProblemCode.SERVER_NAME_EMPTY)),
    (" desk", Problem(ProblemCode.SERVER_NAME_SPACES)),
    ("x" * 65, Problem(ProblemCode.SERVER_NAME_TOO_LONG, limit=64)),
    ("\U0001F600" * 63, Problem(ProblemCode.SERVER_NAME_TOO_MANY_BYTES, limit=250)),
    ("a\ud800b", Problem(ProblemCode.SERVER_NAME_SURROGATES)),
    ("a\nb", Problem(ProblemCode.SERVER_NAME_LINES)),
    ("\x07bell", Problem(ProblemCode.SERVER_NAME_CONTROL)),
    ("a\u2029b", Problem(ProblemCode.SERVER_NAME_SEPARATOR)),
    ("a\u202eb", Problem(ProblemCode.SERVER_NAME_BIDI, found="U+202E")),
    ("zero\u200bwidth", Problem(ProblemCode.SERVER_NAME_INVISIBLE, found="U+200B")),
]


def test_every_code_has_an_example_here() -> None:
    assert {problem.code for _, problem in NAMES + TEXTS + ROOMS + SERVER_NAMES} | {TOO_LONG.code} == set(ProblemCode)
    assert set(PROBLEM_ENGLISH) == set(ProblemCode)


@pytest.mark.parametrize(("name", "problem"), NAMES)
def test_a_name_fault_and_its_sentence(name: str, problem: Problem) -> None:
    assert p.name_fault(name) == problem
    assert p.name_problem(name) == problem.english


@pytest.mark.parametrize(("text", "problem"), TEXTS)
def test_a_text_fault_and_its_sentence(text: str, problem: Problem) -> None:
    assert p.text_fault(text) == problem
    assert p.text_problem(text) == problem.english


@pytest.mark.parametrize(("name", "problem"), SERVER_NAMES)
def test_a_server_name_fault_and_its_sentence(name: str, problem: Problem) -> None:
    assert p.server_name_fault(name) == problem
    assert p.server_name_problem(name) == problem.english


def test_a_room_fault_and_its_sentence() -> None:
    (room, problem), = ROOMS
    assert p.room_fault(room) == problem
    assert p.room_problem(room) == "a room's name is # and 1 to 32 of a-z, 0-9, - and _ (not 'team lead')"
    assert p.room_fault("#team-lead") is None and p.name_fault("alice") is None and p.text_fault("hi") is None


def test_the_sentences_are_the_ones_the_server_always_wrote() -> None:
    assert [problem.english for _, problem in NAMES] == [
        "a name cannot be empty", "a name cannot start or end with spaces", "a name is at most 32 characters",
        "a name cannot contain control characters", "a name cannot contain invisible characters",
        "a name is one line", "a name starts with a letter or a digit", "a name cannot contain ':'"]
    assert [problem.english for _, problem in TEXTS] == [
        "an empty message is not sent", "a message is one line", "a message cannot contain control characters",
        "a message is one line (no line or paragraph separators)",
        "a message cannot contain bidirectional overrides (U+202E)",
        "a message cannot contain invisible characters (U+200B)"]
    assert [problem.english for _, problem in SERVER_NAMES] == [
        "a server's name cannot be empty", "a server's name cannot start or end with spaces",
        "a server's name is at most 64 characters", "a server's name is at most 250 bytes of UTF-8",
        "a server's name cannot contain lone surrogates",
        "a server's name is one line of visible characters (is one line)",
        "a server's name is one line of visible characters (cannot contain control characters)",
        "a server's name is one line of visible characters (is one line (no line or paragraph separators))",
        "a server's name is one line of visible characters (cannot contain bidirectional overrides (U+202E))",
        "a server's name is one line of visible characters (cannot contain invisible characters (U+200B))"]


def test_the_client_s_size_problem_names_the_bytes_over() -> None:
    assert TOO_LONG.english == "a message is 2 bytes over the server's limit"
