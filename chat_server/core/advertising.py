"""The server announced on the LAN while it listens: what the announcement says, when it starts, changes and stops.

``ServerAdvertising`` follows the engine's signals: listening starts an announcement (chat_server/net/announcer.py
carries it out on its own thread) and stopping withdraws it; members coming and going, the limit and the
password update its TXT record, at most every ``UPDATE_INTERVAL_S``; the name and the advertise settings,
changed while the server runs, withdraw it and announce it again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Slot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.net.announcer import WITHDRAW_TIMEOUT_S, AnnouncementScope, ServiceAnnouncer, announcement_scope

log = logging.getLogger(__name__)

UPDATE_INTERVAL_S = 5
"""The member count (and the other changing properties) is announced again at most this often."""
_REANNOUNCED = frozenset({"name", "advertise", "advertise_loopback"})
_UPDATED = frozenset({"max_clients", "password"})


class ServerAdvertising(QObject):
    """Keeps a ``ChatServer``'s DNS-SD announcement true while it listens (``close`` when done with the server)."""

    def __init__(self, server: ChatServer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = server
        self._announcer: ServiceAnnouncer | None = None
        self._withdrawn: list[ServiceAnnouncer] = []  # still sending their goodbyes, perhaps
        self._sent: p.Announcement | None = None
        self._scope = AnnouncementScope(())
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(UPDATE_INTERVAL_S * 1000)
        self._throttle.timeout.connect(self._on_throttle_timeout)
        server.listening_changed.connect(self._on_server_listening_changed)
        server.member_joined.connect(self._on_server_members_changed)
        server.member_left.connect(self._on_server_members_changed)
        server.settings_changed.connect(self._on_server_settings_changed)
        if server.is_listening:
            self._announce()

    @property
    def announcer(self) -> ServiceAnnouncer | None:
        """The announcement under way (None when the server is not announced)."""
        return self._announcer

    def announcement(self) -> p.Announcement:
        """What the server says about itself now."""
        server = self._server
        return p.Announcement(
            name=server.settings.name, host=next(iter(self._scope.addresses), server.server_host),
            port=server.server_port, version=max(p.SUPPORTED_VERSIONS),
            tls=server.tls, fingerprint=server.tls_fingerprint if server.tls else None,
            password=server.has_password, online=server.online_count, limit=server.max_clients,
        )

    def close(self, timeout_s: float = WITHDRAW_TIMEOUT_S) -> None:
        """Withdraw the announcement and wait (up to ``timeout_s``) for every goodbye to be sent."""
        self._withdraw()
        for announcer in self._withdrawn:
            if not announcer.wait(timeout_s):
                log.warning("the announcement's goodbye was not sent within %g s", timeout_s)
        self._withdrawn.clear()

    # --- the engine's signals --------------------------------------------------------------------------

    @Slot(bool)
    def _on_server_listening_changed(self, listening: bool) -> None:
        if listening:
            self._announce()
        else:
            self._withdraw()

    @Slot()
    def _on_server_members_changed(self) -> None:
        self._update()

    @Slot(object)
    def _on_server_settings_changed(self, changed: frozenset[str]) -> None:
        if changed & _REANNOUNCED and self._server.is_listening:
            self._withdraw()
            self._announce()
        elif changed & _UPDATED:
            self._update()

    @Slot()
    def _on_throttle_timeout(self) -> None:
        self._update()

    # --- announcing -----------------------------------------------------------------------------------

    def _announce(self) -> None:
        if self._announcer is not None:
            return
        settings = self._server.settings
        scope = announcement_scope(self._server.server_host, settings.advertise, settings.advertise_loopback)
        if not isinstance(scope, AnnouncementScope):
            log.info("%s", scope)
            return
        self._scope = scope
        self._sent = self.announcement()
        self._announcer = ServiceAnnouncer(self._sent, scope)
        self._announcer.start()

    def _update(self) -> None:
        """Announce what changed now, or when the interval since the last update is over."""
        if self._announcer is None or self._throttle.isActive():
            return
        now = self.announcement()
        if now != self._sent:
            self._sent = now
            self._announcer.update(now)
            self._throttle.start()

    def _withdraw(self) -> None:
        self._throttle.stop()
        if self._announcer is not None:
            self._announcer.withdraw()
            self._withdrawn.append(self._announcer)
            self._announcer = None
            self._sent = None
