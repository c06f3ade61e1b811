"""What the engine reports by code (a refused room action, a failed listen), in the window's language: in English
each code's words are the engine's own sentence, word for word; every code has German words too."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.server_window.engine_texts import REFUSAL_WORDS, TOPIC_WORDS, listen_failure, room_refusal
from chat_server.core import BadRoomName, BadTopic, OperatorRefusal, Refusal, Refused, UnknownMember
from chat_server.net import ListenFailure, ListenProblem
from chat_server.protocol import Problem, ProblemCode
from tests.gui.translations import language

# The rules text_fault checks (TEXT_TOO_LONG is the client's check of a line's size, never a topic's).
TEXT_CODES = [code for code in ProblemCode if code.value.startswith("text_") and code is not ProblemCode.TEXT_TOO_LONG]
REFUSALS: list[OperatorRefusal] = [
    *(Refused(reason) for reason in Refusal),
    *(BadTopic(Problem(code, found="U+202E")) for code in TEXT_CODES),
    BadRoomName(Problem(ProblemCode.ROOM_INVALID, limit=32, found="'team lead'")),
    UnknownMember("nobody"),
]
QT_TEXT = "The bound address is already in use"  # stands for the system's message (English, as Qt words it)
FAILURES = [ListenFailure(kind, "127.0.0.1", 80, "no folder" if kind is ListenProblem.TLS_UNUSABLE else QT_TEXT)
            for kind in ListenProblem]


def test_every_refusal_and_text_rule_has_its_words() -> None:
    assert set(REFUSAL_WORDS) == set(Refusal)
    assert set(TOPIC_WORDS) == set(TEXT_CODES)


@pytest.mark.parametrize("refusal", REFUSALS, ids=[repr(refusal) for refusal in REFUSALS])
def test_each_refusal_has_the_engine_s_english_and_german_words(qtbot: QtBot, refusal: OperatorRefusal) -> None:
    assert room_refusal(refusal) == refusal.english
    with language("de"):
        german = room_refusal(refusal)
    assert german and german != refusal.english
    for value in ("U+202E", "'team lead'", "nobody"):
        assert (value in german) == (value in refusal.english)


@pytest.mark.parametrize("failure", FAILURES, ids=[failure.kind.value for failure in FAILURES])
def test_each_listen_failure_has_the_engine_s_english_and_german_words(qtbot: QtBot, failure: ListenFailure) -> None:
    assert listen_failure(failure) == failure.english
    with language("de"):
        german = listen_failure(failure)
    assert german != failure.english
    if failure.kind is ListenProblem.NOT_AN_ADDRESS:
        assert german == "„127.0.0.1“ ist keine IP-Adresse (gib eine Adresse, „localhost“ oder „any“ an)"
    elif failure.kind is ListenProblem.TLS_UNUSABLE:
        assert german == "TLS ist nicht möglich: no folder"  # why, in the engine's words (chat_server/net/tls.py)
    else:
        assert german.startswith("Kann nicht auf 127.0.0.1:80 lauschen: ")
        # Only a kind the window has no words for quotes the system's message.
        assert (QT_TEXT in german) == (failure.kind is ListenProblem.OTHER)
