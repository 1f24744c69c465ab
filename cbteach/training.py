"""One real training run with the callbacks a lesson chose, kept as a :class:`Run`."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import keras

from cbteach import device
from cbteach.callbacks import current_lr
from cbteach.events import Action, Event, EventLog, first


@dataclass
class Run:
    """What one training run (or one replay of a recorded run) produced.

    ``history`` is Keras' ``History.history`` (one list per metric, one value per epoch);
    ``lrs`` is the learning rate in effect during each epoch; ``epoch_times`` the wall
    seconds of each epoch; ``events`` every callback decision.
    """

    history: dict[str, list[float]]
    events: EventLog
    lrs: list[float] = field(default_factory=list)
    epoch_times: list[float] = field(default_factory=list)
    device: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    name: str = ""
    caveats: list[str] = field(default_factory=list)
    model: keras.Model | None = field(default=None, repr=False, compare=False)

    @property
    def epochs(self) -> int:
        """How many epochs ran."""
        return max((len(v) for v in self.history.values()), default=0)

    @property
    def stopped_epoch(self) -> int | None:
        """The epoch (1-based) at which EarlyStopping stopped training, or None."""
        event = first(self.events, Action.STOPPED)
        return event.epoch if event else None

    @property
    def restored_epoch(self) -> int | None:
        """The epoch (1-based) whose weights EarlyStopping restored at the end, or None."""
        event = first(self.events, Action.RESTORED)
        return event.best_epoch if event else None

    @property
    def saves(self) -> list[Event]:
        """Every checkpoint written (or, in a replay, that would be written)."""
        return self.events.with_action(Action.SAVED)

    @property
    def lr_cuts(self) -> list[Event]:
        """Every learning-rate reduction."""
        return self.events.with_action(Action.REDUCED_LR)

    def to_frame(self):
        """The history as a DataFrame indexed by 1-based epoch, with LR and epoch time."""
        import pandas as pd

        frame = pd.DataFrame({k: list(v) for k, v in self.history.items()})
        frame.index = range(1, len(frame) + 1)
        frame.index.name = "epoch"
        if len(self.lrs) == len(frame):
            frame["lr"] = self.lrs
        if len(self.epoch_times) == len(frame):
            frame["epoch_time_s"] = self.epoch_times
        return frame

    def save(self, folder: str | Path) -> dict[str, Path]:
        """Write ``history.csv`` and ``run.json`` (config, device, data) into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {"history": folder / "history.csv", "run": folder / "run.json"}
        _write_atomic(paths["history"], self.to_frame().to_csv())
        meta = {"name": self.name, "config": self.config, "device": self.device, "data": self.data}
        _write_atomic(paths["run"], json.dumps(meta, ensure_ascii=False, indent=2, default=str))
        return paths


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


class EpochRecorder(keras.callbacks.Callback):
    """Records the learning rate in effect during each epoch and each epoch's wall time."""

    def __init__(self) -> None:
        super().__init__()
        self.lrs: list[float] = []
        self.epoch_times: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self.lrs.append(current_lr(self.model))
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_times.append(time.perf_counter() - self._start)


class StopWhen(keras.callbacks.Callback):
    """Stops training cleanly at the end of the epoch once ``flag`` is set (a Cancel button)."""

    def __init__(self, flag: threading.Event) -> None:
        super().__init__()
        self.flag = flag

    def on_epoch_end(self, epoch, logs=None):
        if self.flag.is_set():
            self.model.stop_training = True


def describe_callback(callback) -> dict:
    """``{"class": "EarlyStopping", "patience": 3, ...}``: the arguments it was built with."""
    arguments = getattr(callback, "arguments", None)
    if arguments is None:
        return {"class": type(callback).__name__}
    return {"class": type(callback).__name__, **arguments}


def train(
    callbacks: Sequence[keras.callbacks.Callback] = (),
    *,
    data=None,
    model: str | keras.Model = "cnn",
    epochs: int = 20,
    batch_size: int = 128,
    learning_rate: float = 1e-3,
    seed: int = 0,
    verbose: int = 0,
    name: str = "",
    stop: threading.Event | None = None,
    extra_callbacks: Sequence[keras.callbacks.Callback] = (),
) -> Run:
    """Train a real MNIST model with ``callbacks`` and return the :class:`Run`.

    ``data`` is a :class:`cbteach.data.MnistData` (default: ``load_mnist()``); ``model`` a
    name from :data:`cbteach.models.MODELS` (built and compiled with ``seed`` and
    ``learning_rate``) or an already compiled Keras model. ``extra_callbacks`` (progress
    bars, printers) run before ``callbacks`` at each hook and are not part of the config.
    ``stop``, when set from another thread, ends training after the current epoch.
    """
    from cbteach.data import load_mnist
    from cbteach.models import build_model, compile_model

    if data is None:
        data = load_mnist(verbose=verbose > 0)
    keras.utils.set_random_seed(seed)
    if isinstance(model, str):
        model_name = model
        model = compile_model(build_model(model, seed=seed), learning_rate=learning_rate)
    else:
        model_name = model.name
    recorder = EpochRecorder()
    helpers = [StopWhen(stop)] if stop is not None else []
    history = model.fit(
        data.x_train,
        data.y_train,
        validation_data=(data.x_val, data.y_val),
        epochs=epochs,
        batch_size=batch_size,
        callbacks=[recorder, *extra_callbacks, *callbacks, *helpers],
        verbose=verbose,
    )
    logs = [cb.log for cb in callbacks if isinstance(getattr(cb, "log", None), EventLog)]
    return Run(
        history={k: [float(x) for x in v] for k, v in history.history.items()},
        events=EventLog.merge(logs),
        lrs=recorder.lrs,
        epoch_times=recorder.epoch_times,
        device=device.describe(),
        data=data.summary,
        config={
            "model": model_name,
            "epochs": epochs,
            "batch_size": batch_size,
            "learning_rate": learning_rate,
            "seed": seed,
            "callbacks": [describe_callback(cb) for cb in callbacks],
        },
        name=name,
        model=model,
    )
