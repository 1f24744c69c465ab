"""The workshop exercises: checks that judge a learner's answer on real Keras.

Each ``check_*`` takes what the learner built and returns a :class:`Check`: ``ok`` and the
✓/✗ lines to read, in the learner's language. :func:`check_combined` judges the learner's fix
of the notes' example in lesson 04; the others are lesson 05's exercises. The callback checks
replay a shipped recorded run (:func:`cbteach.recorded.load`) through *fresh copies* of the
learner's callbacks, built with the same settings (:func:`cbteach.callbacks.copy_of`), so the
answer is judged by Keras itself and the learner's own objects are left untouched (a
ModelCheckpoint never forgets its best value between two ``fit`` calls, so a checked one must
not carry the replay's best into real training).

A check never raises at the learner: a wrong type, a callback Keras refuses to build, a
monitor that is not in the logs, each becomes a ✗ line that says what to write instead.
Each exercise is one section below, its constants at its head.

>>> from cbteach import EarlyStopping, exercises
>>> exercises.check_early_stopping(EarlyStopping(patience=3, restore_best_weights=True)).ok
True
"""

from __future__ import annotations

import math
import os
import warnings

import keras
import numpy as np

from cbteach import checkpoints, i18n, progress
from cbteach.callbacks import EarlyStopping, copy_of, kind_of, settings_of
from cbteach.filepaths import glued_folder
from cbteach.judging import (  # noqa: F401 - PASS, FAIL: read by tests and lessons
    EXAMPLES,
    FAIL,
    PASS,
    Check,
    Report,
    build,
    check_direction,
    check_monitor,
    code,
    error_values,
    first_best,
    got,
    is_number,
    load_recording,
    only_one,
    replay_one,
    replay_recording,
    t,
    whole_number,
)
from cbteach.replay import replay
from cbteach.run import Run

__all__ = [
    "Check",
    "check_checkpoint",
    "check_combined",
    "check_early_stopping",
    "check_lr_plateau",
    "check_prediction",
    "check_team",
    "check_trained",
]

settings = settings_of  # its older name here, which tests/test_exercises.py reads


# ----------------------------------------------------------------------------- exercise 1

ES_RECORDING = "overfit"
ES_STOP_BEFORE = 12


@progress.recorded(lesson="05", exercise="ex1")
def check_early_stopping(built, lang: str | None = None) -> Check:
    """Exercise 1: an EarlyStopping that stops before epoch 12 on ``overfit`` and keeps the best.

    Passes when, replayed on the ``overfit`` recording, it watches ``val_loss`` as a loss,
    stops before epoch 12, and restores the weights of epoch 7, the lowest ``val_loss`` of the
    whole recording.

    Args:
        built: an EarlyStopping (cbteach's or Keras'), a list holding one, or a function
            that returns either.
        lang: the language of the lines, ``"ko"`` or ``"en"``. Defaults to the one in use.

    Example:

    >>> check_early_stopping(EarlyStopping(patience=3, restore_best_weights=True)).ok
    True
    """
    report = Report(lang)
    judged = replay_one(built, "EarlyStopping", ES_RECORDING, report)
    if judged is None:
        return report.done()
    es, run = judged
    _stops_before(run, ES_STOP_BEFORE, report)
    if _restores(es, run, report):
        curve = load_recording(ES_RECORDING).history["val_loss"]
        best = first_best(curve)
        if run.restored_epoch == best:
            report.good("es_best_ok", epoch=best, value=f"{curve[best - 1]:.4f}")
        else:
            stopped = run.stopped_epoch or run.epochs
            report.bad("es_best_wrong", restored=run.restored_epoch, best=best, stopped=stopped)
    return report.done()


def _stops_before(run, limit: int, report: Report) -> bool:
    if run.stopped_epoch is None:
        return report.bad("es_never_stops", epochs=run.epochs, limit=limit)
    if run.stopped_epoch < limit:
        return report.good("es_stop_ok", epoch=run.stopped_epoch, limit=limit)
    return report.bad("es_stop_late", epoch=run.stopped_epoch, limit=limit)


def _restores(es, run, report: Report) -> bool:
    if es.restore_best_weights and run.restored_epoch is not None:
        return report.good("es_restore_ok")
    return report.bad("es_restore_missing", epoch=run.epochs)


# ----------------------------------------------------------------------------- exercise 2

RLR_RECORDING = "plateau"
RLR_MIN_CUTS = 2
RLR_FLOOR = 1e-5


