"""The questions sharing files asks: which files to share, where to save one, whether to open a program.

Each is a class with an ``ask()`` classmethod, so that tests replace the question without a dialog on screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

translate = QCoreApplication.translate


class AttachDialog:
    """The files to share, chosen in the system's file dialog."""

    @classmethod
    def ask(cls, parent: QWidget | None) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(parent, translate("FileDialogs", "Share files"))
        return [Path(name) for name in names]


class SaveDialog:
    """Where to save a shared file: the downloads folder and its name, proposed."""

    @classmethod
    def ask(cls, parent: QWidget | None, name: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
        chosen, _filter = QFileDialog.getSaveFileName(parent, translate("FileDialogs", "Save {name}").format(name=name),
                                                      str(Path(folder) / name))
        return Path(chosen) if chosen else None


class OpenProgramQuestion:
    """Whether to open a file that may be a program (No is the default)."""

    @classmethod
    def ask(cls, parent: QWidget | None, name: str, sender: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, translate("FileDialogs", "Open a program?"),
                          translate("FileDialogs", "{name} from {sender} may be a program. Opening it may run it, with "
                                                   "your rights on this computer.").format(name=name, sender=sender),
                          QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, parent)
        box.setInformativeText(translate("FileDialogs", "Open it only if you trust it and its sender."))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Open
