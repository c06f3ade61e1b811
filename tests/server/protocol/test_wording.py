"""Every end reason's words, audience by audience, from the one table in chat_server/protocol/wording.py."""

from __future__ import annotations

import pytest

from chat_server import protocol as p
from chat_server.protocol import EndReason, Tone

# reason: (text member's line, client window, session tables, tone)
EXPECTED = {
    EndReason.EXIT: ("left", "left", "left", Tone.ENDED),
    EndReason.DROPPED: ("dropped", "dropped out", "dropped", Tone.TROUBLE),
    EndReason.KICKED: ("was kicked", "was removed by the server operator", "kicked", Tone.REFUSED),
    EndReason.TIMED_OUT: ("timed out", "timed out", "timed out", Tone.TROUBLE),
    EndReason.TOO_SLOW: ("was disconnected for not keeping up", "was disconnected for not keeping up", "too slow",
                         Tone.TROUBLE),
    EndReason.ERROR: ("was disconnected after an error", "was disconnected after an error", "error", Tone.REFUSED),
    EndReason.SERVER_STOPPED: ("left (server stopped)", "left (server stopped)", "server stopped", Tone.ENDED),
    EndReason.REPLACED: ("is reconnecting", "is reconnecting", "reconnected", Tone.ENDED),
    EndReason.REFUSED_FULL: ("left", "left", "refused: full", Tone.REFUSED),
    EndReason.REFUSED_NAME: ("left", "left", "refused: name", Tone.REFUSED),
    EndReason.REFUSED_PASSWORD: ("left", "left", "refused: password", Tone.REFUSED),
    EndReason.REFUSED_BUSY: ("left", "left", "refused: busy", Tone.REFUSED),
    EndReason.REFUSED_NOT_TLS: ("left", "left", "refused: not TLS", Tone.REFUSED),
}


def test_every_reason_is_in_the_table() -> None:
    assert set(EXPECTED) == set(EndReason)


@pytest.mark.parametrize("reason", list(EndReason))
def test_each_audience_reads_its_own_words(reason: EndReason) -> None:
    words = (p.left_line_verb(reason.value), p.left_window_phrase(reason.value), p.state_label(reason.value),
             p.state_tone(reason.value))
    assert words == EXPECTED[reason]
    assert p.state_value(reason.value) == reason.value  # the text status table and the CSV: the value itself


def test_a_reason_the_table_does_not_know_is_shown_as_it_is() -> None:
    # A newer server may send a reason this client does not know yet.
    assert p.left_line_verb("melted") == "left"
    assert p.left_window_phrase("melted") == "left"
    assert p.state_label("melted") == "melted"
    assert p.state_tone("melted") is Tone.ENDED


def test_online_is_its_own_tone_and_label() -> None:
    assert (p.state_label(p.ONLINE), p.state_tone(p.ONLINE)) == ("online", Tone.ONLINE)


def test_the_text_line_of_a_member_who_left_uses_the_table() -> None:
    line = p.render_text(p.Left(name="bob", reason=EndReason.TOO_SLOW.value, online=2, time=0.0))
    assert line == "* bob was disconnected for not keeping up (2 online)"
