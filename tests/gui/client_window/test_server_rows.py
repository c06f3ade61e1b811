"""The list's plain state: suspicious announcements, rows that keep their place, the last servers used."""

from __future__ import annotations

from chat_gui.client_window.server_rows import (
    MAX_RECENT,
    RecentServer,
    RowEdit,
    ServerRows,
    recent_from_text,
    recent_to_text,
    remembered,
    suspicion,
)
from chat_server.protocol.discovery import Announcement

PINNED = ":".join(["AB"] * 32)
OTHER = ":".join(["CD"] * 32)


def ann(port: int = 4242, tls: bool = True, fingerprint: str | None = PINNED, name: str = "Team",
        online: int = 1) -> Announcement:
    return Announcement(name=name, host="192.0.2.7", port=port, version=2, tls=tls,
                        fingerprint=fingerprint if tls else None, password=False, online=online, limit=10)


def test_an_announced_fingerprint_that_differs_from_the_pinned_one_is_suspicious() -> None:
    reason = suspicion(ann(fingerprint=OTHER), PINNED)
    assert reason is not None
    assert OTHER in reason and PINNED in reason and "192.0.2.7:4242" in reason and "forged" in reason


def test_the_same_fingerprint_written_otherwise_is_not_suspicious() -> None:
    assert suspicion(ann(fingerprint=PINNED), PINNED.lower()) is None
    assert suspicion(ann(fingerprint=PINNED), PINNED.replace(":", "")) is None


def test_no_tls_where_a_certificate_is_pinned_is_suspicious() -> None:
    reason = suspicion(ann(tls=False), PINNED)
    assert reason is not None and "no TLS" in reason


def test_nothing_pinned_or_no_fingerprint_announced_is_not_suspicious() -> None:
    assert suspicion(ann(fingerprint=OTHER), None) is None
    assert suspicion(ann(tls=False), None) is None
    assert suspicion(ann(fingerprint=None), PINNED) is None


def test_rows_are_marked_by_what_is_pinned_for_their_own_address() -> None:
    pinned = {("192.0.2.7", 4242): PINNED}
    rows = ServerRows(lambda host, port: pinned.get((host, port)))
    assert rows.found(ann(4242, fingerprint=OTHER)) == (RowEdit.INSERTED, 0)
    assert rows.found(ann(4343, fingerprint=OTHER)) == (RowEdit.INSERTED, 1)
    assert [row.suspicion is not None for row in rows.rows] == [True, False]
    assert rows.found(ann(4242, fingerprint=PINNED)) == (RowEdit.UPDATED, 0)
    assert rows.rows[0].suspicion is None


def test_a_row_keeps_its_place_and_one_used_before_stays_when_it_stops_announcing() -> None:
    rows = ServerRows(lambda _host, _port: None)
    assert rows.set_recent([RecentServer("192.0.2.7", 4343, False, "Lab")]) == [(RowEdit.INSERTED, 0)]
    assert [(row.key, row.live) for row in rows.rows] == [("192.0.2.7:4343", False)]
    rows.found(ann(4242))
    assert rows.found(ann(4343, tls=False, name="Lab server")) == (RowEdit.UPDATED, 0)
    assert [(row.name, row.live) for row in rows.rows] == [("Lab server", True), ("Team", True)]
    assert rows.lost("192.0.2.7:4242") == (RowEdit.REMOVED, 1)
    assert rows.lost("192.0.2.7:4343") == (RowEdit.UPDATED, 0)
    assert [(row.name, row.live, row.online) for row in rows.rows] == [("Lab server", False, 0)]
    assert rows.lost("192.0.2.7:9999") is None


def test_the_last_servers_used_most_recent_first_bounded_and_read_back() -> None:
    recent: list[RecentServer] = []
    for port in range(1, MAX_RECENT + 3):
        recent = remembered(recent, RecentServer("h", port, False))
    recent = remembered(recent, RecentServer("h", MAX_RECENT, True, "Again"))
    assert [s.port for s in recent] == [MAX_RECENT, MAX_RECENT + 2, MAX_RECENT + 1, MAX_RECENT - 1, MAX_RECENT - 2]
    assert recent_from_text(recent_to_text(recent)) == recent


def test_an_unreadable_setting_gives_what_can_be_read() -> None:
    assert recent_from_text("not json") == []
    assert recent_from_text('{"host": "h"}') == []
    text = ('[{"host": "h", "port": 1, "tls": false, "name": "ok"}, {"host": "", "port": 1, "tls": false},'
            ' {"host": "h", "port": 70000, "tls": false}, {"host": "h", "port": "1", "tls": false}, 5,'
            ' {"host": "h", "port": 2, "tls": "yes"}]')
    assert recent_from_text(text) == [RecentServer("h", 1, False, "ok")]
