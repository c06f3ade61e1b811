"""resources/: the icons (each PNG is what scripts/render-icons renders from its SVG), the desktop file, and the
icons and names the windows and the application show a desktop."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import resources
from chat_gui.client_window.window import ClientWindow
from chat_gui.command_line import APP_NAME, build_parser
from chat_gui.launcher import APP_DISPLAY_NAME, name_application
from chat_gui.server_window.window import ServerWindow
from chat_server.core.engine import ChatServer

ROOT = Path(__file__).resolve().parents[2]


def render_script() -> ModuleType:
    """scripts/render-icons as a module (its file name has no .py)."""
    loader = SourceFileLoader("render_icons", str(ROOT / "scripts" / "render-icons"))
    spec = spec_from_loader(loader.name, loader)
    assert spec is not None
    module = module_from_spec(spec)
    loader.exec_module(module)
    return module


def pixels(image: QImage) -> QImage:
    return image.convertToFormat(QImage.Format.Format_ARGB32)


@pytest.mark.parametrize("name", resources.ICON_NAMES)
def test_each_png_is_its_svg_rendered_at_its_size(qapp: QApplication, name: str) -> None:
    render = render_script().render
    assert resources.icon_svg(name).read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for size in resources.ICON_SIZES:
        png = QImage(str(resources.icon_png(name, size)))
        assert png.size() == QSize(size, size), f"{name} at {size}"
        assert pixels(png) == render(resources.icon_svg(name), size), \
            f"{name}-{size}.png is stale: run .venv/bin/python scripts/render-icons"


def test_the_pngs_are_all_the_folder_holds() -> None:
    expected = {resources.icon_png(name, size).name for name in resources.ICON_NAMES for size in resources.ICON_SIZES}
    assert {path.name for path in resources.resource_path("icons", "png").iterdir()} == expected


def test_an_icon_has_every_size(qapp: QApplication) -> None:
    icon = resources.icon(resources.APP_ICON)
    assert [size.width() for size in icon.availableSizes()] == list(resources.ICON_SIZES)
    with pytest.raises(FileNotFoundError, match="resources/nothing/here is not shipped"):
        resources.resource_path("nothing", "here")


def test_the_desktop_file_starts_commands_that_exist_with_the_icon_and_class_the_application_has() -> None:
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    desktop.read(resources.resource_path(f"{resources.APP_ID}.desktop"), encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert (entry["Type"], entry["Name"], entry["Icon"], entry["StartupWMClass"]) == \
        ("Application", APP_DISPLAY_NAME, resources.APP_ID, APP_NAME)
    commands = [entry["Exec"], desktop["Desktop Action server"]["Exec"]]
    assert commands == ["lanchat client", "lanchat server"]
    parser = build_parser("lanchat")
    for command in commands:
        program, *args = shlex.split(command)
        assert program == "lanchat" and parser.parse_args(args).command == args[0]
    assert entry["Actions"] == "server;" and "Chat;" in entry["Categories"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_the_desktop_file_passes_desktop_file_validate() -> None:
    result = subprocess.run(["desktop-file-validate", str(resources.resource_path(f"{resources.APP_ID}.desktop"))],
                            capture_output=True, text=True, timeout=30, check=False)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def image(icon: QIcon) -> QImage:
    return pixels(icon.pixmap(32, 32).toImage())


def test_the_application_and_its_windows_carry_the_icons_and_names(
        qtbot: QtBot, qapp: QApplication, server: ChatServer, tmp_path: Path) -> None:
    name_application(qapp)
    assert QApplication.desktopFileName() == "lanchat"
    assert image(qapp.windowIcon()) == image(resources.icon(resources.APP_ICON))
    server_window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    client_window = ClientWindow(settings=QSettings(str(tmp_path / "client.ini"), QSettings.Format.IniFormat))
    for window in (server_window, client_window):
        qtbot.addWidget(window)
    icons = [image(qapp.windowIcon()), image(server_window.windowIcon()), image(client_window.windowIcon())]
    assert icons[1] == image(resources.server_window_icon()) and icons[2] == image(resources.client_window_icon())
    assert len({bytes(icon.constBits()) for icon in icons}) == 3  # the server's, the client's and the application's
