"""ModelCheckpoint, ReduceLROnPlateau and EarlyStopping that say what they decided and why.

Each class here *is* the Keras class (a subclass with the same name, arguments and
defaults), so it drops into ``model.fit(callbacks=[...])``. Keras makes every decision;
cbteach reads Keras' own state (``wait``, ``best``, ``cooldown_counter``, the learning
rate, ``model.stop_training``, the files it saves) before and after each Keras hook and
writes the difference into an :class:`~cbteach.events.EventLog` as one event per callback
per epoch. Two keyword-only arguments are added:

- ``log``: the EventLog to write to (a new one by default; share one between callbacks);
- ``explain``: print one translated line per epoch saying what the callback saw and did.

Unlike Keras, a misspelled argument is never accepted: ``ReduceLROnPlateau(fector=0.3)``
raises ``TypeError`` ("did you mean `factor`?") instead of silently training with 0.1.
Nor is a value Keras would misuse quietly (``factor=0``, ``patience=-1``, a ``.hdf5`` file,
a monitor the logs lack, a NaN loss): :mod:`cbteach.validation` says what to write instead.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import keras
import numpy as np

from cbteach import validation
from cbteach.checkpoints import remove_leftovers_beside, write_atomically
from cbteach.events import Action, Event, EventLog

__all__ = ["EarlyStopping", "ModelCheckpoint", "ReduceLROnPlateau"]

# Arguments of Keras 2 that Keras 3 no longer has, and the catalog key that says what to do.
_REMOVED = {
    "period": "callbacks.removed_period",
    "epsilon": "callbacks.removed_epsilon",
}


def _keras_parameters(keras_class: type) -> list[str]:
    params = inspect.signature(keras_class.__init__).parameters.values()
    return [p.name for p in params if p.name != "self" and p.kind is not p.VAR_KEYWORD]


def check_arguments(keras_class: type, arguments: dict, own: tuple = ("log", "explain")) -> None:
    """Raise TypeError, in the learner's language, for any keyword Keras would not use."""
    validation.check_names(
        keras_class.__name__,
        _keras_parameters(keras_class),
        arguments,
        own=own,
        removed=_REMOVED,
    )


def _arguments(keras_class: type, args: tuple, kwargs: dict) -> dict:
    """Every Keras argument of a construction, defaults filled in (for configs and replay)."""
    sig = inspect.signature(keras_class.__init__)
    bound = sig.bind_partial(None, *args, **kwargs)
    bound.apply_defaults()
    return {k: v for k, v in bound.arguments.items() if k not in ("self", "kwargs")}


def _signature(keras_class: type, **own: object) -> inspect.Signature:
    """Keras' signature plus cbteach's keyword-only arguments, for help() and inspect."""
    sig = inspect.signature(keras_class)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    own = {"log": None, "explain": False, **own}
    params += [
        inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=d) for n, d in own.items()
    ]
    return sig.replace(parameters=params)


def _float(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, (float, int, np.floating, np.integer)):
        return float(value)
    try:
        return float(keras.ops.convert_to_numpy(value))
    except (TypeError, ValueError):
        return None


