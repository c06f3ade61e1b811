"""The validation problems in the window's language: each code's English is the protocol's sentence word for
word (so the two cannot drift), and each has German."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.widgets import problem_sentence, problem_words, room_sentence
from chat_gui.widgets.problems import WORDS
from chat_server.protocol import Problem, ProblemCode
from chat_server.protocol.problems import PROBLEM_ENGLISH
from tests.gui.translations import language

SAMPLES = [Problem(code, limit=32, found="U+202E") for code in ProblemCode]


def test_each_code_is_worded_as_the_protocol_says_it() -> None:
    assert WORDS == PROBLEM_ENGLISH


@pytest.mark.parametrize("problem", SAMPLES, ids=[problem.code.value for problem in SAMPLES])
def test_each_code_has_english_and_german(qtbot: QtBot, problem: Problem) -> None:
    assert problem_words(problem) == problem.english
    with language("de"):
        german = problem_words(problem)
    assert german != problem.english and german.split()[0] in {"ein", "eine", "der"}
    for value in ("32", "U+202E"):
        assert (value in german) == (value in problem.english)


def test_the_sentences_in_english_and_german(qtbot: QtBot) -> None:
    assert room_sentence("#dev") is None
    assert room_sentence("team lead") == "A room's name is # and 1 to 32 of a-z, 0-9, - and _ (not 'team lead')."
    assert problem_sentence(Problem(ProblemCode.TEXT_EMPTY)) == "An empty message is not sent."
    with language("de"):
        assert room_sentence("team lead") == (
            "Ein Raumname ist # und 1 bis 32 Zeichen aus a-z, 0-9, - und _ (nicht 'team lead').")
        assert problem_sentence(Problem(ProblemCode.NAME_COLON)) == "Ein Name darf keinen Doppelpunkt (:) enthalten."
