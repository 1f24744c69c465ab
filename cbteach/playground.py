"""What the Playground knows, without a widget: its settings, its callbacks and its runs.

The Playground (:mod:`cbteach.widgets`) is a view; this module is its model, plain Python
that a test drives without a kernel:

- the **settings schema**: every control, the callback it belongs to (:data:`CONTROL_OWNERS`),
  the values a playground starts from (:data:`DEFAULTS`) and the choices it offers;
- **settings → callbacks**: :func:`build_callbacks` makes fresh cbteach callbacks from the
  settings, the one place that knows which setting is which Keras argument;
- the **run list** (:class:`RunList`): the recorded, given and retrained runs, each with its
  label in either language, and the rule that decides what is shown for a run: the real run
  when it was trained with exactly these settings, else a replay through the new callbacks.

Example:

>>> from cbteach.playground import RunList, build_callbacks
>>> runs = RunList(["overfit"], lang="en")
>>> shown, live = runs.view("overfit", {"es_patience": 3}, ("EarlyStopping",))
>>> live, shown.stopped_epoch is not None
(False, True)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping, Sequence

import keras

from cbteach import callbacks as cb
from cbteach import i18n, recorded
from cbteach.events import EventLog
from cbteach.replay import Replayer
from cbteach.run import Run

__all__ = [
    "CALLBACKS",
    "CONTROLS",
    "CONTROL_OWNERS",
    "DEFAULTS",
    "RunEntry",
    "RunList",
    "build_callbacks",
    "check_callbacks",
    "check_controls",
    "describe_settings",
    "explain_error",
    "retrain_label",
]

#: The callbacks a playground can hold, in the order they are given to Keras.
CALLBACKS = cb.NAMES

#: Every control, and the callback it belongs to (None: shared by all, or not a setting).
CONTROL_OWNERS: dict[str, str | None] = {
    "run": None,
    "monitor": None,
    "mode": None,
    "es_patience": "EarlyStopping",
    "es_min_delta": "EarlyStopping",
    "restore_best_weights": "EarlyStopping",
    "start_from_epoch": "EarlyStopping",
    "baseline": "EarlyStopping",
    "rlr_patience": "ReduceLROnPlateau",
    "factor": "ReduceLROnPlateau",
    "cooldown": "ReduceLROnPlateau",
    "rlr_min_delta": "ReduceLROnPlateau",
    "min_lr": "ReduceLROnPlateau",
    "save_best_only": "ModelCheckpoint",
    "language": None,
    "retrain": None,
    "compare": None,
}
CONTROLS = tuple(CONTROL_OWNERS)

#: The settings a playground starts from (a setting whose control is hidden keeps it).
DEFAULTS: dict[str, object] = {
    "monitor": "val_loss",
    "mode": "auto",
    "es_patience": 5,
    "es_min_delta": 0.0,
    "restore_best_weights": True,
    "start_from_epoch": 0,
    "baseline": None,
    "rlr_patience": 3,
    "factor": 0.3,
    "cooldown": 0,
    "rlr_min_delta": 1e-4,
    "min_lr": 0.0,
    "save_best_only": True,
}
MONITORS = ("val_loss", "val_accuracy", "loss", "accuracy")
MODES = ("auto", "min", "max")
MIN_LRS = (0.0, 1e-6, 1e-5, 1e-4, 3e-4, 1e-3)
LANGUAGES = (("한국어", "ko"), ("English", "en"))
BASELINE_VALUE = 0.2  # what the baseline box holds until the learner types a value

#: The controls that are settings, in the order a label lists them.
SETTING_CONTROLS = tuple(k for k in CONTROLS if k in DEFAULTS)


# ---------------------------------------------------------------------- settings → callbacks
def checkpoint_path(folder: str | os.PathLike, monitor: str) -> str:
    """``ckpt/{epoch:02d}-{val_loss:.2f}.keras``: one file per save, named by epoch and value.

    Args:
        folder: the folder the checkpoints go to.
        monitor: the monitored quantity, whose value names each file.

    Example:

    >>> checkpoint_path("ckpt", "val_accuracy")
    'ckpt/{epoch:02d}-{val_accuracy:.2f}.keras'
    """
    return os.path.join(os.fspath(folder), "{epoch:02d}-{" + monitor + ":.2f}.keras")


def _checkpoint(s: Mapping[str, object], folder: str | os.PathLike, write: bool) -> dict:
    filepath = checkpoint_path(folder, str(s["monitor"]))
    return {"filepath": filepath, "save_best_only": bool(s["save_best_only"]), "write": write}


def _reduce_lr(s: Mapping[str, object], folder: str | os.PathLike, write: bool) -> dict:
    return {
        "patience": int(s["rlr_patience"]),
        "factor": float(s["factor"]),
        "cooldown": int(s["cooldown"]),
        "min_delta": float(s["rlr_min_delta"]),
        "min_lr": float(s["min_lr"]),
    }


def _early_stopping(s: Mapping[str, object], folder: str | os.PathLike, write: bool) -> dict:
    baseline = s["baseline"]
    return {
        "patience": int(s["es_patience"]),
        "min_delta": float(s["es_min_delta"]),
        "restore_best_weights": bool(s["restore_best_weights"]),
        "start_from_epoch": int(s["start_from_epoch"]),
        "baseline": None if baseline is None else float(baseline),
    }


# The Keras arguments of each callback, from the settings: the one table that knows them.
_ARGUMENTS: dict[str, Callable[[Mapping[str, object], str | os.PathLike, bool], dict]] = {
    "ModelCheckpoint": _checkpoint,
    "ReduceLROnPlateau": _reduce_lr,
    "EarlyStopping": _early_stopping,
}
assert tuple(_ARGUMENTS) == CALLBACKS


def build_callbacks(
    settings: Mapping[str, object],
    callbacks: Sequence[str] = CALLBACKS,
    *,
    folder: str | os.PathLike = "ckpt",
    write: bool = False,
) -> list[keras.callbacks.Callback]:
    """Fresh cbteach callbacks (named in ``callbacks``) built from playground ``settings``.

    All callbacks share one monitor, one mode and one :class:`~cbteach.events.EventLog`.

    Args:
        settings: playground settings by control name; missing ones take :data:`DEFAULTS`.
        callbacks: which of :data:`CALLBACKS` to build, in that order.
        folder: where ModelCheckpoint saves.
        write: cbteach's own ModelCheckpoint switch (not a Keras argument): False, for a
            replay, names each file without writing it.

    Example:

    >>> es, = build_callbacks({"es_patience": 3}, ["EarlyStopping"])
    >>> es.patience, es.monitor
    (3, 'val_loss')
    """
    s = {**DEFAULTS, **settings}
    log = EventLog()
    shared = {"monitor": str(s["monitor"]), "mode": str(s["mode"]), "log": log}
    return [
        cb.CLASSES[name](**_ARGUMENTS[name](s, folder, write), **shared)
        for name in check_callbacks(callbacks)
    ]


def check_callbacks(callbacks: Iterable[str], lang: str | None = None) -> tuple[str, ...]:
    """The callback names, checked; a name cbteach does not know raises ValueError.

    Args:
        callbacks: names from :data:`CALLBACKS`.
        lang: the language of the message (default: the one in use).

    Example:

    >>> check_callbacks(["EarlyStopping"])
    ('EarlyStopping',)
    """
    names = tuple(callbacks)
    for name in names:
        if name not in CALLBACKS:
            raise ValueError(
                i18n.t(
                    "widgets.error_unknown_callback", lang, name=name, valid=", ".join(CALLBACKS)
                )
            )
    return names


def check_controls(
    controls: Iterable[str] | None, callbacks: Sequence[str], lang: str | None = None
) -> tuple[str, ...]:
    """The controls to show, in their usual order: all that fit ``callbacks`` by default.

    Args:
        controls: names from :data:`CONTROLS`, or None for all that fit ``callbacks``.
        callbacks: the callbacks the playground holds.
        lang: the language of the message (default: the one in use).

    Raises:
        ValueError: an unknown name, or a control of a callback not in ``callbacks``.

    Example:

    >>> check_controls(["mode", "es_patience"], ["EarlyStopping"])
    ('mode', 'es_patience')
    """
    if controls is None:
        return tuple(k for k, owner in CONTROL_OWNERS.items() if owner in (None, *callbacks))
    if isinstance(controls, str):
        controls = (controls,)
    asked = tuple(controls)
    for name in asked:
        if name not in CONTROL_OWNERS:
            raise ValueError(
                i18n.t("widgets.error_unknown_control", lang, name=name, valid=", ".join(CONTROLS))
            )
        owner = CONTROL_OWNERS[name]
        if owner is not None and owner not in callbacks:
            raise ValueError(
                i18n.t(
                    "widgets.error_control_callback",
                    lang,
                    name=name,
                    callback=owner,
                    callbacks=", ".join(callbacks),
                )
            )
    return tuple(k for k in CONTROLS if k in asked)


def explain_error(exc: BaseException, settings: Mapping[str, object], lang: str | None) -> str:
    """A translated sentence for settings Keras or cbteach refused (never a traceback).

    Args:
        exc: what building or replaying raised.
        settings: the settings that were refused.
        lang: the language of the sentence; None for the one in use.

    Example:

    >>> explain_error(ValueError("boom"), {}, "en")
    'These settings cannot be used: ValueError: boom'
    """
    text = str(exc)
    if isinstance(exc, ValueError) and "automatically determine" in text:
        return i18n.t("widgets.error_auto_mode", lang, monitor=settings.get("monitor"))
    return i18n.t("widgets.error_settings", lang, error=f"{type(exc).__name__}: {text}")


def describe_settings(settings: Mapping[str, object], names: Iterable[str]) -> str:
    """``es_patience=5, mode=auto``: the named settings, for a label (argument names stay).

    Args:
        settings: playground settings by control name.
        names: the settings to name, in order; those not in ``settings`` are left out.

    Example:

    >>> describe_settings({"es_patience": 5, "factor": 0.30}, ["es_patience", "factor"])
    'es_patience=5, factor=0.3'
    """
    parts = []
    for name in names:
        if name in settings:
            value = settings[name]
            parts.append(f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}")
    return ", ".join(parts)


def retrain_label(
    index: int, settings: Mapping[str, object], callbacks: Sequence[str]
) -> Callable[[str], str]:
    """The label of retrain ``index`` in any language: it names the patience it trained with.

    Args:
        index: the retrain's number, from 1.
        settings: the settings it trained with.
        callbacks: the callbacks it trained with; EarlyStopping's patience comes first.

    Returns:
        A function of the language (``"ko"`` or ``"en"``) that gives the label.

    Example:

    >>> retrain_label(2, {"es_patience": 3}, ["EarlyStopping"])("en")
    'retrain 2 (patience 3)'
    """
    if "EarlyStopping" in callbacks:
        patience = settings["es_patience"]
    elif "ReduceLROnPlateau" in callbacks:
        patience = settings["rlr_patience"]
    else:
        return lambda lang: i18n.t("widgets.retrain_label_plain", lang, index=index)
    return lambda lang: i18n.t("widgets.retrain_label", lang, index=index, patience=patience)


# ---------------------------------------------------------------------- the run list
@dataclasses.dataclass
class RunEntry:
    """One run of the list: the run, its label and title in any language, how to read it.

    Args:
        run: the run itself.
        label: its entry in the run list, in a language (``label("ko")``).
        title: its name above the plot, in a language.
        suggested_monitor: the monitor it is best read with (None: keep the one shown).
        trained_with: the settings a real run was trained with (None: a recorded run).

    Example:

    >>> entry = RunEntry.recorded("overfit")
    >>> entry.title("en"), entry.suggested_monitor
    ('overfit', 'val_loss')
    """

    run: Run
    label: Callable[[str], str]
    title: Callable[[str], str]
    suggested_monitor: str | None = None
    trained_with: dict | None = None

    @classmethod
    def recorded(cls, name: str, lang: str | None = None) -> RunEntry:
        """A shipped recorded run, by name; an unknown name raises ValueError in ``lang``."""
        if name not in recorded.names():
            valid = ", ".join(recorded.names())
            raise ValueError(i18n.t("widgets.error_unknown_run", lang, name=name, valid=valid))
        run = recorded.load(name)

        def label(lang: str) -> str:
            return i18n.t(
                "widgets.run_recorded", lang, name=run.name, epochs=run.epochs, model=run.model_name
            )

        return cls(run, label, lambda lang: name, run.suggested_monitor)

    @classmethod
    def given(cls, run: Run, index: int) -> RunEntry:
        """A run the learner passed in, the ``index``-th of the list."""

        def label(lang: str) -> str:
            if run.name:
                return i18n.t("widgets.run_given", lang, name=run.name, epochs=run.epochs)
            return i18n.t("widgets.run_unnamed", lang, index=index)

        name = run.name
        title = (lambda lang: name) if name else label
        return cls(run, label, title, run.suggested_monitor)

    @classmethod
    def retrained(cls, run: Run, index: int, settings: Mapping[str, object], callbacks) -> RunEntry:
        """Retrain ``index``'s run, trained with ``settings`` on ``callbacks``."""
        label = retrain_label(index, settings, callbacks)
        return cls(run, label, label, str(settings["monitor"]), dict(settings))


