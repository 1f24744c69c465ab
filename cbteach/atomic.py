"""Files that are always whole: write into a temporary file, then rename it into place.

However a write ends (a kernel restart, an out-of-memory kill, a full disk), the file at
the target path is the previous one or the new one, never a part of one:

- :func:`write_atomically` calls ``write(temporary)`` for a temporary file in the same
  folder (``.tmp-<pid>-best.weights.h5``: dot-prefixed, with the suffix Keras requires),
  flushes it to the disk and renames it onto the target with ``os.replace``.
- :func:`remove_leftovers` deletes the temporary files that killed writers left behind.

Knows nothing about Keras: event logs, run records and checkpoints all write through it.

Example:

>>> from pathlib import Path
>>> from cbteach.atomic import write_atomically
>>> write_atomically("run.json", lambda tmp: Path(tmp).write_text("{}"))  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

__all__ = [
    "TEMP_PREFIX",
    "fsync",
    "is_remote_path",
    "is_temporary",
    "remove_leftovers",
    "remove_leftovers_beside",
    "temporary_path",
    "write_atomically",
    "write_text",
]

TEMP_PREFIX = ".tmp-"  # temporary files start with it: hidden, and never a checkpoint name

T = TypeVar("T")


def is_remote_path(path: str | Path) -> bool:
    """Whether ``path`` is a URL (``gs://bucket/...``): Keras writes those itself, directly.

    Args:
        path: a file or folder path, or a URL.

    Example:

    >>> is_remote_path("gs://bucket/best.keras"), is_remote_path("ckpt/best.keras")
    (True, False)
    """
    return "://" in str(path)


def temporary_path(target: str) -> str:
    """The temporary file for ``target``: same folder, ``.tmp-<pid>-`` + its name.

    Args:
        target: the path the finished file will have.

    Example:

    >>> temporary_path("ckpt/best.keras")
    'ckpt/.tmp-...-best.keras'
    """
    folder, name = os.path.split(target)
    return os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{name}")


def is_temporary(path: str | Path) -> bool:
    """Whether ``path`` names a temporary file of a save (never load it as a checkpoint).

    Args:
        path: any file path.

    Example:

    >>> is_temporary("ckpt/.tmp-4242-best.keras"), is_temporary("ckpt/best.keras")
    (True, False)
    """
    return Path(path).name.startswith(TEMP_PREFIX)


def fsync(path: str) -> None:
    """Push a file's bytes (or, for a folder, its renames) to the disk.

    Does nothing on Windows, which cannot open a folder to flush it.

    Args:
        path: an existing file or folder.

    Example:

    >>> fsync(".")
    """
    if os.name != "posix":
        return  # Windows cannot open a folder to flush it; os.replace is still atomic there
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(target: str, write: Callable[[str], T]) -> T:
    """Call ``write(temporary_path)``, then rename the finished file onto ``target``.

    A process killed at any moment leaves at ``target`` either the previous file or the
    new one, never a part of one; at worst a dot-prefixed temporary file stays behind.
    If ``write`` fails, the temporary file is removed and the error raised unchanged.
    Remote paths (``gs://...``) are written directly, as Keras writes them.

    Args:
        target: the path of the finished file; its folder must exist.
        write: called with the temporary path; writes the whole file there.

    Returns:
        What ``write`` returned.

    Example:

    >>> import tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "run.json")
    >>> write_atomically(target, lambda tmp: Path(tmp).write_text("{}"))
    2
    """
    target = str(target)
    if is_remote_path(target):
        return write(target)
    temporary = temporary_path(target)
    try:
        result = write(temporary)
        fsync(temporary)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.remove(temporary)
        raise
    fsync(os.path.dirname(target) or ".")
    return result


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no harmless probe (os.kill ends the process): leave such files alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _writer_pid(name: str) -> int | None:
    """The process id in ``.tmp-<pid>-best.keras``, or None for any other name."""
    if not name.startswith(TEMP_PREFIX):
        return None
    pid, _, rest = name[len(TEMP_PREFIX) :].partition("-")
    return int(pid) if pid.isdigit() and rest else None


def remove_leftovers(folder: str | Path) -> list[Path]:
    """Delete the temporary files that killed saves left in ``folder``; return them.

    Only files of processes that no longer run are removed, so a second training
    writing into the same folder at the same time is not disturbed.

    Args:
        folder: the folder to clean; a missing folder or a URL is left alone.

    Returns:
        The paths of the files removed.

    Example:

    >>> import tempfile
    >>> remove_leftovers(tempfile.mkdtemp())
    []
    """
    if is_remote_path(folder) or not Path(folder).is_dir():
        return []
    folder = Path(folder)
    removed = []
    for path in folder.iterdir():
        pid = _writer_pid(path.name)
        if pid is not None and path.is_file() and not _alive(pid):
            with suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def remove_leftovers_beside(filepath: str) -> list[Path]:
    """:func:`remove_leftovers` in the folder of a ModelCheckpoint ``filepath``.

    A folder named by a placeholder (``ckpt/{epoch:02d}/w.keras``) is skipped: which
    folders it means is known only once Keras formats the name.

    Args:
        filepath: ModelCheckpoint's ``filepath``, placeholders and all.

    Returns:
        The paths of the files removed.

    Example:

    >>> remove_leftovers_beside("ckpt/{epoch:02d}/w.keras")
    []
    """
    folder = os.path.dirname(str(filepath))
    if "{" in folder:
        return []
    return remove_leftovers(folder or ".")


def write_text(path: str | Path, text: str) -> Path:
    r"""Write ``text`` (UTF-8) to ``path`` atomically and return the path.

    Args:
        path: the file to write; its folder must exist.
        text: the whole new content.

    Example:

    >>> write_text("bench-out/table.md", "| a | b |\n")  # doctest: +SKIP
    PosixPath('bench-out/table.md')
    """
    path = Path(path)
    write_atomically(str(path), lambda temporary: Path(temporary).write_text(text, "utf-8"))
    return path