@progress.recorded(lesson="05", exercise="ex2")
def check_lr_plateau(built, lang: str | None = None) -> Check:
    """Exercise 2: a ReduceLROnPlateau that cuts at least twice on ``plateau``, never below 1e-5.

    Replayed on the 60 epochs of the ``plateau`` recording it must watch ``val_loss`` as a
    loss, cut the learning rate at least twice, and never take it below 1e-5 (the learning
    rate after the last cut counts too).

    Args:
        built: a ReduceLROnPlateau (cbteach's or Keras'), a list holding one, or a function
            that returns either.
        lang: the language of the lines, ``"ko"`` or ``"en"``. Defaults to the one in use.

    Example:

    >>> from cbteach import ReduceLROnPlateau
    >>> check_lr_plateau(ReduceLROnPlateau(factor=0.1, patience=3, min_lr=1e-5)).ok
    True
    """
    report = Report(lang)
    judged = replay_one(built, "ReduceLROnPlateau", RLR_RECORDING, report)
    if judged is None:
        return report.done()
    _, run = judged
    cuts = run.lr_cuts
    epochs = i18n.epoch_ranges([e.epoch for e in cuts])
    if len(cuts) >= RLR_MIN_CUTS:
        report.good("rlr_cuts_ok", count=len(cuts), epochs=epochs)
    elif not cuts:
        report.bad("rlr_cuts_none", need=RLR_MIN_CUTS, total=run.epochs)
    else:
        report.bad(
            "rlr_cuts_few", count=len(cuts), epochs=epochs, need=RLR_MIN_CUTS, total=run.epochs
        )
    floor = i18n.lr(RLR_FLOOR)
    trace = [(1, run.lrs[0])] + [(e.epoch, e.lr_after) for e in cuts]
    epoch, lowest = min(trace, key=lambda pair: pair[1])
    # the optimizer keeps float32: 1e-5 comes back as 9.9999997e-06
    if lowest >= RLR_FLOOR * (1 - 1e-6):
        report.good("rlr_floor_ok", floor=floor, lowest=i18n.lr(lowest))
    else:
        report.bad("rlr_floor_broken", floor=floor, lowest=i18n.lr(lowest), epoch=epoch)
    return report.done()


# ----------------------------------------------------------------------------- exercise 3

MC_RECORDING = "accuracy"
MC_MONITOR = "val_accuracy"


@progress.recorded(lesson="05", exercise="ex3")
def check_checkpoint(built, lang: str | None = None) -> Check:
    """Exercise 3: weights only, one file per improvement of ``val_accuracy``, epoch in the name.

    Replayed on the ``accuracy`` recording it must save exactly at the epochs where
    ``val_accuracy`` reaches a new best, each save to its own file.

    Args:
        built: a ModelCheckpoint or a function that returns one (so that a file name Keras
            refuses becomes a ✗ line).
        lang: the language of the lines, ``"ko"`` or ``"en"``. Defaults to the one in use.

    Example:

    >>> from cbteach import ModelCheckpoint
    >>> check_checkpoint(lambda: ModelCheckpoint(
    ...     "ckpt/{epoch:02d}.weights.h5", monitor="val_accuracy",
    ...     save_best_only=True, save_weights_only=True)).ok
    True
    """
    report = Report(lang)
    callbacks = build(built, report, EXAMPLES["ModelCheckpoint"])
    mc = only_one(callbacks, "ModelCheckpoint", report) if callbacks is not None else None
    if mc is None:
        return report.done()
    _weights_only(mc, report)
    _epoch_in_name(mc, report)
    check_monitor(mc, MC_MONITOR, report)
    _best_only(mc, report)
    replayed = replay_recording(MC_RECORDING, [mc], report)
    if replayed is None:
        return report.done()
    run, (copy,) = replayed
    check_direction(copy, MC_MONITOR, "max", report)
    saved = [e.epoch for e in run.saves]
    expected = _improvements(load_recording(MC_RECORDING).history[MC_MONITOR])
    if saved == expected:
        report.good(
            "mc_saves_ok", count=len(saved), monitor=MC_MONITOR, epochs=i18n.epoch_ranges(saved)
        )
    else:
        report.bad(
            "mc_saves_wrong",
            saved=i18n.epoch_ranges(saved),
            monitor=MC_MONITOR,
            expected=i18n.epoch_ranges(expected),
        )
    _distinct(run, report)
    return report.done()


