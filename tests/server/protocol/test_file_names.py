"""File names from the network made safe (``safe_file_name``): hostile examples one by one, and the promises for any
string (hypothesis): no separator, never ``.``/``..`` or hidden, no control/format/bidi character, no Windows device
name, no trailing dot or space, at most 255 bytes with the extension kept, and the same name when made safe again."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from chat_server.protocol.file_names import FALLBACK_FILE_NAME, MAX_FILE_NAME_BYTES, safe_file_name

DEVICES = ("CON", "PRN", "AUX", "NUL", "COM1", "COM9", "LPT1", "LPT0", "COM¹", "CONIN$", "CONOUT$")


@pytest.mark.parametrize(("name", "safe"), [
    ("report.pdf", "report.pdf"),
    ("Résumé 2024.docx", "Résumé 2024.docx"),
    ("../../etc/passwd", "_.._etc_passwd"),
    ("..", FALLBACK_FILE_NAME),
    (".", FALLBACK_FILE_NAME),
    ("...", FALLBACK_FILE_NAME),
    (" . . ", FALLBACK_FILE_NAME),
    ("", FALLBACK_FILE_NAME),
    (".bashrc", "bashrc"),
    ("C:\\x", "C__x"),
    ("C:\\Windows\\System32\\cmd.exe", "C__Windows_System32_cmd.exe"),
    ("\\\\server\\share\\a.txt", "__server_share_a.txt"),
    ("a\x00b", "a_b"),
    ("a\nb\rc\td", "a_b_c_d"),
    ("a\x7fb\x85c", "a_b_c"),
    ("invoice\u202efdp.exe", "invoice_fdp.exe"),  # an RTL override would draw it as invoiceexe.pdf
    ("\u2066a\u2069.txt", "_a_.txt"),
    ("zero\u200bwidth.txt", "zero_width.txt"),
    ("line\u2028break.txt", "line_break.txt"),
    ("a\u00a0b\u3000c.txt", "a b c.txt"),
    ('what?<is>|this*"x":y.txt', "what__is__this__x__y.txt"),
    ("CON.txt", "_CON.txt"),
    ("con", "_con"),
    ("nul.tar.gz", "_nul.tar.gz"),
    ("Com1 .txt", "_Com1 .txt"),
    ("console.txt", "console.txt"),
    ("CON_.txt", "CON_.txt"),
    ("a.exe.", "a.exe"),
    ("a.exe   ", "a.exe"),
    ("e\u0301.txt", "\u00e9.txt"),  # one form (NFC), so that one name is one name
])
def test_hostile_names_are_made_safe(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_a_long_name_is_cut_to_255_bytes_keeping_its_extension() -> None:
    assert safe_file_name("a" * 300 + ".pdf") == "a" * 251 + ".pdf"
    assert safe_file_name("é" * 300 + ".pdf") == "é" * 125 + ".pdf"  # 250 bytes: a character is never cut in two
    assert safe_file_name("x" * 300) == "x" * 255
    assert safe_file_name("😀" * 100 + ".png") == "😀" * 62 + ".png"
    assert safe_file_name("a" * 300 + "." + "b" * 40) == ("a" * 300 + "." + "b" * 40)[:255]  # no extension that long
    assert safe_file_name("a" * 249 + " . .pdf") == "a" * 249 + ".pdf"  # no dot or space left before the extension


@pytest.mark.parametrize("device", DEVICES)
def test_no_windows_device_name_comes_out(device: str) -> None:
    for name in (device, device.lower(), f"{device}.txt", f"{device}.tar.gz", f"{device} .txt", f"{device}."):
        safe = safe_file_name(name)
        assert safe.split(".", 1)[0].rstrip(" .").upper() not in DEVICES


def _assert_safe(safe: str) -> None:
    assert safe
    assert "/" not in safe and "\\" not in safe
    assert safe not in (".", "..") and not safe.startswith(".")
    assert safe == safe.strip(" .")
    assert all(unicodedata.category(c)[0] != "C" and unicodedata.category(c) not in ("Zl", "Zp") for c in safe)
    assert not set(safe) & set('<>:"|?*')
    assert safe.split(".", 1)[0].rstrip(" .").upper() not in DEVICES
    assert len(safe.encode("utf-8")) <= MAX_FILE_NAME_BYTES
    assert unicodedata.is_normalized("NFC", safe)


NAMES = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.text(
    alphabet=st.sampled_from("./\\ :\x00\u202e\u200bCONULPTabc1é😀\u0301"), max_size=300)


@given(NAMES)
@example("." * 300)
@example("a" * 254 + "\u0301" * 3)
@example("CON" + "." * 300 + "x")
@example("x" * 250 + "." + "é" * 10)
def test_any_name_comes_out_safe_and_stays_the_same_when_made_safe_again(name: str) -> None:
    safe = safe_file_name(name)
    _assert_safe(safe)
    assert safe_file_name(safe) == safe


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=300),
       st.sampled_from([".pdf", ".gz", ".png"]))
def test_a_safe_name_keeps_a_short_extension(stem: str, extension: str) -> None:
    safe = safe_file_name("a" + stem + extension)
    assert safe.endswith(extension)
