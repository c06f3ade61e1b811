"""A question with a list to choose from (or a name to type), whose list has an accessible name.

``QInputDialog.getItem`` gives its combo box no name of its own, so a screen reader announces only the item
chosen; this builds the same dialog and names the list.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QInputDialog, QWidget


def ask_item(parent: QWidget | None, title: str, label: str, items: list[str], name: str,
             editable: bool = True) -> str | None:
    """The item chosen (or typed, if ``editable``), or None if cancelled; ``name``: what the list is, briefly."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(editable)
    combo = dialog.findChild(QComboBox)
    if combo is not None:
        combo.setAccessibleName(name)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    text = dialog.textValue()
    dialog.deleteLater()
    return text if accepted else None
