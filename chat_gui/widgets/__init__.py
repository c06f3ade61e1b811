"""Parts both windows use: the session table's model and the Status dialog.

The public API is ``__all__``.
"""

from chat_gui.widgets.session_model import (
    SESSION_ID_ROLE,
    Column,
    SessionFilterProxy,
    SessionListModel,
    SessionTableModel,
    is_today,
    state_color,
    write_sessions_csv,
)
from chat_gui.widgets.status_dialog import StatusDialog

__all__ = ["SESSION_ID_ROLE", "Column", "SessionFilterProxy", "SessionListModel", "SessionTableModel",
           "StatusDialog", "is_today", "state_color", "write_sessions_csv"]
