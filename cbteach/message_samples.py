"""Sample values for the review sheet (:mod:`cbteach.messages`).

First, :func:`observed`: the values cbteach's own code passes to the catalog while it replays
the shipped recordings and small curves through real callbacks, judges exercise answers on
them and refuses bad inputs. So a rendered sentence is one a learner can really meet, with
numbers Keras really produced, and a new catalog key that a replay reaches needs no
hand-typed value. Then, for keys no scenario reaches (a live Retrain, a failed download, a
Colab restart), hand-typed values: one per placeholder name (:data:`SAMPLES`), and per key
where a sentence needs another kind of value (:data:`OVERRIDES`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import types
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cbteach import i18n

if TYPE_CHECKING:
    from cbteach.run import Run

__all__ = ["OVERRIDES", "SAMPLES", "observed"]


def _piece(key: str, **values: object) -> Callable[[str], str]:
    """A language-dependent sample: another catalog message, filled in."""
    return lambda lang: i18n.t(key, lang, **values)


#: A realistic value for each placeholder name, as the code passes it (numbers in explain
#: lines are already formatted, as :func:`cbteach.events.Event.explain` formats them).
SAMPLES: dict[str, object] = {
    "accuracy": 0.9312,
    "after": "9.0e-04",
    "available": "accuracy, loss, val_accuracy, val_loss",
    "backend": "tensorflow",
    "baseline": 0.2,
    "batch_size": 32,
    "before": "3.0e-03",
    "best": 7,
    "best_after": "0.2148",
    "best_before": "0.2148",
    "best_epoch": 7,
    "callback": "EarlyStopping",
    "callbacks": "EarlyStopping, ModelCheckpoint",
    "close": "factor",
    "code": "os.getcwd()",
    "cooldown": 2,
    "count": 3,
    "data": _piece("workbook.data_sample"),
    "device": "CPU",
    "env": "CBTEACH_FAST",
    "epoch": 9,
    "epochs": 40,
    "error": "ValueError",
    "es": 20,
    "example": "EarlyStopping(patience=10)",
    "exercise": "05/ex4",
    "expected": "val_loss",
    "factor": 0.1,
    "filepath": "weights.{epoch:02d}-{val_loss:.2f}.hdf5",
    "files": _piece("summary.n_files_many", count=6),
    "fixed": "weights.{epoch:02d}-{val_loss:.2f}.weights.h5",
    "file": "ckpt/weights.07-0.21.weights.h5",
    "floor": "1.0e-05",
    "folder": "/home/me/project",
    "function": "train()",
    "got": "'EarlyStopping'",
    "guess": 7,
    "held": "0.2148",
    "index": 1,
    "keras": "3.15.1",
    "kind": "EarlyStopping",
    "label": "EarlyStopping(patience=5)",
    "last": 4,
    "learner": "learner07",
    "learning_rate": 0.003,
    "limit": 12,
    "line": 17,
    "loss": 0.0812,
    "later": 88,
    "lowest": "3.0e-06",
    "lr": "5.0e-02",
    "lr_after": "5.0e-04",
    "lr_before": "1.0e-03",
    "message": "Unable to synchronously open file (truncated file)",
    "metric": "val_loss",
    "min_lr": "1.0e-05",
    "mode": "auto → min",
    "model": "mlp",
    "monitor": "val_loss",
    "ms": 11,
    "n_test": "500",
    "n_train": "4,000",
    "n_val": "500",
    "name": "fector",
    "names": "learning_rate, seed",
    "need": 2,
    "out": "demo-out",
    "parent": "/home/me",
    "path": "ckpt/weights.07-0.21.weights.h5",
    "patience": 3,
    "placeholder": "{val_acc:.2f}",
    "planned": 100,
    "ratio": 0.3,
    "reason": "URLError: <urlopen error [Errno -3] Temporary failure in name resolution>",
    "recording": "overfit",
    "rest": _piece("summary.n_epochs_one", count=1),
    "restored": 4,
    "resume_epoch": 10,
    "rlr": 10,
    "save_freq": 100,
    "saved": 7,
    "saved_path": "ckpt/weights.07-0.21.weights.h5",
    "schedule": "ExponentialDecay",
    "seconds": 31,
    "setting": "EarlyStopping(patience=2)",
    "size": 0.01,
    "source": "mnist",
    "span": _piece("summary.n_epochs_many", count=20),
    "start": 5,
    "steps": 1719,
    "stopped": 5,
    "total": 100,
    "val_accuracy": 0.9612,
    "val_loss": 0.2264,
    "valid": "cnn, mlp",
    "value": "0.2264",
    "wait": 2,
    "wait_after": 2,
    "weights": "weights.{epoch:02d}-{val_loss:.2f}.weights.h5",
    "where": _piece("summary.at_epochs_many", epochs="17, 20, 23"),
}

_RETRAIN = _piece("widgets.retrain_label", index=1, patience=5)
_FACTOR_REFUSED = _piece("validation.factor_too_big", value=1.5)
_ONE_HOT = {"name": "data.y_train", "value": "shape (4000, 10), dtype float64"}


def _one_hot_refused(lang: str) -> str:
    return "ValueError: " + i18n.t("validation.labels_bad", lang, **_ONE_HOT)


_ONE_HOT_REFUSED = _one_hot_refused

#: Per-key values where a name needs a different kind of value than :data:`SAMPLES` gives.
OVERRIDES: dict[str, dict[str, object]] = {
    "callbacks.unknown_argument": {"callback": "ReduceLROnPlateau"},
    "callbacks.unknown_argument_no_match": {
        "callback": "EarlyStopping",
        "name": "wait",
        "valid": "monitor, min_delta, patience, verbose, mode, baseline, "
        "restore_best_weights, start_from_epoch",
    },
    "callbacks.removed_period": {"callback": "ModelCheckpoint", "name": "period"},
    "callbacks.removed_epsilon": {"callback": "ReduceLROnPlateau", "name": "epsilon"},
    "checkpoints.temporary_file": {"path": "ckpt/.tmp-4711-best.keras"},
    "colab.restart": {"names": "keras 3.10.0 → 3.15.1"},
    "colab.install_failed": {
        "names": "keras>=3.15,<3.16, koreanize-matplotlib>=0.1.1,<0.2",
        "path": "/tmp/cbteach-colab-pip.log",
    },
    "colab.unreachable": {"source": "OWNER/cbteach@v0.1.0"},
    "lessons.missing": {"where": "site-packages/cbteach/lessons"},
    "lessons.bad_lang": {"got": "'kr'", "choices": "ko, en, both"},
    "lessons.kept": {
        "path": "cbteach-lessons/ko/03_early_stopping.ipynb",
        "fresh": "03_early_stopping.fresh.ipynb",
    },
    "lessons.done": {"folder": "cbteach-lessons", "copied": 10, "unchanged": 1, "kept": 1},
    "lessons.answers_done": {"folder": "teacher/answers", "copied": 6, "unchanged": 0, "kept": 0},
    "cli.device": {"name": "CPU"},
    "cli.bad_positive": {"name": "--epochs", "value": 0},
    "cli.recorded": {"epochs": 100, "path": "cbteach/recorded/overfit.json"},
    "cli.epoch_line": {"epoch": 7, "epochs": 50},
    "data.keras": {"n_train": "55,000", "n_val": "5,000", "n_test": "10,000"},
    "data.bad_source": {"source": "'mnist'"},
    "events.mc_saved_batch": {"saved_path": "ckpt/weights.02-b8.weights.h5"},
    "events.event_line_broken": {"path": "demo-out/events.jsonl"},
    "exercises.build_failed": {
        "error": "TypeError",
        "message": _piece(
            "callbacks.unknown_argument", callback="EarlyStopping", name="patienc", close="patience"
        ),
    },
    "exercises.replay_failed": {"message": "mode 'auto' cannot tell the direction of val_auc"},
    "exercises.rlr_cuts_few": {"count": 1, "epochs": "17", "need": 3},
    "exercises.path_glued": {"name": "weights.{epoch:02d}-{val_loss:.2f}.weights.h5"},
    "exercises.trained_not_run": {"got": "History"},
    "exercises.trained_not_data": {"got": "None"},
    "exercises.trained_restored_ok": {"epoch": 7},
    "exercises.trained_model_ok": {"epoch": 7, "value": "0.2148"},
    "exercises.trained_model_wrong": {"value": "0.2431", "best": "0.2148", "epoch": 7},
    "exercises.trained_file_failed": {"name": "weights.07-0.21.keras", "error": "OSError"},
    "exercises.trained_file_ok": {"name": "weights.07-0.21.keras", "epoch": 7},
    "exercises.trained_file_wrong": {
        "name": "weights.27-0.26.keras",
        "epoch": 27,
        "value": "0.2611",
        "held": "0.2148",
    },
    "exercises.trained_eval_failed": {"message": "Input 0 of layer 'dense' is incompatible"},
    "models.unknown": {"name": "'resnet'"},
    "predictions.unknown": {"name": "'stop'", "keys": "es_stop, rlr_second_lr"},
    "predictions.too_low": {"guess": 8, "answer": 10},
    "predictions.too_high": {"guess": 12, "answer": 10},
    "predictions.wrong": {"guess": 8, "answer": 10},
    "predictions.rlr_second_lr_why": {"start": "1.0e-03", "first": "5.0e-04", "answer": "2.5e-04"},
    "predictions.es_stop_why": {"best_epoch": 7, "answer": 10},
    "predictions.hook_epochs_why": {"count": 3, "answer": "[0, 1, 2]"},
    "training.retrainer_fixed": {"names": "learning_rate"},
    "validation.monitor_not_text": {"monitor": "0.2"},
    "validation.val_at_batches": {
        "filepath": "'ckpt/{epoch:02d}-{val_loss:.2f}.keras'",
        "placeholder": "{val_loss:.2f}",
        "fixed": "{loss:.2f}",
    },
    "validation.monitor_at_batches": {"fixed": "loss"},
    "validation.no_separator": {
        "filepath": "'/home/me/projectweights.{epoch:02d}.keras'",
        "name": "projectweights.{epoch:02d}.keras",
        "rest": "weights.{epoch:02d}.keras",
    },
    "validation.min_lr_above_lr": {"min_lr": 0.01, "lr": 0.003, "example": "1e-05"},
    "validation.placeholder_no_validation": {
        "filepath": "'ckpt/{epoch:02d}-{val_loss:.2f}.keras'",
        "placeholder": "{val_loss:.2f}",
        "fixed": "{loss:.2f}",
    },
    "validation.placeholder_unknown": {
        "filepath": "'ckpt/{epoch:02d}-{val_acc:.2f}.keras'",
        "fixed": "{val_accuracy:.2f}",
    },
    "validation.placeholder_unknown_no_match": {
        "filepath": "'ckpt/{epoch:02d}-{auc:.2f}.keras'",
        "placeholder": "{auc:.2f}",
    },
    "validation.path_is_folder": {"filepath": "ckpt", "name": "best.keras"},
    "validation.folder_is_file": {"folder": "notes.txt", "name": "best.keras"},
    "validation.folder_not_writable": {"folder": "/usr/share", "name": "best.keras"},
    "validation.auto_mode": {"monitor": "val_auc"},
    "validation.monitor_no_validation": {"fixed": "loss"},
    "validation.monitor_missing_no_match": {"monitor": "val_auc", "example": "val_loss"},
    "validation.train_fit_only": {"name": "validation_split"},
    "validation.whole_at_least_one": {"name": "epochs", "value": 0, "example": 10},
    "validation.learning_rate_bad": {"value": -0.001},
    "widgets.run_recorded": {"name": "overfit", "epochs": 100},
    "widgets.run_given": {"name": _RETRAIN, "epochs": 27},
    "widgets.retrain_label": {"patience": 5},
    "widgets.status_replayed": {"name": "overfit"},
    "widgets.status_live": {"name": _RETRAIN, "ms": 8},
    "widgets.status_error": {"error": _FACTOR_REFUSED},
    "widgets.status_training": {"epochs": 40},
    "widgets.status_epoch": {"epoch": 3, "epochs": 40},
    "widgets.status_finished": {"epochs": 27, "planned": 40, "folder": "notebook-out/run-3"},
    "widgets.status_finished_replayed": {
        "epochs": 27,
        "planned": 40,
        "folder": "notebook-out/run-3",
    },
    "widgets.status_failed_retry": {"error": _ONE_HOT_REFUSED},
    "widgets.status_draw_failed": {"error": "ValueError: no epochs"},
    "widgets.status_pinned": {"label": "overfit · EarlyStopping(patience=5)"},
    "widgets.status_compared": {"count": 3},
    "widgets.error_auto_mode": {"monitor": "val_acc"},
    "widgets.error_settings": {"error": _FACTOR_REFUSED},
    "widgets.error_unknown_control": {
        "name": "pateince",
        "valid": "run, monitor, mode, es_patience, …",
    },
    "widgets.error_control_callback": {
        "name": "factor",
        "callback": "ReduceLROnPlateau",
        "callbacks": "EarlyStopping",
    },
    "widgets.error_unknown_callback": {
        "name": "EarlyStop",
        "valid": "ModelCheckpoint, ReduceLROnPlateau, EarlyStopping",
    },
    "widgets.error_unknown_run": {"name": "overfitting", "valid": "accuracy, overfit, plateau"},
    "workbook.device_gpu": {"name": "NVIDIA H200"},
    "workbook.device_cpu": {"name": "x86_64"},
    "workbook.plan_fast": {"epochs": 15},
    "workbook.plan_gpu": {"epochs": 30, "data": _piece("workbook.data_auto")},
    "workbook.bad_fast": {"value": "maybe"},
}


# ---------------------------------------------------------------------- observed samples
# The sheet's values come first from what cbteach's own code passes to the catalog while it
# replays the shipped recordings and a few small curves through real callbacks, judges the
# exercises on them, and refuses a few bad inputs. Hand-typed values (SAMPLES, OVERRIDES)
# fill in only the keys no scenario reaches (a live Retrain, a download that failed, ...).


def _attempt(action: Callable[..., object], *args: object, **kwargs: object) -> object:
    """``action(*args, **kwargs)``, or None when it raises: a failed scenario shows nothing."""
    try:
        return action(*args, **kwargs)
    except Exception:  # noqa: BLE001 - the sheet renders what worked
        return None


def _curve(val_loss: Sequence[float], name: str = "curve") -> Run:
    """A recorded run of ``val_loss`` (and a falling ``loss``), to replay like the real ones."""
    from cbteach.events import EventLog
    from cbteach.run import Run

    epochs = len(val_loss)
    history = {
        "loss": [1.0 / (e + 1) for e in range(epochs)],
        "val_loss": [float(v) for v in val_loss],
    }
    return Run(
        history=history, events=EventLog(), name=name, learning_rate=1e-3, planned_epochs=epochs
    )


def _cut(run: Run, epochs: int) -> Run:
    """``run`` as if training had been cancelled after ``epochs`` epochs."""
    history = {k: list(v[:epochs]) for k, v in run.history.items()}
    planned = run.planned_epochs or run.epochs
    return dataclasses.replace(
        run, history=history, lrs=list(run.lrs[:epochs]), planned_epochs=planned
    )


def _live(run: Run) -> Run:
    """A replay summarised as a live run is (same events, no replay caveat)."""
    return dataclasses.replace(run, replay_of=None, caveats=[])


def _replays() -> list[Run]:
    """The runs the sheet reads: each shipped recording and small curves, replayed for real."""
    from cbteach import recorded
    from cbteach.callbacks import EarlyStopping as ES
    from cbteach.callbacks import ModelCheckpoint as MC
    from cbteach.callbacks import ReduceLROnPlateau as RLR
    from cbteach.replay import replay

    overfit, plateau, accuracy = (recorded.load(n) for n in ("overfit", "plateau", "accuracy"))
    named = "ckpt/weights.{epoch:02d}-{val_loss:.2f}.weights.h5"
    rising = [0.5, 0.48, 0.46, 0.45, 0.44, 0.45, 0.43, 0.42]
    scenarios = [
        (overfit, lambda: [ES(patience=3, restore_best_weights=True)]),
        (
            overfit,
            lambda: [
                MC(named, save_best_only=True, save_weights_only=True),
                RLR(factor=0.3, patience=10),
                ES(patience=20, restore_best_weights=True),
            ],
        ),
        (plateau, lambda: [RLR(patience=2, cooldown=2)]),
        (plateau, lambda: [RLR(patience=2, cooldown=1)]),
        (plateau, lambda: [RLR(patience=3, cooldown=20)]),
        (overfit, lambda: [RLR(factor=0.3, patience=2, min_lr=1e-5)]),
        (_curve([0.5, 0.6, 0.7, 0.8, 0.9, 1.0]), lambda: [RLR(patience=1, min_lr=1e-3)]),
        (plateau, lambda: [RLR(patience=100)]),
        (accuracy, lambda: [ES(monitor="val_accuracy", patience=3)]),
        (overfit, lambda: [ES(monitor="val_loss", mode="max", patience=3)]),
        (accuracy, lambda: [ES(monitor="val_accuracy", mode="min", patience=3)]),
        (_curve(rising), lambda: [ES(patience=3, baseline=0.4)]),
        (overfit, lambda: [ES(patience=3, start_from_epoch=5)]),
        (overfit, lambda: [ES(patience=5, restore_best_weights=False)]),
        (plateau, lambda: [ES(patience=100, restore_best_weights=True)]),
        (overfit, lambda: [MC("ckpt/weights.{epoch:02d}-{val_loss:.2f}.keras")]),
        (overfit, lambda: [MC("ckpt/best.keras", save_best_only=True)]),
        (overfit, lambda: [MC("ckpt/best.keras")]),
        (overfit, lambda: [MC("best.keras", save_best_only=True, initial_value_threshold=0.01)]),
        (overfit, lambda: [RLR(factor=0.3, patience=2, cooldown=2)]),
        (_cut(overfit, 8), lambda: [ES(patience=20)]),
        (_cut(overfit, 8), lambda: [RLR(patience=10)]),
        (_curve([float("nan"), 0.4, 0.3, 0.2, 0.1]), lambda: [ES(patience=2)]),
        (_curve([float("nan"), 0.4, 0.3, 0.2, 0.1]), lambda: [RLR(patience=2)]),
        (_curve([float("nan"), 0.4, 0.3]), lambda: [MC("ckpt/best.keras", save_best_only=True)]),
        (_curve([0.5, 0.4, float("nan"), 0.3, float("inf")]), lambda: [ES(patience=2)]),
        (_curve([0.5, float("inf"), 0.3]), lambda: [RLR(patience=1)]),
        (_curve([0.5, float("nan"), 0.3]), lambda: [MC("ckpt/best.keras", save_best_only=True)]),
        (overfit, lambda: [ES(monitor="val_acc", mode="max", patience=3)]),
        (overfit, lambda: [RLR(monitor="val_acc", mode="max", patience=3)]),
        (overfit, lambda: [MC("ckpt/best.keras", monitor="val_acc", mode="max")]),
    ]
    runs = []
    for recording, make in scenarios:
        run = _attempt(lambda r, m: replay(r, m()), recording, make)
        if run is None:  # a scenario the callbacks refuse shows nothing
            continue
        runs.append(run)
        if run.caveats or run.replay_of is not None:
            runs.append(_live(run))
    return runs


def _figures(runs: list[Run], lang: str) -> None:
    """Draw the runs as a learner sees them, so the ``plots`` labels carry their values.

    One Timeline shows each run in turn (its title, legend entries, notes and the file on
    disk), two callbacks whose best-so-far lines part, runs without callbacks (the lowest
    epoch), and the replays that saved files again as a real run has them (timed: the file is
    on disk); each run's decision table; the learning-rate plot; and overfit's EarlyStopping
    replays side by side, unnamed (``run 1``).
    """
    import dataclasses

    from cbteach import recorded
    from cbteach.callbacks import EarlyStopping as ES
    from cbteach.callbacks import ModelCheckpoint as MC
    from cbteach.plots import plot_compare, plot_lr
    from cbteach.replay import replay
    from cbteach.timeline import Timeline

    overfit = recorded.load("overfit")
    disagree = [MC("ckpt/best.keras", save_best_only=True), ES(patience=3, min_delta=0.02)]
    drawn = [*runs, _attempt(replay, overfit, disagree), overfit, _curve([0.5, 0.4], name="")]
    trained = [  # the same replays as a real run would have them: timed, files written
        dataclasses.replace(run, epoch_times=[1.0] * run.epochs) for run in runs if run.saves
    ]
    timeline = Timeline(lang=lang)
    for run in [*drawn, *trained]:
        if run is not None:
            _attempt(timeline.update, run)
            _attempt(run.events.explain_table, lang)
    _attempt(plot_lr, runs[0] if runs else None, lang)
    compared = [_attempt(replay, overfit, [ES(patience=p)]) for p in (3, 200)]
    compared = [dataclasses.replace(run, name="") for run in compared if run is not None]
    _attempt(plot_compare, [*compared, *runs[1:2]], lang=lang)


def _exercises(lang: str) -> None:
    """Judge right and wrong answers to the exercises, so their lines carry real values."""
    import keras

    from cbteach import exercises as ex
    from cbteach.callbacks import EarlyStopping as ES
    from cbteach.callbacks import ModelCheckpoint as MC
    from cbteach.callbacks import ReduceLROnPlateau as RLR

    named = "checkpoints/{epoch:02d}-{val_accuracy:.3f}.weights.h5"
    notes = "/home/me/project/weights.{epoch:02d}-{val_loss:.2f}.weights.h5"
    glued = "/home/me/projectweights.{epoch:02d}-{val_loss:.2f}.weights.h5"
    answers = [
        (ex.check_early_stopping, lambda: ES(patience=3, restore_best_weights=True)),
        (ex.check_early_stopping, lambda: ES(patience=20)),
        (ex.check_early_stopping, lambda: ES(patience=200)),
        (ex.check_early_stopping, lambda: ES(patience=5, restore_best_weights=True)),
        (ex.check_early_stopping, lambda: ES(monitor="loss", patience=3)),
        (ex.check_early_stopping, lambda: ES(monitor="val_acc", mode="max")),
        (ex.check_early_stopping, lambda: [ES(), ES()]),
        (ex.check_early_stopping, ES),
        (ex.check_early_stopping, lambda: ES(patience=1, restore_best_weights=True)),
        (ex.check_early_stopping, lambda: 10),
        (ex.check_early_stopping, lambda: RLR()),
        (ex.check_lr_plateau, lambda: RLR(factor=0.2, patience=2, min_lr=1e-5)),
        (ex.check_lr_plateau, lambda: RLR(patience=10)),
        (ex.check_lr_plateau, lambda: RLR(patience=100)),
        (ex.check_lr_plateau, lambda: RLR(factor=0.2, patience=20)),
        (ex.check_lr_plateau, lambda: RLR(factor=0.2, patience=2)),
        (ex.check_lr_plateau, lambda: RLR(monitor="val_loss", mode="max", patience=2)),
        (
            ex.check_checkpoint,
            lambda: MC(named, monitor="val_accuracy", save_best_only=True, save_weights_only=True),
        ),
        (ex.check_checkpoint, lambda: MC("best.weights.h5", save_weights_only=True)),
        (ex.check_checkpoint, lambda: MC(named, monitor="val_accuracy", mode="min")),
        (ex.check_checkpoint, lambda: MC("checkpoints/{epoch:02d}-{val_acc:.2f}.keras")),
        (
            ex.check_combined,
            lambda: [
                keras.callbacks.ModelCheckpoint(notes, save_best_only=True, save_weights_only=True),
                keras.callbacks.ReduceLROnPlateau(factor=0.3, patience=10),
                keras.callbacks.EarlyStopping(patience=20, restore_best_weights=True),
            ],
        ),
        (
            ex.check_combined,
            lambda: [
                keras.callbacks.ModelCheckpoint(glued, save_weights_only=True),
                keras.callbacks.ReduceLROnPlateau(fector=0.3, patienc=10),
                keras.callbacks.EarlyStopping(patience=10),
            ],
        ),
        (
            ex.check_combined,
            lambda: [
                keras.callbacks.ModelCheckpoint(notes, save_weights_only=True),
                keras.callbacks.ReduceLROnPlateau(factor=0.3, patience=200),
                keras.callbacks.EarlyStopping(patience=20, restore_best_weights=True),
            ],
        ),
    ]
    answers += [(ex.check_team, team) for team in _teams()]
    for check, answer in answers:
        _attempt(check, answer, lang=lang)
    for guesses in ((5, 5, 9), (4, 6, 9), (5, 5, "nine"), (5, 5)):
        _attempt(ex.check_prediction, *guesses, lang=lang)


def _teams() -> list:
    """Exercise 4's colleague's callbacks, from the starter to the repair, one fix at a time."""
    import keras

    k = keras.callbacks

    def team(mc="val_accuracy", min_lr=1e-2, es=5, restore=False, rlr=10, best_only=True):
        return lambda: [
            k.ModelCheckpoint(
                "checkpoints/{epoch:02d}.weights.h5",
                monitor=mc,
                save_best_only=best_only,
                save_weights_only=True,
            ),
            k.ReduceLROnPlateau(factor=0.3, patience=rlr, min_lr=min_lr),
            k.EarlyStopping(patience=es, restore_best_weights=restore),
        ]

    repaired = {"mc": "val_loss", "min_lr": 1e-5, "es": 20, "restore": True}
    return [
        team(),
        team(min_lr=1e-5),
        team(min_lr=1e-5, es=10),
        team(min_lr=1e-5, es=20),
        team(min_lr=1e-5, es=20, restore=True),
        team(min_lr=1e-5, es=12, restore=True),
        team(**repaired),
        team(**{**repaired, "best_only": False}),
        team(**{**repaired, "es": 200}),
        team(**{**repaired, "rlr": 200}),
    ]


def _refusals() -> None:
    """Bad inputs that cbteach refuses with a catalog sentence, in the language in use."""
    import numpy as np

    from cbteach import checkpoints, data
    from cbteach.callbacks import EarlyStopping as ES
    from cbteach.callbacks import ModelCheckpoint as MC
    from cbteach.callbacks import ReduceLROnPlateau as RLR

    one_hot = np.eye(10)[np.arange(4000) % 10]
    named = "ckpt/{epoch:02d}-{val_loss:.2f}.keras"
    refused = [
        lambda: RLR(mode="minimum"),
        lambda: RLR(mode="maximum_value"),
        lambda: ES(monitor=0.2),
        lambda: ES(patience=2.5),
        lambda: ES(patience=-1),
        lambda: ES(min_delta=-0.01),
        lambda: RLR(factor=1.5),
        lambda: RLR(factor=0),
        lambda: RLR(min_lr=-1e-5),
        lambda: RLR(factor="0.3"),
        lambda: MC(None),
        lambda: MC("weights.{epoch:02d.keras"),
        lambda: MC("weights.{}.keras"),
        lambda: MC("best.keras", save_freq="batch"),
        lambda: MC("ckpt/{epoch:02d}-{batch}.keras"),
        lambda: MC(named, save_freq=100),
        lambda: MC("ckpt/{epoch:02d}-{batch}.keras", save_best_only=True, save_freq=100),
        lambda: MC("best.h5"),
        lambda: MC("weights.{val_loss:02d}.keras"),
        lambda: MC("weights.{epoch:02d}-{val_loss:.2f}.hdf5"),
        lambda: MC("weights.{epoch:02d}-{val_loss:.2f}.hdf5 =", save_weights_only=True),
        lambda: checkpoints.load("ckpt/weights.07-0.21.hdf5"),
        lambda: data.check_labels(
            types.SimpleNamespace(y_train=one_hot, y_val=np.arange(500) % 10)
        ),
    ]
    for refuse in refused:
        _attempt(refuse)  # the refusal is the point


@functools.cache
def observed(lang: str) -> dict[str, dict[str, object]]:
    """The values cbteach's code really fills each catalog key with, in ``lang``.

    Each key gets the values of the first time a scenario (a replay of a shipped
    recording or of a small curve through real callbacks, an exercise judged on one, a bad
    input refused) printed it; an explain line's values also hold ``__head__``, the values of
    the head printed before it. Keys that no scenario prints are absent.

    Args:
        lang: ``"ko"`` or ``"en"``.

    Example:

    >>> observed("en")["events.es_stopped"]["wait_after"]
    3
    """
    from cbteach import outcome, summary

    lang = i18n.resolve(lang)
    seen: dict[str, dict[str, object]] = {}
    head: dict[str, object] = {}
    original = i18n.t

    def spy(key: str, lang_: str | None = None, **values: object) -> str:
        nonlocal head
        text = original(key, lang_, **values)
        if key == "events.head":
            head = dict(values)
        elif key not in seen:
            seen[key] = {**values, "__head__": dict(head)} if key.startswith("events.") else values
        return text

    previous = i18n._current
    i18n.t = spy
    try:
        i18n.set_language(lang)
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runs = _replays()
            for run in runs:
                for event in run.events:
                    _attempt(event.explain, lang)
                _attempt(summary.summarize, run, lang)
                _attempt(outcome.why_it_stopped, run, lang)
                _attempt(outcome.why_it_stopped, run, lang, running=True)
            _attempt(summary.summarize, _curve([0.5, 0.4]), lang, test_accuracy=0.9712)
            _figures(runs, lang)
            _exercises(lang)
            _refusals()
    finally:
        i18n.t = original
        i18n._current = previous
    return seen
