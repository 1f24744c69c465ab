"""Instant what-if: drive real Keras callbacks over the per-epoch logs of a recorded run.

No training happens. The callbacks are the real ones (cbteach's subclasses of Keras'
classes), attached to a tiny real Keras model that stands in for the trained one: it has a
real optimizer whose learning rate ReduceLROnPlateau cuts, real weights that EarlyStopping
copies and restores, and the same compiled metric (``accuracy``) from which Keras resolves
``mode="auto"``. ModelCheckpoint decides and names each file but writes nothing.

What replay cannot know: after a learning-rate cut the real curve would have changed, so a
replayed ReduceLROnPlateau shows what the callback would do *on this curve*. The returned
run says so in ``run.caveats``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import keras
import numpy as np

from cbteach import models
from cbteach.callbacks import describe
from cbteach.events import Action, EventLog
from cbteach.run import Run

CAVEAT_LR = "replay.caveat_lr"


def standin_model(learning_rate: float = 1e-3) -> keras.Model:
    """A tiny compiled Keras model whose metrics are built, ready to host callbacks.

    Args:
        learning_rate: the SGD learning rate ReduceLROnPlateau reads and cuts.
            Defaults to `1e-3`.

    Example:

    >>> model = standin_model()
    >>> model.name, model.stop_training
    ('standin', False)
    """
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)], name="standin")
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate),
        loss="mse",
        metrics=["accuracy"],
    )
    x = np.zeros((1, 1), dtype="float32")
    model.evaluate(x, x, verbose=0)  # builds the compiled metrics that auto mode reads
    model.stop_training = False
    return model


def drive(
    callbacks: Sequence[keras.callbacks.Callback],
    history: Mapping[str, Sequence[float]],
    model: keras.Model,
    *,
    learning_rate: float | None = None,
) -> tuple[int, list[float]]:
    """Call the callbacks' hooks as ``model.fit`` would, epoch by epoch, with recorded logs.

    Returns the number of epochs run (fewer than recorded when a callback stopped training)
    and the learning rate in effect during each of them.

    Args:
        callbacks: the callbacks to drive.
        history: the per-epoch logs, one list per metric (``Run.history``).
        model: the model that hosts the callbacks, e.g. :func:`standin_model`.
        learning_rate: the learning rate to start from. Defaults to `None` (the model's).

    Example:

    >>> from cbteach.callbacks import EarlyStopping
    >>> curve = {"loss": [1.0, 0.9, 0.95, 0.96], "val_loss": [1.0, 0.9, 0.95, 0.96]}
    >>> drive([EarlyStopping(patience=2)], curve, standin_model())[0]
    4
    """
    if learning_rate is not None:
        model.optimizer.learning_rate = learning_rate
    model.stop_training = False
    keys = [k for k in history if k != "learning_rate"]
    epochs = min((len(history[k]) for k in keys), default=0)
    params = {"epochs": epochs, "steps": None, "verbose": 0}
    for cb in callbacks:
        cb.set_model(model)
        cb.set_params(params)
    for cb in callbacks:
        cb.on_train_begin({})
    lrs: list[float] = []
    ran = 0
    for epoch in range(epochs):
        logs: dict = {}
        for cb in callbacks:
            cb.on_epoch_begin(epoch, logs)
        lrs.append(models.learning_rate(model))
        logs = {k: float(history[k][epoch]) for k in keys}
        for cb in callbacks:
            cb.on_epoch_end(epoch, logs)
        ran = epoch + 1
        if model.stop_training:
            break
    for cb in callbacks:
        cb.on_train_end({})
    return ran, lrs


_STANDIN: dict[str, keras.Model] = {}


def _shared_standin() -> keras.Model:
    if "model" not in _STANDIN:
        _STANDIN["model"] = standin_model()
    return _STANDIN["model"]


def replay(
    recorded: Run,
    callbacks: Sequence[keras.callbacks.Callback],
    *,
    name: str = "",
) -> Run:
    """Replay ``recorded`` (a Run, e.g. from :func:`cbteach.recorded.load`) through ``callbacks``.

    The callbacks should be cbteach's (they record the events); a ModelCheckpoint is switched
    to ``write=False`` for the replay. The result is a Run cut at the epoch where training
    would have stopped, with the LR trace the callbacks produced.

    Args:
        recorded: the recorded run whose logs drive the callbacks.
        callbacks: the callbacks to replay.
        name: a label for the replayed run. Defaults to the recorded run's name.

    Example:

    >>> from cbteach import recorded
    >>> from cbteach.callbacks import EarlyStopping
    >>> replay(recorded.load("overfit"), [EarlyStopping(patience=3)]).stopped_epoch
    10
    """
    log = EventLog()
    saved_write = {}
    for cb in callbacks:
        if hasattr(cb, "write"):
            saved_write[id(cb)] = cb.write
            cb.write = False
    # one listener per log: callbacks that share one EventLog must not copy each event twice
    logs = list(
        {
            id(cb.log): cb.log for cb in callbacks if isinstance(getattr(cb, "log", None), EventLog)
        }.values()
    )
    for own in logs:
        own.listeners.append(log.append)
    initial_lr = recorded.lrs[0] if recorded.lrs else recorded.learning_rate or 1e-3
    try:
        ran, lrs = drive(callbacks, recorded.history, _shared_standin(), learning_rate=initial_lr)
    finally:
        for cb in callbacks:
            if id(cb) in saved_write:
                cb.write = saved_write[id(cb)]
        for own in logs:
            own.listeners.remove(log.append)
    history = {k: list(v[:ran]) for k, v in recorded.history.items() if k != "learning_rate"}
    return _replayed(recorded, callbacks, history, log, lrs, name=name)


def _replayed(recorded: Run, callbacks, history: dict, log: EventLog, lrs: list, *, name: str):
    """The Run of a replay: the recorded run's provenance, the replay's curves and events."""
    return replace(
        recorded,
        history=history,
        events=log,
        lrs=lrs,
        epoch_times=[],
        name=name or recorded.name,
        caveats=[CAVEAT_LR] if log.with_action(Action.REDUCED_LR) else [],
        callback_settings=[describe(cb) for cb in callbacks],
        replay_of=recorded.name,
        after_stop={
            k: list(v[len(history[k]) :])
            for k, v in recorded.history.items()
            if k in history and len(v) > len(history[k])
        },
        model=None,
    )


def _settings_key(callback) -> tuple | None:
    arguments = getattr(callback, "arguments", None)
    if arguments is None:
        return None
    try:
        return (type(callback), tuple(sorted(arguments.items())))
    except TypeError:  # an argument that cannot be ordered: do not remember
        return None


class Replayer:
    """Replays one recorded run again and again, remembering each callback's replay.

    Over recorded logs the callbacks do not influence one another, except that a stop ends
    the run for all: a cut learning rate changes no logged value, and nothing else is shared.
    So each callback is replayed alone, once per setting, and the parts are put together
    and cut at the earliest stop. When a slider moves one callback's setting, only that
    callback is replayed again. Where the parts could disagree with one joint replay (two
    callbacks that act at the end of training, or one that fails alone), the Replayer
    falls back to :func:`replay` of all callbacks together.

    Args:
        recorded: the recorded run to replay.
        maxsize: the most callback replays to remember. Defaults to `512`.

    Example:

    >>> from cbteach import recorded
    >>> from cbteach.callbacks import EarlyStopping
    >>> replayer = Replayer(recorded.load("plateau"))
    >>> replayer.replay([EarlyStopping(patience=5)]).stopped_epoch
    33
    """

    def __init__(self, recorded: Run, *, maxsize: int = 512) -> None:
        self.recorded = recorded
        self.maxsize = maxsize
        self._memo: dict[tuple, Run] = {}

    def _part(self, callback) -> Run:
        key = _settings_key(callback)
        if key is not None and key in self._memo:
            return self._memo[key]
        part = replay(self.recorded, [callback])
        if key is not None:
            if len(self._memo) >= self.maxsize:
                self._memo.pop(next(iter(self._memo)))
            self._memo[key] = part
        return part

    def replay(self, callbacks: Sequence[keras.callbacks.Callback], *, name: str = "") -> Run:
        """The same Run as ``replay(recorded, callbacks)``, from remembered parts.

        Args:
            callbacks: the callbacks to replay.
            name: a label for the replayed run. Defaults to the recorded run's name.

        Example:

        >>> from cbteach import recorded
        >>> from cbteach.callbacks import ReduceLROnPlateau
        >>> run = Replayer(recorded.load("plateau")).replay([ReduceLROnPlateau(patience=2)])
        >>> [e.epoch for e in run.lr_cuts][:3], run.caveats
        ([22, 30, 32], ['replay.caveat_lr'])
        """
        try:
            parts = [self._part(cb) for cb in callbacks]
        except (KeyError, ValueError):
            return replay(self.recorded, callbacks, name=name)
        ran = min((p.epochs for p in parts), default=self.recorded.epochs)
        enders = [p for p in parts if p.epochs > ran and _end_events(p)]
        if enders:
            return replay(self.recorded, callbacks, name=name)
        order = []
        for index, part in enumerate(parts):
            for event in part.events:
                if event.epoch <= ran:
                    order.append((event.epoch, event.action is Action.RESTORED, index, event))
        log = EventLog()
        log.events = [e for *_, e in sorted(order, key=lambda row: row[:3])]
        lr_parts = [p for p, cb in zip(parts, callbacks) if hasattr(cb, "min_lr")]
        if len(lr_parts) > 1:  # two learning-rate callbacks act on one optimizer together
            return replay(self.recorded, callbacks, name=name)
        lrs = (lr_parts[0] if lr_parts else parts[0] if parts else self.recorded).lrs[:ran]
        history = {k: list(v[:ran]) for k, v in self.recorded.history.items()}
        history.pop("learning_rate", None)
        return _replayed(self.recorded, callbacks, history, log, list(lrs), name=name)


def _end_events(run: Run) -> list:
    return [e for e in run.events if e.action is Action.RESTORED]
