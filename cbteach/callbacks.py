"""ModelCheckpoint, ReduceLROnPlateau and EarlyStopping that say what they decided and why.

Each class here *is* the Keras class (a subclass with the same name, arguments and
defaults), so it drops into ``model.fit(callbacks=[...])``. Keras makes every decision;
cbteach reads Keras' own state (``wait``, ``best``, ``cooldown_counter``, the learning
rate, ``model.stop_training``, the files it saves) before and after each Keras hook and
writes the difference into an :class:`~cbteach.events.EventLog` as one event per callback
per epoch. Two keyword-only arguments are added:

- ``log``: the EventLog to write to (a new one by default; share one between callbacks);
- ``explain``: print one translated line per epoch saying what the callback saw and did.

Before training cbteach is stricter than Keras: a misspelled argument is never accepted
(``ReduceLROnPlateau(fector=0.3)`` raises ``TypeError``, "did you mean `factor`?", instead of
silently training with 0.1), nor is a value Keras would misuse quietly (``factor=0``,
``patience=-1``, a ``.hdf5`` file): :mod:`cbteach.validation` says what to write instead, and
docs/STRICTER.md lists every such departure. During training Keras decides, always: a
missing monitor, a NaN or an infinite value is Keras' to handle, and cbteach explains what
Keras did with it.
"""

from __future__ import annotations

import warnings

import keras

from cbteach.atomic import remove_leftovers_beside, write_atomically
from cbteach.events import Action, Event
from cbteach.observed import (
    Observed,
    keras_parameters,
    same,
    signature_with,
    spy,
    to_float,
)

__all__ = [
    "CLASSES",
    "KERAS_CLASSES",
    "NAMES",
    "EarlyStopping",
    "ModelCheckpoint",
    "ReduceLROnPlateau",
    "copy_of",
    "describe",
    "kind_of",
    "settings_of",
]

NAMES = ("ModelCheckpoint", "ReduceLROnPlateau", "EarlyStopping")
"""The one list of the callbacks cbteach teaches, in lesson order. A fourth callback is a
class below, its entry here and in :data:`CLASSES`, and its catalog entries."""


class EarlyStopping(Observed, keras.callbacks.EarlyStopping):
    """Keras' EarlyStopping, recording why it waited, stopped or restored weights.

    Keras decides; each epoch's decision is written as one event into ``log``. A NaN
    monitored value is, for Keras, an epoch without improvement (and a NaN first value
    stays the best for good); the event's note says so and what to add instead
    (``keras.callbacks.TerminateOnNaN``).

    Args:
        monitor: Quantity to be monitored. Defaults to `"val_loss"`.
        min_delta: Minimum change in the monitored quantity to qualify as an improvement.
            Defaults to `0`.
        patience: Number of epochs with no improvement after which training will be
            stopped. Defaults to `0`.
        verbose: Verbosity mode, 0 or 1. Defaults to `0`.
        mode: One of `{"auto", "min", "max"}`. Defaults to `"auto"`.
        baseline: Baseline value the monitored quantity must beat. Defaults to `None`.
        restore_best_weights: Whether to restore the weights of the best epoch when
            training ends. Defaults to `False`.
        start_from_epoch: Number of epochs to wait before starting to monitor improvement.
            Defaults to `0`.
        log: The :class:`~cbteach.events.EventLog` to write to (keyword-only). Defaults to
            a new one.
        explain: Whether to print one translated line per epoch (keyword-only). Defaults
            to `False`.
        strict: Whether to refuse, before training, what Keras would misuse (keyword-only;
            docs/STRICTER.md). Defaults to `True`; `False` only warns.

    Example:

    >>> from cbteach import recorded, replay
    >>> run = replay.replay(recorded.load("overfit"), [EarlyStopping(patience=3)])
    >>> run.stopped_epoch
    10
    """

    _keras_class = keras.callbacks.EarlyStopping
    _last_epoch = 0  # the last epoch seen, for the restore event at the end of training

    def _state(self) -> dict:
        return {
            "best": to_float(self.best),
            "wait": self.wait,
            "stopped_epoch": self.stopped_epoch,
        }

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        before = self._state()
        stop_before = bool(getattr(self.model, "stop_training", False))
        super().on_epoch_end(epoch, logs)
        after = self._state()
        self._last_epoch = epoch
        stopped = not stop_before and bool(self.model.stop_training)
        if self.monitor not in logs:  # Keras warned and decided nothing
            action, reason = Action.MISSING, "events.es_missing"
        elif same(before, after) and not stopped:
            action, reason = Action.WARMUP, "events.es_warmup"
        elif not same(after["best"], before["best"]):
            action = Action.IMPROVED
            if before["best"] is None:  # a first value that misses the baseline is a wait
                reason = "events.es_first_below_baseline" if after["wait"] else "events.es_first"
            elif after["wait"] != 0:
                reason = "events.es_improved_below_baseline"
            else:
                reason = "events.es_improved"
        elif stopped and self.stopped_epoch == epoch:
            action, reason = Action.STOPPED, "events.es_stopped"
        else:
            action, reason = Action.WAITED, "events.es_waited"
        self._record_wait(epoch, action, reason, logs, before, after)

    def on_train_end(self, logs=None):
        restored: list[bool] = []
        model = self.model
        original = model.set_weights

        def set_weights(weights):
            restored.append(True)
            return original(weights)

        with spy(model, "set_weights", set_weights):
            super().on_train_end(logs)
        if restored:
            best = to_float(self.best)
            self._record(
                Event(
                    epoch=self._last_epoch + 1,
                    callback=type(self).__name__,
                    action=Action.RESTORED,
                    reason="events.es_restored",
                    monitor=self.monitor,
                    mode=self._mode(),
                    best_before=best,
                    best_after=best,
                    best_epoch=self.best_epoch + 1,
                    wait_before=self.wait,
                    wait_after=self.wait,
                    patience=self.patience,
                )
            )


