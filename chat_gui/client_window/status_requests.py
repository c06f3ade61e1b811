"""The client window's Status: asking the server who has connected, and the dialog that shows its answer."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from chat_gui.client import ChatClient
from chat_gui.widgets import StatusDialog
from chat_server import protocol as p


class StatusRequests(QObject):
    """Asks for a page of the server's sessions and shows the answer in one StatusDialog, made when first needed."""

    def __init__(self, client: ChatClient, window: QWidget) -> None:
        """``window``: the dialog's parent."""
        super().__init__(window)
        self.client = client
        self._window = window
        self.dialog: StatusDialog | None = None

    def connect_signals(self) -> None:
        """Called by the window's ``_connect_signals``, in its order."""
        self.client.status_received.connect(self._on_client_status_received)

    def request(self) -> None:
        """Ask for the first page, of all runs if the dialog shows them."""
        self._request(self.dialog.all_runs if self.dialog is not None else False)

    def set_offline(self) -> None:
        if self.dialog is not None:
            self.dialog.set_offline()

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()

    @Slot(object)
    def _on_client_status_received(self, report: p.StatusReport) -> None:
        dialog = self._dialog()
        dialog.show_report(report)
        dialog.show()
        dialog.raise_()

    @Slot(bool, int)
    def _on_dialog_refresh_requested(self, all_runs: bool, page: int) -> None:
        self._request(all_runs, page)

    def _request(self, all_runs: bool, page: int = 1) -> None:
        if self.client.request_status(all_runs, page):
            self._dialog().set_waiting()

    def _dialog(self) -> StatusDialog:
        if self.dialog is None:
            self.dialog = StatusDialog(self._window)
            self.dialog.refresh_requested.connect(self._on_dialog_refresh_requested)
        return self.dialog
