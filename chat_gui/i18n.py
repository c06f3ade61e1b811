"""The windows' language: Qt translators for the system locale, or for the language --lang names.

The texts in the code are English. Each part of the application has its own catalogue per language in
resources/translations/ (``server_de.qm``, ``client_de.qm``, ...; the sources are the ``.ts`` files beside
them, refreshed by scripts/update-translations), so that two people can translate two parts at once; all
parts are loaded together. English has a catalogue too, with only the plural forms (``%n member(s)`` is
``1 member`` / ``2 members``): without it Qt would show the source text's ``(s)``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

# The parts with a catalogue each: the server window (with the shared widgets and the launcher) and the client.
TRANSLATION_PARTS = ("server", "client")
SOURCE_LANGUAGE = "en"
# Qt's own catalogue for the texts it draws itself (the standard buttons Yes, No, Cancel; a line edit's menu).
QT_CATALOGUE = "qtbase"
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*")
_PACKAGE = "resources"
_FOLDER = "translations"


class LanguageError(ValueError):
    """A --lang value that names no language."""


def translatable(context: str, text: str) -> str:
    """Marks a text kept in a constant for translation (Qt's QT_TRANSLATE_NOOP, typed): it returns ``text``
    as it is, and scripts/update-translations puts it in the catalogue under ``context``; where it is shown,
    ``QCoreApplication.translate(context, TEXT)`` translates it."""
    del context  # read by pyside6-lupdate from the source, not here
    return text


def parse_language(code: str) -> QLocale:
    """The locale ``code`` names (``de``, ``de_AT``, ``de-CH``, ``en``); raises LanguageError for anything else."""
    locale = QLocale(code)
    if not _LANGUAGE_CODE.fullmatch(code) or locale.language() == QLocale.Language.C:
        raise LanguageError(f"not a language code: {code!r} (for example de, de_AT or en)")
    return locale


def chosen_locale(code: str | None) -> QLocale:
    """``--lang``'s locale if given, else the system's; the C (POSIX) locale is English."""
    locale = QLocale.system() if code is None else parse_language(code)
    return QLocale(QLocale.Language.English) if locale.language() == QLocale.Language.C else locale


def translations_folder() -> Path:
    """resources/translations, in a checkout, an installed package or a PyInstaller folder alike."""
    return Path(str(resources.files(_PACKAGE).joinpath(_FOLDER)))


def available_languages() -> list[str]:
    """The languages with a compiled catalogue for the server part (``['de', 'en']``), for --help."""
    prefix = f"{TRANSLATION_PARTS[0]}_"
    return sorted(path.stem.removeprefix(prefix) for path in translations_folder().glob(f"{prefix}*.qm"))


def _catalogues() -> Iterator[tuple[str, str]]:
    """(file name prefix, folder) of every catalogue to look for, Qt's own first."""
    yield QT_CATALOGUE, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    folder = str(translations_folder())
    for part in TRANSLATION_PARTS:
        yield part, folder


def install_translators(locale: QLocale, app: QCoreApplication | None = None,
                        default_locale: bool = True) -> list[QTranslator]:
    """Install the translators for ``locale`` in ``app`` (the running application) and return them.

    A catalogue is looked for under each of the locale's UI languages (``de_AT``, then ``de``); a missing one
    is no error (the English text shows). With ``default_locale`` the locale becomes the default one, so
    that numbers are written as its users expect (``0,5`` in German).
    """
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translators needs a running QCoreApplication")
    if default_locale:
        QLocale.setDefault(locale)
    installed: list[QTranslator] = []
    for name, folder in _catalogues():
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            translator.deleteLater()
            log.debug("no %s catalogue for %s in %s", name, locale.name(), folder)
    log.debug("The windows speak %s: %s", locale.name(), " ".join(Path(t.filePath()).name for t in installed))
    return installed


def remove_translators(translators: list[QTranslator], app: QCoreApplication | None = None,
                       default_locale: bool = True) -> None:
    """Undo install_translators (for tests that switch languages): the texts made after this are English."""
    app = app or QCoreApplication.instance()
    if app is None:
        return
    for translator in translators:
        app.removeTranslator(translator)
        translator.deleteLater()
    if default_locale:
        QLocale.setDefault(QLocale.system())