class ReduceLROnPlateau(Observed, keras.callbacks.ReduceLROnPlateau):
    """Keras' ReduceLROnPlateau, recording every wait, cooldown and learning-rate cut.

    Args:
        monitor: Quantity to be monitored. Defaults to `"val_loss"`.
        factor: Factor by which the learning rate will be reduced:
            `new_lr = lr * factor`. Defaults to `0.1`.
        patience: Number of epochs with no improvement after which the learning rate will
            be reduced. Defaults to `10`.
        verbose: Verbosity mode, 0 or 1. Defaults to `0`.
        mode: One of `{"auto", "min", "max"}`. Defaults to `"auto"`.
        min_delta: Threshold for measuring a new optimum. Defaults to `1e-4`.
        cooldown: Number of epochs to wait before resuming normal operation after the
            learning rate has been reduced. Defaults to `0`.
        min_lr: Lower bound on the learning rate. Defaults to `0.0`.
        log: The :class:`~cbteach.events.EventLog` to write to (keyword-only). Defaults to
            a new one.
        explain: Whether to print one translated line per epoch (keyword-only). Defaults
            to `False`.
        strict: Whether to refuse, before training, what Keras would misuse (keyword-only;
            docs/STRICTER.md). Defaults to `True`; `False` only warns.

    Example:

    >>> ReduceLROnPlateau(fector=0.3)
    Traceback (most recent call last):
        ...
    TypeError: ReduceLROnPlateau has no argument `fector` — did you mean `factor`?
    """

    _keras_class = keras.callbacks.ReduceLROnPlateau

    def _state(self) -> dict:
        return {"best": to_float(self.best), "wait": self.wait, "cooldown": self.cooldown_counter}

    def _reduce_optimizer_lr(self, optimizer, epoch, name=""):
        reduced = super()._reduce_optimizer_lr(optimizer, epoch, name)
        self._tried_cut = True
        if reduced:
            self._new_lr = to_float(optimizer.learning_rate)
        return reduced

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        before = self._state()
        self._tried_cut, self._new_lr = False, None
        super().on_epoch_end(epoch, logs)
        after = self._state()
        lr_before = to_float(logs.get("learning_rate"))  # Keras wrote the LR it saw
        lr_after = self._new_lr if self._new_lr is not None else lr_before
        if self.monitor not in logs:  # Keras warned and decided nothing
            action, reason = Action.MISSING, "events.rlr_missing"
        elif self._new_lr is not None:
            action, reason = Action.REDUCED_LR, "events.rlr_reduced"
        elif not same(after["best"], before["best"]):
            first = before["best"] is None
            action, reason = Action.IMPROVED, "events.rlr_first" if first else "events.rlr_improved"
        elif after["cooldown"] > 0:
            action, reason = Action.COOLDOWN, "events.rlr_cooldown"
        elif self._tried_cut:
            action, reason = Action.AT_MIN_LR, "events.rlr_at_min_lr"
        else:
            action, reason = Action.WAITED, "events.rlr_waited"
        self._record_wait(
            epoch,
            action,
            reason,
            logs,
            before,
            after,
            cooldown_counter=after["cooldown"],
            lr_before=lr_before,
            lr_after=lr_after,
        )


