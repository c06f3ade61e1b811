"""What the application ships besides code: icons, the desktop file and the translations, found with
importlib.resources, so that the same calls work from a checkout, an installed package and the PyInstaller folder.

The SVGs in icons/ are the sources; scripts/render-icons renders the PNGs in icons/png/ from them, which is what
the icons are built from (a PNG at each size needs no SVG plugin and looks crisp at 16 px).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

__all__ = [
    "APP_ICON", "APP_ID", "ATTACH_ICON", "CLIENT_ICON", "ICON_NAMES", "ICON_SIZES", "SERVER_ICON", "TRAY_ICON",
    "TRAY_UNREAD_ICON", "attach_icon", "client_window_icon", "icon", "icon_png", "icon_svg", "resource_path",
    "server_window_icon", "tray_icon",
]

APP_ID = "lanchat"
"""The desktop file's name without ``.desktop`` (QGuiApplication.setDesktopFileName) and the icon's theme name."""

APP_ICON = "lanchat"
SERVER_ICON = "lanchat-server"
CLIENT_ICON = "lanchat-client"
TRAY_ICON = "lanchat-tray"
TRAY_UNREAD_ICON = "lanchat-tray-unread"
ATTACH_ICON = "lanchat-attach"
"""The client window's attach button (a paperclip)."""
ICON_NAMES = (APP_ICON, SERVER_ICON, CLIENT_ICON, TRAY_ICON, TRAY_UNREAD_ICON, ATTACH_ICON)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def resource_path(*parts: str) -> Path:
    """A file or folder of this package on the file system (FileNotFoundError if it is missing)."""
    found = files(__name__).joinpath(*parts)
    if not isinstance(found, Path) or not found.exists():
        raise FileNotFoundError(f"resources/{'/'.join(parts)} is not shipped with this copy of LAN Chat ({found})")
    return found


def icon_svg(name: str) -> Path:
    """The SVG an icon is drawn in."""
    return resource_path("icons", f"{name}.svg")


def icon_png(name: str, size: int) -> Path:
    """Where an icon's PNG at ``size`` pixels is (whether it exists yet or not: scripts/render-icons writes it)."""
    return resource_path("icons", "png") / f"{name}-{size}.png"


def icon(name: str) -> QIcon:
    """An icon with its PNG at every size, for Qt to pick the nearest from."""
    result = QIcon()
    for size in ICON_SIZES:
        result.addFile(str(icon_png(name, size)), QSize(size, size))
    return result


def server_window_icon() -> QIcon:
    return icon(SERVER_ICON)


def client_window_icon() -> QIcon:
    return icon(CLIENT_ICON)


def attach_icon() -> QIcon:
    return icon(ATTACH_ICON)


def tray_icon(unread: bool) -> QIcon:
    """The tray's bubble; with a red badge while there are unread messages."""
    return icon(TRAY_UNREAD_ICON if unread else TRAY_ICON)
