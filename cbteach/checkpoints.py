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
from contextlib import suppress
from pathlib import Path

import keras

from cbteach import i18n
from cbteach.atomic import (  # re-exported: checkpoints is where learners look
    TEMP_PREFIX,
    fsync,
    is_remote_path,
    is_temporary,
    remove_leftovers,
    remove_leftovers_beside,
    write_atomically,
)

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

_BACKUP_WEIGHTS = "latest.weights.h5"  # the names keras.callbacks.BackupAndRestore uses
_BACKUP_METADATA = "training_metadata.json"


def load(path: str | Path, model: keras.Model | None = None) -> keras.Model:
    """Load a checkpoint that ModelCheckpoint (or Keras) wrote.

    ``.keras`` (or legacy ``.h5``): a new model, by ``keras.models.load_model(path,
    safe_mode=True)``, which refuses to run the code of a saved ``Lambda`` layer.
    ``.weights.h5``: the weights (and, when ``model`` has a built optimizer, its state)
    loaded into ``model``, which must have the same layers; returns ``model``.

    Args:
        path: the checkpoint file (``.keras``, ``.h5`` or ``.weights.h5``).
        model: the compiled model to load ``.weights.h5`` into. Defaults to `None`.

    Returns:
        The loaded model.

    Raises:
        ValueError: ``path`` is a save's temporary file, or has an unknown suffix.
        TypeError: a ``.weights.h5`` file without ``model``.

    Example:

    >>> model = load("ckpt/best.keras")  # doctest: +SKIP
    >>> from cbteach.models import build_model, compile_model
    >>> load("ckpt/best.weights.h5", compile_model(build_model("mlp")))  # doctest: +SKIP
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

    Args:
        backup_dir: the ``backup_dir`` of a :class:`BackupAndRestore`; a URL is left alone.

    Example:

    >>> import tempfile
    >>> recover(tempfile.mkdtemp())
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
    """How many epochs the backup in ``backup_dir`` holds (0 when there is none).

    An interrupted backup is finished or undone first (:func:`recover`).

    Args:
        backup_dir: the ``backup_dir`` of a :class:`BackupAndRestore`.

    Example:

    >>> import tempfile
    >>> epochs_done(tempfile.mkdtemp())
    0
    """
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

    Args:
        backup_dir: The folder of the backup; give it a folder of its own.
        save_freq: `"epoch"`, an integer number of batches between backups, or `False`.
            Defaults to `"epoch"`.
        double_checkpoint: Whether to keep the previous backup too (``.bkp`` files).
            Defaults to `False`.
        delete_checkpoint: Whether to delete the backup when training ends. Defaults to
            `True`.

    Example:

    >>> backup = BackupAndRestore("backup/mlp")
    >>> model.fit(x, y, epochs=10, callbacks=[backup])  # doctest: +SKIP
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
                fsync(temporary)
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
        fsync(str(self.backup_dir))

    def _keep_previous(self) -> None:
        """``double_checkpoint=True``: copy the committed backup to the ``.bkp`` files."""
        pairs = (
            (self._weights_path, self._prev_weights_path),
            (self._training_metadata_path, self._prev_training_metadata_path),
        )
        for source, copy in pairs:
            if os.path.exists(source):
                write_atomically(copy, lambda temporary, s=source: shutil.copyfile(s, temporary))
