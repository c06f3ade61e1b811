"""The server window's status bar: members online of the limit and where it listens, the sessions and messages
counted, and the message rate. The same count names the window in its title."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QLabel

from chat_gui.server_window.message_rate import MessageRate
from chat_server.core import ChatServer
from chat_server.protocol import host_port


class StatusCounts(QObject):
    """Writes the status bar's three labels from the engine and the window's message rate."""

    def __init__(self, server: ChatServer, rate: MessageRate, count_label: QLabel, total_label: QLabel,
                 rate_label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = server
        self._rate = rate
        self._count_label = count_label
        self._total_label = total_label
        self._rate_label = rate_label

    def count_text(self) -> str:
        """'2/3 online · listening on 127.0.0.1:12345', as the status bar and the title show it."""
        server = self._server
        online, limit = server.online_count, server.max_clients
        if limit:
            count = self.tr("{online}/{limit} online").format(online=online, limit=limit)
        else:
            count = self.tr("{online} online (no limit)").format(online=online)
        if not server.is_listening:
            return self.tr("{count} · not listening").format(count=count)
        return self.tr("{count} · listening on {address}").format(
            count=count, address=host_port(server.server_host, server.server_port))

    def update(self, totals: str) -> str:
        """Every label as things are now (``totals``: the sessions and messages counted, as the window words them);
        the count's text (for the title)."""
        text = self.count_text()
        self._count_label.setText(text)
        self._total_label.setText(totals)
        self.show_rate()
        return text

    def show_rate(self) -> None:
        rate = QLocale().toString(self._rate.rate(), "f", 1)
        self._rate_label.setText(self.tr("· {rate} msg/s").format(rate=rate))
