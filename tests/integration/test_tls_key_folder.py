"""The generated TLS key lives in the per-user data folder (0700), never beside an arbitrary --db."""

from __future__ import annotations

import re
import signal
import stat
from pathlib import Path

from chat_server.net.tls import CERT_FILE, KEY_FILE, create_self_signed, fingerprint_of_der
from tests.integration.test_headless import TIMEOUT_S, read_port, start_headless, stop_process
from tests.integration.test_tls import x509_der


def _serve_tls_once(tmp_path: Path, database: Path) -> tuple[str, str]:
    """Start ``--tls`` with ``--db database`` and a data folder under ``tmp_path``; its fingerprint and stderr."""
    process = start_headless("--port", "0", "--tls", "--db", str(database),
                             env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    try:
        read_port(process)
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"TLS certificate SHA-256 fingerprint: ([0-9A-F:]+)\n", line)
        assert match, line
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=TIMEOUT_S)
        assert process.returncode == 0, err
        return match.group(1), err
    finally:
        stop_process(process)


def test_a_generated_key_goes_to_the_private_data_folder_not_beside_the_database(tmp_path: Path) -> None:
    shared = tmp_path / "shared"  # like /tmp: a folder other people's servers use too
    shared.mkdir()
    fingerprint, _ = _serve_tls_once(tmp_path, shared / "x.sqlite3")
    assert not (shared / KEY_FILE).exists() and not (shared / CERT_FILE).exists()
    [key] = (tmp_path / "xdg").rglob(KEY_FILE)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert fingerprint == fingerprint_of_der(x509_der(key.parent / CERT_FILE))
    # Another database elsewhere: the same key, from the same private folder.
    other = tmp_path / "other"
    other.mkdir()
    assert _serve_tls_once(tmp_path, other / "y.sqlite3")[0] == fingerprint


def test_an_old_pair_beside_the_database_is_not_used_and_the_log_says_how_to_keep_it(tmp_path: Path) -> None:
    old = tmp_path / "old"
    create_self_signed(old / CERT_FILE, old / KEY_FILE)
    old_fingerprint = fingerprint_of_der(x509_der(old / CERT_FILE))
    fingerprint, err = _serve_tls_once(tmp_path, old / "chat.sqlite3")
    assert fingerprint != old_fingerprint
    assert f"--cert {old / CERT_FILE} --key {old / KEY_FILE}" in err