def _epoch_in_name(mc, report: Report) -> bool:
    if "{epoch" not in mc.filepath:
        return report.bad("mc_epoch_missing", path=code(mc.filepath))
    example = mc.filepath
    try:
        logs = {k: v[7 - 1] for k, v in load_recording(MC_RECORDING).history.items()}
        example = mc.filepath.format(epoch=7, **logs)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        pass  # the name stays as written: the replay says what is wrong with it
    return report.good("mc_epoch_ok", example=code(example))


def _improvements(values) -> list[int]:
    """The 1-based epochs where a curve reaches a new highest value, the first included."""
    epochs, best = [], None
    for epoch, value in enumerate(values, 1):
        if best is None or value > best:
            best = value
            epochs.append(epoch)
    return epochs


def _weights_only(mc, report: Report) -> bool:
    if mc.save_weights_only and mc.filepath.endswith(".weights.h5"):
        return report.good("mc_weights_ok")
    return report.bad("mc_weights_wrong")


def _best_only(mc, report: Report) -> bool:
    if mc.save_best_only:
        return report.good("mc_best_only_ok", monitor=code(mc.monitor))
    return report.bad("mc_best_only_wrong", monitor=code(mc.monitor))


def _distinct(run, report: Report) -> bool:
    names = {e.saved_path for e in run.saves}
    if len(names) == len(run.saves):
        return report.good("mc_distinct_ok", count=len(names))
    return report.bad("mc_overwrite", count=len(run.saves), names=len(names))


# ----------------------------------------------------------------------------- lesson 04

COMBINED_RECORDING = "overfit"
NOTES_FACTOR = 0.3
NOTES_RLR_PATIENCE = 10
NOTES_ES_PATIENCE = 20


@progress.recorded(lesson="04", exercise="fix_notes")
def check_combined(built, lang: str | None = None) -> Check:
    """Lesson 04: the notes' three callbacks, fixed by the learner, doing what the notes meant.

    Keras' own classes are welcome: the check reads what Keras really kept, so a misspelled
    keyword that Keras swallowed shows up. The notes meant: weights-only checkpoints of the
    best ``val_loss``, the learning rate times 0.3 after 10 epochs without improvement, a stop
    after 20, and (added here) the best weights restored. Replayed on ``overfit``, the last
    checkpoint and the restored weights must be one epoch.

    Args:
        built: a function that returns ``[ModelCheckpoint, ReduceLROnPlateau,
            EarlyStopping]``, or that list.
        lang: the language of the lines, ``"ko"`` or ``"en"``. Defaults to the one in use.

    Example:

    >>> check_combined(notes_solution).ok  # doctest: +SKIP
    True
    """
    report = Report(lang)
    callbacks = build(built, report, "[mcp_cb, rlr_cb, elr_cb]")
    if callbacks is None:
        return report.done()
    mc = only_one(callbacks, "ModelCheckpoint", report)
    rlr = only_one(callbacks, "ReduceLROnPlateau", report)
    es = only_one(callbacks, "EarlyStopping", report)
    if mc is None or rlr is None or es is None:
        return report.done()
    _notes_settings(mc, rlr, es, report)
    replayed = replay_recording(COMBINED_RECORDING, [mc, rlr, es], report)
    if replayed is None:
        return report.done()
    run, copies = replayed
    for copy in copies:
        check_direction(copy, "val_loss", "min", report, quiet=True)
    restored = _restores(es, run, report)
    _first_cut(run, report)
    if restored:
        last_save = run.saves[-1].epoch if run.saves else None
        values = {"stopped": run.stopped_epoch or run.epochs, "restored": run.restored_epoch}
        if last_save == run.restored_epoch:
            report.good("agree_ok", saved=last_save, **values)
        else:
            report.bad("agree_wrong", saved=last_save or "—", **values)
    return report.done()


def _notes_settings(mc, rlr, es, report: Report) -> None:
    """The lines on what each of the three keeps, before any replay."""
    check_monitor(mc, "val_loss", report)
    _weights_only(mc, report)
    _best_only(mc, report)
    _path(mc.filepath, report)
    check_monitor(rlr, "val_loss", report)
    if is_number(rlr.factor) and math.isclose(rlr.factor, NOTES_FACTOR):
        report.good("factor_ok", factor=f"{rlr.factor:g}")
    else:
        factor = f"{rlr.factor:g}" if is_number(rlr.factor) else code(rlr.factor)
        report.bad("factor_wrong", factor=factor, expected=f"{NOTES_FACTOR:g}")
    _notes_patience(rlr, NOTES_RLR_PATIENCE, report)
    check_monitor(es, "val_loss", report)
    _notes_patience(es, NOTES_ES_PATIENCE, report)
    if is_number(es.patience) and is_number(rlr.patience) and es.patience > rlr.patience:
        report.good("order_ok", es=es.patience, rlr=rlr.patience)
    else:
        report.bad("order_wrong", es=code(es.patience), rlr=code(rlr.patience))


