"""The README's screenshot of "Servers on this network": real announcements on 127.0.0.1, one of them suspicious.

It runs in every test run (so the scene keeps working) and saves the picture only when asked:

    LANCHAT_SCREENSHOT=docs/images/server-list.png \\
        .venv/bin/pytest tests/gui/client_window/test_server_list_screenshot.py
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from chat_gui.client import KnownServers, ServerBrowser
from chat_gui.client_window.server_list import Column
from chat_gui.client_window.window import ClientWindow
from chat_server.protocol.discovery import txt_properties
from tests.conftest import WAIT_MS
from tests.gui.announcing import FOUND_MS, Announcer, announcement, unique

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def fingerprint(seed: str) -> str:
    return ":".join(f"{byte:02X}" for byte in hashlib.sha256(seed.encode()).digest())


def test_server_list_scene(qtbot: QtBot, tmp_path: Path) -> None:
    announcer = Announcer()
    window: ClientWindow | None = None
    try:
        team, lab, desk, old = (announcer.port() for _ in range(4))
        known = KnownServers(tmp_path / "known_servers.json")
        known.remember("127.0.0.1", team, fingerprint("team"))
        known.remember("127.0.0.1", desk, fingerprint("the real front desk"))
        settings = QSettings(str(tmp_path / "client.ini"), QSettings.Format.IniFormat)
        settings.setValue("client/recent_servers",
                          f'[{{"host": "127.0.0.1", "port": {old}, "tls": false, "name": "Build room"}}]')
        window = ClientWindow(settings=settings, browser=ServerBrowser(interfaces=["127.0.0.1"]))
        window.client.known_servers = known
        qtbot.addWidget(window)
        window.resize(820, 560)
        window.show()
        window.host_edit.setText("127.0.0.1")
        window.name_edit.setText("Alice")
        for port, said in [
            (team, announcement("Team chat", team, tls=True, fingerprint=fingerprint("team"), password=True,
                                online=4, limit=50)),
            (lab, announcement("Lab bench", lab, online=2)),
            (desk, announcement("Front desk", desk, tls=True, fingerprint=fingerprint("an impostor"), online=0,
                                limit=10)),
        ]:
            announcer.zc.register_service(announcer.info(unique("scene"), port, txt_properties(said)))
        model = window.server_list.model
        mine = {f"127.0.0.1:{port}" for port in (team, lab, desk)}
        qtbot.waitUntil(lambda: mine <= {row.key for row in model.state.rows if row.live}, timeout=FOUND_MS)

        shown = {model.index(row, Column.NAME).data(): [model.index(row, c).data() for c in Column]
                 for row in range(model.rowCount())}
        assert shown["Team chat"][2:] == [f"TLS {fingerprint('team')[:11]}…", "yes", "4/50"]
        assert shown["Lab bench"][2:] == ["none", "no", "2"]
        assert shown["Front desk"][2:] == [f"⚠ TLS {fingerprint('an impostor')[:11]}…", "no", "0/10"]
        assert shown["Build room"][2:] == ["none", "", "not seen now"]

        path = os.environ.get("LANCHAT_SCREENSHOT")
        if path:
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            assert window.grab().save(path)
    finally:
        if window is not None:
            window.server_list.set_active(False)
        announcer.close()