class RunList:
    """The runs a playground shows, by key, and the runs the learner pinned to compare.

    Args:
        items: names of shipped recorded runs, or :class:`~cbteach.run.Run` objects.
        lang: the language of the error for an unknown name.

    Example:

    >>> runs = RunList(["overfit", "plateau"], lang="en")
    >>> list(runs.runs), runs.monitors("overfit")[:2]
    (['overfit', 'plateau'], ['val_loss', 'val_accuracy'])
    """

    def __init__(self, items: Iterable[str | Run], lang: str | None = None) -> None:
        self.entries: dict[str, RunEntry] = {}
        self.pinned: dict[str, Run] = {}
        self._replayers: dict[str, Replayer] = {}
        for item in items:
            if isinstance(item, Run):
                index = len(self.entries) + 1
                self.entries[f"run-{index}"] = RunEntry.given(item, index)
            else:
                self.entries[str(item)] = RunEntry.recorded(str(item), lang)
        if not self.entries:
            raise ValueError(i18n.t("widgets.error_no_runs", lang))

    @property
    def runs(self) -> dict[str, Run]:
        """Every run of the list by key (pinned runs are apart, in :attr:`pinned`)."""
        return {key: entry.run for key, entry in self.entries.items()}

    def add_retrain(
        self, index: int, run: Run, settings: Mapping[str, object], callbacks, lang: str
    ) -> str:
        """Keep retrain ``index``'s run (named in ``lang``) and return its key."""
        key = f"retrain-{index}"
        entry = RunEntry.retrained(run, index, settings, callbacks)
        run.name = entry.label(lang)
        self.entries[key] = entry
        return key

    def options(self, lang: str) -> list[tuple[str, str]]:
        """(label, key) of every run, for a dropdown."""
        return [(entry.label(lang), key) for key, entry in self.entries.items()]

    def compare_options(self, lang: str) -> list[tuple[str, str]]:
        """The runs, then the pinned runs (named by their own label)."""
        return [*self.options(lang), *((k, k) for k in self.pinned)]

    def label(self, key: str, lang: str) -> str:
        """A run's label, or a pinned run's own."""
        return key if key in self.pinned else self.entries[key].label(lang)

    def title(self, key: str, lang: str) -> str:
        return self.entries[key].title(lang)

    def suggested(self, key: str, default: str) -> str:
        """The monitor run ``key`` is best read with, else ``default``."""
        return self.entries[key].suggested_monitor or default

    def monitors(self, key: str) -> list[str]:
        """The monitors to offer for run ``key``: the usual four, then its other metrics."""
        history = self.entries[key].run.history
        extra = [k for k in history if k not in MONITORS and k != "learning_rate"]
        return [*MONITORS, *extra]

    def view(
        self, key: str, settings: Mapping[str, object], callbacks: Sequence[str], name: str = ""
    ) -> tuple[Run, bool]:
        """What the playground shows for run ``key`` with ``settings``, and whether it is live.

        The real run when it was trained with exactly these settings (True), else a replay
        of it through callbacks built from them (False). Raises what Keras or cbteach raise
        for settings they refuse.
        """
        entry = self.entries[key]
        if entry.trained_with == dict(settings):
            return (dataclasses.replace(entry.run, name=name) if name else entry.run), True
        built = build_callbacks(settings, callbacks, write=False)
        return self._replayer(key).replay(built, name=name), False

    def compare_run(self, key: str, settings: Mapping[str, object], callbacks) -> Run:
        """A pinned run as it was; a listed run as :meth:`view` shows it."""
        if key in self.pinned:
            return self.pinned[key]
        return self.view(key, settings, callbacks)[0]

    def pin(self, key: str, settings: Mapping[str, object], result: Run, lang: str) -> str:
        """Keep ``result`` to compare, labelled by the settings that differ from the usual."""
        usual = {**DEFAULTS, "monitor": self.suggested(key, str(DEFAULTS["monitor"]))}
        changed = [k for k in SETTING_CONTROLS if settings[k] != usual[k]]
        brief = describe_settings(settings, changed) or i18n.t("widgets.defaults", lang)
        label = f"{self.title(key, lang)} · {brief}"
        self.pinned[label] = dataclasses.replace(result, name=label)
        return label

    def training_setup(self, key: str | None, model: str | keras.Model | None = None) -> dict:
        """How Retrain trains: as run ``key`` was trained, unless ``model`` was given.

        A replay of the "overfit" run shows an MLP at learning rate 3e-3 and batch 32; the
        real run that Retrain makes must be trained the same way to be comparable.
        """
        entry = self.entries.get(key) if key is not None else None
        run = entry.run if entry is not None else None
        setup = {
            "model": (run and run.model_name) or "cnn",
            "learning_rate": (run and run.learning_rate) or 1e-3,
            "batch_size": (run and run.batch_size) or 128,
        }
        if model is not None:
            setup["model"] = model
        return setup

    def clear(self) -> None:
        """Drop the replayers (each holds a small Keras model); the runs stay readable."""
        self._replayers.clear()

    def _replayer(self, key: str) -> Replayer:
        """One :class:`~cbteach.replay.Replayer` per run: it remembers each callback's replay."""
        if key not in self._replayers:
            self._replayers[key] = Replayer(self.entries[key].run)
        return self._replayers[key]
