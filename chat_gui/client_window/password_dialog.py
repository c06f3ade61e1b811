"""Asks for a server's password when the server says it needs one (or that the one given was wrong)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget


class PasswordDialog:
    """``ask`` shows a modal prompt and returns the password typed, or None if cancelled; tests replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget | None, address: str, reason: str) -> str | None:
        dialog = cls.build(parent, address, reason)
        ok = dialog.exec() == QInputDialog.DialogCode.Accepted
        text = dialog.textValue()
        dialog.deleteLater()
        return text.strip() or None if ok else None

    @classmethod
    def build(cls, parent: QWidget | None, address: str, reason: str) -> QInputDialog:
        """The prompt, not yet shown."""
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(QCoreApplication.translate("PasswordDialog", "Password for {address}").format(
            address=address))
        dialog.setLabelText(cls.label(address, reason))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        return dialog

    @staticmethod
    def label(address: str, reason: str) -> str:
        """The server's reason (unless it only says a password is needed), what to type, and where it is kept."""
        lines = [] if "needs a password" in reason else [reason, ""]
        lines += [QCoreApplication.translate("PasswordDialog", "The chat server at {address} needs a password to join.")
                  .format(address=address),
                  QCoreApplication.translate("PasswordDialog", "It is kept only while this window is open.")]
        return "\n".join(lines)
