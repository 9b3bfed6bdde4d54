"""Publishing a set of files so readers never see a half-written package.

Files are written to a staging folder first; a ``COMMITTED`` manifest (itself written
atomically) marks the set complete; then each file is moved into place with ``os.replace``,
the package descriptor last. A run killed before the manifest leaves the published files
untouched (the staging folder is discarded next time); a run killed after it is rolled
forward by the next run.

A whole folder (the site) is built beside the published one and swapped in: one atomic
``renameat2(RENAME_EXCHANGE)`` where the kernel has it, else two renames that
``recover_directory`` completes or undoes.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import io
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipelines.common.errors import os_failure

STAGING = ".publish-staging"
MANIFEST = "COMMITTED"
# Test hook for the crash-safety tests: the named step announces itself on stderr and waits to be
# killed. Nothing else reads this variable.
PAUSE_AT = "CHITIEU_TEST_PAUSE_AT"


def _pause_point(step: str) -> None:
    if os.environ.get(PAUSE_AT) == step:
        print(f"paused at {step}", file=sys.stderr, flush=True)
        time.sleep(600)


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def recover(root: Path) -> None:
    """Finish or discard a publish that a previous run did not complete."""
    staging = root / STAGING
    manifest = staging / MANIFEST
    if manifest.exists():
        for relative in json.loads(manifest.read_text(encoding="utf-8")):
            source = staging / relative
            if source.exists():
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, root / relative)
                _pause_point("rolling-forward")
    if staging.exists():
        shutil.rmtree(staging)


class _Hashing(io.RawIOBase):
    """A file being written, its SHA-256 and size counted from the bytes as they go by."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.digest.update(data)
        self.size += len(data)
        return self.handle.write(data)


@dataclass(frozen=True)
class Written:
    """What a published file's descriptor records of it."""

    sha256: str
    size: int


class Publication:
    """A set of files published under ``root`` all at once: each is written (or streamed, a row at
    a time) into the staging folder, with its hash and size counted as it is written; ``commit``
    then writes the manifest and moves the set into place (``last`` last).

    Opening one discards what an interrupted earlier publication left (or rolls it forward past
    its commit point); ``discard`` drops this one's staged files."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        recover(root)
        self.root, self.staging = root, root / STAGING
        self.written: dict[str, Written] = {}

    def path(self, relative: str) -> Path:
        """Where a file is staged (to read a staged file back before the commit)."""
        return self.staging / relative

    @contextmanager
    def open(self, relative: str) -> Iterator[BinaryIO]:
        """A binary file to write ``relative`` into; it is on disk (fsync) once the block ends."""
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb", buffering=0) as handle:
            counted = _Hashing(handle)
            buffered = io.BufferedWriter(counted, buffer_size=1 << 16)
            yield buffered  # type: ignore[misc]
            buffered.flush()
            buffered.detach()
            handle.flush()
            os.fsync(handle.fileno())
        self.written[relative] = Written(counted.digest.hexdigest(), counted.size)

    def write(self, relative: str, data: bytes) -> Written:
        with self.open(relative) as handle:
            handle.write(data)
        return self.written[relative]

    def commit(self, last: str | None = None) -> None:
        """The commit point: once the manifest is written, the next run rolls the set forward."""
        order = sorted(self.written, key=lambda name: (name == last, name))
        _pause_point("before-commit")
        temp = self.staging / f"{MANIFEST}.tmp"
        _write_durably(temp, json.dumps(order).encode())
        os.replace(temp, self.staging / MANIFEST)
        recover(self.root)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def publish_files(root: Path, files: dict[str, bytes], last: str | None = None) -> None:
    """Write ``files`` (relative path -> bytes) under ``root`` all at once; ``last`` moves last.

    An I/O fault is one PipelineError naming the path; after the commit point the next run
    rolls the set forward."""
    try:
        publication = Publication(root)
        for relative, data in files.items():
            publication.write(relative, data)
        publication.commit(last)
    except OSError as exc:
        raise os_failure(exc, "write the package") from None


def write_file_atomically(path: Path, data: bytes) -> None:
    """One file: write beside it, then rename over it."""
    temp = path.with_name(f".{path.name}.tmp")
    _write_durably(temp, data)
    os.replace(temp, path)


def replace_durably(temp: Path, path: Path) -> None:
    """Move the finished file ``temp`` over ``path`` once it is on disk: a reader sees the old file
    or the new one, whole, even after a crash."""
    with temp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, path)


def write_atomically_with(path: Path, write: Callable[[Path], None]) -> None:
    """A file written by ``write(temporary_path)`` (a library that wants a path), then put in place
    with ``replace_durably``; nothing is left behind when ``write`` fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    try:
        write(temp)
        replace_durably(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks (databases can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fresh_directory(target: Path) -> Path:
    """An empty folder beside ``target`` to build its next version in (leftovers removed)."""
    new = target.with_name(f".{target.name}.new")
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir(parents=True)
    return new


def _previous(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the kernel or file system cannot."""
    rename_exchange, at_fdcwd = 2, -100
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    if libc.renameat2(at_fdcwd, bytes(first), at_fdcwd, bytes(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def recover_directory(target: Path) -> None:
    """Undo a swap that stopped between its two renames: the previous version comes back."""
    previous = _previous(target)
    if not target.exists() and previous.exists():
        os.replace(previous, target)
    shutil.rmtree(previous, ignore_errors=True)


def swap_directory(new: Path, target: Path) -> None:
    """Make the complete folder ``new`` the published ``target``; the old version is removed."""
    recover_directory(target)
    _pause_point("before-swap")
    if target.exists() and _exchange(new, target):
        _pause_point("after-swap")
        shutil.rmtree(new)
        return
    if target.exists():
        os.replace(target, _previous(target))
        _pause_point("between-renames")
    os.replace(new, target)
    shutil.rmtree(_previous(target), ignore_errors=True)


def remove_stale(folder: Path, keep: Collection[str], pattern: str = "*") -> None:
    """Remove what ``folder`` holds under ``pattern`` (``*/``: folders only) whose name is not in
    ``keep``: the outputs of inputs that are gone, so a removed input disappears downstream."""
    if not folder.is_dir():
        return
    for entry in folder.glob(pattern):
        if entry.name in keep:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
