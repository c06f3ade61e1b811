"""The content of shared files, beside the database: ``<db folder>/<db stem>-files/blobs/ab/<sha256>``, one file per
content (the same content is stored once), and the uploads under way in ``.../partial/<member key>-<sha256>-<size>``.

An upload is written to its partial file (kept after a cut connection, so that it resumes), then the whole file is
hashed again and, if it is the content announced, synced and renamed into ``blobs/``: a blob is always whole and
verified, never half-written. Files are made readable by the server's user only, as the database is. No ``sqlite3``
here: the records of the files are the store's (chat_server/store/sqlite_files.py), and the one who expires a record
deletes its blob when no live record uses it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import shutil
import stat
import tempfile
from enum import Enum
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "FILE_MODE", "FOLDER_MODE", "NO_SPACE_ERRNOS", "BlobStore", "PartialFile", "StorageProblem", "files_folder",
    "storage_problem",
]

log = logging.getLogger(__name__)

FILE_MODE = 0o600
"""Blobs and partial files: the server's user only (the database's mode, chat_server/store/sqlite.py)."""
FOLDER_MODE = 0o700
NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
"""A write the disk does not take: full, over the user's quota, or past the largest file the process may write."""
MEMORY = ":memory:"
BLOBS, PARTIAL = "blobs", "partial"

_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)
_KEY = re.compile(r"[0-9a-f]{1,64}", re.ASCII)


HASH_CHUNK_BYTES = 1024 * 1024
"""What is held of a resumed upload is hashed in reads of this size."""


class StorageProblem(Enum):
    """Why the disk did not take a write: the transfers answer ``no_space`` for NO_SPACE."""

    NO_SPACE = "no_space"
    FAILED = "failed"  # another error of the disk


def storage_problem(error: OSError) -> StorageProblem:
    """What an error of a write or a sync means for the member who uploads."""
    return StorageProblem.NO_SPACE if error.errno in NO_SPACE_ERRNOS else StorageProblem.FAILED


def files_folder(db_path: str | Path) -> Path:
    """Where the files of the database ``db_path`` are kept: ``<its folder>/<its stem>-files`` (a database in memory:
    a new temporary folder, gone with the machine's temporary files)."""
    if str(db_path) in (MEMORY, ""):
        return Path(tempfile.mkdtemp(prefix="lanchat-files-"))
    path = Path(db_path)
    return path.parent / f"{path.stem}-files"


