"""Asks the user whether to trust a TLS server's certificate: quietly on first contact, loudly when it changed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from chat_gui.client import KnownServers, TrustQuestion


class TrustDialog:
    """``ask`` shows the question modally and returns whether to trust; tests replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget | None, question: TrustQuestion) -> bool:
        box = cls.build(parent, question)
        box.exec()
        return box.property("trusted") is True

    @staticmethod
    def build(parent: QWidget | None, question: TrustQuestion) -> QMessageBox:
        address = KnownServers.key(question.host, question.port)
        box = QMessageBox(parent)
        box.setTextFormat(box.textFormat().PlainText)
        if question.changed:
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(QCoreApplication.translate("TrustDialog", "The server's certificate has CHANGED"))
            box.setText(QCoreApplication.translate(
                "TrustDialog",
                "{address} is not showing the certificate it showed before.\n\n"
                "Someone may be pretending to be this server to read your chat. It is also what you "
                "see when the server's owner made a new certificate.\n\n"
                "Before: {before}\nNow:    {now}\n\n"
                "Accept the new certificate only if the server's owner confirms this fingerprint.").format(
                    address=address, before=question.known, now=question.fingerprint))
            accept = box.addButton(QCoreApplication.translate("TrustDialog", "Accept the new certificate"),
                                   QMessageBox.ButtonRole.DestructiveRole)
            refuse = box.addButton(QCoreApplication.translate("TrustDialog", "Do not connect"),
                                   QMessageBox.ButtonRole.RejectRole)
        else:
            box.setIcon(QMessageBox.Icon.Question)
            box.setWindowTitle(QCoreApplication.translate("TrustDialog", "New server"))
            box.setText(QCoreApplication.translate(
                "TrustDialog",
                "This is the first encrypted connection to {address}.\n\n"
                "Its certificate's SHA-256 fingerprint is\n{fingerprint}\n\n"
                "The server shows the same fingerprint when it starts. If they match, trust it: "
                "it will be remembered, and you will be warned if it ever changes.").format(
                    address=address, fingerprint=question.fingerprint))
            accept = box.addButton(QCoreApplication.translate("TrustDialog", "Trust and connect"),
                                   QMessageBox.ButtonRole.AcceptRole)
            refuse = box.addButton(QCoreApplication.translate("TrustDialog", "Cancel"),
                                   QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(refuse if question.changed else accept)
        box.setEscapeButton(refuse)
        box.buttonClicked.connect(lambda button: box.setProperty("trusted", button is accept))
        return box
