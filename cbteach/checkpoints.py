"""Checkpoint files that are always whole, and loaded without running code they contain.

However a training run ends (a kernel restart, an out-of-memory kill, a closed laptop
lid), what it already saved must still load:

- :func:`write_atomically` is how cbteach's ModelCheckpoint writes: Keras saves into a
  temporary file in the same folder (``.tmp-<pid>-best.weights.h5``: dot-prefixed, with
  the suffix Keras requires), which is then renamed onto the checkpoint path with
  ``os.replace``. The file at the path is always a complete checkpoint, the new one or
  the one before. :func:`remove_leftovers` deletes the temporary files a killed run left.
- :func:`load` reads a ``.keras`` file with ``keras.models.load_model(path,
  safe_mode=True)`` (a saved ``Lambda`` layer's code is never run) and a ``.weights.h5``
  file into a model you give. Nothing in cbteach unpickles data.
- :class:`BackupAndRestore` is Keras' callback with the same two-file backup (weights
  with the optimizer state, and the number of finished epochs), replaced together, so
  ``cbteach.training.train(..., backup_dir=...)`` resumes from the last finished epoch.

>>> from cbteach import checkpoints
>>> model = checkpoints.load("ckpt/best.keras")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

import keras

from cbteach import i18n

__all__ = [
    "TEMP_PREFIX",
    "BackupAndRestore",
    "epochs_done",
    "is_temporary",
    "load",
    "recover",
    "remove_leftovers",
    "remove_leftovers_beside",
    "write_atomically",
]

TEMP_PREFIX = ".tmp-"  # temporary files start with it: hidden, and never a checkpoint name
_BACKUP_WEIGHTS = "latest.weights.h5"  # the names keras.callbacks.BackupAndRestore uses
_BACKUP_METADATA = "training_metadata.json"

T = TypeVar("T")


def is_remote_path(path: str | Path) -> bool:
    """Whether ``path`` is a URL (``gs://bucket/...``): Keras writes those itself, directly."""
    return "://" in str(path)


def temporary_path(target: str) -> str:
    """The temporary file for ``target``: same folder, ``.tmp-<pid>-`` + its name."""
    folder, name = os.path.split(target)
    return os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{name}")


def is_temporary(path: str | Path) -> bool:
    """Whether ``path`` names a temporary file of a save (never load it as a checkpoint)."""
    return Path(path).name.startswith(TEMP_PREFIX)


def _fsync(path: str) -> None:
    """Push a file's bytes (or, for a folder, its renames) to the disk."""
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
    """
    target = str(target)
    if is_remote_path(target):
        return write(target)
    temporary = temporary_path(target)
    try:
        result = write(temporary)
        _fsync(temporary)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.remove(temporary)
        raise
    _fsync(os.path.dirname(target) or ".")
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
    """
    folder = os.path.dirname(str(filepath))
    if "{" in folder:
        return []
    return remove_leftovers(folder or ".")


def load(path: str | Path, model: keras.Model | None = None) -> keras.Model:
    """Load a checkpoint that ModelCheckpoint (or Keras) wrote.

    ``.keras`` (or legacy ``.h5``): a new model, by ``keras.models.load_model(path,
    safe_mode=True)``, which refuses to run the code of a saved ``Lambda`` layer.
    ``.weights.h5``: the weights (and, when ``model`` has a built optimizer, its state)
    loaded into ``model``, which must have the same layers; returns ``model``.
    """
    name = str(path)
    if is_temporary(name):
        raise ValueError(i18n.t("checkpoints.temporary_file", path=name))
    if name.endswith(".weights.h5"):
        if model is None:
            raise TypeError(i18n.t("checkpoints.weights_need_model", path=name))
        if model.optimizer is not None and not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)  # so its saved state loads too
        model.load_weights(name)
        return model
    if name.endswith((".keras", ".h5")):
        return keras.models.load_model(name, safe_mode=True)
    raise ValueError(i18n.t("checkpoints.unknown_suffix", path=name))


def _backup_temporaries(backup_dir: str) -> tuple[str, str]:
    return (
        os.path.join(backup_dir, TEMP_PREFIX + _BACKUP_WEIGHTS),
        os.path.join(backup_dir, TEMP_PREFIX + _BACKUP_METADATA),
    )


def recover(backup_dir: str | Path) -> None:
    """Finish or undo a backup that a kill interrupted, so the backup is one epoch's.

    A backup is committed in four steps: weights to a temporary file, the epoch count
    to another, then the weights renamed, then the epoch count renamed. A temporary
    epoch count without temporary weights means the kill fell between the two renames:
    the rename is done now. Any other temporary file is an unfinished backup: removed.
    """
    backup_dir = str(backup_dir)
    if is_remote_path(backup_dir):
        return
    weights, metadata = _backup_temporaries(backup_dir)
    if os.path.exists(metadata) and not os.path.exists(weights):
        os.replace(metadata, os.path.join(backup_dir, _BACKUP_METADATA))
    for temporary in (weights, metadata):
        with suppress(FileNotFoundError):
            os.remove(temporary)


def epochs_done(backup_dir: str | Path) -> int:
    """How many epochs the backup in ``backup_dir`` holds (0 when there is none)."""
    recover(backup_dir)
    path = Path(backup_dir) / _BACKUP_METADATA
    if not path.exists():
        return 0
    return int(json.loads(path.read_text(encoding="utf-8"))["epoch"])


class BackupAndRestore(keras.callbacks.BackupAndRestore):
    """Keras' BackupAndRestore, whose backup is never half-written.

    Keras writes ``latest.weights.h5`` (the weights and the optimizer's state: its step
    count and learning rate included) and then ``training_metadata.json`` (the number of
    finished epochs) over the previous backup. A kill during either write leaves a file
    that does not load, and a kill between them pairs new weights with the old epoch
    count. This subclass lets Keras write both into temporary files, then renames them
    over the backup (see :func:`recover`). Same arguments as Keras'; what Keras restores
    is unchanged: weights, optimizer state and the epoch to continue from, nothing else
    (the RNG, the data order and other callbacks' counters start afresh).
    """

    def on_train_begin(self, logs=None):
        recover(self.backup_dir)
        super().on_train_begin(logs)

    def _save_model(self):
        if is_remote_path(str(self.backup_dir)):
            super()._save_model()
            return
        if self.double_checkpoint:
            self._keep_previous()
        weights, metadata = self._weights_path, self._training_metadata_path
        temporaries = _backup_temporaries(str(self.backup_dir))
        double, self.double_checkpoint = self.double_checkpoint, False
        self._weights_path, self._training_metadata_path = temporaries
        try:
            super()._save_model()
            for temporary in temporaries:
                _fsync(temporary)
        except BaseException:
            for temporary in temporaries:
                with suppress(OSError):
                    os.remove(temporary)
            raise
        finally:
            self._weights_path, self._training_metadata_path = weights, metadata
            self.double_checkpoint = double
        os.replace(temporaries[0], weights)
        os.replace(temporaries[1], metadata)
        _fsync(str(self.backup_dir))

    def _keep_previous(self) -> None:
        """``double_checkpoint=True``: copy the committed backup to the ``.bkp`` files."""
        pairs = (
            (self._weights_path, self._prev_weights_path),
            (self._training_metadata_path, self._prev_training_metadata_path),
        )
        for source, copy in pairs:
            if os.path.exists(source):
                write_atomically(copy, lambda temporary, s=source: shutil.copyfile(s, temporary))
