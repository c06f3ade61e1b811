"""Text-mode commands as typed: history [N], the greeting's history hint."""

from __future__ import annotations

import pytest

from chat_server import protocol as p


@pytest.mark.parametrize(("line", "event"), [
    (b"history", p.HistoryRequest()),
    (b"  HISTORY  \r", p.HistoryRequest()),
    (b"history 5", p.HistoryRequest(5)),
    (b"History   50", p.HistoryRequest(50)),
    (b"history 0", p.HistoryRequest(0)),  # the engine shows at least one
    (b"history " + b"9" * 5000, p.HistoryRequest(10**9)),  # no int() of a huge string: just "everything"
    (b"history of rome", p.Chat(id="", text="history of rome")),
    (b"history -3", p.Chat(id="", text="history -3")),
    (b"history \xd9\xa3", p.Chat(id="", text="history \u0663")),  # an Arabic-Indic digit is not a count
    (b"history 5 please", p.Chat(id="", text="history 5 please")),
])
def test_history_is_a_command_only_as_history_or_history_and_a_number(line: bytes, event: p.Message) -> None:
    assert p.parse_text_line(line) == event


@pytest.mark.parametrize(("earlier", "hint"), [
    (0, ""),
    (1, " 1 earlier message: type 'history' to read it."),
    (12, " 12 earlier messages: type 'history' to read them."),
    (20, " 20 earlier messages: type 'history' to read them."),
    (50, " 50 earlier messages: type 'history' for the last 20, 'history 50' for all."),
])
def test_the_greeting_mentions_earlier_messages_on_its_one_line(earlier: int, hint: str) -> None:
    line = p.greeting_line("Client01", earlier)
    assert line == "Welcome Client01! Type a message, 'status' or 'exit'." + hint
    assert "\n" not in line