def _notes_patience(callback, expected: int, report: Report) -> bool:
    values = {"callback": kind_of(callback), "patience": code(callback.patience)}
    if callback.patience == expected:
        return report.good("patience_ok", **values)
    return report.bad("patience_wrong", expected=expected, **values)


def _path(filepath: str, report: Report) -> bool:
    """The notes' ``os.getcwd() + 'weights...'``: a folder glued to a name, no separator."""
    glued = glued_folder(filepath, home=False)
    if glued is None:
        return report.good("path_ok", path=code(filepath))
    folder = glued[0]
    name = filepath[len(folder) :]
    return report.bad("path_glued", folder=code(os.path.basename(folder)), name=code(name))


def _first_cut(run, report: Report) -> bool:
    if not run.lr_cuts:
        return report.bad("cut_none", epochs=run.epochs)
    first = run.lr_cuts[0]
    ratio = first.lr_after / first.lr_before
    values = {
        "epoch": first.epoch,
        "before": i18n.lr(first.lr_before),
        "after": i18n.lr(first.lr_after),
    }
    if math.isclose(ratio, NOTES_FACTOR, rel_tol=1e-4):
        return report.good("cut_ok", ratio=f"{NOTES_FACTOR:g}", **values)
    return report.bad("cut_wrong", ratio=f"{ratio:.3g}", expected=f"{NOTES_FACTOR:g}", **values)


# ----------------------------------------------------------------------------- exercise 4

TEAM_RECORDING = "overfit"


@progress.recorded(lesson="05", exercise="ex4")
def check_team(built, lang: str | None = None) -> Check:
    """Exercise 4: a colleague's three callbacks, repaired so that they work as a team.

    Fresh quiet copies are replayed on ``overfit`` and judged by what Keras did, one point
    after another; the check stops at the first point that fails, so the learner meets the
    mistakes one at a time, as in a real debugging session:

    1. ReduceLROnPlateau and EarlyStopping watch ``val_loss`` as a loss;
    2. ``min_lr`` is below the recording's starting learning rate (else Keras never cuts);
    3. the learning rate is cut before training stops, and at least one epoch trains at the
       lower rate (EarlyStopping's patience larger than ReduceLROnPlateau's);
    4. training stops within the recording, and the weights of the lowest ``val_loss`` are
       restored;
    5. the newest checkpoint file holds that same epoch, ModelCheckpoint watching what
       EarlyStopping watches.

    Args:
        built: a function that returns ``[ModelCheckpoint, ReduceLROnPlateau,
            EarlyStopping]`` (cbteach's or Keras' classes), or that list.
        lang: the language of the lines, ``"ko"`` or ``"en"``. Defaults to the one in use.

    Example:

    >>> from cbteach import ModelCheckpoint, ReduceLROnPlateau
    >>> check_team(lambda: [
    ...     ModelCheckpoint("ckpt/{epoch:02d}.weights.h5", save_best_only=True,
    ...                     save_weights_only=True),
    ...     ReduceLROnPlateau(factor=0.3, patience=10, min_lr=1e-5),
    ...     EarlyStopping(patience=20, restore_best_weights=True)]).ok
    True
    """
    report = Report(lang)
    callbacks = build(built, report, "[checkpoint, reduce_lr, early_stop]")
    if callbacks is None:
        return report.done()
    team = [only_one(callbacks, kind, report) for kind in KINDS]
    if None in team:
        return report.done()
    mc, rlr, es = team
    if not (check_monitor(rlr, "val_loss", report) and check_monitor(es, "val_loss", report)):
        return report.done()
    if not _min_lr_below_start(rlr, report):
        return report.done()
    replayed = replay_recording(TEAM_RECORDING, [mc, rlr, es], report)
    if replayed is None:
        return report.done()
    run, copies = replayed
    directions = [check_direction(c, "val_loss", "min", report, quiet=True) for c in copies[1:]]
    if not all(directions):
        return report.done()
    if not _cut_then_trained(run, rlr, es, report):
        return report.done()
    if not _restores_the_best(es, run, report):
        return report.done()
    _file_is_the_model(mc, es, run, report)
    return report.done()


