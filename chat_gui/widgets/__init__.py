"""Parts both windows use: the session table's model, the Status dialog, where windows open on the screen, and
the keyboard shortcuts' table and list, the
validation problems' words, a file's size in words.

The public API is ``__all__``.
"""

from chat_gui.widgets.elided_label import ElidedLabel
from chat_gui.widgets.file_words import file_size_text
from chat_gui.widgets.focus import show_focus
from chat_gui.widgets.item_question import ask_item
from chat_gui.widgets.placement import available_area, restore_if_it_fits, show_within_screen, tile_windows
from chat_gui.widgets.problems import problem_sentence, problem_words, room_sentence
from chat_gui.widgets.session_model import (
    SESSION_ID_ROLE,
    Column,
    SessionFilterProxy,
    SessionListModel,
    SessionTableModel,
    column_title,
    is_today,
    short_time,
    state_color,
    state_text,
    write_sessions_csv,
)
from chat_gui.widgets.shortcuts import Shortcut, ShortcutsDialog, ShortcutTable, add_help_menu, show_shortcuts
from chat_gui.widgets.status_dialog import StatusDialog

__all__ = [
    "SESSION_ID_ROLE", "Column", "ElidedLabel", "SessionFilterProxy", "SessionListModel", "SessionTableModel",
    "Shortcut", "ShortcutTable", "ShortcutsDialog", "StatusDialog", "add_help_menu", "ask_item", "available_area",
    "column_title", "file_size_text", "is_today", "problem_sentence", "problem_words", "restore_if_it_fits",
    "room_sentence", "short_time", "show_focus", "show_shortcuts", "show_within_screen", "state_color", "state_text",
    "tile_windows", "write_sessions_csv",
]
