"""Fixtures for every window test: the windows speak English, as the launcher makes them on an English system."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from chat_gui.i18n import install_translators, remove_translators


@pytest.fixture(scope="session", autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """The English catalogues, as main.py installs them: plural forms (``1 session``, ``2 sessions``).
    Tests of another language install theirs on top (tests/gui/translations.py) and remove them after."""
    translators = install_translators(QLocale(QLocale.Language.English), qapp, default_locale=False)
    yield
    remove_translators(translators, qapp, default_locale=False)