def _same(a, b) -> bool:
    """Equal, with NaN equal to NaN (a NaN best stays the best: nothing compares below it)."""
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def current_lr(model) -> float | None:
    """The optimizer's learning rate as a float (None without a single optimizer)."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or hasattr(optimizer, "optimizers"):
        return None
    return _float(optimizer.learning_rate)


@contextmanager
def spy(obj, name: str, replacement: Callable) -> Iterator[None]:
    """Replace the method ``obj.name`` on this one instance while the block runs."""
    object.__setattr__(obj, name, replacement)
    try:
        yield
    finally:
        object.__delattr__(obj, name)


class _Observed:
    """What the three callbacks share: strict arguments, the event log, explanations.

    It also guards Keras' decision at the end of each epoch (:meth:`on_epoch_end`): an
    epoch whose logs lack a value the callback needs, or whose monitored value is NaN or
    infinite, is not handed to Keras. Keras would crown a NaN first value the best for
    ever (nothing compares below NaN), and a missing value only makes it warn, every epoch.
    """

    _keras_class: type
    _own: tuple[str, ...] = ("log", "explain")
    # the reason keys of an epoch not handed to Keras (ModelCheckpoint's; the others override)
    _not_finite_reason = "events.mc_not_finite"
    _missing_reason = "events.mc_stopped_missing"

    def __init__(self, *args, log: EventLog | None = None, explain: bool = False, **kwargs):
        check_arguments(self._keras_class, kwargs, own=self._own)
        arguments = _arguments(self._keras_class, args, kwargs)
        validation.check_callback(self._keras_class, arguments)
        super().__init__(*args, **kwargs)
        validation.warn_callback(self._keras_class, arguments)
        self._observe(log, explain, arguments)

    def _observe(self, log: EventLog | None, explain: bool, arguments: dict) -> None:
        self.arguments = arguments
        self.log = log if log is not None else EventLog()
        self.explain = bool(explain)
        self._best_epoch: int | None = None
        self._validation: bool | None = None  # will fit have validation data? (None: unknown)
        self._withheld: tuple[int, Action, str] | None = None  # an epoch not handed to Keras

    @property
    def events(self) -> EventLog:
        """The EventLog this callback writes to."""
        return self.log

    def _record(self, event: Event) -> None:
        self.log.append(event)
        if self.explain:
            print(event.explain(), flush=True)

    def _value(self, logs: dict | None) -> float | None:
        return _float((logs or {}).get(self.monitor))

    def _mode(self) -> str | None:
        op = getattr(self, "monitor_op", None)
        if op is None:
            return None
        return "min" if op is keras.ops.less else "max"

    def _track_best(self, epoch: int, best_before, best_after) -> None:
        if best_after is not None and not _same(best_after, best_before):
            self._best_epoch = epoch + 1

    def _event(self, epoch: int, action: Action, reason: str, logs, before: dict, **extra) -> Event:
        if self._withheld is not None and self._withheld[0] == epoch:
            _, action, reason = self._withheld  # Keras did not decide: say why
        best_after = _float(self.best)
        self._track_best(epoch, before["best"], best_after)
        return Event(
            epoch=epoch + 1,
            callback=type(self).__name__,
            action=action,
            reason=reason,
            monitor=self.monitor,
            mode=self._mode(),
            value=self._value(logs),
            best_before=before["best"],
            best_after=best_after,
            best_epoch=self._best_epoch,
            **extra,
        )

    def _record_wait(self, epoch, action, reason, logs, before, after, **extra) -> None:
        """Record an event of a callback that counts epochs without improvement."""
        wait = {"wait_before": before["wait"], "wait_after": after["wait"]}
        self._record(
            self._event(
                epoch, action, reason, logs, before, **wait, patience=self.patience, **extra
            )
        )

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        if self.best is None:  # Keras reset its best: so do we
            self._best_epoch = None
        validation.check_train_begin(self)

    def _compares(self) -> bool:
        """Whether the monitored value decides anything (a checkpoint saving every epoch: no)."""
        return bool(getattr(self, "save_best_only", True))

    def on_epoch_end(self, epoch, logs=None):
        """Hand the epoch to Keras, unless a value it needs is missing or not finite.

        Missing: warn, say what to write, record the event and stop training cleanly.
        Not finite: record the event; the epoch counts neither as an improvement nor as
        a miss (EarlyStopping stops, see :meth:`EarlyStopping._withhold`).
        """
        self._withheld = None
        logs = logs if logs is not None else {}
        missing = validation.missing_names(self, epoch, logs, self._compares())
        if missing is not None:
            validation.warn(missing)
            self.model.stop_training = True
            self._withhold(epoch, logs, Action.MISSING, self._missing_reason)
        elif self._compares() and validation.not_finite(self._value(logs)):
            self._withhold(epoch, logs, Action.NOT_FINITE, self._not_finite_reason)
        else:
            validation.resolve_mode(self)
            super().on_epoch_end(epoch, logs)

    def _withhold(self, epoch: int, logs: dict, action: Action, reason: str) -> None:
        """Keep the epoch from Keras' decision, and note why for the epoch's event."""
        self._withheld = (epoch, action, reason)


class EarlyStopping(_Observed, keras.callbacks.EarlyStopping):
    """Keras' EarlyStopping, recording why it waited, stopped or restored weights."""

    _keras_class = keras.callbacks.EarlyStopping
    _last_epoch = 0  # the last epoch seen, for the restore event at the end of training
    _not_finite_reason = "events.es_not_finite"
    _missing_reason = "events.stopped_missing"

    def _state(self) -> dict:
        return {
            "best": _float(self.best),
            "wait": self.wait,
            "stopped_epoch": self.stopped_epoch,
        }

    def on_epoch_end(self, epoch, logs=None):
        before = self._state()
        stop_before = bool(getattr(self.model, "stop_training", False))
        super().on_epoch_end(epoch, logs)
        after = self._state()
        self._last_epoch = epoch
        stopped = not stop_before and bool(self.model.stop_training)
        if self._withheld is not None:  # a missing or non-finite value: Keras did not decide
            _, action, reason = self._withheld
        elif _same(before, after) and not stopped:
            action, reason = Action.WARMUP, "events.es_warmup"
        elif not _same(after["best"], before["best"]):
            action = Action.IMPROVED
            if before["best"] is None:
                reason = "events.es_first"
            elif after["wait"] != 0:
                reason = "events.es_improved_below_baseline"
            else:
                reason = "events.es_improved"
        elif stopped and self.stopped_epoch == epoch:
            action, reason = Action.STOPPED, "events.es_stopped"
        else:
            action, reason = Action.WAITED, "events.es_waited"
        self._record_wait(epoch, action, reason, logs, before, after)

    def _withhold(self, epoch: int, logs: dict, action: Action, reason: str) -> None:
        """A NaN or infinite value stops training at once, as keras.callbacks.TerminateOnNaN.

        Such a value means the weights (or the data) are broken: no later epoch can beat
        the best, so waiting out ``patience`` would only train on broken weights, and a NaN
        first value would keep Keras from ever stopping. With ``restore_best_weights=True``
        Keras still puts back the best finite epoch's weights at the end.
        """
        if action is Action.NOT_FINITE:
            action = Action.STOPPED
            self.model.stop_training = True
            self.stopped_epoch = epoch
        super()._withhold(epoch, logs, action, reason)

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
            best = _float(self.best)
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


