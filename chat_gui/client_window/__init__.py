"""The client window and its parts: the connect panel, the transcript, the member list and the dialogs.

The public API is ``__all__``: the window itself.
"""

from chat_gui.client_window.window import ClientWindow

__all__ = ["ClientWindow"]
