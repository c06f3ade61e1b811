"""What Open asks about first (issue 22), from a hostile review: a member's file that a desktop would run, mount or
follow is asked about, whatever the card's words; one list of such names and types, the protocol's."""

from __future__ import annotations

import pytest

from chat_gui.client_window.file_card import is_executable


@pytest.mark.parametrize("name", [
    "invoice.url", "notes.fileloc", "site.webloc", "help.chm", "disk.iso", "disk.img", "drive.vhdx", "admin.msc",
    "explorer.scf", "settings.settingcontent-ms", "tool.appref-ms", "app.application", "addin.xll", "setup.inf",
    "start.jnlp", "page.html", "page.htm", "archive.mht", "Run.Terminal", "task.workflow", "module.psm1",
])
def test_files_a_desktop_runs_mounts_or_follows_are_asked_about(name: str) -> None:
    # Before: the window's own list knew none of these (a .url or .fileloc runs what it points at, a .chm its
    # scripts, an .iso is mounted past the system's warnings about downloaded files, a .html runs in the browser).
    assert is_executable(name, "text/plain")


def test_a_java_class_by_its_content_is_asked_about_whatever_its_name() -> None:
    # Before: the window's own list of types lacked the Java class the server's sniffing names.
    assert is_executable("data.bin.txt", "application/java-vm")
    assert not is_executable("report.pdf", "application/pdf") and not is_executable("photo.png", "image/png")
