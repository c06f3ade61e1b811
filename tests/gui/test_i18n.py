"""The translation machinery: choosing the language, loading every part's catalogue, and catalogues that are
complete and as fresh as the sources (scripts/update-translations run again would change nothing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from chat_gui.i18n import (
    LanguageError,
    available_languages,
    chosen_locale,
    install_translators,
    parse_language,
    remove_translators,
    translations_folder,
)
from chat_gui.widgets.session_words import STATE_LABELS
from chat_server.protocol import ONLINE, EndReason, state_label
from tests.integration.test_headless import COVERAGE_ENV

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "update-translations"
COMPLETE = ("server_de.ts", "server_en.ts", "client_de.ts", "client_en.ts")
"""The catalogues with every text translated."""


@pytest.mark.parametrize(("code", "name"), [("de", "de_DE"), ("de_AT", "de_AT"), ("de-CH", "de_CH"), ("en", "en_US")])
def test_a_language_code_names_its_locale(code: str, name: str) -> None:
    assert parse_language(code).name() == name


@pytest.mark.parametrize("code", ["xx", "german", "", "de_DE;x", "../de", "C"])
def test_anything_else_is_refused_with_the_reason(code: str) -> None:
    with pytest.raises(LanguageError, match=r"not a language code: .* \(for example de, de_AT or en\)"):
        parse_language(code)


def test_lang_overrides_the_system_locale_and_the_posix_locale_is_english() -> None:
    assert chosen_locale("de").name() == "de_DE"
    system = QLocale.system()
    expected = "en_US" if system.language() == QLocale.Language.C else system.name()
    assert chosen_locale(None).name() == expected


def test_german_and_english_are_available() -> None:
    assert available_languages() == ["de", "en"]
    assert (translations_folder() / "server_de.qm").is_file()


def test_german_translators_translate_every_part_and_qts_own_buttons(qapp: QApplication) -> None:
    translators = install_translators(QLocale("de"), qapp, default_locale=False)
    try:
        loaded = sorted(Path(t.filePath()).name for t in translators)
        assert loaded == ["client_de.qm", "qtbase_de.qm", "server_de.qm"]
        assert QCoreApplication.translate("ServerWindow", "LAN Chat Server") == "LAN-Chat-Server"
        assert QCoreApplication.translate("ServerWindow", "%n session(s)", "", 2) == "2 Sitzungen"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    finally:
        remove_translators(translators, qapp, default_locale=False)
    # The English ones (tests/gui/conftest.py) are still there under them.
    assert QCoreApplication.translate("ServerWindow", "LAN Chat Server") == "LAN Chat Server"
    assert QCoreApplication.translate("ServerWindow", "%n session(s)", "", 1) == "1 session"
    assert QCoreApplication.translate("ServerWindow", "%n session(s)", "", 2) == "2 sessions"


def test_the_chosen_locale_becomes_the_default_for_numbers(qapp: QApplication) -> None:
    translators = install_translators(QLocale("de"), qapp)
    try:
        assert QLocale().toString(0.5, "f", 1) == "0,5"
    finally:
        remove_translators(translators, qapp)
    assert QLocale() == QLocale.system()


def test_a_language_without_a_catalogue_shows_english(qapp: QApplication) -> None:
    translators = install_translators(QLocale("fr"), qapp, default_locale=False)
    try:
        assert [Path(t.filePath()).name for t in translators] == ["qtbase_fr.qm"]
        assert QCoreApplication.translate("ServerWindow", "LAN Chat Server") == "LAN Chat Server"
    finally:
        remove_translators(translators, qapp, default_locale=False)


@pytest.mark.parametrize("name", COMPLETE)
def test_complete_catalogues_leave_nothing_unfinished(name: str) -> None:
    text = (translations_folder() / name).read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text, f"{name}: texts to translate (run scripts/update-translations)"
    assert "<numerusform></numerusform>" not in text


def test_the_catalogues_are_as_fresh_as_the_sources(tmp_path: Path) -> None:
    """The script, run on a copy of the project, changes no .ts and no .qm: every text the code passes to tr()
    is in the catalogues (translated or not: the test above says), none is left there that the code dropped,
    and every .qm is its .ts compiled."""
    copy = tmp_path / "project"
    for part in ("chat_gui", "scripts", "resources"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    # Not measured by coverage: the copy's files are not the project's, and a child measuring them with the
    # project's settings (source ".") made the report list every unmeasured file of the project (tests, bench).
    environment = {key: value for key, value in os.environ.items() if key not in COVERAGE_ENV}
    result = subprocess.run([sys.executable, str(copy / "scripts" / "update-translations")], capture_output=True,
                            text=True, timeout=60, check=False, env=environment)
    assert result.returncode == 0, result.stderr
    folder = ROOT / "resources" / "translations"
    stale = [path.name for path in sorted((copy / "resources" / "translations").iterdir())
             if not (folder / path.name).is_file() or (folder / path.name).read_bytes() != path.read_bytes()]
    assert stale == [], "stale catalogues: run scripts/update-translations and commit resources/translations/"


def test_every_state_the_tables_show_is_in_the_catalogue() -> None:
    # The words come from chat_server/protocol/wording.py, which has no Qt; the session model lists them for
    # the catalogue, and must list them all.
    labels = {state_label(reason.value) for reason in EndReason} | {state_label(ONLINE)}
    assert labels == set(STATE_LABELS)
