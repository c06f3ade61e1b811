"""The blobs beside the database (chat_server/store/blobs.py): partial uploads that resume, verified by hashing the
whole file before an atomic rename into blobs/ab/<sha256>, a wrong one deleted, files 0600 and folders 0700, old
partial uploads cleaned, and a full disk (a real one: a tiny tmpfs) reported as a value, with nothing half-written
left visible."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from chat_server.store.blobs import BlobStore, StorageProblem, files_folder, storage_problem
from tests.tiny_disk import tiny_disk_available, tiny_disk_command

ROOT = Path(__file__).resolve().parents[3]
KEY = hashlib.sha256(b"id-alice").hexdigest()
CONTENT = bytes(range(256)) * 4096 + b"tail"  # 1 MiB and 4 bytes: more than one read of the hash
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(files_folder(tmp_path / "chat.sqlite3"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _upload(blobs: BlobStore, data: bytes, offset: int = 0, size: int = len(CONTENT)) -> Path:
    partial = blobs.open_partial(KEY, SHA, size, offset)
    assert partial.write(data) is None
    assert partial.close() is None
    return partial.path


def test_the_folders_are_beside_the_database(tmp_path: Path) -> None:
    assert files_folder(tmp_path / "chat.sqlite3") == tmp_path / "chat-files"
    assert files_folder(str(tmp_path / "data" / "server.db")) == tmp_path / "data" / "server-files"
    blobs = BlobStore(tmp_path / "chat-files")
    assert blobs.partial_path(KEY, SHA, 12) == tmp_path / "chat-files" / "partial" / f"{KEY}-{SHA}-12"
    assert blobs.blob_path(SHA) == tmp_path / "chat-files" / "blobs" / SHA[:2] / SHA
    memory = files_folder(":memory:")  # a store in memory: a folder of its own, never beside anything
    assert memory.is_dir() and memory != files_folder(":memory:")


def test_a_key_that_is_not_a_digest_is_made_one_in_a_file_name(blobs: BlobStore) -> None:
    path = blobs.partial_path("../../conn-7", SHA, 3)
    assert path.parent == blobs.folder / "partial"
    assert path.name == f"{hashlib.sha256(b'../../conn-7').hexdigest()}-{SHA}-3"
    with pytest.raises(ValueError, match="not a digest"):
        blobs.partial_path(KEY, "../" + SHA[3:], 3)
    with pytest.raises(ValueError, match="not a digest"):
        blobs.blob_path(SHA.upper())


def test_a_whole_upload_is_verified_and_renamed_into_its_blob(blobs: BlobStore) -> None:
    assert blobs.held(KEY, SHA, len(CONTENT)) == 0 and not blobs.has_blob(SHA)
    partial = _upload(blobs, CONTENT)
    assert blobs.held(KEY, SHA, len(CONTENT)) == len(CONTENT)
    assert blobs.finish(partial, SHA) is True
    assert not partial.exists() and blobs.has_blob(SHA)
    assert blobs.blob_path(SHA).read_bytes() == CONTENT
    assert blobs.held(KEY, SHA, len(CONTENT)) == 0
    if os.name == "posix":
        assert _mode(blobs.blob_path(SHA)) == 0o600
        assert [_mode(p) for p in (blobs.folder, blobs.folder / "blobs", blobs.blob_path(SHA).parent,
                                   blobs.folder / "partial")] == [0o700] * 4


def test_a_wrong_upload_is_deleted_and_no_blob_appears(blobs: BlobStore) -> None:
    partial = _upload(blobs, CONTENT[:-1] + b"X")
    assert blobs.finish(partial, SHA) is False
    assert not partial.exists() and not blobs.has_blob(SHA)
    assert list((blobs.folder / "blobs").iterdir()) == []


def test_an_upload_resumes_from_what_is_held_and_may_restart_from_less(blobs: BlobStore) -> None:
    _upload(blobs, CONTENT[:300_000])  # a connection cut after 300 000 bytes
    assert blobs.held(KEY, SHA, len(CONTENT)) == 300_000
    with pytest.raises(ValueError, match="at most from what is held"):
        blobs.open_partial(KEY, SHA, len(CONTENT), 300_001)
    _upload(blobs, CONTENT[200_000:250_000], offset=200_000)  # cut to the offset, then written from there
    assert blobs.held(KEY, SHA, len(CONTENT)) == 250_000
    partial = _upload(blobs, CONTENT[250_000:], offset=250_000)
    assert blobs.finish(partial, SHA) is True
    assert blobs.blob_path(SHA).read_bytes() == CONTENT


def test_a_partial_file_is_the_members_own(blobs: BlobStore) -> None:
    _upload(blobs, CONTENT[:10])
    other = hashlib.sha256(b"id-bob").hexdigest()
    assert blobs.held(other, SHA, len(CONTENT)) == 0
    assert blobs.held(KEY, SHA, len(CONTENT) + 1) == 0  # another size is another upload
    if os.name == "posix":
        assert _mode(blobs.partial_path(KEY, SHA, len(CONTENT))) == 0o600


def test_a_blob_is_deleted_once(blobs: BlobStore) -> None:
    assert blobs.finish(_upload(blobs, CONTENT), SHA)
    assert blobs.delete_blob(SHA) is True
    assert not blobs.has_blob(SHA)
    assert blobs.delete_blob(SHA) is False


def test_old_partial_uploads_are_cleaned(blobs: BlobStore) -> None:
    old = _upload(blobs, CONTENT[:5])
    os.utime(old, (1_000.0, 1_000.0))
    newer_sha = hashlib.sha256(b"x").hexdigest()
    newer = blobs.open_partial(KEY, newer_sha, 1, 0)
    assert newer.close() is None
    os.utime(newer.path, (5_000.0, 5_000.0))
    assert blobs.clean_partials(older_than=2_000.0) == 1
    assert not old.exists() and newer.path.exists()


def test_free_bytes_are_the_disks() -> None:
    assert BlobStore(files_folder(":memory:")).free_bytes() > 0


def test_a_world_readable_folder_is_made_private(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("file modes are POSIX's")
    folder = tmp_path / "chat-files"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    BlobStore(folder)
    assert _mode(folder) == 0o700


@pytest.mark.parametrize(("code", "problem"), [
    (errno.ENOSPC, StorageProblem.NO_SPACE), (errno.EDQUOT, StorageProblem.NO_SPACE),
    (errno.EFBIG, StorageProblem.NO_SPACE), (errno.EIO, StorageProblem.FAILED), (errno.EACCES, StorageProblem.FAILED),
])
def test_what_a_disk_error_means(code: int, problem: StorageProblem) -> None:
    assert storage_problem(OSError(code, os.strerror(code))) is problem


# In a namespace of its own, with a 64 KiB tmpfs on the folder: an upload of 1 MiB fills it.
FULL_DISK_SCRIPT = """
import hashlib, json, sys
from pathlib import Path
from chat_server.store.blobs import BlobStore
blobs = BlobStore(Path(sys.argv[1]) / "chat-files")
content = b"x" * (1024 * 1024)
sha = hashlib.sha256(content).hexdigest()
partial = blobs.open_partial("ab" * 32, sha, len(content), 0)
problems = [partial.write(content[at:at + 65536]) for at in range(0, len(content), 65536)]
closed = partial.close()
found = [p.value for p in problems if p is not None]
print(json.dumps({"first": found[0] if found else None, "closed": None if closed is None else closed.value,
                  "blobs": sorted(str(p) for p in (blobs.folder / "blobs").rglob("*")),
                  "free": blobs.free_bytes()}))
