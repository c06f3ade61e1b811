"""The standalone build's entry: the command line of main.py, named after the program (``lanchat``)."""

from __future__ import annotations

import sys

from chat_gui.command_line import main

if __name__ == "__main__":
    sys.exit(main())