KINDS = ("ModelCheckpoint", "ReduceLROnPlateau", "EarlyStopping")


def _min_lr_below_start(rlr, report: Report) -> bool:
    """Keras cuts only while the LR is above ``min_lr`` (compared in float32, as Keras does)."""
    start = load_recording(TEAM_RECORDING).lrs[0]
    values = {"start": i18n.lr(start)}
    if not is_number(rlr.min_lr):
        return report.bad("team_min_lr_high", min_lr=code(rlr.min_lr), **values)
    if np.float32(start) > np.float32(rlr.min_lr):
        return report.good("team_min_lr_ok", min_lr=f"{rlr.min_lr:g}", **values)
    return report.bad("team_min_lr_high", min_lr=f"{rlr.min_lr:g}", **values)


def _cut_then_trained(run, rlr, es, report: Report) -> bool:
    patiences = {"es": code(es.patience), "rlr": code(rlr.patience)}
    if run.stopped_epoch is None:
        return report.bad("team_never_stops", epochs=run.epochs)
    if not run.lr_cuts:
        alone = _first_cut_alone(rlr)
        if alone is None:
            return report.bad("team_never_cuts", rlr=patiences["rlr"])
        return report.bad("team_stops_first", stopped=run.stopped_epoch, cut=alone, **patiences)
    cut = run.lr_cuts[0]
    if cut.epoch >= run.stopped_epoch:
        return report.bad("team_cut_at_stop", epoch=cut.epoch, **patiences)
    return report.good(
        "team_cut_ok",
        epoch=cut.epoch,
        before=i18n.lr(cut.lr_before),
        after=i18n.lr(cut.lr_after),
        stopped=run.stopped_epoch,
        trained=run.stopped_epoch - cut.epoch,
    )


