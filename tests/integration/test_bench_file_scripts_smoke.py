"""The scripts' files benchmark still runs (issue 22): a 2 MiB file sent and fetched by ``main.py send`` and
``main.py download`` against a real server, verified, with its figures printed. Speed is never asserted here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.file_scripts import main


def test_a_small_file_round_trip_is_verified_and_its_figures_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = tmp_path / "figures.json"
    assert main(["--size-mb", "2", "--repeat", "1", "--json", str(figures)]) == 0
    [round_one] = json.loads(figures.read_text())["ours"]
    assert round_one["up_mb_s"] > 0 and round_one["down_mb_s"] > 0
    assert round_one["acks"] >= 1 and round_one["ack_max_ms"] >= round_one["ack_p50_ms"] > 0
    assert "median of 1 (2 MiB):" in capsys.readouterr().out
