"""The record of one run: what a training run, or a replay of a recorded one, produced.

Every reader takes a :class:`Run`: plots, the summary, the Playground, the exercises and
the recorded-run files. Training (:func:`cbteach.training.train`), replay
(:func:`cbteach.replay.replay`) and loading (:func:`cbteach.recorded.load`) make one. The
module knows nothing about Keras: the trained model rides along in ``model`` untyped.

Example:

>>> from cbteach import recorded
>>> run = recorded.load("overfit")
>>> run.model_name, run.suggested_monitor
('mlp', 'val_loss')
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbteach.atomic import write_text
from cbteach.events import Action, Event, EventLog, first

__all__ = ["Run"]


@dataclass
class Run:
    """What one training run (or one replay of a recorded run) produced.

    Args:
        history: Keras' ``History.history``: one list per metric, one value per epoch.
        events: every callback decision.
        lrs: the learning rate in effect during each epoch.
        epoch_times: the wall seconds of each epoch (empty in a replay).
        device: what it trained on (``cbteach.device.describe()``).
        data: which images it trained on (``MnistData.summary``).
        name: a label for plots and the Playground.
        caveats: catalog keys of what a reader should know (e.g. a replayed LR cut).
        model_name: ``"mlp"``, ``"cnn"`` or the name of a learner's own Keras model.
        planned_epochs: the epochs asked for (a stop may end sooner: see ``epochs``).
        batch_size: images per batch.
        learning_rate: the optimizer's learning rate at the start.
        seed: the seed of the weights, shuffles and dropout masks.
        steps_per_execution: batches per call into the compiled training step.
        callback_settings: the arguments of each callback, ``callbacks.describe(cb)``.
        suggested_monitor: the monitor a recorded run is best read with.
        replay_of: the name of the recorded run this one replays, or None.
        resumed_from: epochs finished before this run resumed from a backup; the history,
            LRs and times hold only the epochs it trained itself, the events every epoch.
        backup_dir: the backup folder ``train(backup_dir=...)`` used, or None.
        provenance: a recorded run's provenance (data, versions, date, command).
        after_stop: in a replay that a callback stopped, the recorded epochs it did not
            reach, metric by metric (what the learner would have missed); else empty.
        model: the trained Keras model (None in a replay or a loaded record).

    Example:

    >>> import cbteach
    >>> from cbteach.training import train
    >>> run = train([cbteach.EarlyStopping(patience=3)], model="mlp", epochs=30)  # doctest: +SKIP
    >>> run.stopped_epoch, run.learning_rate  # doctest: +SKIP
    (23, 0.001)
    """

    history: dict[str, list[float]]
    events: EventLog
    lrs: list[float] = field(default_factory=list)
    epoch_times: list[float] = field(default_factory=list)
    device: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    name: str = ""
    caveats: list[str] = field(default_factory=list)
    model_name: str | None = None
    planned_epochs: int | None = None
    batch_size: int | None = None
    learning_rate: float | None = None
    seed: int | None = None
    steps_per_execution: int = 1
    callback_settings: list[dict] = field(default_factory=list)
    suggested_monitor: str | None = None
    replay_of: str | None = None
    resumed_from: int = 0
    backup_dir: str | None = None
    provenance: dict = field(default_factory=dict)
    after_stop: dict[str, list[float]] = field(default_factory=dict)
    model: Any = field(default=None, repr=False, compare=False)

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

    @property
    def config(self) -> dict:
        """The run's settings as one plain dict (a copy: change the fields, not this).

        The keys are those of ``run.json``: ``model``, ``epochs``, ``batch_size``,
        ``learning_rate``, ``seed``, ``steps_per_execution``, ``callbacks``, and, where
        they apply, ``suggested_monitor``, ``replay_of``, ``resumed_from``, ``backup_dir``
        and ``provenance``.
        """
        config: dict = {
            "model": self.model_name,
            "epochs": self.planned_epochs,
            "batch_size": self.batch_size,
            "learning_rate": self.learning_rate,
            "seed": self.seed,
            "steps_per_execution": self.steps_per_execution,
            "callbacks": list(self.callback_settings),
        }
        extras = {
            "suggested_monitor": self.suggested_monitor,
            "replay_of": self.replay_of,
            "resumed_from": self.resumed_from or None,
            "backup_dir": self.backup_dir,
            "provenance": self.provenance or None,
        }
        config.update({k: v for k, v in extras.items() if v is not None})
        if self.backup_dir is not None:
            config["resumed_from"] = self.resumed_from
        return config

    def to_frame(self):
        """The history as a DataFrame indexed by 1-based epoch, with LR and epoch time."""
        import pandas as pd

        frame = pd.DataFrame({k: list(v) for k, v in self.history.items()})
        start = self.resumed_from + 1
        frame.index = range(start, start + len(frame))
        frame.index.name = "epoch"
        if len(self.lrs) == len(frame):
            frame["lr"] = self.lrs
        if len(self.epoch_times) == len(frame):
            frame["epoch_time_s"] = self.epoch_times
        return frame

    def save(self, folder: str | Path) -> dict[str, Path]:
        """Write ``history.csv`` and ``run.json`` (config, device, data) into ``folder``.

        Args:
            folder: created if missing; both files are written atomically.

        Example:

        >>> run.save("runs/patience-3")  # doctest: +SKIP
        {'history': PosixPath('runs/patience-3/history.csv'), 'run': ...}
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {"history": folder / "history.csv", "run": folder / "run.json"}
        write_text(paths["history"], self.to_frame().to_csv())
        meta = {"name": self.name, "config": self.config, "device": self.device, "data": self.data}
        write_text(paths["run"], json.dumps(meta, ensure_ascii=False, indent=2, default=str))
        return paths