def _private_folder(folder: Path) -> None:
    """Make ``folder`` (and its parents) if needed, readable by this user only."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if os.name == "posix" and stat.S_IMODE(folder.stat().st_mode) & 0o077 and folder.stat().st_uid == os.getuid():
        folder.chmod(FOLDER_MODE)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX: a folder is synced like a file; elsewhere there is no such call)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PartialFile:
    """An upload's partial file, open for writing at its offset: each write's failure is a value, not an exception.

    It hashes as it goes (what it held when opened, then every byte written), so that a whole upload is verified
    without reading it again: a gigabyte read back costs as long again as hashing it on its way in."""

    def __init__(self, path: Path, file: BinaryIO, digest: hashlib._Hash) -> None:
        self.path = path
        self._file = file
        self._digest = digest

    @property
    def sha256(self) -> str:
        """The digest of everything the file holds so far."""
        return self._digest.hexdigest()

    def write(self, data: bytes | memoryview) -> StorageProblem | None:
        """Write ``data`` after what was written; None, or why the disk did not take it."""
        try:
            self._file.write(data)
        except OSError as exc:
            log.warning("could not write %s: %s", self.path.name, exc)
            return storage_problem(exc)
        self._digest.update(data)
        return None

    def close(self) -> StorageProblem | None:
        """Close the file (what it holds stays, for ``finish`` or a resume); None, or why its last bytes failed."""
        try:
            self._file.close()
        except OSError as exc:
            log.warning("could not write %s: %s", self.path.name, exc)
            return storage_problem(exc)
        return None


class BlobStore:
    """The blobs and partial uploads in one folder (``files_folder`` of the database)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        for path in (folder, folder / BLOBS, folder / PARTIAL):
            _private_folder(path)

    def partial_path(self, member_key: str, sha256: str, size: int) -> Path:
        """Where an upload of this content by this member is kept until it is whole (one per member and content:
        a new upload of the same file by the same member resumes it)."""
        if _SHA256.fullmatch(sha256) is None or size < 0:
            raise ValueError(f"not a digest and a size: {sha256[:70]!r}, {size}")
        # A member key is a digest (hex); any other key is made one, so that a file name holds nothing else.
        key = member_key if _KEY.fullmatch(member_key) else hashlib.sha256(member_key.encode("utf-8")).hexdigest()
        return self.folder / PARTIAL / f"{key}-{sha256}-{size}"

    def partial_bytes(self, member_key: str) -> int:
        """What this member's partial uploads hold in all (they count against its quota, as what it uploaded)."""
        key = self.partial_path(member_key, "0" * 64, 0).name.split("-", 1)[0]
        total = 0
        for path in (self.folder / PARTIAL).glob(f"{key}-*"):
            with contextlib.suppress(FileNotFoundError):
                total += path.stat().st_size
        return total

    def held(self, member_key: str, sha256: str, size: int) -> int:
        """How many bytes of this upload the server holds (0: none): where the upload may resume."""
        try:
            return min(size, self.partial_path(member_key, sha256, size).stat().st_size)
        except FileNotFoundError:
            return 0

    def open_partial(self, member_key: str, sha256: str, size: int, offset: int) -> PartialFile:
        """The partial file of this upload, cut to ``offset`` (at most what is held) and open for writing there.
        Raises OSError if it cannot be opened (the caller answers as for a failed write: ``storage_problem``)."""
        held = self.held(member_key, sha256, size)
        if not 0 <= offset <= held:
            raise ValueError(f"an upload resumes at most from what is held ({held} bytes), not from {offset}")
        path = self.partial_path(member_key, sha256, size)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), FILE_MODE)
        file = os.fdopen(fd, "r+b")
        try:
            file.truncate(offset)
            digest = hashlib.sha256()
            while chunk := file.read(HASH_CHUNK_BYTES):  # what is held: the digest goes on from there
                digest.update(chunk)
            file.seek(offset)
        except OSError:
            file.close()
            raise
        return PartialFile(path, file, digest)

    def finish(self, partial: Path, sha256: str, found: str | None = None) -> bool:
        """Verify a whole upload: its digest ``found`` as it was written (``PartialFile.sha256``; None: its file
        hashed from the start); if it is ``sha256``, synced and renamed into its blob (True); if not, deleted
        (False). Raises OSError when the disk fails (the partial file is then left for the caller to delete:
        ``storage_problem`` says what to answer)."""
        with open(partial, "r+b") as file:
            if found is None:
                found = hashlib.file_digest(file, "sha256").hexdigest()
            if found == sha256:
                os.fsync(file.fileno())
        if found != sha256:
            partial.unlink(missing_ok=True)
            return False
        blob = self.blob_path(sha256)
        _private_folder(blob.parent)
        os.replace(partial, blob)  # atomic: the blob is the whole file or absent
        _sync_folder(blob.parent)
        return True

    def blob_path(self, sha256: str) -> Path:
        """Where the content of this digest is (or would be) kept."""
        if _SHA256.fullmatch(sha256) is None:
            raise ValueError(f"not a digest: {sha256[:70]!r}")
        return self.folder / BLOBS / sha256[:2] / sha256

    def has_blob(self, sha256: str) -> bool:
        """Whether the content of this digest is stored."""
        return self.blob_path(sha256).is_file()

    def blob_size(self, sha256: str) -> int | None:
        """The size of the stored content of this digest, or None if there is none."""
        try:
            return self.blob_path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def delete_blob(self, sha256: str) -> bool:
        """Delete the content of this digest (no live record uses it); whether there was one. A download reading it
        goes on to its end (POSIX keeps an open file's content)."""
        try:
            self.blob_path(sha256).unlink()  # (its folder stays: an upload may be finishing into it)
        except FileNotFoundError:
            return False
        return True

    def clean_partials(self, older_than: float) -> int:
        """Delete the partial uploads last written before ``older_than`` (a Unix time); how many."""
        removed = 0
        for path in (self.folder / PARTIAL).iterdir():
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < older_than:
                    path.unlink()
                    removed += 1
        return removed

    def free_bytes(self) -> int:
        """The space left on the disk of the blobs, in bytes."""
        return shutil.disk_usage(self.folder).free
