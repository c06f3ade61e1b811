"""The command lines of ``main.py send`` and ``main.py download`` (issue 22), and their failures that need no server;
the scripts against a real server: tests/integration/test_file_scripts.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat_gui.command_line import build_parser, parse_args
from chat_gui.file_commands import FAILED, run_file_command


def test_send_takes_a_text_or_a_file_to_a_room_or_a_member() -> None:
    parser = build_parser()
    text = parse_args(parser, ["send", "--port", "4000", "--to", "bob", "hello there"])
    assert (text.command, text.port, text.to, text.room, text.text, text.file) == (
        "send", 4000, "bob", None, "hello there", None)
    shared = parse_args(parser, ["send", "--room", "#dev", "--name", "ci", "--tls", "--file", "report.pdf"])
    assert (shared.room, shared.name, shared.tls, shared.file, shared.text, shared.caption) == (
        "#dev", "ci", True, "report.pdf", None, "")


@pytest.mark.parametrize("argv", [
    ["send"],  # nothing to send
    ["send", "--file", "a.pdf", "and a text"],  # both
    ["send", "--room", "#dev", "--to", "bob", "hi"],  # two places
    ["download"],  # no id
])
def test_a_command_line_that_cannot_be_run_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        parse_args(build_parser(), argv)
    assert ended.value.code == 2 and capsys.readouterr().err


def test_download_takes_an_id_and_where_to_write(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse_args(build_parser(), ["download", "--name", "alice", "ab" * 16, "-o", "out/"])
    assert (args.command, args.file_id, args.output, args.name, args.host) == (
        "download", "ab" * 16, "out/", "alice", "127.0.0.1")


def test_failures_before_any_connection_say_why_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    assert run_file_command(parse_args(parser, ["download", "../../etc/passwd"])) == FAILED
    assert capsys.readouterr() == ("", "error: '../../etc/passwd' is not a file id (32 hex digits)\n")
    missing = tmp_path / "missing.pdf"
    assert run_file_command(parse_args(parser, ["send", "--port", "1", "--file", str(missing)])) == FAILED
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: cannot read ") and str(missing) in err
