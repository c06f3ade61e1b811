"""The text-mode status table: columns aligned by display width (CJK, emoji), full dates for every session."""

from __future__ import annotations

import time

import pytest

from chat_server import protocol as p
from chat_server.protocol.textmode import display_width

NOW = time.time()
DAY = 24 * 3600


def _session(name: str, port: int, connected_at: float = NOW, disconnected_at: float | None = None,
             state: str = p.ONLINE) -> p.SessionInfo:
    return p.SessionInfo(name=name, host="127.0.0.1", port=port, connected_at=connected_at,
                         disconnected_at=disconnected_at, state=state, messages=port % 7, run=1)


@pytest.mark.parametrize(("text", "width"), [
    ("Client01", 8),
    ("李小龍", 6),  # CJK: two columns each
    ("\uff46\uff55\uff4c\uff4c", 8),  # fullwidth Latin
    ("🙂ok", 4),  # an emoji is wide
    ("e\u0301te\u0301", 3),  # combining accents take no column
    ("Ünïcödé", 7),
    ("", 0),
])
def test_display_width_counts_terminal_columns(text: str, width: int) -> None:
    assert display_width(text) == width


def test_columns_stay_aligned_with_wide_names() -> None:
    sessions = (_session("Client01", 50001), _session("李小龍", 50002), _session("🙂 smiley", 50003),
                _session("\uff46\uff55\uff4c\uff4c", 50004), _session("Zoë\u0308", 50005))
    lines = p.status_table(p.StatusReport(online=5, max_clients=0, started_at=NOW, sessions=sessions)).split("\n")
    header, rows = lines[1], lines[2:]
    address_column = display_width(header[:header.index("Address")])
    state_column = display_width(header[:header.index("State")])
    for row, session in zip(rows, sessions, strict=True):
        assert display_width(row[:row.index("127.0.0.1:")]) == address_column, row
        assert display_width(row[:row.index("online")]) == state_column, row
        assert display_width(row) == display_width(header), row  # the Msgs column is right-aligned
        assert row.startswith(session.name + " ")


def test_sessions_from_other_days_show_their_dates() -> None:
    old = _session("yesterday", 50001, connected_at=NOW - DAY - 60, disconnected_at=NOW - DAY, state="exit")
    ancient = _session("lastyear", 50002, connected_at=NOW - 400 * DAY, disconnected_at=NOW - 399 * DAY,
                       state="dropped")
    today = _session("today", 50003)
    report = p.StatusReport(online=1, max_clients=3, started_at=NOW - 400 * DAY, sessions=(old, ancient, today),
                            run=2, all_runs=True)
    rows = p.status_table(report).split("\n")[2:]
    for row, session in zip(rows, (old, ancient, today), strict=True):
        connected = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(session.connected_at))
        assert connected in row  # the day is always there, not only the time
    assert time.strftime("%Y-%m-%d", time.localtime(NOW - 399 * DAY)) in rows[1]


@pytest.mark.parametrize(("online", "max_clients", "phrase"), [(2, 5, "2/5 online"), (2, 0, "2 online")])
def test_the_online_count_shows_the_limit_only_when_there_is_one(online: int, max_clients: int, phrase: str) -> None:
    assert p.online_phrase(online, max_clients) == phrase
