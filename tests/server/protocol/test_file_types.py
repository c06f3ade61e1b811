"""A file's type from its content (``sniff_type``): each signature, text told from binary, the name never asked; and
which types (and names) are ones a system runs."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chat_server.protocol.file_types import (
    EXECUTABLE_TYPES,
    SNIFF_BYTES,
    is_executable_name,
    is_executable_type,
    sniff_type,
)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


def _bmp() -> bytes:
    info = struct.pack("<IiiHHIIiiII", 40, 1, 1, 1, 24, 0, 4, 0, 0, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + 40 + 4, 0, 0, 54) + info + b"\x00\x00\xff\x00"


@pytest.mark.parametrize(("head", "mime"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    (b"GIF89a\x01\x00\x01\x00", "image/gif"),
    (b"GIF87a\x01\x00\x01\x00", "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    (_bmp(), "image/bmp"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
    (_zip(), "application/zip"),
    (b"PK\x05\x06" + bytes(18), "application/zip"),
    (gzip.compress(b"hello"), "application/gzip"),
    (b"\x7fELF\x02\x01\x01\x00" + bytes(8), "application/x-executable"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "application/vnd.microsoft.portable-executable"),
    (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "application/x-mach-binary"),
    (b"\xfe\xed\xfa\xce\x00\x00\x00\x07", "application/x-mach-binary"),
    (b"\xca\xfe\xba\xbe\x00\x00\x00\x02", "application/x-mach-binary"),  # a universal binary of 2 architectures
    (b"\xca\xfe\xba\xbe\x00\x00\x00\x34", "application/java-vm"),  # a class file of Java 8 (version 52)
    (b"#!/bin/sh\nrm -rf ~\n", "text/x-shellscript"),
    (b"#!/usr/bin/env python3\n", "text/x-shellscript"),
    (b"hello, world\n", "text/plain"),
    ("Grüße, 世界 😀\r\n\tindented\x0c".encode(), "text/plain"),
    (b"", "text/plain"),
    (b"\x1b[31mred\x1b[0m\n", "text/plain"),
    (b"BMW and Audi\n" * 3, "text/plain"),  # ``BM`` without a bitmap's header: text
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "application/octet-stream"),
    (b"hello\x00world", "application/octet-stream"),
    (b"\xff\xfe\xfd", "application/octet-stream"),
    (bytes(range(256)), "application/octet-stream"),
    (b"\xca\xfe\xba\xbe", "application/octet-stream"),
])
def test_the_type_comes_from_the_content(head: bytes, mime: str) -> None:
    assert sniff_type(head) == mime


def test_text_cut_in_the_middle_of_a_character_is_still_text() -> None:
    text = ("é" * SNIFF_BYTES).encode()[:SNIFF_BYTES - 1]  # ends with the first byte of an é
    assert sniff_type(text) == "text/plain"
    assert sniff_type(b"abc\xc3\x28") == "application/octet-stream"  # a broken character inside is not text


def test_a_name_cannot_make_an_executable_look_harmless() -> None:
    # The content alone decides: an ELF is an executable whatever it would be called.
    assert is_executable_type(sniff_type(b"\x7fELF\x02\x01\x01" + bytes(9)))
    assert is_executable_type(sniff_type(b"#!/bin/sh\n"))
    assert not is_executable_type(sniff_type(b"\x89PNG\r\n\x1a\n"))


@pytest.mark.parametrize(("mime", "executable"), [
    *((mime, True) for mime in sorted(EXECUTABLE_TYPES)),
    ("image/png", False), ("text/plain", False), ("application/pdf", False), ("application/zip", False),
    ("application/octet-stream", False),
])
def test_executable_types(mime: str, executable: bool) -> None:
    assert is_executable_type(mime) is executable


@pytest.mark.parametrize(("name", "executable"), [
    ("setup.exe", True), ("SETUP.EXE", True), ("run.sh", True), ("x.bat", True), ("a.tar.gz.exe", True),
    ("Installer.msi", True), ("app.AppImage", True), ("script.py", True), ("evil.exe.", True), ("evil.exe ", True),
    ("photo.png", False), ("exe", False), ("report.pdf", False), ("notes.txt", False), ("archive.exe.zip", False),
])
def test_executable_names(name: str, executable: bool) -> None:
    assert is_executable_name(name) is executable


@given(st.binary(max_size=SNIFF_BYTES))
def test_any_content_has_one_type(head: bytes) -> None:
    mime = sniff_type(head)
    assert mime.count("/") == 1 and mime == mime.lower()
