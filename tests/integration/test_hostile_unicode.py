"""Lone surrogates (JSON's "\\ud800") in any field: refused where the wire is decoded, for that message only."""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from pathlib import Path

from tests.integration.test_headless import LineSocket, read_port, start_headless, stop_process

STOP_WITHIN_S = 2.0


def _json(line: str) -> dict[str, object]:
    obj = json.loads(line)
    assert isinstance(obj, dict)
    return obj


def _json_member(port: int, name: str, client_id: str | None = None) -> LineSocket:
    member = LineSocket(port)
    assert member.line().startswith("Welcome ")
    member.send(json.dumps({"type": "hello", "version": 1, "name": name, "client_id": client_id,
                            "last_seq": None}) + "\n")
    assert _json(member.line())["type"] == "welcome"
    return member


def test_a_lone_surrogate_in_a_chat_is_refused_and_the_others_in_its_pass_are_stored(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    process = start_headless("--port", "0", "--max-clients", "0", "--db", str(db))
    try:
        port = read_port(process)
        poisoner = _json_member(port, "mallory", "id-mallory-0123456789")
        honest = _json_member(port, "alice", "id-alice-0123456789")
        netcat = LineSocket(port)
        assert netcat.line() == "Welcome Client01! Type a message, 'status' or 'exit'."
        netcat.send("first\n")
        assert netcat.line_matching(r".* ACK") == "first ACK"
        # Back to back, so that they are read in the same pass of the server as far as it can be arranged.
        poisoner.send('{"type":"chat","id":"x0","text":"boom\\ud800"}\n')
        netcat.send("hello from netcat\n")
        honest.send('{"type":"chat","id":"a1","text":"hello from alice"}\n')

        assert netcat.line_matching(r"hello from netcat ACK") == "hello from netcat ACK"
        ack = _json(honest.line_matching(r'\{"type":"ack".*'))
        assert ack["id"] == "a1"
        seen: list[dict[str, object]] = []
        while sum(obj["type"] == "message" and obj["seq"] != 1 for obj in seen) < 2 or \
                not any(obj["type"] == "error" for obj in seen):
            seen.append(_json(poisoner.line_matching(r'\{"type":"(error|message)".*')))
        errors = [obj for obj in seen if obj["type"] == "error"]
        assert len(errors) == 1 and errors[0]["code"] == "message_invalid" and errors[0]["id"] == "x0"
        assert "field 'text'" in str(errors[0]["text"]) and "U+D800" in str(errors[0]["text"])
        # Relayed to the poisoner as to anyone, with no gap in the sequence numbers.
        relays = [obj for obj in seen if obj["type"] == "message" and obj["seq"] != 1]
        assert sorted(int(str(r["seq"])) for r in relays) == [2, 3]
        assert {r["text"] for r in relays} == {"hello from netcat", "hello from alice"}

        netcat.send("exit\n")
        netcat.line_matching(r"Goodbye .*")
        honest.send('{"type":"status"}\n')
        report = _json(honest.line_matching(r'\{"type":"status_report".*'))
        sessions = report["sessions"]
        assert isinstance(sessions, list)
        counts = {s["name"]: s["messages"] for s in sessions}
        assert counts == {"mallory": 0, "alice": 1, "Client01": 2}
    finally:
        stop_process(process)
    with sqlite3.connect(db) as check:
        rows = check.execute("SELECT seq, sender, text FROM messages ORDER BY seq").fetchall()
    assert [row[0] for row in rows] == [1, 2, 3]
    assert sorted(row[2] for row in rows) == ["first", "hello from alice", "hello from netcat"]


def test_a_lone_surrogate_in_the_client_id_is_refused_and_sigterm_stops_at_once(tmp_path: Path) -> None:
    process = start_headless("--port", "0", "--max-clients", "0", "--db", str(tmp_path / "chat.sqlite3"))
    try:
        port = read_port(process)
        first = _json_member(port, "alice", "id-alice-0123456789")
        poisoner = LineSocket(port)
        assert poisoner.line().startswith("Welcome ")
        poisoner.send('{"type":"hello","version":1,"name":"bob","client_id":"\\udfff","last_seq":null}\n')
        error = _json(poisoner.line_matching(r'\{"type":"error".*'))
        assert error["code"] == "bad_message"
        assert "field 'client_id'" in str(error["text"]) and "U+DFFF" in str(error["text"])
        last = LineSocket(port)
        assert last.line().startswith("Welcome ")
        last.send("still here\n")
        assert last.line_matching(r".* ACK") == "still here ACK"

        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        for member in (first, poisoner, last):
            assert "Server is shutting down." in member.line_matching(r".*Server is shutting down\..*")
        process.wait(timeout=STOP_WITHIN_S + 3)
        assert time.monotonic() - started < STOP_WITHIN_S
        assert process.returncode == 0
    finally:
        stop_process(process)


def test_a_lone_surrogate_as_a_password_is_refused_and_leaves_no_pending_check(tmp_path: Path) -> None:
    password_file = tmp_path / "password"
    password_file.write_text("open sesame\n")
    password_file.chmod(0o600)
    process = start_headless("--port", "0", "--db", str(tmp_path / "chat.sqlite3"),
                             "--password-file", str(password_file))
    try:
        port = read_port(process)
        guesser = LineSocket(port)
        assert guesser.line().startswith("This chat server needs a password")
        guesser.send('{"type":"hello","version":1,"name":"bob","client_id":null,"last_seq":null,'
                     '"password":"\\ud800"}\n')
        error = _json(guesser.line_matching(r'\{"type":"error".*'))
        assert error["code"] == "bad_message" and "field 'password'" in str(error["text"])
        guesser.close()
        # The refused attempt was never an attempt: the right password from the same address is checked at once.
        member = LineSocket(port)
        assert member.line().startswith("This chat server needs a password")
        member.send('{"type":"hello","version":1,"name":"alice","client_id":null,"last_seq":null,'
                    '"password":"open sesame"}\n')
        assert _json(member.line())["type"] == "welcome"
    finally:
        stop_process(process)


def test_every_string_field_is_checked_for_lone_surrogates(tmp_path: Path) -> None:
    process = start_headless("--port", "0", "--max-clients", "0", "--db", str(tmp_path / "chat.sqlite3"))
    try:
        port = read_port(process)
        member = _json_member(port, "alice", "id-alice-0123456789")
        for line, field in (('{"type":"chat","id":"\\ud83d","text":"hi"}', "id"),
                            ('{"type":"ping","token":"\\udc00"}', "token"),
                            ('{"type":"hello","version":1,"name":"b\\ud800b"}', "name")):
            member.send(line + "\n")
            error = _json(member.line_matching(r'\{"type":"error".*'))
            assert error["code"] == "bad_message", line
            assert f"field '{field}'" in str(error["text"]), line
        member.send('{"type":"chat","id":"ok","text":"a real pair \\ud83d\\ude00 is fine"}\n')
        assert _json(member.line_matching(r'\{"type":"ack".*'))["id"] == "ok"
    finally:
        stop_process(process)
