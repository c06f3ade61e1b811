"""Emoji fonts: an installed one is chosen and given to the transcript's and the message box's fonts as a fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from chat_gui.client_window.emoji_font import EMOJI_FAMILIES, add_emoji_fallback, emoji_family, with_emoji_fallback
from chat_gui.client_window.window import ClientWindow

README = Path(__file__).resolve().parents[3] / "README.md"

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")


def test_a_colour_emoji_font_is_preferred_to_a_black_and_white_one() -> None:
    assert emoji_family(["DejaVu Sans", "Symbola", "Noto Color Emoji"]) == "Noto Color Emoji"
    assert emoji_family(["DejaVu Sans", "Symbola"]) == "Symbola"
    assert emoji_family(["Twemoji", "EmojiOne"]) == "Twemoji"
    assert EMOJI_FAMILIES.index("Noto Color Emoji") < EMOJI_FAMILIES.index("Symbola")


def test_a_family_is_matched_ignoring_case_and_given_as_installed() -> None:
    assert emoji_family(["dejavu sans", "noto color emoji"]) == "noto color emoji"


def test_any_font_named_emoji_beats_none_and_nothing_is_chosen_without_one() -> None:
    assert emoji_family(["DejaVu Sans", "Blobmoji", "Some Emoji Font"]) == "Some Emoji Font"
    assert emoji_family(["DejaVu Sans", "Liberation Serif"]) is None
    assert emoji_family([]) is None


def test_the_emoji_font_comes_after_the_font_s_own_families_once() -> None:
    font = QFont()
    font.setFamilies(["DejaVu Sans", "Liberation Sans"])
    assert with_emoji_fallback(font, "Symbola").families() == ["DejaVu Sans", "Liberation Sans", "Symbola"]
    twice = with_emoji_fallback(with_emoji_fallback(font, "Symbola"), "Symbola")
    assert twice.families() == ["DejaVu Sans", "Liberation Sans", "Symbola"]
    assert with_emoji_fallback(font, None).families() == ["DejaVu Sans", "Liberation Sans"]


def test_the_font_s_own_face_still_draws_what_it_has_when_its_family_is_a_generic_name(qtbot: QtBot) -> None:
    # The application's font is often "Sans Serif", which fontconfig resolves but which is no installed family:
    # the fallback must not become the face that draws every letter, digit and space (it did: Client 0 1).
    generic = QFont()
    generic.setFamilies(["Sans Serif"])
    drawn_with = QFontInfo(generic).family()
    other = next(family for family in QFontDatabase.families()
                 if family != drawn_with and QFontInfo(QFont(family)).family() == family)  # a real, different face
    fallback = with_emoji_fallback(generic, other)
    assert fallback.families()[-1] == other
    assert QFontInfo(fallback).family() == drawn_with


def test_widgets_get_the_fallback_and_still_follow_their_parent_s_font_size(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    edit = QLineEdit(parent)
    own = edit.font().families() or [edit.font().family()]
    drawn_with = QFontInfo(edit.font()).family()
    own += [drawn_with] if drawn_with not in own else []
    assert add_emoji_fallback([edit], ["DejaVu Sans", "Symbola"]) == "Symbola"
    assert edit.font().families() == [*own, "Symbola"]
    bigger = QFont(parent.font())
    bigger.setPointSizeF(parent.font().pointSizeF() * 1.5)  # as at 150 % text
    parent.setFont(bigger)
    assert edit.font().pointSizeF() == pytest.approx(bigger.pointSizeF())
    assert edit.font().families() == [*own, "Symbola"]


def test_without_an_emoji_font_the_widgets_keep_their_fonts(qtbot: QtBot) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    before = QFont(edit.font())
    assert add_emoji_fallback([edit], ["DejaVu Sans"]) is None
    assert edit.font() == before


def test_the_client_window_uses_the_emoji_font_installed_here(qtbot: QtBot, tmp_path: Path) -> None:
    window = ClientWindow(settings=QSettings(str(tmp_path / "client.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    installed = emoji_family(QFontDatabase.families())
    assert window.emoji_family == installed
    for widget in (window.transcript_view, window.message_edit, window.members_view, window.sidebar.view):
        families = widget.font().families()
        if installed is None:  # nothing to fall back to on this machine: the fonts are left alone
            assert families == window.font().families(), widget
        else:
            assert families[-1] == installed, widget
            assert QFontInfo(widget.font()).family() == QFontInfo(window.font()).family(), widget


def test_the_readme_names_the_package_to_install() -> None:
    text = README.read_text(encoding="utf-8")
    assert "sudo apt-get install -y fonts-noto-color-emoji" in text
