"""Entry point from a checkout: ``python main.py`` runs the command line the installed ``lanchat`` runs
(chat_gui/command_line.py parses it and assembles the server, the windows and the clients)."""

from __future__ import annotations

import sys

from chat_gui.command_line import main

if __name__ == "__main__":
    sys.exit(main(prog="main.py"))