class ReduceLROnPlateau(_Observed, keras.callbacks.ReduceLROnPlateau):
    """Keras' ReduceLROnPlateau, recording every wait, cooldown and learning-rate cut."""

    _keras_class = keras.callbacks.ReduceLROnPlateau
    _not_finite_reason = "events.rlr_not_finite"
    _missing_reason = "events.stopped_missing"

    def _state(self) -> dict:
        return {"best": _float(self.best), "wait": self.wait, "cooldown": self.cooldown_counter}

    def _reduce_optimizer_lr(self, optimizer, epoch, name=""):
        reduced = super()._reduce_optimizer_lr(optimizer, epoch, name)
        self._tried_cut = True
        if reduced:
            self._new_lr = _float(optimizer.learning_rate)
        return reduced

    def on_epoch_end(self, epoch, logs=None):
        before = self._state()
        self._tried_cut, self._new_lr = False, None
        super().on_epoch_end(epoch, logs)
        after = self._state()
        lr_before = _float((logs or {}).get("learning_rate"))  # Keras wrote the LR it saw
        lr_after = self._new_lr if self._new_lr is not None else lr_before
        if self._withheld is not None:  # a missing or non-finite value: Keras did not decide
            _, action, reason = self._withheld
        elif self._new_lr is not None:
            action, reason = Action.REDUCED_LR, "events.rlr_reduced"
        elif not _same(after["best"], before["best"]):
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

    def _withhold(self, epoch: int, logs: dict, action: Action, reason: str) -> None:
        """Write the learning rate into the logs, as Keras does before it decides."""
        optimizer = self.model.optimizer
        if hasattr(optimizer, "optimizers"):
            for inner in optimizer.optimizers:
                logs[f"learning_rate_{inner.name}"] = _float(inner.learning_rate)
        else:
            logs["learning_rate"] = _float(optimizer.learning_rate)
        super()._withhold(epoch, logs, action, reason)


class ModelCheckpoint(_Observed, keras.callbacks.ModelCheckpoint):
    """Keras' ModelCheckpoint, recording every file it writes (or would write) and why.

    Keras decides when to save and names the file; cbteach makes the write atomic: the
    file goes to a dot-prefixed temporary file in the same folder and is then renamed
    onto the checkpoint path, so the path always holds a complete checkpoint (see
    :mod:`cbteach.checkpoints`). Temporary files a killed run left in the folder are
    removed when training begins.

    ``write=False`` (keyword-only, used by replay) lets Keras decide and name every save
    but writes no file and creates no folder.
    """

    _keras_class = keras.callbacks.ModelCheckpoint
    _own = ("log", "explain", "write")

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
        before = {"best": _float(self.best)}
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
        before = {"best": _float(self.best)}
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


EarlyStopping.__signature__ = _signature(keras.callbacks.EarlyStopping)
ReduceLROnPlateau.__signature__ = _signature(keras.callbacks.ReduceLROnPlateau)
ModelCheckpoint.__signature__ = _signature(keras.callbacks.ModelCheckpoint, write=True)
