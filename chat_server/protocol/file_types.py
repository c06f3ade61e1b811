"""A file's type found from its content (its first bytes), never from its name: ``sniff_type``; and whether a type
(or a name) is one a system runs, so that a window asks before it opens such a file: ``is_executable_type``."""

from __future__ import annotations

import codecs

__all__ = [
    "EXECUTABLE_EXTENSIONS", "EXECUTABLE_TYPES", "OCTET_STREAM", "SNIFF_BYTES", "TEXT_PLAIN", "is_executable_name",
    "is_executable_type", "sniff_type",
]

SNIFF_BYTES = 4096
"""How much of a file's start ``sniff_type`` reads: every signature below is in its first bytes, and this much text
is enough to tell text from binary."""

OCTET_STREAM = "application/octet-stream"
TEXT_PLAIN = "text/plain"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
BMP = "image/bmp"
PDF = "application/pdf"
ZIP = "application/zip"
GZIP = "application/gzip"
ELF = "application/x-executable"
PE = "application/vnd.microsoft.portable-executable"
MACH_O = "application/x-mach-binary"
JAVA_CLASS = "application/java-vm"
SCRIPT = "text/x-shellscript"

# Signatures at the very start of a file.
_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"%PDF-", PDF),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),  # an empty archive
    (b"PK\x07\x08", ZIP),  # a spanned archive
    (b"\x1f\x8b", GZIP),
    (b"\x7fELF", ELF),
    (b"MZ", PE),
    (b"\xfe\xed\xfa\xce", MACH_O),  # 32-bit, big-endian
    (b"\xfe\xed\xfa\xcf", MACH_O),  # 64-bit, big-endian
    (b"\xce\xfa\xed\xfe", MACH_O),  # 32-bit, little-endian
    (b"\xcf\xfa\xed\xfe", MACH_O),  # 64-bit, little-endian
    (b"#!", SCRIPT),
)

_FAT_MAGIC = b"\xca\xfe\xba\xbe"
"""A universal Mach-O binary, and a Java class file too: a universal binary holds a few architectures (the number
that follows), a class file has its version there (45 or more)."""
_MOST_ARCHITECTURES = 30

_BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})
"""The sizes of a BMP's second header (at byte 14): ``BM`` alone starts too many texts to mean a bitmap."""

# Control characters found in text files: tab, line feed, form feed, carriage return (and escape, for coloured logs).
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r\x1b")
_BINARY_BYTES = bytes(set(range(32)) - _TEXT_CONTROLS) + b"\x7f"

EXECUTABLE_TYPES = frozenset({ELF, PE, MACH_O, JAVA_CLASS, SCRIPT})
"""The types ``sniff_type`` finds that a system may run."""

EXECUTABLE_EXTENSIONS = frozenset({
    # Programs, scripts and installers.
    "app", "appimage", "apk", "bash", "bat", "bin", "cmd", "com", "command", "cpl", "csh", "deb", "desktop", "dll",
    "dmg", "exe", "gadget", "hta", "jar", "jnlp", "js", "jse", "lnk", "msc", "msi", "msp", "pif", "pkg", "pl",
    "ps1", "psd1", "psm1", "py", "pyw", "rb", "reg", "rpm", "run", "scr", "sh", "so", "terminal", "vbe", "vbs",
    "workflow", "ws", "wsf", "wsh", "xll", "zsh",
    # What a desktop follows or mounts: shortcuts and locations that start what they name, disk images (opened past
    # the system's warnings about downloaded files), compiled help and setup information.
    "application", "appref-ms", "chm", "fileloc", "img", "inetloc", "inf", "iso", "scf", "settingcontent-ms", "url",
    "vhd", "vhdx", "webloc", "website",
    # Pages a browser opens and runs the scripts of.
    "htm", "html", "mht", "mhtml", "svg", "xht", "xhtml",
})
"""Extensions that a desktop runs, installs, follows or mounts when a file of that name is opened, whatever its
content (Open asks first)."""


def sniff_type(head: bytes) -> str:
    """The media type of a file whose first bytes are ``head`` (``SNIFF_BYTES`` of them, or the whole file if it is
    shorter): an image, a PDF, an archive, an executable or a script by its signature, UTF-8 text, else
    ``application/octet-stream``."""
    for prefix, mime in _PREFIXES:
        if head.startswith(prefix):
            return mime
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"BM") and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return BMP
    if head.startswith(_FAT_MAGIC) and len(head) >= 8:
        return MACH_O if int.from_bytes(head[4:8], "big") < _MOST_ARCHITECTURES else JAVA_CLASS
    return TEXT_PLAIN if _is_text(head) else OCTET_STREAM


def _is_text(head: bytes) -> bool:
    """True if ``head`` is UTF-8 without the control characters of binary files (a character cut at the end of
    ``head`` is taken as whole: the file goes on)."""
    if len(head.translate(None, _BINARY_BYTES)) != len(head):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def is_executable_type(mime: str) -> bool:
    """True if a file of this type (as ``sniff_type`` names it) may be run by the system that opens it."""
    return mime in EXECUTABLE_TYPES


def is_executable_name(name: str) -> bool:
    """True if a file of this name would be run (or installed) by a desktop that opens it, by its extension."""
    name = name.rstrip(" .")  # Windows drops trailing dots and spaces: ``a.exe.`` runs as ``a.exe``
    dot = name.rfind(".")
    return dot >= 0 and name[dot + 1:].lower() in EXECUTABLE_EXTENSIONS
