"""Files (issue 22) with the headless server as a real subprocess: its stop with a transfer running, a resume after
its restart, and a disk that will not take the file (a file size limit on the process: writes fail as when full)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from chat_server.protocol import files as f
from tests.file_transfers import BlockingMember, TransferSocket, sha256_of, upload
from tests.integration.test_headless import COVERAGE_ENV, ROOT, TIMEOUT_S, read_port, start_headless, stop_process
from tests.tiny_disk import tiny_disk_available, tiny_disk_command

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


def test_a_real_full_disk_refuses_what_cannot_fit_and_cuts_what_fills_it(tmp_path: Path) -> None:
    """The server's database and files on a tmpfs of 2 MiB (a namespace of its own, tests/tiny_disk.py): a file
    bigger than the space left is refused at its request; two that each fit, but not together, are both taken at
    their requests, and the second's transfer meets the kernel's ENOSPC: no_space."""
    if not tiny_disk_available():
        pytest.skip("this system does not let a user mount a tmpfs in a namespace of its own (unshare -rm)")
    env = {key: value for key, value in os.environ.items() if key not in COVERAGE_ENV}
    command = [sys.executable, "main.py", "server", "--headless", "--port", "0", "--db", str(tmp_path / "chat.db")]
    process = subprocess.Popen(tiny_disk_command(tmp_path, 2 * 1024 * 1024, command), cwd=ROOT,
                               env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, text=True)
    try:
        port = read_port(process)
        alice = BlockingMember(port, "alice")
        alice.say(type="upload", id="big", name="big.bin", size=len(DATA), sha256=sha256_of(DATA))
        assert alice.expect("error", id="big")["code"] == f.ERR_NO_SPACE
        first, second = b"1" * 1_200_000, b"2" * 1_200_000
        tokens = []
        for number, data in enumerate((first, second)):
            alice.say(type="upload", id=f"u{number}", name="half.bin", size=len(data), sha256=sha256_of(data))
            tokens.append(alice.expect("upload_ready", id=f"u{number}")["token"])
        assert upload(port, tokens[0], first)["type"] == "stored"
        answer = upload(port, tokens[1], second)
        assert (answer["type"], answer["code"]) == ("error", f.ERR_NO_SPACE)
        alice.say(type="upload", id="again", name="half.bin", size=len(second), sha256=sha256_of(second))
        assert alice.expect("error", id="again")["code"] == f.ERR_NO_SPACE  # still no room for it
        alice.close()
    finally:
        stop_process(process)
