"""Asks the operator to confirm a kick: it names the member and says that nothing undoes it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget


class KickConfirmation:
    """``ask`` shows the question modally and returns whether to kick; tests replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget | None, name: str) -> bool:
        box = cls.build(parent, name)
        box.exec()
        clicked = box.clickedButton()
        return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.DestructiveRole

    @staticmethod
    def build(parent: QWidget | None, name: str) -> QMessageBox:
        """The question, with Cancel as the default: Enter alone never kicks anyone."""
        box = QMessageBox(parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("KickConfirmation", "Kick a member"))
        box.setText(QCoreApplication.translate("KickConfirmation", "Kick {name}?").format(name=name))
        box.setInformativeText(QCoreApplication.translate(
            "KickConfirmation", "{name} is disconnected at once and told that the operator removed them; the others "
                                "see that {name} was kicked. This cannot be undone.").format(name=name))
        kick = QCoreApplication.translate("KickConfirmation", "Kick {name}").format(name=name)
        box.addButton(kick, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        return box
