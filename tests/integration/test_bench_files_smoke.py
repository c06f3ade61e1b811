"""The files benchmark still works (issue 22): a small file up and down a real server, the figures made.

Speed is never asserted here; ``python -m bench.file_transfers measure`` measures it (1 GiB).
"""

from __future__ import annotations

from pathlib import Path

from bench.file_transfers import measure, report


def test_a_small_file_goes_up_and_down_and_the_figures_are_reported(tmp_path: Path) -> None:
    figures = measure(8 * 1024 * 1024, folder=tmp_path)
    assert figures.verified
    assert figures.size_bytes == 8 * 1024 * 1024
    assert figures.upload_mb_s > 0 and figures.download_mb_s > 0
    assert figures.server_rss_peak_kib >= figures.server_rss_before_kib > 0
    assert figures.chat_acks_ms
    text = report(figures)
    assert "upload:" in text and "download:" in text and "chat meanwhile" in text and "server memory" in text
