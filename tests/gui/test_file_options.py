"""The server's file options (issue 22) from the command line into its settings, and no abbreviated options."""

from __future__ import annotations

import argparse

from chat_gui.command_line import build_parser, settings_from_args
from chat_server import settings as defaults


def test_the_file_options_reach_the_settings_with_their_defaults() -> None:
    parser = build_parser()
    default = settings_from_args(parser.parse_args(["server", "--db", ":memory:"]))
    assert (default.max_file_mb, default.file_quota_mb, default.max_files_gb, default.file_retention_days) == (
        defaults.DEFAULT_MAX_FILE_MB, defaults.DEFAULT_FILE_QUOTA_MB, defaults.DEFAULT_MAX_FILES_GB, 0.0)
    given = settings_from_args(parser.parse_args(["server", "--db", ":memory:", "--max-file-mb", "5",
                                                  "--file-quota-mb", "0", "--max-files-gb", "0.5",
                                                  "--file-retention-days", "30"]))
    assert (given.max_file_mb, given.file_quota_mb, given.max_files_gb, given.file_retention_days) == (5, 0, 0.5, 30)


def test_a_sub_commands_own_option_is_not_taken_for_the_start_of_a_server_option() -> None:
    """The bare command's server options are matched against the whole line: with abbreviations allowed, a script's
    ``--file`` was refused as ambiguous (--file-quota-mb or --file-retention-days)."""
    parser = build_parser()
    commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    commands.add_parser("probe").add_argument("--file")
    assert parser.parse_args(["probe", "--file", "x.bin"]).file == "x.bin"
