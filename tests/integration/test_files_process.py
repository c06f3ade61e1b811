"""Files (issue 22) with the headless server as a real subprocess: its stop with a transfer running, a resume after
its restart, and a disk that will not take the file (a file size limit on the process: writes fail as when full)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from chat_server.protocol import files as f
from tests.file_transfers import BlockingMember, TransferSocket, sha256_of, upload
from tests.integration.test_headless import COVERAGE_ENV, ROOT, TIMEOUT_S, read_port, start_headless, stop_process

DATA = bytes(range(256)) * 20_000  # 5 MB
MAX_POLLS = 10_000  # bounds the wait for the server's partial file to hold what was sent


def _held(member: BlockingMember, wanted: int) -> int:
    """Ask for the upload again until the server holds ``wanted`` bytes of it (each answer says how much it holds)."""
    for number in range(MAX_POLLS):
        member.say(type="upload", id=f"poll{number}", name="big.bin", size=len(DATA), sha256=sha256_of(DATA))
        offset = int(member.expect("upload_ready", id=f"poll{number}")["offset"])
        if offset >= wanted:
            return offset
    raise AssertionError(f"the server never held {wanted} bytes")


def test_the_stop_is_prompt_with_an_upload_running_and_the_upload_resumes_after_the_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "chat.sqlite3")
    process = start_headless("--port", "0", "--db", db)
    try:
        port = read_port(process)
        alice = BlockingMember(port, "alice")
        alice.say(type="upload", id="u1", name="big.bin", size=len(DATA), sha256=sha256_of(DATA))
        transfer = TransferSocket(port, alice.expect("upload_ready", id="u1")["token"])
        transfer.send(DATA[:1_000_000])
        assert _held(alice, 1_000_000) == 1_000_000
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=TIMEOUT_S)  # the transfer's thread does not hold the stop back
        assert process.returncode == 0, err
        transfer.close()
        alice.close()
    finally:
        stop_process(process)
    process = start_headless("--port", "0", "--db", db)
    try:
        port = read_port(process)
        alice = BlockingMember(port, "alice")
        alice.say(type="upload", id="u2", name="big.bin", size=len(DATA), sha256=sha256_of(DATA))
        ready = alice.expect("upload_ready", id="u2")
        assert ready["offset"] == 1_000_000  # kept across the restart
        assert upload(port, ready["token"], DATA, ready["offset"])["type"] == "stored"
        alice.close()
    finally:
        stop_process(process)


def _limit_file_size() -> None:  # in the child, before exec: files it writes may not grow past 2 MB
    resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, resource.RLIM_INFINITY))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing


def test_a_disk_that_takes_no_more_gives_no_space_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in COVERAGE_ENV}
    process = subprocess.Popen(
        [sys.executable, "main.py", "server", "--headless", "--port", "0", "--db", str(tmp_path / "chat.sqlite3")],
        cwd=ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True, preexec_fn=_limit_file_size,
    )
    try:
        port = read_port(process)
        alice = BlockingMember(port, "alice")
        alice.say(type="upload", id="u1", name="big.bin", size=len(DATA), sha256=sha256_of(DATA))
        ready = alice.expect("upload_ready", id="u1")
        answer = upload(port, ready["token"], DATA)
        assert (answer["type"], answer["code"]) == ("error", f.ERR_NO_SPACE)
        alice.say(type="upload", id="u2", name="big.bin", size=len(DATA), sha256=sha256_of(DATA))
        assert alice.expect("upload_ready", id="u2")["offset"] == 0  # no partial file kept
        alice.close()
    finally:
        stop_process(process)
    assert not [p for p in (tmp_path / "chat-files").rglob("*") if p.is_file()]
