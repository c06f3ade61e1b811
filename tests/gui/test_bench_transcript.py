"""bench/transcript.py run tiny: it builds the conversation through the prepend path and measures every figure
(the figures themselves belong to docs/performance.md, not to a test)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from bench.transcript import measure, p95, report

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def test_the_transcript_bench_measures_every_figure(qapp: QApplication) -> None:
    figures = measure(messages=250, samples=4)
    assert (figures.messages, figures.rows) == (250, 254)  # the conversation, then one live message per sample
    assert len(figures.scroll_ms) == len(figures.append_ms) == 4
    assert figures.rss_mb > 0 and figures.open_ms > 0 and figures.reopen_ms > 0
    lines = report(figures).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "machine", "transcript", "memory (VmRSS, conversation shown)", "opening the conversation",
        "scrolling a page", "appending a live message"]


def test_p95_is_the_sample_at_95_percent() -> None:
    assert p95([float(n) for n in range(1, 101)]) == 96.0
    assert p95([3.0]) == 3.0