def _first_cut_alone(rlr) -> int | None:
    """Where ReduceLROnPlateau alone would first cut on the recording, or None."""
    copy = copy_of(rlr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cuts = replay(load_recording(TEAM_RECORDING), [copy]).lr_cuts
    return cuts[0].epoch if cuts else None


def _restores_the_best(es, run, report: Report) -> bool:
    if not (es.restore_best_weights and run.restored_epoch is not None):
        return report.bad("es_restore_missing", epoch=run.epochs)
    best = first_best(load_recording(TEAM_RECORDING).history["val_loss"])
    if run.restored_epoch == best:
        return report.good("team_restored_ok", epoch=best)
    return report.bad("team_restored_wrong", restored=run.restored_epoch, best=best)


def _file_is_the_model(mc, es, run, report: Report) -> bool:
    saved = run.saves[-1].epoch if run.saves else "—"
    values = {"saved": saved, "restored": run.restored_epoch}
    if mc.monitor != es.monitor:
        key = (
            "team_monitors_differ_lucky" if saved == run.restored_epoch else "team_monitors_differ"
        )
        return report.bad(key, mc=code(mc.monitor), es=code(es.monitor), **values)
    if saved == run.restored_epoch:
        return report.good("team_file_ok", **values)
    return report.bad("team_file_differs", **values)


# ----------------------------------------------------------------------------- a retired exercise

# where EarlyStopping(patience=p) stops on ES_RECORDING (`overfit`), as in exercise 1
PREDICTION_PATIENCES = (0, 1, 2)


@progress.recorded(lesson="05", exercise="predict_patience")
def check_prediction(*guesses, lang: str | None = None) -> Check:
    """Predict where EarlyStopping(patience=0), (1) and (2) stop on ``overfit``.

    Once lesson 05's exercise 5; lesson 03 now asks where patience stops as a prediction
    (:mod:`cbteach.predictions`), so no notebook calls this check any more.

    Each guess is compared with a replay of the real EarlyStopping; a wrong guess is told
    "too early" or "too late", not the answer.

    Args:
        *guesses: three epoch numbers (or one list of them), in the order of
            :data:`PREDICTION_PATIENCES`; ``7``, ``7.0`` and ``"7"`` are all epoch 7.
        lang: the language of the lines, ``"ko"`` or ``"en"``. Defaults to the one in use.

    Example:

    >>> check_prediction(1, 2, 3).ok
    False
    """
    report = Report(lang)
    if len(guesses) == 1 and isinstance(guesses[0], (list, tuple)):
        guesses = tuple(guesses[0])
    if len(guesses) != len(PREDICTION_PATIENCES):
        report.bad("predict_count", need=len(PREDICTION_PATIENCES), got=len(guesses))
        return report.done()
    wrong = False
    for patience, guess in zip(PREDICTION_PATIENCES, guesses):
        setting = f"EarlyStopping(patience={patience})"
        epoch = whole_number(guess)
        if epoch is None:
            report.bad("predict_bad_type", setting=setting, got=got(guess))
            continue
        actual = _stop_epoch(patience)
        if epoch == actual:
            report.good("predict_ok", setting=setting, epoch=actual)
        else:
            wrong = True
            key = "predict_early" if epoch < actual else "predict_late"
            report.bad(key, setting=setting, guess=epoch)
    if wrong:
        report.lines.append(f"  {t('predict_hint', report.lang)}")
    return report.done()


def _stop_epoch(patience: int) -> int | None:
    es = EarlyStopping(monitor="val_loss", patience=patience)
    return replay(load_recording(ES_RECORDING), [es]).stopped_epoch


# ----------------------------------------------------------------------------- exercise 5


@progress.recorded(lesson="05", exercise="ex5")
def check_trained(run, data, lang: str | None = None) -> Check:
    """Exercise 5: after real training, is the model you hold really the best epoch's model?

    Passes when EarlyStopping restored the epoch with the lowest ``val_loss`` of this run,
    the model in memory scores that ``val_loss`` again on the validation data, and the last
    checkpoint file, loaded back (:func:`cbteach.checkpoints.load`), scores the same.

    Args:
        run: what :func:`cbteach.training.train` returned.
        data: the MnistData it was trained on (its ``x_val`` and ``y_val`` are used).
        lang: the language of the lines, ``"ko"`` or ``"en"``. Defaults to the one in use.

    Example:

    >>> check_trained(train(model, data, callbacks=answer()), data).ok  # doctest: +SKIP
    True
    """
    report = Report(lang)
    x_val, y_val = getattr(data, "x_val", None), getattr(data, "y_val", None)
    if not isinstance(run, Run):
        report.bad("trained_not_run", got=got(run))
    elif x_val is None or y_val is None:
        report.bad("trained_not_data", got=got(data))
    elif run.model is None:
        report.bad("trained_no_model")
    elif not run.history.get("val_loss"):
        report.bad("missing_monitor_run", monitor="val_loss")
    else:
        _trained(run, run.history["val_loss"], x_val, y_val, report)
    return report.done()


def _trained(run, curve: list, x_val, y_val, report: Report) -> None:
    best = first_best(curve)
    best_value = curve[best - 1]
    if run.restored_epoch is None:
        report.bad("trained_no_restore")
    elif run.restored_epoch == best:
        report.good("trained_restored_ok", epoch=best)
    else:
        report.bad("trained_restored_wrong", restored=run.restored_epoch, best=best)
    try:
        held = _val_loss(run.model, x_val, y_val)
    except Exception as error:  # noqa: BLE001 - wrong data or model: a line, not a traceback
        report.bad("trained_eval_failed", **error_values(error))
        return
    if math.isclose(held, best_value, rel_tol=1e-3, abs_tol=1e-5):
        report.good("trained_model_ok", value=f"{held:.4f}", epoch=best)
    else:
        report.bad("trained_model_wrong", value=f"{held:.4f}", best=f"{best_value:.4f}", epoch=best)
    _checkpoint_file(run, held, x_val, y_val, report)


def _val_loss(model, x, y) -> float:
    return float(model.evaluate(x, y, verbose=0, return_dict=True)["loss"])


def _checkpoint_file(run, held: float, x, y, report: Report) -> bool:
    path = run.saves[-1].saved_path if run.saves else None
    if path is None or not os.path.exists(path):
        return report.bad("trained_no_file")
    name = code(os.path.basename(path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            into = None
            if path.endswith(".weights.h5"):  # weights go into a copy of the trained model
                into = keras.models.clone_model(run.model)
                into.compile(loss=run.model.loss)
            value = _val_loss(checkpoints.load(path, into), x, y)
    except Exception as error:  # noqa: BLE001 - a file Keras cannot load: a line
        return report.bad("trained_file_failed", name=name, **error_values(error))
    epoch = run.saves[-1].epoch
    if math.isclose(value, held, rel_tol=1e-3, abs_tol=1e-5):
        return report.good("trained_file_ok", name=name, epoch=epoch)
    values = {"value": f"{value:.4f}", "held": f"{held:.4f}"}
    return report.bad("trained_file_wrong", name=name, epoch=epoch, **values)
