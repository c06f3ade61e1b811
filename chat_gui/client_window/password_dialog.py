"""Asks for a server's password when the server says it needs one (or that the one given was wrong)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget


class PasswordDialog:
    """``ask`` shows a modal prompt and returns the password typed, or None if cancelled; tests replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget | None, address: str, reason: str) -> str | None:
        text, ok = QInputDialog.getText(parent, f"Password for {address}", cls.label(address, reason),
                                        QLineEdit.EchoMode.Password)
        return text.strip() or None if ok else None

    @staticmethod
    def label(address: str, reason: str) -> str:
        """The server's reason (unless it only says a password is needed), what to type, and where it is kept."""
        lines = [] if "needs a password" in reason else [reason, ""]
        lines += [f"The chat server at {address} needs a password to join.",
                  "It is kept only while this window is open."]
        return "\n".join(lines)
