"""Why a name, a message, a room's name or a server's name is refused, in a machine-readable form.

The rules themselves are in messages.py (``name_fault``, ``text_fault``, ``room_fault``) and discovery.py
(``server_name_fault``); each outcome is a
``Problem``: its code and its values (a limit, what was found). ``Problem.english`` is the sentence the
server writes on the wire (``name_problem`` and the others return it); the windows word each code in their
own language (chat_gui/widgets/problems.py), so the English here is only the protocol's.
``TEXT_TOO_LONG`` is the client's own finding (the server's limit is on the whole line, and its decoder
answers ``line_too_long``), so its English is never on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["PROBLEM_ENGLISH", "Problem", "ProblemCode"]


class ProblemCode(StrEnum):
    """Each rule a name, a chat message, a room's name or a server's name can break."""

    NAME_EMPTY = "name_empty"
    NAME_SPACES = "name_spaces"
    NAME_TOO_LONG = "name_too_long"  # limit: the most characters
    NAME_CONTROL = "name_control"
    NAME_INVISIBLE = "name_invisible"
    NAME_LINES = "name_lines"
    NAME_START = "name_start"
    NAME_COLON = "name_colon"
    TEXT_EMPTY = "text_empty"
    TEXT_LINES = "text_lines"
    TEXT_CONTROL = "text_control"
    TEXT_SEPARATOR = "text_separator"
    TEXT_BIDI = "text_bidi"  # found: the character, as U+XXXX
    TEXT_INVISIBLE = "text_invisible"  # found: the character, as U+XXXX
    TEXT_TOO_LONG = "text_too_long"  # limit: the server's most bytes in a line; found: how many over, in digits
    ROOM_INVALID = "room_invalid"  # limit: the most characters after #; found: the name given, quoted
    SERVER_NAME_EMPTY = "server_name_empty"
    SERVER_NAME_SPACES = "server_name_spaces"
    SERVER_NAME_TOO_LONG = "server_name_too_long"  # limit: the most characters
    SERVER_NAME_TOO_MANY_BYTES = "server_name_too_many_bytes"  # limit: the most bytes of UTF-8
    SERVER_NAME_SURROGATES = "server_name_surrogates"
    SERVER_NAME_LINES = "server_name_lines"
    SERVER_NAME_CONTROL = "server_name_control"
    SERVER_NAME_SEPARATOR = "server_name_separator"
    SERVER_NAME_BIDI = "server_name_bidi"  # found: the character, as U+XXXX
    SERVER_NAME_INVISIBLE = "server_name_invisible"  # found: the character, as U+XXXX


PROBLEM_ENGLISH: dict[ProblemCode, str] = {
    ProblemCode.NAME_EMPTY: "a name cannot be empty",
    ProblemCode.NAME_SPACES: "a name cannot start or end with spaces",
    ProblemCode.NAME_TOO_LONG: "a name is at most {limit} characters",
    ProblemCode.NAME_CONTROL: "a name cannot contain control characters",
    ProblemCode.NAME_INVISIBLE: "a name cannot contain invisible characters",
    ProblemCode.NAME_LINES: "a name is one line",
    ProblemCode.NAME_START: "a name starts with a letter or a digit",
    ProblemCode.NAME_COLON: "a name cannot contain ':'",
    ProblemCode.TEXT_EMPTY: "an empty message is not sent",
    ProblemCode.TEXT_LINES: "a message is one line",
    ProblemCode.TEXT_CONTROL: "a message cannot contain control characters",
    ProblemCode.TEXT_SEPARATOR: "a message is one line (no line or paragraph separators)",
    ProblemCode.TEXT_BIDI: "a message cannot contain bidirectional overrides ({found})",
    ProblemCode.TEXT_INVISIBLE: "a message cannot contain invisible characters ({found})",
    ProblemCode.TEXT_TOO_LONG: "a message is {found} bytes over the server's limit",
    ProblemCode.ROOM_INVALID: "a room's name is # and 1 to {limit} of a-z, 0-9, - and _ (not {found})",
    ProblemCode.SERVER_NAME_EMPTY: "a server's name cannot be empty",
    ProblemCode.SERVER_NAME_SPACES: "a server's name cannot start or end with spaces",
    ProblemCode.SERVER_NAME_TOO_LONG: "a server's name is at most {limit} characters",
    ProblemCode.SERVER_NAME_TOO_MANY_BYTES: "a server's name is at most {limit} bytes of UTF-8",
    ProblemCode.SERVER_NAME_SURROGATES: "a server's name cannot contain lone surrogates",
    # A server's name is held to a message's rules; the parenthesis is the message's rule, worded of the name.
    ProblemCode.SERVER_NAME_LINES: "a server's name is one line of visible characters (is one line)",
    ProblemCode.SERVER_NAME_CONTROL:
        "a server's name is one line of visible characters (cannot contain control characters)",
    ProblemCode.SERVER_NAME_SEPARATOR:
        "a server's name is one line of visible characters (is one line (no line or paragraph separators))",
    ProblemCode.SERVER_NAME_BIDI:
        "a server's name is one line of visible characters (cannot contain bidirectional overrides ({found}))",
    ProblemCode.SERVER_NAME_INVISIBLE:
        "a server's name is one line of visible characters (cannot contain invisible characters ({found}))",
}
"""Each code's sentence as the protocol writes it (``{limit}`` and ``{found}``: the problem's values)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: its code, and the values its sentence names."""

    code: ProblemCode
    limit: int = 0
    found: str = ""

    @property
    def english(self) -> str:
        """The protocol's sentence (lower case, no full stop: it is put inside others)."""
        return PROBLEM_ENGLISH[self.code].format(limit=self.limit, found=self.found)
