"""The server window and its parts: listen controls, settings, the session table, the timeline and the log.

The public API is ``__all__``: the window itself.
"""

from chat_gui.server_window.window import ServerWindow

__all__ = ["ServerWindow"]
