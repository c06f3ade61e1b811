"""``python -m bench.transcript``: the client window's transcript at 100,000 messages (issue 21), offscreen.

A client window (not connected) at its own size gets a conversation of ``--messages`` messages through the
transcript model's own prepend path, 100 at a time as scrolling loads them, with chat-like text lengths; then
its own view is measured:

- memory: the process's resident size (VmRSS) with the conversation loaded and shown (target: under 300 MB);
- opening the conversation: from choosing it in the sidebar to its newest page drawn (target: under 300 ms);
- scrolling a page: one viewport's height up, drawn, over rows not measured before (target: p95 under 16 ms);
- appending a live message while at the bottom: into the model, laid out and drawn (target: p95 under 16 ms).

Each timing ends with the viewport drawn (``repaint``), so it is what a frame would cost. No sockets: the model and
the view are what is measured, as the issue asks.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # (after the platform is chosen)
from PySide6.QtWidgets import QApplication

from bench.procstat import rss_kib
from chat_gui.client import LOBBY, Conversation
from chat_gui.client_window.transcript import Entry, EntryKind
from chat_gui.client_window.window import ClientWindow

MESSAGES = 100_000
PAGE = 100  # messages a scroll to the top loads (ScrollbackLoader's page)
SAMPLES = 200
SENDERS = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar")
PROSE = ("the build is green again so ship it after lunch please review my change before the meeting "
         "I think we should merge this today tests pass on my machine où est le café 👍 ok sounds good "
         "can you look at the logs from last night the server restarted twice")
WORDS = PROSE.split()
# Lengths in words, as a chat has them: mostly a few words, now and then a paragraph.
LENGTHS = ((2, 0.25), (5, 0.25), (10, 0.2), (20, 0.15), (40, 0.1), (120, 0.05))


@dataclass(frozen=True, slots=True)
class Figures:
    messages: int
    rows: int
    build_s: float
    rss_mb: float
    open_ms: float
    reopen_ms: float
    scroll_ms: list[float]
    append_ms: list[float]


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def chat_text(rng: random.Random) -> str:
    count = rng.choices([n for n, _ in LENGTHS], weights=[w for _, w in LENGTHS])[0]
    return " ".join(rng.choice(WORDS) for _ in range(max(1, int(count * rng.uniform(0.5, 1.5)))))


def page_of(rng: random.Random, last_seq: int, count: int) -> list[Entry]:
    """A page of ``count`` messages ending at ``last_seq``, oldest first, as ScrollbackLoader makes its entries."""
    first = last_seq - count + 1
    return [Entry(EntryKind.OTHER, chat_text(rng), 1_795_000_000.0 + seq * 7.0, sender=rng.choice(SENDERS), seq=seq)
            for seq in range(first, last_seq + 1)]


def measure(messages: int = MESSAGES, samples: int = SAMPLES, seed: int = 21) -> Figures:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = QSettings(os.devnull, QSettings.Format.IniFormat)
    window = ClientWindow(settings=settings)
    window.client.auto_reconnect = False
    window.show()
    app.processEvents()
    rng = random.Random(seed)
    conversation = Conversation.direct("bob")
    window.pane.open_quietly(conversation)
    model = window.pane.transcript(conversation)

    started = time.perf_counter()
    seq = messages
    while seq > 0:
        count = min(PAGE, seq)
        model.prepend_many(page_of(rng, seq, count))
        seq -= count
    build_s = time.perf_counter() - started

    view = window.transcript_view
    started = time.perf_counter()
    window.open_conversation(conversation)
    app.processEvents()
    view.viewport().repaint()
    open_ms = (time.perf_counter() - started) * 1000
    window.open_conversation(LOBBY)
    app.processEvents()
    started = time.perf_counter()
    window.open_conversation(conversation)
    app.processEvents()
    view.viewport().repaint()
    reopen_ms = (time.perf_counter() - started) * 1000
    rss_mb = rss_kib(os.getpid()) / 1024

    scroll_ms = []
    for _ in range(samples):
        started = time.perf_counter()
        view.scroll_by(-view.viewport().height())
        view.viewport().repaint()
        scroll_ms.append((time.perf_counter() - started) * 1000)

    view.scroll_to_bottom()
    app.processEvents()
    append_ms = []
    for number in range(samples):
        entry = page_of(rng, messages + number + 1, 1)[0]
        started = time.perf_counter()
        model.add(entry)
        app.processEvents()
        view.viewport().repaint()
        append_ms.append((time.perf_counter() - started) * 1000)
    assert view.follow, "appending at the bottom must keep the newest line in view"
    rows = model.rowCount()
    window.client.abort()
    window.close()
    window.deleteLater()
    app.processEvents()
    return Figures(messages, rows, build_s, rss_mb, open_ms, reopen_ms, scroll_ms, append_ms)


def report(figures: Figures) -> str:
    return "\n".join([
        f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}",
        f"transcript: {figures.messages:,} messages ({figures.rows:,} rows), loaded in pages of {PAGE} "
        f"in {figures.build_s:.2f} s",
        f"memory (VmRSS, conversation shown): {figures.rss_mb:.0f} MB (target < 300)",
        f"opening the conversation: {figures.open_ms:.1f} ms, again {figures.reopen_ms:.1f} ms (target < 300)",
        f"scrolling a page: p95 {p95(figures.scroll_ms):.2f} ms, median {statistics.median(figures.scroll_ms):.2f}, "
        f"max {max(figures.scroll_ms):.2f} (target p95 < 16)",
        f"appending a live message: p95 {p95(figures.append_ms):.2f} ms, median "
        f"{statistics.median(figures.append_ms):.2f}, max {max(figures.append_ms):.2f} (target p95 < 16)",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.transcript", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=MESSAGES)
    parser.add_argument("--samples", type=int, default=SAMPLES, help="pages scrolled, and messages appended")
    args = parser.parse_args(argv)
    print(report(measure(args.messages, args.samples)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
