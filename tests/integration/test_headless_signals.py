"""SIGTERM at any moment after the port line stops the headless server cleanly (exit 0)."""

from __future__ import annotations

import signal

from tests.integration.test_headless import TIMEOUT_S, read_port, start_headless, stop_process

ROUNDS = 20
"""The window this guards against was a few milliseconds wide: several rounds catch it on the old code."""


def test_sigterm_right_after_the_port_line_is_a_clean_stop() -> None:
    for _ in range(ROUNDS):
        process = start_headless("--port", "0", "--db", ":memory:")
        try:
            read_port(process)
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=TIMEOUT_S)
            assert process.returncode == 0, err
            assert "SIGTERM received" in err
        finally:
            stop_process(process)