class ModelCheckpoint(Observed, keras.callbacks.ModelCheckpoint):
    """Keras' ModelCheckpoint, recording every file it writes (or would write) and why.

    Keras decides when to save and names the file; cbteach makes the write atomic: the
    file goes to a dot-prefixed temporary file in the same folder and is then renamed
    onto the checkpoint path, so the path always holds a complete checkpoint (see
    :mod:`cbteach.checkpoints`). Temporary files a killed run left in the folder are
    removed when training begins.

    ``write=False`` (keyword-only, used by replay) lets Keras decide and name every save
    but writes no file and creates no folder.

    Args:
        filepath: Where to save: a ``.keras`` file, or ``.weights.h5`` with
            ``save_weights_only=True``; may hold ``{epoch:02d}`` and logs placeholders.
        monitor: The metric name to monitor. Defaults to `"val_loss"`.
        verbose: Verbosity mode, 0 or 1. Defaults to `0`.
        save_best_only: Whether to save only when the monitored quantity improves.
            Defaults to `False`.
        save_weights_only: Whether to save only the weights. Defaults to `False`.
        mode: One of `{"auto", "min", "max"}`. Defaults to `"auto"`.
        save_freq: `"epoch"`, or an integer number of batches between saves. Defaults to
            `"epoch"`.
        initial_value_threshold: The best value to beat before the first save. Defaults to
            `None`.
        log: The :class:`~cbteach.events.EventLog` to write to (keyword-only). Defaults to
            a new one.
        explain: Whether to print one translated line per epoch (keyword-only). Defaults
            to `False`.
        strict: Whether to refuse, before training, what Keras would misuse (keyword-only;
            docs/STRICTER.md). Defaults to `True`; `False` only warns.
        write: Whether to write files at all (keyword-only). Defaults to `True`.

    Example:

    >>> from cbteach import recorded, replay
    >>> checkpoint = ModelCheckpoint("best.keras", save_best_only=True)
    >>> [e.epoch for e in replay.replay(recorded.load("overfit"), [checkpoint]).saves]
    [1, 2, 3, 4, 6, 7]
    """

    _keras_class = keras.callbacks.ModelCheckpoint
    _own = ("log", "explain", "strict", "write")

    def __init__(self, *args, write: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.write = write
        self._saved: list[str] = []
        # Keras' ModelCheckpoint overrides on_train_batch_end even when it saves per epoch,
        # which makes Keras run every batch-end hook inline (a host sync per step on the
        # backends that dispatch them to a thread pool: JAX, PyTorch). Saving per epoch, our
        # batch hook does nothing, so it is safe to dispatch asynchronously.
        self.async_safe = self.save_freq == "epoch"

    def _save_model(self, epoch, batch, logs):
        self._saved = []
        if not self.write:
            filepath = self._get_file_path(epoch, batch, logs)
            if self._should_save_model(epoch, batch, logs, filepath):
                self._saved.append(filepath)
            return
        model = self.model
        method = "save_weights" if self.save_weights_only else "save"
        original = getattr(model, method)

        def save(filepath, *args, **kwargs):
            result = write_atomically(
                str(filepath), lambda temporary: original(temporary, *args, **kwargs)
            )
            self._saved.append(str(filepath))
            return result

        with spy(model, method, save):
            super()._save_model(epoch, batch, logs)

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        if self.write:
            remove_leftovers_beside(self.filepath)

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return  # Keras saves on batches only with an integer save_freq
        before = {"best": to_float(self.best)}
        self._saved = []
        super().on_train_batch_end(batch, logs)
        if self._saved:
            self._record(
                self._event(
                    self._current_epoch,
                    Action.SAVED,
                    "events.mc_saved_batch",
                    logs,
                    before,
                    saved_path=self._saved[-1],
                )
            )

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        before = {"best": to_float(self.best)}
        self._saved = []
        super().on_epoch_end(epoch, logs)
        if self.save_freq != "epoch":
            return
        value = self._value(logs)
        if self._saved:
            action = Action.SAVED
            if not self.save_best_only:
                reason = "events.mc_saved_every"
            elif value is None:
                reason = "events.mc_saved_missing"
            elif before["best"] is None:
                reason = "events.mc_saved_first"
            else:
                reason = "events.mc_saved_improved"
        else:
            action = Action.MISSING if value is None else Action.SKIPPED
            reason = "events.mc_skipped"
        self._record(
            self._event(
                epoch,
                action,
                reason,
                logs,
                before,
                saved_path=self._saved[-1] if self._saved else None,
            )
        )


EarlyStopping.__signature__ = signature_with(keras.callbacks.EarlyStopping)
ReduceLROnPlateau.__signature__ = signature_with(keras.callbacks.ReduceLROnPlateau)
ModelCheckpoint.__signature__ = signature_with(keras.callbacks.ModelCheckpoint, write=True)


# ------------------------------------------------------------ the registry of the three
CLASSES: dict[str, type] = {
    "ModelCheckpoint": ModelCheckpoint,
    "ReduceLROnPlateau": ReduceLROnPlateau,
    "EarlyStopping": EarlyStopping,
}
"""cbteach's class of each name in :data:`NAMES`."""

KERAS_CLASSES: dict[str, type] = {name: cls._keras_class for name, cls in CLASSES.items()}
"""Keras' own class of each name in :data:`NAMES`."""

assert tuple(CLASSES) == NAMES


def kind_of(callback) -> str | None:
    """Which of the three a callback is (cbteach's or plain Keras'), by Keras class name.

    Args:
        callback: any Keras callback.

    Returns:
        ``"EarlyStopping"``, ``"ReduceLROnPlateau"``, ``"ModelCheckpoint"``, or None.

    Example:

    >>> kind_of(keras.callbacks.EarlyStopping())
    'EarlyStopping'
    """
    return next((n for n, k in KERAS_CLASSES.items() if isinstance(callback, k)), None)


def describe(callback) -> dict:
    """The arguments a cbteach callback was built with, under its class name.

    Args:
        callback: any Keras callback; one that is not cbteach's gives only its class.

    Example:

    >>> describe(EarlyStopping(patience=3))["patience"]
    3
    """
    arguments = getattr(callback, "arguments", None)
    if arguments is None:
        return {"class": type(callback).__name__}
    return {"class": type(callback).__name__, **arguments}


def settings_of(callback) -> dict:
    """The Keras arguments that reproduce ``callback`` as it stands now (cbteach or plain Keras).

    Read from the object's attributes, which is what Keras acts on: a keyword that Keras'
    own ReduceLROnPlateau swallowed (``fector=0.3``) is not among them.

    Args:
        callback: one of the three, cbteach's or plain Keras'.

    Example:

    >>> settings_of(keras.callbacks.ReduceLROnPlateau(fector=0.3))["factor"]
    0.1
    """
    arguments = getattr(callback, "arguments", None) or {}
    values: dict = {}
    for name in keras_parameters(KERAS_CLASSES[kind_of(callback)]):
        if name == "min_delta":
            values[name] = abs(callback.min_delta)
        elif name == "initial_value_threshold":  # Keras keeps it as `best`, which saving moves
            values[name] = arguments.get(name, callback.best)
        elif name == "verbose":
            values[name] = 0
        elif hasattr(callback, name):
            values[name] = getattr(callback, name)
    return values


def copy_of(callback, **own: object):
    """A new, quiet cbteach callback with ``callback``'s settings (warnings silenced).

    Args:
        callback: one of the three, cbteach's or plain Keras'.
        **own: cbteach's own arguments for the copy (``log=``, ``explain=``, ``write=``).

    Example:

    >>> copy = copy_of(keras.callbacks.EarlyStopping(patience=4))
    >>> type(copy).__name__, copy.patience, hasattr(copy, "log")
    ('EarlyStopping', 4, True)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CLASSES[kind_of(callback)](**settings_of(callback), **own)
