"""The client ids a client window uses per chosen name, remembered between runs.

The server keeps a chosen name for the client id that used it last (for a day, by default), so
coming back as "alice" tomorrow needs the same client id as today: one per name, in QSettings.
"""

from __future__ import annotations

import json
import uuid

from PySide6.QtCore import QSettings

from chat_server.protocol import name_key

IDENTITIES_KEY = "client/identities"


class ClientIdentities:
    """``for_name`` gives the remembered client id of a name, making and remembering one the first time."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(str(self._settings.value(IDENTITIES_KEY, "{}")))
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def for_name(self, name: str) -> str:
        known = self._load()
        key = name_key(name)
        if key not in known:
            known[key] = uuid.uuid4().hex
            self._settings.setValue(IDENTITIES_KEY, json.dumps(known, sort_keys=True))
            self._settings.sync()
        return known[key]