"""


def test_a_full_disk_is_a_value_and_leaves_no_blob(tmp_path: Path) -> None:
    if not tiny_disk_available():
        pytest.skip("this system does not let a user mount a tmpfs in a namespace of its own (unshare -rm)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(tiny_disk_command(tmp_path, 64 * 1024, [sys.executable, "-c", FULL_DISK_SCRIPT,
                                                                  str(tmp_path)]),
                          capture_output=True, text=True, timeout=60, env=env, check=False)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["first"] == StorageProblem.NO_SPACE.value  # the kernel's ENOSPC, as a value
    assert outcome["closed"] in (None, StorageProblem.NO_SPACE.value)
    assert outcome["blobs"] == [] and outcome["free"] == 0
    assert list(tmp_path.iterdir()) == []  # the tmpfs went with its namespace: nothing was written here


def test_a_partial_file_hashes_what_it_held_and_what_is_written_so_finish_need_not_read_it_again(
        blobs: BlobStore) -> None:
    _upload(blobs, CONTENT[:1_500_000 // 3])  # a cut upload: its digest goes on from what it holds when reopened
    partial = blobs.open_partial(KEY, SHA, len(CONTENT), 400_000)  # cut back, over a hash read's size of the rest
    assert partial.sha256 == hashlib.sha256(CONTENT[:400_000]).hexdigest()
    assert partial.write(CONTENT[400_000:]) is None and partial.close() is None
    assert partial.sha256 == SHA
    assert blobs.finish(partial.path, SHA, partial.sha256) is True
    assert blobs.blob_path(SHA).read_bytes() == CONTENT

    other = blobs.open_partial(KEY, SHA, len(CONTENT), 0)
    assert other.write(b"x" * len(CONTENT)) is None and other.close() is None
    assert blobs.finish(other.path, SHA, other.sha256) is False, "the digest found as written is still checked"
    assert not other.path.exists()
